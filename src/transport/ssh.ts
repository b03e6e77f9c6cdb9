// SSH connections with ssh2: one connection per host, one channel per command, host keys, auth, jump hosts.

import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import ssh2, { Client, type AnyAuthMethod, type AuthenticationType, type ClientChannel, type IdentityCallback, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader sees `Client` but not `utils` as a named export.
const { utils, OpenSSHAgent } = ssh2;
import { redact, reveal, type Secret } from '../secret.js';
import { quote } from '../shell/quote.js';
import { BaseConnection } from './base-connection.js';
import {
  GLOBAL_KNOWN_HOSTS_FILES,
  blobKeyType,
  checkHostKey,
  fingerprint,
  hostKeyName,
  keyFamily,
  knownKeyTypes,
  readKnownHosts,
  recordHostKey,
  type HostKeyVerdict,
  type KnownHostEntry,
} from './known-hosts.js';
import type { RawProcess } from './run-exec.js';
import { applySshConfig, type ResolvedSpec } from './ssh-config.js';
import { UnreachableError, type ConnectSpec } from './types.js';

/** sshd's default MaxSessions: channels beyond it wait for a free one. */
const DEFAULT_MAX_CHANNELS = 10;
const KILL_GRACE_MS = 250;
const KEEPALIVE_MS = 15_000;

/** Host key algorithms ssh2 supports, in its default order. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export class SshConnection extends BaseConnection {
  readonly kind = 'ssh' as const;
  #client: Client;
  #release: () => void;
  #active = 0;
  #limit = DEFAULT_MAX_CHANNELS;
  #waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #lost: UnreachableError | undefined;
  #closed = false;
  /** The ssh2 client has emitted 'close'. */
  #gone = false;

  constructor(name: string, client: Client, becomePassword: string | Secret | undefined, release: () => void) {
    super(name, becomePassword);
    this.#client = client;
    this.#release = release;
    client.on('error', (e) => {
      this.#lost ??= new UnreachableError(name, `connection lost: ${e.message}`);
    });
    client.on('close', () => {
      this.#gone = true;
      if (!this.#closed) this.#lost ??= new UnreachableError(name, 'connection lost (closed by the remote host or the network)');
      for (const w of this.#waiting.splice(0)) w.reject(this.#lost ?? new UnreachableError(name, 'connection closed'));
      this.#release();
    });
  }

  protected async spawn(script: string, opts: { killable: boolean }): Promise<RawProcess> {
    for (let attempt = 0; ; attempt++) {
      await this.#acquire();
      try {
        return await this.#open(script, opts.killable);
      } catch (e) {
        // The server allows fewer sessions than we assumed (MaxSessions), or has not yet freed the
        // slot of a channel that just closed: remember the lower limit, or back off briefly.
        const retry = isOpenFailure(e) && !this.#lost && attempt < 8;
        const others = this.#active - 1;
        if (retry && others > 0) this.#limit = Math.min(this.#limit, others);
        this.#free();
        if (!retry) throw this.#lost ?? e;
        if (others === 0) await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
      }
    }
  }

  #acquire(): Promise<void> {
    if (this.#lost) return Promise.reject(this.#lost);
    if (this.#closed) return Promise.reject(new UnreachableError(this.name, 'connection closed'));
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #free(): void {
    const next = this.#active <= this.#limit ? this.#waiting.shift() : undefined;
    if (next) next.resolve();
    else this.#active--;
  }

  #open(script: string, killable: boolean): Promise<RawProcess> {
    // sshd honours "signal" requests only for sessions of non-root users (privilege separation),
    // so a command that may have to be killed first reports its process group on stderr.
    const text = killable ? `${REPORT_PGID}\n${script}` : script;
    return new Promise((resolve, reject) => {
      this.#client.exec(`/bin/sh -c ${quote(text)}`, (err, ch) => {
        if (err) return reject(err);
        resolve(this.#wrap(ch, killable));
      });
    });
  }

  #wrap(ch: ClientChannel, killable: boolean): RawProcess {
    let freed = false;
    const free = () => {
      if (!freed) {
        freed = true;
        this.#free();
      }
    };
    const done = new Promise<{ code: number | null; signal?: string }>((resolve, reject) => {
      let status: { code: number | null; signal?: string } | undefined;
      ch.on('exit', (code: number | null, signal?: string) => {
        status = signal ? { code: null, signal: signal.startsWith('SIG') ? signal : `SIG${signal}` } : { code };
      });
      ch.on('close', () => {
        free();
        if (status) return resolve(status);
        // Without an exit status the channel may have died with the connection, whose own
        // 'close'/'error' events come right after: let them record why first.
        setImmediate(() => (this.#lost ? reject(this.#lost) : resolve({ code: null })));
      });
    });
    const signal = (sig: string) => {
      // Channel#signal() refuses once stdin is closed; the request itself is still valid, and
      // sshd delivers it to the session's whole process group.
      const c = ch as unknown as { outgoing: { id: number; state: string }; _client: { _protocol: { signal(id: number, s: string): void } } };
      try {
        if (c.outgoing.state === 'open' || c.outgoing.state === 'eof') c._client._protocol.signal(c.outgoing.id, sig);
      } catch {
        // Connection already gone.
      }
    };
    let pgid: number | undefined;
    const stderr = killable ? stripPgidLine(ch.stderr, (n) => (pgid = n)) : ch.stderr;
    let killed = false;
    return {
      stdin: ch,
      stdout: ch,
      stderr,
      done,
      pgid: () => pgid,
      kill: () => {
        if (killed) return;
        killed = true;
        signal('TERM');
        setTimeout(() => {
          signal('KILL');
          ch.close();
        }, KILL_GRACE_MS).unref();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.reject(new UnreachableError(this.name, 'connection closed'));
    if (this.#gone) return;
    await new Promise<void>((resolve) => {
      this.#client.once('close', () => resolve());
      this.#client.end();
      setTimeout(resolve, 1000).unref();
    });
  }
}

/** Prints the script's process group (field 5 of /proc/$$/stat; $$ where /proc is missing). */
const REPORT_PGID =
  '__sams_p=$$; if read -r __sams_s < /proc/$$/stat; then set -- $__sams_s; __sams_p=${5:-$$}; set --; fi 2>/dev/null; echo "SAMS-PGID:$__sams_p" >&2; unset __sams_s __sams_p';

/** Passes stderr through without its first line when that line is our SAMS-PGID report. */
function stripPgidLine(src: Readable, onPgid: (pgid: number) => void): Readable {
  const out = new PassThrough();
  let head: Buffer | undefined = Buffer.alloc(0);
  src.on('data', (chunk: Buffer) => {
    if (!head) {
      out.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const nl = head.indexOf(0x0a);
    if (nl < 0 && head.length < 64) return;
    const line = head.subarray(0, nl < 0 ? head.length : nl).toString('latin1');
    const m = /^SAMS-PGID:(\d+)$/.exec(line);
    if (m) onPgid(Number(m[1]));
    const rest = m ? head.subarray(nl + 1) : head;
    head = undefined;
    if (rest.length) out.write(rest);
  });
  src.on('end', () => {
    if (head?.length) out.write(head);
    out.end();
  });
  src.on('close', () => {
    if (!out.writableEnded) out.end();
  });
  return out;
}

function isOpenFailure(e: unknown): boolean {
  return e instanceof Error && /Channel open failure|open failed/i.test(e.message);
}

/**
 * Shares connections to jump hosts: a pool that reaches fifty hosts through one bastion opens one
 * connection to it. Entries are reference-counted and closed when the last target closes.
 */
export class JumpHub {
  #clients = new Map<string, { client: Promise<Client>; refs: number }>();

  /** A stream to host:port through the chain of jump hosts (outermost first), and its release. */
  async tunnel(target: string, chain: ConnectSpec[], host: string, port: number, timeoutMs: number, warn: Warn = stderrWarn(target)): Promise<{ sock: Duplex; release: () => void }> {
    const keys: string[] = [];
    let via: Client | undefined;
    try {
      for (const [i, hop] of chain.entries()) {
        const r = applySshConfig(hop);
        const key = `${keys.at(-1) ?? ''} > ${r.user}@${r.host}:${r.port}`;
        let entry = this.#clients.get(key);
        if (!entry) {
          const client = this.#open(target, r, via, i === 0 ? undefined : `jump host ${chain[i - 1]!.host}`, warn);
          entry = { client, refs: 0 };
          this.#clients.set(key, entry);
          // A jump connection that dies is forgotten, so the next target opens a fresh one.
          client.then(
            (c) => c.once('close', () => this.#clients.get(key)?.client === client && this.#clients.delete(key)),
            () => {},
          );
        }
        entry.refs++;
        keys.push(key);
        via = await entry.client;
      }
      const sock = await forward(via!, host, port, timeoutMs, target, `jump host ${chain.at(-1)!.host}`);
      return { sock, release: () => this.#release(keys) };
    } catch (e) {
      this.#release(keys);
      throw e;
    }
  }

  async #open(target: string, r: ResolvedSpec, via: Client | undefined, viaName: string | undefined, warn: Warn): Promise<Client> {
    const what = `jump host ${r.host}`;
    const sock = via ? await forward(via, r.host, r.port, r.connectTimeoutMs, target, viaName!) : await tcpConnect(target, r.host, r.port, r.connectTimeoutMs, what);
    return handshake(target, r, sock, warn, what);
  }

  #release(keys: string[]): void {
    for (const key of keys) {
      const entry = this.#clients.get(key);
      if (!entry) continue;
      if (--entry.refs <= 0) {
        this.#clients.delete(key);
        entry.client.then((c) => c.end(), () => {});
      }
    }
  }
}

type Warn = (message: string) => void;

/** Where warnings go when the caller gave no `onWarning`: stderr, in the reporters' format. */
function stderrWarn(name: string): Warn {
  return (m) => process.stderr.write(redact(`[WARNING]: [${name}] ${m}`) + '\n');
}

/** Opens one SSH connection (directly or through jump hosts) and authenticates. */
export async function connectSsh(spec: ConnectSpec, hub: JumpHub = new JumpHub()): Promise<SshConnection> {
  const r = applySshConfig(spec);
  const warn = spec.onWarning ?? stderrWarn(spec.name);
  if (r.unsupportedProxyCommand) {
    throw new UnreachableError(spec.name, `ssh config sets ProxyCommand ${r.unsupportedProxyCommand}, which sams cannot run`, 'sams understands "ssh -W %h:%p [user@]bastion"; or use ProxyJump');
  }
  let sock: Duplex;
  let release = () => {};
  if (r.jump.length > 0) {
    ({ sock, release } = await hub.tunnel(spec.name, r.jump, r.host, r.port, r.connectTimeoutMs, warn));
  } else {
    sock = await tcpConnect(spec.name, r.host, r.port, r.connectTimeoutMs);
  }
  let client: Client;
  try {
    client = await handshake(spec.name, r, sock, warn);
  } catch (e) {
    release();
    throw e;
  }
  return new SshConnection(spec.name, client, spec.becomePassword, release);
}

function tcpConnect(name: string, host: string, port: number, timeoutMs: number, what?: string): Promise<Socket> {
  const prefix = what ? `${what}: ` : '';
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new UnreachableError(name, `${prefix}timed out after ${timeoutMs / 1000} s connecting to ${host} port ${port}`, 'check the address and that no firewall drops the connection; the limit is ansible_timeout / timeout in the settings'));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(socketError(name, e, host, port, prefix));
    });
  });
}

function socketError(name: string, e: NodeJS.ErrnoException, host: string, port: number, prefix = ''): UnreachableError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new UnreachableError(name, `${prefix}connection refused by ${host} port ${port}`, 'is sshd running there, on that port?');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new UnreachableError(name, `${prefix}cannot resolve host name ${host}`, 'check ansible_host or the inventory name (and DNS)');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new UnreachableError(name, `${prefix}no route to ${host}`);
    case 'ECONNRESET':
      return new UnreachableError(name, `${prefix}connection to ${host} port ${port} reset by the remote side`);
    default:
      return new UnreachableError(name, `${prefix}cannot connect to ${host} port ${port}: ${e.message}`);
  }
}

function forward(via: Client, host: string, port: number, timeoutMs: number, name: string, what: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new UnreachableError(name, `${what}: timed out after ${timeoutMs / 1000} s opening a tunnel to ${host} port ${port}`)), timeoutMs);
    const done = (err: Error | undefined, stream?: Duplex) => {
      clearTimeout(timer);
      if (err) {
        const reason = err.message.replace(/^\(SSH\) Channel open failure: /, '');
        return reject(new UnreachableError(name, `${what} could not open a tunnel to ${host} port ${port}: ${reason}`, 'the jump host must reach the target and allow TCP forwarding (AllowTcpForwarding)'));
      }
      resolve(stream!);
    };
    try {
      via.forwardOut('127.0.0.1', 0, host, port, (err, stream) => done(err, stream));
    } catch (e) {
      done(new Error(`the connection to it is gone (${(e as Error).message})`));
    }
  });
}

interface AuthAttempt {
  label: string;
  method: AnyAuthMethod;
}

/**
 * An ssh-agent that offers only the keys whose public halves are given: IdentitiesOnly still uses
 * the agent's copy of a configured identity file (as OpenSSH does), never its other keys.
 */
class IdentityAgent extends OpenSSHAgent {
  readonly #blobs: Buffer[];
  constructor(socket: string, blobs: Buffer[]) {
    super(socket);
    this.#blobs = blobs;
  }
  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err);
      cb(null, keys.filter((k) => {
        const blob = publicBlobOf(k);
        return blob !== undefined && this.#blobs.some((b) => b.equals(blob));
      }));
    });
  }
}

function publicBlobOf(k: unknown): Buffer | undefined {
  if (k && typeof (k as ParsedKey).getPublicSSH === 'function') return (k as ParsedKey).getPublicSSH();
  if (!Buffer.isBuffer(k) && typeof k !== 'string') return undefined;
  const parsed = utils.parseKey(k);
  return parsed instanceof Error ? undefined : parsed.getPublicSSH();
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error | undefined {
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

/**
 * The public key blob of an identity file whose private key could not be used: FILE.pub, else the
 * public key an OpenSSH-format key file stores unencrypted in its header.
 */
function identityBlob(file: string, data: Buffer): Buffer | undefined {
  try {
    const pub = firstKey(utils.parseKey(readFileSync(`${file}.pub`)));
    if (pub && !(pub instanceof Error)) return pub.getPublicSSH();
  } catch {
    // No FILE.pub (or unreadable): try the key file's header.
  }
  return opensshPublicBlob(data);
}

/** openssh-key-v1: magic, cipher, kdf, kdf options, key count, then the first public key (never encrypted). */
function opensshPublicBlob(data: Buffer): Buffer | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(data.toString('latin1'));
  if (!m) return undefined;
  const raw = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!raw.subarray(0, magic.length).equals(magic)) return undefined;
  let pos = magic.length;
  const str = (): Buffer | undefined => {
    if (pos + 4 > raw.length) return undefined;
    const len = raw.readUInt32BE(pos);
    if (pos + 4 + len > raw.length) return undefined;
    const out = raw.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    return out;
  };
  if (!str() || !str() || !str() || pos + 4 > raw.length) return undefined;
  pos += 4;
  const blob = str();
  return blob && blob.length > 0 ? Buffer.from(blob) : undefined;
}

/**
 * Agent, then key files (explicit, then ~/.ssh/id_*), then password and keyboard-interactive, as ssh
 * tries them. With IdentitiesOnly the agent still signs for the explicit key files it holds (matched
 * by public key: FILE.pub, or the OpenSSH key file's own header), so an encrypted key loaded in the
 * agent works without its passphrase, as with OpenSSH.
 */
function authAttempts(r: ResolvedSpec, notes: string[]): AuthAttempt[] {
  const username = r.user;
  const attempts: AuthAttempt[] = [];
  const agentSock = process.env.SSH_AUTH_SOCK;
  const agent = agentSock && existsSync(agentSock) ? agentSock : undefined;
  if (!r.identitiesOnly && agent) attempts.push({ label: 'ssh-agent', method: { type: 'agent', username, agent } });
  const files = [...r.keyFiles];
  if (!r.identitiesOnly) {
    for (const f of ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => `${homedir()}/.ssh/${n}`)) {
      if (!files.includes(f) && existsSync(f)) files.push(f);
    }
  }
  const passphrase = r.passphrase === undefined ? undefined : reveal(r.passphrase);
  for (const file of files) {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      notes.push(`key ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      continue;
    }
    const key = firstKey(utils.parseKey(data, passphrase));
    const parsed = key && !(key instanceof Error) ? key : undefined;
    if (!parsed && r.identitiesOnly && agent) {
      // Encrypted without a (right) passphrase: the agent's copy, if it holds one (an agent
      // without it offers nothing and costs no round trip).
      const blob = identityBlob(file, data);
      if (blob) attempts.push({ label: `ssh-agent key for ${file}`, method: { type: 'agent', username, agent: new IdentityAgent(agent, [blob]) } });
    }
    if (!parsed) {
      const msg = key instanceof Error ? key.message : 'no key found';
      notes.push(/passphrase/i.test(msg) ? `key ${file} is encrypted and ${passphrase === undefined ? 'no passphrase was given' : 'the passphrase is wrong'}` : `key ${file}: ${msg}`);
      continue;
    }
    attempts.push({ label: `key ${file}`, method: { type: 'publickey', username, key: parsed } });
  }
  if (r.password !== undefined) {
    const password = reveal(r.password);
    attempts.push({ label: 'password', method: { type: 'password', username, password } });
    attempts.push({
      label: 'keyboard-interactive',
      method: {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map((p) => (/password|passcode/i.test(p.prompt) ? password : ''))),
      },
    });
  }
  return attempts;
}

/** Host key algorithms with the types known_hosts already has for this host first (as ssh orders them). */
function hostKeyAlgorithms(entries: KnownHostEntry[], name: string): string[] {
  const preferred: string[] = [];
  for (const t of knownKeyTypes(entries, name)) {
    const algos = keyFamily(t) === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t];
    for (const a of algos) if (HOST_KEY_ALGORITHMS.includes(a) && !preferred.includes(a)) preferred.push(a);
  }
  return [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}

/**
 * The keys known_hosts holds for a host that offered another one: the changed key, or keys of the
 * types we asked for first (a server that offers another type no longer has them).
 */
function heldKeys(verdict: HostKeyVerdict): KnownHostEntry[] {
  if (verdict.status === 'changed') return verdict.old;
  if (verdict.status === 'unknown') return verdict.otherTypes.filter((e) => HOST_KEY_ALGORITHMS.includes(keyFamily(e.keyType)) || e.keyType === 'ssh-rsa');
  return [];
}

/**
 * With host key checking off the connection goes ahead whatever key the server offers, but a key
 * that differs from the one known_hosts holds is never accepted silently: the run gets a warning.
 */
function warnKeyMismatch(warn: Warn, prefix: string, keyName: string, fp: string, verdict: HostKeyVerdict): void {
  const fpOf = (e: KnownHostEntry) => `${e.keyType} ${fingerprint(Buffer.from(e.key, 'base64'))}`;
  const anyway = 'sams connects anyway because host key checking is off (StrictHostKeyChecking=no / host_key_checking: false)';
  const risk = 'someone could be intercepting the connection (and everything sent over it, become passwords included), or the host was reinstalled';
  switch (verdict.status) {
    case 'known':
      return;
    case 'revoked':
      warn(`${prefix}REVOKED HOST KEY for ${keyName}: the server offered ${fp}, which is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; ${anyway}`);
      return;
    case 'changed':
    case 'unknown': {
      const old = heldKeys(verdict);
      // A host known_hosts has never seen is not a change.
      if (old.length === 0) return;
      const held = old.map((e) => `${fpOf(e)} (${e.file}:${e.line})`).join(', ');
      warn(
        `${prefix}REMOTE HOST IDENTIFICATION HAS CHANGED for ${keyName}: the server offered ${fp}, but known_hosts holds ${held}. ${anyway}: ${risk}. ` +
          `If the change is expected, remove the old key with: ssh-keygen -f ${old[0]!.file} -R '${keyName}'`,
      );
      return;
    }
  }
}

function handshake(name: string, r: ResolvedSpec, sock: Duplex, warn: Warn, what?: string): Promise<Client> {
  const prefix = what ? `${what}: ` : '';
  const keyName = hostKeyName(r.host, r.port);
  // Read even when checking is off: a changed key must not go unnoticed (see warnKeyMismatch).
  const entries = readKnownHosts([...r.knownHostsFiles, ...GLOBAL_KNOWN_HOSTS_FILES]);
  const notes: string[] = [];
  const attempts = authAttempts(r, notes);
  const tried: string[] = [];
  let serverMethods: string[] | undefined;
  let hostKeyError: UnreachableError | undefined;

  const verify = (blob: Buffer): boolean => {
    const key = { type: blobKeyType(blob), blob };
    const fp = `${key.type} ${fingerprint(blob)}`;
    const verdict = checkHostKey(entries, keyName, key);
    if (r.hostKeyChecking === 'off') {
      warnKeyMismatch(warn, prefix, keyName, fp, verdict);
      return true;
    }
    const scan = `ssh-keyscan ${r.port === 22 ? '' : `-p ${r.port} `}${r.host} >> ${r.knownHostsFiles[0] ?? '~/.ssh/known_hosts'}`;
    switch (verdict.status) {
      case 'known':
        return true;
      case 'revoked':
        hostKeyError = new UnreachableError(name, `${prefix}the host key of ${keyName} (${fp}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}`);
        return false;
      case 'changed': {
        const old = verdict.old.map((e) => `${e.file}:${e.line}`).join(', ');
        hostKeyError = new UnreachableError(
          name,
          `${prefix}HOST KEY CHANGED for ${keyName}: the server offered ${fp}, but ${old} holds a different ${verdict.old[0]!.keyType} key. Someone could be intercepting the connection, or the host was reinstalled`,
          `if the change is expected, remove the old key with: ssh-keygen -f ${verdict.old[0]!.file} -R '${keyName}', then add the new one (check its fingerprint) with: ${scan}`,
        );
        return false;
      }
      case 'unknown': {
        const otherTypes = heldKeys(verdict);
        if (otherTypes.length > 0) {
          // We asked for the known key types first; a server that offers another one no longer has them.
          const old = otherTypes.map((e) => `${e.keyType} at ${e.file}:${e.line}`).join(', ');
          hostKeyError = new UnreachableError(
            name,
            `${prefix}HOST KEY CHANGED for ${keyName}: the server offered ${fp}, but known_hosts has only other keys for it (${old})`,
            `if the change is expected: ssh-keygen -f ${otherTypes[0]!.file} -R '${keyName}', then: ${scan}`,
          );
          return false;
        }
        if (r.hostKeyChecking === 'accept-new') {
          recordHostKey(r.knownHostsFiles[0] ?? '~/.ssh/known_hosts', keyName, key);
          return true;
        }
        const files = r.knownHostsFiles.join(', ');
        hostKeyError = new UnreachableError(
          name,
          `${prefix}host key for ${keyName} is unknown: the server offered ${fp}, which is not in ${files}`,
          `check the fingerprint, then add the key with: ${scan} (or set host_key_checking: accept-new)`,
        );
        return false;
      }
    }
  };

  return new Promise((resolve, reject) => {
    const client = new Client();
    let ready = false;
    const fail = (e: UnreachableError) => {
      if (ready) return;
      ready = true;
      client.end();
      sock.destroy();
      reject(e);
    };
    client.once('ready', () => {
      if (ready) return;
      ready = true;
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (ready) return;
      // ssh2 goes on with the next auth method after an agent failure: only note it.
      if (err.level === 'agent') {
        notes.push(`ssh-agent: ${err.message}`);
        return;
      }
      if (hostKeyError) return fail(hostKeyError);
      if (err.level === 'client-authentication') {
        const offered = serverMethods ? `; the server accepts ${serverMethods.join(', ')}` : '';
        const detail = [tried.length ? `tried ${tried.join(', ')}` : 'no credentials to try', ...notes].join('; ');
        return fail(
          new UnreachableError(
            name,
            `${prefix}authentication failed for ${r.user}@${keyName}: ${detail}${offered}`,
            'check ansible_user and ansible_ssh_private_key_file (or ansible_password), and that the key is in the user\'s authorized_keys',
          ),
        );
      }
      if (err.level === 'client-timeout') {
        return fail(new UnreachableError(name, `${prefix}timed out after ${r.connectTimeoutMs / 1000} s waiting for the SSH handshake with ${keyName}`));
      }
      if (err.code) return fail(socketError(name, err, r.host, r.port, prefix));
      if (/before handshake/i.test(err.message)) {
        return fail(new UnreachableError(name, `${prefix}${keyName} closed the connection before the SSH handshake`, 'is an SSH server listening there (and not a proxy or another service)?'));
      }
      fail(new UnreachableError(name, `${prefix}SSH handshake with ${keyName} failed: ${err.message}`));
    });
    client.on('close', () => fail(hostKeyError ?? new UnreachableError(name, `${prefix}${keyName} closed the connection during the SSH handshake`)));

    const queue = [...attempts];
    client.connect({
      sock: sock as unknown as Socket,
      username: r.user,
      readyTimeout: r.connectTimeoutMs,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 4,
      algorithms: { serverHostKey: hostKeyAlgorithms(entries, keyName) as never },
      hostVerifier: verify,
      authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean, next: (m: AnyAuthMethod | false) => void) => {
        if (methodsLeft) serverMethods = methodsLeft;
        while (queue.length > 0) {
          const a = queue.shift()!;
          const type = a.method.type === 'agent' ? 'publickey' : a.method.type;
          if (methodsLeft && !methodsLeft.includes(type)) continue;
          tried.push(a.label);
          return next(a.method);
        }
        return next(false);
      },
    } as never);
  });
}
