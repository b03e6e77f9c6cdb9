// The terminal reporter: Ansible's layout in Ansible's colours, banners as wide as the terminal,
// and a progress line redrawn in place while a task runs on several hosts.

import type { EngineEvent, Reporter } from '../engine/events.js';
import { progressLine, type TaskProgress } from './progress.js';
import { writeLines, writeText } from './sink.js';
import { TextRenderer } from './text-renderer.js';

export interface TtyOptions {
  out: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  verbosity: number;
  diff: boolean;
  check: boolean;
  color: boolean;
  cwd?: string;
  /** Show the progress line once a task has run this long (ms); only "long" tasks get one. */
  progressDelayMs?: number;
  /** How often the progress line is redrawn (ms). */
  progressTickMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[K';
const DEFAULT_WIDTH = 80;

export class TtyReporter implements Reporter {
  private readonly renderer: TextRenderer;
  private progress: TaskProgress | undefined;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: TtyOptions) {
    this.now = opts.now ?? Date.now;
    this.renderer = new TextRenderer({ ...opts, width: () => this.width() });
  }

  private width(): number {
    const cols = (this.opts.out as { columns?: number }).columns;
    return typeof cols === 'number' && cols > 0 ? cols : DEFAULT_WIDTH;
  }

  emit(e: EngineEvent): void {
    this.track(e);
    const chunks = this.renderer.render(e);
    if (chunks.length) {
      this.clearProgress();
      for (const c of chunks) writeLines(c.stream === 'err' ? (this.opts.err ?? this.opts.out) : this.opts.out, c.lines);
    }
    this.drawProgress();
  }

  close(): void {
    this.stopProgress();
  }

  /** Follow the running task: hosts in task_start, one done per host_result, or the engine's progress events. */
  private track(e: EngineEvent): void {
    switch (e.type) {
      case 'task_start':
        this.stopProgress();
        if (e.hosts.length > 1) this.startProgress({ taskId: e.task.id, name: e.task.name, isHandler: e.task.isHandler, done: 0, total: e.hosts.length, startedAt: this.now() });
        break;
      case 'host_result':
        if (this.progress?.taskId === e.task.id) {
          this.progress.done++;
          if (this.progress.done >= this.progress.total) this.stopProgress();
        }
        break;
      case 'progress':
        if (this.progress?.taskId === e.task.id) {
          this.progress.done = e.done;
          this.progress.total = e.total;
          if (e.done >= e.total) this.stopProgress();
        } else if (e.total > 1 && e.done < e.total) {
          this.stopProgress();
          this.startProgress({ taskId: e.task.id, name: e.task.name, isHandler: e.task.isHandler, done: e.done, total: e.total, startedAt: this.now() });
        }
        break;
      case 'play_end':
      case 'recap':
        this.stopProgress();
        break;
      default:
        break;
    }
  }

  private startProgress(p: TaskProgress): void {
    this.progress = p;
    this.timer = setInterval(() => this.drawProgress(), this.opts.progressTickMs ?? 1000);
    // The redraw timer must never keep the process alive.
    this.timer.unref();
  }

  private stopProgress(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.progress = undefined;
    this.clearProgress();
  }

  private drawProgress(): void {
    const p = this.progress;
    if (!p || p.done >= p.total) return;
    const now = this.now();
    if (now - p.startedAt < (this.opts.progressDelayMs ?? 1000)) return;
    writeText(this.opts.out, CLEAR_LINE + progressLine(p, now, this.width()));
    this.shown = true;
  }

  private clearProgress(): void {
    if (!this.shown) return;
    writeText(this.opts.out, CLEAR_LINE);
    this.shown = false;
  }
}
