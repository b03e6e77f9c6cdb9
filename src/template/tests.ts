// Jinja2 and Ansible tests: `x is defined`, `result is failed`, `v is version('2.0', '>=')`...

import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { defineTest, hasFilter, hasTest } from './registry.js';
import { TemplateFault } from './fault.js';
import { Namespace, PyFloat, hasKey, isFloat, isInt, isMapping, isNumber, num, pyCmp, pyEq, textOf, truthy } from './py-types.js';
import { pyStr } from './py-repr.js';
import { PyFunc } from './py-methods.js';
import { reMatch, reSearch } from './regex.js';
import { versionCompare } from './versions.js';
import { rt } from './runtime.js';
import { Undef } from './undefined.js';
import { VaultedText } from '../load/yaml.js';
import { bool, seq, str } from './filters/util.js';

const undefOk = { undefOk: true };

defineTest('defined', ['value'], (v: unknown) => !(v instanceof Undef), undefOk);
defineTest('undefined', ['value'], (v: unknown) => v instanceof Undef, undefOk);
defineTest('none', ['value'], (v: unknown) => v === null || v === undefined, undefOk);
defineTest('boolean', ['value'], (v: unknown) => typeof v === 'boolean', undefOk);
defineTest('true', ['value'], (v: unknown) => v === true, undefOk);
defineTest('false', ['value'], (v: unknown) => v === false, undefOk);
defineTest('string', ['value'], (v: unknown) => typeof v === 'string', undefOk);
defineTest('number', ['value'], (v: unknown) => isNumber(v) || typeof v === 'boolean', undefOk);
defineTest('integer', ['value'], (v: unknown) => isInt(v), undefOk);
defineTest('float', ['value'], (v: unknown) => isFloat(v), undefOk);
defineTest('mapping', ['value'], (v: unknown) => isMapping(v) && !(v instanceof Namespace), undefOk);
defineTest('sequence', ['value'], (v: unknown) => typeof v === 'string' || Array.isArray(v) || isMapping(v), undefOk);
defineTest('iterable', ['value'], (v: unknown) => typeof v === 'string' || Array.isArray(v) || isMapping(v) || v instanceof Set, undefOk);
defineTest('callable', ['value'], (v: unknown) => v instanceof PyFunc || typeof v === 'function', undefOk);
defineTest('sameas', ['value', 'other'], (v: unknown, o: unknown) => (v instanceof PyFloat && o instanceof PyFloat ? v.value === o.value : v === o), undefOk);
defineTest('escaped', ['value'], () => false, undefOk);
defineTest('filter', ['value'], (v: unknown) => typeof v === 'string' && hasFilter(v));
defineTest('test', ['value'], (v: unknown) => typeof v === 'string' && hasTest(v));

defineTest('divisibleby', ['value', 'num'], (v: unknown, n: unknown) => num(v) % num(n) === 0);
defineTest('even', ['value'], (v: unknown) => num(v) % 2 === 0);
defineTest('odd', ['value'], (v: unknown) => Math.abs(num(v) % 2) === 1);
defineTest(['eq', 'equalto', '=='], ['value', 'other'], (v: unknown, o: unknown) => pyEq(v, o));
defineTest(['ne', '!='], ['value', 'other'], (v: unknown, o: unknown) => !pyEq(v, o));
defineTest(['lt', 'lessthan', '<'], ['value', 'other'], (v: unknown, o: unknown) => pyCmp(v, o, '<') < 0);
defineTest(['le', '<='], ['value', 'other'], (v: unknown, o: unknown) => pyCmp(v, o, '<=') <= 0);
defineTest(['gt', 'greaterthan', '>'], ['value', 'other'], (v: unknown, o: unknown) => pyCmp(v, o, '>') > 0);
defineTest(['ge', '>='], ['value', 'other'], (v: unknown, o: unknown) => pyCmp(v, o, '>=') >= 0);
defineTest('in', ['value', 'seq'], (v: unknown, s: unknown) => rt.contains(s, v));
defineTest('lower', ['value'], (v: unknown) => {
  const s = pyStr(v);
  return /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s);
});
defineTest('upper', ['value'], (v: unknown) => {
  const s = pyStr(v);
  return /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
});

// ---------------------------------------------------------------------------------------------
// Ansible: task results

function result(v: unknown, test: string): Record<string, unknown> {
  if (!isMapping(v)) throw new TemplateFault(`The '${test}' test expects a dictionary`);
  return v;
}
const field = (r: Record<string, unknown>, k: string, dflt: unknown = false): unknown => (hasKey(r, k) ? r[k] : dflt);

defineTest(['failed', 'failure'], ['result'], (v: unknown) => truthy(field(result(v, 'failed'), 'failed')));
defineTest(['succeeded', 'success', 'successful'], ['result'], (v: unknown) => !truthy(field(result(v, 'succeeded'), 'failed')));
defineTest('unreachable', ['result'], (v: unknown) => truthy(field(result(v, 'unreachable'), 'unreachable')));
defineTest('reachable', ['result'], (v: unknown) => !truthy(field(result(v, 'reachable'), 'unreachable')));
defineTest(['changed', 'change'], ['result'], (v: unknown) => {
  const r = result(v, 'changed');
  if (hasKey(r, 'changed')) return truthy(r.changed);
  const results = r.results;
  if (Array.isArray(results) && isMapping(results[0])) return results.some((x) => isMapping(x) && truthy(field(x, 'changed')));
  return false;
});
defineTest(['skipped', 'skip'], ['result'], (v: unknown) => truthy(field(result(v, 'skipped'), 'skipped')));
defineTest('finished', ['result'], (v: unknown) => {
  const r = result(v, 'finished');
  return hasKey(r, 'finished') ? num(r.finished) === 1 : true;
});
defineTest('started', ['result'], (v: unknown) => {
  const r = result(v, 'started');
  return hasKey(r, 'started') ? num(r.started) === 1 : true;
});

// ---------------------------------------------------------------------------------------------
// Ansible: strings, versions, collections

function regexTest(v: unknown, pattern: unknown, ignorecase: unknown, multiline: unknown, type: string): boolean {
  const flags = { ignorecase: bool(ignorecase), multiline: bool(multiline) };
  const text = textOf(v) ?? pyStr(v);
  return (type === 'match' ? reMatch(str(pattern), text, flags) : reSearch(str(pattern), text, flags)) !== null;
}
defineTest('match', ['value', 'pattern', 'ignorecase', 'multiline'], (v: unknown, p: unknown = '', i: unknown = false, m: unknown = false) => regexTest(v, p, i, m, 'match'));
defineTest('search', ['value', 'pattern', 'ignorecase', 'multiline'], (v: unknown, p: unknown = '', i: unknown = false, m: unknown = false) => regexTest(v, p, i, m, 'search'));
defineTest('regex', ['value', 'pattern', 'ignorecase', 'multiline', 'match_type'], (v: unknown, p: unknown = '', i: unknown = false, m: unknown = false, t: unknown = 'search') =>
  regexTest(v, p, i, m, t === 'match' ? 'match' : 'search'),
);

defineTest(['version', 'version_compare'], ['value', 'version', 'operator', 'strict', 'version_type'], (v: unknown, version: unknown, op: unknown = 'eq', strict: unknown = null, vt: unknown = null) =>
  versionCompare(pyStr(v), pyStr(version), str(op), strict === null || strict === undefined ? null : bool(strict), vt === null || vt === undefined ? null : str(vt)),
);

defineTest(['subset', 'issubset'], ['a', 'b'], (a: unknown, b: unknown) => seq(a).every((x) => seq(b).some((y) => pyEq(x, y))));
defineTest(['superset', 'issuperset'], ['a', 'b'], (a: unknown, b: unknown) => seq(b).every((x) => seq(a).some((y) => pyEq(x, y))));
defineTest('contains', ['seq', 'value'], (s: unknown, v: unknown) => rt.contains(s, v));
defineTest('any', ['seq'], (s: unknown) => seq(s).some((x) => truthy(x)));
defineTest('all', ['seq'], (s: unknown) => seq(s).every((x) => truthy(x)));
defineTest('truthy', ['value', 'convert_bool'], (v: unknown, convert: unknown = false) => (bool(convert) && typeof v === 'string' ? ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase()) : truthy(v)));
defineTest('falsy', ['value', 'convert_bool'], (v: unknown, convert: unknown = false) => !(bool(convert) && typeof v === 'string' ? ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase()) : truthy(v)));
defineTest(['nan', 'isnan'], ['x'], (x: unknown) => isNumber(x) && Number.isNaN(num(x)));
defineTest('vault_encrypted', ['value'], (v: unknown) => v instanceof VaultedText, { raw: true });

// ---------------------------------------------------------------------------------------------
// Ansible: paths on the control node

const path = (v: unknown) => str(v);
const stat = (p: string) => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};
const lstat = (p: string) => {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
};
defineTest(['directory', 'is_dir'], ['path'], (v: unknown) => stat(path(v))?.isDirectory() ?? false);
defineTest(['file', 'is_file'], ['path'], (v: unknown) => stat(path(v))?.isFile() ?? false);
defineTest(['link', 'is_link'], ['path'], (v: unknown) => lstat(path(v))?.isSymbolicLink() ?? false);
defineTest('exists', ['path'], (v: unknown) => existsSync(path(v)));
defineTest('link_exists', ['path'], (v: unknown) => lstat(path(v)) !== undefined);
defineTest(['abs', 'is_abs'], ['path'], (v: unknown) => isAbsolute(path(v)));
defineTest(['same_file', 'is_same_file'], ['a', 'b'], (a: unknown, b: unknown) => {
  try {
    return realpathSync(path(a)) === realpathSync(path(b));
  } catch {
    return false;
  }
});
defineTest(['mount', 'is_mount'], ['path'], (v: unknown) => {
  const p = path(v);
  const s = lstat(p);
  if (!s || s.isSymbolicLink()) return false;
  const parent = stat(join(p, '..'));
  return parent !== undefined && (s.dev !== parent.dev || s.ino === parent.ino);
});

defineTest('url', ['value'], (v: unknown) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s]+$/.test(pyStr(v)));
defineTest('uri', ['value', 'schemes'], (v: unknown) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(pyStr(v)));
defineTest('urn', ['value'], (v: unknown) => /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i.test(pyStr(v)));
