// Loop items for `loop:` and the `with_<lookup>` forms, as Ansible computes them.

import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename, dirname, isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import { SamsError } from '../errors.js';
import type { Task } from '../load/model.js';
import { isSecret, reveal } from '../secret.js';
import type { VarScope } from '../vars/scope.js';

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSecret(v);
}

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Ansible's with_items flattens one level. */
function flattenOnce(v: unknown): unknown[] {
  return asList(v).flatMap((x) => (Array.isArray(x) ? x : [x]));
}

function dict2items(v: unknown, what: string, task: Task): unknown[] {
  if (!isMapping(v)) throw new SamsError(`${what} expects a mapping, got ${Array.isArray(v) ? 'a list' : typeof v}`, { loc: task.loop?.loc });
  return Object.entries(v).map(([key, value]) => ({ key, value }));
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

/** `with_sequence: start=1 end=5 stride=1 format=host%02d` or `count=3` or `1-5`. */
function sequence(spec: unknown, task: Task): unknown[] {
  const text = String(spec).trim();
  const kv: Record<string, string> = {};
  const short = /^(\d+)-(\d+)(?:\/(\d+))?(?::(.+))?$/.exec(text);
  if (short) Object.assign(kv, { start: short[1], end: short[2], stride: short[3] ?? '1', ...(short[4] ? { format: short[4] } : {}) });
  else for (const part of text.split(/\s+/)) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) kv[k] = v;
  }
  const start = Number(kv.start ?? 1);
  const stride = Number(kv.stride ?? 1);
  const end = kv.count !== undefined ? start + (Number(kv.count) - 1) * stride : Number(kv.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(stride) || stride === 0) {
    throw new SamsError(`with_sequence: cannot read '${text}'`, { loc: task.loop?.loc, hint: 'write start=1 end=10 [stride=1] [format=%d], or count=N' });
  }
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(kv.format ? pyFormat(kv.format, i) : String(i));
  return out;
}

function pyFormat(fmt: string, n: number): string {
  return fmt.replace(/%(0?)(\d*)([dxXo])/g, (_m, zero: string, width: string, conv: string) => {
    let s = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
    if (width) s = s.padStart(Number(width), zero ? '0' : ' ');
    return s;
  });
}

function fileglob(patterns: unknown[], scope: VarScope, task: Task): string[] {
  const rolePath = task.role?.path;
  const playDir = task.play.dir;
  const out: string[] = [];
  for (const p of patterns) {
    const pat = String(p);
    const bases = isAbsolute(pat) ? [''] : [...(rolePath ? [join(rolePath, 'files')] : []), join(playDir, 'files'), playDir];
    for (const base of bases) {
      const full = isAbsolute(pat) ? pat : join(base, pat);
      const dir = dirname(full);
      if (!existsSync(dir)) continue;
      const match = picomatch(basename(full), { dot: false });
      const hits = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && match(e.name))
        .map((e) => join(dir, e.name))
        .sort();
      if (hits.length) {
        out.push(...hits);
        break;
      }
    }
  }
  void scope;
  return out;
}

function subelements(terms: unknown[], task: Task): unknown[] {
  const [list, key, flags] = terms;
  const skipMissing = isMapping(flags) && flags.skip_missing === true;
  if (!Array.isArray(list) || typeof key !== 'string') {
    throw new SamsError('with_subelements needs [list, "key.path"]', { loc: task.loop?.loc });
  }
  const out: unknown[] = [];
  for (const elem of list) {
    let sub: unknown = elem;
    for (const k of key.split('.')) sub = isMapping(sub) ? sub[k] : undefined;
    if (sub === undefined) {
      if (skipMissing) continue;
      throw new SamsError(`with_subelements: an element has no key '${key}'`, { loc: task.loop?.loc, hint: 'add {skip_missing: true} as the third term to skip such elements' });
    }
    for (const s of asList(sub)) out.push([elem, s]);
  }
  return out;
}

/** The items a task loops over, rendered in the task's scope (before `when`, as Ansible). */
export function loopItems(task: Task, scope: VarScope): unknown[] {
  const spec = task.loop!;
  const value = scope.render(spec.value, spec.kind === 'loop' ? 'loop' : `with_${spec.lookup}`, spec.loc);
  if (spec.kind === 'loop') {
    if (!Array.isArray(value)) {
      throw new SamsError(`loop needs a list, got ${value === null ? 'null' : typeof value === 'object' ? 'a mapping' : typeof value}`, {
        loc: spec.loc,
        hint: isMapping(value) ? 'to loop over a mapping, write loop: "{{ mydict | dict2items }}"' : 'write loop: [a, b] or loop: "{{ mylist }}"',
      });
    }
    return value;
  }
  const terms = value;
  switch (spec.lookup) {
    case 'items':
      return flattenOnce(terms);
    case 'list':
      return asList(terms);
    case 'dict':
      return dict2items(terms, 'with_dict', task);
    case 'fileglob':
      return fileglob(asList(terms), scope, task);
    case 'together': {
      const lists = asList(terms).map(asList);
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'nested':
    case 'cartesian':
      return product(asList(terms).map(asList));
    case 'sequence':
      return asList(terms).flatMap((t) => sequence(t, task));
    case 'subelements':
      return subelements(asList(terms), task);
    case 'indexed_items':
      return flattenOnce(terms).map((x, i) => [i, x]);
    case 'random_choice': {
      const l = asList(terms);
      return l.length ? [l[Math.floor(Math.random() * l.length)]] : [];
    }
    case 'lines':
      return asList(terms).flatMap((cmd) =>
        execFileSync('/bin/sh', ['-c', reveal(cmd as string)], { encoding: 'utf8' })
          .split('\n')
          .filter((l) => l !== ''),
      );
    case 'first_found': {
      const found = asList(terms)
        .flatMap((t) => (isMapping(t) ? asList(t.files).map((f) => join(String(asList(t.paths)[0] ?? ''), String(f))) : [String(t)]))
        .map((f) => (isAbsolute(f) ? f : join(task.role ? join(task.role.path, 'files') : join(task.play.dir, 'files'), f)))
        .find((f) => existsSync(f));
      if (!found) throw new SamsError('with_first_found: no file found', { loc: spec.loc });
      return [found];
    }
    default: {
      // Any other lookup: the templar's query() gives the list.
      const args = asList(terms);
      const extra = Object.fromEntries(args.map((a, i) => [`__sams_term${i}`, a]));
      const expr = `query(${JSON.stringify(spec.lookup)}${args.map((_, i) => `, __sams_term${i}`).join('')})`;
      const out = scope.templar.evalExpr(expr, scope.with(extra).proxy, { loc: spec.loc, host: scope.opts.host });
      return asList(out);
    }
  }
}

export interface LoopVarsOptions {
  loopVar: string;
  indexVar?: string;
  extended: boolean;
}

/**
 * Variables for item `i` of `items`: the loop var, index_var, ansible_loop_var, and with
 * `extended` ansible_loop (Ansible defines it only then; previtem and nextitem only where there is
 * such an item).
 */
export function loopVars(items: unknown[], i: number, o: LoopVarsOptions): Record<string, unknown> {
  const vars: Record<string, unknown> = { [o.loopVar]: items[i], ansible_loop_var: o.loopVar };
  if (o.indexVar) vars[o.indexVar] = i;
  if (!o.extended) return vars;
  const n = items.length;
  const loop: Record<string, unknown> = {
    allitems: items,
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
  };
  if (i > 0) loop.previtem = items[i - 1];
  if (i < n - 1) loop.nextitem = items[i + 1];
  vars.ansible_loop = loop;
  return vars;
}
