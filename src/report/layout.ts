// Text layout shared by the line-based reporters: banners, paths, durations, indented values.

import { relative, sep } from 'node:path';
import type { SourceLoc } from '../errors.js';
import { redactedJsonValue } from './redact-value.js';

/** Ansible's banner (display.py banner): `TEXT ***...` filling the width, at least 3 stars. */
export function banner(text: string, width: number): string {
  const msg = text.trim();
  const stars = Math.max(3, width - msg.length - 1);
  return `${msg} ${'*'.repeat(stars)}`;
}

/** A path relative to cwd when it lies inside it (shorter lines); otherwise as given. */
export function displayPath(file: string, cwd: string | undefined): string {
  if (!cwd || !file.startsWith(cwd.endsWith(sep) ? cwd : cwd + sep)) return file;
  return relative(cwd, file);
}

export function displayLoc(loc: SourceLoc, cwd: string | undefined): string {
  return `${displayPath(loc.file, cwd)}:${loc.line}`;
}

/** 0.4s, 12.3s, 2m05s, 1h02m03s. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}h${mm}m${ss}s` : `${m}m${ss}s`;
}

/**
 * `  key: value` for a one-line value; a block (`  key: |` then the lines further indented) for
 * a multi-line one, so long outputs stay readable and greppable.
 */
export function keyValueLines(key: string, value: string, indent = '  '): string[] {
  const text = value.replace(/\n$/, '');
  if (!text.includes('\n')) return [`${indent}${key}: ${text}`];
  return [`${indent}${key}: |`, ...text.split('\n').map((l) => `${indent}  ${l}`)];
}

/** The last `n` lines of a text, and how many there were. */
export function tailLines(text: string, n: number): { lines: string[]; total: number } {
  const all = text.replace(/\n$/, '').split('\n');
  return { lines: all.slice(-n), total: all.length };
}

/**
 * JSON as Ansible's default callback dumps it for debug (indent 4, sorted keys), redacted value
 * by value; Secret objects print as the mask, and cycles and bigints do not throw.
 */
export function displayJson(value: unknown, indent = 4): string {
  return JSON.stringify(redactedJsonValue(value, { sortKeys: true }), null, indent) ?? 'null';
}
