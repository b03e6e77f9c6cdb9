// The Python regex translation checked against real Python 3 `re` (the interpreter ansible-core
// runs): the same patterns, subjects and replacement templates give the same spans, groups,
// substitutions and errors.

import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  compilePy,
  expandTemplate,
  parseTemplate,
  pyEscape,
  pyFindall,
  pyMatch,
  pySearch,
  pySubn,
  pyToPcre,
  PyRegexError,
  toByteString,
} from '../../../src/python/re.js';

interface Case {
  pattern: string;
  subjects: string[];
  bytes?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  /** Replacement template for subn over every subject. */
  repl?: string;
}

const CASES: Case[] = [
  { pattern: '^foo$', subjects: ['foo', 'foo\n', 'foo\n\n', 'x\nfoo\n', 'foo\nbar'] },
  { pattern: '^foo$', subjects: ['foo', 'foo\n', 'x\nfoo\nbar', 'x\nfoo'], multiline: true },
  { pattern: '(?m)^b', subjects: ['a\nb', 'ab'] },
  { pattern: '(?s)a.b', subjects: ['a\nb', 'axb'] },
  { pattern: 'a.b', subjects: ['a\nb', 'a\rb', 'a\u2028b', 'axb'] },
  { pattern: 'a.b', subjects: ['a\nb'], dotall: true },
  { pattern: 'foo\\Z', subjects: ['foo', 'foo\n'] },
  { pattern: '\\Afoo', subjects: ['foo', 'xfoo', 'x\nfoo'], multiline: true },
  { pattern: '(?P<key>\\w+)=(?P<val>.*)', subjects: ['a=1', ' name = x', 'ünï=ç'], repl: '\\g<val>=\\g<key>' },
  { pattern: '(?P<q>["\'])(.*?)(?P=q)', subjects: ['say "hi" \'yo\'', 'no "match\''] },
  { pattern: '(a)(b)?', subjects: ['ac', 'ab'], repl: '[\\1|\\2]' },
  { pattern: '\\d+', subjects: ['abc 123', '٣٤', 'x'], repl: '<\\g<0>>' },
  { pattern: '\\d+', subjects: ['٣٤ 12'], bytes: true },
  { pattern: '\\w+', subjects: ['héllo wörld'], bytes: true },
  { pattern: '\\w+', subjects: ['héllo wörld'] },
  { pattern: '\\s+', subjects: ['a\u00a0b', 'a \t\nb', 'a\x1cb'] },
  { pattern: '\\s+', subjects: ['a\u00a0b', 'a \t\nb'], bytes: true },
  { pattern: '\\bfoo\\b', subjects: ['foo', 'afoo', 'a foo.', 'éfoo'] },
  { pattern: '\\Bfoo', subjects: ['afoo', 'foo'] },
  { pattern: '[]a]+', subjects: ['a]]a', 'b'] },
  { pattern: '[^]a]+', subjects: ['a]b]c'] },
  { pattern: '[a-]+', subjects: ['-a-b'] },
  { pattern: '[\\w.-]+@', subjects: ['joe.doe-x@example'] },
  { pattern: '[^\\W\\d]+', subjects: ['ab12cd_é'] },
  { pattern: '[\\s\\S]{2}', subjects: ['\n\n'] },
  { pattern: '[[]', subjects: ['a[b'] },
  { pattern: '[\\]]', subjects: [']'] },
  { pattern: '[\\b]', subjects: ['a\bb'] },
  { pattern: '[\\1]', subjects: ['\x01'] },
  { pattern: 'a{2,}', subjects: ['aaaa', 'a'] },
  { pattern: 'a{,2}b', subjects: ['aaab'] },
  { pattern: 'a{}', subjects: ['a{}'] },
  { pattern: 'a{x}', subjects: ['a{x}'] },
  { pattern: '{foo}', subjects: ['x{foo}'] },
  { pattern: 'a{1,2', subjects: ['a{1,2'] },
  { pattern: 'x}', subjects: ['x}'] },
  { pattern: '(?i)HeLLo', subjects: ['hello', 'HELLO'] },
  { pattern: '(?x) a b  # comment\n c', subjects: ['abc', 'a b c'] },
  { pattern: '(?x)a\\ b[ ]c', subjects: ['a b c'] },
  { pattern: '(?s:a.)b.', subjects: ['a\nbx', 'a\nb\n'] },
  { pattern: '(?m:^x)|^y', subjects: ['a\nx', 'a\ny', 'y'] },
  { pattern: '(?-s:.)', subjects: ['\na'], dotall: true },
  { pattern: 'a(?#comment)*', subjects: ['aaa'] },
  { pattern: '\\x41\\u00e9\\101\\0', subjects: ['Aé' + 'A\0'] },
  { pattern: '\\12', subjects: ['x'] },
  { pattern: '(a)\\1', subjects: ['aa', 'ab'] },
  { pattern: '(a)\\10', subjects: ['aa'] },
  { pattern: '(?<=ab)c', subjects: ['abc', 'xbc'] },
  { pattern: '(?<!ab)c', subjects: ['abc', 'xbc'] },
  { pattern: 'x*', subjects: ['abxd', ''], repl: '-' },
  { pattern: '', subjects: ['abc'], repl: '|' },
  { pattern: '^', subjects: ['a\nb\n'], multiline: true, repl: '> ' },
  { pattern: '$', subjects: ['a\nb\n'], multiline: true, repl: ';' },
  { pattern: '$', subjects: ['a\nb\n'], repl: ';' },
  { pattern: '(\\w+)', subjects: ['ab cd'], repl: '\\n\\t\\\\ \\: \\1\\g<1>0 \\0 \\101' },
  { pattern: 'é+', subjects: ['aééb'], bytes: true },
  { pattern: '.', subjects: ['é'], bytes: true },
  { pattern: '^.$', subjects: ['é', '😀'] },
  { pattern: '[😀-😂]', subjects: ['a😁'] },
  { pattern: 'a|b|', subjects: ['c'] },
  { pattern: '\\$\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\-\\/\\#\\ \\"\\\'\\!\\@\\%\\&\\=\\<\\>\\,\\;\\:\\~\\`', subjects: ['$.*+?()[]{}|^-/# "\'!@%&=<>,;:~`'] },
  { pattern: '[$.*+?()[{}|^/# "\'!@%&=<>,;:~`]+', subjects: ['$.*+?()[{}|^/# "\'!@%&=<>,;:~`'] },
  { pattern: '[a-c\\-x]+', subjects: ['a-xb'] },
  { pattern: '&&|--|~~', subjects: ['a--b'] },
  // Errors: Python rejects these, and so must we.
  { pattern: '(', subjects: [] },
  { pattern: ')', subjects: [] },
  { pattern: '[a', subjects: [] },
  { pattern: '*a', subjects: [] },
  { pattern: 'a**', subjects: [] },
  { pattern: 'a{3,1}', subjects: [] },
  { pattern: '\\q', subjects: [] },
  { pattern: '\\z', subjects: [] },
  { pattern: 'a\\', subjects: [] },
  { pattern: '\\2(a)', subjects: [] },
  { pattern: '(a\\1)', subjects: [] },
  { pattern: '(?P<1>a)', subjects: [] },
  { pattern: '(?P<a>x)(?P<a>y)', subjects: [] },
  { pattern: '(?P=nope)', subjects: [] },
  { pattern: '(?<n>a)', subjects: [] },
  { pattern: 'a(?i)b', subjects: [] },
  { pattern: '(?L)a', subjects: [] },
  { pattern: '[b-a]', subjects: [] },
  { pattern: '[\\w-z]', subjects: [] },
  { pattern: '\\x4', subjects: [] },
  { pattern: '^*', subjects: [] },
  { pattern: '\\u00e9', subjects: [], bytes: true },
  { pattern: '(a)', subjects: ['a'], repl: '\\2' },
  { pattern: '(a)', subjects: ['a'], repl: '\\g<x>' },
  { pattern: '(a)', subjects: ['a'], repl: '\\q' },
];

interface PyResult {
  error?: string;
  groups?: number;
  flags?: { multiline: boolean };
  search?: ({ span: [number, number]; groups: (string | null)[] } | null)[];
  match?: boolean[];
  subn?: ([string, number] | { error: string })[];
}

const PY = String.raw`
import json, re, sys
out = []
for c in json.load(sys.stdin):
    enc = (lambda s: s.encode('utf-8')) if c.get('bytes') else (lambda s: s)
    dec = (lambda b: b.decode('latin-1')) if c.get('bytes') else (lambda s: s)
    flags = (re.M if c.get('multiline') else 0) | (re.S if c.get('dotall') else 0)
    try:
        p = re.compile(enc(c['pattern']), flags)
    except re.error as e:
        out.append({'error': str(e)}); continue
    r = {'groups': p.groups, 'flags': {'multiline': bool(p.flags & re.M)}, 'search': [], 'match': [], 'subn': []}
    for s in c['subjects']:
        m = p.search(enc(s))
        r['search'].append(None if m is None else {'span': list(m.span()), 'groups': [None if g is None else dec(g) for g in m.groups()]})
        r['match'].append(p.match(enc(s)) is not None)
        if 'repl' in c:
            try:
                t, n = p.subn(enc(c['repl']), enc(s))
                r['subn'].append([dec(t), n])
            except (re.error, IndexError) as e:
                r['subn'].append({'error': str(e)})
    out.append(r)
print(json.dumps(out))
`;

function python(cases: Case[]): PyResult[] {
  return JSON.parse(execFileSync('python3', ['-W', 'ignore', '-c', PY], { input: JSON.stringify(cases), encoding: 'utf8' })) as PyResult[];
}

function ours(c: Case): PyResult {
  const enc = (s: string) => (c.bytes ? toByteString(s) : s);
  let p;
  try {
    p = compilePy(enc(c.pattern), { bytes: c.bytes, multiline: c.multiline, dotall: c.dotall });
  } catch (e) {
    if (e instanceof PyRegexError) return { error: e.message };
    throw e;
  }
  const r: PyResult = { groups: p.groups, flags: { multiline: p.flags.multiline }, search: [], match: [], subn: [] };
  for (const s of c.subjects) {
    const m = pySearch(p, enc(s));
    // Python reports spans in code points (str) or bytes; JS in UTF-16 units.
    const cp = (i: number) => (c.bytes ? i : [...enc(s).slice(0, i)].length);
    r.search!.push(m === null ? null : { span: [cp(m.index), cp(m.index + m[0].length)], groups: m.slice(1).map((g) => g ?? null) });
    r.match!.push(pyMatch(p, enc(s)) !== null);
    if (c.repl !== undefined) {
      try {
        r.subn!.push(pySubn(p, parseTemplate(enc(c.repl), p), enc(s)));
      } catch (e) {
        if (e instanceof PyRegexError) r.subn!.push({ error: e.message });
        else throw e;
      }
    }
  }
  return r;
}

describe('Python regex translation', () => {
  const expected = python(CASES);
  test.each(CASES.map((c, i) => [JSON.stringify(c.pattern) + (c.bytes ? ' (bytes)' : '') + (c.multiline ? ' (M)' : '') + (c.dotall ? ' (S)' : ''), i] as const))(
    '%s behaves as in Python',
    (_name, i) => {
      const want = expected[i]!;
      const got = ours(CASES[i]!);
      if (want.error !== undefined) {
        expect(got.error, `Python: ${want.error}`).toBeDefined();
        return;
      }
      expect(got.error).toBeUndefined();
      // Python's error texts for templates differ in wording; only that both fail matters.
      const norm = (r: PyResult) => ({ ...r, subn: r.subn?.map((x) => (Array.isArray(x) ? x : 'error')) });
      expect(norm(got)).toEqual(norm(want));
    },
  );

  test('errors carry Python-like messages with the position', () => {
    expect(() => compilePy('a\\q')).toThrow('bad escape \\q at position 1');
    expect(() => compilePy('(a')).toThrow('missing ), unterminated subpattern');
    expect(() => compilePy('x(?i)')).toThrow('global flags not at the start of the expression');
  });

  test.each([
    ['(?>abc)', 'an atomic group'],
    ['a++', 'a possessive quantifier'],
    ['(a)?(?(1)b|c)', 'a conditional group'],
    ['(?i:a)b', 'a scoped case-insensitivity flag'],
    ['\\N{EM DASH}', 'a named character escape'],
  ])('unsupported %s is rejected with a clear message', (pattern, what) => {
    expect(() => compilePy(pattern)).toThrow(new RegExp(`${what}.*not supported`));
  });

  test('global inline flags are reported (blockinfile tests MULTILINE)', () => {
    expect(compilePy('(?m)^x').flags.multiline).toBe(true);
    expect(compilePy('(?im)x').flags).toMatchObject({ multiline: true, ignorecase: true });
    expect(compilePy('(?m:^x)').flags.multiline).toBe(false);
  });

  test('expandTemplate fills unmatched groups with the empty string', () => {
    const p = compilePy('(a)|(b)');
    expect(expandTemplate(parseTemplate('[\\1\\2]', p), pySearch(p, 'b')!)).toBe('[b]');
  });
});

describe('PCRE rendering for grep -P', () => {
  const grep = (pcre: string, text: string, z = false): boolean => {
    try {
      execFileSync('grep', ['-q', ...(z ? ['-z'] : []), '-P', '-e', pcre], { input: text, env: { LC_ALL: 'C.UTF-8' } });
      return true;
    } catch (e) {
      if ((e as { status?: number }).status === 1) return false;
      throw e;
    }
  };
  test.each([
    ['foo$', 'foo\n', true],
    ['\\w+é', 'ab\u00e9\n', true],
    ['(?P<x>a)(?P=x)', 'aa\n', true],
    ['a{,2}b', 'aab\n', true],
    ['b', 'ab\n', false],
    ['(?i)B', 'b\n', true],
    ['x\\d', 'x٣\n', true],
  ])('re.match(%j) on the lines of %j: %s', (pattern, text, want) => {
    expect(grep(pyToPcre(pattern, { anchored: true }), text)).toBe(want);
  });
  test.each([
    ['b$', 'a\nb\n', true],
    ['a$', 'a\nb\n', false],
    ['(?m)a$', 'a\nb\n', true],
    ['a.b', 'a\nb\n', false],
    ['a\\nb', 'a\nb\n', true],
    ['foo\\Z', 'x\nfoo\n', false],
    ['foo\\n\\Z', 'x\nfoo\n', true],
  ])('re.search(%j) on the whole text %j: %s', (pattern, text, want) => {
    expect(grep(pyToPcre(pattern), text, true)).toBe(want);
  });
});

// re.sub / findall / search / escape as the template filters use them. Expected values printed
// by CPython 3.11's re module.
describe('re.sub, re.findall, re.search and re.escape', () => {
  const M = 8;
  const S = 16;
  const sub = (pattern: string, repl: string, text: string, flags = 0) => {
    const p = compilePy(pattern, { multiline: (flags & M) !== 0, dotall: (flags & S) !== 0 });
    return pySubn(p, parseTemplate(repl, p), text)[0];
  };

  test.each([
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
  ])('sub %s -> %s on %j', (pattern, repl, text, flags, expected) => {
    expect(sub(pattern, repl, text, flags)).toBe(expected);
  });

  test('sub rejects an unknown letter escape in the replacement, as Python does', () => {
    expect(() => sub('a', '\\q', 'a')).toThrow(/bad escape \\q/);
  });

  test('findall gives the groups as a list for several groups, strings otherwise', () => {
    expect(pyFindall(compilePy('(\\d)(\\w)?'), '1a 2 3b')).toEqual([['1', 'a'], ['2', ''], ['3', 'b']]);
    expect(pyFindall(compilePy('\\b\\w'), 'one two')).toEqual(['o', 't']);
  });

  test('search understands (?P=name), Python ^ and verbose patterns', () => {
    expect(pySearch(compilePy('(?P<k>\\w+)=(?P=k)'), 'a=b x=x')?.[0]).toBe('x=x');
    expect(pySearch(compilePy('^b'), 'a\nb')).toBeNull();
    expect(pySearch(compilePy('(?x) a  b  # comment'), 'xab')?.[0]).toBe('ab');
  });

  test('escape escapes what Python 3.7+ escapes', () => {
    expect(pyEscape('a.b*c?d+e(f)g[h]i{j}k|l^m$n\\o p#q&r~s-t\tu')).toBe('a\\.b\\*c\\?d\\+e\\(f\\)g\\[h\\]i\\{j\\}k\\|l\\^m\\$n\\\\o\\ p\\#q\\&r\\~s\\-t\\\tu');
  });
});
