// ansible_ssh_common_args / ansible_ssh_extra_args: the OpenSSH options sams understands, the rest listed as ignored.

import { SamsError } from '../errors.js';
import { splitShellWords } from './shell-words.js';
import type { HostKeyChecking } from './types.js';

/** One hop of a ProxyJump list: `[user@]host[:port]`, plus a key when it came from a ProxyCommand. */
export interface JumpHop {
  host: string;
  port?: number;
  user?: string;
  keyFiles?: string[];
}

/** What the ssh arguments set; undefined fields were not given. First occurrence wins, as in OpenSSH. */
export interface SshArgOptions {
  port?: number;
  user?: string;
  keyFiles: string[];
  identitiesOnly?: boolean;
  hostKeyChecking?: HostKeyChecking;
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  /** ProxyJump / -J / a translated `ProxyCommand ssh -W %h:%p ...`; [] for ProxyJump=none. */
  jump?: JumpHop[];
  ignored: string[];
}

/** ssh(1) flags that take a value (from its synopsis). */
const FLAGS_WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''));

/** Parses the text of ansible_ssh_common_args / ansible_ssh_extra_args (several texts are read in order). */
export function parseSshArgs(...texts: (string | undefined)[]): SshArgOptions {
  const out: SshArgOptions = { keyFiles: [], ignored: [] };
  for (const text of texts) {
    if (!text) continue;
    const words = splitShellWords(text);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (!w.startsWith('-') || w.length < 2) {
        out.ignored.push(w);
        continue;
      }
      const flag = w[1]!;
      if (!FLAGS_WITH_VALUE.has(flag)) {
        // Boolean flags (-q, -C, -4, -tt...): none of them matter to sams.
        out.ignored.push(w);
        continue;
      }
      const value: string | undefined = w.length > 2 ? w.slice(2) : words[++i];
      if (value === undefined) {
        out.ignored.push(w);
        break;
      }
      switch (flag) {
        case 'o':
          applyOption(out, value);
          break;
        case 'i':
          out.keyFiles.push(value);
          break;
        case 'p':
          out.port ??= parsePort(value, '-p');
          break;
        case 'l':
          out.user ??= value;
          break;
        case 'J':
          out.jump ??= parseJumpList(value);
          break;
        default:
          out.ignored.push(w.length > 2 ? w : `${w} ${value}`);
      }
    }
  }
  return out;
}

function applyOption(out: SshArgOptions, option: string): void {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(option);
  if (!m) {
    out.ignored.push(`-o ${option}`);
    return;
  }
  const key = m[1]!.toLowerCase();
  // OpenSSH splits option values into words with quotes (Ansible sends IdentityFile="path").
  const words = key === 'proxycommand' ? [m[2]!.trim()] : splitShellWords(m[2]!);
  const value = words[0] ?? '';
  switch (key) {
    case 'stricthostkeychecking': {
      const v = value.toLowerCase();
      const policy: HostKeyChecking | undefined =
        v === 'yes' || v === 'ask' || v === 'true' ? 'strict' : v === 'no' || v === 'off' || v === 'false' ? 'off' : v === 'accept-new' ? 'accept-new' : undefined;
      if (!policy) throw new SamsError(`unknown StrictHostKeyChecking value '${value}'`, { hint: 'use yes, no or accept-new' });
      out.hostKeyChecking ??= policy;
      break;
    }
    case 'userknownhostsfile':
      out.knownHostsFiles ??= words;
      break;
    case 'identitiesonly':
      out.identitiesOnly ??= /^(yes|true)$/i.test(value);
      break;
    case 'connecttimeout': {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new SamsError(`ConnectTimeout must be a number of seconds, got '${value}'`);
      out.connectTimeoutMs ??= n * 1000;
      break;
    }
    case 'proxyjump':
      out.jump ??= parseJumpList(value);
      break;
    case 'proxycommand': {
      const hop = proxyCommandAsJump(value);
      if (hop) out.jump ??= [hop];
      else if (value.toLowerCase() !== 'none') out.ignored.push(`-o ProxyCommand=${value}`);
      break;
    }
    case 'port':
      out.port ??= parsePort(value, 'Port');
      break;
    case 'user':
      out.user ??= value;
      break;
    case 'identityfile':
      out.keyFiles.push(value);
      break;
    default:
      out.ignored.push(`-o ${m[1]}=${value}`);
  }
}

function parsePort(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new SamsError(`${what}: '${value}' is not a port number`);
  return n;
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`, comma separated; 'none' is an empty list. */
export function parseJumpList(value: string): JumpHop[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value.split(',').map((item) => {
    let s = item.trim().replace(/^ssh:\/\//, '');
    let user: string | undefined;
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    let host = s;
    let port: number | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    if (bracket) {
      host = bracket[1]!;
      if (bracket[2]) port = parsePort(bracket[2], 'ProxyJump');
    } else if (/^[^:]+:\d+$/.test(s)) {
      const colon = s.lastIndexOf(':');
      host = s.slice(0, colon);
      port = parsePort(s.slice(colon + 1), 'ProxyJump');
    }
    if (!host) throw new SamsError(`bad jump host '${item}'`, { hint: 'write [user@]host[:port], several separated by commas' });
    return { host, ...(port !== undefined && { port }), ...(user !== undefined && { user }) };
  });
}

/**
 * Translates the common `ssh -W %h:%p [-q] [-p P] [-i KEY] [-l USER] [user@]bastion` ProxyCommand
 * into a jump hop; anything else (nc, connect-proxy, extra options) returns undefined.
 */
export function proxyCommandAsJump(command: string): JumpHop | undefined {
  let words: string[];
  try {
    words = splitShellWords(command);
  } catch {
    return undefined;
  }
  if (words.length === 0 || !/(^|\/)ssh$/.test(words[0]!)) return undefined;
  let forward = false;
  let dest: string | undefined;
  const hop: { port?: number; user?: string; keyFiles: string[] } = { keyFiles: [] };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-W') {
      const target = words[++i];
      if (target !== '%h:%p' && target !== '[%h]:%p') return undefined;
      forward = true;
    } else if (w === '-p') {
      const p = Number(words[++i]);
      if (!Number.isInteger(p)) return undefined;
      hop.port = p;
    } else if (w === '-i') {
      const k = words[++i];
      if (!k) return undefined;
      hop.keyFiles.push(k);
    } else if (w === '-l') {
      hop.user = words[++i];
    } else if (w === '-o') {
      const o = /^(\w+)\s*[= ]\s*(.*)$/.exec(words[++i] ?? '');
      const key = o?.[1]?.toLowerCase();
      // Options that only concern the bastion's own host key checking are safe to drop.
      if (key === 'port') hop.port = Number(o![2]);
      else if (key === 'user') hop.user = o![2];
      else if (key === 'identityfile') hop.keyFiles.push(o![2]!);
      else if (key !== 'stricthostkeychecking' && key !== 'userknownhostsfile' && key !== 'loglevel') return undefined;
    } else if (/^-[qvCTAax46]+$/.test(w)) {
      // Flags without values that change nothing about where the tunnel goes.
    } else if (w.startsWith('-') || dest !== undefined) {
      return undefined;
    } else {
      dest = w;
    }
  }
  if (!forward || !dest) return undefined;
  const [parsed] = parseJumpList(dest);
  if (!parsed) return undefined;
  return {
    host: parsed.host,
    ...((hop.port ?? parsed.port) !== undefined && { port: hop.port ?? parsed.port }),
    ...((parsed.user ?? hop.user) !== undefined && { user: parsed.user ?? hop.user }),
    ...(hop.keyFiles.length > 0 && { keyFiles: hop.keyFiles }),
  };
}
