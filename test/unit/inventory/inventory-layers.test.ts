// Inventory variable layers: every layer kind in precedence order, group sorting, vars-file lookup,
// directory dedupe, vault-encrypted files and the implicit localhost.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVarsFiles } from '../../../src/inventory/inventory-layers.js';
import { groupNames, inventoryLayers, loadInventory, sortGroups } from '../../../src/inventory/index.js';
import { Secret } from '../../../src/secret.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { encryptVaultText } from '../../../src/vault/format.js';
import { explainVar, mergeLayers } from '../../../src/vars/layers.js';
import { tempTree } from './temp-tree.js';

const INI = `[web]
h1 v=inv-host
[web:vars]
v=inv-web
[parent:children]
web
[parent:vars]
v=inv-parent
[all:vars]
v=inv-all
`;

function project() {
  return tempTree({
    'inv/hosts.ini': INI,
    'inv/group_vars/all.yml': 'v: invdir-all\n',
    'inv/group_vars/parent.yml': 'v: invdir-parent\n',
    'inv/group_vars/web.yml': 'v: invdir-web\n',
    'inv/host_vars/h1.yml': 'v: invdir-h1\n',
    'group_vars/all.yml': 'v: project-all\n',
    'group_vars/web.yml': 'v: project-web\n',
    'host_vars/h1.yml': 'v: project-h1\n',
    'play/group_vars/all.yml': 'v: play-all\n',
    'play/group_vars/web.yml': 'v: play-web\n',
    'play/host_vars/h1.yml': 'v: play-h1\n',
  });
}

describe('inventoryLayers', () => {
  const root = project();
  const inv = loadInventory([join(root, 'inv/hosts.ini')]);
  const layers = inventoryLayers(inv, 'h1', { projectRoot: root, playbookDir: join(root, 'play') });
  const ini = join(root, 'inv/hosts.ini');

  it('gives every layer kind in Ansible precedence order, with its source', () => {
    expect(layers.map((l) => [l.kind, l.source, l.vars.v])).toEqual([
      ['inventory file group vars', `inventory ${ini} group all`, 'inv-all'],
      ['inventory file group vars', `inventory ${ini} group parent`, 'inv-parent'],
      ['inventory file group vars', `inventory ${ini} group web`, 'inv-web'],
      ['inventory group_vars/all', join(root, 'inv/group_vars/all.yml'), 'invdir-all'],
      ['project group_vars/all', join(root, 'group_vars/all.yml'), 'project-all'],
      ['playbook group_vars/all', join(root, 'play/group_vars/all.yml'), 'play-all'],
      ['inventory group_vars/*', join(root, 'inv/group_vars/parent.yml'), 'invdir-parent'],
      ['inventory group_vars/*', join(root, 'inv/group_vars/web.yml'), 'invdir-web'],
      ['project group_vars/*', join(root, 'group_vars/web.yml'), 'project-web'],
      ['playbook group_vars/*', join(root, 'play/group_vars/web.yml'), 'play-web'],
      ['inventory file host vars', `inventory ${ini} host h1`, 'inv-host'],
      ['inventory host_vars/*', join(root, 'inv/host_vars/h1.yml'), 'invdir-h1'],
      ['project host_vars/*', join(root, 'host_vars/h1.yml'), 'project-h1'],
      ['playbook host_vars/*', join(root, 'play/host_vars/h1.yml'), 'play-h1'],
    ]);
  });

  it('explains the winner and what it overrode', () => {
    const ex = explainVar(layers, 'v');
    expect(ex.winner?.layer.kind).toBe('playbook host_vars/*');
    expect(ex.overridden.map((o) => o.value)).toEqual(['project-h1', 'invdir-h1', 'inv-host', 'play-web', 'project-web', 'invdir-web', 'invdir-parent', 'play-all', 'project-all', 'invdir-all', 'inv-web', 'inv-parent', 'inv-all']);
  });

  it('keeps a directory only at its highest place when it serves twice', () => {
    // The inventory lives in the project root: its group_vars count once, as project files.
    const same = tempTree({ 'hosts.ini': '[web]\nh1\n', 'group_vars/web.yml': 'v: 1\n', 'host_vars/h1.yml': 'w: 2\n' });
    const inv2 = loadInventory([join(same, 'hosts.ini')]);
    const kinds = inventoryLayers(inv2, 'h1', { projectRoot: same }).map((l) => l.kind);
    expect(kinds).toEqual(['project group_vars/*', 'project host_vars/*']);
    const asPlaybook = inventoryLayers(inv2, 'h1', { projectRoot: same, playbookDir: same }).map((l) => l.kind);
    expect(asPlaybook).toEqual(['playbook group_vars/*', 'playbook host_vars/*']);
  });

  it('reads group_vars beside each inventory source, source by source', () => {
    const two = tempTree({
      'a/hosts.ini': '[g]\nh\n',
      'a/group_vars/all.yml': 'x: a-all\n',
      'a/group_vars/g.yml': 'x: a-g\n',
      'b/hosts.yml': 'all:\n  children:\n    g:\n      hosts:\n        h:\n',
      'b/group_vars/all.yml': 'x: b-all\n',
    });
    const inv2 = loadInventory([join(two, 'a/hosts.ini'), join(two, 'b/hosts.yml')]);
    const l = inventoryLayers(inv2, 'h');
    expect(l.map((x) => x.vars.x)).toEqual(['a-all', 'b-all', 'a-g']);
    expect(mergeLayers(l).x).toBe('a-g');
  });
});

describe('group order', () => {
  it('sorts by depth, then priority, then name', () => {
    const dir = tempTree({
      'h.yml': `all:
  children:
    zed: {hosts: {h: {}}, vars: {ansible_group_priority: 0, v: zed}}
    alpha: {hosts: {h: {}}, vars: {v: alpha}}
    beta: {hosts: {h: {}}, vars: {ansible_group_priority: 3, v: beta}}
    top:
      children:
        child: {hosts: {h: {}}, vars: {v: child}}
      vars: {ansible_group_priority: 9, v: top}
`,
    });
    const inv = loadInventory([join(dir, 'h.yml')]);
    const groups = ['zed', 'alpha', 'beta', 'top', 'child'].map((g) => inv.groups.get(g)!);
    expect(sortGroups(groups).map((g) => g.name)).toEqual(['zed', 'alpha', 'beta', 'top', 'child']);
    expect(sortGroups([...groups].reverse()).map((g) => g.name)).toEqual(['zed', 'alpha', 'beta', 'top', 'child']);
    const layers = inventoryLayers(inv, 'h');
    expect(layers.map((l) => l.vars.v)).toEqual(['zed', 'alpha', 'beta', 'top', 'child']);
    expect(mergeLayers(layers).v).toBe('child'); // a child group beats its parent whatever the priority
    expect(groupNames(inv, 'h')).toEqual(['alpha', 'beta', 'child', 'top', 'zed']);
  });

  it('lets priority decide between groups of the same depth', () => {
    const dir = tempTree({ 'h.ini': '[a]\nh\n[b]\nh\n[a:vars]\nv=a\nansible_group_priority=2\n[b:vars]\nv=b\n' });
    const inv = loadInventory([join(dir, 'h.ini')]);
    expect(mergeLayers(inventoryLayers(inv, 'h')).v).toBe('a');
  });
});

describe('findVarsFiles (Ansible find_vars_files)', () => {
  it('takes the first of NAME, NAME.yml, NAME.yaml, NAME.json', () => {
    const d = tempTree({ 'web': 'a: 1\n', 'web.yml': 'a: 2\n', 'db.yaml': 'a: 3\n', 'db.json': '{"a": 4}', 'x.json': '{}' });
    expect(findVarsFiles(d, 'web')).toEqual([join(d, 'web')]);
    expect(findVarsFiles(d, 'db')).toEqual([join(d, 'db.yaml')]);
    expect(findVarsFiles(d, 'x')).toEqual([join(d, 'x.json')]);
    expect(findVarsFiles(d, 'none')).toEqual([]);
  });

  it('reads a NAME/ directory recursively in sorted order, skipping hidden, backups and other extensions', () => {
    const d = tempTree({
      'web/b.yml': '',
      'web/a.json': '',
      'web/c': '',
      'web/sub/z.yaml': '',
      'web/.hidden.yml': '',
      'web/old.yml~': '',
      'web/notes.txt': '',
      'web/conf.d/skipped.yml': '',
    });
    expect(findVarsFiles(d, 'web').map((f) => f.slice(d.length + 1))).toEqual(['web/a.json', 'web/b.yml', 'web/c', 'web/sub/z.yaml']);
  });
});

describe('vault and the implicit localhost', () => {
  it('decrypts a vault-encrypted group_vars file into Secret values', () => {
    const env = encryptVaultText('db_password: hunter2-secret\n', Buffer.from('pw'));
    const dir = tempTree({ 'hosts.ini': '[db]\nd1\n', 'group_vars/db.yml': env });
    const inv = loadInventory([join(dir, 'hosts.ini')]);
    const keyring = new Keyring([{ id: 'default', password: 'pw' }]);
    const vars = mergeLayers(inventoryLayers(inv, 'd1', { keyring }));
    expect(vars.db_password).toBeInstanceOf(Secret);
    expect((vars.db_password as Secret).reveal()).toBe('hunter2-secret');
    expect(JSON.stringify(vars)).toBe('{"db_password":"********"}');
    expect(() => inventoryLayers(loadInventory([join(dir, 'hosts.ini')]), 'd1')).toThrow(/no vault password/);
  });

  it('gives the implicit localhost all-group vars and ansible_connection=local', () => {
    const dir = tempTree({ 'hosts.ini': '[g]\nh\n[all:vars]\nx=1\n[g:vars]\ny=2\n', 'host_vars/localhost.yml': 'z: 3\n' });
    const inv = loadInventory([join(dir, 'hosts.ini')]);
    const layers = inventoryLayers(inv, 'localhost');
    expect(mergeLayers(layers)).toEqual({ x: 1, ansible_connection: 'local', z: 3 });
    expect(layers.find((l) => l.kind === 'inventory file host vars')?.source).toBe('implicit localhost');
    expect(groupNames(inv, 'localhost')).toEqual([]);
  });
});
