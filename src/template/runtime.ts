// The functions compiled templates call (`rt.*`, see compiler.ts): variable and attribute lookup
// with strict undefined, Python operators and truthiness, filters, tests, calls, loops, output.

/* eslint-disable @typescript-eslint/no-explicit-any */
import nunjucks from 'nunjucks';
import { didYouMean } from '../errors.js';
import { Secret } from '../secret.js';
import { UnsafeText, VaultedText } from '../load/yaml.js';
import { TemplateFault } from './fault.js';
import {
  Namespace,
  PyFloat,
  hasKey,
  isFloat,
  isInt,
  isMapping,
  isNumber,
  isTuple,
  mkFloat,
  num,
  pyCmp,
  pyEq,
  textOf,
  truthy,
  tuple,
  typeName,
} from './py-types.js';
import { pyStr } from './py-repr.js';
import { percentFormat } from './py-format.js';
import { DICT_METHOD_NAMES, PyFunc, methodOf } from './py-methods.js';
import { state, use } from './render-state.js';
import { Undef } from './undefined.js';
import { bindArgs, getFilter, getTest } from './registry.js';
import { PyDateTime, PyTimedelta, subtractDates } from '../python/datetime.js';
import { builtins } from './globals.js';
import { iterItems } from './filters/util.js';

const SafeString = (nunjucks as any).runtime.SafeString;
const makeKeywordArgs = (nunjucks as any).runtime.makeKeywordArgs;

/** Keyword arguments of a call: `f(a, x=1)`. */
export class Kwargs {
  constructor(readonly map: Record<string, unknown>) {}
}

/** Jinja's `loop` variable. */
export class LoopInfo {
  constructor(
    private readonly arr: unknown[],
    readonly index0: number,
  ) {}
  get index(): number {
    return this.index0 + 1;
  }
  get revindex(): number {
    return this.arr.length - this.index0;
  }
  get revindex0(): number {
    return this.arr.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.arr.length - 1;
  }
  get length(): number {
    return this.arr.length;
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.arr[this.index0 - 1] : new Undef('loop.previtem', "'loop.previtem' is undefined", undefined);
  }
  get nextitem(): unknown {
    return this.index0 < this.arr.length - 1 ? this.arr[this.index0 + 1] : new Undef('loop.nextitem', "'loop.nextitem' is undefined", undefined);
  }
  get depth(): number {
    return 1;
  }
  get depth0(): number {
    return 0;
  }
  cycle(...items: unknown[]): unknown {
    if (!items.length) throw new TemplateFault('no items for cycling given');
    return items[this.index0 % items.length];
  }
}

function fail(msg: string): never {
  throw new TemplateFault(msg);
}

function split(args: unknown[]): { pos: unknown[]; kw: Record<string, unknown> | undefined } {
  const last = args[args.length - 1];
  if (last instanceof Kwargs) return { pos: args.slice(0, -1), kw: last.map };
  return { pos: args, kw: undefined };
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (isNumber(k)) return String(num(k));
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k === null) return 'None';
  return pyStr(k);
}

/** An attribute or item of a non-container object (loop, namespace, datetime...). */
function objectAttr(obj: object, key: string): unknown {
  if (!(key in obj) || (key in Object.prototype && !Object.prototype.hasOwnProperty.call(obj, key)) || key.startsWith('_')) return undefined;
  const v = (obj as any)[key];
  if (typeof v === 'function') return new PyFunc(key, (args) => v.apply(obj, args));
  return v;
}

function sequenceIndex(len: number, key: unknown): number | undefined {
  if (!isInt(key) && typeof key !== 'boolean') return undefined;
  let i = num(key);
  if (i < 0) i += len;
  return i >= 0 && i < len ? i : -1;
}

function describe(obj: unknown): string {
  if (obj === null || obj === undefined) return "'None'";
  return `'${typeName(obj)} object'`;
}

function missing(obj: unknown, key: unknown, dot: boolean, base: string, line: number, what: 'attribute' | 'element' = 'attribute'): Undef {
  const k = keyText(key);
  const name = dot ? `${base}.${k}` : `${base}[${typeof key === 'string' ? `'${key}'` : k}]`;
  const reason = what === 'element' ? `${describe(obj)} has no element ${k}` : `${describe(obj)} has no attribute '${k}'`;
  const suggest = isMapping(obj) && typeof key === 'string' ? () => didYouMean(key, Object.keys(obj)) : undefined;
  return new Undef(name, reason, line, suggest);
}

function found(v: unknown): unknown {
  return v === undefined ? null : use(v);
}

export const rt = {
  float: (n: number): PyFloat => new PyFloat(n),

  name(context: any, frame: any, name: string, line: number): unknown {
    const v = frame.lookup(name);
    if (v !== undefined) return use(v);
    const ctx = context.ctx;
    if (ctx && Object.prototype.hasOwnProperty.call(ctx, name)) return found(ctx[name]);
    const st = state();
    if (hasKey(st.vars, name)) return found(st.vars[name]);
    if (name === 'omit') return st.host.omitToken;
    if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
    return new Undef(name, `'${name}' is undefined`, line, () => {
      try {
        return didYouMean(name, Object.keys(st.vars));
      } catch {
        return undefined;
      }
    });
  },

  member(obj: unknown, key: unknown, dot: boolean, base: string, line: number): unknown {
    if (obj instanceof Undef) return obj;
    if (key instanceof Undef) key.fail();
    obj = use(obj);
    key = use(key);
    if (typeof obj === 'string') {
      if (isInt(key) || typeof key === 'boolean') {
        const chars = [...obj];
        const i = sequenceIndex(chars.length, key)!;
        return i >= 0 ? chars[i] : missing(obj, key, dot, base, line, 'element');
      }
      if (typeof key === 'string') return methodOf(obj, key) ?? missing(obj, key, dot, base, line);
      return missing(obj, key, dot, base, line);
    }
    if (Array.isArray(obj)) {
      const i = sequenceIndex(obj.length, key);
      if (i !== undefined) return i >= 0 ? found(obj[i]) : missing(obj, key, dot, base, line, 'element');
      // Named fields of tuples such as groupby's (grouper, list).
      if (typeof key === 'string' && key !== 'length' && !/^\d+$/.test(key) && Object.prototype.hasOwnProperty.call(obj, key)) return found((obj as unknown as Record<string, unknown>)[key]);
      if (typeof key === 'string') return methodOf(obj, key) ?? missing(obj, key, dot, base, line);
      return missing(obj, key, dot, base, line);
    }
    if (isMapping(obj) && !(obj instanceof Namespace)) {
      const k = keyText(key);
      // Jinja: `.name` tries the attribute (a dict method) first, `[name]` the item first.
      if (dot && DICT_METHOD_NAMES.has(k)) return methodOf(obj, k);
      if (hasKey(obj, k)) return found(obj[k]);
      if (typeof key === 'string' && DICT_METHOD_NAMES.has(k)) return methodOf(obj, k);
      return missing(obj, key, dot, base, line);
    }
    if (obj === null || obj === undefined || typeof obj !== 'object') return missing(obj, key, dot, base, line);
    const v = objectAttr(obj, keyText(key));
    return v === undefined ? missing(obj, key, dot, base, line) : use(v);
  },

  slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
    if (obj instanceof Undef) obj.fail();
    obj = use(obj);
    const isStr = typeof obj === 'string';
    const seq: unknown[] = isStr ? [...(obj as string)] : Array.isArray(obj) ? obj : fail(`'${typeName(obj)}' object is not subscriptable`);
    const n = seq.length;
    const st = step === null || step === undefined ? 1 : num(step);
    if (st === 0) fail('slice step cannot be zero');
    const norm = (v: unknown, dflt: number, lo: number, hi: number): number => {
      if (v === null || v === undefined) return dflt;
      let x = num(v);
      if (x < 0) x += n;
      return Math.min(Math.max(x, lo), hi);
    };
    const out: unknown[] = [];
    if (st > 0) {
      const a = norm(start, 0, 0, n);
      const b = norm(stop, n, 0, n);
      for (let i = a; i < b; i += st) out.push(seq[i]);
    } else {
      const a = norm(start, n - 1, -1, n - 1);
      const b = norm(stop, -1, -1, n - 1);
      for (let i = a; i > b; i += st) out.push(seq[i]);
    }
    if (isStr) return out.join('');
    return isTuple(obj) ? tuple(out) : out;
  },

  call(fn: unknown, name: string, args: unknown[]): unknown {
    if (fn instanceof Undef) fn.fail();
    const { pos, kw } = split(args);
    const values = pos.map((a) => (a instanceof Undef ? a.fail() : use(a)));
    const kwargs: Record<string, unknown> = {};
    if (kw) for (const [k, v] of Object.entries(kw)) kwargs[k] = v instanceof Undef ? v.fail() : use(v);
    if (fn instanceof PyFunc) return fn.call(values, kwargs);
    if (typeof fn === 'function') {
      const r = fn.apply(undefined, kw ? [...values, makeKeywordArgs({ ...kwargs })] : values);
      return r instanceof SafeString ? r.toString() : r;
    }
    return fail(`'${name}' is not callable (it is ${typeName(fn)})`);
  },

  filter(name: string, args: unknown[], _line: number): unknown {
    const def = getFilter(name)!;
    const { pos, kw } = split(args);
    const values = pos.map((a) => (a instanceof Undef ? (def.undefOk ? a : a.fail()) : use(a)));
    let kwargs: Record<string, unknown> | undefined;
    if (kw) {
      kwargs = {};
      for (const [k, v] of Object.entries(kw)) kwargs[k] = v instanceof Undef ? (def.undefOk ? v : v.fail()) : use(v);
    }
    return invoke('filter', def, values, kwargs);
  },

  test(name: string, args: unknown[], _line: number): boolean {
    const def = getTest(name)!;
    const { pos, kw } = split(args);
    const values = pos.map((a, i) => (a instanceof Undef ? (def.undefOk && i === 0 ? a : a.fail()) : def.raw && i === 0 ? a : use(a)));
    let kwargs: Record<string, unknown> | undefined;
    if (kw) {
      kwargs = {};
      for (const [k, v] of Object.entries(kw)) kwargs[k] = v instanceof Undef ? v.fail() : use(v);
    }
    return truthy(invoke('test', def, values, kwargs));
  },

  contains(container: unknown, item: unknown): boolean {
    if (container instanceof Undef) container.fail();
    if (item instanceof Undef) item.fail();
    container = use(container);
    item = use(item);
    if (typeof container === 'string') {
      const t = textOf(item);
      if (t === undefined) fail(`'in <string>' requires string as left operand, not ${typeName(item)}`);
      return container.includes(t);
    }
    if (Array.isArray(container)) return container.some((x) => pyEq(use(x), item));
    if (isMapping(container)) return hasKey(container, keyText(item));
    return fail(`argument of type '${typeName(container)}' is not iterable`);
  },

  compare(first: unknown, ...rest: unknown[]): boolean {
    let left = use(first);
    for (let i = 0; i < rest.length; i += 2) {
      const op = rest[i] as string;
      const right = use((rest[i + 1] as () => unknown)());
      let ok: boolean;
      switch (op) {
        case '==':
        case '===':
          ok = pyEq(left, right);
          break;
        case '!=':
        case '!==':
          ok = !pyEq(left, right);
          break;
        case '<':
          ok = pyCmp(left, right, op) < 0;
          break;
        case '>':
          ok = pyCmp(left, right, op) > 0;
          break;
        case '<=':
          ok = pyCmp(left, right, op) <= 0;
          break;
        case '>=':
          ok = pyCmp(left, right, op) >= 0;
          break;
        default:
          return fail(`unknown comparison ${op}`);
      }
      if (!ok) return false;
      left = right;
    }
    return true;
  },

  truthy(v: unknown): boolean {
    return truthy(v);
  },
  and(a: unknown, b: () => unknown): unknown {
    return truthy(a) ? b() : a;
  },
  or(a: unknown, b: () => unknown): unknown {
    return truthy(a) ? a : b();
  },
  not(a: unknown): boolean {
    return !truthy(a);
  },

  add(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (numeric(a) && numeric(b)) return arith(a, b, num(a) + num(b));
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
      const r = [...a, ...b];
      return isTuple(a) ? tuple(r) : r;
    }
    if (typeof a === 'string') fail(`can only concatenate str (not "${typeName(b)}") to str`);
    if (Array.isArray(a) && !isTuple(a)) fail(`can only concatenate list (not "${typeName(b)}") to list`);
    if (a instanceof PyDateTime && b instanceof PyTimedelta) return new PyDateTime(a.ms + Math.floor(b.us / 1000), a.micro);
    return unsupported('+', a, b);
  },
  sub(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (numeric(a) && numeric(b)) return arith(a, b, num(a) - num(b));
    if (a instanceof PyDateTime && b instanceof PyDateTime) return subtractDates(a, b);
    if (a instanceof PyDateTime && b instanceof PyTimedelta) return new PyDateTime(a.ms - Math.floor(b.us / 1000), a.micro);
    return unsupported('-', a, b);
  },
  mul(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (numeric(a) && numeric(b)) return arith(a, b, num(a) * num(b));
    const rep = (seq: unknown, n: unknown): unknown => {
      if (!isInt(n) && typeof n !== 'boolean') return unsupported('*', a, b);
      const k = Math.max(0, num(n));
      if (typeof seq === 'string') return seq.repeat(k);
      const out: unknown[] = [];
      for (let i = 0; i < k; i++) out.push(...(seq as unknown[]));
      return isTuple(seq) ? tuple(out) : out;
    };
    if (typeof a === 'string' || Array.isArray(a)) return rep(a, b);
    if (typeof b === 'string' || Array.isArray(b)) return rep(b, a);
    return unsupported('*', a, b);
  },
  div(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (!(numeric(a) && numeric(b))) return unsupported('/', a, b);
    if (num(b) === 0) fail('division by zero');
    return mkFloat(num(a) / num(b));
  },
  floordiv(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (!(numeric(a) && numeric(b))) return unsupported('//', a, b);
    if (num(b) === 0) fail('integer division or modulo by zero');
    return arith(a, b, Math.floor(num(a) / num(b)));
  },
  mod(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (typeof a === 'string') return percentFormat(a, b);
    if (!(numeric(a) && numeric(b))) return unsupported('%', a, b);
    const y = num(b);
    if (y === 0) fail('integer division or modulo by zero');
    const x = num(a);
    let r = x % y;
    if (r !== 0 && r < 0 !== y < 0) r += y;
    return arith(a, b, r);
  },
  pow(a: unknown, b: unknown): unknown {
    [a, b] = operands(a, b);
    if (!(numeric(a) && numeric(b))) return unsupported('**', a, b);
    const r = num(a) ** num(b);
    if (isInt(a) && isInt(b) && num(b) >= 0) return r;
    return mkFloat(r);
  },
  neg(a: unknown): unknown {
    a = operand(a);
    if (!numeric(a)) return fail(`bad operand type for unary -: '${typeName(a)}'`);
    return isFloat(a) ? mkFloat(-num(a)) : -num(a);
  },
  pos(a: unknown): unknown {
    a = operand(a);
    if (!numeric(a)) return fail(`bad operand type for unary +: '${typeName(a)}'`);
    return typeof a === 'boolean' ? num(a) : a;
  },
  concat(a: unknown, b: unknown): string {
    [a, b] = operands(a, b);
    return pyStr(a) + pyStr(b);
  },

  list(items: unknown[]): unknown[] {
    return items;
  },
  tuple(items: unknown[]): unknown[] {
    return tuple(items);
  },
  dict(kvs: unknown[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < kvs.length; i += 2) {
      const k = kvs[i];
      if (k instanceof Undef) k.fail();
      Object.defineProperty(out, keyText(use(k)), { value: kvs[i + 1], enumerable: true, writable: true, configurable: true });
    }
    return out;
  },
  kw(map: Record<string, unknown>): Kwargs {
    return new Kwargs(map);
  },

  /** Text of an expression's value in template output. */
  out(v: unknown): string {
    if (typeof v === 'string') return v;
    if (v instanceof Undef) v.fail();
    if (v === null || v === undefined) return '';
    if (v instanceof SafeString) return v.toString();
    return pyStr(v);
  },
  /** The value of the single expression of a native template. */
  capture(v: unknown): string {
    const st = state();
    st.captured = v;
    st.hasCaptured = true;
    // The text too, when it is cheap: a string keeps the whitespace written around it.
    if (typeof v === 'string') return v;
    if (v === null || v === undefined || v instanceof Undef) return '';
    if (v instanceof Secret || v instanceof VaultedText || v instanceof UnsafeText) return use(v) as string;
    return '';
  },

  iter(v: unknown, name: string): unknown[] {
    return iterItems(v) ?? fail(`'${typeName(use(v))}' object is not iterable (in the loop over ${name})`);
  },
  loop(arr: unknown[], i: number): LoopInfo {
    return new LoopInfo(arr, i);
  },
  unpack(item: unknown, n: number): unknown[] {
    item = use(item);
    const seq = typeof item === 'string' ? [...item] : Array.isArray(item) ? item : isMapping(item) ? Object.keys(item) : undefined;
    if (!seq) return fail(`cannot unpack non-iterable ${typeName(item)} object`);
    if (seq.length !== n) fail(seq.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${seq.length})`);
    return seq.map(use);
  },
  setattr(obj: unknown, key: unknown, value: unknown): void {
    if (!(obj instanceof Namespace)) fail(`cannot assign attribute on non-namespace object (${typeName(obj)})`);
    (obj as any)[keyText(key)] = value;
  },
  noElse(_line: number): string {
    // Jinja yields a plain (printable, empty) Undefined here; Ansible prints "".
    return '';
  },
};

/** Call a filter or test implementation, turning unexpected JS errors into template errors. */
function invoke(kind: string, def: ReturnType<typeof getFilter> & object, values: unknown[], kwargs: Record<string, unknown> | undefined): unknown {
  const bound = bindArgs(kind, def, values, kwargs);
  try {
    return def.fn(...bound);
  } catch (e) {
    if (e instanceof TemplateFault) {
      if (e.kind === 'error' && !e.message.startsWith(`${kind} '`)) e.message = `${kind} '${def.name}': ${e.message}`;
      throw e;
    }
    if (e instanceof Error && (e.name === 'TypeError' || e.name === 'RangeError' || e.name === 'SyntaxError')) {
      throw new TemplateFault(`${kind} '${def.name}': ${e.message}`);
    }
    throw e;
  }
}

function operand(a: unknown): unknown {
  if (a instanceof Undef) a.fail();
  return use(a);
}
function operands(a: unknown, b: unknown): [unknown, unknown] {
  return [operand(a), operand(b)];
}
function numeric(v: unknown): v is number | PyFloat | boolean {
  return isNumber(v) || typeof v === 'boolean';
}
function arith(a: unknown, b: unknown, r: number): number | PyFloat {
  return isFloat(a) || isFloat(b) ? mkFloat(r) : r;
}
function unsupported(op: string, a: unknown, b: unknown): never {
  throw new TemplateFault(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

