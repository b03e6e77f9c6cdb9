// Host patterns: results (and their order) as `ansible -i hosts.yml PATTERN --list-hosts` gives
// them for fixtures/inventory/patterns/hosts.yml (ansible-core 2.14).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { isImplicitLocalhost, loadInventory, selectHosts, splitHostPattern } from '../../../src/inventory/index.js';
import { tempTree } from './temp-tree.js';

const inv = loadInventory([resolve(import.meta.dirname, '../../fixtures/inventory/patterns/hosts.yml')]);

const ALL = 'solo web1 db2 x.example.com y.example.com web2 web3 web4 db1';
const table: [string, string][] = [
  ['all', ALL],
  ['*', ALL],
  ['web', 'web1 web2 web3 web4'],
  ['web1', 'web1'],
  ['localhost', 'localhost'],
  ['127.0.0.1', '127.0.0.1'],
  ['localhost:web', 'localhost web1 web2 web3 web4'],
  ['web:&alpha', 'web1'],
  ['web:!web2', 'web1 web3 web4'],
  ['!web2', 'solo web1 db2 x.example.com y.example.com web3 web4 db1'],
  ['&zeta', 'web1 db2'],
  ['web[0]', 'web1'],
  ['web[-1]', 'web4'],
  ['web[1:2]', 'web2 web3'],
  ['web[1:]', 'web2 web3 web4'],
  ['web[1-2]', 'web2 web3'],
  ['web[9]', ''],
  ['zeta[0:0]', 'web1'],
  ['~web[12]', 'web1 web2'],
  ['~^db', 'db1 db2'],
  ['web*', 'web1 web2 web3 web4 x.example.com y.example.com'],
  ['web*[0]', 'web1'],
  ['w*[5]', 'y.example.com'],
  ['*.example.com', 'x.example.com y.example.com'],
  ['db?', 'db1 db2'],
  ['db[12]', ''],
  ['db,web', 'db1 db2 web1 web2 web3 web4'],
  ['db1:web1', 'db1 web1'],
  ['web1 db1', 'web1 db1'],
  ['web*:db*', 'web1 web2 web3 web4 x.example.com y.example.com db1 db2'],
  ['nomatch', ''],
  ['prod:&nomatch', ''],
  ['ungrouped', 'solo'],
  ['prod:!db', 'web1 web2 web3 web4'],
  ['all:!web1', 'solo db2 x.example.com y.example.com web2 web3 web4 db1'],
  ['alpha:db', 'web1 db1 db2'],
  ['zeta:alpha', 'web1 db2'],
  ['prod:&zeta:!db2', 'web1'],
  ['web1,web1', 'web1'],
  ['x.example.com', 'x.example.com'],
];

describe('selectHosts matches Ansible', () => {
  it.each(table)('%s', (pattern, hosts) => {
    expect(selectHosts(inv, pattern)).toEqual(hosts ? hosts.split(' ') : []);
  });

  it('takes a list of patterns as a union', () => {
    expect(selectHosts(inv, ['db1', 'web:!web1'])).toEqual(['db1', 'web2', 'web3', 'web4']);
  });
});

describe('limits', () => {
  it('keeps only hosts the limit also matches', () => {
    expect(selectHosts(inv, 'all', { limit: 'web:!web3' })).toEqual(['web1', 'web2', 'web4']);
    expect(selectHosts(inv, 'localhost', { limit: 'web' })).toEqual([]);
  });

  it('reads @file limits, one pattern per line', () => {
    const dir = tempTree({ 'limit.txt': 'db1\n\nweb2\n' });
    expect(selectHosts(inv, 'all', { limit: '@limit.txt', cwd: dir })).toEqual(['web2', 'db1']);
    writeFileSync(join(dir, 'retry'), 'web4\n');
    expect(selectHosts(inv, 'web', { limit: `@${join(dir, 'retry')}` })).toEqual(['web4']);
  });

  it('refuses a missing @file', () => {
    expect(() => selectHosts(inv, 'all', { limit: '@/nonexistent/limit' })).toThrow(/cannot read limit file/);
  });
});

describe('implicit localhost', () => {
  it('is selected by name but is not part of all', () => {
    expect(isImplicitLocalhost(inv, 'localhost')).toBe(true);
    expect(selectHosts(inv, 'all')).not.toContain('localhost');
  });

  it('is the inventory host when the inventory defines localhost', () => {
    const dir = tempTree({ 'h.ini': 'localhost ansible_connection=local\n' });
    const withLocal = loadInventory([join(dir, 'h.ini')]);
    expect(isImplicitLocalhost(withLocal, 'localhost')).toBe(false);
    expect(selectHosts(withLocal, 'all')).toEqual(['localhost']);
    // Ansible resolves another localhost name to the defined one.
    expect(selectHosts(withLocal, '127.0.0.1')).toEqual(['localhost']);
  });

  it('works with an empty inventory', () => {
    const empty = loadInventory([]);
    expect(selectHosts(empty, 'localhost')).toEqual(['localhost']);
    expect(selectHosts(empty, 'all')).toEqual([]);
  });
});

describe('unmatched and malformed patterns', () => {
  it('reports each pattern that matched nothing', () => {
    const seen: string[] = [];
    expect(selectHosts(inv, 'web1:nomatch:!other', { onUnmatched: (p) => seen.push(p) })).toEqual(['web1']);
    expect(seen).toEqual(['nomatch', 'other']);
  });

  it.each([
    ['', /empty/],
    ['~(', /invalid regular expression/],
    ['web:!', /nothing follows/],
    ['&', /nothing follows/],
    ['web[1', /unbalanced/],
  ])('%j is a SamsError at the given location', (pattern, msg) => {
    const loc = { file: 'site.yml', line: 2, col: 10 };
    let err: unknown;
    try {
      selectHosts(inv, pattern, { loc });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SamsError);
    expect((err as SamsError).message).toMatch(msg);
    expect((err as SamsError).loc).toEqual(loc);
  });
});

describe('splitHostPattern', () => {
  it.each<[string, string[]]>([
    ['a:b', ['a', 'b']],
    ['a,b', ['a', 'b']],
    ['a:b,c', ['a:b', 'c']],
    [' a , b ', ['a', 'b']],
    ['web[1:3]', ['web[1:3]']],
    ['web:&db:!x', ['web', '&db', '!x']],
    ['2001:db8::1', ['2001:db8::1']],
    ['g[0]:h', ['g[0]', 'h']],
  ])('%s', (p, parts) => {
    expect(splitHostPattern(p)).toEqual(parts);
  });
});
