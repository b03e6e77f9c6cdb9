// Python regexes for the regex_* filters and the match/search/regex tests: src/python/re.ts, with
// its errors turned into template errors and findall's tuples marked as Python tuples.

import { compilePy, parseTemplate, pyFindall, pyMatch, PyRegexError, pySearch, pySubn, type PyPattern } from '../python/re.js';
import { TemplateFault } from './fault.js';
import { tuple } from './py-types.js';

export interface ReFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

function compile(pattern: string, flags: ReFlags): PyPattern {
  try {
    return compilePy(pattern, flags);
  } catch (e) {
    throw e instanceof PyRegexError ? new TemplateFault(`invalid regular expression ${JSON.stringify(pattern)}: ${e.message}`) : e;
  }
}

/** re.search: the first match anywhere, or null. */
export function reSearch(pattern: string, text: string, flags: ReFlags = {}): RegExpExecArray | null {
  return pySearch(compile(pattern, flags), text);
}

/** re.match: a match at the start only. */
export function reMatch(pattern: string, text: string, flags: ReFlags = {}): RegExpExecArray | null {
  return pyMatch(compile(pattern, flags), text);
}

/** re.sub(pattern, repl, text, count). */
export function reSub(pattern: string, repl: string, text: string, flags: ReFlags = {}, count = 0): string {
  const p = compile(pattern, flags);
  let template;
  try {
    template = parseTemplate(repl, p);
  } catch (e) {
    throw e instanceof PyRegexError ? new TemplateFault(`invalid replacement ${JSON.stringify(repl)}: ${e.message}`) : e;
  }
  return pySubn(p, template, text, count)[0];
}

/** re.findall: strings for zero or one group, tuples for several. */
export function reFindall(pattern: string, text: string, flags: ReFlags = {}): unknown[] {
  return pyFindall(compile(pattern, flags), text).map((x) => (Array.isArray(x) ? tuple(x) : x));
}

/** Match.group(g) for a number or a name; a group that did not take part is null. */
export function matchGroup(m: RegExpExecArray, g: number | string): string | null {
  if (typeof g === 'number') {
    if (g >= m.length) throw new TemplateFault(`no such group: ${g}`);
    return m[g] ?? null;
  }
  if (!m.groups || !(g in m.groups)) throw new TemplateFault(`no such group: ${g}`);
  return m.groups[g] ?? null;
}
