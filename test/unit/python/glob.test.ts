// Python's glob.glob checked against real Python 3 on a real tree: hidden names, brackets,
// braces (literal to Python), wildcards in directory components, links and missing paths.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pyGlob } from '../../../src/python/glob.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-glob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const d of ['conf.d', 'conf.d/sub', '.hid', 'other', 'a{b,c}']) mkdirSync(join(dir, d), { recursive: true });
for (const f of ['a.conf', 'b.conf', '.h.conf', 'x[1].txt', 'x1.txt', 'readme', 'a{b,c}.txt', 'ab.txt', 'conf.d/c.conf', 'conf.d/.d.conf', 'conf.d/sub/e.conf', '.hid/f.conf', 'other/g.conf', 'a{b,c}/h.conf']) {
  writeFileSync(join(dir, f), '');
}
symlinkSync('conf.d', join(dir, 'linkdir'));
symlinkSync('nowhere', join(dir, 'dangling.conf'));

const PATTERNS = ['*.conf', '.*.conf', '*', 'x[1].txt', 'x[!a].txt', 'x[[]1].txt', 'a{b,c}.txt', 'a{b,c}/*', '*/*.conf', '*/.*', '.*/*.conf', 'conf.d/*', 'conf.d/*/', '*/sub/*.conf', 'link*/*.conf', 'readme', 'nope', 'nope/*', '*.nope', 'conf.d/', '[ab].conf', '?.conf', '**/*.conf'];

describe('glob.glob as Python', () => {
  it('gives the paths Python gives for every pattern (sorted)', () => {
    const want = JSON.parse(
      execFileSync('python3', ['-c', 'import glob,json,sys; print(json.dumps([sorted(glob.glob(p)) for p in json.load(sys.stdin)]))'], {
        input: JSON.stringify(PATTERNS.map((p) => join(dir, p))),
        encoding: 'utf8',
      }),
    );
    expect(PATTERNS.map((p) => pyGlob(join(dir, p)))).toEqual(want);
  });
});
