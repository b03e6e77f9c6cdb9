// Test helpers: builders for engine events, and a stream that records what reporters write.

import { Writable } from 'node:stream';
import type { EngineEvent, TaskInfo } from '../../../src/engine/events.js';
import type { HostStats, ItemResult, TaskResult } from '../../../src/engine/result.js';

export const PB = '/srv/site/site.yml';

export function task(name: string, over: Partial<TaskInfo> = {}): TaskInfo {
  return { name, action: 'command', loc: { file: PB, line: 12, col: 7 }, isHandler: false, id: `${PB}:12:7`, noLog: false, ...over };
}

export function hostResult(host: string, t: TaskInfo, result: TaskResult): EngineEvent {
  return { type: 'host_result', host, task: t, result };
}

export function itemResult(host: string, t: TaskInfo, result: Omit<ItemResult, 'loopVar'> & { loopVar?: string }): EngineEvent {
  return { type: 'item_result', host, task: t, result: { loopVar: 'item', ...result } };
}

export function stats(over: Partial<HostStats> = {}): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...over };
}

export function recap(over: Partial<Extract<EngineEvent, { type: 'recap' }>> = {}): EngineEvent {
  return { type: 'recap', stats: {}, pending: {}, elapsedMs: 0, plays: [], slowest: [], changedWhileChecking: false, ...over };
}

/** Our own output sink for tests: keeps every write, in order, with the time it happened. */
export class RecordingStream extends Writable {
  readonly writes: { text: string; at: number }[] = [];
  isTTY = false;
  columns: number | undefined;
  constructor(opts: { tty?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = opts.tty ?? false;
    this.columns = opts.columns;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writes.push({ text: chunk.toString(), at: Date.now() });
    cb();
  }
  get text(): string {
    return this.writes.map((w) => w.text).join('');
  }
}
