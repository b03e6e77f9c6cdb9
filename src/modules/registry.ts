// The explicit module registry: every module sams knows, by name and alias. No directory scanning.

import type { ModuleDef } from './types.js';
import { MODULES } from './all.js';

const byName = new Map<string, ModuleDef>();
for (const m of MODULES) {
  for (const n of [m.name, ...(m.aliases ?? [])]) {
    for (const full of [n, `ansible.builtin.${n}`, `ansible.legacy.${n}`]) {
      if (byName.has(full)) throw new Error(`module name ${full} registered twice`);
      byName.set(full, m);
    }
  }
}

/** The module a task names (short, ansible.builtin.*, ansible.legacy.* or alias), or undefined. */
export function findModule(name: string): ModuleDef | undefined {
  return byName.get(name);
}

/** Every name a task may use, for did-you-mean suggestions. */
export function moduleNames(): string[] {
  return [...byName.keys()].filter((n) => !n.startsWith('ansible.legacy.'));
}

export function allModules(): readonly ModuleDef[] {
  return MODULES;
}
