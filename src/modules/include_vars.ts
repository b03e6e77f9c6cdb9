// include_vars: load variables from YAML/JSON files (vault-encrypted too) on the control node,
// from one file or a directory tree, into the host's include_vars layer.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { SamsError } from '../errors.js';
import { parseYaml, type VaultKeyring } from '../load/yaml.js';
import { isSecret } from '../secret.js';
import { zBool, zInt, zList, zStr } from './lib/args.js';
import { compilePy, pySearch } from '../python/re.js';
import { defineModule, type ModuleOutcome, type TaskEnv } from './types.js';

// Ansible splits a string ignore_files on whitespace (not commas).
const zWords = () =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(/\s+/).filter((s) => s !== '') : v), z.array(zStr(), { error: 'expected a list' }));

const FILE_ARGS = ['file'] as const;
const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'] as const;

const args = z
  .object({
    file: zStr().optional(),
    dir: zStr().optional(),
    name: zStr().optional(),
    depth: zInt().optional(),
    files_matching: zStr().optional(),
    ignore_files: zWords().optional(),
    extensions: zList(zStr()).optional(),
    ignore_unknown_extensions: zBool().optional(),
    hash_behaviour: z.enum(['replace', 'merge']).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const files = FILE_ARGS.filter((k) => a[k] !== undefined);
    const dirs = DIR_ARGS.filter((k) => a[k] !== undefined);
    if (files.length && dirs.length) ctx.addIssue({ code: 'custom', message: 'You are mixing file only and dir only arguments, these are incompatible', path: [dirs[0]!] });
    else if (a.file === undefined && a.dir === undefined) ctx.addIssue({ code: 'custom', message: 'give the file to load (file: or after include_vars:) or a dir:', path: [] });
    for (const k of ['files_matching'] as const) {
      if (a[k] !== undefined) {
        try {
          compilePy(a[k]!);
        } catch {
          ctx.addIssue({ code: 'custom', message: `Invalid regular expression: ${a[k]}`, path: [k] });
        }
      }
    }
  });

export type IncludeVarsArgs = z.output<typeof args>;

const DEFAULT_EXTENSIONS = ['yaml', 'yml', 'json'];

class LoadFailure extends Error {}

function keyringOf(env: TaskEnv): VaultKeyring | undefined {
  // The run's keyring travels with the templar (it decrypts inline !vault values too).
  return (env.templar as { keyring?: VaultKeyring }).keyring;
}

/** Read one vars file into a mapping; an encrypted file gives Secret leaves. */
export function loadVarsFile(env: TaskEnv, path: string): Record<string, unknown> {
  const content = env.readLocalFile(path);
  const secret = isSecret(content);
  const text = secret ? content.reveal() : content.toString('utf8');
  const doc = parseYaml(text, path, { keyring: keyringOf(env), secret });
  if (doc === null || doc === undefined || doc === '') return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new LoadFailure(`${path} must be stored as a dictionary/hash`);
  return doc as Record<string, unknown>;
}

/** Every directory under `top` (itself included), sorted by path as Ansible sorts os.walk's output. */
function walkDirs(top: string): { dir: string; files: string[] }[] {
  const out: { dir: string; files: string[] }[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const files: string[] = [];
    out.push({ dir, files });
    for (const e of entries) {
      // os.walk lists symlinks to directories among the directories but does not descend into them.
      if (e.isDirectory()) visit(join(dir, e.name));
      else if (e.isSymbolicLink()) {
        try {
          if (!statSync(join(dir, e.name)).isDirectory()) files.push(e.name);
        } catch {
          files.push(e.name);
        }
      } else files.push(e.name);
    }
    files.sort(cmpCodepoints);
  };
  visit(top);
  return out.sort((x, y) => cmpCodepoints(x.dir, y.dir));
}

function cmpCodepoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where `dir:` points: the role's vars/ (or the role), the playbook's, else beside the task file. */
function resolveDir(env: TaskEnv, dir: string): string {
  if (isAbsolute(dir)) return dir;
  try {
    return env.findFile('vars', dir);
  } catch (e) {
    if (!(e instanceof SamsError)) throw e;
    return env.loc ? resolve(dirname(env.loc.file), dir) : resolve(dir);
  }
}

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Ansible's combine_vars(merge=True): mappings merged recursively, anything else replaced. */
export function mergeVars(a: unknown, b: unknown): unknown {
  if (!isPlainMapping(a) || !isPlainMapping(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeVars(out[k], v) : v;
  return out;
}

export function runIncludeVars(env: TaskEnv, a: IncludeVarsArgs): ModuleOutcome {
  const included: string[] = [];
  let results: Record<string, unknown> = {};
  const fail = (message: string): ModuleOutcome => ({ status: 'failed', msg: message, data: { message, ansible_included_var_files: included, ansible_facts: {} } });
  try {
    if (a.dir !== undefined) {
      const root = resolveDir(env, a.dir);
      if (!existsSync(root)) return fail(`${root} directory does not exist`);
      if (!statSync(root).isDirectory()) return fail(`${root} is not a directory`);
      const exts = a.extensions ?? DEFAULT_EXTENSIONS;
      const matcher = a.files_matching !== undefined ? compilePy(a.files_matching) : undefined;
      const ignore = (a.ignore_files ?? []).map((p) => {
        try {
          return compilePy(`${p}$`);
        } catch {
          throw new LoadFailure(`Invalid regular expression: ${p}`);
        }
      });
      const validExt = (f: string) => exts.includes(extname(f).slice(1)) && extname(f) !== '';
      let dirs = walkDirs(root);
      // Ansible's depth counts directories in sorted walk order, not levels; 0 means all.
      if (a.depth && a.depth > 0) dirs = dirs.slice(0, a.depth);
      for (const { dir, files } of dirs) {
        for (const f of files) {
          if (matcher && !pySearch(matcher, f)) continue;
          const path = join(dir, f);
          if (!existsSync(path) || ignore.some((r) => pySearch(r, f))) continue;
          if (!validExt(f)) {
            if (a.ignore_unknown_extensions) continue;
            return fail(`${path} does not have a valid extension: ${exts.join(', ')}`);
          }
          Object.assign(results, loadVarsFile(env, path));
          included.push(path);
        }
      }
    } else {
      const path = env.findFile('vars', a.file!.replace(/\n+$/, ''));
      Object.assign(results, loadVarsFile(env, path));
      included.push(path);
    }
  } catch (e) {
    if (e instanceof LoadFailure) return fail(e.message);
    if (e instanceof SamsError) return { ...fail(e.message), hint: e.hint };
    throw e;
  }
  if (a.name !== undefined) results = { [a.name]: results };
  if (a.hash_behaviour === 'merge') {
    for (const [k, v] of Object.entries(results)) results[k] = k in env.vars ? mergeVars(env.vars[k], v) : v;
  }
  return {
    status: 'ok',
    facts: results,
    factsLayer: 'include_vars',
    data: { ansible_facts: results, ansible_included_var_files: included },
  };
}

export default defineModule({
  name: 'include_vars',
  summary: 'Load variables from YAML or JSON files (or a directory of them) on the control node.',
  where: 'controller',
  args,
  freeForm: 'file',
  check: 'plan',
  run: runIncludeVars,
});
