// Python literal_eval as Ansible's INI inventory applies it; expectations checked against Python 3.11.
import { describe, expect, it } from 'vitest';
import { iniValue, pyLiteral } from '../../../src/inventory/py-literal.js';

describe('pyLiteral reads what ast.literal_eval reads', () => {
  const literals: [string, unknown][] = [
    ['1', 1],
    ['-3', -3],
    ['+5', 5],
    ['1_000', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['00', 0],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['-1.5e+3', -1500],
    ['True', true],
    ['False', false],
    ['None', null],
    ["'a b'", 'a b'],
    ['"x"', 'x'],
    ["u'x'", 'x'],
    ["b'xy'", 'xy'],
    [String.raw`r'a\nb'`, String.raw`a\nb`],
    [String.raw`'a\nb'`, 'a\nb'],
    [String.raw`'\x41\u00e9\101'`, 'AéA'],
    [String.raw`'it\'s'`, "it's"],
    ["'a' 'b'", 'ab'],
    ["'''tri'ple'''", "tri'ple"],
    ["[1, 'a', None]", [1, 'a', null]],
    ['[1,]', [1]],
    ['(1, 2)', [1, 2]],
    ['(1,)', [1]],
    ['()', []],
    ['1, 2', [1, 2]],
    ["{'k': [1, {'n': 2}]}", { k: [1, { n: 2 }] }],
    ["{1: 'a', None: 'c'}", { '1': 'a', null: 'c' }],
    ["{'a': 1, 'a': 2}", { a: 2 }],
    ['{}', {}],
    ['[]', []],
    ['-(1)', -1],
    ['1 # comment', 1],
    ['  7', 7],
    ['set()', []],
    ['{1, 2}', [1, 2]],
    ["'é'", 'é'],
  ];
  it.each(literals)('%s', (text, value) => {
    expect(pyLiteral(text)).toEqual({ value });
  });

  const notLiterals = ['true', 'yes', 'inf', 'nan', 'x', '01', '1__0', '1j', "f'x'", '1 + 2', '--1', "'unterminated", '[1, 2', 'True == 1', "'a' + 'b'", '[1][0]', '', '-', '{**x}', '...', "b'é'", "'a' b'b'", 'a,b'];
  it.each(notLiterals)('%j is not a literal', (text) => {
    expect(pyLiteral(text)).toBeUndefined();
  });
});

describe('iniValue keeps the text when it is no literal', () => {
  it.each([
    ['yes', 'yes'],
    ['8080', 8080],
    ['{"a": 1}', { a: 1 }],
    ["'quoted' trailing", "'quoted' trailing"],
    ['x y # not a comment', 'x y # not a comment'],
  ])('%s', (text, value) => {
    expect(iniValue(text)).toEqual(value);
  });
});
