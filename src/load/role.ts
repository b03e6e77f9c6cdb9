// Roles: finding them on the role path, reading defaults/vars/tasks/handlers/meta, dependencies,
// and the role identity behind Ansible's run-once-per-play rule (a repeat is kept in the model and
// marked; the engine skips it on a host where the role already ran).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { didYouMean, SamsError, type SourceLoc } from '../errors.js';
import { toBool } from '../modules/lib/args.js';
import { readVarsFile } from './vars-file.js';
import type { LoadContext } from './context.js';
import { ROLE_ENTRY_KEYWORDS } from './keywords.js';
import type { Block, Play, RoleInstance } from './model.js';
import {
  isMapping,
  parseConditions,
  parseKeywords,
  parseTags,
  parseTaskFile,
  parseVarsKeyword,
  syntheticBlock,
  type ParseScope,
} from './tasks.js';
import { renderTemplatedTags } from './render-tags.js';
import { checkConditions, checkKeywords } from './template-check.js';
import { itemLoc, keyLoc, locOf, mergeLocated, readYamlFile, valueLoc } from './yaml.js';

/** Where roles are looked for, in order (Ansible's search path plus the project's roles/). */
export function roleSearchPath(play: Pick<Play, 'dir'>, ctx: LoadContext): string[] {
  const dirs = [...ctx.opts.rolesPath, join(play.dir, 'roles'), join(play.dir, '..', 'roles'), join(ctx.opts.root, 'roles'), play.dir];
  return [...new Set(dirs.map((d) => resolve(d)))];
}

export function resolveRolePath(name: string, play: Pick<Play, 'dir'>, ctx: LoadContext, loc: SourceLoc | undefined): string {
  if (isAbsolute(name)) {
    if (existsSync(name) && statSync(name).isDirectory()) return name;
    throw new SamsError(`role directory ${name} not found`, { loc, hint: 'check the path, or give the role by name and set roles_path' });
  }
  const search = roleSearchPath(play, ctx);
  for (const dir of search) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isDirectory() && looksLikeRole(p)) return p;
  }
  const known = search.flatMap((d) => listRoles(d));
  const near = didYouMean(name, known);
  throw new SamsError(`role '${name}' not found${near ? ` (did you mean '${near}'?)` : ''}`, {
    loc,
    hint: `looked in: ${search.join(', ')}`,
  });
}

function looksLikeRole(p: string): boolean {
  return ['tasks', 'handlers', 'defaults', 'vars', 'meta', 'templates', 'files'].some((d) => existsSync(join(p, d)));
}

function listRoles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => looksLikeRole(join(dir, n)));
  } catch {
    return [];
  }
}

/** `main.yml`, `main.yaml`, `main` (or NAME.* for *_from) inside a role subdirectory, or a directory of them. */
export function roleFile(rolePath: string, sub: string, name = 'main'): string | undefined {
  for (const ext of ['.yml', '.yaml', '', '.json']) {
    const p = join(rolePath, sub, name + ext);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

/** Role vars/defaults: main.yml, or (Ansible 2.11+) a main/ directory of files merged in sorted order. */
function readRoleVars(rolePath: string, sub: string, name: string | undefined, ctx: LoadContext, loc: SourceLoc | undefined): { vars: Record<string, unknown>; source?: string } {
  const n = name ?? 'main';
  const f = roleFile(rolePath, sub, n);
  if (f) return { vars: readVarsFile(f, { keyring: ctx.opts.keyring }), source: f };
  const dir = join(rolePath, sub, n);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const files = readdirSync(dir)
      .filter((x) => /\.(ya?ml|json)$/.test(x))
      .sort()
      .map((x) => join(dir, x));
    return { vars: mergeLocated(...files.map((x) => readVarsFile(x, { keyring: ctx.opts.keyring }))), source: dir };
  }
  if (name) throw new SamsError(`${sub}_from: ${name} not found in ${join(rolePath, sub)}`, { loc, hint: `create ${join(sub, name)}.yml in the role, or name a file that exists there` });
  return { vars: {} };
}

interface RoleEntry {
  name: string;
  /** Role params and the entry's `vars:`, merged (what the role sees). */
  params: Record<string, unknown>;
  /** Role params alone (the non-keyword keys). */
  ownParams: Record<string, unknown>;
  entry: Record<string, unknown>;
  /** The entry's `vars:` keyword. */
  vars: Record<string, unknown>;
  loc: SourceLoc;
}

function parseRoleEntry(raw: unknown, loc: SourceLoc, ctx: LoadContext): RoleEntry {
  if (typeof raw === 'string') return { name: raw, params: {}, ownParams: {}, entry: {}, vars: {}, loc };
  if (!isMapping(raw)) throw new SamsError('a role entry must be a name or a mapping with role:', { loc, hint: 'write "- NAME" or "- role: NAME" followed by its parameters' });
  const name = raw.role ?? raw.name;
  if (typeof name !== 'string' || name === '') throw new SamsError('role entry needs role: NAME', { loc: locOf(raw) ?? loc, hint: 'add "role: NAME" (the role directory name) to the entry' });
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!ROLE_ENTRY_KEYWORDS.has(k)) params[k] = v;
  // Role `vars:` on the entry act as role params (Ansible gives both the same precedence).
  const vars = parseVarsKeyword(raw, 'vars', ctx);
  return { name, params: mergeLocated(params, vars), ownParams: params, entry: raw, vars, loc: locOf(raw) ?? loc };
}

/** Per-play registry of loaded roles by identity: the first instance of each. */
const playRoles = new WeakMap<Play, Map<string, RoleInstance>>();

/** JSON with mapping keys sorted (Ansible hashes role params as a frozenset: order does not count). */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isMapping(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Ansible's role identity (Role.load's ROLE_CACHE key): the role, its params, the entry's when,
 * tags and vars, the *_from files, and whether it came from import_role/include_role. Keywords
 * such as become are not part of it.
 */
function roleIdentity(path: string, entry: RoleEntry, opts: RoleLoadOptions): string {
  const e = entry.entry;
  const from = { tasks: opts.tasksFrom, vars: opts.varsFrom, defaults: opts.defaultsFrom, handlers: opts.handlersFrom };
  const byInclude = opts.from === 'import' || opts.from === 'include' || opts.from === 'include-check';
  return `${path}|${stableJson({ params: entry.ownParams, vars: entry.vars, when: e.when, tags: e.tags, from, byInclude })}`;
}

export interface RoleLoadOptions {
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  /** play: from `roles:`; dependency: from meta; import/include: import_role/include_role; include-check: validation only. */
  from: 'play' | 'dependency' | 'import' | 'include' | 'include-check';
  /** import_role/include_role's allow_duplicates (default true there, as in Ansible); meta's is not used then. */
  allowDuplicates?: boolean;
  parentRole?: RoleInstance;
  chain?: string[];
}

/**
 * Load a role for a `roles:` entry, a dependency, or an import: returns its instance with a tasks
 * block (dependencies' blocks first). A role loaded again with the same identity in the play is a
 * repeat (`repeatOf` the first): it is listed like any role, and at run time a host skips it once
 * the role has run there (Ansible's Role.has_run), unless duplicates are allowed.
 */
export function loadRole(raw: unknown, loc: SourceLoc, scope: ParseScope, opts: RoleLoadOptions): RoleInstance | undefined {
  const { ctx, play } = scope;
  const entry = parseRoleEntry(raw, loc, ctx);
  const path = resolveRolePath(entry.name, play, ctx, entry.loc);
  const chain = opts.chain ?? [];
  if (chain.includes(path)) throw new SamsError(`role dependency cycle: ${[...chain, path].join(' -> ')}`, { loc: entry.loc, hint: 'remove one of these dependencies from meta/main.yml' });

  const meta = readMeta(path, ctx);
  const allowDuplicates = opts.allowDuplicates ?? meta.allowDuplicates;
  let registry = playRoles.get(play);
  if (!registry) playRoles.set(play, (registry = new Map()));
  const key = roleIdentity(path, entry, opts);
  const first = opts.from === 'include-check' ? undefined : registry.get(key);
  if (first) {
    // Ansible keeps one Role object per identity: each load sets its allow_duplicates (an
    // import_role/include_role's own value), the last one wins, also for the copies loaded before.
    first.allowDuplicates = allowDuplicates;
    // A repeat reads the same files again: their mistakes were reported with the first instance.
    return withoutRepeatedErrors(ctx, () => loadRoleInstance(entry, path, meta, allowDuplicates, first, scope, opts));
  }
  const role = loadRoleInstance(entry, path, meta, allowDuplicates, undefined, scope, opts, (r) => {
    if (opts.from !== 'include-check') registry.set(key, r);
  });
  return role;
}

/** Runs fn, collecting its errors, but dropping those already collected (same message and place). */
function withoutRepeatedErrors<T>(ctx: LoadContext, fn: () => T): T | undefined {
  const list = ctx.errors.errors;
  const keyOf = (e: SamsError) => `${e.message}|${e.loc?.file}:${e.loc?.line}:${e.loc?.col}`;
  const before = list.length;
  const known = new Set(list.map(keyOf));
  const out = ctx.errors.collect(fn);
  for (const e of list.splice(before)) {
    if (known.has(keyOf(e))) continue;
    known.add(keyOf(e));
    list.push(e);
  }
  return out;
}

function loadRoleInstance(
  entry: RoleEntry,
  path: string,
  meta: RoleMeta,
  allowDuplicates: boolean,
  repeatOf: RoleInstance | undefined,
  scope: ParseScope,
  opts: RoleLoadOptions,
  register?: (r: RoleInstance) => void,
): RoleInstance {
  const { ctx, play } = scope;
  const chain = opts.chain ?? [];

  const defaults = readRoleVars(path, 'defaults', opts.defaultsFrom, ctx, entry.loc);
  const vars = readRoleVars(path, 'vars', opts.varsFrom, ctx, entry.loc);
  const role: RoleInstance = {
    name: entry.name,
    path,
    loc: entry.loc,
    defaults: defaults.vars,
    // Ansible's Role.get_vars(): the entry's vars: under the role's vars/ files. Both are seen
    // play-wide for a public role (DEFAULT_PRIVATE_ROLE_VARS=False); other params are not.
    vars: Object.keys(entry.vars).length ? mergeLocated(entry.vars, vars.vars) : vars.vars,
    params: entry.params,
    handlers: [],
    deps: [],
    parentRole: opts.parentRole,
    allowDuplicates,
    public: opts.from !== 'include' && opts.from !== 'include-check',
    defaultsSource: defaults.source,
    varsSource: vars.source,
    repeatOf,
  };
  register?.(role);

  // The role's block carries the entry's keywords; dependencies sit inside it so they inherit them.
  const block: Block = syntheticBlock(
    {
      name: entry.name,
      loc: entry.loc,
      origin: 'role',
      kw: parseKeywords(entry.entry, ctx),
      tags: parseTags(entry.entry.tags, valueLoc(entry.entry, 'tags'), ctx),
      when: parseConditions(entry.entry, 'when'),
      role,
    },
    { play, role, parent: scope.parent },
  );
  checkConditions(block.when, 'when', ctx);
  checkKeywords(block.kw, entry.entry, ctx);
  const inner: ParseScope = { ...scope, role, parent: block, baseDir: join(path, 'tasks'), isHandler: false, chain: [] };
  meta.deps.forEach((d, i) => {
    // A validation-only load registers nothing, its dependencies neither.
    const from = opts.from === 'include-check' ? 'include-check' : 'dependency';
    const dep = ctx.errors.collect(() => loadRole(d.raw, d.loc ?? entry.loc, inner, { from, parentRole: role, chain: [...chain, path] }));
    if (dep) {
      role.deps.push(dep);
      if (dep.tasks) block.block.push(dep.tasks);
    }
    void i;
  });
  const tasksFile = roleFile(path, 'tasks', opts.tasksFrom ?? 'main');
  if (opts.tasksFrom && !tasksFile) throw new SamsError(`tasks_from: ${opts.tasksFrom} not found in ${join(path, 'tasks')}`, { loc: entry.loc, hint: `create tasks/${opts.tasksFrom}.yml in the role, or name a file that exists there` });
  if (tasksFile) block.block.push(...parseTaskFile(tasksFile, inner, entry.loc));
  role.tasks = block;

  const handlersFile = roleFile(path, 'handlers', opts.handlersFrom ?? 'main');
  // A repeat shares the first instance's handlers: they run once per notification, as Ansible's one Role object's.
  if (repeatOf) role.handlers = repeatOf.handlers;
  else if (handlersFile) {
    const hblock = syntheticBlock({ name: `${entry.name} handlers`, loc: entry.loc, origin: 'role', role }, { play, role, parent: undefined });
    const nodes = parseTaskFile(handlersFile, { ...inner, parent: hblock, isHandler: true, baseDir: join(path, 'handlers') }, entry.loc);
    hblock.block = nodes;
    role.handlers = flattenHandlers(nodes, ctx);
  }
  return role;
}

/** Handlers are tasks; blocks of handlers are flattened (Ansible allows blocks in handlers). */
function flattenHandlers(nodes: import('./model.js').TaskNode[], ctx: LoadContext): import('./model.js').Task[] {
  const out: import('./model.js').Task[] = [];
  for (const n of nodes) {
    if (n.kind === 'task') out.push(n);
    else {
      out.push(...flattenHandlers(n.block, ctx));
      if (n.rescue.length || n.always.length) ctx.warn('rescue/always in a handler block are ignored', n.loc);
    }
  }
  return out;
}

interface RoleMeta {
  deps: { raw: unknown; loc?: SourceLoc }[];
  allowDuplicates: boolean;
}

function readMeta(path: string, ctx: LoadContext): RoleMeta {
  const f = roleFile(path, 'meta');
  if (!f) return { deps: [], allowDuplicates: false };
  const doc = readYamlFile(f, { keyring: ctx.opts.keyring });
  if (doc === null) return { deps: [], allowDuplicates: false };
  if (!isMapping(doc)) throw new SamsError('meta/main.yml must be a mapping', { loc: locOf(doc) ?? { file: f, line: 1, col: 1 }, hint: 'write its keys at the top level: dependencies:, allow_duplicates:, galaxy_info:' });
  const deps = doc.dependencies;
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) {
    throw new SamsError('dependencies must be a list of roles', { loc: valueLoc(doc, 'dependencies'), hint: 'write each dependency as a list item: "- NAME" or "- role: NAME"' });
  }
  return {
    deps: (deps ?? []).map((d, i) => ({ raw: d, loc: itemLoc(deps, i) })),
    allowDuplicates: toBool(doc.allow_duplicates) ?? false,
  };
}

/** import_role / include_role arguments -> a role instance (public for import). */
export function loadRoleForImport(args: Record<string, unknown>, loc: SourceLoc, scope: ParseScope, from: 'import' | 'include' | 'include-check'): RoleInstance | undefined {
  const known = new Set(['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'allow_duplicates', 'public', 'apply', 'rolespec_validate']);
  for (const k of Object.keys(args)) {
    if (!known.has(k)) {
      const near = didYouMean(k, known);
      scope.ctx.errors.add(`unknown argument '${k}' for ${from === 'import' ? 'import_role' : 'include_role'}${near ? ` (did you mean '${near}'?)` : ''}`, {
        loc: keyLoc(args, k),
        hint: `${from === 'import' ? 'import_role' : 'include_role'} takes: ${[...known].join(', ')}; keywords such as when or tags go on the task, not inside it`,
      });
    }
  }
  if (typeof args.name !== 'string') throw new SamsError(`${from === 'import' ? 'import_role' : 'include_role'} needs name:`, { loc, hint: `write "${from === 'import' ? 'import_role' : 'include_role'}: name=ROLE" or give name: in its mapping` });
  const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  const role = loadRole(args.name, valueLoc(args, 'name') ?? loc, scope, {
    from,
    tasksFrom: str('tasks_from'),
    varsFrom: str('vars_from'),
    defaultsFrom: str('defaults_from'),
    handlersFrom: str('handlers_from'),
    // Ansible sets the role's allow_duplicates from the include (default yes), whatever meta says.
    allowDuplicates: args.allow_duplicates === undefined ? true : (toBool(args.allow_duplicates) ?? true),
  });
  if (role && from === 'import') scope.play.roles.push(role);
  // An include_role is loaded when it runs, after the play's tags were rendered.
  if (role?.tasks && from === 'include') renderTemplatedTags([role.tasks], scope.play, scope.ctx);
  if (role && from === 'include-check') scope.play.includableHandlers.push(...roleHandlers(role));
  return role;
}

/** A role's handlers with its dependencies' first (Ansible's get_handler_blocks order). */
export function roleHandlers(role: RoleInstance): import('./model.js').Task[] {
  return [...role.deps.flatMap(roleHandlers), ...role.handlers];
}
