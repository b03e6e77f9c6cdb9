// Data format filters: to_json / to_nice_json / from_json / to_yaml / to_nice_yaml / from_yaml.

import { defineFilter } from '../registry.js';
import { TemplateFault } from '../fault.js';
import { PyFloat, num, textOf } from '../py-types.js';
import { jsonDump } from '../py-json.js';
import { yamlDump } from '../py-yaml.js';
import { parseYamlDocuments } from '../../load/yaml.js';
import { SamsError } from '../../errors.js';
import { bool, str } from './util.js';

function jsonOptions(kw: Record<string, unknown>, indent: unknown, sortKeys: unknown, separators?: [string, string]) {
  const sep = kw.separators;
  return {
    indent: indent === null || indent === undefined ? null : typeof indent === 'string' ? indent : num(indent),
    sortKeys: bool(sortKeys),
    ensureAscii: kw.ensure_ascii === undefined ? true : bool(kw.ensure_ascii),
    separators: Array.isArray(sep) && sep.length === 2 ? ([str(sep[0]), str(sep[1])] as [string, string]) : separators,
  };
}

defineFilter('to_json', ['a'], (a: unknown, kw: Record<string, unknown>) => jsonDump(a, jsonOptions(kw, kw.indent, kw.sort_keys ?? false)), { kwargs: true });
defineFilter('to_nice_json', ['a', 'indent', 'sort_keys'], (a: unknown, indent: unknown = 4, sortKeys: unknown = true, kw: Record<string, unknown>) =>
  jsonDump(a, jsonOptions(kw, indent, sortKeys, [',', ': '])),
{ kwargs: true });

defineFilter('to_yaml', ['a'], (a: unknown, kw: Record<string, unknown>) =>
  yamlDump(a, {
    defaultFlowStyle: kw.default_flow_style === undefined || kw.default_flow_style === null ? null : bool(kw.default_flow_style),
    indent: kw.indent === undefined ? undefined : num(kw.indent),
    width: kw.width === undefined ? undefined : num(kw.width),
    sortKeys: kw.sort_keys === undefined ? true : bool(kw.sort_keys),
    explicitStart: bool(kw.explicit_start),
    explicitEnd: bool(kw.explicit_end),
  }),
{ kwargs: true });
defineFilter('to_nice_yaml', ['a', 'indent'], (a: unknown, indent: unknown = 4, kw: Record<string, unknown>) =>
  yamlDump(a, {
    defaultFlowStyle: false,
    indent: num(indent),
    width: kw.width === undefined ? undefined : num(kw.width),
    sortKeys: kw.sort_keys === undefined ? true : bool(kw.sort_keys),
    explicitStart: bool(kw.explicit_start),
    explicitEnd: bool(kw.explicit_end),
  }),
{ kwargs: true });

defineFilter('from_json', ['data'], (data: unknown) => parseJson(str(data)), { kwargs: true });

function fromYaml(data: unknown, all: boolean): unknown {
  const t = textOf(data);
  if (t === undefined) return data;
  try {
    const docs = parseYamlDocuments(t, '<from_yaml>');
    return all ? docs : docs.length ? docs[0] : null;
  } catch (e) {
    if (e instanceof SamsError) throw new TemplateFault(`from_yaml: ${e.message}`);
    throw e;
  }
}
defineFilter('from_yaml', ['data'], (data: unknown) => fromYaml(data, false));
defineFilter('from_yaml_all', ['data'], (data: unknown) => fromYaml(data, true));

/** json.loads: like JSON.parse, but 1.0 stays a float and NaN/Infinity are accepted, as in Python. */
export function parseJson(s: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    const line = s.slice(0, i).split('\n').length;
    throw new TemplateFault(`from_json: ${what}: line ${line} column ${i - s.lastIndexOf('\n', i - 1)} (char ${i})`);
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (s[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('Expecting property name enclosed in double quotes');
        const k = string();
        ws();
        if (s[i] !== ':') fail("Expecting ':' delimiter");
        i++;
        Object.defineProperty(out, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') {
          i++;
          return out;
        } else fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (s[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') {
          i++;
          return out;
        } else fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (s.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(s.slice(i));
    if (!m) return fail('Expecting value');
    i += m[0].length;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? (Number.isInteger(n) ? new PyFloat(n) : n) : n;
  };
  const string = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= s.length) {
        i = start;
        fail('Unterminated string starting at');
      }
      const c = s[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = s[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (e !== undefined && e in map) {
          out += map[e];
          i += 2;
        } else fail('Invalid \\escape');
        continue;
      }
      if (c < ' ') fail('Invalid control character at');
      out += c;
      i++;
    }
  };
  const v = value();
  ws();
  if (i < s.length) fail('Extra data');
  return v;
}
