// Typed events the engine emits as it runs; reporters render them. The engine never prints.

import type { SourceLoc } from '../errors.js';
import type { HostStats, ItemResult, TaskResult } from './result.js';

export interface TaskInfo {
  /** Display name: the task's name, or the module name. Role tasks are "role : name". */
  name: string;
  action: string;
  loc: SourceLoc;
  isHandler: boolean;
  id: string;
  /** The task's own no_log (results are censored before events are emitted). */
  noLog: boolean;
}

export type EngineEvent =
  | { type: 'playbook_start'; file: string; check: boolean; diff: boolean }
  | { type: 'play_start'; name: string; hosts: string[]; loc: SourceLoc; batch?: { index: number; count: number } }
  | { type: 'task_start'; task: TaskInfo; hosts: string[] }
  | { type: 'item_result'; host: string; task: TaskInfo; result: ItemResult }
  | { type: 'host_result'; host: string; task: TaskInfo; result: TaskResult }
  | { type: 'progress'; task: TaskInfo; done: number; total: number }
  | { type: 'warning'; message: string; host?: string; loc?: SourceLoc }
  | { type: 'debug'; level: number; message: string }
  | { type: 'pending_handlers'; host: string; handlers: string[]; replayed: boolean }
  | { type: 'play_end'; name: string; elapsedMs: number }
  | {
      type: 'recap';
      stats: Record<string, HostStats>;
      /** Handlers notified on hosts that failed before the flush, kept for the next run. */
      pending: Record<string, string[]>;
      elapsedMs: number;
      plays: { name: string; elapsedMs: number }[];
      slowest: { task: string; host: string; elapsedMs: number }[];
      changedWhileChecking: boolean;
    };

export interface Reporter {
  emit(e: EngineEvent): void;
  /** Called once at the end; flush buffers. */
  close?(): void | Promise<void>;
}

/** Fans events out to several reporters (screen and log file). */
export function fanOut(...reporters: Reporter[]): Reporter {
  return {
    emit: (e) => reporters.forEach((r) => r.emit(e)),
    close: async () => {
      for (const r of reporters) await r.close?.();
    },
  };
}
