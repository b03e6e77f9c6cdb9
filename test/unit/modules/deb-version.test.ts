// Debian version ordering: a table of dpkg's cases, each also checked with `dpkg --compare-versions`
// where dpkg is installed (this machine's apt compares the same way).

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compareDebVersions } from '../../../src/modules/lib/deb-version.js';

const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;

const CASES: [string, '<' | '=' | '>', string][] = [
  ['1.0', '<', '1.1'],
  ['1.0', '=', '1.0'],
  ['1.0', '=', '1.00'],
  ['1.0-1', '<', '1.0-2'],
  ['1.0', '<', '1.0-1'],
  ['1.0', '=', '1.0-0'],
  ['1.0~rc1', '<', '1.0'],
  ['1.0~rc1', '>', '1.0~beta2'],
  ['1.0~~', '<', '1.0~'],
  ['1.0a', '>', '1.0'],
  ['1.0a', '<', '1.0+'],
  ['1.0+dfsg', '>', '1.0'],
  ['1:0.1', '>', '9.9'],
  ['0:1.0', '=', '1.0'],
  ['5.2.15-2+b8', '<', '5.2.15-2+b13'],
  ['3.03+dfsg2-8', '>', '3.03+dfsg1-9'],
  ['2.1.0-1', '>', '2.0'],
  ['10', '>', '9'],
  ['1.2.3-4ubuntu1', '>', '1.2.3-4'],
  ['a', '<', 'b'],
];

describe('compareDebVersions', () => {
  test.each(CASES)('%s %s %s', (a, rel, b) => {
    const c = compareDebVersions(a, b);
    expect(c < 0 ? '<' : c > 0 ? '>' : '=').toBe(rel);
    const back = compareDebVersions(b, a);
    expect(Math.sign(back) + Math.sign(c)).toBe(0);
  });

  test.skipIf(!hasDpkg)('agrees with dpkg --compare-versions on every case (skipped without dpkg)', () => {
    for (const [a, rel, b] of CASES) {
      const op = { '<': 'lt', '=': 'eq', '>': 'gt' }[rel];
      expect([a, rel, b, spawnSync('dpkg', ['--compare-versions', a, op, b]).status]).toEqual([a, rel, b, 0]);
    }
  });
});
