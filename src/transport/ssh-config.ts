// ~/.ssh/config (via the ssh-config package): fills what the inventory left open, as OpenSSH does under `ssh -o ...`.

import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import SSHConfig from 'ssh-config';
import { SamsError } from '../errors.js';
import { defaultKnownHostsFiles, expandHome } from './known-hosts.js';
import { jumpSpecs } from './resolve-spec.js';
import { parseJumpList, parseSshArgs, proxyCommandAsJump } from './ssh-args.js';
import { splitShellWords } from './shell-words.js';
import type { ConnectSpec, HostKeyChecking } from './types.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** A ConnectSpec with every field a connection needs filled in. */
export type ResolvedSpec = ConnectSpec & {
  port: number;
  user: string;
  keyFiles: string[];
  identitiesOnly: boolean;
  hostKeyChecking: HostKeyChecking;
  knownHostsFiles: string[];
  connectTimeoutMs: number;
  jump: ConnectSpec[];
  /** A ProxyCommand from the ssh config that sams cannot translate into a jump host (connect refuses). */
  unsupportedProxyCommand?: string;
};

const configCache = new Map<string, { mtimeText: string; config: SSHConfig }>();

function readConfig(path: string): SSHConfig | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const cached = configCache.get(path);
  if (cached && cached.mtimeText === text) return cached.config;
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (e) {
    throw new SamsError(`cannot parse ssh config ${path}: ${(e as Error).message}`);
  }
  configCache.set(path, { mtimeText: text, config });
  return config;
}

/**
 * Applies the ssh config file to a spec: the spec's own fields (inventory variables) win, the
 * config fills the rest (HostName, User, Port, IdentityFile, IdentitiesOnly, ProxyJump,
 * StrictHostKeyChecking, UserKnownHostsFile, ConnectTimeout), then OpenSSH's defaults.
 * `Host` patterns match the destination (ansible_host, else the inventory name). `Match exec`
 * is not evaluated and `Include` is not followed.
 */
export function applySshConfig(spec: ConnectSpec): ResolvedSpec {
  const file = spec.sshConfigFile === undefined ? '~/.ssh/config' : spec.sshConfigFile;
  let cfg: Record<string, string | string[]> = {};
  if (file !== false) {
    const config = readConfig(expandHome(file));
    if (config) {
      cfg = config.compute(
        spec.user !== undefined ? { Host: spec.host, User: spec.user } : { Host: spec.host },
        { ignoreCase: true, matchExec: false },
      );
    }
  }
  const one = (k: string): string | undefined => {
    const x = cfg[k];
    return Array.isArray(x) ? x.join(' ') : x;
  };
  const many = (k: string): string[] => {
    const x = cfg[k];
    return x === undefined ? [] : Array.isArray(x) ? x : [x];
  };

  const original = spec.host;
  const hostName = one('hostname');
  const host = hostName ? hostName.replace(/%h/g, original).replace(/%%/g, '%') : original;
  const portText = one('port');
  const port = spec.port ?? (portText ? Number(portText) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SamsError(`ssh config: bad Port '${portText}' for ${original}`);
  const user = spec.user ?? one('user') ?? userInfo().username;
  const tokens = (s: string) =>
    expandHome(
      s.replace(/%(.)/g, (m, c: string) =>
        c === 'h' ? host : c === 'p' ? String(port) : c === 'r' ? user : c === 'u' ? userInfo().username : c === 'd' ? homedir() : c === 'n' ? original : c === '%' ? '%' : m,
      ),
    );
  const keyFiles = [...new Set([...(spec.keyFiles ?? []), ...many('identityfile').map(tokens)].map(expandHome))];
  const io = one('identitiesonly');
  const identitiesOnly = spec.identitiesOnly ?? (io ? /^yes$/i.test(io) : false);

  let hostKeyChecking = spec.hostKeyChecking;
  const shkc = one('stricthostkeychecking');
  if (!hostKeyChecking && shkc) hostKeyChecking = parseSshArgs(`-o StrictHostKeyChecking=${shkc}`).hostKeyChecking;
  const ukhf = one('userknownhostsfile');
  const knownHostsFiles = (spec.knownHostsFiles ?? (ukhf ? splitShellWords(ukhf).map(tokens) : defaultKnownHostsFiles())).map(expandHome);
  const ct = one('connecttimeout');
  const connectTimeoutMs = spec.connectTimeoutMs ?? (ct && Number(ct) > 0 ? Number(ct) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS);

  const resolved: ResolvedSpec = {
    ...spec,
    host,
    port,
    user,
    keyFiles,
    identitiesOnly,
    hostKeyChecking: hostKeyChecking ?? 'strict',
    knownHostsFiles,
    connectTimeoutMs,
    jump: [],
  };
  if (spec.jump !== undefined) {
    resolved.jump = spec.jump;
  } else {
    const pj = one('proxyjump');
    const pc = one('proxycommand');
    if (pj) {
      resolved.jump = jumpSpecs(parseJumpList(pj), { ...spec, knownHostsFiles, connectTimeoutMs, hostKeyChecking: resolved.hostKeyChecking });
    } else if (pc && pc.toLowerCase() !== 'none') {
      const hop = proxyCommandAsJump(pc);
      if (hop) resolved.jump = jumpSpecs([hop], { ...spec, knownHostsFiles, connectTimeoutMs, hostKeyChecking: resolved.hostKeyChecking });
      else resolved.unsupportedProxyCommand = pc;
    }
  }
  return resolved;
}
