// The registry stays honest: every module has a summary, a declared check-mode stance, a strict
// argument schema (an unknown argument is rejected), and an end-to-end test file of its own.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/all.js';
import { allModules, findModule } from '../../src/modules/registry.js';
import type { ModuleDef } from '../../src/modules/types.js';

const E2E = join(import.meta.dirname, '../e2e/modules');

// Modules whose arguments are open by design, with how they reject bad input instead.
const OPEN_SCHEMAS: Record<string, { why: string; rejected: Record<string, unknown> }> = {
  set_fact: { why: 'every argument is a variable name', rejected: { 'not-an-identifier': 1 } },
};

interface ZodInternals {
  _zod: { def: { type: string; catchall?: { _zod: { def: { type: string } } } } };
  shape?: Record<string, unknown>;
}

function internals(m: ModuleDef): ZodInternals {
  return m.args as unknown as ZodInternals;
}

describe.each(allModules().map((m) => [m.name, m] as const))('module %s', (name, m) => {
  it('has a one-line summary', () => {
    expect(typeof m.summary).toBe('string');
    expect(m.summary.trim().length).toBeGreaterThan(10);
    expect(m.summary).not.toContain('\n');
  });

  it('declares its check-mode stance', () => {
    expect(m.check === 'plan' || typeof m.check === 'function').toBe(true);
  });

  it('runs somewhere: on the target (probe + plan) or on the control node (run)', () => {
    if (m.where === 'target') {
      expect(typeof m.probe).toBe('function');
      expect(typeof m.plan).toBe('function');
    } else {
      expect(m.where).toBe('controller');
      expect(typeof m.run).toBe('function');
    }
  });

  it('rejects an unknown argument (a strict object schema)', () => {
    const open = OPEN_SCHEMAS[name];
    if (open) {
      expect(open.why).toBeTruthy();
      expect(m.args.safeParse(open.rejected).success).toBe(false);
      return;
    }
    const z = internals(m);
    expect(z._zod.def.type).toBe('object');
    expect(z._zod.def.catchall?._zod.def.type).toBe('never');
    const r = m.args.safeParse({ sams_surely_unknown_argument: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  it('names its free-form argument among its arguments', () => {
    if (m.freeForm === undefined) return;
    expect(Object.keys(internals(m).shape ?? {})).toContain(m.freeForm);
  });

  it(`has an end-to-end test: test/e2e/modules/${name}.test.ts`, () => {
    expect(existsSync(join(E2E, `${name}.test.ts`))).toBe(true);
  });

  it('is found by its name and as ansible.builtin.NAME', () => {
    expect(findModule(name)).toBe(m);
    expect(findModule(`ansible.builtin.${name}`)).toBe(m);
  });
});

describe('the module list', () => {
  it('is sorted by name, without duplicates', () => {
    const names = MODULES.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });
});
