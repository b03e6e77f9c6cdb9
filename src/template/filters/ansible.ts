// Ansible 2.14's own filters (plugins/filter/core.py, mathstuff.py, urls.py, urlsplit.py).

import { existsSync, realpathSync, statSync, readFileSync } from 'node:fs';
import { dirname as pathDirname, join, relative, resolve } from 'node:path';
import { homedir, userInfo } from 'node:os';
import { randomInt, createHash } from 'node:crypto';
import { defineFilter } from '../registry.js';
import { TemplateFault } from '../fault.js';
import { hasKey, hashKey, isInt, isMapping, isNumber, mkFloat, num, pyEq, pyRound, textOf, truthy, tuple, typeName } from '../py-types.js';
import { pyStr, pyRepr } from '../py-repr.js';
import { fixed } from '../py-format.js';
import { pySplit } from '../py-methods.js';
import { pyGlob } from '../../python/glob.js';
import { pyBasename, pyDirname, pyJoin, pySplitext } from '../../python/posixpath.js';
import { pyEscape } from '../../python/re.js';
import { pyShlexQuote } from '../../python/shlex.js';
import { reFindall, reSearch, reSub, matchGroup } from '../regex.js';
import { PyRandom } from '../py-random.js';
import { strftimeEpoch, strptimeDatetime, StrptimeError } from '../../python/datetime.js';
import { versionCompare } from '../versions.js';
import { flattenList } from '../flatten.js';
import { Undef } from '../undefined.js';
import { use } from '../render-state.js';
import { bool, getItem, seq, str } from './util.js';

// ---------------------------------------------------------------------------------------------
// Types and logic

defineFilter('bool', ['a'], (a: unknown) => {
  if (a === null || a === undefined || typeof a === 'boolean') return a ?? null;
  if (isNumber(a)) return num(a) === 1;
  const t = textOf(a);
  if (t !== undefined) return ['yes', 'on', '1', 'true'].includes(t.toLowerCase());
  return false;
});

defineFilter('ternary', ['value', 'true_val', 'false_val', 'none_val'], (value: unknown, t: unknown, f: unknown, n: unknown = null) => {
  if ((value === null || value === undefined) && n !== null && n !== undefined) return n;
  return truthy(value) ? t : f;
});

defineFilter(
  'mandatory',
  ['a', 'msg'],
  (a: unknown, msg: unknown = null) => {
    if (a instanceof Undef) {
      if (msg !== null && msg !== undefined) throw new TemplateFault(str(msg), { kind: 'undefined' });
      throw new TemplateFault(`Mandatory variable '${a.name}' not defined.`, { kind: 'undefined', hint: `define ${a.name}` });
    }
    return a;
  },
  { undefOk: true },
);

defineFilter('type_debug', ['o'], (o: unknown) => typeName(o));

// ---------------------------------------------------------------------------------------------
// Dicts and lists

/** Ansible's merge_hash(x, y, recursive, list_merge): y wins. */
export function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(listMerge)) {
    throw new TemplateFault("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'");
  }
  if (!isMapping(x) || !isMapping(y)) throw new TemplateFault(`failed to combine variables, expected dicts but got a '${typeName(x)}' and a '${typeName(y)}'`);
  if (Object.keys(x).length === 0 || pyEq(x, y)) return { ...y };
  const out: Record<string, unknown> = { ...x };
  if (!recursive && listMerge === 'replace') return Object.assign(out, y);
  for (const key of Object.keys(y)) {
    const yv = y[key];
    if (!hasKey(out, key)) {
      out[key] = yv;
      continue;
    }
    const xv = out[key];
    if (isMapping(xv) && isMapping(yv)) {
      out[key] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
      continue;
    }
    if (Array.isArray(xv) && Array.isArray(yv)) {
      const notIn = (list: unknown[], other: unknown[]) => list.filter((z) => !other.some((o) => pyEq(o, z)));
      if (listMerge === 'replace') out[key] = yv;
      else if (listMerge === 'append') out[key] = [...xv, ...yv];
      else if (listMerge === 'prepend') out[key] = [...yv, ...xv];
      else if (listMerge === 'append_rp') out[key] = [...notIn(xv, yv), ...yv];
      else if (listMerge === 'prepend_rp') out[key] = [...yv, ...notIn(xv, yv)];
      continue;
    }
    out[key] = yv;
  }
  return out;
}

defineFilter(
  'combine',
  [],
  (terms: unknown[], kwargs: Record<string, unknown>) => {
    const { recursive = false, list_merge: listMerge = 'replace', ...rest } = kwargs;
    if (Object.keys(rest).length) throw new TemplateFault("'recursive' and 'list_merge' are the only valid keyword arguments");
    const dicts = flattenList(terms, 1, false);
    for (const d of dicts) if (d instanceof Undef) d.fail();
    if (!dicts.length) return {};
    if (dicts.length === 1) return dicts[0];
    let result = dicts[dicts.length - 1] as Record<string, unknown>;
    for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i] as Record<string, unknown>, result, bool(recursive), str(listMerge));
    return result;
  },
  { rest: true, kwargs: true },
);

defineFilter('dict2items', ['mydict', 'key_name', 'value_name'], (d: unknown, keyName: unknown = 'key', valueName: unknown = 'value') => {
  if (!isMapping(d)) throw new TemplateFault(`dict2items requires a dictionary, got ${typeName(d)} instead.`);
  return Object.keys(d).map((k) => ({ [str(keyName)]: k, [str(valueName)]: d[k] }));
});

defineFilter('items2dict', ['mylist', 'key_name', 'value_name'], (l: unknown, keyName: unknown = 'key', valueName: unknown = 'value') => {
  if (!Array.isArray(l)) throw new TemplateFault(`items2dict requires a list, got ${typeName(l)} instead.`);
  const k = str(keyName);
  const v = str(valueName);
  const out: Record<string, unknown> = {};
  for (const item of l) {
    const it = use(item);
    if (!isMapping(it)) throw new TemplateFault(`items2dict requires a list of dictionaries, got ${pyRepr(l)} instead.`);
    if (!hasKey(it, k) || !hasKey(it, v)) {
      throw new TemplateFault(`items2dict requires each dictionary in the list to contain the keys '${k}' and '${v}', got ${pyRepr(l)} instead.`);
    }
    out[pyStr(use(it[k]))] = it[v];
  }
  return out;
});

defineFilter('dict', ['value'], (v: unknown) => {
  if (isMapping(v)) return { ...v };
  const out: Record<string, unknown> = {};
  for (const pair of seq(v)) {
    const p = use(pair);
    if (!Array.isArray(p) || p.length !== 2) throw new TemplateFault('dict() needs a list of (key, value) pairs');
    out[pyStr(use(p[0]))] = p[1];
  }
  return out;
});
defineFilter('keys', ['value'], (v: unknown) => {
  if (!isMapping(v)) throw new TemplateFault(`keys needs a dict, not ${typeName(v)}`);
  return Object.keys(v);
});
defineFilter('values', ['value'], (v: unknown) => {
  if (!isMapping(v)) throw new TemplateFault(`values needs a dict, not ${typeName(v)}`);
  return Object.keys(v).map((k) => v[k]);
});

defineFilter('flatten', ['mylist', 'levels', 'skip_nulls'], (l: unknown, levels: unknown = null, skipNulls: unknown = true) =>
  flattenList(seq(l), levels === null || levels === undefined ? undefined : num(levels), bool(skipNulls)),
);

defineFilter('extract', ['item', 'container', 'morekeys'], (item: unknown, container: unknown, morekeys: unknown = null) => {
  const keys = morekeys === null || morekeys === undefined ? [item] : Array.isArray(morekeys) ? [item, ...morekeys] : [item, morekeys];
  let value: unknown = container;
  for (const k of keys) {
    const key = use(k);
    const next = getItem(value, isNumber(key) ? num(key) : pyStr(key));
    if (next === undefined) return new Undef(pyStr(key), `'${typeName(use(value))} object' has no attribute '${pyStr(key)}'`, undefined);
    value = next;
  }
  return value;
});

defineFilter('subelements', ['obj', 'subelements', 'skip_missing'], (obj: unknown, sub: unknown, skipMissing: unknown = false) => {
  const elements = Array.isArray(obj) ? obj : isMapping(obj) ? Object.values(obj) : undefined;
  if (!elements) throw new TemplateFault('obj must be a list of dicts or a nested dict');
  const path = Array.isArray(sub) ? sub.map((s) => str(s)) : typeof sub === 'string' ? sub.split('.') : undefined;
  if (!path) throw new TemplateFault('subelements must be a list or a string');
  const out: unknown[] = [];
  for (const el of elements) {
    let values: unknown = use(el);
    let skip = false;
    for (const p of path) {
      if (isMapping(values) && hasKey(values, p)) values = use(values[p]);
      else if (bool(skipMissing)) {
        skip = true;
        break;
      } else if (!isMapping(values)) throw new TemplateFault(`the key ${p} should point to a dictionary, got '${pyStr(values)}'`);
      else throw new TemplateFault(`could not find '${p}' key in iterated item ${pyRepr(values)}`);
    }
    if (skip) continue;
    if (!Array.isArray(values)) throw new TemplateFault(`the key '${path.join('.')}' should point to a list, got ${pyRepr(values)}`);
    for (const v of values) out.push(tuple([el, v]));
  }
  return out;
});

defineFilter('rekey_on_member', ['data', 'key', 'duplicates'], (data: unknown, key: unknown, duplicates: unknown = 'error') => {
  if (duplicates !== 'error' && duplicates !== 'overwrite') throw new TemplateFault(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(duplicates)}`);
  const items = isMapping(data) ? Object.values(data) : Array.isArray(data) ? data : undefined;
  if (!items) throw new TemplateFault('Type is not a valid list, set, or dict');
  const k = str(key);
  const out: Record<string, unknown> = {};
  for (const it of items) {
    const item = use(it);
    if (!isMapping(item)) throw new TemplateFault('List item is not a valid dict');
    if (!hasKey(item, k)) throw new TemplateFault(`Key ${k} was not found`);
    const nk = pyStr(use(item[k]));
    if (hasKey(out, nk) && truthy(out[nk]) && duplicates === 'error') throw new TemplateFault(`Key ${nk} is not unique, cannot correctly turn into dict`);
    out[nk] = item;
  }
  return out;
});

// Set operations keep the order of the first list, as Ansible's do for lists.
function uniqueList(l: unknown[]): unknown[] {
  const seen = new Set<string>();
  return l.filter((x) => {
    const k = hashKey(use(x));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
const inList = (x: unknown, l: unknown[]) => l.some((y) => pyEq(use(y), use(x)));
defineFilter('intersect', ['a', 'b'], (a: unknown, b: unknown) => uniqueList(seq(a).filter((x) => inList(x, seq(b)))));
defineFilter('difference', ['a', 'b'], (a: unknown, b: unknown) => uniqueList(seq(a).filter((x) => !inList(x, seq(b)))));
defineFilter('union', ['a', 'b'], (a: unknown, b: unknown) => uniqueList([...seq(a), ...seq(b)]));
defineFilter('symmetric_difference', ['a', 'b'], (a: unknown, b: unknown) => {
  const isect = seq(a).filter((x) => inList(x, seq(b)));
  return uniqueList([...seq(a), ...seq(b)]).filter((x) => !inList(x, isect));
});

defineFilter('zip', [], (lists: unknown[]) => {
  const ls = lists.map((l) => seq(l));
  const n = ls.length ? Math.min(...ls.map((l) => l.length)) : 0;
  return Array.from({ length: n }, (_, i) => tuple(ls.map((l) => l[i])));
}, { rest: true });
defineFilter('zip_longest', [], (lists: unknown[], kw: Record<string, unknown>) => {
  const ls = lists.map((l) => seq(l));
  const fill = kw.fillvalue ?? null;
  const n = ls.length ? Math.max(...ls.map((l) => l.length)) : 0;
  return Array.from({ length: n }, (_, i) => tuple(ls.map((l) => (i < l.length ? l[i] : fill))));
}, { rest: true, kwargs: true });
defineFilter('product', [], (lists: unknown[], kw: Record<string, unknown>) => {
  const repeat = kw.repeat === undefined ? 1 : num(kw.repeat);
  const pools: unknown[][] = [];
  for (let r = 0; r < repeat; r++) for (const l of lists) pools.push(seq(l));
  return pools.reduce<unknown[][]>((acc, pool) => acc.flatMap((a) => pool.map((x) => [...a, x])), [[]]).map((t) => tuple(t));
}, { rest: true, kwargs: true });
defineFilter('permutations', ['iterable', 'r'], (it: unknown, r: unknown = null) => {
  const pool = seq(it);
  const k = r === null || r === undefined ? pool.length : num(r);
  const out: unknown[] = [];
  const rec = (prefix: number[]) => {
    if (prefix.length === k) {
      out.push(tuple(prefix.map((i) => pool[i])));
      return;
    }
    for (let i = 0; i < pool.length; i++) if (!prefix.includes(i)) rec([...prefix, i]);
  };
  if (k <= pool.length) rec([]);
  return out;
});
defineFilter('combinations', ['iterable', 'r'], (it: unknown, r: unknown) => {
  const pool = seq(it);
  const k = num(r);
  const out: unknown[] = [];
  const rec = (start: number, prefix: unknown[]) => {
    if (prefix.length === k) {
      out.push(tuple([...prefix]));
      return;
    }
    for (let i = start; i < pool.length; i++) rec(i + 1, [...prefix, pool[i]]);
  };
  if (k <= pool.length) rec(0, []);
  return out;
});

// ---------------------------------------------------------------------------------------------
// Numbers

defineFilter('log', ['x', 'base'], (x: unknown, base: unknown = Math.E) => {
  const b = num(base);
  return mkFloat(b === 10 ? Math.log10(num(x)) : Math.log(num(x)) / Math.log(b));
});
defineFilter('pow', ['x', 'y'], (x: unknown, y: unknown) => mkFloat(num(x) ** num(y)));
defineFilter('root', ['x', 'base'], (x: unknown, base: unknown = 2) => {
  const b = num(base);
  if (num(x) < 0 && b === 2) throw new TemplateFault('root() can only be used on numbers: math domain error');
  return mkFloat(b === 2 ? Math.sqrt(num(x)) : num(x) ** (1 / b));
});

const SIZE_RANGES: [string, number][] = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

defineFilter('human_readable', ['size', 'isbits', 'unit'], (size: unknown, isbits: unknown = false, unit: unknown = null) => {
  if (!isNumber(size) && typeof size !== 'boolean') throw new TemplateFault(`human_readable() failed on bad input: '>=' not supported between instances of '${typeName(size)}' and 'int'`);
  const n = num(size);
  const base = bool(isbits) ? 'bits' : 'Bytes';
  let suffix = '';
  let limit = 1;
  for ([suffix, limit] of SIZE_RANGES) {
    if ((unit === null || unit === undefined) && n >= limit) break;
    if (unit !== null && unit !== undefined && str(unit).toUpperCase() === suffix[0]) break;
  }
  suffix = limit !== 1 ? suffix + base[0] : base;
  return `${fixed(n / limit, 2)} ${suffix}`;
});

defineFilter('human_to_bytes', ['size', 'default_unit', 'isbits'], (size: unknown, defaultUnit: unknown = null, isbits: unknown = false) => {
  const s = pyStr(use(size));
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(s);
  const numText = m?.[1] ?? '';
  if (!numText || numText === '.') throw new TemplateFault(`human_to_bytes() can't interpret following string: ${s}`);
  const n = Number(numText);
  let unit = m?.[2] ?? (defaultUnit === null || defaultUnit === undefined ? undefined : str(defaultUnit));
  if (unit === undefined) return Math.round(pyRound(n, 0));
  const rangeKey = unit[0]!.toUpperCase();
  const limit = SIZE_RANGES.find(([k]) => k === rangeKey)?.[1];
  if (limit === undefined) throw new TemplateFault(`human_to_bytes() can't interpret following string: ${s}`);
  const unitClass = bool(isbits) ? 'b' : 'B';
  const unitClassName = bool(isbits) ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(unitClassName) && unit[1] !== unitClass) {
    throw new TemplateFault(`human_to_bytes() can't interpret following string: ${s}`);
  }
  return pyRound(n * limit, 0);
});

defineFilter('version_compare', ['value', 'version', 'operator', 'strict', 'version_type'], (v: unknown, version: unknown, op: unknown = 'eq', strict: unknown = null, vt: unknown = null) =>
  versionCompare(str(v), str(version), str(op), strict === null ? null : bool(strict), vt === null ? null : str(vt)),
);

// ---------------------------------------------------------------------------------------------
// Randomness

defineFilter('random', ['end', 'start', 'step', 'seed'], (end: unknown, start: unknown = null, step: unknown = null, seed: unknown = null) => {
  const r = seed === null || seed === undefined ? undefined : new PyRandom(seedOf(seed));
  if (isInt(end) || typeof end === 'boolean') {
    const a = start === null || start === undefined || !truthy(start) ? 0 : num(start);
    const st = step === null || step === undefined || !truthy(step) ? 1 : num(step);
    const e = num(end);
    if (r) return r.randrange(a, e, st);
    const n = st > 0 ? Math.ceil((e - a) / st) : Math.ceil((e - a) / st);
    if (n <= 0) throw new TemplateFault(`empty range for randrange() (${a}, ${e}, ${e - a})`);
    return a + st * randomInt(n);
  }
  const items = typeof end === 'string' ? [...end] : Array.isArray(end) ? end : isMapping(end) ? Object.keys(end) : undefined;
  if (!items) throw new TemplateFault('random can only be used on sequences and integers');
  if ((start !== null && start !== undefined && truthy(start)) || (step !== null && step !== undefined && truthy(step))) throw new TemplateFault('start and step can only be used with integer values');
  if (!items.length) throw new TemplateFault('Cannot choose from an empty sequence');
  return r ? r.choice(items) : items[randomInt(items.length)];
});

function seedOf(seed: unknown): string | number {
  if (typeof seed === 'string') return seed;
  if (isNumber(seed)) return num(seed);
  if (typeof seed === 'boolean') return seed ? 1 : 0;
  return pyStr(seed);
}

defineFilter('shuffle', ['mylist', 'seed'], (l: unknown, seed: unknown = null) => {
  const items = [...seq(l)];
  if (seed !== null && seed !== undefined && truthy(seed)) return new PyRandom(seedOf(seed)).shuffle(items);
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
});

// ---------------------------------------------------------------------------------------------
// Strings and regular expressions

defineFilter('split', ['value', 'sep', 'maxsplit'], (v: unknown, sep: unknown = null, maxsplit: unknown = -1) => pySplit(str(v), sep, num(maxsplit)));

defineFilter('regex_replace', ['value', 'pattern', 'replacement', 'ignorecase', 'multiline'], (v: unknown = '', pattern: unknown = '', replacement: unknown = '', ic: unknown = false, ml: unknown = false) =>
  reSub(str(pattern), str(replacement), str(v), { ignorecase: bool(ic), multiline: bool(ml) }),
);

defineFilter('regex_findall', ['value', 'regex', 'multiline', 'ignorecase'], (v: unknown, regex: unknown, ml: unknown = false, ic: unknown = false) =>
  reFindall(str(regex), str(v), { ignorecase: bool(ic), multiline: bool(ml) }),
);

defineFilter(
  'regex_search',
  ['value', 'regex'],
  (v: unknown, regex: unknown, args: unknown[], kwargs: Record<string, unknown>) => {
    const groups: (number | string)[] = args.map((a) => {
      const s = str(a);
      const named = /^\\g<(\S+)>/.exec(s);
      if (s.startsWith('\\g') && named) return named[1]!;
      const numbered = /^\\(\d+)/.exec(s);
      if (numbered) return Number(numbered[1]);
      throw new TemplateFault('Unknown argument');
    });
    const m = reSearch(str(regex), str(v), { ignorecase: bool(kwargs.ignorecase), multiline: bool(kwargs.multiline) });
    if (!m) return null;
    if (!groups.length) return m[0];
    return groups.map((g) => matchGroup(m, g));
  },
  { rest: true, kwargs: true },
);

defineFilter('regex_escape', ['string', 're_type'], (v: unknown, reType: unknown = 'python') => {
  const s = str(v);
  if (reType === 'python') return pyEscape(s);
  if (reType === 'posix_basic') return reSub('([].[^$*\\\\])', '\\\\\\1', s);
  if (reType === 'posix_extended') throw new TemplateFault(`Regex type (${str(reType)}) not yet implemented`);
  throw new TemplateFault(`Invalid regex type (${str(reType)})`);
});

defineFilter('quote', ['a'], (a: unknown) => pyShlexQuote(a === null || a === undefined ? '' : str(a)));

defineFilter('b64encode', ['string', 'encoding'], (v: unknown, enc: unknown = 'utf-8') => Buffer.from(str(v), nodeEncoding(enc)).toString('base64'));
defineFilter('b64decode', ['string', 'encoding'], (v: unknown, enc: unknown = 'utf-8') => Buffer.from(str(v), 'base64').toString(nodeEncoding(enc)));
function nodeEncoding(enc: unknown): BufferEncoding {
  const e = str(enc).toLowerCase().replace(/[-_]/g, '');
  const map: Record<string, BufferEncoding> = { utf8: 'utf8', utf16le: 'utf16le', utf16: 'utf16le', latin1: 'latin1', iso88591: 'latin1', ascii: 'ascii' };
  const r = map[e];
  if (!r) throw new TemplateFault(`unknown encoding: ${str(enc)}`);
  return r;
}

defineFilter('to_uuid', ['string', 'namespace'], (v: unknown, ns: unknown = '361E6D51-FAEC-444A-9079-341386DA8E2E') => {
  const nsHex = str(ns).replace(/[{}-]/g, '').replace(/^urn:uuid:/i, '');
  if (!/^[0-9a-fA-F]{32}$/.test(nsHex)) throw new TemplateFault(`Invalid value '${str(ns)}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash('sha1').update(Buffer.from(nsHex, 'hex')).update(Buffer.from(str(v), 'utf8')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
});

defineFilter('comment', ['text', 'style'], (t: unknown, style: unknown = 'plain', kw: Record<string, unknown>) => {
  const styles: Record<string, Record<string, string>> = {
    plain: { decoration: '# ' },
    erlang: { decoration: '% ' },
    c: { decoration: '// ' },
    cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
    xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
  };
  const sp = styles[str(style)];
  if (!sp) throw new TemplateFault(`unknown comment style '${str(style)}'`);
  const prepostfix = 'decoration' in kw ? str(kw.decoration) : sp.decoration!;
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: prepostfix.trimEnd(), prefix_count: 1, decoration: '', postfix: prepostfix.trimEnd(), postfix_count: 1, end: '', ...sp, ...kw };
  const nl = str(p.newline);
  const deco = str(p.decoration);
  const begin = p.beginning ? `${str(p.beginning)}${nl}` : '';
  let prefix = '';
  if (p.prefix) prefix = (str(p.prefix) !== nl ? `${str(p.prefix)}${nl}` : nl).repeat(num(p.prefix_count));
  const body = `${deco}${str(t).split(nl).join(nl + deco)}`.split(deco + nl).join(deco.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: num(p.postfix_count) }, () => str(p.postfix))].join(nl);
  const end = p.end ? `${nl}${str(p.end)}` : '';
  return `${begin}${prefix}${body}${postfix}${end}`;
}, { kwargs: true });

// ---------------------------------------------------------------------------------------------
// Dates

defineFilter('to_datetime', ['string', 'format'], (s: unknown, fmt: unknown = '%Y-%m-%d %H:%M:%S') => {
  try {
    return strptimeDatetime(str(s), str(fmt));
  } catch (e) {
    throw e instanceof StrptimeError ? new TemplateFault(e.message) : e;
  }
});
defineFilter('strftime', ['string_format', 'second', 'utc'], (fmt: unknown, second: unknown = null, utc: unknown = false) => {
  let secs: number;
  if (second === null || second === undefined) secs = Date.now() / 1000;
  else {
    secs = isNumber(second) ? num(second) : Number(str(second));
    if (Number.isNaN(secs)) throw new TemplateFault(`Invalid value for epoch value (${pyStr(second)})`);
  }
  return strftimeEpoch(str(fmt), secs, bool(utc));
});

// ---------------------------------------------------------------------------------------------
// Paths (os.path on the control node)

function expanduser(p: string): string {
  if (!p.startsWith('~')) return p;
  const i = p.indexOf('/', 1);
  const user = p.slice(1, i < 0 ? undefined : i);
  let home: string | undefined;
  if (!user) home = process.env.HOME ?? homedir();
  else if (user === userInfo().username) home = homedir();
  else {
    try {
      const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === user);
      home = line?.split(':')[5];
    } catch {
      home = undefined;
    }
  }
  if (home === undefined) return p;
  home = home.replace(/\/+$/, '') || '/';
  return home + (i < 0 ? '' : p.slice(i));
}
function realpath(p: string): string {
  const abs = resolve(p);
  let head = abs;
  const tail: string[] = [];
  while (head !== '/' && !existsSync(head)) {
    tail.unshift(head.slice(head.lastIndexOf('/') + 1));
    head = pathDirname(head);
  }
  return join(realpathSync(head), ...tail);
}

defineFilter('basename', ['path'], (p: unknown) => pyBasename(str(p)));
defineFilter('dirname', ['path'], (p: unknown) => pyDirname(str(p)));
defineFilter('expanduser', ['path'], (p: unknown) => expanduser(str(p)));
defineFilter('expandvars', ['path'], (p: unknown) =>
  str(p).replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const n = name.startsWith('{') ? name.slice(1, -1) : name;
    return process.env[n] ?? m;
  }),
);
defineFilter('realpath', ['path'], (p: unknown) => realpath(str(p)));
defineFilter('relpath', ['path', 'start'], (p: unknown, start: unknown = '.') => relative(resolve(str(start)), resolve(str(p))) || '.');
defineFilter('splitext', ['path'], (p: unknown) => tuple(pySplitext(str(p))));
defineFilter('path_join', ['paths'], (p: unknown) => {
  if (typeof p === 'string') return p;
  if (!Array.isArray(p)) throw new TemplateFault(`|path_join expects string or sequence, got ${typeName(p)} instead.`);
  const parts = p.map((x) => str(x));
  return pyJoin(parts[0] ?? '', ...parts.slice(1));
});
defineFilter('win_basename', ['path'], (p: unknown) => str(p).split(/[\\/]/).pop() ?? '');
defineFilter('win_dirname', ['path'], (p: unknown) => {
  const s = str(p);
  const i = Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/'));
  return i < 0 ? '' : s.slice(0, i).replace(/[\\/]+$/, '') || s.slice(0, i + 1);
});
defineFilter('win_splitdrive', ['path'], (p: unknown) => {
  const s = str(p);
  const m = /^([A-Za-z]:)(.*)$/s.exec(s);
  return tuple(m ? [m[1], m[2]] : ['', s]);
});
defineFilter('fileglob', ['pathname'], (p: unknown) => {
  return pyGlob(resolve(str(p))).filter((f) => statSync(f).isFile());
});

// ---------------------------------------------------------------------------------------------
// URLs

/** Python's urllib.parse.urlsplit, as Ansible's urlsplit filter returns it. */
function urlsplit(url: string): Record<string, unknown> {
  let rest = url;
  let scheme = '';
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  let fragment = '';
  const h = rest.indexOf('#');
  if (h >= 0) {
    fragment = rest.slice(h + 1);
    rest = rest.slice(0, h);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  let username: string | null = null;
  let password: string | null = null;
  if (userinfo !== undefined) {
    const c = userinfo.indexOf(':');
    username = c >= 0 ? userinfo.slice(0, c) : userinfo;
    password = c >= 0 ? userinfo.slice(c + 1) : null;
  }
  let hostname: string | null;
  let port: number | null = null;
  const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostport);
  if (v6) {
    hostname = v6[1]!.toLowerCase();
    if (v6[2]) port = Number(v6[2]);
  } else {
    const c = hostport.lastIndexOf(':');
    hostname = (c >= 0 ? hostport.slice(0, c) : hostport).toLowerCase();
    if (c >= 0 && hostport.slice(c + 1)) port = Number(hostport.slice(c + 1));
  }
  if (!hostname) hostname = null;
  return { fragment, hostname, netloc, password, path: rest, port, query, scheme, username };
}
defineFilter('urlsplit', ['value', 'query'], (v: unknown, query: unknown = '') => {
  const r = urlsplit(str(v));
  const q = str(query);
  if (!q) return r;
  if (!(q in r)) throw new TemplateFault(`urlsplit: unknown URL component: ${q}`);
  return r[q];
});
defineFilter('urldecode', ['string'], (v: unknown) => {
  try {
    return decodeURIComponent(str(v).replace(/\+/g, ' '));
  } catch {
    return str(v);
  }
});

