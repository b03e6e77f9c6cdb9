// replace end to end over sshd: byte-identical results and changed flags against ansible-playbook
// on a table of cases (MULTILINE, after/before regions, backreferences, encodings), idempotency,
// check mode, diff, attributes, validate and load-time argument errors.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareWithAnsible, type EditCase } from '../../fixtures/text-edit/compare.js';
import { play, useProject } from './core-helpers.js';

const p = useProject(1, 'replace');

const HOSTS = '127.0.0.1 localhost\n10.0.0.1 old.host.name old\n# comment\n';
const VHOST = 'top\n<VirtualHost *>\nfoo\nbar\n</VirtualHost>\nbottom\n';

const CASES: EditCase[] = [
  { name: 'literal', content: HOSTS, args: { regexp: 'old\\.host\\.name', replace: 'new.host.name' } },
  { name: 'backreferences', content: HOSTS, args: { regexp: '(\\s+)old\\.host\\.name(\\s+.*)?$', replace: '\\1new.host.name\\2' } },
  { name: 'no match', content: HOSTS, args: { regexp: 'nothing', replace: 'x' } },
  { name: 'matches but nothing changes', content: HOSTS, args: { regexp: 'localhost', replace: 'localhost' } },
  { name: 'replace omitted removes', content: HOSTS, args: { regexp: '^# comment\\n' } },
  { name: 'MULTILINE anchors', content: HOSTS, args: { regexp: '^(.+)$', replace: '# \\1' } },
  { name: 'dollar at every line end', content: HOSTS, args: { regexp: '$', replace: ';' } },
  { name: 'after', content: VHOST, args: { after: '<VirtualHost [*]>', regexp: '^(.+)$', replace: '# \\1' } },
  { name: 'before', content: VHOST, args: { before: '</VirtualHost>', regexp: '^(.+)$', replace: '# \\1' } },
  { name: 'after and before', content: VHOST, args: { after: '<VirtualHost [*]>', before: '</VirtualHost>', regexp: '^(.+)$', replace: '# \\1' } },
  { name: 'after does not match', content: VHOST, args: { after: 'nowhere', regexp: 'foo', replace: 'x' } },
  { name: 'named groups', content: 'ListenAddress 1.2.3.4\n', args: { regexp: '^(?P<dctv>ListenAddress[ ]+)(?P<host>[^\\n]+)$', replace: '#\\g<dctv>\\g<host>\\n\\g<dctv>0.0.0.0' } },
  { name: 'whole match', content: 'abc def\n', args: { regexp: '\\w+', replace: '<\\g<0>>' } },
  { name: 'unicode \\w', content: 'ünïcode wörd ٣\n', args: { regexp: '\\w+', replace: '[\\g<0>]' } },
  { name: 'not UTF-8', content: Buffer.from([0x61, 0xff, 0x62, 0x0a]), args: { regexp: 'a(.)b', replace: '<\\1>' } },
  { name: 'latin-1', content: Buffer.from('café\n', 'latin1'), args: { regexp: 'caf(.)', replace: 'th\\1', encoding: 'latin-1' } },
  { name: 'empty matches', content: 'abc\n', args: { regexp: 'x*', replace: '-' } },
  { name: 'negated class crosses lines', content: 'a\nb\n#c\n', args: { regexp: '^[^#]*', replace: 'X' } },
  { name: 'CRLF line end', content: 'a\r\nb\n', args: { regexp: '^(\\w)$', replace: '\\1!' } },
  { name: 'escapes in the replacement', content: 'a b\n', args: { regexp: ' ', replace: '\\t\\\\\\n' } },
  { name: 'inline ignorecase', content: 'Foo FOO foo\n', args: { regexp: '(?i)foo', replace: 'bar' } },
  { name: 'dotall inline flag', content: 'a\nb\n', args: { regexp: '(?s)a.b', replace: 'X' } },
  { name: 'missing file fails', content: null, args: { regexp: 'a', replace: 'b' } },
  { name: 'mode with a change', content: HOSTS, args: { regexp: 'old', replace: 'new', mode: '0600' } },
  { name: 'mode only', content: HOSTS, args: { regexp: 'nothing', replace: 'x', mode: '0640' } },
  { name: 'mode is not applied when after does not match', content: HOSTS, args: { after: 'nowhere', regexp: 'x', mode: '0600' } },
];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true }) as string[]) {
    const f = join(dir, e);
    const st = statSync(f);
    out[f] = st.isDirectory() ? 'dir' : `${createHash('sha256').update(readFileSync(f)).digest('hex')} ${st.mode & 0o7777} ${st.uid}:${st.gid}`;
  }
  return out;
}

function pb(tasks: string): string {
  return `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}`;
}

describe('replace', () => {
  test('gives the bytes, changed flags and messages ansible-playbook gives', async () => {
    expect(await compareWithAnsible(p, 'replace', CASES, 'table')).toEqual([]);
  }, 300_000);

  test('first run changes, second is ok, --check predicts it and changes nothing', async () => {
    const dir = join(p.th.host('h1').root, 'idem');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hosts'), HOSTS);
    const yaml = pb(`    - name: rename\n      replace: { path: ${dir}/hosts, regexp: '\\bold\\b', replace: 'new' }\n`);
    const before = snapshot(dir);
    const check = await play(p, yaml, ['--check']);
    expect(check.result('rename')).toMatchObject({ status: 'changed', check_only: true, data: { msg: '2 replacements made' } });
    expect(snapshot(dir)).toEqual(before);
    const run1 = await play(p, yaml);
    expect(run1.result('rename')).toMatchObject({ status: 'changed', data: { msg: '2 replacements made', rc: 0 } });
    expect(readFileSync(join(dir, 'hosts'), 'utf8')).toBe('127.0.0.1 localhost\n10.0.0.1 new.host.name new\n# comment\n');
    const after = snapshot(dir);
    expect((await play(p, yaml)).result('rename').status).toBe('ok');
    expect((await play(p, yaml, ['--check'])).result('rename').status).toBe('ok');
    expect(snapshot(dir)).toEqual(after);
  }, 60_000);

  test('--check --diff shows the change', async () => {
    const f = join(p.th.host('h1').root, 'diffme');
    writeFileSync(f, HOSTS);
    const res = await play(p, pb(`    - name: d\n      replace: { path: ${f}, regexp: '^#.*\\n' }\n`), ['--check', '--diff']);
    expect(res.result('d').diff).toEqual([{ target: f, before: HOSTS, after: '127.0.0.1 localhost\n10.0.0.1 old.host.name old\n' }]);
    expect(readFileSync(f, 'utf8')).toBe(HOSTS);
  });

  test('owner, group and mode are applied; backup is made', async () => {
    const f = join(p.th.host('h1').root, 'owned');
    writeFileSync(f, HOSTS, { mode: 0o644 });
    const task = `    - name: own\n      replace: { path: ${f}, regexp: 'old', replace: 'new', owner: nobody, group: nogroup, mode: 'go-r', backup: true }\n`;
    const res = await play(p, pb(task));
    expect(res.result('own')).toMatchObject({ status: 'changed', data: { msg: '2 replacements made and ownership, perms or SE linux context changed' } });
    const st = statSync(f);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o600]);
    expect(readFileSync(res.result('own').data!.backup_file as string, 'utf8')).toBe(HOSTS);
    expect((await play(p, pb(task))).result('own').status).toBe('ok');
  });

  test('a failing validate leaves the file intact', async () => {
    const f = join(p.th.host('h1').root, 'validated');
    writeFileSync(f, HOSTS);
    const res = await play(p, pb(`    - name: v\n      replace: { path: ${f}, regexp: 'localhost', replace: 'x', validate: 'grep -q localhost %s' }\n`));
    expect(res.result('v')).toMatchObject({ status: 'failed' });
    expect(res.result('v').msg).toContain('validation failed');
    expect(readFileSync(f, 'utf8')).toBe(HOSTS);
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(
      p,
      pb(
        [
          '    - replace: { path: /tmp/x, regexp: a, others: b }',
          '    - replace: { path: /tmp/x, regexp: a, replace: "\\\\2" }',
          '    - replace: { path: /tmp/x, regexp: "(?<=a)(?P<x", replace: b }',
          '    - replace: { path: /tmp/x, regexp: a, encoding: utf-16 }',
          '    - replace: { path: /tmp/x }',
          '',
        ].join('\n'),
      ),
    );
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("site.yml:4:43: unknown argument 'others' for module 'replace'");
    expect(res.stderr).toMatch(/site\.yml:5:\d+: .*argument 'replace': invalid group reference 2 in the replacement/);
    expect(res.stderr).toMatch(/site\.yml:6:\d+: .*regexp "\(\?<=a\)\(\?P<x" is not a usable Python regular expression: missing >, unterminated name/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: .*sams supports these encodings: utf-8, latin-1, ascii/);
    expect(res.stderr).toMatch(/site\.yml:8:\d+: .*missing required argument 'regexp'/);
  });
});
