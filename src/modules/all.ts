// The list of modules, sorted by name. Adding a module: write src/modules/<name>.ts, add it here,
// and add test/e2e/modules/<name>.test.ts (test/unit/registry.test.ts fails without it).

import assertModule from './assert.js';
import commandModule from './command.js';
import debugModule from './debug.js';
import failModule from './fail.js';
import includeVarsModule from './include_vars.js';
import pauseModule from './pause.js';
import pingModule from './ping.js';
import rawModule from './raw.js';
import setFactModule from './set_fact.js';
import setupModule from './setup.js';
import shellModule from './shell.js';
import waitForModule from './wait_for.js';
import type { ModuleDef } from './types.js';

export const MODULES: readonly ModuleDef[] = [
  assertModule,
  commandModule,
  debugModule,
  failModule,
  includeVarsModule,
  pauseModule,
  pingModule,
  rawModule,
  setFactModule,
  setupModule,
  shellModule,
  waitForModule,
];
