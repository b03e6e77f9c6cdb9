// evalCondition: `when:` semantics (bare expressions, lists, Python truthiness), and the string
// "false"/"no" that Jinja would call true is an error instead of a surprise.

import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { createTemplar } from '../../../src/template/index.js';

const templar = createTemplar();
const vars = {
  n: 3,
  s: 'text',
  empty_list: [],
  empty_dict: {},
  zero: 0,
  flag_true: true,
  flag_str: 'false',
  no_str: 'no',
  yes_str: 'yes',
  result: { changed: true, failed: false, rc: 0, stdout: 'ok' },
};
const loc = { file: '/p/tasks/main.yml', line: 7, col: 11 };

describe('evalCondition', () => {
  it.each([
    [true, true],
    [false, false],
    ['n == 3', true],
    ['n > 3', false],
    ['s', true],
    ['empty_list', false],
    ['empty_dict', false],
    ['zero', false],
    ['flag_true', true],
    ['not flag_true', false],
    ['result is changed', true],
    ['result is failed', false],
    ['result.rc == 0 and result.stdout == "ok"', true],
    ['nope is defined', false],
    ['nope is not defined', true],
    ['{{ n == 3 }}', true],
    ['{{ flag_true }}', true],
    ['{{ n }} > 2', true],
    ['yes_str', true],
    ['flag_str | bool', false],
    ['', true],
    [null, true],
    [['n > 1', 'flag_true'], true],
    [['n > 1', 'zero'], false],
    [[], true],
  ])('%j is %s', (cond, expected) => {
    expect(templar.evalCondition(cond, vars, { loc })).toBe(expected);
  });

  it.each([
    ['flag_str', 'false'],
    ['{{ flag_str }}', 'false'],
    ['no_str', 'no'],
    ["'off'", 'off'],
    ["'0'", '0'],
  ])('%s gives the string %s: an error with the position and a hint', (cond, text) => {
    let err: unknown;
    try {
      templar.evalCondition(cond, vars, { loc, host: 'db1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SamsError);
    const e = err as SamsError;
    expect(e.message).toContain(`gives the string "${text}"`);
    expect(e.message).toContain('on host db1');
    expect(e.loc).toEqual(loc);
    expect(e.hint).toMatch(/\| bool/);
  });

  it('reports an undefined variable in a list item', () => {
    expect(() => templar.evalCondition(['n > 1', 'missing_var'], vars, { loc })).toThrow(/undefined variable 'missing_var'/);
  });
});
