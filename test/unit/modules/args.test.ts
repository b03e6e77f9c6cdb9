// Argument coercions shared by the modules: a YAML boolean or number given where a string is
// expected becomes what Python's str() makes of it, as Ansible's `type: str` does.

import { describe, expect, test } from 'vitest';
import { zStr, zStrOrSecret } from '../../../src/modules/lib/args.js';

describe('zStr', () => {
  test.each([
    [false, 'False'],
    [true, 'True'],
    [8080, '8080'],
    ['off', 'off'],
  ])('%j becomes %j', (v, want) => {
    expect(zStr().parse(v)).toBe(want);
    expect(zStrOrSecret().parse(v)).toBe(want);
  });
});
