// Host patterns for `hosts:` and `--limit`, with Ansible's meaning (inventory/manager.py): names,
// groups, all/*, globs, ~regex, a:b / a,b (union), a:&b, a:!b, g[0] / g[1:3] / g[-1], @file.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SamsError, type SourceLoc } from '../errors.js';
import { groupHosts, resolveLocalhost } from './groups.js';
import { parseAddress } from './host-range.js';
import type { Inventory } from './model.js';

export interface SelectHostsOptions {
  /** Where the pattern was written (the play's `hosts:`), for errors. */
  loc?: SourceLoc;
  /** A --limit pattern: only hosts it also matches are kept. */
  limit?: string | readonly string[];
  /** `@file` paths are resolved here (default: the current directory). */
  cwd?: string;
  /** Called with each single pattern that matched no host and no group (Ansible warns about these). */
  onUnmatched?: (pattern: string) => void;
}

const PATTERN_HINT = 'patterns are host or group names, globs (web*), ~regex, joined with : or , and prefixed with & (and) or ! (not); g[0], g[1:3] pick by position';

/**
 * The hosts a pattern selects, in inventory order, without duplicates. A pattern that matches
 * nothing gives []; a malformed one is a SamsError. `localhost` (127.0.0.1, ::1) selects the
 * implicit local host when the inventory does not define it.
 */
export function selectHosts(inv: Inventory, pattern: string | readonly string[], opts: SelectHostsOptions = {}): string[] {
  const patterns = expandLimitFiles(splitHostPattern(pattern, opts.loc), opts.cwd, opts.loc);
  if (patterns.length === 0) throw new SamsError('the host pattern is empty', { loc: opts.loc, hint: 'write hosts: all, a group or a host name' });
  let hosts = evaluatePatterns(inv, patterns, opts);
  if (opts.limit !== undefined) {
    // A bad --limit is not the play's fault: its errors carry no play location.
    const limitPatterns = expandLimitFiles(splitHostPattern(opts.limit), opts.cwd, undefined);
    if (limitPatterns.length > 0) {
      const keep = new Set(evaluatePatterns(inv, limitPatterns, { ...opts, loc: undefined }));
      hosts = hosts.filter((h) => keep.has(h));
    }
  }
  return [...new Set(hosts)];
}

/**
 * Ansible's split_host_pattern: commas separate; without a comma, colons and blanks do, except
 * inside [..] and in a pattern that reads as one address (an IPv6 address, host:port, a range).
 */
export function splitHostPattern(pattern: string | readonly string[], loc?: SourceLoc): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((p) => splitHostPattern(p, loc));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern, true)) parts = [pattern];
  else {
    const re = /(?:[^\s:[\]]|\[[^\]]*\])+/g;
    parts = pattern.match(re) ?? [];
    // Ansible silently drops what the split cannot place (a lone bracket); we say so.
    if (/[^\s:]/.test(pattern.replace(re, ''))) throw new SamsError(`host pattern '${pattern}' has unbalanced [ ]`, { loc, hint: PATTERN_HINT });
  }
  return parts.map((p) => p.trim()).filter(Boolean);
}

function expandLimitFiles(patterns: string[], cwd: string | undefined, loc: SourceLoc | undefined): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (!p.startsWith('@')) {
      out.push(p);
      continue;
    }
    const file = resolve(cwd ?? process.cwd(), p.slice(1));
    let text: string;
    try {
      if (statSync(file).isDirectory()) throw new SamsError(`limit file ${p.slice(1)} is a directory`, { loc, hint: 'a limit starting with @ names a file with one pattern per line' });
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof SamsError) throw e;
      throw new SamsError(`cannot read limit file ${p.slice(1)}`, { loc, hint: 'a limit starting with @ names a file with one pattern per line (a .retry file, say)' });
    }
    for (const line of text.split('\n')) if (line.trim()) out.push(line.trim());
  }
  return out;
}

function evaluatePatterns(inv: Inventory, patterns: string[], opts: SelectHostsOptions): string[] {
  for (const p of patterns) validatePattern(p, opts.loc);
  // Ansible applies plain patterns first, then the &s, then the !s; only &/! means "all" first.
  const regular = patterns.filter((p) => p[0] !== '&' && p[0] !== '!');
  const ordered = [...(regular.length ? regular : ['all']), ...patterns.filter((p) => p[0] === '&'), ...patterns.filter((p) => p[0] === '!')];
  let hosts: string[] = [];
  for (const p of ordered) {
    if (inv.hosts.has(p)) {
      hosts.push(p); // a host name wins over a group of the same name, as in Ansible
      continue;
    }
    const that = matchOnePattern(inv, p, opts);
    if (p[0] === '!') {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const existing = new Set(hosts);
      hosts.push(...that.filter((h) => !existing.has(h)));
    }
  }
  return hosts;
}

function validatePattern(p: string, loc: SourceLoc | undefined): void {
  const body = p[0] === '&' || p[0] === '!' ? p.slice(1) : p;
  if (!body) throw new SamsError(`'${p}' is not a host pattern: nothing follows the ${p[0]}`, { loc, hint: PATTERN_HINT });
  if (body[0] === '~') {
    toRegExp(body, loc);
    return;
  }
  let depth = 0;
  for (const c of body) {
    if (c === '[') depth++;
    else if (c === ']' && --depth < 0) break;
  }
  if (depth !== 0) throw new SamsError(`host pattern '${p}' has unbalanced [ ]`, { loc, hint: PATTERN_HINT });
}

const SUBSCRIPT_RE = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

function matchOnePattern(inv: Inventory, pattern: string, opts: SelectHostsOptions): string[] {
  if (pattern[0] === '&' || pattern[0] === '!') pattern = pattern.slice(1);
  let expr = pattern;
  let subscript: [number, number | undefined] | undefined;
  const m = pattern[0] === '~' ? null : SUBSCRIPT_RE.exec(pattern);
  if (m) {
    expr = m[1]!;
    subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
  }
  const hosts = enumerateMatches(inv, expr, opts);
  if (!subscript || hosts.length === 0) return hosts;
  const [start, end] = subscript;
  if (end === undefined || end === 0) {
    // One position; negative counts from the end. Out of range selects nothing.
    const i = start < 0 ? hosts.length + start : start;
    return i >= 0 && i < hosts.length ? [hosts[i]!] : [];
  }
  return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
}

function enumerateMatches(inv: Inventory, pattern: string, opts: SelectHostsOptions): string[] {
  const re = toRegExp(pattern, opts.loc);
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  for (const g of groups) results.push(...groupHosts(inv, g));
  if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    for (const h of inv.hosts.keys()) if (re.test(h)) results.push(h);
  }
  if (results.length === 0) {
    const local = resolveLocalhost(inv, pattern);
    if (local) results.push('host' in local ? local.host : pattern);
  }
  if (results.length === 0 && groups.length === 0 && pattern !== 'all') opts.onUnmatched?.(pattern);
  return results;
}

/** `~regex` (matched from the start, as Python's re.match) or a shell glob (the whole name). */
function toRegExp(pattern: string, loc: SourceLoc | undefined): RegExp {
  if (pattern[0] === '~') {
    const src = pattern.slice(1).replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    if (!src) throw new SamsError(`'${pattern}' is an empty regular expression`, { loc, hint: PATTERN_HINT });
    try {
      return new RegExp(`^(?:${src})`, 's');
    } catch (e) {
      throw new SamsError(`invalid regular expression in host pattern '${pattern}': ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, {
        loc,
        hint: 'a pattern starting with ~ is a regular expression matched against host and group names',
      });
    }
  }
  return new RegExp(`^${globToRegExpSource(pattern)}$`, 's');
}

/** Python's fnmatch.translate: * ? [seq] [!seq]; an unclosed [ is literal. */
export function globToRegExpSource(pat: string): string {
  let out = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      while (pat[i] === '*') i++;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pat[j] === '!') j++;
      if (pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
        continue;
      }
      let stuff = pat.slice(i, j);
      i = j + 1;
      let negate = false;
      if (stuff[0] === '!') {
        negate = true;
        stuff = stuff.slice(1);
      }
      if (!stuff) {
        out += negate ? '.' : '(?!)';
        continue;
      }
      // Escape everything a JS class treats specially, keeping `-` ranges.
      const body = stuff.replace(/[\\\]^[]/g, '\\$&');
      out += `[${negate ? '^' : ''}${body}]`;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
}
