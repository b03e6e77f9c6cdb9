// Playbooks: plays (with import_playbook expanded), their roles, sections and handlers, and the
// whole-run checks that need everything loaded (notify targets).

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { didYouMean, SamsError, type SourceLoc } from '../errors.js';
import { toBool } from '../modules/lib/args.js';
import { LoadContext, type LoadOptions } from './context.js';
import { PLAY_KEYWORDS, IGNORED_KEYWORDS, directiveName } from './keywords.js';
import type { Block, Condition, Play, Playbook, Task, TaskNode, VarsPrompt } from './model.js';
import { loadRole, roleHandlers } from './role.js';
import { isMapping, parseConditions, parseKeywords, parseTags, parseTaskList, parseVarsKeyword, syntheticBlock, type ParseScope } from './tasks.js';
import { renderPlayTags } from './render-tags.js';
import { checkConditions, checkKeywords, checkTemplated } from './template-check.js';
import { itemLoc, keyLoc, locOf, parseYaml, readTextFile, valueLoc } from './yaml.js';

/** Find a playbook: as given, else (a bare name) in the project's playbooks/ directory. */
export function resolvePlaybookPath(name: string, root: string, cwd = process.cwd()): string {
  const direct = resolve(cwd, name);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  if (!isAbsolute(name)) {
    const inProject = join(root, 'playbooks', name);
    if (existsSync(inProject) && statSync(inProject).isFile()) return inProject;
  }
  throw new SamsError(`playbook ${name} not found`, {
    hint: isAbsolute(name) ? 'check the path' : `looked in ${cwd} and ${join(root, 'playbooks')}`,
  });
}

/** Load a playbook and everything it pulls in statically; all problems are collected and thrown together. */
export function loadPlaybook(file: string, opts: LoadOptions): Playbook {
  const ctx = new LoadContext(opts);
  const plays: Play[] = [];
  ctx.errors.collect(() => loadPlaybookFile(resolve(file), ctx, plays, [], undefined));
  for (const play of plays) ctx.errors.collect(() => checkNotifyTargets(play, ctx));
  ctx.errors.throwIfAny();
  return { file: resolve(file), dir: dirname(resolve(file)), plays, warnings: ctx.warnings };
}

function loadPlaybookFile(file: string, ctx: LoadContext, plays: Play[], chain: string[], from: { loc: SourceLoc; tags: string[]; vars: Record<string, unknown>; when: Condition[] } | undefined): void {
  if (chain.includes(file)) throw new SamsError(`import_playbook cycle: ${[...chain, file].join(' -> ')}`, { loc: from?.loc, hint: 'a playbook cannot import itself, directly or through other imports; remove one of these imports' });
  const doc = parseYaml(readTextFile(file, from?.loc), file, { keyring: ctx.opts.keyring });
  // As ansible-playbook (exit 4): a file with no plays is a mistake, not a run that does nothing.
  if (doc === null || doc === undefined) {
    throw new SamsError('empty playbook, nothing to do', {
      loc: from?.loc ?? { file, line: 1, col: 1 },
      hint: from ? `${file} holds no plays; add "- hosts: PATTERN" with tasks, or remove the import` : 'a playbook is a list of plays: start with "- hosts: PATTERN" followed by tasks:',
    });
  }
  if (Array.isArray(doc) && doc.length === 0) {
    throw new SamsError('a playbook must contain at least one play', {
      loc: locOf(doc) ?? from?.loc ?? { file, line: 1, col: 1 },
      hint: 'add a play: "- hosts: PATTERN" followed by tasks:',
    });
  }
  if (!Array.isArray(doc)) {
    throw new SamsError('a playbook must be a list of plays', {
      loc: locOf(doc) ?? { file, line: 1, col: 1 },
      hint: 'start each play with "- hosts: ..." (a YAML list item)',
    });
  }
  doc.forEach((raw, i) => {
    const loc = itemLoc(doc, i) ?? { file, line: 1, col: 1 };
    ctx.errors.collect(() => {
      if (!isMapping(raw)) throw new SamsError('a play must be a mapping with hosts:', { loc, hint: 'write each play as "- hosts: PATTERN" with its keywords (tasks:, roles:, vars: ...) indented under it' });
      const importKey = Object.keys(raw).find((k) => directiveName(k) === 'import_playbook');
      if (importKey !== undefined) {
        const target = raw[importKey];
        if (typeof target !== 'string') throw new SamsError('import_playbook needs a file name', { loc: valueLoc(raw, importKey) ?? loc, hint: 'write "- import_playbook: other.yml" (a path relative to this playbook)' });
        for (const k of Object.keys(raw)) {
          if (![importKey, 'name', 'tags', 'vars', 'when'].includes(k)) ctx.errors.add(`unknown keyword '${k}' with import_playbook`, { loc: keyLoc(raw, k), hint: 'import_playbook takes only name, tags, vars and when; put other keywords on the imported plays' });
        }
        // As Ansible: the import's when: goes in front of every task section (and fact gathering) of the imported plays.
        const when = [...(from?.when ?? []), ...parseConditions(raw, 'when')];
        checkConditions(when, 'when', ctx);
        const vars = { ...(from?.vars ?? {}), ...parseVarsKeyword(raw, 'vars', ctx) };
        const tloc = valueLoc(raw, importKey) ?? loc;
        const path = resolve(dirname(file), importTarget(target, vars, tloc, file, ctx));
        loadPlaybookFile(path, ctx, plays, [...chain, file], {
          loc: tloc,
          tags: [...(from?.tags ?? []), ...parseTags(raw.tags, valueLoc(raw, 'tags'), ctx)],
          vars,
          when,
        });
        return;
      }
      plays.push(loadPlay(raw, locOf(raw) ?? loc, file, ctx, from));
    });
  });
}

/**
 * The file an import_playbook names, rendered when it is a template. As Ansible, only the vars of
 * the import itself (and of enclosing imports) and extra vars are visible: plays are not loaded yet.
 */
function importTarget(target: string, vars: Record<string, unknown>, loc: SourceLoc, file: string, ctx: LoadContext): string {
  const t = ctx.opts.templar;
  if (!t || !t.isTemplate(target)) return target;
  let out: unknown;
  try {
    out = t.render(target, { ...vars, ...ctx.opts.extraVars, playbook_dir: dirname(file) }, { loc, what: 'import_playbook' });
  } catch (e) {
    if (e instanceof SamsError && /^undefined variable/.test(e.message)) {
      throw new SamsError(e.message, { loc: e.loc ?? loc, hint: 'import_playbook sees only extra vars (-e name=value) and the vars: of the import itself; play vars are not defined yet' });
    }
    throw e;
  }
  if (typeof out !== 'string' || out.trim() === '') {
    throw new SamsError(`import_playbook: ${JSON.stringify(target)} gives ${JSON.stringify(out)}, not a file name`, { loc, hint: 'the template must give the path of a playbook file' });
  }
  return out;
}

function parseVarsFiles(raw: Record<string, unknown>, ctx: LoadContext): Play['varsFiles'] {
  const v = raw.vars_files;
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((value, i) => ({ value, loc: (Array.isArray(v) ? itemLoc(v, i) : valueLoc(raw, 'vars_files')) ?? locOf(raw)! }));
}

function parseVarsPrompt(raw: Record<string, unknown>, ctx: LoadContext): VarsPrompt[] {
  const v = raw.vars_prompt;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    ctx.errors.add('vars_prompt must be a list', { loc: valueLoc(raw, 'vars_prompt'), hint: 'write each prompt as a list item: "- name: VAR" with prompt:, private: ...' });
    return [];
  }
  const known = new Set(['name', 'prompt', 'private', 'confirm', 'default', 'encrypt', 'salt_size', 'salt', 'unsafe']);
  const out: VarsPrompt[] = [];
  v.forEach((p, i) => {
    const loc = itemLoc(v, i)!;
    if (!isMapping(p) || typeof p.name !== 'string') {
      ctx.errors.add('each vars_prompt entry needs name:', { loc, hint: 'give the variable the answer is stored in: "- name: VAR"' });
      return;
    }
    for (const k of Object.keys(p)) {
      if (!known.has(k)) {
        const near = didYouMean(k, known);
        ctx.errors.add(`unknown vars_prompt key '${k}'${near ? ` (did you mean '${near}'?)` : ''}`, { loc: keyLoc(p, k), hint: `vars_prompt keys: ${[...known].join(', ')}` });
      }
    }
    const encrypt = p.encrypt === undefined ? undefined : String(p.encrypt);
    if (encrypt !== undefined && !['sha512_crypt', 'sha256_crypt', 'md5_crypt'].includes(encrypt)) {
      ctx.errors.add(`vars_prompt encrypt: '${encrypt}' is not supported`, { loc: valueLoc(p, 'encrypt'), hint: 'use sha512_crypt (or sha256_crypt, md5_crypt)' });
    }
    out.push({
      name: p.name,
      prompt: typeof p.prompt === 'string' ? p.prompt : p.name,
      private: toBool(p.private) ?? true,
      confirm: toBool(p.confirm) ?? false,
      default: p.default,
      encrypt,
      salt_size: typeof p.salt_size === 'number' ? p.salt_size : undefined,
      salt: typeof p.salt === 'string' ? p.salt : undefined,
      unsafe: toBool(p.unsafe),
      loc,
    });
  });
  return out;
}

function loadPlay(raw: Record<string, unknown>, loc: SourceLoc, file: string, ctx: LoadContext, from: { tags: string[]; vars: Record<string, unknown>; when: Condition[] } | undefined): Play {
  for (const k of Object.keys(raw)) {
    if (PLAY_KEYWORDS.has(k)) {
      if (k in IGNORED_KEYWORDS) ctx.warn(`'${k}' is ignored: ${IGNORED_KEYWORDS[k]}`, keyLoc(raw, k));
      continue;
    }
    const near = didYouMean(k, PLAY_KEYWORDS);
    ctx.errors.add(`unknown play keyword '${k}'${near ? ` (did you mean '${near}'?)` : ''}`, {
      loc: keyLoc(raw, k),
      hint: 'tasks belong under tasks:, pre_tasks:, post_tasks: or handlers:',
    });
  }
  if (raw.hosts === undefined || raw.hosts === null || raw.hosts === '') {
    ctx.errors.add('play has no hosts:', { loc, hint: 'every play needs hosts: PATTERN (e.g. hosts: all)' });
  }
  const strategy = raw.strategy === undefined ? 'linear' : String(raw.strategy);
  if (!['linear', 'free', 'host_pinned'].includes(strategy)) {
    ctx.errors.add(`unknown strategy '${strategy}'`, { loc: valueLoc(raw, 'strategy'), hint: 'sams has the linear (default) and free strategies' });
  }
  const name = raw.name !== undefined && raw.name !== null ? String(raw.name) : Array.isArray(raw.hosts) ? raw.hosts.join(',') : String(raw.hosts ?? '');
  const play: Play = {
    name,
    loc,
    file,
    dir: dirname(file),
    hosts: raw.hosts,
    kw: parseKeywords(raw, ctx),
    vars: { ...(from?.vars ?? {}), ...parseVarsKeyword(raw, 'vars', ctx) },
    varsFiles: parseVarsFiles(raw, ctx),
    varsPrompt: parseVarsPrompt(raw, ctx),
    tags: [...(from?.tags ?? []), ...parseTags(raw.tags, valueLoc(raw, 'tags'), ctx)],
    roles: [],
    preTasks: undefined as unknown as Block,
    roleTasks: undefined as unknown as Block,
    tasks: undefined as unknown as Block,
    postTasks: undefined as unknown as Block,
    handlers: [],
    includableHandlers: [],
    gatherFacts: raw.gather_facts ?? true,
    gatherSubset: raw.gather_subset,
    serial: raw.serial,
    strategy: strategy === 'host_pinned' ? 'free' : strategy,
    maxFailPercentage: raw.max_fail_percentage,
    forceHandlers: toBool(raw.force_handlers) ?? false,
    anyErrorsFatal: raw.any_errors_fatal,
    includedWhen: from?.when ?? [],
  };
  checkTemplated(raw.name, valueLoc(raw, 'name'), 'name', ctx);
  checkTemplated(raw.hosts, valueLoc(raw, 'hosts'), 'hosts', ctx);
  checkKeywords(play.kw, raw, ctx);
  const section = (key: string, name: string): Block => {
    const b = syntheticBlock({ name, loc: valueLoc(raw, key) ?? loc, origin: 'section' }, { play, role: undefined, parent: undefined });
    return b;
  };
  const scope = (parent: Block, isHandler = false): ParseScope => ({ ctx, play, role: undefined, parent, baseDir: play.dir, isHandler, chain: [file] });

  play.preTasks = section('pre_tasks', 'pre_tasks');
  play.preTasks.block = parseTaskList(raw.pre_tasks, valueLoc(raw, 'pre_tasks') ?? loc, scope(play.preTasks));

  play.roleTasks = section('roles', 'roles');
  const roles = raw.roles;
  if (roles !== undefined && roles !== null) {
    if (!Array.isArray(roles)) ctx.errors.add('roles must be a list', { loc: valueLoc(raw, 'roles'), hint: 'write each role as a list item: "- NAME" or "- role: NAME"' });
    else
      roles.forEach((entry, i) => {
        const role = ctx.errors.collect(() => loadRole(entry, itemLoc(roles, i) ?? loc, scope(play.roleTasks), { from: 'play' }));
        if (role) {
          play.roles.push(role);
          if (role.tasks) play.roleTasks.block.push(role.tasks);
        }
      });
  }

  play.tasks = section('tasks', 'tasks');
  play.tasks.block = parseTaskList(raw.tasks, valueLoc(raw, 'tasks') ?? loc, scope(play.tasks));
  play.postTasks = section('post_tasks', 'post_tasks');
  play.postTasks.block = parseTaskList(raw.post_tasks, valueLoc(raw, 'post_tasks') ?? loc, scope(play.postTasks));

  for (const b of [play.preTasks, play.roleTasks, play.tasks, play.postTasks]) b.when = [...play.includedWhen, ...b.when];

  const hsection = section('handlers', 'handlers');
  const own = flatten(parseTaskList(raw.handlers, valueLoc(raw, 'handlers') ?? loc, scope(hsection, true)));
  play.handlers = [...new Set([...play.roles.flatMap(roleHandlers), ...own])];
  renderPlayTags(play, ctx);
  return play;
}

function flatten(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : [...flatten(n.block), ...flatten(n.rescue), ...flatten(n.always)]));
}

/** Every task of a play, handlers excluded, in order (for listing and checks). */
export function playTasks(play: Play): Task[] {
  return [play.preTasks, play.roleTasks, play.tasks, play.postTasks].flatMap((b) => flatten([b]));
}

/** Names a notify may use for a handler: its name, `role : name`, and its listen topics. */
export function handlerKeys(h: Task): string[] {
  const keys: string[] = [];
  if (h.name) {
    keys.push(h.name);
    if (h.role) keys.push(`${h.role.name} : ${h.name}`);
  }
  keys.push(...(h.listen ?? []));
  return keys;
}

const TEMPLATE_RE = /\{\{|\{%/;

/** Every notify must name a handler or a listen topic of the play: checked before anything runs. */
function checkNotifyTargets(play: Play, ctx: LoadContext): void {
  const known = new Set([...play.handlers, ...play.includableHandlers].flatMap(handlerKeys));
  const notifying = [...playTasks(play), ...play.handlers];
  for (const t of notifying) {
    for (const n of t.notify) {
      if (known.has(n) || TEMPLATE_RE.test(n)) continue;
      const near = didYouMean(n, known);
      ctx.errors.add(`notify: no handler or listen topic named '${n}' in play '${play.name}'${near ? ` (did you mean '${near}'?)` : ''}`, {
        loc: t.notifyLoc ?? t.loc,
        hint: known.size ? `handlers: ${[...known].join(', ')}` : 'this play defines no handlers',
      });
    }
  }
}
