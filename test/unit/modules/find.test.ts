// find: values and path handling checked against Python's own functions, the remote
// command run locally on a real tree, and the selection rules (os.walk order, depth, hidden,
// examined) on listings.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import find, { findScriptSpec, findSpec, planFind, type FindArgs } from '../../../src/modules/find.js';
import { findCommand, parseFindOutput } from '../../../src/modules/lib/find-script.js';
import { parseAge, parseSize, selectFiles, type FindEntry, type FindRoot } from '../../../src/modules/lib/find-walk.js';

function args(a: Record<string, unknown>): FindArgs {
  return find.args.parse({ paths: '/srv', ...a }) as FindArgs;
}

function python(code: string, input: unknown, env: Record<string, string> = {}): unknown {
  return JSON.parse(execFileSync('python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', env: { PATH: process.env.PATH!, ...env } }));
}

describe('values as Ansible parses them', () => {
  test.each([
    ['7d', 604800],
    ['-2h', -7200],
    ['4W', 2419200],
    ['90', 90],
    ['1y', undefined],
    ['+1d', undefined],
  ])('age %s', (s, n) => expect(parseAge(s)).toBe(n));
  test.each([
    ['50M', 52428800],
    ['-1k', -1024],
    ['10g', 10737418240],
    ['3b', 3],
    ['2t', 2 * 1024 ** 4],
    ['1.5k', undefined],
  ])('size %s', (s, n) => expect(parseSize(s)).toBe(n));

  test('~ and $VAR in paths expand on the target as expanduser(expandvars()) does', () => {
    const paths = ['~', '~/x', '~root/y', '~nosuchuser/z', '$HOME/a', '${SAMS_T}/b', '$SAMS_T$SAMS_T', '$UNSET_SAMS/c', '${}', '$1x', 'plain', '$SAMS_TILDE/q'];
    const env = { HOME: '/home/tester/', SAMS_T: 'v a l', SAMS_TILDE: '~root' };
    const want = python('import json,sys,os; print(json.dumps([os.path.expanduser(os.path.expandvars(p)) for p in json.load(sys.stdin)]))', paths, env);
    const out = execFileSync('sh', ['-c', findCommand(findScriptSpec(args({ paths }))).text], { encoding: 'utf8', env: { PATH: process.env.PATH!, ...env } });
    expect(parseFindOutput(out).roots.map((r) => r.path)).toEqual(want);
  });
});

describe('the remote command, run locally', () => {
  test('lists lstat data, checksums and content matches in one run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sams-find-'));
    mkdirSync(join(dir, 'sub/deep'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'TODO one\n');
    writeFileSync(join(dir, 'sub/b.txt'), 'none\n');
    writeFileSync(join(dir, 'sub/deep/c.txt'), 'x TODO\n');
    symlinkSync('sub', join(dir, 'ln'));
    const a = args({ paths: [dir, join(dir, 'a.txt')], recurse: true, contains: 'TODO', get_checksum: true });
    const listing = parseFindOutput(execFileSync('sh', ['-c', findCommand(findScriptSpec(a)).text], { encoding: 'utf8' }));
    expect(listing.now).toBeGreaterThan(1e9);
    const [root, notDir] = listing.roots;
    expect(notDir).toMatchObject({ isDir: false });
    expect(root!.entries.map((e) => [e.path.slice(dir.length), e.type, e.targetType]).sort()).toEqual([
      ['/a.txt', 'f', 'f'],
      ['/ln', 'l', 'd'],
      ['/sub', 'd', 'd'],
      ['/sub/b.txt', 'f', 'f'],
      ['/sub/deep', 'd', 'd'],
      ['/sub/deep/c.txt', 'f', 'f'],
    ]);
    expect([...root!.containing]).toEqual([join(dir, 'a.txt')]);
    expect(root!.checksums.get(join(dir, 'a.txt'))).toBe(execFileSync('sha1sum', [join(dir, 'a.txt')], { encoding: 'utf8' }).slice(0, 40));
    const plan = planFind(a, listing);
    expect(plan).toMatchObject({ kind: 'ok', data: { matched: 1, examined: 6, msg: 'Not all paths examined, check warnings for details', skipped_paths: { [join(dir, 'a.txt')]: `'${join(dir, 'a.txt')}' is not a directory` } } });
  });
});

function entry(path: string, type = 'f', o: Partial<FindEntry> = {}): FindEntry {
  return { type, targetType: type, mode: 0o644, uid: 0, gid: 0, owner: 'root', group: 'root', size: 10, inode: 1, dev: 1, nlink: 1, atime: 1000, mtime: 1000, ctime: 1000, path, ...o };
}

function root(path: string, entries: FindEntry[]): FindRoot {
  return { path, isDir: true, entries, checksums: new Map(), containing: new Set() };
}

describe('selection', () => {
  // As find -P lists it: depth first, each directory's entries in directory order.
  const listing = [
    root('/r/', [
      entry('/r/d1', 'd'),
      entry('/r/d1/x.log'),
      entry('/r/d1/d2', 'd'),
      entry('/r/d1/d2/y.log'),
      entry('/r/a.log'),
      entry('/r/.h', 'd'),
      entry('/r/.h/z.log'),
      entry('/r/l', 'l', { targetType: 'd' }),
      entry('/r/b.log', 'f', { mtime: 100, size: 5000 }),
    ]),
  ];
  const spec = (a: Record<string, unknown>) => ({ sel: () => selectFiles(listing, findSpec(args(a)), 2000) });
  const paths = (a: Record<string, unknown>) => spec(a).sel().files.map((f) => f.path);

  test('os.walk order: a directory\'s files, then its subdirectories in turn; hidden dirs are still walked', () => {
    expect(paths({ recurse: true })).toEqual(['/r/a.log', '/r/b.log', '/r/d1/x.log', '/r/d1/d2/y.log', '/r/.h/z.log']);
    expect(spec({ recurse: true }).sel().examined).toBe(9);
  });
  test('without recurse only the top directory', () => {
    expect(paths({})).toEqual(['/r/a.log', '/r/b.log']);
    expect(spec({}).sel().examined).toBe(5);
  });
  test('depth 1 still counts the level below as examined', () => {
    expect(paths({ recurse: true, depth: 1 })).toEqual(['/r/a.log', '/r/b.log']);
    expect(spec({ recurse: true, depth: 1 }).sel().examined).toBe(9 - 1);
  });
  test('directories and links by lstat type; a link to a directory is listed with the directories but not walked', () => {
    expect(paths({ recurse: true, file_type: 'directory', hidden: true })).toEqual(['/r/d1', '/r/.h', '/r/d1/d2']);
    expect(paths({ recurse: true, file_type: 'link' })).toEqual(['/r/l']);
    expect(paths({ file_type: 'any' })).toEqual(['/r/a.log', '/r/b.log', '/r/d1', '/r/l']);
  });
  test('age and size against the target clock', () => {
    expect(paths({ age: '1500s' })).toEqual(['/r/b.log']);
    expect(paths({ age: '-1500s' })).toEqual(['/r/a.log']);
    expect(paths({ size: '1k' })).toEqual(['/r/b.log']);
  });
  test('regex patterns use re.match (a prefix is enough), excludes cull', () => {
    expect(paths({ use_regex: true, patterns: 'a' })).toEqual(['/r/a.log']);
    expect(paths({ patterns: '*.log', excludes: 'b*' })).toEqual(['/r/a.log']);
  });
  test('result dicts have Ansible\'s keys in its order', () => {
    const f = spec({ patterns: 'a.log' }).sel().files[0]!;
    expect(Object.keys(f)).toEqual(['path', 'mode', 'isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock', 'uid', 'gid', 'size', 'inode', 'dev', 'nlink', 'atime', 'mtime', 'ctime', 'gr_name', 'pw_name', 'wusr', 'rusr', 'xusr', 'wgrp', 'rgrp', 'xgrp', 'woth', 'roth', 'xoth', 'isuid', 'isgid']);
    expect(f).toMatchObject({ mode: '0644', rusr: true, wusr: true, roth: true, woth: false });
  });

  test('what the target lists follows recurse and depth', () => {
    expect(findScriptSpec(args({})).listDepth).toBe(1);
    expect(findScriptSpec(args({ recurse: true })).listDepth).toBeUndefined();
    expect(findScriptSpec(args({ recurse: true, depth: 2 }))).toMatchObject({ listDepth: 3, candidates: { maxdepth: 2 } });
    expect(findScriptSpec(args({ patterns: ['f?.log', '[ab]*'] })).candidates.names).toEqual(['f*.log', '*']);
    expect(findScriptSpec(args({ size: '-1k' })).candidates).toMatchObject({ maxSize: 1024 });
    expect(findScriptSpec(args({ contains: 'x' })).contains).toEqual({ pcre: '\\A(?:x)', wholeFile: false });
    expect(findScriptSpec(args({ contains: 'x', file_type: 'any' })).contains).toBeUndefined();
  });
});
