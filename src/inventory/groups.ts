// Questions about group membership, answered as Ansible does: a group's hosts (children included,
// in Ansible's order), a host's groups, the `groups` and `group_names` magic variables.

import { dirname } from 'node:path';
import { looksLikeIp } from './host-range.js';
import { LOCALHOST_NAMES, type Inventory, type InventoryGroup } from './model.js';

const hostsCache = new WeakMap<Inventory, Map<string, string[]>>();

/**
 * Every host of a group, its child groups' included, without duplicates. The order is Ansible's
 * Group.get_hosts(): the group's own hosts, then its children's, level by level.
 */
export function groupHosts(inv: Inventory, group: string): string[] {
  let cache = hostsCache.get(inv);
  if (!cache) hostsCache.set(inv, (cache = new Map()));
  const hit = cache.get(group);
  if (hit) return [...hit];
  const g = inv.groups.get(group);
  if (!g) return [];
  const order = new Map([...inv.groups.keys()].map((k, i) => [k, i]));
  // Ansible walks the descendants breadth-first; within a level it iterates a set, which in
  // practice follows creation order, so we take the groups of a level in definition order.
  const ordered: string[] = [g.name, ...g.children];
  const seen = new Set<string>();
  let level = new Set<string>(g.children);
  while (level.size) {
    for (const x of level) seen.add(x);
    const next = new Set<string>();
    for (const name of [...level].sort((a, b) => order.get(a)! - order.get(b)!)) {
      for (const kid of inv.groups.get(name)!.children) {
        next.add(kid);
        if (!seen.has(kid)) ordered.push(kid);
      }
    }
    for (const x of seen) next.delete(x);
    level = next;
  }
  const out: string[] = [];
  const have = new Set<string>();
  for (const name of ordered) {
    for (const h of inv.groups.get(name)!.hosts) {
      if (have.has(h)) continue;
      have.add(h);
      out.push(h);
    }
  }
  cache.set(group, out);
  return [...out];
}

/** Every group a host belongs to, directly or through a child group (`all` included when it is in the inventory). */
export function hostGroups(inv: Inventory, host: string): string[] {
  const h = inv.hosts.get(host);
  if (!h) return [];
  const out = new Set<string>();
  const todo = [...h.groups];
  while (todo.length) {
    const g = todo.shift()!;
    if (out.has(g)) continue;
    out.add(g);
    todo.push(...inv.groups.get(g)!.parents);
  }
  return [...out];
}

/** Ansible's sort_groups: by depth, then ansible_group_priority, then name. */
export function sortGroups(groups: readonly InventoryGroup[]): InventoryGroup[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A host's groups other than `all`, in the order their variables apply (lowest first). */
export function hostGroupsByPrecedence(inv: Inventory, host: string): InventoryGroup[] {
  return sortGroups(
    hostGroups(inv, host)
      .filter((g) => g !== 'all')
      .map((g) => inv.groups.get(g)!),
  );
}

/** The `group_names` magic variable: the host's groups without `all`, sorted by name. */
export function groupNames(inv: Inventory, host: string): string[] {
  return hostGroups(inv, host)
    .filter((g) => g !== 'all')
    .sort();
}

/** The `groups` magic variable: every group (all and ungrouped included) with all its hosts. */
export function groupsVar(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of inv.groups.keys()) Object.defineProperty(out, name, { value: groupHosts(inv, name), enumerable: true, writable: true, configurable: true });
  return out;
}

/** `inventory_hostname_short`: up to the first dot, except for IP addresses. */
export function inventoryHostnameShort(name: string): string {
  return looksLikeIp(name) ? name : name.split('.')[0]!;
}

/**
 * The magic variables the inventory defines for a host: inventory_hostname(_short), group_names,
 * and inventory_file / inventory_dir (the file that first named the host; undefined, as in
 * Ansible, for the implicit localhost).
 */
export function hostMagicVars(inv: Inventory, host: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    inventory_hostname: host,
    inventory_hostname_short: inventoryHostnameShort(host),
    group_names: groupNames(inv, host),
  };
  const file = inv.hosts.get(host)?.file;
  if (file !== undefined) {
    out.inventory_file = file;
    out.inventory_dir = dirname(file);
  }
  return out;
}

/**
 * When `name` is a localhost name (localhost, 127.0.0.1, ::1) that the inventory does not define,
 * Ansible uses an implicit host for it: ansible_connection=local, not a member of `all`. If the
 * inventory defines another localhost name, that host stands in for it instead (returned here).
 */
export function resolveLocalhost(inv: Inventory, name: string): { implicit: true } | { host: string } | undefined {
  if (inv.hosts.has(name) || !LOCALHOST_NAMES.includes(name)) return undefined;
  for (const h of inv.hosts.keys()) if (LOCALHOST_NAMES.includes(h)) return { host: h };
  return { implicit: true };
}

/** True when `name` is the implicit localhost (not defined in the inventory). */
export function isImplicitLocalhost(inv: Inventory, name: string): boolean {
  const r = resolveLocalhost(inv, name);
  return r !== undefined && 'implicit' in r;
}
