// Roles: finding them on the role path, reading defaults/vars/tasks/handlers/meta, dependencies,
// and Ansible's run-once-per-play rule (unless allow_duplicates or different parameters).

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
  params: Record<string, unknown>;
  entry: Record<string, unknown>;
  /** The entry's `vars:` keyword. */
  vars: Record<string, unknown>;
  loc: SourceLoc;
}

function parseRoleEntry(raw: unknown, loc: SourceLoc, ctx: LoadContext): RoleEntry {
  if (typeof raw === 'string') return { name: raw, params: {}, entry: {}, vars: {}, loc };
  if (!isMapping(raw)) throw new SamsError('a role entry must be a name or a mapping with role:', { loc, hint: 'write "- NAME" or "- role: NAME" followed by its parameters' });
  const name = raw.role ?? raw.name;
  if (typeof name !== 'string' || name === '') throw new SamsError('role entry needs role: NAME', { loc: locOf(raw) ?? loc, hint: 'add "role: NAME" (the role directory name) to the entry' });
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!ROLE_ENTRY_KEYWORDS.has(k)) params[k] = v;
  // Role `vars:` on the entry act as role params (Ansible gives both the same precedence).
  const vars = parseVarsKeyword(raw, 'vars', ctx);
  return { name, params: mergeLocated(params, vars), entry: raw, vars, loc: locOf(raw) ?? loc };
}

/** Per-play registry of loaded roles for the run-once rule. */
const playRoles = new WeakMap<Play, Map<string, RoleInstance>>();

function dedupKey(path: string, params: Record<string, unknown>, from?: string): string {
  return `${path}|${from ?? ''}|${JSON.stringify(params)}`;
}

export interface RoleLoadOptions {
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  /** play: from `roles:`; dependency: from meta; import/include: import_role/include_role; include-check: validation only. */
  from: 'play' | 'dependency' | 'import' | 'include' | 'include-check';
  parentRole?: RoleInstance;
  chain?: string[];
}

/**
 * Load a role for a `roles:` entry, a dependency, or an import: returns its instance with a tasks
 * block (dependencies' blocks first), or undefined when the run-once rule skips it.
 */
export function loadRole(raw: unknown, loc: SourceLoc, scope: ParseScope, opts: RoleLoadOptions): RoleInstance | undefined {
  const { ctx, play } = scope;
  const entry = parseRoleEntry(raw, loc, ctx);
  const path = resolveRolePath(entry.name, play, ctx, entry.loc);
  const chain = opts.chain ?? [];
  if (chain.includes(path)) throw new SamsError(`role dependency cycle: ${[...chain, path].join(' -> ')}`, { loc: entry.loc, hint: 'remove one of these dependencies from meta/main.yml' });

  const meta = readMeta(path, ctx);
  const allowDuplicates = meta.allowDuplicates;
  let registry = playRoles.get(play);
  if (!registry) playRoles.set(play, (registry = new Map()));
  const key = dedupKey(path, entry.params, opts.tasksFrom);
  if ((opts.from === 'play' || opts.from === 'dependency') && registry.has(key) && !allowDuplicates) return undefined;

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
  };
  if (opts.from !== 'include-check') registry.set(key, role);

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
    const dep = ctx.errors.collect(() => loadRole(d.raw, d.loc ?? entry.loc, inner, { from: 'dependency', parentRole: role, chain: [...chain, path] }));
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
  if (handlersFile) {
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
