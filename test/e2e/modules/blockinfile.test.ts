// blockinfile end to end over sshd: byte-identical results and changed flags against
// ansible-playbook on a table of cases, blocks written by Ansible recognised, idempotency, check
// mode, diff, attributes, validate and load-time argument errors.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareWithAnsible, type EditCase } from '../../fixtures/text-edit/compare.js';
import { ansiblePlay, play, useProject } from './core-helpers.js';

const p = useProject(1, 'blockinfile');

const KV = 'a=1\nb=2\nc=3\n';
const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';
const WITH_BLOCK = `a=1\n${B}old\n${E}c=3\n`;

const CASES: EditCase[] = [
  { name: 'block appended at EOF', content: KV, args: { block: 'x=1\ny=2' } },
  { name: 'existing block updated', content: WITH_BLOCK, args: { block: 'new\nlines' } },
  { name: 'same block is ok', content: WITH_BLOCK, args: { block: 'old' } },
  { name: 'same block with its newline is ok', content: WITH_BLOCK, args: { block: 'old\n' } },
  { name: 'state absent removes the block', content: WITH_BLOCK, args: { state: 'absent' } },
  { name: 'empty block removes the block', content: WITH_BLOCK, args: { block: '' } },
  { name: 'content alias', content: KV, args: { content: 'via content' } },
  { name: 'absent when there is no block', content: KV, args: { state: 'absent' } },
  { name: 'insertafter regex', content: KV, args: { block: 'X', insertafter: '^a=' } },
  { name: 'insertafter last match', content: 'x\ny\nx\ny\n', args: { block: 'X', insertafter: '^x' } },
  { name: 'insertbefore regex', content: KV, args: { block: 'X', insertbefore: '^c=' } },
  { name: 'insertbefore BOF', content: KV, args: { block: 'X', insertbefore: 'BOF' } },
  { name: 'insertafter EOF', content: KV, args: { block: 'X', insertafter: 'EOF' } },
  { name: 'insertafter without match goes to EOF', content: KV, args: { block: 'X', insertafter: '^zz' } },
  { name: 'insertbefore without match goes to EOF', content: KV, args: { block: 'X', insertbefore: '^zz' } },
  { name: 'existing block stays where it is', content: WITH_BLOCK, args: { block: 'moved?', insertbefore: 'BOF' } },
  { name: 'multiline insertafter counts to the match end', content: KV, args: { block: 'X', insertafter: '(?m)^b=2\\n' } },
  { name: 'multiline insertbefore', content: KV, args: { block: 'X', insertbefore: '(?m)^c=' } },
  { name: 'multiline match across lines', content: KV, args: { block: 'X', insertafter: '(?m)a=1\\nb=2' } },
  { name: 'multiline match ending the file fails as in Ansible', content: KV, args: { block: 'X', insertafter: '(?m)c=3\\n' }, ignoreMsg: true },
  { name: 'multiline newline count in decoded text', content: 'é=1\nb=2\nc=3\n', args: { block: 'X', insertafter: '(?m)^b=2$' } },
  { name: 'custom marker', content: KV, args: { marker: '// {mark} managed', block: 'X' } },
  { name: 'custom marker_begin and marker_end', content: KV, args: { marker_begin: 'START', marker_end: 'STOP', block: 'X' } },
  { name: 'marker_begin is a replacement template', content: KV, args: { marker_begin: 'A\\tB', block: 'X' } },
  { name: 'marker without {mark}', content: `a\n# fixed\nb\n`, args: { marker: '# fixed', block: 'X' } },
  { name: 'end marker before begin marker', content: `x\n${E}mid\n${B}y\n`, args: { block: 'X' } },
  { name: 'only a begin marker', content: `x\n${B}y\n`, args: { block: 'X' } },
  { name: 'file without final newline', content: 'a=1\nb=2', args: { block: 'X' } },
  { name: 'insertafter the unterminated last line', content: 'a=1\nb=2', args: { block: 'X', insertafter: '^b' } },
  { name: 'create a missing file', content: null, args: { block: 'X', create: true } },
  { name: 'create in a missing directory', content: null, args: { block: 'X', create: true }, file: 'new-dir/sub/f' },
  { name: 'missing file without create fails', content: null, args: { block: 'X' } },
  { name: 'absent on a missing file without create fails', content: null, args: { state: 'absent' } },
  { name: 'absent on a missing file with create', content: null, args: { state: 'absent', create: true } },
  { name: 'create with an empty block makes an empty file', content: null, args: { create: true } },
  { name: 'CRLF markers are not ours', content: `a\r\n# BEGIN ANSIBLE MANAGED BLOCK\r\nold\r\n# END ANSIBLE MANAGED BLOCK\r\n`, args: { block: 'X' } },
  { name: 'CRLF block', content: KV, args: { block: 'x\r\ny' } },
  { name: 'CR line ends before the insert point', content: 'a\rb\r', args: { block: 'X', insertafter: '^a' } },
  { name: 'non-ASCII block', content: KV, args: { block: 'ç=1\n😀' } },
  { name: 'block of one newline', content: KV, args: { block: '\n' } },
  { name: 'another marker beside an existing block', content: WITH_BLOCK, args: { marker: '# {mark} second', block: 'two' } },
  { name: 'mode with a change', content: KV, args: { block: 'X', mode: '0600' } },
  { name: 'mode only', content: WITH_BLOCK, args: { block: 'old', mode: '0640' } },
];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true }) as string[]) {
    const f = join(dir, e);
    const st = statSync(f);
    out[f] = st.isDirectory() ? `dir ${st.mode & 0o7777}` : `${createHash('sha256').update(readFileSync(f)).digest('hex')} ${st.mode & 0o7777} ${st.uid}:${st.gid}`;
  }
  return out;
}

function pb(tasks: string, extra = ''): string {
  return `- hosts: h1\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
}

describe('blockinfile', () => {
  test('gives the bytes, changed flags and messages ansible-playbook gives', async () => {
    expect(await compareWithAnsible(p, 'blockinfile', CASES, 'table')).toEqual([]);
  }, 300_000);

  test('a block written by ansible-playbook is recognised, not duplicated', async () => {
    const f = join(p.th.host('h1').root, 'written-by-ansible');
    writeFileSync(f, KV);
    const task = `    - name: blk\n      blockinfile:\n        path: ${f}\n        insertafter: '^a='\n        block: |\n          listen 80\n          listen 443\n`;
    const a = await ansiblePlay(p, pb(task, '  connection: local\n'));
    expect(a.result('blk').changed).toBe(true);
    const written = readFileSync(f, 'utf8');
    const s = await play(p, pb(task));
    expect(s.result('blk').status).toBe('ok');
    expect(readFileSync(f, 'utf8')).toBe(written);
  }, 60_000);

  test('first run changes, second is ok, --check predicts it and changes nothing', async () => {
    const dir = join(p.th.host('h1').root, 'idem');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conf'), WITH_BLOCK);
    const yaml = pb(
      [
        `    - name: update\n      blockinfile: { path: ${dir}/conf, block: "one\\ntwo" }`,
        `    - name: second\n      blockinfile: { path: ${dir}/conf, marker: '; {mark} extra', block: 'x', insertbefore: BOF }`,
        `    - name: create\n      blockinfile: { path: ${dir}/new/f, block: 'made', create: true }`,
        '',
      ].join('\n'),
    );
    const before = snapshot(dir);
    const check = await play(p, yaml, ['--check']);
    for (const t of ['update', 'second', 'create']) expect(check.result(t)).toMatchObject({ status: 'changed', check_only: true });
    expect(snapshot(dir)).toEqual(before);
    const run1 = await play(p, yaml);
    expect(run1.result('update')).toMatchObject({ status: 'changed', data: { msg: 'Block inserted' } });
    expect(run1.result('create')).toMatchObject({ status: 'changed', data: { msg: 'File created' } });
    expect(readFileSync(join(dir, 'conf'), 'utf8')).toBe(`; BEGIN extra\nx\n; END extra\na=1\n${B}one\ntwo\n${E}c=3\n`);
    const after = snapshot(dir);
    expect((await play(p, yaml)).recap().h1).toMatchObject({ ok: 3, changed: 0 });
    expect((await play(p, yaml, ['--check'])).recap().h1).toMatchObject({ ok: 3, changed: 0 });
    expect(snapshot(dir)).toEqual(after);
  }, 60_000);

  test('--check --diff shows the change', async () => {
    const f = join(p.th.host('h1').root, 'diffme');
    writeFileSync(f, WITH_BLOCK);
    const res = await play(p, pb(`    - name: d\n      blockinfile: { path: ${f}, state: absent }\n`), ['--check', '--diff']);
    expect(res.result('d')).toMatchObject({ status: 'changed', data: { msg: 'Block removed' } });
    expect(res.result('d').diff).toEqual([{ target: `${f} (content)`, before: WITH_BLOCK, after: 'a=1\nc=3\n' }]);
    expect(readFileSync(f, 'utf8')).toBe(WITH_BLOCK);
  });

  test('owner, group and mode are applied', async () => {
    const f = join(p.th.host('h1').root, 'owned');
    writeFileSync(f, KV, { mode: 0o644 });
    const task = `    - name: own\n      blockinfile: { path: ${f}, block: 'o', owner: nobody, group: nogroup, mode: '0600' }\n`;
    const res = await play(p, pb(task));
    expect(res.result('own')).toMatchObject({ status: 'changed', data: { msg: 'Block inserted and ownership, perms or SE linux context changed' } });
    const st = statSync(f);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o600]);
    expect((await play(p, pb(task))).result('own').status).toBe('ok');
  });

  test('backup keeps the old file under Ansible\'s name, returned as backup_file (as ansible-playbook does)', async () => {
    const f = join(p.th.host('h1').root, 'backed-up');
    writeFileSync(f, KV);
    const res = await play(p, pb(`    - name: b\n      blockinfile: { path: ${f}, block: 'x', backup: true }\n`));
    const backup = res.result('b').data!.backup_file as string;
    expect(backup).toMatch(new RegExp(`^${f}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
    expect(readFileSync(backup, 'utf8')).toBe(KV);
    expect(readFileSync(f, 'utf8')).toBe(`${KV}${B}x\n${E}`);
  });

  test('a failing validate leaves the file intact', async () => {
    const f = join(p.th.host('h1').root, 'validated');
    writeFileSync(f, KV);
    const res = await play(p, pb(`    - name: v\n      blockinfile: { path: ${f}, block: 'bad', validate: 'grep -q good %s' }\n`));
    expect(res.result('v')).toMatchObject({ status: 'failed' });
    expect(res.result('v').msg).toContain('validation failed');
    expect(readFileSync(f, 'utf8')).toBe(KV);
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(
      p,
      pb(
        [
          '    - blockinfile: { path: /tmp/x, block: y, append_newline: true }',
          '    - blockinfile:',
          '        path: /tmp/x',
          "        insertafter: '(unclosed'",
          '    - blockinfile: { path: /tmp/x, insertafter: a, insertbefore: b }',
          '',
        ].join('\n'),
      ),
    );
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("site.yml:4:46: unknown argument 'append_newline' for module 'blockinfile'");
    expect(res.stderr).toMatch(/site\.yml:7:22: .*insertafter "\(unclosed" is not a usable Python regular expression: missing \), unterminated subpattern/);
    expect(res.stderr).toMatch(/site\.yml:8:\d+: .*parameters are mutually exclusive: insertbefore\|insertafter/);
  });
});
