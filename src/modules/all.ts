// The list of modules, sorted by name. Adding a module: write src/modules/<name>.ts, add it here,
// and add test/e2e/modules/<name>.test.ts (test/unit/registry.test.ts fails without it).

import type { ModuleDef } from './types.js';

export const MODULES: readonly ModuleDef[] = [];
