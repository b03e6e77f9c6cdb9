// Lookup plugins: lookup('env'|'file'|'template'|'pipe'|'vars'|'first_found'|...), run on the
// control node while templating. Each returns a list (query() semantics); lookup() joins.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import { pyGlob } from '../python/glob.js';
import { Secret, isSecret } from '../secret.js';
import { TemplateFault } from './fault.js';
import { hasKey, isMapping, textOf, truthy, tuple, typeName } from './py-types.js';
import type { RenderState } from './render-state.js';
import type { Templar, Vars } from './types.js';

type Lookup = (terms: unknown[], kw: Record<string, unknown>, st: RenderState) => unknown[];

function varText(vars: Vars, name: string): string | undefined {
  if (!hasKey(vars, name)) return undefined;
  return textOf(vars[name]);
}

/**
 * Where a relative path of a lookup or template is searched, as Ansible's search path does:
 * the role (subdir first), the playbook directory (subdir first), then the current directory.
 */
export function searchDirs(vars: Vars, subdir: string, templateFile?: string): string[] {
  const dirs: string[] = [];
  const rolePath = varText(vars, 'role_path');
  const playbookDir = varText(vars, 'playbook_dir');
  if (rolePath) dirs.push(join(rolePath, subdir), rolePath);
  if (templateFile) dirs.push(dirname(templateFile));
  if (playbookDir) dirs.push(join(playbookDir, subdir), playbookDir);
  dirs.push(join(process.cwd(), subdir), process.cwd());
  return [...new Set(dirs)];
}

export function findFile(vars: Vars, subdir: string, name: string, templateFile?: string): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of searchDirs(vars, subdir, templateFile)) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

function termText(t: unknown, what: string): string {
  const s = textOf(t);
  if (s === undefined) throw new TemplateFault(`${what}: expected a string, got ${typeName(t)}`);
  return s;
}

/** `key=value key2=value2` options written inside a term (Ansible's parse_kv for old-style lookups). */
function parseKv(term: string): { first: string; opts: Record<string, string> } {
  const words = term.trim().split(/\s+/);
  const opts: Record<string, string> = {};
  const rest: string[] = [];
  for (const w of words) {
    const m = /^([A-Za-z_]+)=(.*)$/.exec(w);
    if (m) opts[m[1]!] = m[2]!;
    else rest.push(w);
  }
  return { first: rest.join(' '), opts };
}

function readMaybeVaulted(path: string, st: RenderState): string | Secret {
  const buf = readFileSync(path);
  const text = buf.toString('utf8');
  const keyring = st.host.keyring;
  const encrypted = keyring?.isEncrypted ? keyring.isEncrypted(text) : text.startsWith('$ANSIBLE_VAULT;');
  if (!encrypted) return text;
  if (!keyring) throw new TemplateFault(`${path} is vault-encrypted and no vault password was given`, { hint: 'pass --vault-password-file FILE or --ask-vault-pass' });
  return new Secret(keyring.decrypt(text, path));
}

function stripText(v: string | Secret, lstrip: boolean, rstrip: boolean): string | Secret {
  const f = (s: string) => {
    let r = s;
    if (lstrip) r = r.replace(/^\s+/, '');
    if (rstrip) r = r.replace(/\s+$/, '');
    return r;
  };
  return isSecret(v) ? Secret.derived(f(v.reveal())) : f(v);
}

/** first_found's terms: names, lists of names, or {files, paths, skip} dicts. */
function firstFoundCandidates(terms: unknown[], kw: Record<string, unknown>): { names: string[]; paths: string[]; skip: boolean } {
  const names: string[] = [];
  const paths: string[] = [];
  let skip = Boolean(kw.skip);
  const splitList = (v: unknown): string[] => {
    if (Array.isArray(v)) return v.flatMap(splitList);
    const s = textOf(v);
    return s === undefined ? [] : s.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
  };
  const add = (t: unknown): void => {
    if (Array.isArray(t)) t.forEach(add);
    else if (isMapping(t)) {
      names.push(...splitList(t.files));
      paths.push(...splitList(t.paths));
      if (t.skip !== undefined) skip = truthy(t.skip);
    } else {
      const s = textOf(t);
      if (s !== undefined) names.push(s);
    }
  };
  terms.forEach(add);
  if (kw.files !== undefined) names.push(...splitList(kw.files));
  if (kw.paths !== undefined) paths.push(...splitList(kw.paths));
  return { names, paths, skip };
}

const LOOKUPS: Record<string, Lookup> = {
  env: (terms, kw) => terms.map((t) => process.env[termText(t, 'env')] ?? (kw.default !== undefined ? kw.default : '')),

  file: (terms, kw, st) =>
    terms.map((t) => {
      const name = termText(t, 'file');
      const path = findFile(st.vars, 'files', name, st.opts.templateFile);
      if (!path) throw new TemplateFault(`could not locate file in lookup: ${name}`, { hint: `searched ${searchDirs(st.vars, 'files', st.opts.templateFile).join(', ')}` });
      return stripText(readMaybeVaulted(path, st), truthy(kw.lstrip ?? false), truthy(kw.rstrip ?? true));
    }),

  unvault: (terms, _kw, st) =>
    terms.map((t) => {
      const name = termText(t, 'unvault');
      const path = findFile(st.vars, 'files', name, st.opts.templateFile);
      if (!path) throw new TemplateFault(`unable to find ${name} in expected paths`);
      return readMaybeVaulted(path, st);
    }),

  template: (terms, kw, st) =>
    terms.map((t) => {
      const name = termText(t, 'template');
      const path = findFile(st.vars, 'templates', name, st.opts.templateFile);
      if (!path) throw new TemplateFault(`the template file ${name} could not be found for the lookup`);
      const extra = isMapping(kw.template_vars) ? kw.template_vars : undefined;
      const vars = extra ? overlayVars(st.vars, extra) : st.vars;
      const opts = { ...st.opts, templateFile: path, trimBlocks: true, lstripBlocks: false };
      const source = readMaybeVaulted(path, st);
      if (!isSecret(source)) return st.host.renderFile(path, vars, opts);
      // A vaulted template (Ansible decrypts it too): what it renders to is secret as a whole.
      const host = st.host as typeof st.host & Partial<Pick<Templar, 'renderText'>>;
      if (!host.renderText) throw new TemplateFault(`cannot render the vault-encrypted template ${name} here`);
      const out = host.renderText(source.reveal(), vars, opts);
      return isSecret(out) ? out : Secret.derived(out);
    }),

  pipe: (terms) =>
    terms.map((t) => {
      const cmd = termText(t, 'pipe');
      try {
        return execFileSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\s+$/, '');
      } catch (e) {
        const status = (e as { status?: number }).status;
        throw new TemplateFault(`lookup('pipe', ${JSON.stringify(cmd)}) returned ${status ?? 'an error'}`);
      }
    }),

  lines: (terms) =>
    terms.flatMap((t) => {
      const cmd = termText(t, 'lines');
      try {
        return execFileSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
      } catch (e) {
        throw new TemplateFault(`lookup('lines', ${JSON.stringify(cmd)}) returned ${(e as { status?: number }).status ?? 'an error'}`);
      }
    }),

  vars: (terms, kw, st) =>
    terms.map((t) => {
      const name = termText(t, 'vars');
      if (hasKey(st.vars, name)) return st.vars[name] ?? null;
      if (kw.default !== undefined) return kw.default;
      throw new TemplateFault(`No variable found with this name: ${name}`, { kind: 'undefined', hint: 'define it, or pass default=... to the vars lookup' });
    }),

  first_found: (terms, kw, st) => {
    const { names, paths, skip } = firstFoundCandidates(terms, kw);
    for (const name of names) {
      if (isAbsolute(name)) {
        if (existsSync(name)) return [name];
        continue;
      }
      const dirs = paths.length ? paths.map((p) => (isAbsolute(p) ? p : resolve(varText(st.vars, 'role_path') ?? varText(st.vars, 'playbook_dir') ?? process.cwd(), p))) : [];
      for (const d of dirs) {
        const p = join(d, name);
        if (existsSync(p)) return [p];
      }
      if (!paths.length) {
        const p = findFile(st.vars, 'files', name, st.opts.templateFile);
        if (p) return [p];
      }
    }
    if (skip) return [];
    throw new TemplateFault('No file was found when using first_found.', { hint: `looked for: ${names.join(', ')}` });
  },

  fileglob: (terms, _kw, st) =>
    terms.flatMap((t) => {
      const pattern = termText(t, 'fileglob');
      const dirs = isAbsolute(pattern) ? ['/'] : searchDirs(st.vars, 'files', st.opts.templateFile);
      for (const base of dirs) {
        const found = pyGlob(isAbsolute(pattern) ? pattern : join(base, pattern)).filter((f) => statSync(f).isFile());
        if (found.length) return found;
      }
      return [];
    }),

  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (terms) => (terms.length === 1 && Array.isArray(terms[0]) ? (terms[0] as unknown[]) : terms),
  indexed_items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])).map((x, i) => tuple([i, x])),
  dict: (terms) =>
    terms.flatMap((t) => {
      if (!isMapping(t)) throw new TemplateFault(`with_dict expects a dict, got ${typeName(t)}`);
      return Object.keys(t).map((k) => ({ key: k, value: t[k] }));
    }),
  together: (terms) => {
    const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
  },
  nested: (terms) => {
    const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
    return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
  },
  random_choice: (terms) => (terms.length ? [terms[randomInt(terms.length)]] : []),
  sequence: (terms) => terms.flatMap((t) => sequence(termText(t, 'sequence'))),
  subelements: (terms) => {
    const [obj, key, opts] = terms;
    const skipMissing = isMapping(opts) && truthy(opts.skip_missing ?? false);
    const elems = Array.isArray(obj) ? obj : isMapping(obj) ? Object.values(obj) : [];
    const path = termText(key, 'subelements').split('.');
    return elems.flatMap((el) => {
      let v: unknown = el;
      for (const p of path) {
        if (isMapping(v) && hasKey(v, p)) v = v[p];
        else if (skipMissing) return [];
        else throw new TemplateFault(`could not find '${p}' key in iterated item`);
      }
      if (!Array.isArray(v)) throw new TemplateFault(`the key ${path.join('.')} should point to a list, got ${typeName(v)}`);
      return v.map((x) => [el, x]);
    });
  },
  varnames: (terms, _kw, st) => {
    const names = Object.keys(st.vars);
    return terms.flatMap((t) => {
      const re = new RegExp(termText(t, 'varnames'));
      return names.filter((n) => re.test(n));
    });
  },
  password: (terms, _kw, st) => terms.map((t) => passwordLookup(termText(t, 'password'), st)),
};

function sequence(spec: string): string[] {
  const { first, opts } = parseKv(spec);
  let start = 1;
  let end: number | undefined;
  let stride = 1;
  let count: number | undefined;
  let format = opts.format ?? '%d';
  const m = /^(-?(?:0x)?[0-9a-fA-F]+)?(?:-(-?(?:0x)?[0-9a-fA-F]+))?(?:\/(-?\d+))?(?::(.+))?$/.exec(first);
  if (first && m) {
    if (m[2] !== undefined) {
      start = Number(m[1]);
      end = Number(m[2]);
    } else if (m[1] !== undefined) end = Number(m[1]);
    if (m[3] !== undefined) stride = Number(m[3]);
    if (m[4] !== undefined) format = m[4];
  }
  if (opts.start !== undefined) start = Number(opts.start);
  if (opts.end !== undefined) end = Number(opts.end);
  if (opts.stride !== undefined) stride = Number(opts.stride);
  if (opts.count !== undefined) count = Number(opts.count);
  if (count !== undefined) end = count === 0 ? start - stride : start + (count - 1) * stride;
  if (end === undefined) throw new TemplateFault('must specify count or end in with_sequence');
  const out: string[] = [];
  if (stride > 0) for (let i = start; i <= end; i += stride) out.push(fmtSeq(format, i));
  else if (stride < 0) for (let i = start; i >= end; i += stride) out.push(fmtSeq(format, i));
  return out;
}

function fmtSeq(format: string, i: number): string {
  return format.replace(/%(0?)(\d*)([dxXo])/, (_m, zero: string, width: string, c: string) => {
    const s = c === 'x' ? i.toString(16) : c === 'X' ? i.toString(16).toUpperCase() : c === 'o' ? i.toString(8) : String(i);
    return width ? s.padStart(Number(width), zero ? '0' : ' ') : s;
  });
}

const PASSWORD_CHARS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/** lookup('password', 'path length=N chars=...'): read the stored password, or create and store one. */
function passwordLookup(term: string, st: RenderState): string {
  const { first, opts } = parseKv(term);
  if (!first) throw new TemplateFault('password lookup needs a file path');
  const base = varText(st.vars, 'playbook_dir') ?? process.cwd();
  const path = first === '/dev/null' ? undefined : isAbsolute(first) ? first : resolve(base, first);
  if (path && existsSync(path)) {
    const content = readFileSync(path, 'utf8').replace(/\s+$/, '');
    return content.replace(/ salt=\S+$/, '');
  }
  const length = opts.length ? Number(opts.length) : 20;
  const charsets = (opts.chars ?? 'ascii_letters,digits,.,:-_').split(',');
  const alphabet = [...new Set(charsets.map((c) => PASSWORD_CHARS[c] ?? c).join(''))].join('');
  let pw = '';
  for (let i = 0; i < length; i++) pw += alphabet[randomInt(alphabet.length)];
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${pw}\n`, { mode: 0o600 });
  }
  return pw;
}

/** Vars with a few names added on top, without copying the base (which may be a lazy Proxy). */
export function overlayVars(base: Vars, extra: Record<string, unknown>): Vars {
  return new Proxy(extra, {
    has: (t, k) => (typeof k === 'string' && Object.prototype.hasOwnProperty.call(t, k)) || k in base,
    get: (t, k) => (typeof k === 'string' && Object.prototype.hasOwnProperty.call(t, k) ? t[k] : (base as Record<string | symbol, unknown>)[k]),
    ownKeys: (t) => [...new Set([...Reflect.ownKeys(t), ...Reflect.ownKeys(base)])],
    getOwnPropertyDescriptor: (t, k) =>
      Object.prototype.hasOwnProperty.call(t, k)
        ? Reflect.getOwnPropertyDescriptor(t, k)
        : k in base
          ? { value: (base as Record<string | symbol, unknown>)[k], enumerable: true, configurable: true, writable: true }
          : undefined,
  });
}

export const lookupNames = (): string[] => Object.keys(LOOKUPS);

/** Run lookup plugin `name`; the result is always a list. */
export function runLookup(name: string, terms: unknown[], kw: Record<string, unknown>, st: RenderState): unknown[] {
  const short = name.startsWith('ansible.builtin.') ? name.slice('ansible.builtin.'.length) : name;
  const plugin = Object.prototype.hasOwnProperty.call(LOOKUPS, short) ? LOOKUPS[short] : undefined;
  if (!plugin) {
    throw new TemplateFault(`lookup plugin '${name}' not found`, { hint: `sams has: ${lookupNames().join(', ')}` });
  }
  return plugin(terms, kw, st);
}

