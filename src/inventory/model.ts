// The inventory data model and its builder: hosts and groups in inventory order, with the rules
// Ansible's InventoryData enforces (all/ungrouped, parents, depth, loops, host:port).

import { SamsError, type SourceLoc } from '../errors.js';

export interface InventoryHost {
  readonly name: string;
  /** Groups that list this host themselves, in the order they did (ancestors not included). */
  readonly groups: readonly string[];
  /** Variables written in inventory files (inline INI vars, YAML host entries, host:port). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** For each of `vars`, the inventory file that set it last. */
  readonly varFiles: Readonly<Record<string, string>>;
  /** The inventory file that first named the host (Ansible's inventory_file). */
  readonly file: string;
  /** Where the host was first named, when known. */
  readonly loc?: SourceLoc;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed in this group itself, in inventory order (child groups' hosts not included). */
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  readonly parents: readonly string[];
  /** `[g:vars]` / YAML `vars:` values (ansible_group_priority is not among them). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly varFiles: Readonly<Record<string, string>>;
  /** ansible_group_priority, 1 unless set. */
  readonly priority: number;
  /** Longest path from `all` (all is 0); groups sort by depth, then priority, then name. */
  readonly depth: number;
  readonly loc?: SourceLoc;
}

export interface Inventory {
  /** The inventory sources as given (absolute paths, or `a,b,` host lists), in order. */
  readonly sources: readonly string[];
  /** Every inventory file that was parsed, in order. */
  readonly files: readonly string[];
  /** Hosts in the order they were first defined. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Groups: `all`, `ungrouped`, then in the order they were defined. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** Things Ansible warns about (a name that is both a host and a group, an empty directory source). */
  readonly warnings: readonly string[];
}

/** Host names Ansible treats as the control node (constants.LOCALHOST). */
export const LOCALHOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

interface MutHost {
  name: string;
  groups: string[];
  vars: Record<string, unknown>;
  varFiles: Record<string, string>;
  file: string;
  loc?: SourceLoc;
}
interface MutGroup {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Record<string, unknown>;
  varFiles: Record<string, string>;
  priority: number;
  depth: number;
  loc?: SourceLoc;
}

/** Sets a key without tripping over names like `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Builds an Inventory the way Ansible's InventoryData does, one parsed entry at a time. */
export class InventoryBuilder {
  private readonly hosts = new Map<string, MutHost>();
  private readonly groups = new Map<string, MutGroup>();
  readonly sources: string[] = [];
  readonly files: string[] = [];
  readonly warnings: string[] = [];

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }
  hasHost(name: string): boolean {
    return this.hosts.has(name);
  }

  addGroup(name: string, loc?: SourceLoc): void {
    if (!name) throw new SamsError('a group name cannot be empty', { loc, hint: 'give the group a name' });
    if (!this.groups.has(name)) {
      this.groups.set(name, { name, hosts: [], children: [], parents: [], vars: {}, varFiles: {}, priority: 1, depth: 0, loc });
    }
  }

  /** Add a host (if new) and put it in `group`. A port counts only where the host is first defined, as in Ansible. */
  addHost(name: string, file: string, opts: { group?: string; port?: number; loc?: SourceLoc } = {}): void {
    if (!name) throw new SamsError('a host name cannot be empty', { loc: opts.loc, hint: 'give the host a name, or remove the entry' });
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, groups: [], vars: {}, varFiles: {}, file, loc: opts.loc };
      this.hosts.set(name, h);
      if (opts.port !== undefined) this.setHostVar(name, 'ansible_port', opts.port, file);
    }
    if (opts.group !== undefined) this.putHostInGroup(h, this.groups.get(opts.group)!);
  }

  private putHostInGroup(h: MutHost, g: MutGroup): void {
    if (g.hosts.includes(h.name)) return;
    g.hosts.push(h.name);
    h.groups.push(g.name);
  }

  /** Make `child` (a group) a child of `parent`; refuses self-parenting and loops. */
  addChild(parent: string, child: string, loc?: SourceLoc): void {
    const p = this.groups.get(parent)!;
    const c = this.groups.get(child)!;
    if (p === c) throw new SamsError(`group ${parent} cannot be a child of itself`, { loc, hint: 'remove it from its own children' });
    if (p.children.includes(child)) return;
    if (this.ancestors(parent).has(child)) {
      throw new SamsError(`making ${child} a child of ${parent} creates a loop: ${child} is already an ancestor of ${parent}`, {
        loc,
        hint: 'a group cannot contain itself, directly or through its children',
      });
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  private ancestors(group: string): Set<string> {
    const seen = new Set<string>();
    const todo = [...this.groups.get(group)!.parents];
    while (todo.length) {
      const g = todo.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      todo.push(...this.groups.get(g)!.parents);
    }
    return seen;
  }

  setGroupVar(group: string, key: string, value: unknown, file: string, loc?: SourceLoc): void {
    const g = this.groups.get(group)!;
    if (key === 'ansible_group_priority') {
      // Ansible keeps the priority apart from the vars and int()s it.
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n)) {
        throw new SamsError(`ansible_group_priority of group ${group} must be a whole number, got ${JSON.stringify(value)}`, {
          loc,
          hint: 'groups of the same depth apply in priority order (default 1; higher wins)',
        });
      }
      g.priority = n;
      return;
    }
    setOwn(g.vars, key, value);
    setOwn(g.varFiles, key, file);
  }

  setHostVar(host: string, key: string, value: unknown, file: string): void {
    const h = this.hosts.get(host)!;
    setOwn(h.vars, key, value);
    setOwn(h.varFiles, key, file);
  }

  /** Ansible's reconcile_inventory: root groups under all, group-less hosts in ungrouped; then depths. */
  finish(): Inventory {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      const others = h.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (others.length > 0) {
        if (h.groups.includes('ungrouped')) {
          ungrouped.hosts.splice(ungrouped.hosts.indexOf(h.name), 1);
          h.groups.splice(h.groups.indexOf('ungrouped'), 1);
        }
      } else if (!h.groups.includes('ungrouped')) {
        this.putHostInGroup(h, ungrouped);
      }
    }
    for (const name of this.hosts.keys()) {
      if (this.groups.has(name)) this.warnings.push(`Found both group and host with same name: ${name}`);
    }
    const depth = new Map<string, number>();
    const depthOf = (name: string): number => {
      const known = depth.get(name);
      if (known !== undefined) return known;
      const g = this.groups.get(name)!;
      const d = g.parents.length === 0 ? 0 : Math.max(...g.parents.map((p) => depthOf(p) + 1));
      depth.set(name, d);
      return d;
    };
    for (const g of this.groups.values()) g.depth = depthOf(g.name);
    return {
      sources: this.sources,
      files: this.files,
      hosts: this.hosts as Map<string, InventoryHost>,
      groups: this.groups as Map<string, InventoryGroup>,
      warnings: this.warnings,
    };
  }
}
