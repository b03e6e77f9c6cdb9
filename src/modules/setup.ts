// setup: gather facts about the target with one POSIX sh script, parsed on the control node.
// Facts come back as data.ansible_facts without the ansible_ prefix (ansible_facts.distribution);
// the engine also sets them as top-level ansible_* variables (ansible_distribution).

import { z } from 'zod';
import { raw, sh } from '../shell/quote.js';
import { zInt, zList, zStr } from './lib/args.js';
import { parseFacts, type Facts } from './lib/facts/parse-facts.js';
import { Sections } from './lib/facts/sections.js';
import { setupScript } from './lib/facts/setup-script.js';
import { collectorNames, resolveCollectors } from './lib/facts/subsets.js';
import { pyFnmatch } from '../python/fnmatch.js';
import { defineModule, type Plan } from './types.js';

const args = z
  .object({
    gather_subset: zList(zStr()).default(['all']),
    gather_timeout: zInt().default(10),
    filter: zList(zStr()).default([]),
    fact_path: zStr().default('/etc/ansible/facts.d'),
  })
  .strict()
  .superRefine((a, ctx) => {
    try {
      collectorNames(a.gather_subset);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message, path: ['gather_subset'] });
    }
    if (a.gather_timeout <= 0) ctx.addIssue({ code: 'custom', message: 'gather_timeout must be positive', path: ['gather_timeout'] });
  });

export type SetupArgs = z.output<typeof args>;

export interface SetupProbe {
  rc: number;
  stdout: string;
  stderr: string;
}

/** The ansible_facts mapping (unprefixed names) for a script output: pure, for tests and plan(). */
export function factsFromOutput(a: SetupArgs, stdout: string, warnings: string[] = []): Facts {
  const collectors = resolveCollectors(a.gather_subset);
  const parsed = parseFacts(new Sections(stdout), { collectors, warn: (m) => warnings.push(m) });
  const all: Facts = { ...parsed, gather_subset: a.gather_subset, module_setup: true };
  if (a.filter.length === 0 || (a.filter.length === 1 && a.filter[0] === '*')) return all;
  // Ansible's filter matches the prefixed names (ansible_distribution*).
  const out: Facts = {};
  for (const [k, v] of Object.entries(all)) {
    const full = k === 'gather_subset' || k === 'module_setup' ? k : `ansible_${k}`;
    if (a.filter.some((p) => pyFnmatch(full, p))) out[k] = v;
  }
  return out;
}

export function planSetup(a: SetupArgs, p: SetupProbe): Plan {
  if (p.rc !== 0) return { kind: 'fail', msg: `gathering facts failed (rc ${p.rc})${p.stderr.trim() ? `: ${p.stderr.trim()}` : ''}` };
  const warnings: string[] = [];
  const facts = factsFromOutput(a, p.stdout, warnings);
  return { kind: 'ok', data: warnings.length ? { ansible_facts: facts, warnings } : { ansible_facts: facts } };
}

export default defineModule({
  name: 'setup',
  summary: 'Gather facts about the host (distribution, network, hardware, user...) as ansible_* variables.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: SetupArgs): Promise<SetupProbe> {
    const script = setupScript({ collectors: resolveCollectors(a.gather_subset), factPath: a.fact_path, gatherTimeout: a.gather_timeout });
    const r = await env.remote.exec(sh`${raw(script)}`, { timeoutMs: (a.gather_timeout * 4 + 30) * 1000 });
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  },
  plan: planSetup,
});
