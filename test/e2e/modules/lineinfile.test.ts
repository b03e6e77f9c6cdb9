// lineinfile end to end over sshd: byte-identical results and changed flags against
// ansible-playbook on a table of cases, idempotency, check mode, diff, attributes, validate, backup,
// symlinks, and load-time argument errors.

import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareWithAnsible, type EditCase } from '../../fixtures/text-edit/compare.js';
import { play, useProject } from './core-helpers.js';

const p = useProject(1, 'lineinfile');

const KV = 'a=1\nb=2\nc=3\n';
const DUPS = 'x\nfoo\nx\nfoo\n';

const CASES: EditCase[] = [
  { name: 'regexp replaces the line', content: KV, args: { regexp: '^b=', line: 'b=9' } },
  { name: 'regexp already right', content: KV, args: { regexp: '^b=', line: 'b=2' } },
  { name: 'regexp without match appends', content: KV, args: { regexp: '^d=', line: 'd=4' } },
  { name: 'exact line present', content: KV, args: { line: 'b=2' } },
  { name: 'new line appended', content: KV, args: { line: 'z' } },
  { name: 'append to a file without final newline', content: 'a=1\nb=2', args: { line: 'c=3' } },
  { name: 'exact last line without newline is rewritten', content: 'a=1\nb=2', args: { line: 'b=2' } },
  { name: 'insertafter regex', content: KV, args: { line: 'new', insertafter: '^a=' } },
  { name: 'insertafter last match', content: DUPS, args: { line: 'new', insertafter: '^x' } },
  { name: 'insertafter firstmatch', content: DUPS, args: { line: 'new', insertafter: '^x', firstmatch: true } },
  { name: 'insertbefore regex', content: KV, args: { line: 'new', insertbefore: '^c=' } },
  { name: 'insertbefore last match', content: DUPS, args: { line: 'new', insertbefore: '^foo' } },
  { name: 'insertbefore firstmatch', content: DUPS, args: { line: 'new', insertbefore: '^foo', firstmatch: true } },
  { name: 'insertbefore BOF', content: KV, args: { line: 'top', insertbefore: 'BOF' } },
  { name: 'insertafter BOF', content: KV, args: { line: 'top', insertafter: 'BOF' } },
  { name: 'insertafter EOF', content: KV, args: { line: 'end', insertafter: 'EOF' } },
  { name: 'insertafter without match goes to EOF', content: KV, args: { line: 'end', insertafter: '^nothing' } },
  { name: 'insertbefore without match goes to EOF', content: KV, args: { line: 'end', insertbefore: '^nothing' } },
  { name: 'insertbefore EOF is a regex', content: 'x\nEOF here\n', args: { line: 'y', insertbefore: 'EOF' } },
  { name: 'line already after the insertafter line', content: 'a\nnew\n', args: { line: 'new', insertafter: '^a' } },
  { name: 'insertafter the unterminated last line', content: 'a\nfoo', args: { line: 'bar', insertafter: '^foo' } },
  { name: 'regexp wins over insertafter', content: KV, args: { regexp: '^c=', line: 'c=7', insertafter: '^a=' } },
  { name: 'regexp misses, insertafter used', content: KV, args: { regexp: '^q=', line: 'q=1', insertafter: '^a=' } },
  { name: 'backrefs', content: KV, args: { regexp: '^(a)=(\\d)', line: '\\1:\\2', backrefs: true } },
  { name: 'backrefs without match change nothing', content: KV, args: { regexp: '^zzz(.*)', line: '\\1', backrefs: true } },
  { name: 'backrefs with named groups', content: KV, args: { regexp: '^(?P<k>\\w)=(?P<v>\\d)$', line: '\\g<v>=\\g<k>', backrefs: true } },
  { name: 'backrefs template escapes', content: KV, args: { regexp: '^(b)=(2)', line: '\\1\\t\\2', backrefs: true } },
  { name: 'search_string replaces', content: KV, args: { search_string: 'b=', line: 'B=2' } },
  { name: 'search_string with regex characters', content: 'x.*y\nz\n', args: { search_string: '.*', line: 'found' } },
  { name: 'search_string missing appends', content: KV, args: { search_string: 'zz', line: 'zz=1' } },
  { name: 'firstmatch regexp', content: DUPS, args: { regexp: '^foo', line: 'bar', firstmatch: true } },
  { name: 'last regexp match without firstmatch', content: DUPS, args: { regexp: '^foo', line: 'bar' } },
  { name: 'absent by regexp', content: KV, args: { state: 'absent', regexp: '^[ab]=' } },
  { name: 'absent by line', content: KV, args: { state: 'absent', line: 'c=3' } },
  { name: 'absent by search_string', content: KV, args: { state: 'absent', search_string: '=2' } },
  { name: 'absent, nothing to remove', content: KV, args: { state: 'absent', regexp: '^nope' } },
  { name: 'absent on a missing file', content: null, args: { state: 'absent', line: 'x' } },
  { name: 'create a missing file', content: null, args: { line: 'x', create: true } },
  { name: 'create in a missing directory', content: null, args: { line: 'x', create: true }, file: 'new-dir/sub/f' },
  { name: 'missing file without create fails', content: null, args: { line: 'x' } },
  { name: 'CRLF exact line is rewritten', content: 'a=1\r\nb=2\r\n', args: { line: 'b=2' } },
  { name: 'CRLF append', content: 'a=1\r\nb=2\r\n', args: { line: 'c=3' } },
  { name: 'CR-terminated last line', content: 'a=1\r', args: { line: 'c=3' } },
  { name: 'empty file', content: '', args: { line: 'first' } },
  { name: 'dollar matches before the newline', content: KV, args: { regexp: '^b=2$', line: 'b=5' } },
  { name: 'backslash-Z does not', content: KV, args: { regexp: '^b=2\\Z', line: 'b=5' } },
  { name: 'bytes: dot is one byte', content: 'héllo=1\n', args: { regexp: '^h.llo', line: 'x' } },
  { name: 'bytes: \\w is ASCII', content: 'héllo=1\n', args: { regexp: '^\\w+=1', line: 'x' } },
  { name: 'non-UTF-8 content kept', content: Buffer.from([0xff, 0xfe, 0x0a, 0x61, 0x3d, 0x31, 0x0a]), args: { regexp: '^a=', line: 'a=2' } },
  { name: 'inline flag', content: KV, args: { regexp: '(?i)^B=', line: 'b=8' } },
  { name: 'empty regexp matches every line', content: KV, args: { regexp: '', line: 'last' } },
  { name: 'line with its own newline', content: KV, args: { line: 'x\n' } },
  { name: 'non-ASCII line', content: KV, args: { line: 'ç=1 😀' } },
  { name: 'mode with a content change', content: KV, args: { line: 'm', mode: '0600' } },
  { name: 'mode only', content: KV, args: { line: 'a=1', mode: 'u=rw,g=,o=' } },
  { name: 'escaped group in line without backrefs', content: KV, args: { regexp: '^(a)=', line: '\\1=5' } },
];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const f = join(d, e);
      const st = lstatSync(f);
      if (st.isDirectory()) {
        out[f] = `dir ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
        walk(f);
      } else if (st.isSymbolicLink()) out[f] = `link ${readlinkSync(f)}`;
      else out[f] = `${createHash('sha256').update(readFileSync(f)).digest('hex')} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
    }
  };
  walk(dir);
  return out;
}

function pb(tasks: string): string {
  return `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}`;
}

describe('lineinfile', () => {
  test('gives the bytes, changed flags and messages ansible-playbook gives', async () => {
    expect(await compareWithAnsible(p, 'lineinfile', CASES, 'table')).toEqual([]);
  }, 180_000);

  test('first run changes, second is ok, --check predicts it and changes nothing', async () => {
    const dir = join(p.th.host('h1').root, 'idem');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conf'), KV);
    const yaml = pb(
      [
        `    - name: set b\n      lineinfile: { path: ${dir}/conf, regexp: '^b=', line: 'b=42' }`,
        `    - name: add d\n      lineinfile: { path: ${dir}/conf, line: 'd=4', insertafter: '^a=' }`,
        `    - name: new file\n      lineinfile: { path: ${dir}/sub/new, line: 'hello', create: true, mode: '0640' }`,
        `    - name: drop c\n      lineinfile: { path: ${dir}/conf, regexp: '^c=', state: absent }`,
        '',
      ].join('\n'),
    );
    const before = snapshot(dir);
    const check = await play(p, yaml, ['--check']);
    expect(check.code).toBe(0);
    for (const t of ['set b', 'add d', 'new file', 'drop c']) expect(check.result(t)).toMatchObject({ status: 'changed', check_only: true });
    expect(snapshot(dir)).toEqual(before);

    const run1 = await play(p, yaml);
    expect(run1.code).toBe(0);
    expect(run1.result('set b')).toMatchObject({ status: 'changed', data: { msg: 'line replaced' } });
    expect(run1.result('add d')).toMatchObject({ status: 'changed', data: { msg: 'line added' } });
    expect(run1.result('drop c')).toMatchObject({ status: 'changed', data: { msg: '1 line(s) removed', found: 1 } });
    expect(readFileSync(join(dir, 'conf'), 'utf8')).toBe('a=1\nd=4\nb=42\n');
    expect(readFileSync(join(dir, 'sub/new'), 'utf8')).toBe('hello\n');
    expect(statSync(join(dir, 'sub/new')).mode & 0o7777).toBe(0o640);

    const after = snapshot(dir);
    const run2 = await play(p, yaml);
    expect(run2.recap().h1).toMatchObject({ ok: 4, changed: 0, failed: 0 });
    const check2 = await play(p, yaml, ['--check']);
    expect(check2.recap().h1).toMatchObject({ ok: 4, changed: 0 });
    expect(snapshot(dir)).toEqual(after);
  }, 60_000);

  test('--check --diff shows the change without making it', async () => {
    const f = join(p.th.host('h1').root, 'diffme');
    writeFileSync(f, KV);
    const res = await play(p, pb(`    - name: d\n      lineinfile: { path: ${f}, regexp: '^b=', line: 'b=3' }\n`), ['--check', '--diff']);
    expect(res.result('d').diff).toEqual([{ target: `${f} (content)`, before: KV, after: 'a=1\nb=3\nc=3\n' }]);
    expect(readFileSync(f, 'utf8')).toBe(KV);
  });

  test('owner, group and symbolic mode are applied, and reported with the content change', async () => {
    const f = join(p.th.host('h1').root, 'owned');
    writeFileSync(f, KV, { mode: 0o644 });
    const task = `    - name: own\n      lineinfile: { path: ${f}, line: 'o=1', owner: nobody, group: nogroup, mode: 'u=rw,g=r,o=' }\n`;
    const res = await play(p, pb(task));
    expect(res.result('own')).toMatchObject({ status: 'changed', data: { msg: 'line added and ownership, perms or SE linux context changed' } });
    const st = statSync(f);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
    expect((await play(p, pb(task))).result('own').status).toBe('ok');
  });

  test('a failing validate leaves the file intact; a passing one writes', async () => {
    const f = join(p.th.host('h1').root, 'validated');
    writeFileSync(f, KV);
    const bad = await play(p, pb(`    - name: v\n      lineinfile: { path: ${f}, line: 'bad', validate: 'grep -q good %s' }\n`));
    expect(bad.result('v').status).toBe('failed');
    expect(bad.result('v').msg).toContain('validation failed');
    expect(readFileSync(f, 'utf8')).toBe(KV);
    const good = await play(p, pb(`    - name: v\n      lineinfile: { path: ${f}, line: 'good', validate: 'grep -q good %s' }\n`));
    expect(good.result('v').status).toBe('changed');
    expect(readFileSync(f, 'utf8')).toBe(KV + 'good\n');
  });

  test('backup keeps the old file under Ansible\'s name, returned as `backup` (lineinfile\'s key, unlike replace/blockinfile)', async () => {
    const dir = join(p.th.host('h1').root, 'backups');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'f'), KV);
    const res = await play(p, pb(`    - name: b\n      lineinfile: { path: ${dir}/f, line: 'new', backup: true }\n`));
    expect(res.result('b').data!.backup_file).toBeUndefined();
    const backup = res.result('b').data!.backup as string;
    expect(backup).toMatch(new RegExp(`^${dir}/f\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
    expect(readFileSync(backup, 'utf8')).toBe(KV);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(KV + 'new\n');
  });

  test('a symlink stays a link and its target is edited', async () => {
    const dir = join(p.th.host('h1').root, 'links');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'real'), KV);
    if (!existsSync(join(dir, 'link'))) symlinkSync('real', join(dir, 'link'));
    const res = await play(p, pb(`    - name: l\n      lineinfile: { path: ${dir}/link, line: 'via link' }\n`));
    expect(res.result('l').status).toBe('changed');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real'), 'utf8')).toBe(KV + 'via link\n');
  });

  test('a directory is refused as Ansible does', async () => {
    const res = await play(p, pb(`    - name: dir\n      lineinfile: { path: ${p.th.host('h1').root}, line: x }\n      ignore_errors: true\n`));
    expect(res.result('dir')).toMatchObject({ status: 'failed', msg: `Path ${p.th.host('h1').root} is a directory !` });
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(
      p,
      pb(
        [
          '    - lineinfile: path=/tmp/x line=y unsafe_writes=yes',
          '    - lineinfile:',
          '        path: /tmp/x',
          "        regexp: '(?P<1>x)'",
          '        line: y',
          '    - lineinfile: { path: /tmp/x, regexp: a, search_string: b, line: c }',
          '    - lineinfile: { path: /tmp/x, state: absent }',
          '    - lineinfile: { path: /tmp/x, line: y, validate: visudo -c }',
          '',
        ].join('\n'),
      ),
    );
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("site.yml:4:19: unknown argument 'unsafe_writes' for module 'lineinfile'");
    expect(res.stderr).toMatch(/site\.yml:7:17: .*regexp "\(\?P<1>x\)" is not a usable Python regular expression: bad character in group name '1'/);
    expect(res.stderr).toMatch(/site\.yml:9:\d+: .*parameters are mutually exclusive: regexp\|search_string/);
    expect(res.stderr).toMatch(/site\.yml:10:\d+: .*one of line, search_string, or regexp is required with state=absent/);
    expect(res.stderr).toMatch(/site\.yml:11:\d+: .*validate must contain %s/);
  });
});
