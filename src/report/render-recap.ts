// The PLAY RECAP in exactly ansible-playbook's format (cron wrappers parse it), then sams' own
// lines: handlers kept for the next run, check-mode verdict, elapsed times, slowest tasks.

import type { EngineEvent } from '../engine/events.js';
import type { HostStats } from '../engine/result.js';
import { paint, type ColorName } from './color.js';
import { banner, formatDuration } from './layout.js';

type RecapEvent = Extract<EngineEvent, { type: 'recap' }>;

/** utils/color.py colorize: `lead=%-4s`, coloured only when non-zero. */
function field(lead: string, n: number, color: ColorName, on: boolean): string {
  const s = `${lead}=${String(n).padEnd(4)}`;
  return n !== 0 ? paint(s, color, on) : s;
}

/**
 * utils/color.py hostcolor: `%-26s` plain; coloured it is `%-37s` of the escaped name (the 11
 * escape characters count toward the padding), which we reproduce literally.
 */
function hostField(host: string, s: HostStats, on: boolean): string {
  if (!on) return host.padEnd(26);
  const color: ColorName = s.failed !== 0 || s.unreachable !== 0 ? 'red' : s.changed !== 0 ? 'yellow' : 'green';
  return paint(host, color, true).padEnd(37);
}

/** One host's recap line (default callback v2_playbook_on_stats). */
export function recapLine(host: string, s: HostStats, color: boolean): string {
  return [
    `${hostField(host, s, color)} :`,
    field('ok', s.ok, 'green', color),
    field('changed', s.changed, 'yellow', color),
    field('unreachable', s.unreachable, 'brightRed', color),
    field('failed', s.failed, 'red', color),
    field('skipped', s.skipped, 'cyan', color),
    field('rescued', s.rescued, 'green', color),
    field('ignored', s.ignored, 'brightPurple', color),
  ].join(' ');
}

/** Ansible's block: blank line, banner, hosts sorted by name, blank line. */
export function renderAnsibleRecap(stats: Record<string, HostStats>, width: number, color: boolean): string[] {
  const hosts = Object.keys(stats).sort();
  return ['', banner('PLAY RECAP', width), ...hosts.map((h) => recapLine(h, stats[h]!, color)), ''];
}

/** sams' additions after Ansible's recap. */
export function renderRecapExtras(e: RecapEvent, opts: { color: boolean; check: boolean }): string[] {
  const out: string[] = [];
  for (const host of Object.keys(e.pending).sort()) {
    const names = e.pending[host]!;
    if (!names.length) continue;
    out.push(paint(`pending handlers on ${host}: ${names.join(', ')} (kept for the next run; --clear-pending to drop)`, 'brightPurple', opts.color));
  }
  if (opts.check && e.changedWhileChecking) {
    out.push(paint('check mode: changes would be made (nothing was changed; run without --check to apply)', 'yellow', opts.color));
  }
  const rows: [string, string][] = [...e.plays.map((p): [string, string] => [formatDuration(p.elapsedMs), `play "${p.name}"`]), [formatDuration(e.elapsedMs), 'total']];
  out.push('elapsed:', ...aligned(rows));
  const slowest = e.slowest.slice(0, 5);
  if (slowest.length) out.push('slowest tasks:', ...aligned(slowest.map((t): [string, string] => [formatDuration(t.elapsedMs), `[${t.host}] ${t.task}`])));
  return out;
}

/** Durations right-aligned in a column. */
function aligned(rows: [string, string][]): string[] {
  const w = Math.max(...rows.map(([d]) => d.length));
  return rows.map(([d, text]) => `  ${d.padStart(w)}  ${text}`);
}
