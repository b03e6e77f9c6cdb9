// Test support: a real TaskEnv for controller modules (real templar, real file lookup) whose
// remote side refuses to be used, and a runner for module arguments through the real schema.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../src/load/check-args.js';
import { makeTaskEnv } from '../../../src/engine/task-env.js';
import type { VaultKeyring } from '../../../src/load/yaml.js';
import type { ModuleDef, TaskEnv } from '../../../src/modules/types.js';
import { createTemplar } from '../../../src/template/index.js';

export interface EnvOptions {
  vars?: Record<string, unknown>;
  playbookDir?: string;
  rolePath?: string;
  keyring?: VaultKeyring;
  check?: boolean;
  taskFile?: string;
}

export interface TestEnv extends TaskEnv {
  warnings: string[];
  debugs: string[];
}

export function controllerEnv(o: EnvOptions = {}): TestEnv {
  const warnings: string[] = [];
  const debugs: string[] = [];
  const playbookDir = o.playbookDir ?? mkdtempSync(join(tmpdir(), 'sams-mod-'));
  const env = makeTaskEnv({
    host: 'h1',
    check: o.check ?? false,
    diff: false,
    remote: {
      exec: () => Promise.reject(new Error('controller module touched the host')),
      get: () => Promise.reject(new Error('controller module touched the host')),
    },
    vars: o.vars ?? {},
    templar: createTemplar({ keyring: o.keyring }),
    loc: { file: o.taskFile ?? join(playbookDir, 'site.yml'), line: 3, col: 5 },
    rolePath: o.rolePath,
    playbookDir,
    keyring: o.keyring,
    warn: (m) => warnings.push(m),
    debug: (_l, m) => debugs.push(m),
  });
  return Object.assign(env, { warnings, debugs });
}

/** Arguments parsed by the module's schema, as the engine does before run/probe. */
export function args<A>(mod: ModuleDef<A>, raw: Record<string, unknown>): A {
  return parseArgs(mod, raw, undefined);
}

/** The message of the argument error a module's schema gives, or undefined when accepted. */
export function argError(mod: ModuleDef, raw: Record<string, unknown>): string | undefined {
  try {
    parseArgs(mod, raw, undefined);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
