// --diff output: unified diffs as Ansible prints them (callback/__init__.py _get_diff), and one-line
// notes for diffs the engine chose not to compute.

import { structuredPatch } from 'diff';
import type { Diff } from '../modules/types.js';
import { redact } from '../secret.js';
import { paint } from './color.js';

/** Ansible's DIFF_CONTEXT default. */
const CONTEXT = 3;

const SKIPPED_NOTE: Record<'binary' | 'too large' | 'secret', string> = {
  binary: 'binary file, diff not shown',
  'too large': 'file too large for a diff',
  secret: 'content hidden: contains vault values',
};

/** Python difflib's range format: `5` for one line, `4,0` (start - 1) for none, else `5,3`. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  if (count === 0) return `${start - 1},0`;
  return `${start},${count}`;
}

/**
 * Diffs of secret content that --show-secrets with the task's diff: true asked for (marked by
 * writeDiff). Their whole texts are registered secrets, so redacting before diffing would turn
 * them into one `+********` line; they are diffed as they are, and the output sink still masks
 * the registered secret texts (vault values) on each printed line.
 */
const secretsShown = new WeakSet<Diff>();

export function markSecretsShown(d: Diff): Diff {
  secretsShown.add(d);
  return d;
}

/**
 * Lines for one diff; empty when before and after are equal. The texts are redacted before
 * diffing, so a secret never straddles the `+`/`-` prefixes or the colour codes.
 */
export function renderDiff(d: Diff, color: boolean): string[] {
  if ('skipped' in d) {
    const note = SKIPPED_NOTE[d.skipped] ?? `diff not shown (${String(d.skipped)})`;
    const summary = d.summary && d.summary !== note ? ` (${d.summary})` : '';
    return [`diff skipped: ${d.target}: ${note}${summary}`];
  }
  const shown = secretsShown.has(d);
  const before = shown ? d.before : redact(d.before);
  const after = shown ? d.after : redact(d.after);
  if (before === after) return [];
  const patch = structuredPatch(d.target, d.target, before, after, undefined, undefined, { context: CONTEXT });
  if (!patch.hunks.length) return [];
  const out = [paint(`--- before: ${d.target}`, 'red', color), paint(`+++ after: ${d.target}`, 'green', color)];
  for (const h of patch.hunks) {
    out.push(paint(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, 'cyan', color));
    for (const raw of h.lines) {
      const line = shown ? redact(raw) : raw;
      if (line.startsWith('+')) out.push(paint(line, 'green', color));
      else if (line.startsWith('-')) out.push(paint(line, 'red', color));
      else out.push(line);
    }
  }
  return out;
}

/** Every diff of a result, each followed by a blank line as Ansible does. */
export function renderDiffs(diffs: Diff[] | undefined, color: boolean): string[] {
  const out: string[] = [];
  for (const d of diffs ?? []) {
    const lines = renderDiff(d, color);
    if (lines.length) out.push(...lines, '');
  }
  return out;
}
