// Ansible's argument aliases (dest/destfile/name for path, regex for regexp...): the schema lists
// every name, so each one is a known argument with its own YAML position; these helpers pick the
// value and report a missing one or two names given at once. Also the check of a Python regex
// argument, so a pattern Python would refuse fails before anything runs.

import type { z } from 'zod';
import { compilePy, describePyRegexError, PyRegexError, type PyPattern } from '../../python/re.js';

/** The value under the first of `names` that is set. */
export function aliased<T>(a: object, names: readonly string[]): T | undefined {
  const r = a as Record<string, unknown>;
  for (const n of names) if (r[n] !== undefined) return r[n] as T;
  return undefined;
}

/** In a superRefine: at most one of the names, and (when required) at least one. */
export function checkAliases(a: object, names: readonly string[], ctx: z.RefinementCtx, required: boolean): void {
  const r = a as Record<string, unknown>;
  const given = names.filter((n) => r[n] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({ code: 'custom', message: `'${given[1]}' is an alias of '${names[0]}'; give only one of ${given.map((g) => `'${g}'`).join(', ')}`, path: [given[1]!] });
  } else if (required && given.length === 0) {
    ctx.addIssue({ code: 'custom', message: `missing required argument '${names[0]}'`, path: [] });
  }
}

/** In a superRefine: Ansible's mutually_exclusive for one group of (canonical or alias) names. */
export function checkExclusive(a: object, groups: readonly (readonly string[])[], ctx: z.RefinementCtx): void {
  const r = a as Record<string, unknown>;
  const given = groups.map((names) => names.find((n) => r[n] !== undefined)).filter((n): n is string => n !== undefined);
  if (given.length > 1) ctx.addIssue({ code: 'custom', message: `parameters are mutually exclusive: ${given.join('|')}`, path: [given[1]!] });
}

/**
 * In a superRefine: compile the Python pattern given as `key` (with `compile`, plain re.compile by
 * default); a pattern Python refuses becomes an issue at that argument. `what` names it in the message.
 */
export function checkRegexArg(
  ctx: z.RefinementCtx,
  key: string,
  pattern: string,
  compile: (p: string) => PyPattern = (p) => compilePy(p),
  what = key,
): PyPattern | undefined {
  try {
    return compile(pattern);
  } catch (e) {
    if (!(e instanceof PyRegexError)) throw e;
    ctx.addIssue({ code: 'custom', message: describePyRegexError(what, pattern, e), path: [key] });
    return undefined;
  }
}
