// shlexSplit agrees with Python's shlex.split (run here for the expected values).

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shlexSplit, ShlexError as ShlexSplitError } from '../../../src/shell/shlex.js';

// One Python run for every case: each result is a list, or null when shlex raises.
function pythonSplits(texts: string[]): (string[] | null)[] {
  const code = 'import json,shlex,sys\nout=[]\nfor t in json.load(sys.stdin):\n  try: out.append(shlex.split(t))\n  except ValueError: out.append(None)\nprint(json.dumps(out))';
  return JSON.parse(execFileSync('python3', ['-c', code], { input: JSON.stringify(texts), encoding: 'utf8' }));
}

const BAD = ["echo 'open", 'echo "open', 'echo trailing\\'];
const CASES = [
  'ls -l /tmp',
  "echo 'a b'  c",
  'echo "a \\"quoted\\" b" \'single \\ kept\'',
  'printf %s\\ x a\\\\b',
  'echo a"b c"d',
  "echo '' \"\" x",
  'grep -E "^# comment$" file # not a comment',
  'echo "dollar $HOME and `tick`" \\$HOME',
  '  leading   and\ttabs\nnewline  ',
  'echo "back\\slash \\n"',
];

const expected = pythonSplits([...CASES, ...BAD]);

describe('shlexSplit', () => {
  it.each(CASES.map((c, i) => [c, i] as const))('splits %j as Python does', (text, i) => {
    expect(shlexSplit(text)).toEqual(expected[i]);
  });

  it.each(BAD.map((c, i) => [c, CASES.length + i] as const))('rejects %j as Python does', (text, i) => {
    expect(expected[i]).toBeNull();
    expect(() => shlexSplit(text)).toThrow(ShlexSplitError);
  });
});
