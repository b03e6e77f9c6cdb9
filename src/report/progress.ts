// The live progress line of the tty reporter: `[3/10 hosts done, 12s] TASK [name]`, redrawn in
// place while a task runs on several hosts. The text is pure; the tty reporter does the drawing.

import { redact } from '../secret.js';
import { formatDuration } from './layout.js';

export interface TaskProgress {
  taskId: string;
  name: string;
  isHandler: boolean;
  done: number;
  total: number;
  startedAt: number;
}

/**
 * One line that fits the terminal (a wrapped line could not be redrawn with `\r`). The name is
 * redacted before it is cut, so a cut never leaves part of a secret.
 */
export function progressLine(p: TaskProgress, now: number, width: number): string {
  const what = `${p.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${redact(p.name)}]`;
  const line = `[${p.done}/${p.total} hosts done, ${formatDuration(now - p.startedAt)}] ${what}`;
  const max = Math.max(10, width - 1);
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
