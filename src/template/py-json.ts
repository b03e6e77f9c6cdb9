// json.dumps as Python writes it (Ansible's to_json / to_nice_json): separators, ensure_ascii,
// indent, sort_keys, float repr.

import { TemplateFault } from './fault.js';
import { PyFloat, floatRepr, isMapping, textOf } from './py-types.js';
import { use } from './render-state.js';
import { Undef } from './undefined.js';
import { PyDateTime } from '../python/datetime.js';

export interface JsonDumpOptions {
  indent?: number | string | null;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  separators?: [string, string];
}

/** Python's json string encoder (ensure_ascii escapes everything outside ASCII as \uXXXX). */
export function jsonString(s: string, ensureAscii = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function jsonDump(value: unknown, opts: JsonDumpOptions = {}): string {
  const indent = opts.indent === undefined || opts.indent === null ? null : typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent !== null ? [',', ': '] : [', ', ': ']);
  const ensureAscii = opts.ensureAscii ?? true;
  const seen = new Set<unknown>();
  const enc = (v: unknown, level: number): string => {
    if (v instanceof Undef) v.fail();
    v = use(v);
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return String(v);
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return floatRepr(v);
    }
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    if (v instanceof PyDateTime) return jsonString(v.isoformat(), ensureAscii);
    if (typeof v !== 'object') throw new TemplateFault(`Object of type ${typeof v} is not JSON serializable`);
    if (seen.has(v)) throw new TemplateFault('Circular reference detected');
    seen.add(v);
    try {
      const nl = indent !== null ? `\n${indent.repeat(level + 1)}` : '';
      const close = indent !== null ? `\n${indent.repeat(level)}` : '';
      if (Array.isArray(v)) {
        if (!v.length) return '[]';
        return `[${nl}${v.map((x) => enc(x, level + 1)).join(itemSep + nl)}${close}]`;
      }
      if (isMapping(v)) {
        let keys = Object.keys(v);
        if (!keys.length) return '{}';
        if (opts.sortKeys) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${nl}${keys.map((k) => `${jsonString(k, ensureAscii)}${keySep}${enc(v[k], level + 1)}`).join(itemSep + nl)}${close}}`;
      }
      const t = textOf(v);
      if (t !== undefined) return jsonString(t, ensureAscii);
      throw new TemplateFault(`Object of type ${(v as object).constructor?.name ?? 'object'} is not JSON serializable`);
    } finally {
      seen.delete(v);
    }
  };
  return enc(value, 0);
}
