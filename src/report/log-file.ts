// The log-file reporter (Ansible's log_path): the plain layout, each line prefixed with a
// timestamp and appended to a file created with mode 0600.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { EngineEvent, Reporter } from '../engine/events.js';
import { SamsError } from '../errors.js';
import { redact } from '../secret.js';
import { PLAIN_WIDTH } from './plain.js';
import { TextRenderer } from './text-renderer.js';

export interface LogFileOptions {
  verbosity: number;
  /** Log diffs as --diff shows them (Ansible's log holds what the screen shows). */
  diff?: boolean;
  check?: boolean;
  cwd?: string;
  now?: () => Date;
}

/** Ansible's logging format: `2024-05-01 12:00:00,123 p=PID u=USER n=ansible | `. */
export function logPrefix(d: Date, pid: number, user: string): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
  const time = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())},${String(d.getMilliseconds()).padStart(3, '0')}`;
  return `${date} ${time} p=${pid} u=${user} n=sams | `;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

export class LogFileReporter implements Reporter {
  private fd: number | undefined;
  private readonly renderer: TextRenderer;
  private readonly user = currentUser();

  constructor(
    readonly path: string,
    private readonly opts: LogFileOptions,
  ) {
    try {
      // The mode applies when the file is created; an existing log keeps the mode its owner chose.
      this.fd = openSync(path, 'a', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new SamsError(`cannot open the log file ${path}: ${code}`, { hint: 'create its directory, or change log_file in sams.yml (log_path in ansible.cfg)', cause: e });
    }
    this.renderer = new TextRenderer({ verbosity: opts.verbosity, diff: opts.diff ?? false, check: opts.check ?? false, cwd: opts.cwd, color: false, width: () => PLAIN_WIDTH });
  }

  emit(e: EngineEvent): void {
    if (this.fd === undefined) return;
    const chunks = this.renderer.render(e);
    if (!chunks.length) return;
    const prefix = logPrefix(this.opts.now?.() ?? new Date(), process.pid, this.user);
    const text = chunks.flatMap((c) => c.lines.map((l) => prefix + l)).join('\n') + '\n';
    // Synchronous: the log keeps every line written before a crash.
    writeSync(this.fd, redact(text));
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // fsync is not supported on every file (pipes, /dev/null); the data is written anyway.
    }
    closeSync(this.fd);
    this.fd = undefined;
  }
}
