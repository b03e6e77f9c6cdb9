// The inventory as ansible-inventory shows it: the --list JSON, the --graph tree, and Python-style
// value text for `--graph --vars`. Pure: the CLI prints what these return.

import { VaultedText } from '../load/yaml.js';
import { SECRET_MASK, Secret } from '../secret.js';
import { mergeLayers } from '../vars/layers.js';
import { groupHosts } from './groups.js';
import { groupLayers, inventoryLayers, type InventoryLayerOptions } from './inventory-layers.js';
import type { Inventory } from './model.js';

/** A host's merged inventory variables (what `ansible-inventory --host` prints). */
export function inventoryHostVars(inv: Inventory, host: string, opts: InventoryLayerOptions = {}): Record<string, unknown> {
  return mergeLayers(inventoryLayers(inv, host, opts));
}

/** The `ansible-inventory --list` document: groups with hosts/children, and _meta.hostvars. */
export function inventoryListJson(inv: Inventory, opts: InventoryLayerOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of inv.groups.values()) {
    const entry: Record<string, unknown> = {};
    if (g.name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts];
    if (g.children.length) entry.children = [...g.children];
    // Ansible drops groups with neither hosts nor children (all keeps its children).
    if (Object.keys(entry).length) out[g.name] = entry;
  }
  const hostvars: Record<string, unknown> = {};
  for (const h of groupHosts(inv, 'all')) {
    const vars = inventoryHostVars(inv, h, opts);
    if (Object.keys(vars).length) hostvars[h] = vars;
  }
  out._meta = { hostvars };
  return out;
}

/** The `ansible-inventory --graph [GROUP] [--vars]` lines. */
export function inventoryGraph(inv: Inventory, group: string, opts: InventoryLayerOptions & { vars?: boolean } = {}): string[] {
  const name = (text: string, depth: number) => (depth ? '  |'.repeat(depth) + '--' + text : text);
  const showVars = (vars: Record<string, unknown>, depth: number) =>
    Object.keys(vars)
      .sort()
      .map((k) => name(`{${k} = ${pyStr(vars[k])}}`, depth));
  const walk = (g: string, depth: number): string[] => {
    const group = inv.groups.get(g)!;
    const lines = [name(`@${g}:`, depth)];
    for (const kid of group.children) lines.push(...walk(kid, depth + 1));
    if (g !== 'all') {
      for (const h of group.hosts) {
        lines.push(name(h, depth + 1));
        if (opts.vars) lines.push(...showVars(inventoryHostVars(inv, h, opts), depth + 2));
      }
    }
    if (opts.vars) {
      const vars = mergeLayers(groupLayers(inv, g, opts));
      if (group.priority !== 1) vars.ansible_group_priority = group.priority;
      lines.push(...showVars(vars, depth + 1));
    }
    return lines;
  };
  return walk(group, 0);
}

/** JSON with keys sorted at every level and 4-space indent, as ansible-inventory prints it. */
export function ansibleJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortKeys((v as Record<string, unknown>)[k]), enumerable: true });
    return out;
  }
  return v;
}

/** Python's str() of a value (repr for what is inside containers); secrets stay masked. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

export function pyRepr(v: unknown): string {
  if (v instanceof Secret || v instanceof VaultedText) return SECRET_MASK;
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  if (typeof v === 'string') return pyStringRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyStringRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function pyStringRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}
