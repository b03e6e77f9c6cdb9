// Python's shlex.quote checked against real Python 3.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyShlexQuote } from '../../../src/python/shlex.js';

const WORDS = ['', 'plain', 'a b', "it's", 'é', 'x@y%z+=:,./-_', '$HOME', 'a"b', '*', 'new\nline', "''", '-n'];

describe('shlex.quote as Python', () => {
  it('quotes every word as Python does', () => {
    const want = JSON.parse(
      execFileSync('python3', ['-c', 'import json,shlex,sys; print(json.dumps([shlex.quote(w) for w in json.load(sys.stdin)]))'], { input: JSON.stringify(WORDS), encoding: 'utf8' }),
    );
    expect(WORDS.map(pyShlexQuote)).toEqual(want);
  });
});
