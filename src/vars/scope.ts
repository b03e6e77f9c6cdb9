// A host's variables at one point of the run: layers in precedence order, resolved lazily.
// A value is templated only when it is read, in the context of the same scope (Ansible's lazy
// templating), so `a: "{{ b }}"` sees the `b` of the task being run.

import { SamsError, type SourceLoc } from '../errors.js';
import { UnsafeText, VaultedText } from '../load/yaml.js';
import type { Templar, Vars } from '../template/types.js';

/** Computed variables (hostvars, groups, role_path...) asked for by name; undefined = not provided. */
export type MagicVars = (name: string) => { value: unknown } | undefined;

/** Names every scope answers from `magic` before looking at the layers. */
export const MAGIC_NAMES = new Set([
  'inventory_hostname',
  'inventory_hostname_short',
  'group_names',
  'groups',
  'hostvars',
  'playbook_dir',
  'role_path',
  'role_name',
  'role_names',
  'ansible_role_names',
  'ansible_play_role_names',
  'ansible_check_mode',
  'ansible_diff_mode',
  'ansible_play_hosts',
  'ansible_play_hosts_all',
  'ansible_play_batch',
  'play_hosts',
  'ansible_play_name',
  'ansible_version',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_forks',
  'inventory_dir',
  'inventory_file',
  'ansible_config_file',
  'ansible_parent_role_names',
  'ansible_parent_role_paths',
  'omit',
  'vars',
  'environment',
]);

const TEMPLATE_RE = /\{\{|\{%|\{#/;

/** True when a value holds a string that needs templating, or a vault value to decrypt. */
export function needsRender(v: unknown): boolean {
  if (typeof v === 'string') return TEMPLATE_RE.test(v);
  if (v instanceof VaultedText) return true;
  if (v === null || typeof v !== 'object' || v instanceof UnsafeText) return false;
  if (Array.isArray(v)) return v.some(needsRender);
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const x of Object.values(v)) if (needsRender(x)) return true;
  return false;
}

export interface ScopeOptions {
  host?: string;
  loc?: SourceLoc;
}

export class VarScope {
  private readonly cache = new Map<string, unknown>();
  private readonly resolving = new Set<string>();
  readonly proxy: Vars;

  constructor(
    /** Lowest precedence first. */
    readonly layers: readonly Record<string, unknown>[],
    readonly templar: Templar,
    readonly magic: MagicVars,
    readonly opts: ScopeOptions = {},
  ) {
    const self = this;
    this.proxy = new Proxy(Object.create(null) as Vars, {
      get: (_t, key) => (typeof key === 'string' ? self.get(key) : undefined),
      has: (_t, key) => typeof key === 'string' && self.has(key),
      ownKeys: () => self.names(),
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' && self.has(key) ? { enumerable: true, configurable: true, writable: false, value: self.get(key) } : undefined,
      set: () => false,
      deleteProperty: () => false,
    });
  }

  /** A new scope with `overlay` on top (task vars, loop item, registered result). */
  with(...overlays: Record<string, unknown>[]): VarScope {
    return new VarScope([...this.layers, ...overlays], this.templar, this.magic, this.opts);
  }

  /** Same layers, different position for errors. */
  at(loc: SourceLoc | undefined): VarScope {
    return new VarScope(this.layers, this.templar, this.magic, { ...this.opts, loc });
  }

  has(name: string): boolean {
    if (MAGIC_NAMES.has(name) && this.magic(name) !== undefined) return true;
    for (let i = this.layers.length - 1; i >= 0; i--) if (Object.prototype.hasOwnProperty.call(this.layers[i], name)) return true;
    return false;
  }

  /** The value as written in the highest layer that has it (not templated). */
  raw(name: string): unknown {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      if (Object.prototype.hasOwnProperty.call(l, name)) return l[name];
    }
    return undefined;
  }

  /** The templated value, or undefined when no layer defines it. */
  get(name: string): unknown {
    if (this.cache.has(name)) return this.cache.get(name);
    if (MAGIC_NAMES.has(name)) {
      if (name === 'vars') return this.proxy;
      const m = this.magic(name);
      if (m !== undefined) return m.value;
    }
    let found = false;
    let raw: unknown;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      if (Object.prototype.hasOwnProperty.call(l, name)) {
        found = true;
        raw = l[name];
        break;
      }
    }
    if (!found) return undefined;
    let value: unknown = raw;
    if (raw instanceof VaultedText) value = raw.get();
    else if (raw instanceof UnsafeText) value = raw.text;
    else if (needsRender(raw)) {
      if (this.resolving.has(name)) {
        throw new SamsError(`variable '${name}' refers to itself (${[...this.resolving, name].join(' -> ')})`, {
          loc: this.opts.loc,
          host: this.opts.host,
          hint: 'a variable cannot be defined in terms of itself; give the new value another name',
        });
      }
      this.resolving.add(name);
      try {
        value = this.templar.render(raw, this.proxy, { loc: this.opts.loc, host: this.opts.host, what: `variable '${name}'` });
      } finally {
        this.resolving.delete(name);
      }
    }
    this.cache.set(name, value);
    return value;
  }

  /** Every defined name (layers and magic). */
  names(): string[] {
    const s = new Set<string>();
    for (const l of this.layers) for (const k of Object.keys(l)) s.add(k);
    for (const m of MAGIC_NAMES) if (this.magic(m) !== undefined) s.add(m);
    return [...s];
  }

  /** Render a value (argument, condition text) in this scope. */
  render(value: unknown, what?: string, loc?: SourceLoc): unknown {
    return this.templar.render(value, this.proxy, { loc: loc ?? this.opts.loc, host: this.opts.host, what });
  }
}
