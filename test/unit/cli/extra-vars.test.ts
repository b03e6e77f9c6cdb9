import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseExtraVars } from '../../../src/cli/extra-vars.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-ev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-e extra vars', () => {
  test('k=v pairs are strings, quotes removed', () => {
    expect(parseExtraVars(['a=1 b="two words" c=x=y'], undefined)).toEqual({ a: '1', b: 'two words', c: 'x=y' });
  });
  test('JSON / YAML flow mappings keep their types', () => {
    expect(parseExtraVars(['{"n": 1, "l": [1, 2], "b": true}'], undefined)).toEqual({ n: 1, l: [1, 2], b: true });
  });
  test('@file reads a vars file; later -e wins', () => {
    writeFileSync(join(dir, 'v.yml'), 'a: from-file\nlist: [x]\n');
    expect(parseExtraVars(['@v.yml', 'a=cli'], undefined, dir)).toEqual({ a: 'cli', list: ['x'] });
  });
  test('a bare word is an error with the accepted forms', () => {
    expect(() => parseExtraVars(['oops'], undefined)).toThrow(/expected name=value pairs/);
  });
});
