// The target-side expanduser(expandvars()) that command's words, find's paths and wait_for's path
// go through, run by the real sh and checked against real Python's os.path functions.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXPAND_FN, EXPAND_PRINT_FN } from '../../../src/modules/lib/expand-path.js';

const WORDS = ['~', '~/x', '~root', '~root/y', '~nosuchuser/z', '$HOME/a', '${SAMS_T}/b', '$SAMS_T$SAMS_T', '$UNSET_SAMS/c', '${}', '${SAMS_T', '$1x', '$', 'a$', 'plain', '$SAMS_TILDE/q', '$SAMS_DOLLAR', 'x~', '~//'];

function expand(env: Record<string, string>): string[] {
  const script = `${EXPAND_FN}\n${EXPAND_PRINT_FN}\nfor w in "$@"; do x "$w"; printf '\\0'; done`;
  return execFileSync('sh', ['-c', script, 'sh', ...WORDS], { encoding: 'utf8', env: { PATH: process.env.PATH!, ...env } }).split('\0').slice(0, -1);
}

function python(env: Record<string, string>): string[] {
  return JSON.parse(
    execFileSync('python3', ['-c', 'import json,sys,os; print(json.dumps([os.path.expanduser(os.path.expandvars(p)) for p in json.load(sys.stdin)]))'], {
      input: JSON.stringify(WORDS),
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, ...env },
    }),
  ) as string[];
}

describe('expanduser(expandvars()) on the target', () => {
  it.each([
    ['HOME with a trailing slash', { HOME: '/home/tester/', SAMS_T: 'v a l', SAMS_TILDE: '~root', SAMS_DOLLAR: '$HOME' }],
    ['HOME of /', { HOME: '/', SAMS_T: 'x' }],
    ['no HOME (the passwd entry)', { SAMS_T: 'x' }],
  ])('%s', (_name, env) => {
    expect(expand(env)).toEqual(python(env));
  });
});
