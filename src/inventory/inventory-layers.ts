// A host's inventory variables as precedence layers: inventory-file group and host vars, and the
// group_vars/ and host_vars/ files beside the inventory, the project root and the playbook.

import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { readVarsFile } from '../load/vars-file.js';
import type { VaultKeyring } from '../load/yaml.js';
import type { LayerKind, VarLayer } from '../vars/layers.js';
import { hostGroupsByPrecedence, resolveLocalhost } from './groups.js';
import type { Inventory } from './model.js';

export interface InventoryLayerOptions {
  /** The playbook's directory: its group_vars/ and host_vars/ apply, above the inventory's. */
  playbookDir?: string;
  /** The project root (where sams.yml is): its group_vars/ and host_vars/ sit between the two. */
  projectRoot?: string;
  keyring?: VaultKeyring;
}

type Where = 'inventory' | 'project' | 'playbook';

const VARS_EXTS = ['.yml', '.yaml', '.json'];

/**
 * The layers of variables the inventory gives `host`, lowest precedence first, in Ansible's
 * order (vars/manager.py get_vars with the default VARIABLE_PRECEDENCE): group vars (all first,
 * then by depth, priority, name) before host vars, inventory files before group_vars/host_vars
 * files, and for files: inventory, then project root, then playbook directory.
 */
export function inventoryLayers(inv: Inventory, host: string, opts: InventoryLayerOptions = {}): VarLayer[] {
  const local = resolveLocalhost(inv, host);
  if (local && 'host' in local) host = local.host;
  const implicit = local !== undefined && 'implicit' in local;
  const groups = implicit ? [] : hostGroupsByPrecedence(inv, host);
  const all = inv.groups.get('all')!;
  const dirs = varsDirs(inv, opts);
  const read = fileReader(inv, opts.keyring);
  const find = finder(inv);
  const layers: VarLayer[] = [];

  layers.push(...fileVarLayers('inventory file group vars', all, (f) => `inventory ${f} group all`));
  for (const g of groups) layers.push(...fileVarLayers('inventory file group vars', g, (f) => `inventory ${f} group ${g.name}`));

  const filesFor = (kind: LayerKind, where: Where, sub: 'group_vars' | 'host_vars', names: string[]) => {
    for (const d of dirs.filter((x) => x.where === where)) {
      for (const name of names) {
        for (const file of find(join(d.dir, sub), name)) {
          const vars = read(file);
          if (Object.keys(vars).length) layers.push({ kind, source: file, vars });
        }
      }
    }
  };
  filesFor('inventory group_vars/all', 'inventory', 'group_vars', ['all']);
  filesFor('project group_vars/all', 'project', 'group_vars', ['all']);
  filesFor('playbook group_vars/all', 'playbook', 'group_vars', ['all']);
  const names = groups.map((g) => g.name);
  filesFor('inventory group_vars/*', 'inventory', 'group_vars', names);
  filesFor('project group_vars/*', 'project', 'group_vars', names);
  filesFor('playbook group_vars/*', 'playbook', 'group_vars', names);

  if (implicit) {
    layers.push({ kind: 'inventory file host vars', source: `implicit ${host}`, vars: { ansible_connection: 'local' } });
  } else {
    const h = inv.hosts.get(host);
    if (h) layers.push(...fileVarLayers('inventory file host vars', h, (f) => `inventory ${f} host ${host}`));
  }
  // Ansible skips host_vars for names that are absolute paths (chroot connection targets).
  const hostNames = host.startsWith('/') ? [] : [host];
  filesFor('inventory host_vars/*', 'inventory', 'host_vars', hostNames);
  filesFor('project host_vars/*', 'project', 'host_vars', hostNames);
  filesFor('playbook host_vars/*', 'playbook', 'host_vars', hostNames);
  return layers;
}

/**
 * The layers of one group's own variables (not its parents'): its inventory-file vars, then its
 * group_vars files in the same order as for hosts. For `ansible-inventory --graph --vars`.
 */
export function groupLayers(inv: Inventory, group: string, opts: InventoryLayerOptions = {}): VarLayer[] {
  const g = inv.groups.get(group);
  if (!g) return [];
  const layers = fileVarLayers('inventory file group vars', g, (f) => `inventory ${f} group ${group}`);
  const read = fileReader(inv, opts.keyring);
  const isAll = group === 'all';
  for (const d of varsDirs(inv, opts)) {
    const kind: LayerKind = `${d.where} group_vars/${isAll ? 'all' : '*'}` as LayerKind;
    for (const file of findVarsFiles(join(d.dir, 'group_vars'), group)) {
      const vars = read(file);
      if (Object.keys(vars).length) layers.push({ kind, source: file, vars });
    }
  }
  return layers;
}

/** One layer per inventory file that set some of the entity's vars (values as finally set). */
function fileVarLayers(
  kind: LayerKind,
  entity: { vars: Readonly<Record<string, unknown>>; varFiles: Readonly<Record<string, string>> },
  source: (file: string) => string,
): VarLayer[] {
  const byFile = new Map<string, Record<string, unknown>>();
  for (const [k, v] of Object.entries(entity.vars)) {
    const f = entity.varFiles[k]!;
    let vars = byFile.get(f);
    if (!vars) byFile.set(f, (vars = {}));
    Object.defineProperty(vars, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return [...byFile].map(([f, vars]) => ({ kind, source: source(f), vars }));
}

/**
 * The directories whose group_vars/ and host_vars/ apply, in precedence order. A directory that
 * appears more than once (the inventory sits in the project root, say) keeps only its last,
 * highest place: an earlier copy of identical files could never win, so the values are the same
 * as Ansible's, and --explain names each file once.
 */
function varsDirs(inv: Inventory, opts: InventoryLayerOptions): { where: Where; dir: string }[] {
  const list: { where: Where; dir: string }[] = [];
  for (const src of inv.sources) {
    if (!existsSync(src)) continue; // a host list
    list.push({ where: 'inventory', dir: statSync(src).isDirectory() ? src : dirname(src) });
  }
  if (opts.projectRoot) list.push({ where: 'project', dir: opts.projectRoot });
  if (opts.playbookDir) list.push({ where: 'playbook', dir: opts.playbookDir });
  const real = list.map((d) => realPath(d.dir));
  return list.filter((_, i) => real.indexOf(real[i]!, i + 1) < 0);
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Ansible's find_vars_files: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists; a
 * directory is read recursively in sorted order, skipping hidden files, backups (~) and other
 * extensions (and subdirectories with a dot in their name).
 */
export function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of ['', ...VARS_EXTS]) {
    const p = join(dir, name + ext);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    return st.isDirectory() ? varsDirFiles(p) : [p];
  }
  return [];
}

function varsDirFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const p = join(dir, entry);
    const ext = extname(entry);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a dangling symlink
    }
    if (st.isDirectory() && !ext) out.push(...varsDirFiles(p));
    else if (st.isFile() && (!ext || VARS_EXTS.includes(ext))) out.push(p);
  }
  return out;
}

const findCache = new WeakMap<Inventory, Map<string, string[]>>();

/** findVarsFiles, remembered per inventory: every host of a group asks for the same files. */
function finder(inv: Inventory): (dir: string, name: string) => string[] {
  let cache = findCache.get(inv);
  if (!cache) findCache.set(inv, (cache = new Map()));
  const c = cache;
  return (dir, name) => {
    const key = `${dir}\0${name}`;
    let files = c.get(key);
    if (!files) c.set(key, (files = findVarsFiles(dir, name)));
    return files;
  };
}

const fileCache = new WeakMap<Inventory, Map<string, Record<string, unknown>>>();

/** Reads each vars file once per inventory (many hosts share the same group_vars). */
function fileReader(inv: Inventory, keyring: VaultKeyring | undefined): (file: string) => Record<string, unknown> {
  let cache = fileCache.get(inv);
  if (!cache) fileCache.set(inv, (cache = new Map()));
  const c = cache;
  return (file) => {
    let vars = c.get(file);
    if (!vars) c.set(file, (vars = readVarsFile(file, { keyring })));
    return vars;
  };
}
