// The terminal reporter: Ansible's colours (escape codes as ansible-playbook writes them), banner
// width from the terminal, and the progress line redrawn in place.

import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { stripColor } from '../../../src/report/color.js';
import { createReporter, TtyReporter } from '../../../src/report/index.js';
import { progressLine } from '../../../src/report/progress.js';
import { hostResult, itemResult, RecordingStream, task } from './events.js';

const T = task('install packages');
const DBG = task('show', { action: 'debug', id: 'dbg' });
const INC = task('include_tasks', { action: 'include_tasks', id: 'inc' });

function tty(events: EngineEvent[], opts: { columns?: number; diff?: boolean; verbosity?: number } = {}) {
  const out = new RecordingStream({ tty: true, columns: opts.columns ?? 80 });
  const err = new RecordingStream({ tty: true, columns: opts.columns ?? 80 });
  const r = createReporter({ format: 'tty', out, err, verbosity: opts.verbosity ?? 0, diff: opts.diff ?? false, check: false, color: true });
  for (const e of events) r.emit(e);
  void r.close?.();
  return { out: out.text, err: err.text };
}

// Escapes copied from ansible-playbook output with ANSIBLE_FORCE_COLOR=1.
describe('colours are Ansible’s', () => {
  it.each<[string, EngineEvent, string]>([
    ['ok is green', hostResult('h', T, { status: 'ok' }), '\x1b[0;32mok: [h]\x1b[0m\n'],
    ['changed is yellow', hostResult('h', T, { status: 'changed' }), '\x1b[0;33mchanged: [h]\x1b[0m\n'],
    ['skipping is cyan', hostResult('h', T, { status: 'skipped' }), '\x1b[0;36mskipping: [h]\x1b[0m\n'],
    ['failed is red, ...ignoring cyan', hostResult('h', T, { status: 'failed', msg: 'boom', ignored: true }), '\x1b[0;31mfailed: [h]: boom\x1b[0m\n\x1b[0;36m...ignoring\x1b[0m\n'],
    ['unreachable is bright red', hostResult('h', T, { status: 'unreachable', msg: 'refused' }), '\x1b[1;31munreachable: [h]: refused\x1b[0m\n'],
    ['included is cyan', hostResult('h', INC, { status: 'ok', msg: 'included: /x.yml' }), '\x1b[0;36mincluded: /x.yml for h\x1b[0m\n'],
    ['loop items take their status colour', itemResult('h', T, { status: 'changed', item: 'a', label: 'a' }), '\x1b[0;33mchanged: [h] => (item=a)\x1b[0m\n'],
    ['debug output is green line by line', hostResult('h', DBG, { status: 'ok', data: { msg: 'hi' } }), '\x1b[0;32mok: [h] => {\x1b[0m\n\x1b[0;32m    "msg": "hi"\x1b[0m\n\x1b[0;32m}\x1b[0m\n'],
  ])('%s', (_name, e, expected) => {
    const { out } = tty([e]);
    expect(out.slice(out.indexOf('\n', 1) + 1)).toBe(expected);
  });

  it('failure details are red with the status line', () => {
    const { out } = tty([hostResult('h', T, { status: 'failed', msg: 'bad', rc: 1, stderr: 'oops', hint: 'fix it' })]);
    expect(out).toContain('\x1b[0;31mfailed: [h]: bad (rc=1)\x1b[0m\n\x1b[0;31m  stderr: oops\x1b[0m\n\x1b[0;31m  hint: fix it\x1b[0m\n');
  });

  it('warnings are bright purple on stderr', () => {
    expect(tty([{ type: 'warning', message: 'careful' }]).err).toBe('\x1b[1;35m[WARNING]: careful\x1b[0m\n');
  });

  it('verbose debug events are blue', () => {
    expect(tty([{ type: 'debug', level: 1, message: 'hello' }], { verbosity: 1 }).out).toBe('\x1b[0;34mhello\x1b[0m\n');
  });

  it('diff lines are red, green and cyan', () => {
    const { out } = tty([hostResult('h', T, { status: 'changed', diff: [{ target: '/etc/motd', before: 'old\n', after: 'new\n' }] })], { diff: true });
    expect(out).toContain('\x1b[0;31m--- before: /etc/motd\x1b[0m\n\x1b[0;32m+++ after: /etc/motd\x1b[0m\n\x1b[0;36m@@ -1 +1 @@\x1b[0m\n\x1b[0;31m-old\x1b[0m\n\x1b[0;32m+new\x1b[0m\n\n\x1b[0;33mchanged: [h]\x1b[0m\n');
  });

  it('banners are not coloured', () => {
    const { out } = tty([{ type: 'task_start', task: T, hosts: ['h'] }]);
    expect(out).toBe(`\nTASK [install packages] ${'*'.repeat(56)}\n`);
  });

  it('color: false gives the plain text', () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    createReporter({ format: 'tty', out, verbosity: 0, diff: false, check: false, color: false }).emit(hostResult('h', T, { status: 'ok' }));
    expect(out.text).not.toContain('\x1b');
  });
});

describe('banner width', () => {
  it('fills the terminal width', () => {
    const line = tty([{ type: 'task_start', task: T, hosts: ['h'] }], { columns: 120 }).out.split('\n')[1]!;
    expect(line.length).toBe(120);
    expect(line).toMatch(/^TASK \[install packages\] \*+$/);
  });

  it('is 80 when the width is unknown', () => {
    const out = new RecordingStream({ tty: true });
    createReporter({ format: 'tty', out, verbosity: 0, diff: false, check: false, color: false }).emit({ type: 'task_start', task: T, hosts: ['h'] });
    expect(out.text.split('\n')[1]!.length).toBe(80);
  });

  it('keeps at least three stars for a long name', () => {
    const long = task('x'.repeat(100));
    expect(tty([{ type: 'task_start', task: long, hosts: ['h'] }]).out).toContain(`TASK [${'x'.repeat(100)}] ***\n`);
  });
});

describe('progress line', () => {
  let reporter: TtyReporter | undefined;
  afterEach(() => reporter?.close());

  const hosts = ['web1', 'web2', 'web3'];
  function progressReporter(out: RecordingStream, now: () => number) {
    reporter = new TtyReporter({ out, verbosity: 0, diff: false, check: false, color: false, progressDelayMs: 1000, progressTickMs: 5, now });
    return reporter;
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('renders done/total, elapsed time and the task', () => {
    expect(progressLine({ taskId: 'x', name: 'install', isHandler: false, done: 3, total: 10, startedAt: 0 }, 12_300, 80)).toBe('[3/10 hosts done, 12.3s] TASK [install]');
  });

  it('is cut to the terminal width so it can be redrawn', () => {
    const line = progressLine({ taskId: 'x', name: 'y'.repeat(200), isHandler: true, done: 0, total: 2, startedAt: 0 }, 0, 60);
    expect(line.length).toBe(59);
    expect(line.endsWith('...')).toBe(true);
  });

  it('appears for a long task on several hosts, is redrawn in place, and goes when all are done', async () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    let clock = 0;
    const r = progressReporter(out, () => clock);
    r.emit({ type: 'task_start', task: T, hosts });
    await sleep(30);
    expect(out.text).not.toContain('hosts done'); // not yet "long"
    clock = 2000;
    await sleep(30);
    expect(out.text).toContain('\r\x1b[K[0/3 hosts done, 2.0s] TASK [install packages]');
    r.emit(hostResult('web1', T, { status: 'ok' }));
    // The line is cleared, the result printed on its own line, and the progress redrawn under it.
    expect(out.text).toContain('\r\x1b[Kok: [web1]\n\r\x1b[K[1/3 hosts done, 2.0s] TASK [install packages]');
    r.emit(hostResult('web2', T, { status: 'ok' }));
    r.emit(hostResult('web3', T, { status: 'ok' }));
    const after = out.writes.length;
    expect(out.text.endsWith('ok: [web3]\n')).toBe(true);
    clock = 5000;
    await sleep(30);
    expect(out.writes.length).toBe(after); // no redraw once every host is done
  });

  it('is not shown for a task on one host', async () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    const r = progressReporter(out, () => 10_000);
    r.emit({ type: 'task_start', task: T, hosts: ['web1'] });
    await sleep(30);
    expect(out.text).not.toContain('hosts done');
  });

  it('follows the engine’s progress events', async () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    let clock = 0;
    const r = progressReporter(out, () => clock);
    r.emit({ type: 'task_start', task: T, hosts });
    r.emit({ type: 'progress', task: T, done: 2, total: 3 });
    clock = 1500;
    await sleep(30);
    expect(out.text).toContain('[2/3 hosts done, 1.5s]');
  });

  it('is cleared before the next task banner and on close', async () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    let clock = 0;
    const r = progressReporter(out, () => clock);
    r.emit({ type: 'task_start', task: T, hosts });
    clock = 2000;
    await sleep(30);
    r.emit({ type: 'task_start', task: task('next', { id: 'next' }), hosts: ['web1'] });
    expect(stripColor(out.text)).toMatch(/TASK \[install packages\]\r\x1b\[K\nTASK \[next\] \*+\n$/);
    r.emit({ type: 'task_start', task: T, hosts });
    clock = 4000;
    await sleep(30);
    r.close();
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('is never drawn by the plain reporter', async () => {
    const out = new RecordingStream({ tty: false });
    const r = createReporter({ format: 'plain', out, verbosity: 0, diff: false, check: false });
    r.emit({ type: 'task_start', task: T, hosts });
    r.emit({ type: 'progress', task: T, done: 1, total: 3 });
    await sleep(30);
    r.emit(hostResult('web1', T, { status: 'ok' }));
    expect(out.text).not.toContain('\r');
    expect(out.text).not.toContain('hosts done');
  });
});
