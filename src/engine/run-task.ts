// One task on one host: conditions, loop, arguments, delegation, become, retries,
// changed_when/failed_when, register, notify; include_* and meta directives.

import { setTimeout as sleep } from 'node:timers/promises';
import { formatLoc, SamsError, type SourceLoc } from '../errors.js';
import { LoadContext } from '../load/context.js';
import type { Block, Condition, Task } from '../load/model.js';
import { loadRoleForImport, roleHandlers } from '../load/role.js';
import { loadIncludedTasks, syntheticBlock } from '../load/tasks.js';
import { isMapping } from '../load/tasks.js';
import { toBool } from '../modules/lib/args.js';
import { findModule } from '../modules/registry.js';
import { isSecret, type Secret } from '../secret.js';
import type { BecomeSpec } from '../transport/types.js';
import type { VarScope } from '../vars/scope.js';
import type { TaskInfo } from './events.js';
import { loopItems, loopVars } from './loops.js';
import type { PlayRun } from './play-run.js';
import { CONDITIONAL_SKIP, toRegistered, type ItemResult, type TaskResult } from './result.js';
import { runModule } from './run-module.js';
import { effectiveConditions, effectiveKeyword } from './select.js';
import { makeRemote, makeTaskEnv } from './task-env.js';

export type MetaAction = 'flush_handlers' | 'end_play' | 'end_host' | 'end_batch' | 'noop' | 'clear_host_errors' | 'refresh_inventory' | 'clear_facts' | 'reset_connection';

export interface TaskOutcome {
  result: TaskResult;
  /** include_tasks / include_role: blocks to run next on this host, in order. */
  includes?: Block[];
  meta?: MetaAction;
  /** Handler notification names to add (the task changed). */
  notify?: string[];
  /** Not counted in the recap (a run_once result copied to the other hosts). */
  silent?: boolean;
}

/**
 * What reporters show of a task. With a scope, a templated name is rendered (as Ansible's banner does).
 * An include_role is named as Ansible's IncludeRole.get_name(): its name, else `ACTION : ROLE` with
 * the role name as written (not templated), never with the enclosing role's prefix.
 */
export function taskInfo(task: Task, scope?: VarScope): TaskInfo {
  let base = task.name ?? task.actionAsWritten;
  if (scope && task.name && /\{\{|\{%/.test(task.name)) {
    try {
      base = String(scope.render(task.name, 'task name'));
    } catch {
      // A name that cannot be rendered yet (a loop variable, a later fact) is shown as written.
    }
  }
  const isIncludeRole = task.action === 'include_role';
  if (isIncludeRole && task.name === undefined) base = `${task.actionAsWritten} : ${String(task.args.name ?? task.args.role ?? '')}`;
  return {
    name: task.role && !isIncludeRole ? `${task.role.name} : ${base}` : base,
    action: task.action,
    loc: task.loc,
    isHandler: task.isHandler,
    id: task.id,
    noLog: toBool(effectiveKeyword(task, 'no_log')) ?? false,
  };
}

/** Evaluate conditions in a scope; a false one returns its expression (for skip messages). */
function firstFalse(conds: Condition[], scope: VarScope): Condition | undefined {
  for (const c of conds) {
    if (!scope.templar.evalCondition(c.expr, scope.proxy, { loc: c.loc, host: scope.opts.host })) return c;
  }
  return undefined;
}

function renderBool(scope: VarScope, v: unknown, what: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  const r = scope.render(v, what);
  const b = toBool(r);
  if (b === undefined) throw new SamsError(`${what} must be a boolean, got ${JSON.stringify(r)}`, { loc: scope.opts.loc });
  return b;
}

/** First defined of several variables (sams_* before ansible_*), rendered. */
function connVar(scope: VarScope, ...names: string[]): unknown {
  for (const prefix of ['sams_', 'ansible_']) {
    for (const n of names) {
      if (scope.has(prefix + n)) {
        const v = scope.get(prefix + n);
        if (v !== undefined && v !== null && v !== '') return v;
      }
    }
  }
  return undefined;
}

/** Become for this task: variables win over keywords, which win over -b/--become-user (Ansible's precedence). */
export function becomeFor(task: Task, scope: VarScope, pr: PlayRun): BecomeSpec | undefined {
  const o = pr.state.opts;
  const kwOr = (k: 'become' | 'become_user' | 'become_method' | 'become_exe' | 'become_flags') => {
    const v = effectiveKeyword(task, k);
    return v === undefined ? undefined : scope.render(v, k);
  };
  const becomeRaw = connVar(scope, 'become') ?? kwOr('become') ?? o.become;
  if (!(toBool(becomeRaw) ?? false)) return undefined;
  const user = String(connVar(scope, 'become_user') ?? kwOr('become_user') ?? o.becomeUser ?? 'root');
  const method = String(connVar(scope, 'become_method') ?? kwOr('become_method') ?? o.becomeMethod ?? 'sudo');
  if (method !== 'sudo' && method !== 'su') {
    throw new SamsError(`become_method '${method}' is not supported`, { loc: task.loc, hint: 'sams supports sudo and su' });
  }
  const password = connVar(scope, 'become_password', 'become_pass');
  const exe = connVar(scope, 'become_exe') ?? kwOr('become_exe');
  const flags = connVar(scope, 'become_flags') ?? kwOr('become_flags');
  return {
    method,
    user,
    password: password === undefined ? undefined : isSecret(password) ? password : String(password),
    exe: exe === undefined ? undefined : String(exe),
    flags: flags === undefined ? undefined : String(flags),
  };
}

/** `environment:` of the play, blocks and task, merged outermost first. */
function environmentFor(task: Task, scope: VarScope): Record<string, string | Secret> {
  const chain: unknown[] = [task.kw.environment];
  for (let b = task.parent; b; b = b.parent) chain.push(b.kw.environment);
  chain.push(task.play.kw.environment);
  const env: Record<string, string | Secret> = {};
  for (const e of chain.reverse()) {
    if (e === undefined || e === null) continue;
    const r = scope.render(e, 'environment');
    const list = Array.isArray(r) ? r : [r];
    for (const m of list) {
      if (!isMapping(m)) throw new SamsError('environment must be a mapping of names to values', { loc: task.loc });
      for (const [k, v] of Object.entries(m)) env[k] = isSecret(v) ? v : String(v);
    }
  }
  return env;
}

/** Render the module arguments and drop those that rendered to `omit`. */
function renderArgs(task: Task, scope: VarScope): Record<string, unknown> {
  const omit = scope.templar.omitToken;
  let args: Record<string, unknown> = task.args;
  if ('__templated_args' in args) {
    const { __templated_args, ...rest } = args;
    const extra = scope.render(__templated_args, 'args', task.argsLoc);
    if (!isMapping(extra)) throw new SamsError('args must render to a mapping', { loc: task.argsLoc });
    args = { ...extra, ...rest };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const r = scope.templar.render(v, scope.proxy, { loc: task.argsLoc, host: scope.opts.host, what: `argument '${k}'`, allowOmit: true });
    if (r === omit) continue;
    out[k] = stripOmit(r, omit);
  }
  return out;
}

function stripOmit(v: unknown, omit: string): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== omit).map((x) => stripOmit(x, omit));
  if (isMapping(v) && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== omit) o[k] = stripOmit(x, omit);
    return o;
  }
  return v;
}

function toInt(scope: VarScope, v: unknown, what: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = Number(scope.render(v, what));
  if (!Number.isFinite(n)) throw new SamsError(`${what} must be a number`, { loc: scope.opts.loc });
  return n;
}

export interface RunTaskHooks {
  emitItem(r: ItemResult): void;
  warn(message: string, loc?: SourceLoc): void;
  debug(level: number, message: string): void;
}

/** Run `task` on `host` and return its outcome. Never throws for user errors: they fail the task. */
export async function runTask(pr: PlayRun, host: string, task: Task, hooks: RunTaskHooks): Promise<TaskOutcome> {
  const scope = pr.taskScope(host, task);
  try {
    return await runTaskIn(pr, host, task, scope, hooks);
  } catch (e) {
    if (!(e instanceof SamsError)) throw e;
    // The task failed before its module ran (a template error in its arguments, condition or
    // loop): Ansible registers just {failed, msg}, and ignore_errors lets the play go on.
    const result: TaskResult = { status: 'failed', msg: userErrorMsg(e, task), hint: e.hint, notRun: true };
    registerResult(pr, host, task, result);
    return { result };
  }
}

async function runTaskIn(pr: PlayRun, host: string, task: Task, scope: VarScope, hooks: RunTaskHooks): Promise<TaskOutcome> {
  const conds = effectiveConditions(task);
  if (!task.loop) {
    const f = firstFalse(conds, scope);
    if (f) {
      const result: TaskResult = { status: 'skipped', skipReason: CONDITIONAL_SKIP, data: { false_condition: f.expr } };
      // Ansible registers a skipped task too ({changed: false, skipped: true, skip_reason}).
      registerResult(pr, host, task, result);
      return { result };
    }
    return await runOne(pr, host, task, scope, hooks);
  }

  const items = loopItems(task, scope);
  const lc = task.loopControl ?? {};
  const loopVar = lc.loop_var ?? 'item';
  const extended = renderBool(scope, lc.extended, 'loop_control.extended', false);
  const pauseS = toInt(scope, lc.pause, 'loop_control.pause', 0);
  const results: ItemResult[] = [];
  const includes: Block[] = [];
  const notify: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const vars = loopVars(items, i, { loopVar, indexVar: lc.index_var, extended });
    const iscope = pr.taskScope(host, task, [vars]);
    const label = lc.label !== undefined ? String(iscope.render(lc.label, 'loop_control.label')) : labelOf(items[i]);
    // A user error in one item (a template error before its module runs) fails the whole task
    // and ends the loop, as in Ansible: runTask's catch reports and registers it.
    const f = firstFalse(conds, iscope);
    const res: TaskOutcome = f
      ? { result: { status: 'skipped', skipReason: CONDITIONAL_SKIP, data: { false_condition: f.expr } } }
      : await runOne(pr, host, task, iscope, hooks, vars);
    const item: ItemResult = { ...res.result, item: items[i], label, loopVar };
    results.push(item);
    hooks.emitItem(item);
    if (res.includes) includes.push(...res.includes);
    if (res.notify) notify.push(...res.notify);
    if (pauseS > 0 && i < items.length - 1) await sleep(pauseS * 1000);
  }
  const anyFailed = results.some((r) => r.status === 'failed' || r.status === 'unreachable');
  const anyChanged = results.some((r) => r.status === 'changed');
  // A failed loop is still changed if any item changed (Ansible's results[].changed, any()).
  const changedBeforeFailure = anyFailed && results.some((r) => r.status === 'changed' || (r.status === 'failed' && r.changedBeforeFailure === true));
  const allSkipped = results.length > 0 && results.every((r) => r.status === 'skipped');
  const result: TaskResult = {
    status: anyFailed ? (results.every((r) => r.status === 'unreachable') ? 'unreachable' : 'failed') : allSkipped ? 'skipped' : anyChanged ? 'changed' : results.length === 0 ? 'skipped' : 'ok',
    items: results,
    msg: anyFailed ? 'One or more items failed' : results.length === 0 ? undefined : allSkipped ? 'All items skipped' : 'All items completed',
    skipReason: results.length === 0 ? 'No items in the list' : undefined,
    checkOnly: results.some((r) => r.checkOnly),
    changedBeforeFailure: changedBeforeFailure || undefined,
  };
  registerResult(pr, host, task, result);
  return { result, includes: includes.length ? includes : undefined, notify: notify.length ? notify : undefined };
}

/** A user error during a task, with the place in the YAML it is about (the task's, if it has none). */
function userErrorMsg(e: SamsError, task: Task): string {
  return `${formatLoc(e.loc ?? task.loc)}: ${e.message}`;
}

export function labelOf(item: unknown): string {
  if (isSecret(item)) return '********';
  if (typeof item === 'string') return item;
  try {
    return JSON.stringify(item);
  } catch {
    return String(item);
  }
}

/** One run of the task (one loop item, or the task without a loop). */
async function runOne(pr: PlayRun, host: string, task: Task, scope: VarScope, hooks: RunTaskHooks, itemVars?: Record<string, unknown>): Promise<TaskOutcome> {
  switch (task.action) {
    case 'include_tasks':
      return includeTasks(pr, task, scope, itemVars);
    case 'include_role':
      return includeRole(pr, task, scope, itemVars);
    case 'meta': {
      const what = String(task.args._raw_params) as MetaAction;
      return { result: { status: 'ok', msg: what }, meta: what };
    }
  }
  const mod = findModule(task.action);
  if (!mod) throw new SamsError(`unknown module '${task.action}'`, { loc: task.loc });

  const check = pr.checkMode(task, scope);
  const diffKw = effectiveKeyword(task, 'diff');
  const diff = diffKw === undefined ? pr.state.opts.diff : renderBool(scope, diffKw, 'diff', pr.state.opts.diff);
  const showSecrets = pr.state.opts.showSecrets && task.kw.diff !== undefined && diff;

  // Where the task runs: the host itself, or a delegate (connection vars are the delegate's).
  const delegateRaw = effectiveKeyword(task, 'delegate_to');
  const delegateTo = delegateRaw === undefined || delegateRaw === null ? undefined : String(scope.render(delegateRaw, 'delegate_to'));
  const target = delegateTo ?? host;
  const kwString = (k: 'remote_user' | 'connection' | 'port') => {
    const v = effectiveKeyword(task, k);
    return v === undefined || v === null ? undefined : String(scope.render(v, k));
  };
  const connKw = { remoteUser: kwString('remote_user'), connection: kwString('connection'), port: kwString('port') };
  const become = mod.where === 'target' ? becomeFor(task, delegateTo ? pr.playScope(target) : scope, pr) : undefined;
  const environment = mod.where === 'target' ? environmentFor(task, scope) : {};
  const remote = makeRemote(() => pr.connection(target, connKw), { become, environment }, (cmd) => hooks.debug(4, `${host}: exec ${cmd}`));
  const env = makeTaskEnv({
    host,
    check,
    diff,
    remote,
    vars: scope.proxy,
    templar: scope.templar,
    loc: task.loc,
    rolePath: task.role?.path,
    playbookDir: task.play.dir,
    keyring: pr.state.keyring,
    warn: (m) => hooks.warn(`${host}: ${m}`, task.loc),
    debug: hooks.debug,
  });

  const untilConds = task.until;
  const retries = untilConds ? toInt(scope, task.retries, 'retries', 3) : 0;
  const delayS = untilConds ? toInt(scope, task.delay, 'delay', 5) : 0;
  const attemptsMax = untilConds ? Math.max(retries, 0) + 1 : 1;
  let result: TaskResult = { status: 'failed', msg: 'not run' };
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    const args = renderArgs(task, scope);
    result = await runModule(mod, args, env, { check, diff, showSecrets });
    if (delegateTo) result.delegatedTo = delegateTo;
    applyFacts(pr, host, result);
    result = applyOverrides(task, scope, result);
    if (!untilConds) break;
    result.attempts = attempt;
    const withReg = task.register ? scope.with({ [task.register]: toRegistered(result) }) : scope.with({});
    const done = result.status !== 'skipped' && firstFalse(untilConds, withReg) === undefined;
    if (done) break;
    if (attempt === attemptsMax) {
      result = { ...result, status: 'failed', msg: result.msg ?? `Retries exhausted after ${attempt} attempts` };
      break;
    }
    hooks.warn(`${host}: FAILED - RETRYING: ${taskInfo(task).name} (${attemptsMax - attempt} retries left)`, task.loc);
    if (delayS > 0) await sleep(delayS * 1000);
  }
  if (!itemVars) registerResult(pr, host, task, result);
  if (result.status === 'changed') {
    pr.state.changed = true;
  }
  const notify = result.status === 'changed' ? effectiveNotifyNames(task, scope) : undefined;
  return { result, notify };
}

/** `register:` — the result as the task's variable (the set_fact layer, as Ansible keeps it). */
function registerResult(pr: PlayRun, host: string, task: Task, result: TaskResult): void {
  if (task.register) pr.host(host).setFacts[task.register] = toRegistered(result);
}

function effectiveNotifyNames(task: Task, scope: VarScope): string[] | undefined {
  const names: string[] = [...task.notify];
  for (let b = task.parent; b; b = b.parent) if (b.notify) names.push(...b.notify);
  if (!names.length) return undefined;
  return names.map((n) => String(scope.render(n, 'notify', task.notifyLoc)));
}

/** Facts from modules: ansible_facts go to the host facts layer (also as top-level ansible_* names). */
function applyFacts(pr: PlayRun, host: string, r: TaskResult): void {
  const hr = pr.host(host);
  const af = r.data?.ansible_facts;
  // set_fact and include_vars report their values as ansible_facts too (Ansible's result shape),
  // but they are not host facts: they go to their own layer below.
  if (isMapping(af) && r.status !== 'failed' && !r.facts) {
    const facts = (hr.facts.ansible_facts as Record<string, unknown> | undefined) ?? {};
    Object.assign(facts, af);
    hr.facts.ansible_facts = facts;
    for (const [k, v] of Object.entries(af)) hr.facts[k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  }
  if (r.facts && r.status !== 'failed') {
    Object.assign(r.factsLayer === 'include_vars' ? hr.includeVars : hr.setFacts, r.facts);
  }
}

/** changed_when / failed_when, evaluated with the registered result visible, as Ansible does. */
function applyOverrides(task: Task, scope: VarScope, r: TaskResult): TaskResult {
  if (!task.changedWhen && !task.failedWhen) return r;
  if (r.status === 'skipped' || r.status === 'unreachable') return r;
  let out = { ...r };
  const reg = () => (task.register ? scope.with({ [task.register]: toRegistered(out) }) : scope.with({}));
  if (task.changedWhen) {
    const changed = task.changedWhen.length === 0 ? false : firstFalse(task.changedWhen, reg()) === undefined;
    if (out.status !== 'failed') out = { ...out, status: changed ? 'changed' : 'ok', overridden: true };
    else out = { ...out, changedBeforeFailure: changed };
  }
  if (task.failedWhen) {
    const failed = task.failedWhen.length === 0 ? false : firstFalse(task.failedWhen, reg()) === undefined;
    if (failed && out.status !== 'failed') {
      out = { ...out, status: 'failed', msg: out.msg ?? 'failed_when condition was true', overridden: true, changedBeforeFailure: out.status === 'changed' };
    }
    else if (!failed && out.status === 'failed') {
      const changed = task.changedWhen ? out.changedBeforeFailure === true : out.changedBeforeFailure === true;
      out = { ...out, status: changed ? 'changed' : 'ok', overridden: true };
    }
  }
  return out;
}

function includeTasks(pr: PlayRun, task: Task, scope: VarScope, itemVars: Record<string, unknown> | undefined): TaskOutcome {
  const fileRaw = task.args.file ?? task.args._raw_params;
  const file = String(scope.render(fileRaw, 'include_tasks file', task.argsLoc));
  const apply = task.args.apply === undefined ? undefined : scope.render(task.args.apply, 'apply');
  if (apply !== undefined && !isMapping(apply)) throw new SamsError('include_tasks apply: must be a mapping of keywords', { loc: task.argsLoc });
  const key = `tasks|${task.id}|${file}|${JSON.stringify(itemVars ?? {})}|${JSON.stringify(apply ?? {})}`;
  const block = pr.cachedInclude(key, () => {
    const ctx = new LoadContext(pr.state.loadOptions);
    const b = loadIncludedTasks(task, file, apply as Record<string, unknown> | undefined, ctx);
    b.vars = { ...task.vars, ...(itemVars ?? {}), ...b.vars };
    pr.includeParams.set(b, task.vars);
    return b;
  });
  return { result: { status: 'ok', msg: `included: ${file}` }, includes: [block] };
}

function includeRole(pr: PlayRun, task: Task, scope: VarScope, itemVars: Record<string, unknown> | undefined): TaskOutcome {
  const args = scope.render(task.args, 'include_role') as Record<string, unknown>;
  const key = `role|${task.id}|${JSON.stringify(args)}|${JSON.stringify(itemVars ?? {})}`;
  const block = pr.cachedInclude(key, () => {
    const ctx = new LoadContext(pr.state.loadOptions);
    const holder = syntheticBlock({ loc: task.loc, origin: 'include', vars: { ...task.vars, ...(itemVars ?? {}) } }, { play: task.play, role: task.role, parent: task.parent });
    pr.includeParams.set(holder, task.vars);
    const role = loadRoleForImport(args, task.argsLoc, { ctx, play: task.play, role: task.role, parent: holder, baseDir: task.play.dir, isHandler: false, chain: [] }, 'include');
    ctx.errors.throwIfAny();
    if (role) {
      if (role.tasks) holder.block = [role.tasks];
      pr.addDynamicHandlers(roleHandlers(role));
      if (isMapping(args.apply)) {
        holder.kw = { ...(args.apply as object) } as Block['kw'];
      }
    }
    return holder;
  });
  return { result: { status: 'ok', msg: `included role: ${String(args.name)}` }, includes: [block] };
}
