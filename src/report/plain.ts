// The plain reporter, for runs whose stdout is not a terminal (cron, pipes): the tty layout with
// no colour, no progress redraws and banners at a fixed 80 columns.

import type { EngineEvent, Reporter } from '../engine/events.js';
import { writeLines } from './sink.js';
import { TextRenderer } from './text-renderer.js';

export interface PlainOptions {
  out: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  verbosity: number;
  diff: boolean;
  check: boolean;
  cwd?: string;
}

/** Ansible's banner width when stdout is not a terminal. */
export const PLAIN_WIDTH = 80;

export class PlainReporter implements Reporter {
  private readonly renderer: TextRenderer;

  constructor(private readonly opts: PlainOptions) {
    this.renderer = new TextRenderer({ ...opts, color: false, width: () => PLAIN_WIDTH });
  }

  emit(e: EngineEvent): void {
    for (const c of this.renderer.render(e)) writeLines(c.stream === 'err' ? (this.opts.err ?? this.opts.out) : this.opts.out, c.lines);
  }
}
