// Engine events to text lines for the tty, plain and log-file reporters. No I/O: each event gives
// chunks of lines and the stream they belong on; the reporters write them.

import type { EngineEvent, TaskInfo } from '../engine/events.js';
import { paint } from './color.js';
import { banner, displayLoc, displayPath } from './layout.js';
import { renderAnsibleRecap, renderRecapExtras } from './render-recap.js';
import { renderHostResult, renderItemResult, shortAction, type ResultStyle } from './render-result.js';

export interface TextStyle extends ResultStyle {
  /** Banner width, read at each banner (a terminal may be resized). */
  width: () => number;
}

/** Lines (each without a newline) for one stream; warnings go to stderr as Ansible's do. */
export interface Chunk {
  stream: 'out' | 'err';
  lines: string[];
}

function isMeta(task: TaskInfo): boolean {
  return shortAction(task.action) === 'meta';
}

export class TextRenderer {
  /** Task whose banner was printed last: results of another task re-print theirs (free strategy). */
  private bannerTask: string | undefined;
  /** A task banner with nothing printed under it yet (several task_start for one task under free). */
  private openBanner: string | undefined;

  constructor(private readonly st: TextStyle) {}

  render(e: EngineEvent): Chunk[] {
    // Renderers may join lines; chunks hold single lines (the log file prefixes each one).
    return this.lines(e)
      .filter((c) => c.lines.length > 0)
      .map((c) => ({ stream: c.stream, lines: c.lines.flatMap((l) => l.split('\n')) }));
  }

  private lines(e: EngineEvent): Chunk[] {
    const st = this.st;
    switch (e.type) {
      case 'playbook_start':
        return st.verbosity >= 2 ? [this.out(['', banner(`PLAYBOOK: ${displayPath(e.file, st.cwd)}`, st.width())])] : [];
      case 'play_start': {
        this.bannerTask = undefined;
        this.openBanner = undefined;
        const batch = e.batch ? ` (batch ${e.batch.index}/${e.batch.count})` : '';
        const check = st.check ? ' [CHECK MODE]' : '';
        return [this.out(['', banner(`PLAY [${e.name}]${batch}${check}`, st.width())])];
      }
      case 'task_start':
        // Ansible shows no banner for meta tasks (flush_handlers, end_play...).
        if (this.openBanner === e.task.id || isMeta(e.task)) return [];
        return [this.out(this.taskBanner(e.task))];
      case 'host_result':
        if (isMeta(e.task) && e.result.status === 'ok') return st.verbosity >= 2 ? [this.out([paint(`META: ${e.result.msg ?? ''} for ${e.host}`, 'blue', st.color)])] : [];
        return this.result(e.task, renderHostResult(e.host, e.task, e.result, st));
      case 'item_result':
        return this.result(e.task, renderItemResult(e.host, e.task, e.result, st));
      case 'progress':
        return [];
      case 'warning': {
        const where = e.loc ? `${displayLoc(e.loc, st.cwd)}: ` : '';
        const host = e.host ? `[${e.host}] ` : '';
        return [{ stream: 'err', lines: [paint(`[WARNING]: ${where}${host}${e.message}`, 'brightPurple', st.color)] }];
      }
      case 'debug':
        return e.level <= st.verbosity ? [this.out([paint(e.message, 'blue', st.color)])] : [];
      case 'pending_handlers':
        // Handlers kept after a failure are listed in the recap; here only those replayed from a past run.
        if (!e.replayed || !e.handlers.length) return [];
        return [this.out([paint(`pending handlers from an earlier run on ${e.host}: ${e.handlers.join(', ')} (they run in this play)`, 'brightPurple', st.color)])];
      case 'play_end':
        return [];
      case 'recap':
        return [this.out([...renderAnsibleRecap(e.stats, st.width(), st.color), ...renderRecapExtras(e, st)])];
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }

  private out(lines: string[]): Chunk {
    return { stream: 'out', lines };
  }

  private taskBanner(task: TaskInfo): string[] {
    this.bannerTask = task.id;
    this.openBanner = task.id;
    const lines = ['', banner(`${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${task.name}]`, this.st.width())];
    if (this.st.verbosity >= 2) lines.push(`task path: ${displayLoc(task.loc, this.st.cwd)}`);
    return lines;
  }

  private result(task: TaskInfo, lines: string[]): Chunk[] {
    if (!lines.length) return [];
    const head = this.bannerTask === task.id ? [] : this.taskBanner(task);
    this.openBanner = undefined;
    return [this.out([...head, ...lines])];
  }
}
