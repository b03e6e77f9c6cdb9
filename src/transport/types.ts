// The transport contract: one connection per host, over SSH or on the control node.

import type { Readable } from 'node:stream';
import { SamsError } from '../errors.js';
import type { Secret } from '../secret.js';

/** Privilege escalation for one command: `sudo` (non-interactive) or `su`. */
export interface BecomeSpec {
  method: 'sudo' | 'su';
  /** Target user; Ansible's default is root. */
  user: string;
  /** ansible_become_password: fed on stdin after sudo's prompt, never on a command line or in env. */
  password?: string | Secret;
  /** ansible_become_exe (default: sudo / su). */
  exe?: string;
  /** ansible_become_flags (default for sudo: -H -S -n, for su: none). */
  flags?: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, then EOF. Without it stdin is closed at once. */
  stdin?: string | Buffer | Secret | Readable;
  /** Exported before the command runs (exported in the script, not via SSH env requests, which sshd filters). */
  env?: Record<string, string | Secret>;
  /** Working directory; a missing one fails the command with rc 1 and a message on stderr. */
  cwd?: string;
  /** Kill the command after this long: rc is -1 and timedOut true. */
  timeoutMs?: number;
  become?: BecomeSpec;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** stdout as raw bytes (binary-safe), for get-like probes. */
  stdoutBytes: Buffer;
  /** The signal that ended the command, Node style ('SIGKILL'); rc is then 128 + its number. */
  signal?: string;
  timedOut?: boolean;
}

export interface PutOptions {
  /** Octal string ('0644') or symbolic ('u=rw,g=r,o=') applied to the temp file before the rename. */
  mode?: string;
  owner?: string;
  group?: string;
  become?: BecomeSpec;
}

/**
 * One open connection to one host. Commands are POSIX sh scripts. Every call reuses the same
 * underlying connection; calls may run concurrently (each is its own SSH channel).
 */
export interface Connection {
  /** Inventory hostname this connection belongs to. */
  readonly name: string;
  /** 'ssh' or 'local'. */
  readonly kind: 'ssh' | 'local';
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Write a file atomically: to a temp file beside `path`, mode/owner set, then renamed over it.
   * A failure leaves any existing file untouched and throws a SamsError naming the path.
   */
  put(path: string, content: string | Buffer | Secret | Readable, opts?: PutOptions): Promise<void>;
  /** Read a whole file. */
  get(path: string, opts?: { become?: BecomeSpec }): Promise<Buffer>;
  close(): Promise<void>;
  /** Round trips made so far (exec, put and get each count one); for benchmarks and -vvv. */
  readonly roundTrips: number;
}

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

/** Everything needed to reach one host, resolved from inventory vars, ~/.ssh/config and settings. */
export interface ConnectSpec {
  /** Inventory hostname (for messages). */
  name: string;
  /** 'ssh' or 'local' (connection: local, or the implicit localhost). */
  connection: 'ssh' | 'local';
  /** Address to dial (ansible_host, else ssh config HostName, else the inventory name). */
  host: string;
  port?: number;
  user?: string;
  /** Explicit private key files (ansible_ssh_private_key_file, -i, IdentityFile); defaults are tried after. */
  keyFiles?: string[];
  /** Only the explicit key files, not agent or default keys (IdentitiesOnly=yes). */
  identitiesOnly?: boolean;
  passphrase?: string | Secret;
  password?: string | Secret;
  /** ansible_become_password, kept with the connection so become can use it. */
  becomePassword?: string | Secret;
  /** Jump hosts, outermost first (ProxyJump / -J). */
  jump?: ConnectSpec[];
  hostKeyChecking?: HostKeyChecking;
  /** known_hosts files to check and (accept-new) append to; default ~/.ssh/known_hosts. */
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  /** Read ~/.ssh/config (default true); tests point this at their own file. */
  sshConfigFile?: string | false;
  /** Options from ansible_ssh_common_args / ansible_ssh_extra_args that were not understood, for a warning. */
  ignoredSshArgs?: string[];
  /**
   * Warnings found while connecting (a changed host key accepted because checking is off), for the
   * run's reporter. Without it they go to stderr as `[WARNING]: [host] ...`.
   */
  onWarning?: (message: string) => void;
}

/** The host could not be reached: refused, timed out, authentication failed, host key mismatch. */
export class UnreachableError extends SamsError {
  constructor(host: string, message: string, hint?: string) {
    super(message, { host, hint });
    this.name = 'UnreachableError';
  }
}
