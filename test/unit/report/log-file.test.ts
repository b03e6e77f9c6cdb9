// The log file (Ansible's log_path): plain lines with Ansible's timestamp prefix, appended, 0600.

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { createLogFileReporter, createReporter, LogFileReporter, logPrefix } from '../../../src/report/index.js';
import { hostResult, itemResult, PB, RecordingStream, recap, stats, task } from './events.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sams-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T = task('install');
const AT = new Date(2024, 4, 1, 9, 5, 7, 42); // local time, as Ansible's logging module writes it

describe('log file', () => {
  it('prefixes lines as Ansible’s log does', () => {
    expect(logPrefix(AT, 1234, 'deploy')).toBe('2024-05-01 09:05:07,042 p=1234 u=deploy n=sams | ');
  });

  it('writes the plain layout, every line prefixed, as events come', () => {
    const path = join(dir, 'sams.log');
    const r = new LogFileReporter(path, { verbosity: 0, now: () => AT });
    r.emit({ type: 'task_start', task: T, hosts: ['web1'] });
    r.emit(hostResult('web1', T, { status: 'failed', msg: 'bad', rc: 2, stderr: 'oops' }));
    // Synchronous writes: the line is in the file before close.
    const p = logPrefix(AT, process.pid, userInfo().username);
    expect(readFileSync(path, 'utf8')).toBe(`${p}\n${p}TASK [install] ${'*'.repeat(65)}\n${p}failed: [web1]: bad (rc=2)\n${p}  stderr: oops\n`);
    r.emit({ type: 'warning', message: 'careful' });
    r.close();
    expect(readFileSync(path, 'utf8').endsWith(`${p}[WARNING]: careful\n`)).toBe(true);
  });

  it('logs every event type as the plain reporter shows it, warnings included', () => {
    const all: EngineEvent[] = [
      { type: 'playbook_start', file: PB, check: false, diff: true },
      { type: 'play_start', name: 'web', hosts: ['web1'], loc: { file: PB, line: 1, col: 3 } },
      { type: 'task_start', task: T, hosts: ['web1'] },
      { type: 'progress', task: T, done: 0, total: 1 },
      itemResult('web1', T, { status: 'changed', item: 'a', label: 'a', diff: [{ target: '/x', before: 'a\n', after: 'b\n' }] }),
      hostResult('web1', T, { status: 'changed', msg: 'All items completed', items: [] }),
      { type: 'warning', message: 'careful', host: 'web1' },
      { type: 'debug', level: 2, message: 'exec true' },
      { type: 'pending_handlers', host: 'web1', handlers: ['restart'], replayed: true },
      { type: 'play_end', name: 'web', elapsedMs: 10 },
      recap({ stats: { web1: stats({ ok: 1, changed: 1 }) }, pending: { web1: ['restart'] }, elapsedMs: 10, plays: [{ name: 'web', elapsedMs: 10 }] }),
    ];
    const path = join(dir, 'all.log');
    const log = new LogFileReporter(path, { verbosity: 2, diff: true, now: () => AT });
    const screen = new RecordingStream();
    const plain = createReporter({ format: 'plain', out: screen, verbosity: 2, diff: true, check: false });
    for (const e of all) {
      log.emit(e);
      plain.emit(e);
    }
    log.close();
    const p = logPrefix(AT, process.pid, userInfo().username);
    const expected = screen.text.replace(/\n$/, '').split('\n').map((l) => p + l).join('\n') + '\n';
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(expected).toContain(`${p}[WARNING]: [web1] careful\n`);
  });

  it('creates the file with mode 0600', () => {
    const path = join(dir, 'new.log');
    const r = createLogFileReporter(path, { verbosity: 0 });
    r.emit(recap({ stats: { a: stats({ ok: 1 }) } }));
    void r.close?.();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('appends to an existing log and leaves its mode alone', () => {
    const path = join(dir, 'old.log');
    writeFileSync(path, 'earlier run\n');
    chmodSync(path, 0o640);
    const r = createLogFileReporter(path, { verbosity: 0 });
    r.emit(hostResult('web1', T, { status: 'ok' }));
    void r.close?.();
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('earlier run\n')).toBe(true);
    expect(text).toMatch(/\| ok: \[web1\]\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('logs debug events only at their verbosity, and the diffs results carry (the task\'s diff setting decides)', () => {
    const path = join(dir, 'v.log');
    const r = createLogFileReporter(path, { verbosity: 1 });
    r.emit({ type: 'debug', level: 1, message: 'shown at -v' });
    r.emit({ type: 'debug', level: 2, message: 'hidden at -v' });
    r.emit(hostResult('web1', T, { status: 'changed' }));
    void r.close?.();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('| shown at -v\n');
    expect(text).not.toContain('hidden at -v');
    expect(text).not.toContain('+++ after');
    const path2 = join(dir, 'd.log');
    const r2 = createLogFileReporter(path2, { verbosity: 0 });
    r2.emit(hostResult('web1', T, { status: 'changed', diff: [{ target: '/x', before: 'a\n', after: 'b\n' }] }));
    void r2.close?.();
    expect(readFileSync(path2, 'utf8')).toContain('| +++ after: /x\n');
  });

  it('reports a log path it cannot open as a user error with a hint', () => {
    let err: unknown;
    try {
      createLogFileReporter(join(dir, 'missing-dir', 'sams.log'), { verbosity: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SamsError);
    expect((err as SamsError).message).toContain('ENOENT');
    expect((err as SamsError).hint).toMatch(/log_file/);
  });

  it('ignores events after close', () => {
    const path = join(dir, 'c.log');
    const r = createLogFileReporter(path, { verbosity: 0 });
    void r.close?.();
    expect(() => r.emit(hostResult('web1', T, { status: 'ok' }))).not.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
