// Magic variables from the inventory: groups, group_names, inventory_hostname_short.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupNames, groupsVar, hostMagicVars, inventoryHostnameShort, loadInventory } from '../../../src/inventory/index.js';

const inv = loadInventory([resolve(import.meta.dirname, '../../fixtures/inventory/patterns/hosts.yml')]);

describe('groupsVar', () => {
  it('lists every group with all its hosts, children included, in Ansible order', () => {
    expect(groupsVar(inv)).toEqual({
      all: ['solo', 'web1', 'db2', 'x.example.com', 'y.example.com', 'web2', 'web3', 'web4', 'db1'],
      ungrouped: ['solo'],
      prod: ['web1', 'web2', 'web3', 'web4', 'db1', 'db2'],
      web: ['web1', 'web2', 'web3', 'web4'],
      db: ['db1', 'db2'],
      alpha: ['web1'],
      zeta: ['web1', 'db2'],
      webby: ['x.example.com', 'y.example.com'],
    });
  });
});

describe('groupNames', () => {
  it.each([
    ['web1', ['alpha', 'prod', 'web', 'zeta']],
    ['db2', ['db', 'prod', 'zeta']],
    ['solo', ['ungrouped']],
    ['localhost', []],
  ])('%s', (host, names) => {
    expect(groupNames(inv, host)).toEqual(names);
  });
});

describe('inventoryHostnameShort', () => {
  it.each([
    ['web1.example.com', 'web1'],
    ['web1', 'web1'],
    ['10.0.0.1', '10.0.0.1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('%s -> %s', (name, short) => {
    expect(inventoryHostnameShort(name)).toBe(short);
  });
});

describe('hostMagicVars', () => {
  it('gives the inventory magic variables of a host (as ansible -m debug shows them)', () => {
    const file = resolve(import.meta.dirname, '../../fixtures/inventory/patterns/hosts.yml');
    expect(hostMagicVars(inv, 'web1')).toEqual({
      inventory_hostname: 'web1',
      inventory_hostname_short: 'web1',
      group_names: ['alpha', 'prod', 'web', 'zeta'],
      inventory_file: file,
      inventory_dir: resolve(file, '..'),
    });
  });

  it('leaves inventory_file undefined for the implicit localhost', () => {
    expect(hostMagicVars(inv, 'localhost')).toEqual({ inventory_hostname: 'localhost', inventory_hostname_short: 'localhost', group_names: [] });
  });
});
