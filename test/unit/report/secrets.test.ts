// A registered secret text must never appear in any output of any reporter, wherever in the
// events it hides (the second line of defence behind the Secret type).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { createLogFileReporter, createReporter } from '../../../src/report/index.js';
import { progressLine } from '../../../src/report/progress.js';
import { clearSecretTexts, registerSecretText, Secret } from '../../../src/secret.js';
import { hostResult, itemResult, PB, RecordingStream, recap, stats, task } from './events.js';

const SECRET = 'Tr0ub4dor&3-xyzzy';
/** JSON-escaping would hide this one from a redact() run on the serialised line. */
const QUOTED = 'q"uo\\te-secret';
const KEY = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END KEY-----';

function events(): EngineEvent[] {
  const t = task(`deploy ${SECRET}`, { action: 'command' });
  const dbg = task('show', { action: 'debug', id: 'dbg' });
  const inc = task('include_tasks', { action: 'include_tasks', id: 'inc' });
  const longErr = [...Array.from({ length: 12 }, (_, i) => `noise ${i}`), `auth failed for ${SECRET}`, KEY].join('\n');
  return [
    { type: 'playbook_start', file: `/srv/${SECRET}/site.yml`, check: true, diff: true },
    { type: 'play_start', name: `play ${SECRET}`, hosts: ['web1', 'web2'], loc: { file: PB, line: 1, col: 1 } },
    { type: 'task_start', task: t, hosts: ['web1', 'web2'] },
    { type: 'progress', task: t, done: 1, total: 2 },
    hostResult('web1', t, { status: 'changed', msg: `set ${SECRET}`, note: `note ${QUOTED}`, rc: 0, stdout: `out ${SECRET}\n${KEY}\n`, stderr: longErr, data: { token: SECRET, quoted: QUOTED, wrapped: new Secret('another-vault-value'), [`key-${SECRET}`]: 1 }, diff: [{ target: '/etc/app.conf', before: 'password=old-value-x\n', after: `password=${SECRET}\n${KEY}\n` }] }),
    hostResult('web2', t, { status: 'failed', msg: `login as ${SECRET} failed`, hint: `check ${QUOTED}`, rc: 1, stderr: longErr, stdout: '' }),
    itemResult('web1', t, { status: 'changed', item: { pw: SECRET }, label: `{"pw": "${SECRET}"}`, stdout: SECRET }),
    hostResult('web1', t, { status: 'skipped', skipReason: `cannot predict ${SECRET}`, data: { false_condition: `pw == '${SECRET}'` } }),
    hostResult('web1', dbg, { status: 'ok', data: { msg: `the password is ${SECRET} / ${QUOTED}` } }),
    hostResult('web2', dbg, { status: 'ok', data: { creds: { user: 'u', pass: new Secret('vault-pass-value'), plain: SECRET } } }),
    hostResult('web1', inc, { status: 'ok', msg: `included: /srv/${SECRET}.yml` }),
    { type: 'warning', message: `leaked ${SECRET}`, host: 'web1', loc: { file: `/srv/${SECRET}.yml`, line: 1, col: 1 } },
    { type: 'debug', level: 2, message: `exec echo ${SECRET} ${QUOTED}` },
    { type: 'pending_handlers', host: 'web1', handlers: [`restart ${SECRET}`], replayed: true },
    { type: 'play_end', name: `play ${SECRET}`, elapsedMs: 1 },
    recap({ stats: { web1: stats({ ok: 1 }) }, pending: { web1: [`restart ${SECRET}`] }, plays: [{ name: `play ${SECRET}`, elapsedMs: 1 }], slowest: [{ task: `deploy ${SECRET}`, host: 'web1', elapsedMs: 5 }], changedWhileChecking: true }),
  ];
}

/** Any recognisable piece of a secret: its start, or a line of the key. */
function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET.slice(0, 8));
  expect(text).not.toContain('uo\\te-secret');
  expect(text).not.toContain('uo\\\\te-secret');
  expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  expect(text).not.toContain('another-vault-value');
  expect(text).not.toContain('vault-pass-value');
  expect(text).toContain('********');
}

describe('a registered secret never reaches any output', () => {
  beforeAll(() => {
    for (const s of [SECRET, QUOTED, KEY]) registerSecretText(s);
  });
  afterAll(() => clearSecretTexts());

  it.each(['tty', 'plain', 'json'] as const)('%s, at the highest verbosity, with --diff', (format) => {
    const out = new RecordingStream({ tty: format === 'tty', columns: 100 });
    const err = new RecordingStream({ tty: format === 'tty', columns: 100 });
    const r = createReporter({ format, out, err, verbosity: 4, diff: true, check: true, color: true });
    for (const e of events()) r.emit(e);
    void r.close?.();
    expectNoSecret(out.text + err.text);
  });

  it.each([0, 1])('plain at verbosity %i (failure tails, no details)', (verbosity) => {
    const out = new RecordingStream();
    const r = createReporter({ format: 'plain', out, verbosity, diff: true, check: true });
    for (const e of events()) r.emit(e);
    expectNoSecret(out.text);
  });

  it('the log file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sams-log-'));
    try {
      const path = join(dir, 'sams.log');
      const r = createLogFileReporter(path, { verbosity: 4, diff: true, check: true });
      for (const e of events()) r.emit(e);
      void r.close?.();
      expectNoSecret(readFileSync(path, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the progress line, cut at any width', () => {
    for (let width = 20; width < 90; width++) {
      const line = progressLine({ taskId: 'x', name: `deploy ${SECRET} now`, isHandler: false, done: 1, total: 3, startedAt: 0 }, 2000, width);
      expect(line).not.toContain(SECRET.slice(0, 5));
    }
  });
});
