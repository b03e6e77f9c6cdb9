// Python's fnmatch (find's patterns, setup's filter, apt's version wildcards) checked against
// Python's own fnmatch, and find's `-name` narrowing against real GNU find.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findNameSuperset, pyFnmatch } from '../../../src/python/fnmatch.js';

function python(code: string, input: unknown): unknown {
  return JSON.parse(execFileSync('python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', env: { PATH: process.env.PATH! } }));
}

// setup's filter and apt's version wildcards use the same fnmatch: fact names and Debian versions.
const NAMES = ['f1.log', 'f12.log', '.hidden', 'a[b].txt', 'ab.txt', 'x-y', 'é.txt', 'back\\slash', '!bang', '^caret', 'a]b', 'new\nline', 'data.tar.gz', 'A.LOG', 'ansible_memtotal_mb', 'ansible_eth0', '1:2.36-9+deb12u4', '2.36-9'];
const GLOBS = ['*', '*.log', 'f?.log', 'f*1*.log', '[fa]*', '[!f]*', '[]a]*', '[!]a]*', 'a[b].txt', 'a[[]b].txt', '[a-c]*', '[c-a]*', '[a-]*', '[!-]*', '*[', '[\\]*', 'back\\slash', '[^c]*', '*.*.gz', '*.LOG', '?', '*\n*', '[é]*', '**a*b*', 'ansible_*_mb', 'ansible_eth[0-9]', '1:2.36*', '2.36-[0-9]'];

describe('fnmatch as Python', () => {
  test('every glob selects the names Python selects', () => {
    const want = python('import fnmatch,json,sys; n,g=json.load(sys.stdin); print(json.dumps([[fnmatch.fnmatch(x,p) for x in n] for p in g]))', [NAMES, GLOBS]) as boolean[][];
    GLOBS.forEach((g, i) => expect(NAMES.map((n) => pyFnmatch(n, g)), g).toEqual(want[i]));
  });

  test('the find -name narrowing matches at least those names (real GNU find)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sams-fnm-'));
    for (const n of NAMES) writeFileSync(join(dir, n), '');
    for (const g of GLOBS) {
      const out = execFileSync('find', [dir, '-mindepth', '1', '-name', findNameSuperset(g), '-print0'], { encoding: 'utf8' });
      const found = new Set(out.split('\0').filter(Boolean).map((p) => p.slice(dir.length + 1)));
      for (const n of NAMES) if (pyFnmatch(n, g)) expect(found.has(n), `${g} ${JSON.stringify(n)}`).toBe(true);
    }
  });
});

