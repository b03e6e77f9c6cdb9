// Reporters turn the engine's events into output: tty (a terminal), plain (cron, pipes), json
// (--json), and the log file. The CLI picks the format.

import type { Reporter } from '../engine/events.js';
import { JsonReporter } from './json.js';
import { LogFileReporter, type LogFileOptions } from './log-file.js';
import { PlainReporter } from './plain.js';
import { TtyReporter } from './tty.js';

export type { Reporter } from '../engine/events.js';
export { fanOut } from '../engine/events.js';
export { JsonReporter, jsonEvent, resultJson } from './json.js';
export { LogFileReporter, logPrefix } from './log-file.js';
export { PlainReporter } from './plain.js';
export { TtyReporter } from './tty.js';
export { TextRenderer } from './text-renderer.js';
export { recapLine } from './render-recap.js';

export interface ReporterOptions {
  format: 'tty' | 'plain' | 'json';
  out: NodeJS.WritableStream;
  /** Warnings go here (Ansible writes them to stderr); defaults to `out`. Unused by json. */
  err?: NodeJS.WritableStream;
  verbosity: number;
  diff: boolean;
  check: boolean;
  /** tty only; default on unless NO_COLOR is set. Plain and json never colour. */
  color?: boolean;
  /** Paths under this directory are shown relative to it. */
  cwd?: string;
}

export function createReporter(opts: ReporterOptions): Reporter {
  switch (opts.format) {
    case 'tty':
      return new TtyReporter({ ...opts, color: opts.color ?? !process.env.NO_COLOR });
    case 'plain':
      return new PlainReporter(opts);
    case 'json':
      return new JsonReporter({ out: opts.out, verbosity: opts.verbosity });
    default: {
      const never: never = opts.format;
      throw new Error(`unknown report format ${String(never)}`);
    }
  }
}

/** Plain lines with Ansible's log timestamps appended to `path` (created 0600). Throws a SamsError if it cannot be opened. */
export function createLogFileReporter(path: string, opts: LogFileOptions): Reporter {
  return new LogFileReporter(path, opts);
}
