// The local connection (connection: local, implicit localhost): the same contract with child processes.

import { spawn } from 'node:child_process';
import { InternalError } from '../errors.js';
import type { Secret } from '../secret.js';
import { BaseConnection } from './base-connection.js';
import type { RawProcess } from './run-exec.js';

/** Grace between TERM and KILL when a command times out. */
const KILL_GRACE_MS = 250;

export class LocalConnection extends BaseConnection {
  readonly kind = 'local' as const;
  #closed = false;

  constructor(name: string, becomePassword?: string | Secret) {
    super(name, becomePassword);
  }

  protected async spawn(script: string, _opts: { killable: boolean }): Promise<RawProcess> {
    if (this.#closed) throw new InternalError(`exec on ${this.name} after close()`);
    // detached: its own process group (and session, so sudo cannot prompt on our terminal), so a
    // timeout kills the command and everything it started.
    const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const done = new Promise<{ code: number | null; signal?: string }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal ? { code, signal } : { code }));
    });
    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      done,
      pgid: () => child.pid,
      kill: () => {
        group('SIGTERM');
        setTimeout(() => group('SIGKILL'), KILL_GRACE_MS).unref();
        child.stdout.destroy();
        child.stderr.destroy();
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
