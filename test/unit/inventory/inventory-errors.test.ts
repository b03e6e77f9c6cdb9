// Malformed inventories are SamsErrors pointing at file:line:col with a hint.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { tempTree } from './temp-tree.js';

function errorOf(name: string, text: string): SamsError {
  const dir = tempTree({ [name]: text });
  try {
    loadInventory([join(dir, name)]);
  } catch (e) {
    if (e instanceof SamsError) return e;
    throw e;
  }
  throw new Error(`expected ${name} to be refused`);
}

const cases: [string, string, string, RegExp, number, number][] = [
  ['INI child group never defined', 'h.ini', '[a:children]\n  nope\n', /\[a:children\] names nope, which is not a group/, 2, 3],
  ['INI [g:vars] for an undefined group', 'h.ini', '[g]\nh\n[a:vars]\nx=1\n', /\[a:vars\] is for a group that is not defined/, 3, 1],
  ['INI bad range', 'h.ini', '[g]\n  h[1:x]\n', /bad host range in 'h\[1:x\]'/, 2, 3],
  ['INI host word without =', 'h.ini', 'h1 x=1 bad\n', /expected key=value after the host name, got: bad/, 1, 8],
  ['INI vars line without =', 'h.ini', '[g]\nh\n[g:vars]\nnoequals\n', /expected key=value in \[g:vars\]/, 4, 1],
  ['INI section with a space', 'h.ini', '[a b]\n', /invalid section header/, 1, 1],
  ['INI unknown section type', 'h.ini', '[a:childs]\n', /unknown type 'childs'/, 1, 4],
  ['INI unclosed quote', 'h.ini', 'h1 x="open\n', /no closing quotation/, 1, 6],
  ['INI children line that is no group name', 'h.ini', '[g:children]\nweb servers\n', /expected a group name/, 2, 1],
  ['INI file that is YAML', 'h.ini', '---\nall:\n', /'---' is not a host name/, 1, 1],
  ['INI trailing colon', 'h.ini', '[g]\nh1:\n', /trailing ':'/, 2, 1],
  ['INI group loop', 'h.ini', '[a:children]\nb\n[b:children]\na\n', /creates a loop/, 4, 1],
  ['INI non-numeric priority', 'h.ini', '[g]\nh\n[g:vars]\nansible_group_priority=high\n', /ansible_group_priority of group g must be a whole number/, 4, 1],
  ['YAML hosts as a list', 'h.yml', 'all:\n  hosts:\n    - a\n', /'hosts' of group all must be a mapping, found a list/, 3, 5],
  ['YAML misspelt key', 'h.yml', 'all:\n  childs:\n    g:\n', /unknown key 'childs' in group all/, 2, 3],
  ['YAML top level list', 'h.yml', '- a\n- b\n', /must be a mapping of group names, found a list/, 1, 1],
  ['YAML group that is a scalar', 'h.yml', 'all: 5\n', /group all must be a mapping/, 1, 6],
  ['YAML host vars that are a scalar', 'h.yml', 'all:\n  hosts:\n    h1: 5\n', /host h1 in group all must map to its variables/, 3, 9],
  ['YAML plugin config', 'h.yml', 'plugin: aws_ec2\n', /plugin configuration files are not supported/, 1, 1],
  ['YAML syntax error', 'h.yaml', 'all:\n  hosts: [a\n', /YAML syntax error/, 3, 1],
  ['YAML bad range in a host key', 'h.yml', 'all:\n  hosts:\n    web[3:1]:\n', /begin <= end/, 3, 5],
  ['TOML inventory', 'h.toml', '[all]\n', /TOML inventories are not supported/, 1, 1],
];

describe('inventory errors carry file:line:col', () => {
  it.each(cases)('%s', (_title, name, text, msg, line, col) => {
    const e = errorOf(name, text);
    expect(e.message).toMatch(msg);
    expect(e.loc).toMatchObject({ line, col });
    expect(e.loc!.file.endsWith(name)).toBe(true);
  });

  it('gives a hint with each', () => {
    for (const [, name, text] of cases.filter((c) => !/YAML syntax/.test(c[0]))) expect(errorOf(name, text).hint).toBeTruthy();
  });

  it('refuses an executable inventory script', () => {
    const dir = tempTree({ 'inv.sh': '#!/bin/sh\necho {}\n' });
    chmodSync(join(dir, 'inv.sh'), 0o755);
    expect(() => loadInventory([join(dir, 'inv.sh')])).toThrow(/inventory scripts are not supported/);
  });
});
