// Templating against real ansible-core 2.14: one playbook renders every case of
// test/fixtures/template/compare-cases.yml (a debug task), every template of
// test/fixtures/template/templates/ (the template module, with trim/lstrip variants) and a set of
// `when:` conditions; sams must give the same results.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/load/yaml.js';
import { createTemplar } from '../../src/template/index.js';

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/template');
const VARS = parseYaml(readFileSync(join(FIX, 'compare-vars.yml'), 'utf8'), join(FIX, 'compare-vars.yml')) as Record<string, unknown>;
const CASES = parseYaml(readFileSync(join(FIX, 'compare-cases.yml'), 'utf8'), join(FIX, 'compare-cases.yml')) as Record<string, string>;
const TEMPLATES = readdirSync(join(FIX, 'templates')).filter((f) => f !== 'part.j2');
const TEMPLATE_MODES: [string, { trim_blocks?: boolean; lstrip_blocks?: boolean }][] = [
  ['default', {}],
  ['lstrip', { lstrip_blocks: true }],
  ['notrim', { trim_blocks: false }],
];
const CONDITIONS = [
  'nums | length > 3',
  'config.flag',
  'not config.flag',
  'config.empty',
  'config.nothing is none',
  "'wheel' in user.groups",
  "user.name == 'alice' and user.uid > 1000",
  'users | selectattr("active") | list | length == 2',
  '{{ config.server.port == 8080 }}',
  '{{ user.uid }} > 1000',
  'config.yes_string | bool',
  "config.num_string | int == 42",
  "'1.10.0' is version('1.2.10', '>')",
  'nope is defined',
  'size is divisibleby 3',
  '[]',
  '{}',
];
const EXTRA_ENV = { SAMS_TEST_ENV: 'env-value' };

let work: string;
let ansibleMsg: Record<string, unknown>;
let skipped: boolean[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sams-tpl-e2e-'));
  for (const d of ['home', 'tmp', 'out', 'templates']) mkdirSync(join(work, d));
  for (const f of readdirSync(join(FIX, 'templates'))) writeFileSync(join(work, 'templates', f), readFileSync(join(FIX, 'templates', f)));
  const tasks: unknown[] = [{ name: 'cases', debug: { msg: CASES } }];
  for (const t of TEMPLATES)
    for (const [mode, opts] of TEMPLATE_MODES) tasks.push({ name: `template ${t} ${mode}`, template: { src: t, dest: join(work, 'out', `${t}.${mode}`), ...opts } });
  for (const c of CONDITIONS) tasks.push({ name: `when ${c}`, debug: { msg: 'ran' }, when: c });
  const play = [{ hosts: 'localhost', gather_facts: false, vars_files: [join(FIX, 'compare-vars.yml')], vars: { ansible_managed_x: 'managed' }, tasks }];
  writeFileSync(join(work, 'play.yml'), JSON.stringify(play, null, 1));
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', join(work, 'play.yml')], {
    cwd: work,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: join(work, 'home'),
      LANG: 'C.UTF-8',
      ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_DEPRECATION_WARNINGS: 'False',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ...EXTRA_ENV,
    },
  });
  if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  const results = out.plays[0].tasks.map((t: { hosts: { localhost: Record<string, unknown> } }) => t.hosts.localhost);
  ansibleMsg = results[0].msg;
  skipped = results.slice(1 + TEMPLATES.length * TEMPLATE_MODES.length).map((h: Record<string, unknown>) => h.skipped === true);
  Object.assign(process.env, EXTRA_ENV);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('sams renders what ansible-core 2.14 renders', () => {
  const templar = createTemplar();

  it.each(Object.keys(CASES))('%s', (name) => {
    const mine = templar.render(CASES[name], VARS);
    expect(mine).toEqual(ansibleMsg[name]);
  }, 120_000); // password_hash with 656000 rounds is slow on a busy machine

  it.each(TEMPLATES.flatMap((t) => TEMPLATE_MODES.map(([mode, opts]) => [t, mode, opts] as const)))('template module: %s (%s)', (t, mode, opts) => {
    const file = join(work, 'templates', t);
    const mine = templar.renderText(readFileSync(file, 'utf8'), { ...VARS, ansible_managed_x: 'managed', playbook_dir: work }, {
      templateFile: file,
      trimBlocks: opts.trim_blocks ?? true,
      lstripBlocks: opts.lstrip_blocks ?? false,
    });
    expect(mine).toBe(readFileSync(join(work, 'out', `${t}.${mode}`), 'utf8'));
  });

  it.each(CONDITIONS.map((c, i) => [c, i] as const))('when: %s', (cond, i) => {
    expect(templar.evalCondition(cond, VARS)).toBe(!skipped[i]);
  });
});
