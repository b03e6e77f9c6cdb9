// Formats user errors as `file:line:col: message`, the source line with a caret, and a hint.

import { Chalk } from 'chalk';
import { formatLoc, SamsError, SamsErrors } from '../errors.js';
import { sourceLine } from '../load/yaml.js';
import { redact } from '../secret.js';

export interface RenderErrorOptions {
  color?: boolean;
  /** Paths are shown relative to this directory when under it. */
  cwd?: string;
}


/** One error as text lines (no trailing newline). Secrets are masked. */
export function renderError(e: SamsError, opts: RenderErrorOptions = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines: string[] = [];
  const where = e.loc ? formatLoc(e.loc, opts.cwd) + ': ' : e.host ? `${e.host}: ` : '';
  lines.push(c.red(`${where}${e.message}`));
  if (e.loc && e.showSource) {
    const src = sourceLine(e.loc.file, e.loc.line);
    if (src !== undefined) {
      const num = String(e.loc.line);
      lines.push(`  ${c.dim(num + ' |')} ${src}`);
      lines.push(`  ${' '.repeat(num.length)} ${c.dim('|')} ${' '.repeat(Math.max(0, e.loc.col - 1))}${c.red('^')}`);
    }
  }
  if (e.hint) lines.push(`  ${c.cyan('hint:')} ${e.hint}`);
  return redact(lines.join('\n'));
}

export function renderErrors(e: SamsError | SamsErrors, opts: RenderErrorOptions = {}): string {
  const list = e instanceof SamsErrors ? e.errors : [e];
  const body = list.map((x) => renderError(x, opts)).join('\n');
  return list.length > 1 ? `${body}\n${list.length} problems found; nothing was run.` : body;
}
