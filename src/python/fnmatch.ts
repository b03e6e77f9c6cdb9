// Python 3.11's fnmatch (what Ansible matches globs with: find's patterns, setup's filter, apt's
// version wildcards), ported from fnmatch.translate so every bracket and escape rule is Python's;
// plus a GNU find `-name` pattern that matches at least the same names, to narrow what find's
// target reads or checksums.

import { compilePy, pyEscape, pyMatch, type PyPattern } from './re.js';

const STAR = Symbol('star');
type Piece = string | typeof STAR;

interface Token {
  piece: Piece;
  /** The same piece for `find -name`: literal, or '*' for anything wider. */
  findGlob: string;
}

function tokens(pat: string): Token[] {
  const out: Token[] = [];
  const n = pat.length;
  let i = 0;
  while (i < n) {
    const c = pat[i]!;
    i++;
    if (c === '*') {
      if (out.length === 0 || out[out.length - 1]!.piece !== STAR) out.push({ piece: STAR, findGlob: '*' });
    } else if (c === '?') {
      out.push({ piece: '.', findGlob: '*' });
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out.push({ piece: '\\[', findGlob: '\\[' });
        continue;
      }
      let stuff = pat.slice(i, j);
      if (!stuff.includes('-')) {
        stuff = stuff.replace(/\\/g, '\\\\');
      } else {
        const chunks: string[] = [];
        let k = pat[i] === '!' ? i + 2 : i + 1;
        for (;;) {
          k = pat.indexOf('-', k);
          if (k < 0 || k >= j) break;
          chunks.push(pat.slice(i, k));
          i = k + 1;
          k = k + 3;
        }
        const chunk = pat.slice(i, j);
        if (chunk) chunks.push(chunk);
        else chunks[chunks.length - 1] += '-';
        // Remove empty ranges (invalid in a regex), as Python does.
        for (let m = chunks.length - 1; m > 0; m--) {
          if (chunks[m - 1]!.slice(-1) > chunks[m]![0]!) {
            chunks[m - 1] = chunks[m - 1]!.slice(0, -1) + chunks[m]!.slice(1);
            chunks.splice(m, 1);
          }
        }
        stuff = chunks.map((s) => s.replace(/\\/g, '\\\\').replace(/-/g, '\\-')).join('-');
      }
      stuff = stuff.replace(/([&~|])/g, '\\$1');
      i = j + 1;
      if (!stuff) out.push({ piece: '(?!)', findGlob: '*' });
      else if (stuff === '!') out.push({ piece: '.', findGlob: '*' });
      else {
        if (stuff[0] === '!') stuff = '^' + stuff.slice(1);
        else if (stuff[0] === '^' || stuff[0] === '[') stuff = '\\' + stuff;
        out.push({ piece: `[${stuff}]`, findGlob: '*' });
      }
    } else {
      out.push({ piece: pyEscape(c), findGlob: /[*?[\]\\]/.test(c) ? '\\' + c : c });
    }
  }
  return out;
}

/** fnmatch.translate(pat): the Python regex a glob stands for. */
export function fnmatchTranslate(pat: string): string {
  const inp = tokens(pat).map((t) => t.piece);
  const res: string[] = [];
  let i = 0;
  const n = inp.length;
  while (i < n && inp[i] !== STAR) res.push(inp[i++] as string);
  while (i < n) {
    i++; // the STAR
    if (i === n) {
      res.push('.*');
      break;
    }
    const fixed: string[] = [];
    while (i < n && inp[i] !== STAR) fixed.push(inp[i++] as string);
    if (i === n) res.push('.*', fixed.join(''));
    // Python wraps this in an atomic group (?>...); the leftmost match of a fixed-length piece
    // always suffices for a glob, so a plain group matches the same names.
    else res.push(`(?:.*?${fixed.join('')})`);
  }
  return `(?s:${res.join('')})\\Z`;
}

const cache = new Map<string, PyPattern>();

/** fnmatch.fnmatch(name, pat) on POSIX (case-sensitive). */
export function pyFnmatch(name: string, pat: string): boolean {
  let re = cache.get(pat);
  if (!re) {
    re = compilePy(fnmatchTranslate(pat));
    if (cache.size > 1000) cache.clear();
    cache.set(pat, re);
  }
  return pyMatch(re, name) !== null;
}

/** A `find -name` pattern matching every name `pat` matches (maybe more): ?, [..] widened to *. */
export function findNameSuperset(pat: string): string {
  return tokens(pat)
    .map((t) => t.findGlob)
    .join('')
    .replace(/\*+/g, '*');
}
