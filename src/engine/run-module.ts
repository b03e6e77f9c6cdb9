// One module invocation with rendered arguments: parse them, then either run a controller
// module, or probe, plan and (unless checking) apply a target module's steps.

import { SamsError, SamsErrors } from '../errors.js';
import { parseArgs } from '../load/check-args.js';
import type { ModuleDef, Plan, TaskEnv } from '../modules/types.js';
import { UnreachableError } from '../transport/types.js';
import { applySteps, planDiffs } from './apply-steps.js';
import type { TaskResult } from './result.js';

export interface ModuleRunOptions {
  /** Plan only (--check, or check_mode: true). */
  check: boolean;
  diff: boolean;
  /** --show-secrets together with an explicit diff: true on the task. */
  showSecrets: boolean;
}

export async function runModule(mod: ModuleDef, rawArgs: Record<string, unknown>, env: TaskEnv, o: ModuleRunOptions): Promise<TaskResult> {
  let args: unknown;
  try {
    args = parseArgs(mod, rawArgs, env.loc);
  } catch (e) {
    if (e instanceof SamsError) return { status: 'failed', msg: e.message, hint: e.hint };
    throw e;
  }
  try {
    if (mod.where === 'controller') {
      const out = await mod.run(env, args);
      return {
        status: out.status,
        msg: out.msg,
        hint: out.hint,
        data: out.data,
        facts: out.facts,
        factsLayer: out.factsLayer,
        diff: out.diff,
      };
    }
    if (o.check && mod.check !== 'plan') {
      const reason = mod.check(args);
      if (reason) return checkSkipped(mod, args, reason);
    }
    // A target module's warnings are printed and, as Ansible's module.warn(), registered.
    const warnings: string[] = [];
    const wenv: TaskEnv = { ...env, warn: (m) => (warnings.push(m), env.warn(m)) };
    const state = await mod.probe(wenv, args);
    const plan: Plan = mod.plan(args, state, { host: env.host, check: o.check, diff: o.diff });
    const result = await settlePlan(plan, wenv, o);
    if (warnings.length) result.warnings = warnings;
    return result;
  } catch (e) {
    if (e instanceof UnreachableError) return { status: 'unreachable', msg: e.message, hint: e.hint };
    if (e instanceof SamsError) return { status: 'failed', msg: e.message, hint: e.hint };
    if (e instanceof SamsErrors) return { status: 'failed', msg: e.errors.map((x) => x.message).join('; '), hint: e.errors[0]?.hint };
    throw e;
  }
}

/**
 * A module that cannot predict its effect in check mode is skipped; sams shows why, and the
 * registered result is what the module says Ansible registers then (command, shell).
 */
function checkSkipped(mod: ModuleDef, args: unknown, reason: string): TaskResult {
  return { status: 'skipped', skipReason: reason, msg: reason, checkOnly: true, ...mod.checkSkipped?.(args) };
}

async function settlePlan(plan: Plan, env: TaskEnv, o: ModuleRunOptions): Promise<TaskResult> {
  switch (plan.kind) {
    case 'ok':
      return { status: 'ok', note: plan.note, data: plan.data, registeredDiff: plan.registeredDiff };
    case 'fail':
      return { status: 'failed', msg: plan.msg, hint: plan.hint, data: plan.data };
    case 'skip':
      return { status: 'skipped', skipReason: plan.reason, msg: plan.reason, data: plan.data };
    case 'change': {
      const diff = o.diff ? planDiffs(plan.steps, plan.diff, o.showSecrets) : undefined;
      if (o.check) return { status: 'changed', note: plan.note, data: plan.data, diff, checkOnly: true, registeredDiff: plan.registeredDiff };
      const applied = await applySteps(plan.steps, env);
      const data = { ...(plan.data ?? {}), ...applied.data };
      if (!applied.ok) return { status: 'failed', msg: applied.msg, rc: applied.rc, stdout: applied.stdout, stderr: applied.stderr, data, diff, changedBeforeFailure: applied.changed };
      return { status: applied.changed ? 'changed' : 'ok', note: plan.note, rc: applied.rc, stdout: applied.stdout, stderr: applied.stderr, data, diff: applied.changed ? diff : undefined, registeredDiff: plan.registeredDiff };
    }
    default: {
      const never: never = plan;
      throw new Error(`unknown plan ${JSON.stringify(never)}`);
    }
  }
}
