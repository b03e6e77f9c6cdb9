// The --json reporter: the documented shape per event, no_log censoring, and one line written
// the moment each event arrives.

import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { CENSORED_MSG } from '../../../src/engine/result.js';
import { createReporter, JsonReporter } from '../../../src/report/index.js';
import { Secret } from '../../../src/secret.js';
import { hostResult, itemResult, PB, RecordingStream, recap, stats, task } from './events.js';

const TIME = new Date('2024-05-01T12:00:00.000Z');
const T = task('install', { action: 'apt' });
const TJ = { name: 'install', action: 'apt', loc: { file: PB, line: 12, col: 7 }, handler: false, id: `${PB}:12:7`, no_log: false };
const LOC = { file: PB, line: 1, col: 3 };

function lines(events: EngineEvent[], verbosity = 0): unknown[] {
  const out = new RecordingStream();
  const r = new JsonReporter({ out, verbosity, now: () => TIME });
  for (const e of events) r.emit(e);
  return out.text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const head = (event: string) => ({ event, time: '2024-05-01T12:00:00.000Z' });

describe('one object per event, in the documented shape', () => {
  it.each<[string, EngineEvent, object]>([
    ['playbook_start', { type: 'playbook_start', file: PB, check: true, diff: false }, { file: PB, check: true, diff: false }],
    ['play_start', { type: 'play_start', name: 'web', hosts: ['a', 'b'], loc: LOC, batch: { index: 1, count: 2 } }, { name: 'web', hosts: ['a', 'b'], loc: LOC, batch: { index: 1, count: 2 } }],
    ['task_start', { type: 'task_start', task: T, hosts: ['a'] }, { task: TJ, hosts: ['a'] }],
    [
      'host_result',
      hostResult('a', T, { status: 'changed', msg: 'm', rc: 0, stdout: 'o', stderr: 'e', note: 'n', attempts: 2, checkOnly: true, delegatedTo: 'b', data: { dest: '/x' }, diff: [{ target: '/x', before: 'a\n', after: 'b\n' }, { target: '/y', skipped: 'too large', summary: 's' }] }),
      { host: 'a', task: TJ, result: { status: 'changed', msg: 'm', rc: 0, stdout: 'o', stderr: 'e', note: 'n', attempts: 2, check_only: true, delegated_to: 'b', data: { dest: '/x' }, diff: [{ target: '/x', before: 'a\n', after: 'b\n' }, { target: '/y', skipped: 'too large', summary: 's' }] } },
    ],
    ['failed host_result', hostResult('a', T, { status: 'failed', msg: 'bad', hint: 'h', ignored: true, changedBeforeFailure: true }), { host: 'a', task: TJ, result: { status: 'failed', msg: 'bad', hint: 'h', ignored: true, changed_before_failure: true } }],
    ['skipped host_result', hostResult('a', T, { status: 'skipped', skipReason: 'Conditional result was False' }), { host: 'a', task: TJ, result: { status: 'skipped', skip_reason: 'Conditional result was False' } }],
    ['loop host_result', hostResult('a', T, { status: 'ok', msg: 'All items completed', items: [{ status: 'ok', item: { n: 1 }, label: '{"n":1}', loopVar: 'pkg' }] }), { host: 'a', task: TJ, result: { status: 'ok', msg: 'All items completed', items: [{ status: 'ok', item: { n: 1 }, label: '{"n":1}', loop_var: 'pkg' }] } }],
    ['item_result', itemResult('a', T, { status: 'changed', item: 'nginx', label: 'nginx' }), { host: 'a', task: TJ, result: { status: 'changed', item: 'nginx', label: 'nginx', loop_var: 'item' } }],
    ['progress', { type: 'progress', task: T, done: 1, total: 4 }, { task: TJ, done: 1, total: 4 }],
    ['warning', { type: 'warning', message: 'careful', host: 'a', loc: LOC }, { message: 'careful', host: 'a', loc: LOC }],
    ['debug', { type: 'debug', level: 1, message: 'exec x' }, { level: 1, message: 'exec x' }],
    ['pending_handlers', { type: 'pending_handlers', host: 'a', handlers: ['restart'], replayed: false }, { host: 'a', handlers: ['restart'], replayed: false }],
    ['play_end', { type: 'play_end', name: 'web', elapsedMs: 1500 }, { name: 'web', elapsed_ms: 1500 }],
    [
      'recap',
      recap({ stats: { a: stats({ ok: 2, changed: 1 }) }, pending: { a: ['restart'] }, elapsedMs: 3000, plays: [{ name: 'web', elapsedMs: 2900 }], slowest: [{ task: 'install', host: 'a', elapsedMs: 2000 }], changedWhileChecking: true }),
      { stats: { a: { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } }, pending: { a: ['restart'] }, elapsed_ms: 3000, plays: [{ name: 'web', elapsed_ms: 2900 }], slowest: [{ task: 'install', host: 'a', elapsed_ms: 2000 }], changed_while_checking: true },
    ],
  ])('%s', (_name, e, fields) => {
    expect(lines([e], 1)).toEqual([{ ...head(e.type), ...fields }]);
  });

  it('leaves out debug events above the verbosity', () => {
    expect(lines([{ type: 'debug', level: 3, message: 'x' }], 2)).toEqual([]);
  });

  it('writes Secret values as the mask', () => {
    const [l] = lines([hostResult('a', T, { status: 'ok', data: { password: new Secret('json-secret-value') } })]) as { result: { data: { password: string } } }[];
    expect(l!.result.data.password).toBe('********');
  });

  it('survives values JSON cannot hold (cycles, bigint, buffers)', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const [l] = lines([hostResult('a', T, { status: 'ok', data: { cyclic, big: 10n, bytes: Buffer.from([0, 1, 2]) } })]) as { result: { data: unknown } }[];
    expect(l!.result.data).toEqual({ cyclic: { a: 1, self: '[Circular]' }, big: '10', bytes: '<3 bytes of binary data>' });
  });
});

describe('no_log results carry only status fields and the censored message', () => {
  it('a censored result drops everything else it holds', () => {
    const [l] = lines([hostResult('a', T, { status: 'failed', censored: true, msg: CENSORED_MSG, ignored: true, stdout: 'LEAK', stderr: 'LEAK', hint: 'LEAK', rc: 1, data: { x: 'LEAK' }, diff: [{ target: '/x', before: 'LEAK', after: 'LEAK2' }] })]);
    expect(l).toEqual({ ...head('host_result'), host: 'a', task: TJ, result: { status: 'failed', censored: true, msg: CENSORED_MSG, ignored: true } });
  });

  it('censored loop items keep only status and the censored label', () => {
    const [l] = lines([
      hostResult('a', T, { status: 'changed', censored: true, msg: CENSORED_MSG, items: [{ status: 'changed', censored: true, msg: CENSORED_MSG, item: 'LEAK', label: 'LEAK', loopVar: 'item', stdout: 'LEAK' }] }),
    ]);
    expect(JSON.stringify(l)).not.toContain('LEAK');
    expect((l as { result: { items: unknown[] } }).result.items).toEqual([{ status: 'changed', censored: true, msg: CENSORED_MSG, label: '(censored due to no_log)', loop_var: 'item' }]);
  });

  it('a censored item_result likewise', () => {
    const [l] = lines([itemResult('a', T, { status: 'ok', censored: true, msg: CENSORED_MSG, item: 'LEAK', label: 'LEAK', data: { v: 'LEAK' } })]);
    expect(JSON.stringify(l)).not.toContain('LEAK');
  });
});

describe('streaming', () => {
  it('writes each event at once, as one complete line', () => {
    const out = new RecordingStream();
    const r = createReporter({ format: 'json', out, verbosity: 0, diff: true, check: false });
    const events: EngineEvent[] = [
      { type: 'playbook_start', file: PB, check: false, diff: true },
      { type: 'play_start', name: 'web', hosts: ['a'], loc: LOC },
      { type: 'task_start', task: T, hosts: ['a'] },
      hostResult('a', T, { status: 'ok' }),
      { type: 'play_end', name: 'web', elapsedMs: 1 },
      recap({ stats: { a: stats({ ok: 1 }) } }),
    ];
    events.forEach((e, i) => {
      r.emit(e);
      // Recorded before emit returns: nothing is held back for the end of the run.
      expect(out.writes).toHaveLength(i + 1);
      const w = out.writes[i]!.text;
      expect(w.endsWith('\n')).toBe(true);
      expect(w.slice(0, -1)).not.toContain('\n');
      expect(JSON.parse(w)).toMatchObject({ event: e.type });
    });
  });

  it('keeps multi-line text inside one line', () => {
    const out = new RecordingStream();
    createReporter({ format: 'json', out, verbosity: 0, diff: false, check: false }).emit(hostResult('a', T, { status: 'ok', stdout: 'a\nb\n' }));
    expect(out.text.split('\n')).toHaveLength(2);
    expect(JSON.parse(out.text).result.stdout).toBe('a\nb\n');
  });
});
