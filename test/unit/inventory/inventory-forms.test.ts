// Each inventory form read into the model: INI, YAML, directories, several -i, host lists.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { groupHosts, loadInventory, type Inventory } from '../../../src/inventory/index.js';
import { tempTree } from './temp-tree.js';

const FIX = resolve(import.meta.dirname, '../../fixtures/inventory');

function shape(inv: Inventory, group: string) {
  const g = inv.groups.get(group)!;
  return { hosts: g.hosts, children: g.children };
}

describe('INI inventory (fixtures/inventory/ini/hosts.ini)', () => {
  const inv = loadInventory([join(FIX, 'ini/hosts.ini')]);

  it('keeps hosts in inventory order, expanding ranges with padding and step', () => {
    expect([...inv.hosts.keys()]).toEqual([
      'solo',
      'bastion',
      'web01.example.com',
      'web02.example.com',
      'web03.example.com',
      'web-extra',
      '2001:db8::10',
      'db-a',
      'db-b',
      'db-c',
      'b1',
      'b5',
      'b9',
    ]);
  });

  it('builds groups, children (declared before or after) and ungrouped', () => {
    expect([...inv.groups.keys()]).toEqual(['all', 'ungrouped', 'web', 'db', 'batch', 'prod', 'staging', 'late']);
    expect(shape(inv, 'all')).toEqual({ hosts: [], children: ['ungrouped', 'batch', 'prod', 'staging'] });
    expect(shape(inv, 'ungrouped')).toEqual({ hosts: ['solo', 'bastion'], children: [] });
    expect(shape(inv, 'prod')).toEqual({ hosts: [], children: ['web', 'db'] });
    expect(shape(inv, 'staging')).toEqual({ hosts: [], children: ['late'] });
    expect(groupHosts(inv, 'prod')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', '2001:db8::10', 'db-a', 'db-b', 'db-c']);
  });

  it('reads inline host vars as Python literals, after shlex, and ports as ansible_port', () => {
    expect(inv.hosts.get('solo')!.vars).toEqual({
      ansible_host: '10.0.0.9',
      ansible_port: 2201,
      note: 'two words',
      count: 3,
      ratio: 0.5,
      flag: true,
      word: 'yes',
      items: [1, 'a'],
      nothing: null,
      quoted: 'q',
    });
    expect(inv.hosts.get('bastion')!.vars).toEqual({ ansible_port: 2222, ansible_user: 'jump' });
    expect(inv.hosts.get('2001:db8::10')!.vars).toEqual({ ansible_port: 2022 });
    // Lower-case true is no Python literal: it stays a string (Ansible's boolean() reads it later).
    expect(inv.hosts.get('web-extra')!.vars).toEqual({ ansible_become: 'true' });
  });

  it('lets a later line set a host var again (db-a is primary)', () => {
    expect(inv.hosts.get('db-a')!.vars).toEqual({ role: 'primary' });
    expect(inv.hosts.get('db-b')!.vars).toEqual({ role: 'replica' });
  });

  it('reads [g:vars] without shlex, and keeps ansible_group_priority apart', () => {
    const web = inv.groups.get('web')!;
    expect(web.vars).toEqual({ http_port: 8080, tier: 'web', shared: 'web_inline', mapping: { a: { b: [1, 2] } } });
    const prod = inv.groups.get('prod')!;
    expect(prod.vars).toEqual({ shared: 'prod_inline', tier: 'prod' });
    expect(prod.priority).toBe(5);
    expect(inv.groups.get('all')!.vars).toEqual({ shared: 'all_inline', env_name: 'example' });
  });

  it('computes depth as the longest path from all', () => {
    expect(Object.fromEntries([...inv.groups.values()].map((g) => [g.name, g.depth]))).toEqual({ all: 0, ungrouped: 1, web: 2, db: 2, batch: 1, prod: 1, staging: 1, late: 2 });
  });

  it('records the line and column where each host is first named', () => {
    expect(inv.hosts.get('bastion')!.loc).toEqual({ file: join(FIX, 'ini/hosts.ini'), line: 4, col: 1 });
    expect(inv.hosts.get('db-b')!.loc).toMatchObject({ line: 18, col: 1 });
  });
});

describe('INI details', () => {
  it('treats lines before any section as ungrouped and [all] hosts as ungrouped too', () => {
    const dir = tempTree({ hosts: 'a\n[all]\nb\n[g]\nc\n' });
    const inv = loadInventory([join(dir, 'hosts')]);
    expect(shape(inv, 'ungrouped').hosts).toEqual(['a', 'b']);
    expect(shape(inv, 'all').hosts).toEqual(['b']);
  });

  it('removes a host from ungrouped once a group lists it', () => {
    const dir = tempTree({ 'h.ini': 'a\nb\n[g]\na\n' });
    const inv = loadInventory([join(dir, 'h.ini')]);
    expect(shape(inv, 'ungrouped').hosts).toEqual(['b']);
    expect(inv.hosts.get('a')!.groups).toEqual(['g']);
  });

  it('keeps the port of the first definition only', () => {
    const dir = tempTree({ 'h.ini': 'a:2200\n[g]\na:2300\n' });
    expect(loadInventory([join(dir, 'h.ini')]).hosts.get('a')!.vars).toEqual({ ansible_port: 2200 });
  });

  it('accepts [g:vars] before [g] in the same file', () => {
    const dir = tempTree({ 'h.ini': '[g:vars]\nx=1\n[g]\na\n' });
    expect(loadInventory([join(dir, 'h.ini')]).groups.get('g')!.vars).toEqual({ x: 1 });
  });

  it('keeps group names as written (dashes included), as ansible-core 2.14 does', () => {
    const dir = tempTree({ 'h.ini': '[web-servers]\na\n' });
    expect(loadInventory([join(dir, 'h.ini')]).groups.has('web-servers')).toBe(true);
  });
});

describe('YAML inventory (fixtures/inventory/yaml/hosts.yml)', () => {
  const inv = loadInventory([join(FIX, 'yaml/hosts.yml')]);

  it('walks nested children and expands host ranges and ports', () => {
    expect([...inv.hosts.keys()]).toEqual(['standalone', 'web1', 'web2', 'web3', 'web9', 'db1', 'db2']);
    expect([...inv.groups.keys()]).toEqual(['all', 'ungrouped', 'prod', 'web', 'db', 'monitoring', 'backup', 'empty']);
    expect(shape(inv, 'all')).toEqual({ hosts: ['standalone'], children: ['ungrouped', 'prod', 'monitoring', 'backup', 'empty'] });
    expect(shape(inv, 'ungrouped').hosts).toEqual(['standalone']);
    expect(inv.hosts.get('web9')!.vars).toEqual({ ansible_port: 2200 });
  });

  it('puts a host in several groups and accepts `hosts: name` as a string', () => {
    expect(inv.hosts.get('web1')!.groups).toEqual(['web', 'monitoring', 'backup']);
    expect(inv.groups.get('backup')!.priority).toBe(10);
    expect(inv.groups.get('backup')!.vars).toEqual({ pick: 'backup' });
  });

  it('keeps YAML value types', () => {
    expect(inv.hosts.get('db2')!.vars).toEqual({ replica: true, weight: 1.5 });
  });
});

describe('directory and multiple sources', () => {
  const inv = loadInventory([join(FIX, 'dir')]);

  it('reads files in sorted order, recursing, and skips what Ansible ignores', () => {
    expect(inv.files.map((f) => f.slice(join(FIX, 'dir').length + 1))).toEqual(['01-base.yml', '02-extra', 'sub/03-more.yaml']);
    expect([...inv.hosts.keys()]).toEqual(['w1', 'w2', 'w3', 'd1', 'd2']);
  });

  it('merges a group defined in two files (YAML and extension-less INI)', () => {
    expect(shape(inv, 'web').hosts).toEqual(['w1', 'w2', 'w3']);
    expect(inv.groups.get('web')!.vars).toEqual({ from_yaml: 1, from_ini: 2 });
    expect(inv.groups.get('web')!.varFiles).toEqual({ from_yaml: join(FIX, 'dir/01-base.yml'), from_ini: join(FIX, 'dir/02-extra') });
    expect(shape(inv, 'db').hosts).toEqual(['d1', 'd2']);
  });

  it('merges several -i sources in order; later files add to earlier groups', () => {
    const dir = tempTree({ 'a.yml': 'all:\n  children:\n    g:\n      hosts:\n        h1:\n          x: 1\n', 'b.ini': '[g]\nh2\nh1 x=2\n[g:children]\nsub\n[sub]\nh3\n' });
    const two = loadInventory([join(dir, 'a.yml'), join(dir, 'b.ini')]);
    expect(groupHosts(two, 'g')).toEqual(['h1', 'h2', 'h3']);
    expect(two.hosts.get('h1')!.vars).toEqual({ x: 2 });
    expect(two.sources).toEqual([join(dir, 'a.yml'), join(dir, 'b.ini')]);
  });

  it('lets [g:children] name a group from an earlier source', () => {
    const dir = tempTree({ '1.ini': '[child]\nh\n', '2.ini': '[parent:children]\nchild\n' });
    const two = loadInventory([join(dir, '1.ini'), join(dir, '2.ini')]);
    expect(two.groups.get('parent')!.children).toEqual(['child']);
  });

  it('reads a comma-separated host list', () => {
    const list = loadInventory(['web1,web2:2222,']);
    expect([...list.hosts.keys()]).toEqual(['web1', 'web2']);
    expect(list.hosts.get('web2')!.vars).toEqual({ ansible_port: 2222 });
    expect(shape(list, 'ungrouped').hosts).toEqual(['web1', 'web2']);
  });

  it('gives an empty inventory for no sources', () => {
    const none = loadInventory([]);
    expect([...none.hosts.keys()]).toEqual([]);
    expect([...none.groups.keys()]).toEqual(['all', 'ungrouped']);
  });

  it('treats an empty YAML file as an empty inventory', () => {
    const dir = tempTree({ 'e.yml': '' });
    expect(loadInventory([join(dir, 'e.yml')]).hosts.size).toBe(0);
  });

  it('refuses a path that does not exist', () => {
    expect(() => loadInventory(['/nonexistent/inventory'])).toThrow(SamsError);
    expect(() => loadInventory(['/nonexistent/inventory'])).toThrow(/does not exist/);
  });

  it('warns about a name that is both a host and a group', () => {
    const dir = tempTree({ 'h.ini': '[web]\nweb\n' });
    expect(loadInventory([join(dir, 'h.ini')]).warnings).toEqual(['Found both group and host with same name: web']);
  });
});
