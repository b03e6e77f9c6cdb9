// Every engine event through the line reporters (plain, and tty without colour): event(s) in, text out.

import { describe, expect, it } from 'vitest';
import type { EngineEvent, Reporter } from '../../../src/engine/events.js';
import { CENSORED_MSG } from '../../../src/engine/result.js';
import { createReporter } from '../../../src/report/index.js';
import { hostResult, itemResult, PB, RecordingStream, recap, stats, task } from './events.js';

const STARS = (text: string) => `${text} ${'*'.repeat(80 - text.length - 1)}`;
const T = task('install packages');
const ROLE_T = task('web : render config', { action: 'template', id: 'role-task' });
const DBG = task('show', { action: 'debug', id: 'dbg' });
const INC = task('include_tasks', { action: 'include_tasks', id: 'inc' });
const META = task('meta', { action: 'meta', id: 'meta' });
const INC_ROLE = task('include_role', { action: 'ansible.builtin.include_role', id: 'incr' });

interface Run {
  out: string;
  err: string;
}

function run(format: 'plain' | 'tty', events: EngineEvent[], opts: { verbosity?: number; check?: boolean; diff?: boolean } = {}): Run {
  const out = new RecordingStream({ tty: format === 'tty', columns: 80 });
  const err = new RecordingStream({ tty: format === 'tty', columns: 80 });
  const r: Reporter = createReporter({ format, out, err, verbosity: opts.verbosity ?? 0, diff: opts.diff ?? false, check: opts.check ?? false, color: false, cwd: '/srv/site' });
  for (const e of events) r.emit(e);
  void r.close?.();
  return { out: out.text, err: err.text };
}

/** [name, events, expected stdout, options?] — the task banner is emitted first unless `bare`. */
type Case = [string, EngineEvent[], string, { verbosity?: number; check?: boolean; diff?: boolean }?];

const start: EngineEvent = { type: 'task_start', task: T, hosts: ['web1', 'web2'] };
const B = `\n${STARS('TASK [install packages]')}\n`;

const cases: Case[] = [
  ['playbook_start prints nothing by default', [{ type: 'playbook_start', file: PB, check: false, diff: false }], ''],
  ['playbook_start prints a PLAYBOOK banner at -vv', [{ type: 'playbook_start', file: PB, check: false, diff: false }], `\n${STARS('PLAYBOOK: site.yml')}\n`, { verbosity: 2 }],
  ['play_start prints the PLAY banner', [{ type: 'play_start', name: 'webservers', hosts: ['web1'], loc: { file: PB, line: 1, col: 3 } }], `\n${STARS('PLAY [webservers]')}\n`],
  ['play_start marks a serial batch', [{ type: 'play_start', name: 'web', hosts: ['web1'], loc: { file: PB, line: 1, col: 3 }, batch: { index: 2, count: 3 } }], `\n${STARS('PLAY [web] (batch 2/3)')}\n`],
  ['play_start marks check mode', [{ type: 'play_start', name: 'web', hosts: ['web1'], loc: { file: PB, line: 1, col: 3 } }], `\n${STARS('PLAY [web] [CHECK MODE]')}\n`, { check: true }],
  ['task_start prints the TASK banner', [start], B],
  ['a role task banner is "role : name"', [{ type: 'task_start', task: ROLE_T, hosts: ['web1'] }], `\n${STARS('TASK [web : render config]')}\n`],
  ['a handler banner is RUNNING HANDLER', [{ type: 'task_start', task: task('restart nginx', { isHandler: true }), hosts: ['web1'] }], `\n${STARS('RUNNING HANDLER [restart nginx]')}\n`],
  ['-vv adds the task path', [start], `${B}task path: site.yml:12\n`, { verbosity: 2 }],
  ['a second task_start for the same task (free strategy) adds no banner', [start, { type: 'task_start', task: T, hosts: ['web2'] }], B],
  ['ok', [start, hostResult('web1', T, { status: 'ok' })], `${B}ok: [web1]\n`],
  ['changed', [start, hostResult('web1', T, { status: 'changed' })], `${B}changed: [web1]\n`],
  ['skipping hides a false condition without -v', [start, hostResult('web1', T, { status: 'skipped', skipReason: 'Conditional result was False', data: { false_condition: 'x == 1' } })], `${B}skipping: [web1]\n`],
  ['skipping shows the condition at -v', [start, hostResult('web1', T, { status: 'skipped', skipReason: 'Conditional result was False', data: { false_condition: 'x == 1' } })], `${B}skipping: [web1]: Conditional result was False (x == 1)\n`, { verbosity: 1 }],
  ['a check-mode skip shows its reason without -v', [start, hostResult('web1', T, { status: 'skipped', skipReason: 'command cannot be predicted in check mode', checkOnly: true })], `${B}skipping: [web1]: command cannot be predicted in check mode\n`, { check: true }],
  ['changed in check mode is marked', [start, hostResult('web1', T, { status: 'changed', checkOnly: true })], `${B}changed: [web1] (check mode)\n`, { check: true }],
  ['an ok result in check mode is not marked', [start, hostResult('web1', T, { status: 'ok', checkOnly: true })], `${B}ok: [web1]\n`, { check: true }],
  ['delegation shows host -> delegate', [start, hostResult('web1', T, { status: 'ok', delegatedTo: 'db1' })], `${B}ok: [web1 -> db1]\n`],
  ['delegation to the host itself shows the host only', [start, hostResult('web1', T, { status: 'ok', delegatedTo: 'web1' })], `${B}ok: [web1]\n`],
  [
    'failed shows msg, rc, the stderr and the hint',
    [start, hostResult('web1', T, { status: 'failed', msg: 'non-zero return code', rc: 2, stdout: 'ignored when stderr has text', stderr: 'E: Unable to locate package nginxx\n', hint: 'check the package name' })],
    `${B}failed: [web1]: non-zero return code (rc=2)\n  stderr: E: Unable to locate package nginxx\n  hint: check the package name\n`,
  ],
  [
    'failed shows only the last 10 lines of a long stderr',
    [start, hostResult('web1', T, { status: 'failed', msg: 'non-zero return code', rc: 1, stderr: Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n') })],
    `${B}failed: [web1]: non-zero return code (rc=1)\n  stderr (last 10 of 25 lines): |\n${Array.from({ length: 10 }, (_, i) => `    line ${i + 16}`).join('\n')}\n`,
  ],
  ['failed with an empty stderr shows the stdout tail', [start, hostResult('web1', T, { status: 'failed', msg: 'non-zero return code', rc: 1, stdout: 'config error at line 3', stderr: '' })], `${B}failed: [web1]: non-zero return code (rc=1)\n  stdout: config error at line 3\n`],
  ['failed after retries says how many attempts', [start, hostResult('web1', T, { status: 'failed', msg: 'timed out', attempts: 3 })], `${B}failed: [web1]: timed out (after 3 attempts)\n`],
  ['an ignored failure prints ...ignoring', [start, hostResult('web1', T, { status: 'failed', msg: 'boom', ignored: true })], `${B}failed: [web1]: boom\n...ignoring\n`],
  ['unreachable', [start, hostResult('web1', T, { status: 'unreachable', msg: 'ssh: connect to host web1 port 22: Connection refused' })], `${B}unreachable: [web1]: ssh: connect to host web1 port 22: Connection refused\n`],
  ['an ignored unreachable prints ...ignoring', [start, hostResult('web1', T, { status: 'unreachable', msg: 'timeout', ignored: true })], `${B}unreachable: [web1]: timeout\n...ignoring\n`],
  ['-v shows msg, note, rc and outputs', [start, hostResult('web1', T, { status: 'changed', msg: 'done', note: 'package installed', rc: 0, stdout: 'a\nb\n' })], `${B}changed: [web1]\n  msg: done\n  note: package installed\n  rc: 0\n  stdout: |\n    a\n    b\n`, { verbosity: 1 }],
  ['-v on a failure shows the full outputs', [start, hostResult('web1', T, { status: 'failed', msg: 'bad', rc: 1, stdout: 'out', stderr: 'err' })], `${B}failed: [web1]: bad (rc=1)\n  stdout: out\n  stderr: err\n`, { verbosity: 1 }],
  ['-v does not show module data', [start, hostResult('web1', T, { status: 'ok', data: { dest: '/etc/x' } })], `${B}ok: [web1]\n`, { verbosity: 1 }],
  ['-vv shows module data, not facts', [start, hostResult('web1', T, { status: 'ok', data: { dest: '/etc/x', size: 5, ansible_facts: { a: 1 } } })], `${B}task path: site.yml:12\nok: [web1]\n  dest: /etc/x\n  size: 5\n`, { verbosity: 2 }],
  ['-vvv shows facts too', [start, hostResult('web1', T, { status: 'ok', data: { ansible_facts: { a: 1 } } })], `${B}task path: site.yml:12\nok: [web1]\n  ansible_facts: {"a":1}\n`, { verbosity: 3 }],
  ['a result of another task re-prints its banner (free strategy)', [start, hostResult('web1', ROLE_T, { status: 'ok' })], `${B}\n${STARS('TASK [web : render config]')}\nok: [web1]\n`],
  ['a result without a task_start prints the banner first', [hostResult('web1', T, { status: 'ok' })], `${B}ok: [web1]\n`],
  ['item ok', [start, itemResult('web1', T, { status: 'ok', item: 'nginx', label: 'nginx' })], `${B}ok: [web1] => (item=nginx)\n`],
  ['item changed in check mode', [start, itemResult('web1', T, { status: 'changed', item: 'nginx', label: 'nginx', checkOnly: true })], `${B}changed: [web1] => (item=nginx) (check mode)\n`, { check: true }],
  ['item skipped', [start, itemResult('web1', T, { status: 'skipped', item: 1, label: '1' })], `${B}skipping: [web1] => (item=1)\n`],
  ['item failed', [start, itemResult('web1', T, { status: 'failed', item: 'x', label: 'x', msg: 'no such package', rc: 100 })], `${B}failed: [web1] (item=x): no such package (rc=100)\n`],
  ['item delegated', [start, itemResult('web1', T, { status: 'changed', item: 'x', label: 'x', delegatedTo: 'db1' })], `${B}changed: [web1 -> db1] => (item=x)\n`],
  ['a finished loop that changed prints no summary', [start, hostResult('web1', T, { status: 'changed', msg: 'All items completed', items: [{ status: 'changed', item: 'a', label: 'a', loopVar: 'item' }] })], B],
  ['a loop whose items all skipped prints skipping', [start, hostResult('web1', T, { status: 'skipped', skipReason: 'All items skipped', items: [{ status: 'skipped', item: 'a', label: 'a', loopVar: 'item' }] })], `${B}skipping: [web1]\n`],
  ['a failed loop prints no summary (its item said why)', [start, hostResult('web1', T, { status: 'failed', msg: 'One or more items failed', items: [{ status: 'failed', item: 'a', label: 'a', loopVar: 'item', msg: 'x' }] })], B],
  ['an ignored failed loop prints ...ignoring', [start, hostResult('web1', T, { status: 'failed', msg: 'One or more items failed', ignored: true, items: [{ status: 'failed', item: 'a', label: 'a', loopVar: 'item', msg: 'x' }] })], `${B}...ignoring\n`],
  ['a loop failed by failed_when (no item failed) prints the failure', [start, hostResult('web1', T, { status: 'failed', msg: 'failed_when matched', overridden: true, items: [{ status: 'ok', item: 'a', label: 'a', loopVar: 'item' }] })], `${B}failed: [web1]: failed_when matched\n`],
  ['include_tasks prints included: FILE for HOST', [hostResult('web1', INC, { status: 'ok', msg: 'included: /srv/site/tasks/extra.yml' })], `\n${STARS('TASK [include_tasks]')}\nincluded: tasks/extra.yml for web1\n`],
  ['include_tasks in a loop names the item', [itemResult('web1', INC, { status: 'ok', msg: 'included: /other/x.yml', item: 1, label: '1' })], `\n${STARS('TASK [include_tasks]')}\nincluded: /other/x.yml for web1 => (item=1)\n`],
  ['include_role prints nothing (as Ansible)', [hostResult('web1', INC_ROLE, { status: 'ok', msg: 'included role: web' })], ''],
  ['a failed include prints the failure', [hostResult('web1', INC, { status: 'failed', msg: 'file not found: x.yml' })], `\n${STARS('TASK [include_tasks]')}\nfailed: [web1]: file not found: x.yml\n`],
  ['debug prints msg as Ansible', [hostResult('web1', DBG, { status: 'ok', data: { msg: 'hello world' } })], `\n${STARS('TASK [show]')}\nok: [web1] => {\n    "msg": "hello world"\n}\n`],
  ['debug var prints the variable, keys sorted', [hostResult('web1', DBG, { status: 'ok', data: { pkgs: { z: 1, a: [true, null] } } })], `\n${STARS('TASK [show]')}\nok: [web1] => {\n    "pkgs": {\n        "a": [\n            true,\n            null\n        ],\n        "z": 1\n    }\n}\n`],
  ['debug with msg on the result', [hostResult('web1', DBG, { status: 'ok', msg: 'plain msg' })], `\n${STARS('TASK [show]')}\nok: [web1] => {\n    "msg": "plain msg"\n}\n`],
  ['debug in a loop', [itemResult('web1', DBG, { status: 'ok', item: 'a', label: 'a', data: { msg: 'it is a' } })], `\n${STARS('TASK [show]')}\nok: [web1] => (item=a) => {\n    "msg": "it is a"\n}\n`],
  ['censored ok shows only the status', [hostResult('web1', DBG, { status: 'ok', censored: true, msg: CENSORED_MSG })], `\n${STARS('TASK [show]')}\nok: [web1]\n`],
  [
    'censored failure shows the censored message and nothing else it carries',
    [start, hostResult('web1', T, { status: 'failed', censored: true, msg: CENSORED_MSG, stderr: 'LEAK-stderr', hint: 'LEAK-hint', rc: 9, data: { x: 'LEAK-data' }, ignored: true })],
    `${B}task path: site.yml:12\nfailed: [web1]: ${CENSORED_MSG}\n...ignoring\n`,
    { verbosity: 3 },
  ],
  ['censored item shows its censored label', [start, itemResult('web1', T, { status: 'changed', censored: true, msg: CENSORED_MSG, item: undefined, label: '(censored due to no_log)', stdout: 'LEAK' })], `${B}task path: site.yml:12\nchanged: [web1] => (item=(censored due to no_log))\n`, { verbosity: 2 }],
  ['censored changed result shows no diff', [start, hostResult('web1', T, { status: 'changed', censored: true, msg: CENSORED_MSG, diff: [{ target: '/x', before: 'LEAK\n', after: 'LEAK2\n' }] })], `${B}changed: [web1]\n`, { diff: true }],
  ['a meta task prints no banner and no line', [{ type: 'task_start', task: META, hosts: ['web1'] }, hostResult('web1', META, { status: 'ok', msg: 'flush_handlers' })], ''],
  ['a meta task shows META: at -vv', [{ type: 'task_start', task: META, hosts: ['web1'] }, hostResult('web1', META, { status: 'ok', msg: 'flush_handlers' })], 'META: flush_handlers for web1\n', { verbosity: 2 }],
  ['a failed meta task prints its failure under a banner', [{ type: 'task_start', task: META, hosts: ['web1'] }, hostResult('web1', META, { status: 'failed', msg: 'unknown meta action' })], `\n${STARS('TASK [meta]')}\nfailed: [web1]: unknown meta action\n`],
  ['progress prints nothing', [{ type: 'progress', task: T, done: 1, total: 3 }], ''],
  ['debug events show at their verbosity', [{ type: 'debug', level: 3, message: 'web1: exec apt-get install' }], 'web1: exec apt-get install\n', { verbosity: 3 }],
  ['debug events above the verbosity are hidden', [{ type: 'debug', level: 4, message: 'web1: exec apt-get install' }], '', { verbosity: 3 }],
  ['pending handlers replayed from an earlier run are announced', [{ type: 'pending_handlers', host: 'web1', handlers: ['restart nginx', 'reload php'], replayed: true }], 'pending handlers from an earlier run on web1: restart nginx, reload php (they run in this play)\n'],
  ['pending handlers kept for later wait for the recap', [{ type: 'pending_handlers', host: 'web1', handlers: ['restart nginx'], replayed: false }], ''],
  ['play_end prints nothing (elapsed is in the recap)', [{ type: 'play_end', name: 'web', elapsedMs: 1200 }], ''],
  [
    'recap prints Ansible lines, then sams additions',
    [recap({ stats: { web2: stats({ ok: 1 }), web1: stats({ ok: 5, changed: 2, failed: 1 }) }, pending: { web1: ['restart nginx', 'reload php'] }, elapsedMs: 83_000, plays: [{ name: 'web', elapsedMs: 61_500 }, { name: 'db', elapsedMs: 21_500 }], slowest: [{ task: 'install packages', host: 'web1', elapsedMs: 40_000 }, { task: 'web : render config', host: 'web2', elapsedMs: 1_234 }] })],
    [
      '',
      STARS('PLAY RECAP'),
      'web1                       : ok=5    changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   ',
      'web2                       : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
      '',
      'pending handlers on web1: restart nginx, reload php (kept for the next run; --clear-pending to drop)',
      'elapsed:',
      '  1m02s  play "web"',
      '  21.5s  play "db"',
      '  1m23s  total',
      'slowest tasks:',
      '  40.0s  [web1] install packages',
      '   1.2s  [web2] web : render config',
      '',
    ].join('\n'),
  ],
  ['recap in check mode says changes would be made', [recap({ stats: { web1: stats({ ok: 1, changed: 1 }) }, changedWhileChecking: true, elapsedMs: 500 })], `\n${STARS('PLAY RECAP')}\nweb1                       : ok=1    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\ncheck mode: changes would be made (nothing was changed; run without --check to apply)\nelapsed:\n  0.5s  total\n`, { check: true }],
];

describe.each(['plain', 'tty'] as const)('%s reporter', (format) => {
  it.each(cases)('%s', (_name, events, expected, opts) => {
    expect(run(format, events, opts).out).toBe(expected);
  });

  it('writes warnings to stderr as [WARNING]: with file:line and host', () => {
    const r = run(format, [
      { type: 'warning', message: 'could not match supplied host pattern, ignoring: nomatch', loc: { file: '/srv/site/site.yml', line: 2, col: 3 } },
      { type: 'warning', message: "notify: no handler named 'x'", host: 'web1' },
      { type: 'warning', message: 'plain' },
    ]);
    expect(r.out).toBe('');
    expect(r.err).toBe("[WARNING]: site.yml:2: could not match supplied host pattern, ignoring: nomatch\n[WARNING]: [web1] notify: no handler named 'x'\n[WARNING]: plain\n");
  });
});

it('plain writes warnings to stdout when no stderr is given', () => {
  const out = new RecordingStream();
  const r = createReporter({ format: 'plain', out, verbosity: 0, diff: false, check: false });
  r.emit({ type: 'warning', message: 'careful' });
  expect(out.text).toBe('[WARNING]: careful\n');
});

it('plain never colours, even when asked to', () => {
  const out = new RecordingStream();
  const r = createReporter({ format: 'plain', out, verbosity: 0, diff: false, check: false, color: true });
  r.emit(hostResult('web1', T, { status: 'changed' }));
  expect(out.text).not.toContain('\x1b');
});

it('plain banners stay 80 wide whatever the stream says', () => {
  const out = new RecordingStream({ columns: 200 });
  const r = createReporter({ format: 'plain', out, verbosity: 0, diff: false, check: false });
  r.emit({ type: 'task_start', task: T, hosts: ['a'] });
  expect(out.text.split('\n')[1]!.length).toBe(80);
});
