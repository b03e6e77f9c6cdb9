// set_fact: set host variables from the task's (already templated) arguments.

import { z } from 'zod';
import { isSecret } from '../secret.js';
import { toBool, zBool } from './lib/args.js';
import { defineModule, type ModuleOutcome, type TaskEnv } from './types.js';

// Python keywords and constants are not valid variable names (ansible.utils.vars.isidentifier).
const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

const invalidName = (k: string) =>
  `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`;

// Any variable name is an argument, so this schema cannot be strict: names are checked instead.
const args = z
  .object({ cacheable: zBool().default(false) })
  .catchall(z.unknown())
  .superRefine((a, ctx) => {
    const names = Object.keys(a).filter((k) => k !== 'cacheable');
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'No key/value pairs provided, at least one is required for this action to succeed', path: [] });
    for (const k of names) {
      // A templated name is checked once rendered.
      if (!k.includes('{{') && !isIdentifier(k)) ctx.addIssue({ code: 'custom', message: invalidName(k), path: [k] });
    }
  });

export type SetFactArgs = z.output<typeof args>;

/** Ansible (jinja2_native off) turns the strings true/false/yes/no into booleans. */
function factValue(v: unknown): unknown {
  if (typeof v === 'string' && /^(true|false|yes|no)$/i.test(v)) return toBool(v);
  return v;
}

export function runSetFact(env: TaskEnv, a: SetFactArgs): ModuleOutcome {
  const facts: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(a)) {
    if (rawKey === 'cacheable') continue;
    const r = env.templar.isTemplate(rawKey) ? env.templar.render(rawKey, env.vars, { loc: env.loc, host: env.host, what: 'set_fact variable name' }) : rawKey;
    const k = isSecret(r) ? r.reveal() : String(r);
    if (!isIdentifier(k)) return { status: 'failed', msg: invalidName(k) };
    facts[k] = factValue(v);
  }
  // Not changed: set_fact changes no host (Ansible's comment says the same).
  return { status: 'ok', facts, factsLayer: 'set_fact', data: { ansible_facts: facts } };
}

export default defineModule({
  name: 'set_fact',
  summary: 'Set host variables (facts) from key: value pairs.',
  where: 'controller',
  args,
  check: 'plan',
  run: runSetFact,
});
