// Helpers shared by the filters: argument coercion and Jinja's attribute getter.

import { TemplateFault } from '../fault.js';
import { hasKey, isMapping, isNumber, num, textOf, typeName } from '../py-types.js';
import { pyStr } from '../py-repr.js';
import { use } from '../render-state.js';
import { Undef } from '../undefined.js';

/** A string argument (str, Secret, !unsafe); other types are an error naming `what`. */
export function text(v: unknown, what = 'value'): string {
  const t = textOf(use(v));
  if (t === undefined) throw new TemplateFault(`${what} must be a string, not ${typeName(v)}`);
  return t;
}

/** Python's str(v) (to_text with nonstring='simplerepr'). */
export function str(v: unknown): string {
  if (v instanceof Undef) v.fail();
  return pyStr(use(v));
}

/** Python's iteration of a value, as a list: a list as is, str to characters, dict to keys, a set's items; undefined when it is not iterable. */
export function iterItems(v: unknown): unknown[] | undefined {
  if (v instanceof Undef) v.fail();
  v = use(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  if (v instanceof Set) return [...v];
  return undefined;
}

/** A list from any iterable (see iterItems); anything else is an error naming `what`. */
export function seq(v: unknown, what = 'value'): unknown[] {
  const items = iterItems(v);
  if (items === undefined) throw new TemplateFault(`${what}: '${typeName(use(v))}' object is not iterable`);
  return items;
}

export function int(v: unknown, what = 'value'): number {
  if (isNumber(v) || typeof v === 'boolean') return Math.trunc(num(v));
  const t = textOf(v);
  if (t !== undefined && /^\s*[-+]?\d+\s*$/.test(t)) return Number(t);
  throw new TemplateFault(`${what} must be an integer, not ${typeName(v)}`);
}

export function bool(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (isNumber(v)) return num(v) !== 0;
  const t = textOf(v);
  if (t !== undefined) return t.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

/** One item lookup as Jinja's environment.getitem: item first, then attribute. */
export function getItem(obj: unknown, key: string | number): unknown {
  obj = use(obj);
  if (Array.isArray(obj) || typeof obj === 'string') {
    const k = typeof key === 'number' ? key : /^-?\d+$/.test(key) ? Number(key) : undefined;
    if (k === undefined) return undefined;
    const i = k < 0 ? obj.length + k : k;
    return i >= 0 && i < obj.length ? obj[i] : undefined;
  }
  if (isMapping(obj)) {
    const k = String(key);
    return hasKey(obj, k) ? (obj[k] ?? null) : undefined;
  }
  if (obj && typeof obj === 'object') {
    const k = String(key);
    if (k in obj && !(k in Object.prototype)) return (obj as Record<string, unknown>)[k];
  }
  return undefined;
}

/**
 * Jinja's make_attrgetter: 'a.b.0' walks items (integers index lists). A missing step gives
 * `dflt` when given, else an undefined value named after the attribute.
 */
export function attrGetter(attribute: unknown, dflt?: unknown, postprocess?: (v: unknown) => unknown): (item: unknown) => unknown {
  const parts: (string | number)[] =
    typeof attribute === 'number' ? [attribute] : text(attribute, 'attribute').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item: unknown) => {
    let cur: unknown = item;
    for (const p of parts) {
      const next = getItem(cur, p);
      if (next === undefined) {
        if (dflt !== undefined) {
          cur = dflt;
          break;
        }
        return new Undef(String(attribute), `'${typeName(use(cur))} object' has no attribute '${p}'`, undefined);
      }
      cur = next;
    }
    cur = use(cur);
    return postprocess ? postprocess(cur) : cur;
  };
}

/** Lower-case strings for case-insensitive comparisons (Jinja's ignore_case). */
export function ignoreCase(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}
