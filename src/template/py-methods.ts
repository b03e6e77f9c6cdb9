// Python methods templates call on values: 'a,b'.split(','), d.items(), d.get('k', 1), l.index(x).

import { TemplateFault } from './fault.js';
import { hasKey, isMapping, isNumber, num, pyEq, textOf, tuple, typeName } from './py-types.js';
import { pyStr } from './py-repr.js';
import { strFormat } from './py-format.js';
import { use } from './render-state.js';
import { pySplitlines } from '../python/str.js';

/** A callable template value: a bound method or a global function (lookup, range...). */
export class PyFunc {
  constructor(
    readonly name: string,
    readonly impl: (args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ) {}
  call(args: unknown[], kwargs: Record<string, unknown> = {}): unknown {
    return this.impl(args, kwargs);
  }
}

type Method<T> = (self: T, args: unknown[], kw: Record<string, unknown>) => unknown;

function str(v: unknown, what: string): string {
  const t = textOf(v);
  if (t === undefined) throw new TemplateFault(`${what} must be str, not ${typeName(v)}`);
  return t;
}
function optInt(v: unknown, dflt: number): number {
  return v === undefined || v === null ? dflt : num(v);
}
function arg(args: unknown[], kw: Record<string, unknown>, i: number, name: string): unknown {
  return i < args.length ? args[i] : kw[name];
}

const WS = /\s/;

/** Python's str.split / rsplit. */
export function pySplit(s: string, sep: unknown, maxsplit: number, fromRight = false): string[] {
  if (sep === undefined || sep === null) {
    const words: string[] = [];
    if (!fromRight) {
      let i = 0;
      while (i < s.length) {
        while (i < s.length && WS.test(s[i]!)) i++;
        if (i >= s.length) break;
        if (maxsplit >= 0 && words.length === maxsplit) {
          words.push(s.slice(i).replace(/\s+$/, ''));
          return words;
        }
        let j = i;
        while (j < s.length && !WS.test(s[j]!)) j++;
        words.push(s.slice(i, j));
        i = j;
      }
      return words;
    }
    let i = s.length;
    while (i > 0) {
      while (i > 0 && WS.test(s[i - 1]!)) i--;
      if (i <= 0) break;
      if (maxsplit >= 0 && words.length === maxsplit) {
        words.unshift(s.slice(0, i).replace(/^\s+/, ''));
        return words;
      }
      let j = i;
      while (j > 0 && !WS.test(s[j - 1]!)) j--;
      words.unshift(s.slice(j, i));
      i = j;
    }
    return words;
  }
  const d = str(sep, 'separator');
  if (d === '') throw new TemplateFault('empty separator');
  const parts = s.split(d);
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(d)];
  const keep = parts.length - maxsplit;
  return [parts.slice(0, keep).join(d), ...parts.slice(keep)];
}

function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    return left && right ? s.replace(/^\s+|\s+$/g, '') : left ? s.replace(/^\s+/, '') : s.replace(/\s+$/, '');
  }
  const set = str(chars, 'strip arg');
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Python's str.title(). */
export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

export function pyCapitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s;
}

function affix(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => str(x, 'tuple for startswith must only contain str, not'));
  return [str(v, 'startswith first arg')];
}

function sliceArgs(s: string, start: unknown, end: unknown): string {
  const n = s.length;
  let a = optInt(start, 0);
  let b = optInt(end, n);
  if (a < 0) a = Math.max(0, n + a);
  if (b < 0) b = Math.max(0, n + b);
  return s.slice(a, b);
}

function countOf(s: string, sub: string): number {
  if (sub === '') return s.length + 1;
  let c = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) c++;
  return c;
}

const STR_METHODS: Record<string, Method<string>> = {
  split: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep'), optInt(arg(a, k, 1, 'maxsplit'), -1)),
  rsplit: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep'), optInt(arg(a, k, 1, 'maxsplit'), -1), true),
  splitlines: (s, a, k) => pySplitlines(s, !!arg(a, k, 0, 'keepends')),
  startswith: (s, a) => affix(a[0]).some((p) => sliceArgs(s, a[1], a[2]).startsWith(p)),
  endswith: (s, a) => affix(a[0]).some((p) => sliceArgs(s, a[1], a[2]).endsWith(p)),
  strip: (s, a) => strip(s, a[0], true, true),
  lstrip: (s, a) => strip(s, a[0], true, false),
  rstrip: (s, a) => strip(s, a[0], false, true),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => pyTitle(s),
  capitalize: (s) => pyCapitalize(s),
  replace: (s, a) => {
    const old = str(a[0], 'replace() argument 1');
    const rep = str(a[1], 'replace() argument 2');
    const count = optInt(a[2], -1);
    if (count < 0) return s.split(old).join(rep);
    const parts = s.split(old);
    return parts.slice(0, count + 1).join(rep) + (parts.length > count + 1 ? old + parts.slice(count + 1).join(old) : '');
  },
  find: (s, a) => {
    const sub = str(a[0], 'find() argument');
    const base = optInt(a[1], 0) < 0 ? Math.max(0, s.length + optInt(a[1], 0)) : optInt(a[1], 0);
    const i = sliceArgs(s, a[1], a[2]).indexOf(sub);
    return i < 0 ? -1 : i + base;
  },
  rfind: (s, a) => {
    const sub = str(a[0], 'rfind() argument');
    const base = optInt(a[1], 0) < 0 ? Math.max(0, s.length + optInt(a[1], 0)) : optInt(a[1], 0);
    const i = sliceArgs(s, a[1], a[2]).lastIndexOf(sub);
    return i < 0 ? -1 : i + base;
  },
  index: (s, a, k) => {
    const i = STR_METHODS.find!(s, a, k) as number;
    if (i < 0) throw new TemplateFault('substring not found');
    return i;
  },
  rindex: (s, a, k) => {
    const i = STR_METHODS.rfind!(s, a, k) as number;
    if (i < 0) throw new TemplateFault('substring not found');
    return i;
  },
  count: (s, a) => countOf(sliceArgs(s, a[1], a[2]), str(a[0], 'count() argument')),
  format: (s, a, k) => strFormat(s, a, k),
  join: (s, a) => {
    const items = a[0];
    if (!Array.isArray(items)) {
      if (typeof items === 'string') return [...items].join(s);
      if (isMapping(items)) return Object.keys(items).join(s);
      throw new TemplateFault(`can only join an iterable`);
    }
    return items
      .map((x) => {
        const t = textOf(use(x));
        if (t === undefined) throw new TemplateFault(`sequence item: expected str instance, ${typeName(x)} found`);
        return t;
      })
      .join(s);
  },
  zfill: (s, a) => {
    const w = num(a[0]);
    if (s.length >= w) return s;
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(w - s.length) + s.slice(sign.length);
  },
  center: (s, a) => {
    const w = num(a[0]);
    const f = a[1] === undefined ? ' ' : str(a[1], 'fill character');
    if (s.length >= w) return s;
    const total = w - s.length;
    // CPython puts the odd extra character on the left when the width is odd.
    const left = Math.floor(total / 2) + (total & w & 1);
    return f.repeat(left) + s + f.repeat(total - left);
  },
  ljust: (s, a) => s.padEnd(num(a[0]), a[1] === undefined ? ' ' : str(a[1], 'fill character')),
  rjust: (s, a) => s.padStart(num(a[0]), a[1] === undefined ? ' ' : str(a[1], 'fill character')),
  partition: (s, a) => {
    const sep = str(a[0], 'separator');
    const i = s.indexOf(sep);
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s, a) => {
    const sep = str(a[0], 'separator');
    const i = s.lastIndexOf(sep);
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  removeprefix: (s, a) => {
    const p = str(a[0], 'prefix');
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a) => {
    const p = str(a[0], 'suffix');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  isdigit: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isdecimal: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isnumeric: (s) => s.length > 0 && /^\p{N}+$/u.test(s),
  isalpha: (s) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => s.length > 0 && /^\s+$/.test(s),
  isupper: (s) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s),
  istitle: (s) => /\p{L}/u.test(s) && pyTitle(s) === s,
  isidentifier: (s) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s),
  expandtabs: (s, a) => {
    const size = optInt(a[0], 8);
    let col = 0;
    let out = '';
    for (const ch of s) {
      if (ch === '\t') {
        const n = size ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += ch;
        col = ch === '\n' || ch === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
};

function indexIn(list: unknown[], x: unknown): number {
  return list.findIndex((y) => pyEq(use(y), x));
}

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  index: (l, a) => {
    const i = indexIn(l, a[0]);
    if (i < 0) throw new TemplateFault(`${pyStr(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((y) => pyEq(use(y), a[0])).length,
  append: (l, a) => {
    l.push(a[0]);
    return null;
  },
  extend: (l, a) => {
    l.push(...(Array.isArray(a[0]) ? a[0] : []));
    return null;
  },
  insert: (l, a) => {
    let i = num(a[0]);
    if (i < 0) i = Math.max(0, l.length + i);
    l.splice(i, 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    if (!l.length) throw new TemplateFault('pop from empty list');
    let i = optInt(a[0], -1);
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw new TemplateFault('pop index out of range');
    return l.splice(i, 1)[0];
  },
  remove: (l, a) => {
    const i = indexIn(l, a[0]);
    if (i < 0) throw new TemplateFault('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  copy: (l) => [...l],
  reverse: (l) => {
    l.reverse();
    return null;
  },
};

const DICT_METHODS: Record<string, Method<Record<string, unknown>>> = {
  items: (d) => Object.keys(d).map((k) => tuple([k, d[k]])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.keys(d).map((k) => d[k]),
  get: (d, a, k) => {
    const key = arg(a, k, 0, 'key');
    const dflt = a.length > 1 ? a[1] : null;
    const name = typeof key === 'string' ? key : isNumber(key) ? String(num(key)) : pyStr(key);
    return hasKey(d, name) ? (d[name] === undefined ? null : d[name]) : dflt;
  },
  copy: (d) => ({ ...d }),
  update: (d, a, k) => {
    if (a[0] !== undefined) {
      if (!isMapping(a[0])) throw new TemplateFault('update() argument must be a mapping');
      Object.assign(d, a[0]);
    }
    Object.assign(d, k);
    return null;
  },
  pop: (d, a) => {
    const key = pyStr(a[0]);
    if (hasKey(d, key)) {
      const v = d[key];
      delete d[key];
      return v;
    }
    if (a.length > 1) return a[1];
    throw new TemplateFault(`KeyError: '${key}'`);
  },
  setdefault: (d, a) => {
    const key = pyStr(a[0]);
    if (!hasKey(d, key)) d[key] = a.length > 1 ? a[1] : null;
    return d[key];
  },
};

export const DICT_METHOD_NAMES = new Set(Object.keys(DICT_METHODS));

/** The bound method `name` of a value, or undefined when the value has no such method. */
export function methodOf(obj: unknown, name: string): PyFunc | undefined {
  if (typeof obj === 'string') {
    const m: Method<string> | undefined = STR_METHODS[name];
    return Object.prototype.hasOwnProperty.call(STR_METHODS, name) && m ? new PyFunc(name, (a, k) => m(obj, a, k)) : undefined;
  }
  if (Array.isArray(obj)) {
    const m: Method<unknown[]> | undefined = LIST_METHODS[name];
    return Object.prototype.hasOwnProperty.call(LIST_METHODS, name) && m ? new PyFunc(name, (a, k) => m(obj, a, k)) : undefined;
  }
  if (isMapping(obj)) {
    const m: Method<Record<string, unknown>> | undefined = DICT_METHODS[name];
    return Object.prototype.hasOwnProperty.call(DICT_METHODS, name) && m ? new PyFunc(name, (a, k) => m(obj, a, k)) : undefined;
  }
  return undefined;
}
