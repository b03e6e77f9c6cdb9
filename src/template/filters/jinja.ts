// Jinja2 3.1's built-in filters, with Python's semantics.

import { defineFilter } from '../registry.js';
import { TemplateFault } from '../fault.js';
import {
  PyFloat,
  hashKey,
  isFloat,
  isInt,
  isMapping,
  isNumber,
  mkFloat,
  num,
  pyCmp,
  pyRound,
  textOf,
  truthy,
  tuple,
  typeName,
} from '../py-types.js';
import { pyRepr, pyStr } from '../py-repr.js';
import { percentFormat, fixed } from '../py-format.js';
import { methodOf, pyCapitalize } from '../py-methods.js';
import { jsonDump } from '../py-json.js';
import { Undef } from '../undefined.js';
import { Kwargs, rt } from '../runtime.js';
import { use } from '../render-state.js';
import { pySplitlines } from '../../python/str.js';
import { attrGetter, bool, ignoreCase, seq, str, text } from './util.js';

// ---------------------------------------------------------------------------------------------
// Undefined-aware and type filters

defineFilter(
  ['default', 'd'],
  ['value', 'default_value', 'boolean'],
  (value: unknown, dflt: unknown = '', boolean: unknown = false) => {
    if (value instanceof Undef) return dflt;
    if (bool(boolean) && !truthy(value)) return dflt;
    return value;
  },
  { undefOk: true },
);

defineFilter(['length', 'count'], ['value'], (value: unknown) => {
  value = use(value);
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isMapping(value)) return Object.keys(value).length;
  throw new TemplateFault(`object of type '${typeName(value)}' has no len()`);
});

/** Python's int() of a string in a base; undefined when it is not a valid literal. */
export function parseIntText(s: string, base: number): number | undefined {
  if (!Number.isInteger(base) || base === 1 || base < 0 || base > 36) return undefined;
  let t = s.trim().replace(/_/g, '');
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const prefixes: Record<number, RegExp> = { 16: /^0[xX]/, 8: /^0[oO]/, 2: /^0[bB]/ };
  if (base === 0) {
    if (/^0[xX]/.test(t)) return parseIntText(s.replace(/0[xX]/, ''), 16);
    if (/^0[oO]/.test(t)) return parseIntText(s.replace(/0[oO]/, ''), 8);
    if (/^0[bB]/.test(t)) return parseIntText(s.replace(/0[bB]/, ''), 2);
    base = 10;
  } else if (prefixes[base]?.test(t)) t = t.slice(2);
  if (!t) return undefined;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  for (const ch of t.toLowerCase()) if (!digits.includes(ch)) return undefined;
  return sign * parseInt(t, base);
}

/** Python's float() of a string, or undefined. */
export function parseFloatText(s: string): number | undefined {
  const t = s.trim().replace(/(\d)_(?=\d)/g, '$1');
  if (/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(t)) return Number(t);
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(t)) return NaN;
  return undefined;
}

defineFilter('int', ['value', 'default', 'base'], (value: unknown, dflt: unknown = 0, base: unknown = 10) => {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) return Math.trunc(num(value));
  const t = textOf(value);
  if (t !== undefined) {
    const i = parseIntText(t, num(base));
    if (i !== undefined) return i;
    const f = parseFloatText(t);
    if (f !== undefined && Number.isFinite(f)) return Math.trunc(f);
  }
  return dflt;
});

defineFilter('float', ['value', 'default'], (value: unknown, dflt: unknown = new PyFloat(0)) => {
  if (typeof value === 'boolean') return new PyFloat(value ? 1 : 0);
  if (isNumber(value)) return mkFloat(num(value));
  const t = textOf(value);
  if (t !== undefined) {
    const f = parseFloatText(t);
    if (f !== undefined) return mkFloat(f);
  }
  return dflt;
});

defineFilter('abs', ['value'], (value: unknown) => {
  if (!isNumber(value) && typeof value !== 'boolean') throw new TemplateFault(`bad operand type for abs(): '${typeName(value)}'`);
  return isFloat(value) ? mkFloat(Math.abs(num(value))) : Math.abs(num(value));
});

defineFilter('round', ['value', 'precision', 'method'], (value: unknown, precision: unknown = 0, method: unknown = 'common') => {
  if (!isNumber(value) && typeof value !== 'boolean') throw new TemplateFault(`type ${typeName(value)} doesn't define __round__ method`);
  const p = num(precision);
  const x = num(value);
  if (method === 'common') {
    const r = pyRound(x, p);
    return isInt(value) || typeof value === 'boolean' ? r : mkFloat(r);
  }
  if (method !== 'ceil' && method !== 'floor') throw new TemplateFault('method must be common, ceil or floor');
  const f = method === 'ceil' ? Math.ceil : Math.floor;
  return mkFloat(f(x * 10 ** p) / 10 ** p);
});

defineFilter('string', ['value'], (value: unknown) => str(value));

defineFilter('list', ['value'], (value: unknown) => [...seq(value)]);

defineFilter('items', ['value'], (value: unknown) => {
  if (value instanceof Undef) return [];
  if (!isMapping(value)) throw new TemplateFault(`can only get item pairs from a mapping, not ${typeName(value)}`);
  return Object.keys(value).map((k) => tuple([k, value[k]]));
}, { undefOk: true });

// ---------------------------------------------------------------------------------------------
// Strings

defineFilter('upper', ['value'], (v: unknown) => str(v).toUpperCase());
defineFilter('lower', ['value'], (v: unknown) => str(v).toLowerCase());
defineFilter('capitalize', ['value'], (v: unknown) => pyCapitalize(str(v)));
defineFilter('title', ['value'], (v: unknown) =>
  str(v)
    .split(/([-\s({[<]+)/)
    .filter((x) => x)
    .map((x) => x[0]!.toUpperCase() + x.slice(1).toLowerCase())
    .join(''),
);
defineFilter('trim', ['value', 'chars'], (v: unknown, chars: unknown = null) => {
  const s = str(v);
  if (chars === null || chars === undefined) return s.replace(/^\s+|\s+$/g, '');
  const set = text(chars, 'chars');
  let a = 0;
  let b = s.length;
  while (a < b && set.includes(s[a]!)) a++;
  while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
});
defineFilter('replace', ['s', 'old', 'new', 'count'], (v: unknown, old: unknown, rep: unknown, count: unknown = null) => {
  const s = str(v);
  const o = str(old);
  const n = str(rep);
  const c = count === null || count === undefined ? -1 : num(count);
  if (c < 0) return o === '' ? [...s].map((ch) => n + ch).join('') + n : s.split(o).join(n);
  const parts = s.split(o);
  if (parts.length - 1 <= c) return parts.join(n);
  return parts.slice(0, c + 1).join(n) + o + parts.slice(c + 1).join(o);
});
defineFilter('center', ['value', 'width'], (v: unknown, width: unknown = 80) => {
  const s = str(v);
  const w = num(width);
  if (s.length >= w) return s;
  const total = w - s.length;
  const left = Math.floor(total / 2) + (total & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(total - left);
});
defineFilter('indent', ['s', 'width', 'first', 'blank'], (v: unknown, width: unknown = 4, first: unknown = false, blank: unknown = false) => {
  const indention = typeof width === 'string' ? width : ' '.repeat(num(width));
  const s = `${str(v)}\n`;
  const lines = pySplitlines(s);
  let rv: string;
  if (bool(blank)) rv = lines.join(`\n${indention}`);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += `\n${lines.map((l) => (l ? indention + l : l)).join('\n')}`;
  }
  return bool(first) ? indention + rv : rv;
});
defineFilter('truncate', ['s', 'length', 'killwords', 'end', 'leeway'], (v: unknown, length: unknown = 255, killwords: unknown = false, end: unknown = '...', leeway: unknown = 5) => {
  const s = str(v);
  const n = num(length);
  const e = str(end);
  const lw = leeway === null || leeway === undefined ? 5 : num(leeway);
  if (n < e.length) throw new TemplateFault(`expected length >= ${e.length}, got ${n}`);
  if (s.length <= n + lw) return s;
  if (bool(killwords)) return s.slice(0, n - e.length) + e;
  const cut = s.slice(0, n - e.length);
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + e;
});
defineFilter('wordcount', ['s'], (v: unknown) => (str(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length);
defineFilter('wordwrap', ['s', 'width', 'break_long_words', 'wrapstring', 'break_on_hyphens'], (v: unknown, width: unknown = 79, breakLong: unknown = true, wrapstring: unknown = null, _hyphens: unknown = true) => {
  const wrap = wrapstring === null || wrapstring === undefined ? '\n' : str(wrapstring);
  return pySplitlines(str(v))
    .map((line) => textwrap(line, num(width), bool(breakLong)).join(wrap))
    .join(wrap);
});
defineFilter('striptags', ['value'], (v: unknown) =>
  htmlUnescape(
    str(v)
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[\s\S]*?>/g, '')
      .split(/\s+/)
      .filter(Boolean)
      .join(' '),
  ),
);
const htmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
defineFilter(['escape', 'e', 'forceescape'], ['value'], (v: unknown) => htmlEscape(str(v)));
defineFilter('safe', ['value'], (v: unknown) => v);
defineFilter('format', ['value'], (v: unknown, args: unknown[], kwargs: Record<string, unknown>) => {
  if (args.length && Object.keys(kwargs).length) throw new TemplateFault("can't handle positional and keyword arguments at the same time");
  return percentFormat(str(v), Object.keys(kwargs).length ? kwargs : tuple([...args]));
}, { rest: true, kwargs: true });
defineFilter('urlencode', ['value'], (v: unknown) => {
  v = use(v);
  const q = (x: unknown, forQs: boolean) => {
    const s = encodeURIComponent(pyStr(use(x))).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return forQs ? s.replace(/%20/g, '+') : s.replace(/%2F/g, '/');
  };
  if (typeof v === 'string') return q(v, false);
  if (isMapping(v)) return Object.keys(v).map((k) => `${q(k, true)}=${q(v[k], true)}`).join('&');
  if (Array.isArray(v)) return v.map((p) => (Array.isArray(p) ? `${q(p[0], true)}=${q(p[1], true)}` : q(p, true))).join('&');
  return q(v, false);
});
defineFilter('xmlattr', ['d', 'autospace'], (d: unknown, autospace: unknown = true) => {
  if (!isMapping(d)) throw new TemplateFault('xmlattr needs a mapping');
  const rv = Object.keys(d)
    .filter((k) => d[k] !== null && d[k] !== undefined && !(d[k] instanceof Undef))
    .map((k) => `${htmlEscape(k)}="${htmlEscape(pyStr(use(d[k])))}"`)
    .join(' ');
  return bool(autospace) && rv ? ` ${rv}` : rv;
});
defineFilter('filesizeformat', ['value', 'binary'], (v: unknown, binary: unknown = false) => {
  const bytes = num(typeof v === 'string' ? Number(v) : v);
  const base = bool(binary) ? 1024 : 1000;
  const prefixes = bool(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0]!;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i]!;
    if (bytes < unit) break;
  }
  return `${fixed((base * bytes) / unit, 1)} ${prefix}`;
});
defineFilter('pprint', ['value'], (v: unknown) => pyRepr(v));
defineFilter('tojson', ['value', 'indent'], (v: unknown, indent: unknown = null) =>
  jsonDump(v, { sortKeys: true, indent: indent === null || indent === undefined ? null : num(indent) })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027'),
);
defineFilter('attr', ['obj', 'name'], (obj: unknown, name: unknown) => {
  const n = str(name);
  // Jinja's attr() reads attributes only: on a dict that is a method, never an item.
  if (isMapping(obj)) return methodOf(obj, n) ?? new Undef(n, `'dict object' has no attribute '${n}'`, undefined);
  return rt.member(obj, n, true, 'value', 0);
});

// ---------------------------------------------------------------------------------------------
// Sequences

defineFilter('first', ['seq'], (v: unknown) => {
  const s = seq(v);
  return s.length ? s[0] : new Undef('first', 'No first item, sequence was empty.', undefined);
});
defineFilter('last', ['seq'], (v: unknown) => {
  const s = seq(v);
  return s.length ? s[s.length - 1] : new Undef('last', 'No last item, sequence was empty.', undefined);
});
defineFilter('join', ['value', 'd', 'attribute'], (v: unknown, d: unknown = '', attribute: unknown = null) => {
  let items = seq(v);
  if (attribute !== null && attribute !== undefined) items = items.map(attrGetter(attribute));
  return items.map((x) => (x instanceof Undef ? x.fail() : pyStr(use(x)))).join(str(d));
});
defineFilter('reverse', ['value'], (v: unknown) => {
  v = use(v);
  if (typeof v === 'string') return [...v].reverse().join('');
  return [...seq(v)].reverse();
});

function sortKeyFn(attribute: unknown, caseSensitive: boolean): (x: unknown) => unknown {
  const post = caseSensitive ? undefined : ignoreCase;
  if (attribute === null || attribute === undefined) return (x) => (post ? post(use(x)) : use(x));
  if (typeof attribute === 'string' && attribute.includes(',')) {
    const getters = attribute.split(',').map((a) => attrGetter(a.trim(), undefined, post));
    return (x) => tuple(getters.map((g) => g(x)));
  }
  return attrGetter(attribute, undefined, post);
}

defineFilter('sort', ['value', 'reverse', 'case_sensitive', 'attribute'], (v: unknown, reverse: unknown = false, cs: unknown = false, attribute: unknown = null) => {
  const key = sortKeyFn(attribute, bool(cs));
  const items = seq(v).map((x) => ({ x, k: key(x) }));
  items.sort((a, b) => pyCmp(a.k, b.k));
  if (bool(reverse)) items.reverse();
  return items.map((i) => i.x);
});

defineFilter('dictsort', ['value', 'case_sensitive', 'by', 'reverse'], (v: unknown, cs: unknown = false, by: unknown = 'key', reverse: unknown = false) => {
  if (!isMapping(v)) throw new TemplateFault(`dictsort needs a mapping, not ${typeName(v)}`);
  const pos = by === 'key' ? 0 : by === 'value' ? 1 : (() => { throw new TemplateFault('You can only sort by either "key" or "value"'); })();
  const items = Object.keys(v).map((k) => tuple([k, v[k]]));
  const key = (p: unknown[]) => (bool(cs) ? use(p[pos]) : ignoreCase(use(p[pos])));
  items.sort((a, b) => pyCmp(key(a), key(b)));
  if (bool(reverse)) items.reverse();
  return items;
});

function unique(v: unknown, cs: unknown, attribute: unknown): unknown[] {
  const key = sortKeyFn(attribute, bool(cs));
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const x of seq(v)) {
    const k = hashKey(key(x));
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}
defineFilter('unique', ['value', 'case_sensitive', 'attribute'], (v: unknown, cs: unknown = false, attribute: unknown = null) => unique(v, cs, attribute));

function aggregate(name: string, v: unknown, cs: unknown, attribute: unknown, pick: (c: number) => boolean): unknown {
  const items = seq(v);
  if (!items.length) return new Undef(name, 'No aggregated item, sequence was empty.', undefined);
  const key = sortKeyFn(attribute, bool(cs));
  let best = items[0];
  let bestKey = key(best);
  for (const x of items.slice(1)) {
    const k = key(x);
    if (pick(pyCmp(k, bestKey))) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}
defineFilter('min', ['value', 'case_sensitive', 'attribute'], (v: unknown, cs: unknown = false, attribute: unknown = null) => aggregate('min', v, cs, attribute, (c) => c < 0));
defineFilter('max', ['value', 'case_sensitive', 'attribute'], (v: unknown, cs: unknown = false, attribute: unknown = null) => aggregate('max', v, cs, attribute, (c) => c > 0));

defineFilter('sum', ['iterable', 'attribute', 'start'], (v: unknown, attribute: unknown = null, start: unknown = 0) => {
  let items = seq(v);
  if (attribute !== null && attribute !== undefined) items = items.map(attrGetter(attribute));
  let acc: unknown = start;
  for (const x of items) acc = rt.add(acc, x);
  return acc;
});

defineFilter('batch', ['value', 'linecount', 'fill_with'], (v: unknown, linecount: unknown, fillWith: unknown = null) => {
  const n = num(linecount);
  if (n <= 0) throw new TemplateFault('batch size must be positive');
  const items = seq(v);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  const last = out[out.length - 1];
  if (fillWith !== null && fillWith !== undefined && last && last.length < n) while (last.length < n) last.push(fillWith);
  return out;
});

defineFilter('slice', ['value', 'slices', 'fill_with'], (v: unknown, slices: unknown, fillWith: unknown = null) => {
  const s = seq(v);
  const n = num(slices);
  const per = Math.floor(s.length / n);
  const extra = s.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const end = offset + (i + 1) * per;
    const tmp = s.slice(start, end);
    if (fillWith !== null && fillWith !== undefined && i >= extra) tmp.push(fillWith);
    out.push(tmp);
  }
  return out;
});

/** Jinja's groupby result: a (grouper, list) tuple also readable as .grouper / .list. */
function groupTuple(grouper: unknown, list: unknown[]): unknown[] {
  const t = tuple([grouper, list]);
  Object.defineProperty(t, 'grouper', { value: grouper, enumerable: false });
  Object.defineProperty(t, 'list', { value: list, enumerable: false });
  return t;
}

defineFilter('groupby', ['value', 'attribute', 'default', 'case_sensitive'], (v: unknown, attribute: unknown, dflt: unknown = null, cs: unknown = false) => {
  const keyOf = attrGetter(attribute, dflt === null ? undefined : dflt, bool(cs) ? undefined : ignoreCase);
  const realKey = attrGetter(attribute, dflt === null ? undefined : dflt);
  const items = seq(v).map((x) => ({ x, k: keyOf(x) }));
  for (const it of items) if (it.k instanceof Undef) it.k.fail();
  items.sort((a, b) => pyCmp(a.k, b.k));
  const out: unknown[] = [];
  let cur: { k: unknown; list: unknown[] } | undefined;
  for (const it of items) {
    if (cur && hashKey(cur.k) === hashKey(it.k)) cur.list.push(it.x);
    else {
      if (cur) out.push(groupTuple(realKey(cur.list[0]), cur.list));
      cur = { k: it.k, list: [it.x] };
    }
  }
  if (cur) out.push(groupTuple(realKey(cur.list[0]), cur.list));
  return out;
});

function callTest(name: unknown, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean {
  return rt.test(str(name), [value, ...args, ...(Object.keys(kwargs).length ? [new Kwargs(kwargs)] : [])], 0);
}

function selectOrReject(v: unknown, args: unknown[], kwargs: Record<string, unknown>, attr: boolean, keep: boolean): unknown[] {
  let get = (x: unknown) => x;
  let rest = args;
  if (attr) {
    if (!rest.length) throw new TemplateFault('Missing parameter for attribute name');
    get = attrGetter(rest[0]);
    rest = rest.slice(1);
  }
  const test = rest.length ? (x: unknown) => callTest(rest[0], x, rest.slice(1), kwargs) : (x: unknown) => truthy(x);
  return seq(v).filter((x) => test(get(x)) === keep);
}

defineFilter('select', ['value'], (v: unknown, a: unknown[], k: Record<string, unknown>) => selectOrReject(v, a, k, false, true), { rest: true, kwargs: true });
defineFilter('reject', ['value'], (v: unknown, a: unknown[], k: Record<string, unknown>) => selectOrReject(v, a, k, false, false), { rest: true, kwargs: true });
defineFilter('selectattr', ['value'], (v: unknown, a: unknown[], k: Record<string, unknown>) => selectOrReject(v, a, k, true, true), { rest: true, kwargs: true });
defineFilter('rejectattr', ['value'], (v: unknown, a: unknown[], k: Record<string, unknown>) => selectOrReject(v, a, k, true, false), { rest: true, kwargs: true });

defineFilter('map', ['value'], (v: unknown, args: unknown[], kwargs: Record<string, unknown>) => {
  const items = seq(v);
  if (!args.length && 'attribute' in kwargs) {
    const { attribute, default: dflt, ...more } = kwargs;
    if (Object.keys(more).length) throw new TemplateFault(`Unexpected keyword argument '${Object.keys(more)[0]}'`);
    const get = attrGetter(attribute, dflt === null ? undefined : dflt);
    return items.map(get);
  }
  if (!args.length) throw new TemplateFault('map requires a filter argument');
  const name = str(args[0]);
  const extra = [...args.slice(1), ...(Object.keys(kwargs).length ? [new Kwargs(kwargs)] : [])];
  return items.map((x) => rt.filter(name, [x, ...extra], 0));
}, { rest: true, kwargs: true });

// ---------------------------------------------------------------------------------------------

/** Python's textwrap.wrap(expand_tabs=False, replace_whitespace=False) for wordwrap. */
function textwrap(line: string, width: number, breakLong: boolean): string[] {
  const chunks = line.split(/(\s+)/).filter((c) => c !== '');
  chunks.reverse();
  const lines: string[] = [];
  while (chunks.length) {
    const cur: string[] = [];
    let len = 0;
    if (chunks[chunks.length - 1]!.trim() === '' && lines.length) chunks.pop();
    while (chunks.length) {
      const l = chunks[chunks.length - 1]!.length;
      if (len + l <= width) {
        cur.push(chunks.pop()!);
        len += l;
      } else break;
    }
    if (chunks.length && chunks[chunks.length - 1]!.length > width) {
      if (breakLong) {
        const space = Math.max(width - len, 1);
        const c = chunks[chunks.length - 1]!;
        cur.push(c.slice(0, space));
        chunks[chunks.length - 1] = c.slice(space);
      } else if (!cur.length) cur.push(chunks.pop()!);
    }
    if (cur.length && cur[cur.length - 1]!.trim() === '') cur.pop();
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}

function htmlUnescape(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\xa0' };
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return named[e] ?? m;
  });
}

