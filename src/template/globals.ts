// Names every template can use without defining them: Jinja's range/dict/namespace and Ansible's
// lookup/query/q/now/undef. (`omit` is the templar's own placeholder, see runtime.ts.)

import { TemplateFault } from './fault.js';
import { Namespace, num, isMapping } from './py-types.js';
import { PyFunc } from './py-methods.js';
import { PyDateTime } from '../python/datetime.js';
import { Undef } from './undefined.js';
import { state } from './render-state.js';
import { runLookup } from './lookups.js';
import { Secret, isSecret } from '../secret.js';

/** Python's range(). */
export function pyRange(args: unknown[]): number[] {
  if (args.length === 0 || args.length > 3) throw new TemplateFault(`range expected 1 to 3 arguments, got ${args.length}`);
  const [start, stop, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args.length === 3 ? num(args[2]) : 1];
  if (step === 0) throw new TemplateFault('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  // A list this long is a typo, not a loop (Jinja's sandbox stops at 100000).
  if (count > 10_000_000) throw new TemplateFault(`range() of ${count} items is too large`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

function lookupFn(name: string, wantlist: boolean): PyFunc {
  return new PyFunc(name, (args, kwargs) => {
    if (!args.length) throw new TemplateFault(`${name}() needs the name of a lookup plugin`);
    const [plugin, ...terms] = args;
    if (typeof plugin !== 'string') throw new TemplateFault(`${name}(): the lookup name must be a string`);
    const kw = { ...kwargs };
    const wl = 'wantlist' in kw ? Boolean(kw.wantlist) : wantlist;
    delete kw.wantlist;
    const errors = (kw.errors as string | undefined) ?? 'strict';
    delete kw.errors;
    let result: unknown[];
    try {
      result = runLookup(plugin, terms, kw, state());
    } catch (e) {
      // errors='ignore'|'warn' covers failures of the plugin, not undefined variables.
      if ((errors === 'ignore' || errors === 'warn') && e instanceof TemplateFault && e.kind === 'error') return wl ? [] : null;
      throw e;
    }
    if (wl || result.length === 0) return result;
    // Ansible's lookup() joins string results with commas; other results: a lone one as it is.
    if (result.every((r) => typeof r === 'string' || isSecret(r))) {
      if (result.length === 1) return result[0];
      const text = result.map((r) => (isSecret(r) ? r.reveal() : (r as string))).join(',');
      return result.some(isSecret) ? Secret.derived(text) : text;
    }
    return result.length === 1 ? result[0] : result;
  });
}

export const builtins: Record<string, unknown> = {
  range: new PyFunc('range', (args) => pyRange(args)),
  dict: new PyFunc('dict', (args, kwargs) => {
    const out: Record<string, unknown> = {};
    if (args[0] !== undefined) {
      if (isMapping(args[0])) Object.assign(out, args[0]);
      else if (Array.isArray(args[0])) for (const pair of args[0]) if (Array.isArray(pair)) out[String(pair[0])] = pair[1];
    }
    return Object.assign(out, kwargs);
  }),
  namespace: new PyFunc('namespace', (args, kwargs) => new Namespace({ ...(isMapping(args[0]) ? args[0] : {}), ...kwargs })),
  lookup: lookupFn('lookup', false),
  query: lookupFn('query', true),
  q: lookupFn('q', true),
  now: new PyFunc('now', (args, kwargs) => {
    const utc = Boolean(args[0] ?? kwargs.utc);
    const fmt = args[1] ?? kwargs.fmt;
    const d = PyDateTime.now(utc);
    return typeof fmt === 'string' ? d.strftime(fmt) : d;
  }),
  undef: new PyFunc('undef', (args, kwargs) => {
    const hint = (args[0] ?? kwargs.hint) as string | undefined;
    return new Undef('undef()', hint ?? 'Mandatory variable has not been overridden', undefined);
  }),
};
