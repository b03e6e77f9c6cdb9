// Text of template values as Python prints them: str() for output, repr() inside containers.

import { Secret } from '../secret.js';
import { UnsafeText, VaultedText } from '../load/yaml.js';
import { PyFloat, floatRepr, isMapping, isTuple, Namespace } from './py-types.js';
import { Undef } from './undefined.js';
import { use } from './render-state.js';
import { PyDateTime } from '../python/datetime.js';

/** Python's str(v). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Secret || v instanceof VaultedText || v instanceof UnsafeText) return use(v) as string;
  if (v instanceof PyDateTime) return v.str();
  return pyRepr(v);
}

/** Python's repr(v). */
export function pyRepr(v: unknown, seen: Set<unknown> = new Set()): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof Undef) return v.fail();
  if (v instanceof Secret || v instanceof VaultedText || v instanceof UnsafeText) return strRepr(use(v) as string);
  if (typeof v === 'function') return `<function ${v.name || 'anonymous'}>`;
  if (v instanceof PyDateTime) return v.repr();
  if (typeof v !== 'object') return String(v);
  if (seen.has(v)) return Array.isArray(v) ? '[...]' : '{...}';
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      const items = v.map((x) => pyRepr(x, seen));
      if (isTuple(v)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
      return `[${items.join(', ')}]`;
    }
    if (v instanceof Namespace) return `<Namespace ${pyRepr({ ...v }, seen)}>`;
    if (isMapping(v)) {
      const parts: string[] = [];
      for (const k of Object.keys(v)) parts.push(`${strRepr(k)}: ${pyRepr(v[k], seen)}`);
      return `{${parts.join(', ')}}`;
    }
    if (v instanceof Set) return `{${[...v].map((x) => pyRepr(x, seen)).join(', ')}}`;
    return String(v);
  } finally {
    seen.delete(v);
  }
}

function intRepr(n: number): string {
  // Large integers print in full, as Python's arbitrary-precision ints do.
  if (Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

// Python's str.isprintable(): everything except categories C* and Z* (but ' ').
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Python's repr() of a str. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x7f) out += ch;
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (c < 0x100) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += `\\U${c.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}
