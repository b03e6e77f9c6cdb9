// Task lists: tasks, blocks, handlers, static imports (expanded here) and dynamic includes
// (kept as tasks, their files checked here when the name is literal).

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { didYouMean, SamsError, type SourceLoc } from '../errors.js';
import { findModule, moduleNames } from '../modules/registry.js';
import { checkArgs } from './check-args.js';
import type { LoadContext } from './context.js';
import { parseKv } from './free-form.js';
import {
  BLOCK_KEYWORDS,
  DIRECTIVES,
  directiveName,
  HANDLER_KEYWORDS,
  IGNORED_KEYWORDS,
  INHERITED_KEYWORDS,
  META_ACTIONS,
  TASK_KEYWORDS,
  WITH_PREFIX,
} from './keywords.js';
import type { Block, Condition, Keywords, LoopControl, Play, RoleInstance, Task, TaskNode } from './model.js';
import { renderTemplatedTags } from './render-tags.js';
import { loadRoleForImport } from './role.js';
import { checkConditions, checkKeywords, checkTemplated } from './template-check.js';
import { itemLoc, keyLoc, locatedAt, locOf, mergeLocated, parseYaml, readTextFile, valueLoc } from './yaml.js';

/** Where a task list is being parsed. */
export interface ParseScope {
  ctx: LoadContext;
  play: Play;
  role?: RoleInstance;
  parent: Block;
  /** Directory relative import_tasks/include_tasks names resolve against first. */
  baseDir: string;
  isHandler: boolean;
  /** Files being imported, to catch import cycles. */
  chain: string[];
}

// ---------------------------------------------------------------------------------------------
// Shared keyword parsing

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `tags: a`, `tags: a,b`, `tags: [a, b]` -> ['a', 'b']. */
export function parseTags(v: unknown, loc: SourceLoc | undefined, ctx: LoadContext): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const t of list) {
    if (typeof t === 'string') out.push(...t.split(',').map((s) => s.trim()).filter(Boolean));
    else if (typeof t === 'number') out.push(String(t));
    else ctx.errors.add(`tags must be strings, found ${JSON.stringify(t)}`, { loc, hint: 'write tags as names: tags: [web, config] or tags: web,config' });
  }
  return out;
}

/** `when:` (and changed_when/failed_when/until): one condition or a list that must all hold. */
export function parseConditions(obj: Record<string, unknown>, key: string): Condition[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((expr, i) => ({ expr, loc: itemLoc(v, i) }));
  return [{ expr: v, loc: valueLoc(obj, key) }];
}

export function parseVarsKeyword(obj: Record<string, unknown>, key: string, ctx: LoadContext): Record<string, unknown> {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (isMapping(v)) return v;
  // Ansible also accepts a list of mappings for vars.
  if (Array.isArray(v) && v.every(isMapping)) return mergeLocated(...(v as Record<string, unknown>[]));
  ctx.errors.add(`${key} must be a mapping of names to values`, { loc: valueLoc(obj, key), hint: `indent one "name: value" per line under ${key}:` });
  return {};
}

/** Inherited keywords a node sets, with warnings for those sams ignores. */
export function parseKeywords(obj: Record<string, unknown>, ctx: LoadContext): Keywords {
  const kw: Record<string, unknown> = {};
  for (const k of INHERITED_KEYWORDS) {
    if (!(k in obj)) continue;
    if (k in IGNORED_KEYWORDS) {
      ctx.warn(`'${k}' is ignored: ${IGNORED_KEYWORDS[k]}`, keyLoc(obj, k));
      continue;
    }
    kw[k] = obj[k];
  }
  return kw as Keywords;
}

function parseName(obj: Record<string, unknown>, ctx: LoadContext): string | undefined {
  const n = obj.name;
  if (n === undefined || n === null) return undefined;
  if (typeof n === 'string' || typeof n === 'number') return String(n);
  ctx.errors.add('name must be a string', { loc: valueLoc(obj, 'name'), hint: 'quote the name: name: "..."' });
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Task lists and files

/** Parse a list of tasks/blocks in `scope`. */
export function parseTaskList(raw: unknown, loc: SourceLoc, scope: ParseScope): TaskNode[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    scope.ctx.errors.add(`expected a list of ${scope.isHandler ? 'handlers' : 'tasks'}, found ${isMapping(raw) ? 'a mapping' : typeof raw}`, {
      loc: locOf(raw) ?? loc,
      hint: 'start each task with "- " (a YAML list item)',
    });
    return [];
  }
  const out: TaskNode[] = [];
  raw.forEach((item, i) => {
    const node = scope.ctx.errors.collect(() => parseNode(item, itemLoc(raw, i) ?? loc, scope));
    if (node) out.push(node);
  });
  return out;
}

/** Resolve a task file name as Ansible does: the including file's dir, the role's tasks dir, the playbook dir. */
export function resolveTaskFile(name: string, scope: ParseScope, loc: SourceLoc | undefined): string {
  const candidates = isAbsolute(name)
    ? [name]
    : [
        join(scope.baseDir, name),
        ...(scope.role ? [join(scope.role.path, scope.isHandler ? 'handlers' : 'tasks', name), join(scope.role.path, name)] : []),
        join(scope.play.dir, name),
      ];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return resolve(c);
  throw new SamsError(`task file '${name}' not found`, { loc, hint: `looked in: ${[...new Set(candidates.map((c) => dirname(c)))].join(', ')}` });
}

/** Read and parse a task file into nodes under `scope` (whose baseDir becomes the file's dir). */
export function parseTaskFile(file: string, scope: ParseScope, loc: SourceLoc | undefined): TaskNode[] {
  if (scope.chain.includes(file)) {
    throw new SamsError(`import cycle: ${[...scope.chain, file].join(' -> ')}`, { loc, hint: 'a task file cannot import itself, directly or through other imports; use include_tasks with a condition for recursion' });
  }
  let doc = scope.ctx.fileCache.get(file);
  if (doc === undefined) {
    doc = parseYaml(readTextFile(file, loc), file, { keyring: scope.ctx.opts.keyring });
    scope.ctx.fileCache.set(file, doc);
  }
  return parseTaskList(doc, { file, line: 1, col: 1 }, { ...scope, baseDir: dirname(file), chain: [...scope.chain, file] });
}

function parseNode(raw: unknown, loc: SourceLoc, scope: ParseScope): TaskNode | undefined {
  if (!isMapping(raw)) {
    throw new SamsError(`a ${scope.isHandler ? 'handler' : 'task'} must be a mapping, found ${raw === null ? 'nothing' : Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`, {
      loc,
      hint: typeof raw === 'string' ? `did you mean "- name: ${raw}" followed by the module?` : `write each ${scope.isHandler ? 'handler' : 'task'} as a mapping: "- name: ..." followed by its module, indented`,
    });
  }
  const rloc = locOf(raw) ?? loc;
  if ('block' in raw) return parseBlock(raw, rloc, scope);
  return parseTask(raw, rloc, scope);
}

type BlockScope = { play: Play; role?: RoleInstance; parent?: Block };

function newBlock(fields: Partial<Block> & Pick<Block, 'loc'>, scope: BlockScope): Block {
  return {
    kind: 'block',
    kw: {},
    tags: [],
    when: [],
    vars: {},
    block: [],
    rescue: [],
    always: [],
    play: scope.play,
    role: scope.role,
    parent: scope.parent,
    ...fields,
  };
}

/** A block made in code (a section, an import, a role's tasks), children to be filled in. */
export function syntheticBlock(fields: Partial<Block> & Pick<Block, 'loc'>, scope: BlockScope): Block {
  return newBlock(fields, scope);
}

function checkUnknownKeys(raw: Record<string, unknown>, known: Set<string>, what: string, ctx: LoadContext, extra: string[] = []): void {
  for (const k of Object.keys(raw)) {
    if (known.has(k) || k.startsWith(WITH_PREFIX)) continue;
    const near = didYouMean(k, [...known, ...extra]);
    ctx.errors.add(`unknown keyword '${k}' in ${what}${near ? ` (did you mean '${near}'?)` : ''}`, {
      loc: keyLoc(raw, k),
      hint: `${what} keywords: ${[...known].filter((x) => !(x in IGNORED_KEYWORDS)).sort().join(', ')}`,
    });
  }
}

function parseBlock(raw: Record<string, unknown>, loc: SourceLoc, scope: ParseScope): Block {
  const { ctx } = scope;
  checkUnknownKeys(raw, BLOCK_KEYWORDS, 'block', ctx);
  const block = newBlock(
    {
      name: parseName(raw, ctx),
      loc,
      kw: parseKeywords(raw, ctx),
      tags: parseTags(raw.tags, valueLoc(raw, 'tags'), ctx),
      when: parseConditions(raw, 'when'),
      vars: parseVarsKeyword(raw, 'vars', ctx),
      notify: raw.notify === undefined ? undefined : parseNames(raw, 'notify', ctx),
    },
    scope,
  );
  checkTemplated(raw.name, valueLoc(raw, 'name'), 'name', ctx);
  checkConditions(block.when, 'when', ctx);
  checkKeywords(block.kw, raw, ctx);
  checkTemplated(raw.notify, valueLoc(raw, 'notify'), 'notify', ctx);
  const inner: ParseScope = { ...scope, parent: block };
  block.block = parseTaskList(raw.block, valueLoc(raw, 'block') ?? loc, inner);
  block.rescue = parseTaskList(raw.rescue, valueLoc(raw, 'rescue') ?? loc, inner);
  block.always = parseTaskList(raw.always, valueLoc(raw, 'always') ?? loc, inner);
  return block;
}

/** `notify:` / `listen:`: one handler name or topic, or a list of them; anything but a string is an error. */
function parseNames(raw: Record<string, unknown>, key: 'notify' | 'listen', ctx: LoadContext): string[] {
  const v = raw[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  list.forEach((x, i) => {
    if (typeof x === 'string') {
      out.push(x);
      return;
    }
    const found = x === null ? 'nothing' : Array.isArray(x) ? 'a list' : isMapping(x) ? 'a mapping' : `${typeof x} ${JSON.stringify(x)}`;
    ctx.errors.add(`${key} entries must be ${key === 'notify' ? 'handler names or listen topics' : 'topic names'} (strings), found ${found}`, {
      loc: (Array.isArray(v) ? itemLoc(v, i) : undefined) ?? valueLoc(raw, key),
      hint: isMapping(x) || Array.isArray(x)
        ? `write each name as text, one per list item: ${key}: ["restart dovecot"]`
        : `quote the name so that YAML reads it as text: ${key}: "${String(x)}"`,
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// One task

interface ActionFound {
  name: string;
  value: unknown;
  /** Key the action was written under (for positions). */
  key: string;
  delegateLocal?: boolean;
}

function findAction(raw: Record<string, unknown>, loc: SourceLoc, scope: ParseScope): ActionFound {
  const { ctx } = scope;
  const known = scope.isHandler ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  if ('action' in raw || 'local_action' in raw) {
    const key = 'action' in raw ? 'action' : 'local_action';
    const v = raw[key];
    checkUnknownKeys(raw, known, scope.isHandler ? 'handler' : 'task', ctx);
    if (typeof v === 'string') {
      const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(v);
      if (!m) throw new SamsError(`${key} is empty`, { loc: valueLoc(raw, key), hint: `write the module and its arguments: ${key}: MODULE key=value` });
      return { name: m[1]!, value: m[2] || null, key, delegateLocal: key === 'local_action' };
    }
    if (isMapping(v) && typeof v.module === 'string') {
      const { module, ...rest } = v;
      return { name: module, value: mergeLocated(rest), key, delegateLocal: key === 'local_action' };
    }
    throw new SamsError(`${key} must be "module args" or a mapping with a 'module' key`, { loc: valueLoc(raw, key), hint: `write ${key}: MODULE key=value, or a mapping with module: MODULE and the arguments` });
  }
  const candidates = Object.keys(raw).filter((k) => !known.has(k) && !k.startsWith(WITH_PREFIX));
  const actions = candidates.filter((k) => directiveName(k) !== undefined || findModule(k) !== undefined);
  const unknown = candidates.filter((k) => !actions.includes(k));
  const what = scope.isHandler ? 'handler' : 'task';
  if (actions.length > 1) {
    throw new SamsError(`conflicting actions in one ${what}: ${actions.join(', ')}`, {
      loc: keyLoc(raw, actions[1]!),
      hint: 'a task runs exactly one module; split it into two tasks',
    });
  }
  if (actions.length === 1) {
    for (const k of unknown) {
      const near = didYouMean(k, known);
      ctx.errors.add(`unknown keyword '${k}' in ${what}${near ? ` (did you mean '${near}'?)` : ''}`, {
        loc: keyLoc(raw, k),
        hint: `a ${what} holds one module plus keywords such as name, when, notify, register, loop, tags, vars`,
      });
    }
    return { name: actions[0]!, value: raw[actions[0]!], key: actions[0]! };
  }
  if (unknown.length === 1) {
    const k = unknown[0]!;
    const nearKw = didYouMean(k, known);
    const nearMod = didYouMean(k, [...moduleNames(), ...DIRECTIVES]);
    const near = nearMod ?? nearKw;
    throw new SamsError(`unknown module '${k}'${near ? ` (did you mean '${near}'?)` : ''}`, {
      loc: keyLoc(raw, k),
      hint: k.includes('.') && !k.startsWith('ansible.')
        ? 'sams implements the ansible.builtin modules and its own; collection modules are not available'
        : 'run `sams modules` for the list of modules',
    });
  }
  if (unknown.length > 1) {
    throw new SamsError(`no module found in ${what}; unknown keys: ${unknown.join(', ')}`, {
      loc: keyLoc(raw, unknown[0]!),
      hint: 'a task holds exactly one module name (e.g. copy:) plus keywords',
    });
  }
  throw new SamsError(`${what} has no module`, { loc, hint: 'add the module to run, e.g. "command: /bin/true"' });
}

/** Build the argument mapping from the action's value and the `args:` keyword. */
function buildArgs(action: ActionFound, raw: Record<string, unknown>, scope: ParseScope, freeForm: string | undefined, rawModule: boolean): Record<string, unknown> {
  const vloc = valueLoc(raw, action.key) ?? locOf(raw);
  let fromAction: Record<string, unknown> | undefined;
  const v = action.value;
  if (v === null || v === undefined) fromAction = undefined;
  else if (isMapping(v)) fromAction = v;
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    const kv = parseKv(String(v), rawModule);
    if (kv._raw_params !== undefined) {
      if (!freeForm) {
        throw new SamsError(`module '${action.name}' does not take free-form text: '${kv._raw_params}'`, {
          loc: vloc,
          hint: 'write its arguments as key=value pairs or as a mapping',
        });
      }
      const text = kv._raw_params;
      delete kv._raw_params;
      (kv as Record<string, string>)[freeForm] = text;
    }
    fromAction = locatedAt(kv, vloc);
  } else {
    throw new SamsError(`arguments of '${action.name}' must be a mapping or key=value text, found a list`, { loc: vloc, hint: 'indent "name: value" lines under the module, without "- "' });
  }
  const argsKw = raw.args;
  if (argsKw !== undefined && argsKw !== null && !isMapping(argsKw)) {
    if (typeof argsKw === 'string') return mergeLocated(fromAction, { __templated_args: argsKw });
    throw new SamsError('args must be a mapping', { loc: valueLoc(raw, 'args'), hint: 'indent one "name: value" per line under args:' });
  }
  if (!argsKw) return fromAction ?? locatedAt({}, vloc);
  return mergeLocated(argsKw as Record<string, unknown>, fromAction);
}

function parseLoop(raw: Record<string, unknown>, ctx: LoadContext): Task['loop'] {
  const withKeys = Object.keys(raw).filter((k) => k.startsWith(WITH_PREFIX));
  const all = [...('loop' in raw ? ['loop'] : []), ...withKeys];
  if (all.length > 1) ctx.errors.add(`only one loop per task: found ${all.join(', ')}`, { loc: keyLoc(raw, all[1]!), hint: 'keep one loop keyword; split the task to loop over two things' });
  if ('loop' in raw) return { kind: 'loop', value: raw.loop, loc: valueLoc(raw, 'loop') };
  const k = withKeys[0];
  if (!k) return undefined;
  return { kind: 'with', lookup: k.slice(WITH_PREFIX.length), value: raw[k], loc: valueLoc(raw, k) };
}

const LOOP_CONTROL_KEYS = new Set(['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems']);

function parseLoopControl(raw: Record<string, unknown>, ctx: LoadContext): LoopControl | undefined {
  const lc = raw.loop_control;
  if (lc === undefined || lc === null) return undefined;
  if (!isMapping(lc)) {
    ctx.errors.add('loop_control must be a mapping', { loc: valueLoc(raw, 'loop_control'), hint: `indent its keys under it: ${[...LOOP_CONTROL_KEYS].join(', ')}` });
    return undefined;
  }
  for (const k of Object.keys(lc)) {
    if (!LOOP_CONTROL_KEYS.has(k)) {
      const near = didYouMean(k, LOOP_CONTROL_KEYS);
      ctx.errors.add(`unknown loop_control key '${k}'${near ? ` (did you mean '${near}'?)` : ''}`, { loc: keyLoc(lc, k), hint: `loop_control keys: ${[...LOOP_CONTROL_KEYS].join(', ')}` });
    }
  }
  for (const k of ['loop_var', 'index_var'] as const) {
    if (lc[k] !== undefined && (typeof lc[k] !== 'string' || !/^[A-Za-z_]\w*$/.test(lc[k] as string)))
      ctx.errors.add(`loop_control.${k} must be a variable name`, { loc: valueLoc(lc, k), hint: 'use letters, digits and _ only, not starting with a digit (e.g. outer_item)' });
  }
  return lc as LoopControl;
}

function parseTask(raw: Record<string, unknown>, loc: SourceLoc, scope: ParseScope): TaskNode | undefined {
  const { ctx } = scope;
  const action = findAction(raw, loc, scope);
  const canonical = directiveName(action.name) ?? findModule(action.name)?.name;
  if (!canonical) {
    const near = didYouMean(action.name, moduleNames());
    throw new SamsError(`unknown module '${action.name}'${near ? ` (did you mean '${near}'?)` : ''}`, { loc: valueLoc(raw, action.key), hint: 'run `sams modules` for the list of modules' });
  }

  // Static imports become blocks right here.
  if (canonical === 'import_tasks') return parseImportTasks(raw, action, loc, scope);
  if (canonical === 'import_role') return parseImportRole(raw, action, loc, scope);
  if (canonical === 'import_playbook') {
    throw new SamsError('import_playbook is only allowed at the top level of a playbook, not among tasks', { loc: keyLoc(raw, action.key), hint: 'move it out of tasks: to a play-level list item ("- import_playbook: FILE"), or use import_tasks for a task file' });
  }

  const mod = findModule(canonical);
  const freeForm = mod?.freeForm ?? (canonical === 'include_tasks' || canonical === 'include' ? 'file' : canonical === 'meta' ? '_raw_params' : undefined);
  const rawModule = canonical === 'command' || canonical === 'shell' || canonical === 'raw' || canonical === 'script';
  const args = buildArgs(action, raw, scope, freeForm, rawModule);
  const argsLoc = valueLoc(raw, action.key) ?? loc;

  const kw = parseKeywords(raw, ctx);
  if (action.delegateLocal) kw.delegate_to = 'localhost';
  const task: Task = {
    kind: 'task',
    name: parseName(raw, ctx),
    loc,
    kw,
    tags: parseTags(raw.tags, valueLoc(raw, 'tags'), ctx),
    when: parseConditions(raw, 'when'),
    vars: parseVarsKeyword(raw, 'vars', ctx),
    parent: scope.parent,
    role: scope.role,
    play: scope.play,
    action: canonical === 'include' ? 'include_tasks' : canonical,
    actionAsWritten: action.name,
    args,
    argsLoc,
    loop: parseLoop(raw, ctx),
    loopControl: parseLoopControl(raw, ctx),
    register: undefined,
    changedWhen: 'changed_when' in raw ? parseConditions(raw, 'changed_when') : undefined,
    failedWhen: 'failed_when' in raw ? parseConditions(raw, 'failed_when') : undefined,
    until: 'until' in raw ? parseConditions(raw, 'until') : undefined,
    retries: raw.retries,
    delay: raw.delay,
    notify: parseNames(raw, 'notify', ctx),
    notifyLoc: raw.notify !== undefined ? valueLoc(raw, 'notify') : undefined,
    listen: scope.isHandler ? parseNames(raw, 'listen', ctx) : undefined,
    isHandler: scope.isHandler,
    id: ctx.taskId(loc),
  };
  if (canonical === 'include') ctx.warn("'include' is deprecated in Ansible; sams runs it as include_tasks", keyLoc(raw, action.key));
  if (raw.register !== undefined) {
    if (typeof raw.register === 'string' && /^[A-Za-z_]\w*$/.test(raw.register)) task.register = raw.register;
    else ctx.errors.add('register must be a variable name', { loc: valueLoc(raw, 'register'), hint: 'use letters, digits and _ only, not starting with a digit (e.g. register: result)' });
  }

  checkTaskTemplates(task, raw, ctx);

  if (mod) {
    if (!('__templated_args' in args)) {
      for (const issue of checkArgs(mod, args, argsLoc, true)) ctx.errors.add(issue.message, { loc: issue.loc, hint: issue.hint });
    }
  } else if (canonical === 'meta') {
    const what = args._raw_params;
    if (typeof what !== 'string' || !META_ACTIONS.has(what)) {
      const near = typeof what === 'string' ? didYouMean(what, META_ACTIONS) : undefined;
      ctx.errors.add(`unknown meta action '${String(what)}'${near ? ` (did you mean '${near}'?)` : ''}`, {
        loc: argsLoc,
        hint: `meta takes one of: ${[...META_ACTIONS].join(', ')}`,
      });
    }
  } else if (canonical === 'include_tasks' || canonical === 'include') {
    checkIncludeTasks(task, scope);
  } else if (canonical === 'include_role') {
    checkIncludeRole(task, scope);
  }
  return task;
}

/** Every templated string of a task parsed now (no rendering): a syntax error is a load error. */
function checkTaskTemplates(task: Task, raw: Record<string, unknown>, ctx: LoadContext): void {
  checkTemplated(raw.name, valueLoc(raw, 'name'), 'name', ctx);
  checkTemplated(task.args, task.argsLoc, 'argument', ctx);
  checkConditions(task.when, 'when', ctx);
  checkConditions(task.changedWhen, 'changed_when', ctx);
  checkConditions(task.failedWhen, 'failed_when', ctx);
  checkConditions(task.until, 'until', ctx);
  if (task.loop) checkTemplated(task.loop.value, task.loop.loc, task.loop.kind === 'loop' ? 'loop' : `with_${task.loop.lookup}`, ctx);
  checkTemplated(raw.loop_control, valueLoc(raw, 'loop_control'), 'loop_control', ctx);
  checkKeywords(task.kw, raw, ctx);
  for (const k of ['notify', 'retries', 'delay'] as const) checkTemplated(raw[k], valueLoc(raw, k), k, ctx);
}

// ---------------------------------------------------------------------------------------------
// Imports and includes

/** Render a static import name that uses variables (play vars and extra vars only, as Ansible). */
function staticName(value: unknown, loc: SourceLoc | undefined, scope: ParseScope, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SamsError(`${what} needs a file name`, { loc, hint: `write "${what}: FILE.yml" (relative to this file, the role's tasks/ or the playbook)` });
  const t = scope.ctx.opts.templar;
  if (!t || !t.isTemplate(value)) return value;
  const vars = { ...scope.play.vars, ...scope.ctx.opts.extraVars, playbook_dir: scope.play.dir, role_path: scope.role?.path };
  const out = t.render(value, vars, { loc, what });
  return String(out);
}

function importKeywords(raw: Record<string, unknown>, scope: ParseScope): Pick<Block, 'kw' | 'tags' | 'when' | 'vars' | 'name'> {
  const { ctx } = scope;
  const out = {
    name: parseName(raw, ctx),
    kw: parseKeywords(raw, ctx),
    tags: parseTags(raw.tags, valueLoc(raw, 'tags'), ctx),
    when: parseConditions(raw, 'when'),
    vars: parseVarsKeyword(raw, 'vars', ctx),
  };
  checkTemplated(raw.name, valueLoc(raw, 'name'), 'name', ctx);
  checkConditions(out.when, 'when', ctx);
  checkKeywords(out.kw, raw, ctx);
  return out;
}

/**
 * The value of a static import written as `key=value` text (`import_role: name=x`,
 * `import_tasks: file=x`) as a mapping, as Ansible's parse_kv reads it; a bare word stays as it is
 * (it is the file of import_tasks).
 */
function importArgs(value: unknown, loc: SourceLoc | undefined, freeForm?: string): unknown {
  if (typeof value !== 'string') return value;
  const kv: Record<string, string> = parseKv(value, false);
  if (kv._raw_params !== undefined) {
    if (Object.keys(kv).length === 1) return value;
    if (!freeForm || kv[freeForm] !== undefined) return value;
    kv[freeForm] = kv._raw_params;
    delete kv._raw_params;
  }
  return locatedAt(kv, loc);
}

function parseImportTasks(raw: Record<string, unknown>, action: ActionFound, loc: SourceLoc, scope: ParseScope): Block {
  const aloc = valueLoc(raw, action.key);
  const v = importArgs(action.value, aloc, 'file');
  const fileArg = isMapping(v) ? v.file : v;
  for (const bad of ['loop', 'with_items', 'register', 'notify']) {
    if (bad in raw) scope.ctx.errors.add(`'${bad}' cannot be used with import_tasks (a static import)`, { loc: keyLoc(raw, bad), hint: `use include_tasks (loaded when it runs) to ${bad === 'register' || bad === 'notify' ? `use ${bad}` : 'loop over a task file'}` });
  }
  const name = staticName(fileArg, aloc, scope, 'import_tasks');
  const file = resolveTaskFile(name, scope, aloc);
  const block = newBlock({ ...importKeywords(raw, scope), loc, origin: 'import_tasks' }, scope);
  block.block = parseTaskFile(file, { ...scope, parent: block }, aloc);
  return block;
}

function parseImportRole(raw: Record<string, unknown>, action: ActionFound, loc: SourceLoc, scope: ParseScope): Block | undefined {
  const aloc = valueLoc(raw, action.key) ?? loc;
  const v = importArgs(action.value, aloc);
  if (!isMapping(v)) {
    throw new SamsError('import_role needs a mapping with at least name:', { loc: aloc, hint: 'write "import_role: name=ROLE" or "import_role: {name: ROLE, tasks_from: FILE}"' });
  }
  const block = newBlock({ ...importKeywords(raw, scope), loc, origin: 'import_role' }, scope);
  const role = loadRoleForImport(v, aloc, { ...scope, parent: block }, 'import');
  if (!role) return block;
  block.role = role;
  if (role.tasks) block.block = [role.tasks];
  return block;
}

function checkIncludeTasks(task: Task, scope: ParseScope): void {
  const file = task.args.file;
  const known = new Set(['file', 'apply', '_raw_params']);
  for (const k of Object.keys(task.args)) {
    if (!known.has(k)) scope.ctx.errors.add(`unknown argument '${k}' for include_tasks`, { loc: keyLoc(task.args, k), hint: 'include_tasks takes: file, apply' });
  }
  if (typeof file !== 'string' || (scope.ctx.opts.templar?.isTemplate(file) ?? /\{\{/.test(file))) return;
  // A literal file name is checked now, so its mistakes show before anything runs.
  scope.ctx.errors.collect(() => {
    const path = resolveTaskFile(file, scope, valueLoc(task.args, 'file') ?? task.argsLoc);
    const probe = newBlock({ loc: task.loc, origin: 'include' }, scope);
    parseTaskFile(path, { ...scope, parent: probe }, task.argsLoc);
  });
}

function checkIncludeRole(task: Task, scope: ParseScope): void {
  const name = task.args.name;
  if (typeof name !== 'string') {
    scope.ctx.errors.add('include_role needs name:', { loc: task.argsLoc, hint: 'write "include_role: name=ROLE" or give name: in its mapping' });
    return;
  }
  if (/\{\{/.test(name)) return;
  scope.ctx.errors.collect(() => {
    const probe = newBlock({ loc: task.loc, origin: 'include' }, scope);
    loadRoleForImport(task.args, task.argsLoc, { ...scope, parent: probe }, 'include-check');
  });
}

/** Run-time loading of include_tasks: the file's tasks under a block carrying `apply:` keywords. */
export function loadIncludedTasks(task: Task, file: string, apply: Record<string, unknown> | undefined, ctx: LoadContext): Block {
  const scope: ParseScope = {
    ctx,
    play: task.play,
    role: task.role,
    parent: task.parent!,
    baseDir: dirname(task.loc.file),
    isHandler: task.isHandler,
    chain: [],
  };
  const path = resolveTaskFile(file, scope, valueLoc(task.args, 'file') ?? task.argsLoc);
  const applied = apply ? { ...importKeywords(apply, scope) } : {};
  const block = newBlock({ ...applied, loc: task.loc, origin: 'include' }, scope);
  block.block = parseTaskFile(path, { ...scope, parent: block }, task.argsLoc);
  renderTemplatedTags([block], task.play, ctx);
  ctx.errors.throwIfAny();
  return block;
}
