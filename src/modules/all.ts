// The list of modules, sorted by name. Adding a module: write src/modules/<name>.ts, add it here,
// and add test/e2e/modules/<name>.test.ts (test/unit/registry.test.ts fails without it).

import aptModule from './apt.js';
import assertModule from './assert.js';
import blockinfileModule from './blockinfile.js';
import commandModule from './command.js';
import copyModule from './copy.js';
import cronModule from './cron.js';
import debugModule from './debug.js';
import failModule from './fail.js';
import findModule from './find.js';
import fileModule from './file.js';
import groupModule from './group.js';
import includeVarsModule from './include_vars.js';
import lineinfileModule from './lineinfile.js';
import packageModule from './package.js';
import pauseModule from './pause.js';
import pingModule from './ping.js';
import rawModule from './raw.js';
import replaceModule from './replace.js';
import setFactModule from './set_fact.js';
import setupModule from './setup.js';
import shellModule from './shell.js';
import statModule from './stat.js';
import templateModule from './template.js';
import userModule from './user.js';
import waitForModule from './wait_for.js';
import type { ModuleDef } from './types.js';

export const MODULES: readonly ModuleDef[] = [
  aptModule,
  assertModule,
  blockinfileModule,
  commandModule,
  copyModule,
  cronModule,
  debugModule,
  failModule,
  fileModule,
  findModule,
  groupModule,
  includeVarsModule,
  lineinfileModule,
  packageModule,
  pauseModule,
  pingModule,
  rawModule,
  replaceModule,
  setFactModule,
  setupModule,
  shellModule,
  statModule,
  templateModule,
  userModule,
  waitForModule,
];
