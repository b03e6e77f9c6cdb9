// package: the generic package module; on Debian hosts it runs apt with the same name and state
// (the package manager comes from ansible_facts.pkg_mgr when facts were gathered, else the probe).

import { z } from 'zod';
import { SamsError } from '../errors.js';
import { aptArgs, planApt, probeApt, type AptArgs, type AptProbe } from './apt.js';
import { zList, zStr } from './lib/args.js';
import { defineModule } from './types.js';
import type { Vars } from '../template/types.js';

const args = z
  .object({
    name: zList(zStr()),
    state: z.enum(['present', 'latest', 'absent']).default('present'),
    use: zStr().default('auto'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.use !== 'auto' && a.use !== 'apt') {
      ctx.addIssue({ code: 'custom', message: `use: ${a.use} is not supported (sams manages packages with apt only)`, path: ['use'] });
    }
  });

export type PackageArgs = z.output<typeof args>;

/** The package manager the gathered facts name, if any (ansible_facts.pkg_mgr, else ansible_pkg_mgr). */
export function factsPkgMgr(vars: Vars): string | undefined {
  try {
    const facts = vars.ansible_facts as Record<string, unknown> | undefined;
    const v = facts?.pkg_mgr ?? vars.ansible_pkg_mgr;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    // Facts that cannot be read (undefined variable) count as not gathered.
    return undefined;
  }
}

function toApt(a: PackageArgs): AptArgs {
  return aptArgs.parse({ name: a.name, state: a.state });
}

export default defineModule({
  name: 'package',
  summary: "Install or remove packages with the host's package manager (apt on Debian).",
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: PackageArgs): Promise<AptProbe> {
    const mgr = a.use === 'auto' ? factsPkgMgr(env.vars) : a.use;
    if (mgr !== undefined && mgr !== 'apt') {
      throw new SamsError(`package: the host's package manager is ${mgr}; sams supports apt only`, { hint: 'use: apt forces apt' });
    }
    return probeApt(env, toApt(a));
  },
  plan(a, st, env) {
    if (!st.hasAptGet) {
      return { kind: 'fail', msg: 'Could not detect which package manager to use. Try gathering facts or setting the "use" option.', hint: 'sams supports apt only' };
    }
    return planApt(toApt(a), st, env);
  },
});
