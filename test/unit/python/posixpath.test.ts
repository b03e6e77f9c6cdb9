// Python's posixpath functions checked against real Python 3's posixpath.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ancestors, pyBasename, pyDirname, pyJoin, pyNormpath, pySplitext } from '../../../src/python/posixpath.js';

function python(code: string, input: unknown): unknown {
  return JSON.parse(execFileSync('python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', env: { PATH: process.env.PATH! } }));
}

const PATHS = ['/a//b/./c/', '//x/y', '///x', 'a/../../b', '/../a', '', '.', 'a/b/..', '/tmp/x/', 'x', '/x', '/a/b', 'a/b/', '/a/b.conf', '.bashrc', 'a/..b', 'a.b/c', 'x.tar.gz', '/', '//'];

describe('posixpath as Python', () => {
  it('join, dirname, basename', () => {
    expect([pyJoin('/a', 'b'), pyJoin('/a/', 'b'), pyJoin('/a', '/b'), pyJoin('', 'b')]).toEqual(['/a/b', '/a/b', '/b', 'b']);
    expect([pyDirname('x'), pyDirname('/x'), pyDirname('/a/b'), pyDirname('a/b/')]).toEqual(['', '/', '/a', 'a/b']);
    expect(pyBasename('/a/b.conf')).toBe('b.conf');
  });

  it('normpath is posixpath.normpath', () => {
    const paths = ['/a//b/./c/', '//x/y', '///x', 'a/../../b', '/../a', '', '.', 'a/b/..', '/tmp/x/'];
    expect(paths.map(pyNormpath)).toEqual(python('import json,sys,posixpath; print(json.dumps([posixpath.normpath(p) for p in json.load(sys.stdin)]))', paths));
  });

  it('dirname, basename, splitext and normpath give what Python gives on every path', () => {
    const want = python(
      'import json,sys,posixpath as p; print(json.dumps([[p.dirname(x), p.basename(x), list(p.splitext(x)), p.normpath(x)] for x in json.load(sys.stdin)]))',
      PATHS,
    );
    expect(PATHS.map((x) => [pyDirname(x), pyBasename(x), pySplitext(x), pyNormpath(x)])).toEqual(want);
  });

  it('join gives what Python gives', () => {
    const cases = [['/a', 'b'], ['/a/', 'b'], ['/a', '/b'], ['', 'b'], ['a', '', 'c'], ['a', 'b/', ''], ['/', 'x', '/y', 'z']];
    expect(cases.map(([a, ...rest]) => pyJoin(a!, ...rest))).toEqual(python('import json,sys,posixpath; print(json.dumps([posixpath.join(*c) for c in json.load(sys.stdin)]))', cases));
  });

  it('ancestors lists the proper ancestors, outermost first', () => {
    expect([ancestors('/a/b/c'), ancestors('a/b')]).toEqual([['/a', '/a/b'], ['a']]);
  });
});
