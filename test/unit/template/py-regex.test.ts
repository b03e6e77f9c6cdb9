// Python `re` semantics on JavaScript regexps. Expected values printed by CPython 3.11's re module.

import { describe, expect, it } from 'vitest';
import { reEscape, reFindall, reSearch, reSub } from '../../../src/template/py-regex.js';

const M = 8;
const S = 16;

describe('re.sub', () => {
  it.each([
    ['c$', 'X', 'abc\n', 0, 'abX\n'],
    ['^', '> ', 'a\nb\n', M, '> a\n> b\n> '],
    ['$', '<', 'a\nb\n', M, 'a<\nb<\n<'],
    ['\\Aa', 'X', 'aa\na', M, 'Xa\na'],
    ['a\\Z', 'X', 'a\na', 0, 'a\nX'],
    ['(?P<w>\\w+)@(?P<d>\\w+)', '\\g<d> at \\g<w>', 'me@host you@there', 0, 'host at me there at you'],
    ['(a)|(b)', '[\\1\\2]', 'ab', 0, '[a][b]'],
    ['x*', '-', 'abxd', 0, '-a-b--d-'],
    ['[]a]', '!', 'a]b', 0, '!!b'],
    ['[^]a]', '!', 'a]b', 0, 'a]!'],
    ['(?i)HELLO', 'bye', 'Hello hello', 0, 'bye bye'],
    ['\\d{2,}', '#', 'a1b22c333', 0, 'a1b#c#'],
    ['a.c', '_', 'a\nc abc', S, '_ _'],
    ['\\\\', '/', 'a\\b', 0, 'a/b'],
    ['(\\w+) (\\w+)', '\\2 \\1\\n', 'hello world', 0, 'world hello\n'],
  ])('%s -> %s on %j', (pattern, repl, text, flags, expected) => {
    expect(reSub(pattern, repl, text, { multiline: (flags & M) !== 0, dotall: (flags & S) !== 0 })).toBe(expected);
  });

  it('rejects an unknown letter escape in the replacement, as Python does', () => {
    expect(() => reSub('a', '\\q', 'a')).toThrow(/bad escape \\q/);
  });
});

describe('re.findall / re.search / re.escape', () => {
  it('findall gives tuples for several groups, strings otherwise', () => {
    expect(reFindall('(\\d)(\\w)?', '1a 2 3b')).toEqual([['1', 'a'], ['2', ''], ['3', 'b']]);
    expect(reFindall('\\b\\w', 'one two')).toEqual(['o', 't']);
  });

  it('search understands (?P=name), Python ^ and verbose patterns', () => {
    expect(reSearch('(?P<k>\\w+)=(?P=k)', 'a=b x=x')?.[0]).toBe('x=x');
    expect(reSearch('^b', 'a\nb')).toBeNull();
    expect(reSearch('(?x) a  b  # comment', 'xab')?.[0]).toBe('ab');
  });

  it('escape escapes what Python 3.7+ escapes', () => {
    expect(reEscape('a.b*c?d+e(f)g[h]i{j}k|l^m$n\\o p#q&r~s-t\tu')).toBe('a\\.b\\*c\\?d\\+e\\(f\\)g\\[h\\]i\\{j\\}k\\|l\\^m\\$n\\\\o\\ p\\#q\\&r\\~s\\-t\\\tu');
  });
});
