// Python value semantics for template values: int vs float, tuples, truthiness, ==, <, type names.
//
// Template values are plain JS data. A JS number that is an integer is a Python int; a non-integral
// number is a float; an integral float (4 / 2, 1.0, x | float) is a PyFloat, so it prints as "2.0".
// A tuple is a JS array registered in a WeakSet, so it prints as "(1, 2)".

import { types } from 'node:util';
import { Secret } from '../secret.js';
import { UnsafeText, VaultedText } from '../load/yaml.js';
import { Undef } from './undefined.js';
import { TemplateFault } from './fault.js';

/** A Python float whose value is integral (a JS number cannot say "2.0"). */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A float result: integral values are wrapped so they keep printing as floats. */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
/** The number of a number, PyFloat or bool (Python's bool is an int). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TemplateFault(`expected a number, got ${typeName(v)}`);
}

const tuples = new WeakSet<unknown[]>();
/** Mark an array as a Python tuple (for printing only). */
export function tuple<T extends unknown[]>(arr: T): T {
  tuples.add(arr);
  return arr;
}
export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && tuples.has(v);
}

/** A mapping: a plain object or a Proxy of one (vars, hostvars). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || v instanceof Namespace;
}

/** Jinja's namespace(): an object whose attributes `{% set ns.x = ... %}` may assign. */
export class Namespace {
  constructor(init: Record<string, unknown> = {}) {
    Object.assign(this, init);
  }
}

/** `key in obj` for a mapping, without finding Object.prototype's members (toString, constructor). */
export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  if (!(key in obj)) return false;
  if (key in Object.prototype || key === '__proto__') return Object.prototype.hasOwnProperty.call(obj, key);
  return true;
}

/** Keys of a mapping in insertion order. */
export function mappingKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj);
}

export function isProxy(v: unknown): boolean {
  return types.isProxy(v);
}

/** Python's type name, for messages and type_debug. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string' || v instanceof UnsafeText) return 'str';
  if (v instanceof Secret || v instanceof VaultedText) return 'str';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof Undef) return 'AnsibleUndefined';
  if (typeof v === 'function') return 'function';
  if (v instanceof Namespace) return 'Namespace';
  if (v instanceof Date) return 'datetime';
  if (isMapping(v)) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** Python's bool(v). Undefined values raise. */
export function truthy(v: unknown): boolean {
  if (v instanceof Undef) v.fail();
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0; // NaN is true, as in Python
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Secret) return v.reveal().length > 0;
  if (v instanceof UnsafeText) return v.text.length > 0;
  if (v instanceof VaultedText) return v.get().reveal().length > 0;
  if (isMapping(v)) {
    for (const _ in v) return true;
    return false;
  }
  return true;
}

/** The plain text of a string-like value, or undefined when it is not one. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof UnsafeText) return v.text;
  if (v instanceof Secret) return v.reveal();
  if (v instanceof VaultedText) return v.get().reveal();
  return undefined;
}

/** Python's ==. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a instanceof Undef) a.fail();
  if (b instanceof Undef) b.fail();
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  const ta = textOf(a);
  if (ta !== undefined) {
    const tb = textOf(b);
    return tb !== undefined && ta === tb;
  }
  if (isNumber(a) || typeof a === 'boolean') {
    if (!(isNumber(b) || typeof b === 'boolean')) return false;
    return num(a) === num(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || isTuple(a) !== isTuple(b)) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (isMapping(a)) {
    if (!isMapping(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!hasKey(b, k) || !pyEq(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Python's ordering (<0, 0, >0); mixed types raise TypeError as Python does. */
export function pyCmp(a: unknown, b: unknown, op = '<'): number {
  if (a instanceof Undef) a.fail();
  if (b instanceof Undef) b.fail();
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) {
    const x = num(a);
    const y = num(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ta = textOf(a);
  const tb = textOf(b);
  if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEq(a[i], b[i])) return pyCmp(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new TemplateFault(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** A string key identifying a hashable value, for unique/set operations (Python hash + eq). */
export function hashKey(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'boolean') return `n${v ? 1 : 0}`;
  if (isNumber(v)) return `n${num(v)}`;
  const t = textOf(v);
  if (t !== undefined) return `s${t}`;
  if (Array.isArray(v)) return `l[${v.map(hashKey).join(',')}]`;
  if (isMapping(v)) return `d{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${hashKey(v[k])}`).join(',')}}`;
  return `o${String(v)}`;
}

// ---------------------------------------------------------------------------------------------
// Float printing as Python's repr()

/** Python's repr() of a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expStr] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  const decpt = exp + 1;
  if (decpt > 16 || decpt <= -4) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Python's round(x, ndigits): correctly rounded, ties to even. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits > 22) return x;
  if (ndigits < 0) {
    const p = 10 ** -ndigits;
    const q = x / p;
    const r = roundHalfEven(q, Math.abs(q - Math.trunc(q)) === 0.5);
    return r * p;
  }
  // The exact decimal expansion tells whether x sits exactly halfway.
  const exact = Math.abs(x).toFixed(Math.min(100, ndigits + 60));
  const dot = exact.indexOf('.');
  const keep = exact.slice(0, dot + 1 + ndigits);
  const rest = exact.slice(dot + 1 + ndigits);
  let up: boolean;
  if (rest[0]! > '5') up = true;
  else if (rest[0]! < '5') up = false;
  else if (/[1-9]/.test(rest.slice(1))) up = true;
  else {
    const lastDigit = keep.replace('.', '').slice(-1);
    up = Number(lastDigit) % 2 === 1;
  }
  let result = Number(keep.endsWith('.') ? keep.slice(0, -1) : keep);
  if (up) result = Number((result + 10 ** -ndigits).toFixed(ndigits));
  return x < 0 ? -result : result;
}

function roundHalfEven(q: number, tie: boolean): number {
  if (!tie) return Math.round(q);
  const f = Math.floor(q);
  return f % 2 === 0 ? f : f + 1;
}
