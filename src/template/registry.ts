// The filters and tests templates may use, with Python-style signatures (positional and keyword
// arguments bound to named parameters).

import { TemplateFault } from './fault.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type PyFn = (...args: any[]) => unknown;

export interface PyCallableDef {
  name: string;
  /** Parameter names, the value first for filters and tests. */
  params: string[];
  /** Extra positional arguments are passed as one array after the named ones (`*args`). */
  rest?: boolean;
  /** Unknown keyword arguments are passed as one object at the end (`**kwargs`). */
  kwargs?: boolean;
  /** The first argument may be undefined (default, defined, mandatory...). */
  undefOk?: boolean;
  /** The value is passed as it is (a VaultedText stays one), not as its text. */
  raw?: boolean;
  fn: PyFn;
}

const filters = new Map<string, PyCallableDef>();
const tests = new Map<string, PyCallableDef>();

type DefOpts = Partial<Pick<PyCallableDef, 'rest' | 'kwargs' | 'undefOk' | 'raw'>>;

function define(table: Map<string, PyCallableDef>, names: string | string[], params: string[], fn: PyFn, opts: DefOpts): void {
  for (const name of Array.isArray(names) ? names : [names]) {
    const def: PyCallableDef = { name, params, fn, ...opts };
    table.set(name, def);
    if (!name.includes('.')) table.set(`ansible.builtin.${name}`, def);
  }
}

export function defineFilter(names: string | string[], params: string[], fn: PyFn, opts: DefOpts = {}): void {
  define(filters, names, params, fn, opts);
}
export function defineTest(names: string | string[], params: string[], fn: PyFn, opts: DefOpts = {}): void {
  define(tests, names, params, fn, opts);
}

export const hasFilter = (name: string): boolean => filters.has(name);
export const hasTest = (name: string): boolean => tests.has(name);
export const getFilter = (name: string): PyCallableDef | undefined => filters.get(name);
export const getTest = (name: string): PyCallableDef | undefined => tests.get(name);
export const filterNames = (): IterableIterator<string> => filters.keys();
export const testNames = (): IterableIterator<string> => tests.keys();

/**
 * Arrange positional and keyword arguments in parameter order, as Python binds a call.
 * Missing parameters are undefined, so the implementation's JS defaults apply.
 */
export function bindArgs(kind: string, def: PyCallableDef, args: unknown[], kw: Record<string, unknown> | undefined): unknown[] {
  const { params } = def;
  const out: unknown[] = args.slice(0, params.length);
  const extra = args.slice(params.length);
  if (extra.length && !def.rest) {
    throw new TemplateFault(`${kind} '${def.name}' takes at most ${params.length - 1} argument${params.length === 2 ? '' : 's'} (${args.length - 1} given)`);
  }
  while (out.length < params.length) out.push(undefined);
  let extraKw: Record<string, unknown> | undefined;
  if (kw) {
    for (const [k, v] of Object.entries(kw)) {
      const i = params.indexOf(k);
      if (i >= 0) {
        if (i < args.length) throw new TemplateFault(`${kind} '${def.name}' got multiple values for argument '${k}'`);
        out[i] = v;
      } else if (def.kwargs) (extraKw ??= {})[k] = v;
      else throw new TemplateFault(`${kind} '${def.name}' got an unexpected keyword argument '${k}'`);
    }
  }
  if (def.rest) out.push(extra);
  if (def.kwargs) out.push(extraKw ?? {});
  return out;
}
