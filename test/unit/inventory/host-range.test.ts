// Host words: ranges, ports and addresses (Ansible's parse_address and range expansion), and shlex.
import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { expandHostPattern, expandHostnameRange, looksLikeIp, parseAddress } from '../../../src/inventory/host-range.js';
import { shlexSplitWords } from '../../../src/shell/shlex.js';
const shlexSplit = (line: string) => shlexSplitWords(line, { comments: true });

describe('expandHostnameRange', () => {
  it.each<[string, string[]]>([
    ['web[01:03].example.com', ['web01.example.com', 'web02.example.com', 'web03.example.com']],
    ['web[1:3]', ['web1', 'web2', 'web3']],
    ['h[1:10:3]', ['h1', 'h4', 'h7', 'h10']],
    ['db[a:c]', ['dba', 'dbb', 'dbc']],
    ['x[y:B]', ['xy', 'xz', 'xA', 'xB']],
    ['n[a:e:2]', ['na', 'nc', 'ne']],
    ['r[1:2]-[a:b]', ['r1-a', 'r1-b', 'r2-a', 'r2-b']],
    ['z[:2]', ['z0', 'z1', 'z2']],
    ['p[8:10]', ['p8', 'p9', 'p10']],
    ['q[008:010]', ['q008', 'q009', 'q010']],
  ])('%s', (pattern, hosts) => {
    expect(expandHostnameRange(pattern)).toEqual(hosts);
  });

  it.each([
    ['h[1:x]', /neither a numeric nor a single-letter range/],
    ['h[3:1]', /begin <= end/],
    ['h[c:a]', /begin <= end/],
    ['h[01:3]', /same number of digits/],
    ['h[1:]', /no end value/],
    ['h[1:2:0]', /positive whole number/],
    ['h[1:2:3:4]', /begin:end or begin:end:step/],
    ['h[1:2', /one \[begin:end\]/],
  ])('%s is a bad range', (pattern, msg) => {
    const loc = { file: 'hosts', line: 3, col: 1 };
    let err: unknown;
    try {
      expandHostnameRange(pattern, loc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SamsError);
    expect((err as SamsError).message).toMatch(msg);
    expect((err as SamsError).loc).toEqual(loc);
  });
});

describe('parseAddress / expandHostPattern', () => {
  it.each<[string, { hostnames: string[]; port?: number }]>([
    ['web1', { hostnames: ['web1'], port: undefined }],
    ['web1:2222', { hostnames: ['web1'], port: 2222 }],
    ['10.0.0.1:22', { hostnames: ['10.0.0.1'], port: 22 }],
    ['[2001:db8::1]:2022', { hostnames: ['2001:db8::1'], port: 2022 }],
    ['2001:db8::1', { hostnames: ['2001:db8::1'], port: undefined }],
    ['web[1:2]:80', { hostnames: ['web1', 'web2'], port: 80 }],
    ['not_valid-', { hostnames: ['not_valid-'], port: undefined }],
  ])('%s', (word, expected) => {
    expect(expandHostPattern(word)).toEqual(expected);
  });

  it('refuses ranges unless allowed', () => {
    expect(parseAddress('web[1:2]', false)).toBeUndefined();
    expect(parseAddress('web[1:2]', true)).toEqual({ host: 'web[1:2]', port: undefined });
  });

  it.each([
    ['10.1.2.3', true],
    ['::1', true],
    ['fe80::1', true],
    ['web1.example.com', false],
    ['localhost', false],
  ])('looksLikeIp(%s) is %s', (name, ip) => {
    expect(looksLikeIp(name)).toBe(ip);
  });
});

describe('shlexSplit (POSIX, comments on)', () => {
  it.each<[string, string[]]>([
    ['a b=1 c="x y"', ['a', 'b=1', 'c=x y']],
    [`k='it"s' n=a\\ b`, ['k=it"s', 'n=a b']],
    ['h x="a\\"b" y="a\\nb"', ['h', 'x=a"b', 'y=a\\nb']],
    ['h x=1 #comment y=2', ['h', 'x=1']],
    ['h x=a#b y=2', ['h', 'x=a']],
    ['h x="#kept"', ['h', 'x=#kept']],
    ['h e=""', ['h', 'e=']],
  ])('%s', (line, words) => {
    expect(shlexSplit(line).map((w) => w.text)).toEqual(words);
  });

  it('records where each word starts', () => {
    expect(shlexSplit('host  a=1 "b c"=2').map((w) => w.start)).toEqual([0, 6, 10]);
  });

  it('rejects an unclosed quote', () => {
    expect(() => shlexSplit('h x="open')).toThrow(/No closing quotation/);
  });
});
