// Python str methods checked against real Python 3.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pySplitlines } from '../../../src/python/str.js';

const TEXTS = ['', '\n', 'a', 'a\n', 'a\n\n', 'a\r\nb\rc\nd', 'a\vb\fc\x1cd\x1de\x1ef\x85g\u2028h\u2029i', '\r\n\r\n', 'x\n\ry'];

describe('str.splitlines as Python', () => {
  it.each([false, true])('keepends=%s', (keepends) => {
    const want = JSON.parse(
      execFileSync('python3', ['-c', `import json,sys; print(json.dumps([t.splitlines(${keepends ? 'True' : 'False'}) for t in json.load(sys.stdin)]))`], {
        input: JSON.stringify(TEXTS),
        encoding: 'utf8',
      }),
    );
    expect(TEXTS.map((t) => pySplitlines(t, keepends))).toEqual(want);
  });
});
