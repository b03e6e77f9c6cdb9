// Opening connections: one host (connect) or many in parallel with per-host outcomes (ConnectionPool).

import pLimit from 'p-limit';
import { SamsError } from '../errors.js';
import { LocalConnection } from './local.js';
import { JumpHub, connectSsh } from './ssh.js';
import { UnreachableError, type Connection, type ConnectSpec } from './types.js';

/** Opens one connection: SSH (through jump hosts when the spec or ssh config says so) or local. */
export async function connect(spec: ConnectSpec, opts: { jumpHub?: JumpHub } = {}): Promise<Connection> {
  if (spec.connection === 'local') return new LocalConnection(spec.name, spec.becomePassword);
  return connectSsh(spec, opts.jumpHub);
}

export type ConnectOutcome = Connection | UnreachableError;

/** Default parallelism for opening connections when the caller gives none (Ansible's forks default is 5; connects are cheap). */
export const DEFAULT_CONNECT_LIMIT = 20;

/**
 * Connections to many hosts. `open` connects in parallel (at most `limit` at once) and gives each
 * host its Connection or the UnreachableError saying why not; connections to shared jump hosts
 * are opened once. `close` closes everything it opened.
 */
export class ConnectionPool {
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #hub = new JumpHub();
  readonly #outcomes = new Map<string, Promise<ConnectOutcome>>();

  constructor(opts: { limit?: number } = {}) {
    this.#limit = pLimit(Math.max(1, opts.limit ?? DEFAULT_CONNECT_LIMIT));
  }

  /** Connects every spec not connected yet; resolves when all have an outcome. */
  async open(specs: ConnectSpec[]): Promise<Map<string, ConnectOutcome>> {
    const results = await Promise.all(specs.map(async (s) => [s.name, await this.connect(s)] as const));
    return new Map(results);
  }

  /** One host's outcome; a host already connected (or failed) is not tried again. */
  connect(spec: ConnectSpec): Promise<ConnectOutcome> {
    let p = this.#outcomes.get(spec.name);
    if (!p) {
      p = this.#limit(() => connectOutcome(spec, this.#hub));
      this.#outcomes.set(spec.name, p);
    }
    return p;
  }

  /** Forgets a failed host so a later connect() tries again. */
  forget(name: string): void {
    this.#outcomes.delete(name);
  }

  /** The open connection for a host, if it has one. */
  async get(name: string): Promise<Connection | undefined> {
    const o = await this.#outcomes.get(name);
    return o instanceof UnreachableError ? undefined : o;
  }

  async close(): Promise<void> {
    const all = await Promise.all(this.#outcomes.values());
    this.#outcomes.clear();
    await Promise.all(all.map((o) => (o instanceof UnreachableError ? undefined : o.close())));
  }
}

async function connectOutcome(spec: ConnectSpec, hub: JumpHub): Promise<ConnectOutcome> {
  try {
    return await connect(spec, { jumpHub: hub });
  } catch (e) {
    if (e instanceof UnreachableError) return e;
    // A user error about this host's settings (bad ssh config, bad port): the host is unreachable for that reason.
    if (e instanceof SamsError) return new UnreachableError(spec.name, e.message, e.hint);
    throw e;
  }
}
