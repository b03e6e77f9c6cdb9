// Python `re` on JavaScript RegExp: pattern translation ((?P<n>..), \A, \Z, Python's $ and ^,
// inline flags) and re.search / match / sub / findall / escape semantics.

import { TemplateFault } from './fault.js';
import { tuple } from './py-types.js';

export interface ReFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

const cache = new Map<string, RegExp>();

/** A JS RegExp with the meaning of the Python pattern. `mode` adds g (all matches) or y (re.match). */
export function pyRegExp(pattern: string, flags: ReFlags = {}, mode: '' | 'g' | 'y' = ''): RegExp {
  const key = `${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}${flags.dotall ? 's' : ''}${mode}\0${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let p = pattern;
  let ignorecase = !!flags.ignorecase;
  let multiline = !!flags.multiline;
  let dotall = !!flags.dotall;
  let verbose = false;
  // Global inline flags at the start: (?imsx)
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(p); m; m = /^\(\?([aiLmsux]+)\)/.exec(p)) {
    if (m[1]!.includes('i')) ignorecase = true;
    if (m[1]!.includes('m')) multiline = true;
    if (m[1]!.includes('s')) dotall = true;
    if (m[1]!.includes('x')) verbose = true;
    p = p.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new TemplateFault(`bad escape (end of pattern) in regular expression ${JSON.stringify(pattern)}`);
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (verbose && /\s/.test(c)) continue;
    if (verbose && c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      // Python reads a `]` first in a class as a literal; JavaScript would close an empty class.
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '(' && p.startsWith('(?#', i)) {
      i = p.indexOf(')', i);
      continue;
    }
    if (c === '$') {
      out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    if (c === '^') {
      out += multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
      continue;
    }
    out += c;
  }
  const jsFlags = `${ignorecase ? 'i' : ''}${dotall ? 's' : ''}${mode}`;
  let re: RegExp;
  try {
    re = new RegExp(out, jsFlags);
  } catch (e) {
    throw new TemplateFault(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, re);
  return re;
}

/** re.search: the first match anywhere, or null. */
export function reSearch(pattern: string, text: string, flags: ReFlags = {}): RegExpExecArray | null {
  return pyRegExp(pattern, flags).exec(text);
}

/** re.match: a match at the start only. */
export function reMatch(pattern: string, text: string, flags: ReFlags = {}): RegExpExecArray | null {
  const re = pyRegExp(pattern, flags, 'y');
  re.lastIndex = 0;
  return re.exec(text);
}

/** The value of group `g` (number or name) of a match; a group that did not take part is null. */
export function matchGroup(m: RegExpExecArray, g: number | string): string | null {
  if (typeof g === 'number') {
    if (g >= m.length) throw new TemplateFault(`no such group: ${g}`);
    return m[g] ?? null;
  }
  if (!m.groups || !(g in m.groups)) throw new TemplateFault(`no such group: ${g}`);
  return m.groups[g] ?? null;
}

type ReplPart = string | { group: number | string };

/** Parse a Python replacement template: \1, \g<1>, \g<name>, escapes. */
function parseRepl(repl: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = '';
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    if (n === undefined) throw new TemplateFault('bad escape (end of pattern) in replacement');
    if (n === 'g') {
      const m = /^\\g<([^>]*)>/.exec(repl.slice(i));
      if (!m) throw new TemplateFault('missing group name in replacement \\g<...>');
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ group: /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]! });
      i += m[0].length - 1;
    } else if (/[0-9]/.test(n)) {
      const m = /^\\([0-9]{1,2})/.exec(repl.slice(i))!;
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ group: Number(m[1]) });
      i += m[0].length - 1;
    } else if (n in simple) {
      lit += simple[n];
      i++;
    } else if (/[A-Za-z]/.test(n)) {
      throw new TemplateFault(`bad escape \\${n} in replacement`);
    } else {
      lit += c + n;
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

function expandRepl(parts: ReplPart[], m: RegExpExecArray): string {
  let s = '';
  for (const p of parts) s += typeof p === 'string' ? p : (matchGroup(m, p.group) ?? '');
  return s;
}

/** re.sub(pattern, repl, text, count). */
export function reSub(pattern: string, repl: string, text: string, flags: ReFlags = {}, count = 0): string {
  const re = pyRegExp(pattern, flags, 'g');
  const parts = parseRepl(repl);
  let out = '';
  let last = 0;
  let n = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out += text.slice(last, m.index) + expandRepl(parts, m);
    last = m.index + m[0].length;
    n++;
    if (m[0] === '') re.lastIndex++;
    if (count > 0 && n >= count) break;
  }
  return out + text.slice(last);
}

/** re.findall: strings for zero or one group, tuples for several. */
export function reFindall(pattern: string, text: string, flags: ReFlags = {}): unknown[] {
  const re = pyRegExp(pattern, flags, 'g');
  const out: unknown[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(m.slice(1).map((g) => g ?? '')));
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** re.escape (Python 3.7+: only the regex metacharacters and whitespace). */
export function reEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');
}
