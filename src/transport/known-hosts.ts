// known_hosts files: OpenSSH's format (patterns, [host]:port, hashed |1| entries, @revoked), checking and recording host keys.

import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number. */
  line: number;
  marker?: '@revoked' | '@cert-authority';
  /** The host field as written (patterns or |1|salt|hash). */
  hosts: string;
  keyType: string;
  /** Key blob, base64. */
  key: string;
}

/** A host key as the server sent it (SSH wire format blob). */
export interface HostKey {
  type: string;
  blob: Buffer;
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown'; otherTypes: KnownHostEntry[] }
  | { status: 'changed'; old: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/** Files read and, for accept-new, appended to (the first one). */
export function defaultKnownHostsFiles(): string[] {
  return [`${homedir()}/.ssh/known_hosts`, `${homedir()}/.ssh/known_hosts2`];
}

/** System-wide files OpenSSH always consults too (GlobalKnownHostsFile). */
export const GLOBAL_KNOWN_HOSTS_FILES = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!;
      if (m !== '@revoked' && m !== '@cert-authority') return;
      marker = m;
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    entries.push({ file, line: i + 1, ...(marker && { marker }), hosts, keyType, key });
  });
  return entries;
}

export function readKnownHosts(files: string[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    const path = expandHome(f);
    if (path === '/dev/null' || !existsSync(path)) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    out.push(...parseKnownHosts(text, path));
  }
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` elsewhere. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Does a known_hosts host field (comma-separated patterns with * ? !, or a |1| hash) match `name`? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globMatch(p.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return re.test(s);
}

/** rsa-sha2-* algorithms use ssh-rsa keys; everything else names its key type directly. */
export function keyFamily(type: string): string {
  return type === 'rsa-sha2-256' || type === 'rsa-sha2-512' ? 'ssh-rsa' : type;
}

export function checkHostKey(entries: KnownHostEntry[], name: string, key: HostKey): HostKeyVerdict {
  const keyB64 = key.blob.toString('base64');
  const matching = entries.filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = matching.find((e) => e.marker === '@revoked' && e.key === keyB64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = matching.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key === keyB64);
  if (same) return { status: 'known', entry: same };
  const family = keyFamily(key.type);
  const sameType = plain.filter((e) => keyFamily(e.keyType) === family);
  if (sameType.length > 0) return { status: 'changed', old: sameType };
  return { status: 'unknown', otherTypes: plain };
}

/** Key types known for `name`, in file order: the host key algorithms to prefer when connecting. */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  const types: string[] = [];
  for (const e of entries) {
    if (e.marker === undefined && hostFieldMatches(e.hosts, name) && !types.includes(e.keyType)) types.push(e.keyType);
  }
  return types;
}

/** `SHA256:...` as `ssh-keygen -l` and ssh print it. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside a wire-format key blob. */
export function blobKeyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Appends `name type key` to the file (created with its directory, like ssh does). Entries are
 * written unhashed so people can read and edit them; OpenSSH reads both forms.
 */
export function recordHostKey(file: string, name: string, key: HostKey): string {
  const path = expandHome(file);
  const line = `${name} ${key.type} ${key.blob.toString('base64')}\n`;
  if (path === '/dev/null') return path;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // A file that does not end in a newline would glue our entry onto its last line.
  let prefix = '';
  if (existsSync(path)) {
    const text = readFileSync(path);
    if (text.length > 0 && text[text.length - 1] !== 0x0a) prefix = '\n';
  }
  appendFileSync(path, prefix + line, { mode: 0o600 });
  return path;
}
