// debug: show a message or a variable's value (on the control node), as Ansible's debug does.

import { z } from 'zod';
import { SamsError } from '../errors.js';
import { zInt } from './lib/args.js';
import { defineModule, type ModuleOutcome, type TaskEnv } from './types.js';

const args = z
  .object({
    msg: z.unknown().optional(),
    var: z.unknown().optional(),
    verbosity: zInt().default(0),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.msg !== undefined && a.var !== undefined) ctx.addIssue({ code: 'custom', message: "'msg' and 'var' are incompatible options", path: ['var'] });
  });

export type DebugArgs = z.output<typeof args>;

export const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!';

/** The -v level of the run (Ansible's ansible_verbosity). */
export function runVerbosity(env: Pick<TaskEnv, 'vars'>): number {
  const v = Number(env.vars.ansible_verbosity ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** The value `var:` names: an expression evaluated with the task's variables, or the marker when undefined. */
function valueOfVar(env: TaskEnv, expr: string): unknown {
  try {
    return env.templar.evalExpr(expr, env.vars, { loc: env.loc, host: env.host, what: "debug's var" });
  } catch (e) {
    if (e instanceof SamsError && /undefined variable/.test(e.message)) {
      return runVerbosity(env) > 0 ? `${NOT_DEFINED}: ${e.message}` : NOT_DEFINED;
    }
    throw e;
  }
}

export function runDebug(env: TaskEnv, a: DebugArgs): ModuleOutcome {
  if (a.verbosity > runVerbosity(env)) return { status: 'skipped', data: { skipped_reason: 'Verbosity threshold not met.' } };
  if (a.var !== undefined) {
    const v = a.var;
    // Ansible keys the value by the expression as written; a list or dict (already templated)
    // is keyed by its Python type name.
    if (typeof v === 'string') return { status: 'ok', data: { [v]: valueOfVar(env, v) } };
    if (Array.isArray(v)) return { status: 'ok', data: { "<class 'list'>": v } };
    if (v !== null && typeof v === 'object') return { status: 'ok', data: { "<class 'dict'>": v } };
    return { status: 'ok', data: { [String(v)]: v } };
  }
  const msg = a.msg === undefined ? 'Hello world!' : a.msg;
  return { status: 'ok', msg: typeof msg === 'string' ? msg : undefined, data: { msg } };
}

export default defineModule({
  name: 'debug',
  summary: 'Print a message or the value of a variable or expression.',
  where: 'controller',
  args,
  check: 'plan',
  run: runDebug,
});
