// find end to end over sshd: on a tree of thousands of files, the same matched/examined counts, the
// same files in the same order with the same stat keys as ansible-playbook's find for many argument
// combinations; read-only in check mode; load-time argument errors.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ansiblePlay, play, useProject, type Json } from './core-helpers.js';

const p = useProject(1, 'find');
let tree = '';

// Thousands of files: 12 directories x 200 files, nested levels, hidden files and directories,
// symlinks (to files, to directories, dangling), sizes, ages and contents to filter on.
const MAKE_TREE = String.raw`
set -e
cd "$1"
for d in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda .secret; do
  mkdir -p "$d/sub/deeper"
  cd "$d"
  for i in $(seq 1 120); do : > "f$i.log"; done
  for i in $(seq 1 50); do : > "sub/g$i.txt"; done
  for i in $(seq 1 30); do : > "sub/deeper/h$i.conf"; done
  : > .hidden-file
  cd ..
done
printf 'TODO: first\nline two\n' > alpha/todo.txt
printf 'nothing here\n  TODO indented\n' > beta/todo.txt
printf 'multi\nline\nmatch\n' > gamma/multi.txt
head -c 3000 /dev/zero > delta/big.bin
head -c 1024 /dev/zero > delta/exact1k.bin
head -c 1025 /dev/zero > delta/over1k.bin
touch -d '10 days ago' epsilon/f1.log epsilon/f2.log epsilon/sub/g1.txt
touch -d '3 hours ago' zeta/f1.log
ln -s alpha link-to-dir
ln -s alpha/f1.log link-to-file
ln -s nowhere dangling
mkdir -p 'odd [name]/x y'
: > 'odd [name]/x y/f[1].log'
: > 'odd [name]/-dash.log'
chmod 4755 alpha/f3.log
chmod 600 beta/f4.log
chown nobody:nogroup gamma/f5.log
chown 54321:54321 gamma/f6.log
`;

const COMBOS: [string, Json][] = [
  ['defaults', {}],
  ['recurse', { recurse: true }],
  ['patterns', { recurse: true, patterns: '*.conf,f1?.log' }],
  ['pattern list with excludes', { recurse: true, patterns: ['*.log', '*.txt'], excludes: ['*1*', 'g*'] }],
  ['brackets', { recurse: true, patterns: ['[fh]1[0-2].*', '[!fgh]*', 'f[1].log'] }],
  ['regex', { recurse: true, use_regex: true, patterns: ['f\\d+\\.log$', 'todo'] }],
  ['regex excludes', { recurse: true, use_regex: true, patterns: '.*\\.txt', excludes: ['g[0-4]'] }],
  ['hidden', { recurse: true, hidden: true, patterns: '*hidden*' }],
  ['directories', { recurse: true, file_type: 'directory' }],
  ['links', { recurse: true, file_type: 'link' }],
  ['any, depth 2', { recurse: true, file_type: 'any', depth: 2 }],
  ['depth 1', { recurse: true, depth: 1 }],
  ['size at least 1k', { recurse: true, size: '1k' }],
  ['size at most 1k', { recurse: true, size: '-1k', patterns: '*.bin' }],
  ['age over 5 days', { recurse: true, age: '5d' }],
  ['age under 1 hour', { recurse: true, age: '-1h', patterns: 'f1.log' }],
  ['age by ctime', { recurse: true, age: '2d', age_stamp: 'ctime' }],
  ['contains (line by line, anchored)', { recurse: true, contains: 'TODO' }],
  ['contains (whole file)', { recurse: true, contains: 'line\\nmatch', read_whole_file: true }],
  ['contains with a class', { recurse: true, contains: '\\s+TODO' }],
  ['checksums', { recurse: true, get_checksum: true, patterns: '*.bin,todo*' }],
  ['any with checksums', { file_type: 'any', get_checksum: true, paths: 'delta' }],
  ['follow', { recurse: true, follow: true, patterns: 'f1*.log' }],
  ['follow, links', { recurse: true, follow: true, file_type: 'link' }],
  ['several paths, some not directories', { paths: ['alpha', 'nowhere', 'link-to-file', 'beta/sub'] }],
  ['a path that is a link to a directory', { paths: 'link-to-dir', recurse: true, patterns: 'f1*' }],
  ['a path with a trailing slash', { paths: 'beta/', recurse: true, depth: 2, patterns: '*1.*' }],
  ['odd names', { recurse: true, paths: 'odd [name]', patterns: '*' }],
];

function findArgs(args: Json): Json {
  const paths = args.paths === undefined ? [tree] : ([] as string[]).concat(args.paths as string[]).map((x) => join(tree, x));
  return { ...args, paths };
}

function playbook(local: boolean): string {
  const lines = ['- hosts: h1', '  gather_facts: false', ...(local ? ['  connection: local'] : []), '  tasks:'];
  for (const [name, args] of COMBOS) lines.push(`    - name: ${name}`, `      find: ${JSON.stringify(findArgs(args))}`);
  return lines.join('\n') + '\n';
}

/** What must agree: everything but atime (reading files for contains/checksums may touch it). */
function comparable(r: Json): Json {
  const files = (r.files as Json[]).map((f) => {
    const { atime: _atime, ...rest } = f;
    return rest;
  });
  return { matched: r.matched, examined: r.examined, msg: r.msg, skipped_paths: r.skipped_paths, files };
}

describe('find', () => {
  beforeAll(() => {
    tree = join(p.th.host('h1').root, 'tree');
    execFileSync('sh', ['-c', `mkdir -p "$1" && ${MAKE_TREE}`, 'sh', tree]);
  }, 60_000);

  test('matches ansible-playbook on a tree of thousands of files, for every argument combination', async () => {
    const [s, a] = await Promise.all([play(p, playbook(false), [], 'find-sams.yml'), ansiblePlay(p, playbook(true), [], 'find-ansible.yml')]);
    expect(s.code, s.stderr).toBe(0);
    const examined = (s.result('recurse').data as Json).examined as number;
    expect(examined).toBeGreaterThan(2400);
    for (const [name] of COMBOS) {
      const ours = s.result(name);
      expect(ours.status, name).toBe('ok');
      expect(comparable(ours.data as Json), name).toEqual(comparable(a.result(name)));
    }
    // Spot checks of the keys themselves.
    const reg = (s.result('patterns').data as Json).files as Json[];
    expect(reg.length).toBeGreaterThan(300);
    const suid = ((s.result('recurse').data as Json).files as Json[]).find((f) => f.path === join(tree, 'alpha/f3.log'))!;
    expect(suid).toMatchObject({ mode: '4755', isuid: true, xoth: true, isreg: true, pw_name: 'root' });
    const orphan = ((s.result('recurse').data as Json).files as Json[]).find((f) => f.path === join(tree, 'gamma/f6.log'))!;
    expect(orphan).toMatchObject({ uid: 54321, pw_name: '', gr_name: '' });
    const sums = (s.result('checksums').data as Json).files as Json[];
    const big = sums.find((f) => f.path === join(tree, 'delta/big.bin'))!;
    expect(big.checksum).toBe(createHash('sha1').update(readFileSync(join(tree, 'delta/big.bin'))).digest('hex'));
    expect((s.result('several paths, some not directories').data as Json).msg).toBe('Not all paths examined, check warnings for details');
  }, 300_000);

  test('the listing is one remote command however many files', async () => {
    const res = await play(p, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: all\n      find: { paths: ${tree}, recurse: true, hidden: true, file_type: any }\n`, ['-vvvv']);
    expect((res.result('all').data as Json).matched as number).toBeGreaterThan(2400);
    // The engine logs each remote command at -vvvv: the play ran exactly one, the find listing.
    const execs = res.events.filter((e) => e.event === 'debug' && /^h1: exec /.test(String(e.message)));
    expect(execs.length).toBe(1);
    expect(String(execs[0]!.message)).toContain('find -H');
  }, 60_000);

  test('size +1k (find(1) spelling, beyond Ansible) selects what 1k selects', async () => {
    const task = (name: string, size: string) => [`    - name: ${name}`, `      find: { paths: ${tree}, recurse: true, size: '${size}' }`];
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', ...task('plus', '+1K'), ...task('plain', '1k'), ''].join('\n'));
    expect(res.code, res.stderr).toBe(0);
    const plus = res.result('plus').data as Json;
    expect(plus.matched as number).toBeGreaterThan(0);
    expect(comparable(plus)).toEqual(comparable(res.result('plain').data as Json));
  });

  test('--check runs it as usual and reports ok', async () => {
    const res = await play(p, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: c\n      find: { paths: ${join(tree, 'alpha')}, patterns: 'f1.log' }\n`, ['--check']);
    expect(res.result('c')).toMatchObject({ status: 'ok', data: { matched: 1, changed: false } });
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(
      p,
      [
        '- hosts: h1',
        '  gather_facts: false',
        '  tasks:',
        '    - find: { paths: /tmp, exact_mode: false }',
        '    - find: { paths: /tmp, age: 3 days }',
        '    - find: { paths: /tmp, size: 10q }',
        "    - find: { paths: /tmp, use_regex: true, patterns: ['(?P<x'] }",
        '    - find: { paths: /tmp, file_type: socket }',
        '    - find: { recurse: true }',
        '',
      ].join('\n'),
    );
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("site.yml:4:28: unknown argument 'exact_mode' for module 'find'");
    expect(res.stderr).toMatch(/site\.yml:5:\d+: .*failed to process age/);
    expect(res.stderr).toMatch(/site\.yml:6:\d+: .*failed to process size/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: .*patterns "\(\?P<x" is not a usable Python regular expression/);
    expect(res.stderr).toMatch(/site\.yml:8:\d+: .*file_type.*must be one of/);
    expect(res.stderr).toMatch(/site\.yml:9:\d+: .*missing required argument 'paths'/);
  });
});
