// Version comparison as Ansible's `version` test: LooseVersion (default), StrictVersion, semver.

import { TemplateFault } from './fault.js';

type Cmp = -1 | 0 | 1;

function cmpList(a: (number | string)[], b: (number | string)[]): Cmp {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) {
      throw new TemplateFault(`'<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** distutils' LooseVersion: numbers and lower-case letter runs, compared as a list. */
export function looseParts(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function strictParts(v: string): { nums: number[]; pre: [string, number] | undefined } {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new TemplateFault(`invalid version number '${v}'`);
  return { nums: [Number(m[1]), Number(m[2]), m[4] !== undefined ? Number(m[4]) : 0], pre: m[5] ? [m[5][0]!, Number(m[6])] : undefined };
}

function strictCmp(a: string, b: string): Cmp {
  const x = strictParts(a);
  const y = strictParts(b);
  const c = cmpList(x.nums, y.nums);
  if (c) return c;
  if (!x.pre && !y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return cmpList(x.pre, y.pre);
}

function semverCmp(a: string, b: string): Cmp {
  const parse = (v: string) => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
    if (!m) throw new TemplateFault(`invalid semantic version '${v}'`);
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : undefined };
  };
  const x = parse(a);
  const y = parse(b);
  const c = cmpList(x.core, y.core);
  if (c) return c;
  if (!x.pre && !y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  const n = Math.min(x.pre.length, y.pre.length);
  for (let i = 0; i < n; i++) {
    const p = x.pre[i]!;
    const q = y.pre[i]!;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    if (typeof p === 'number') return -1;
    if (typeof q === 'number') return 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length === y.pre.length ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

const OPS: Record<string, string> = { '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne' };

/** Ansible's version_compare(value, version, operator='eq', strict=None, version_type=None). */
export function versionCompare(value: string, version: string, operator = 'eq', strict?: boolean | null, versionType?: string | null): boolean {
  if (strict !== undefined && strict !== null && versionType !== undefined && versionType !== null) throw new TemplateFault("Cannot specify both 'strict' and 'version_type'");
  if (!value) throw new TemplateFault('Input version value cannot be empty');
  if (!version) throw new TemplateFault('Version parameter to compare against cannot be empty');
  const op = OPS[operator];
  if (!op) throw new TemplateFault(`Invalid operator type (${operator}). Must be one of ${Object.keys(OPS).join(', ')}`);
  let c: Cmp;
  try {
    const type = strict ? 'strict' : versionType ?? 'loose';
    if (type === 'loose') c = cmpList(looseParts(value), looseParts(version));
    else if (type === 'strict') c = strictCmp(value, version);
    else if (type === 'semver' || type === 'semantic') c = semverCmp(value, version);
    else if (type === 'pep440') c = cmpList(looseParts(value.toLowerCase()), looseParts(version.toLowerCase()));
    else throw new TemplateFault(`Invalid version type (${type}). Must be one of loose, strict, semver, semantic, pep440`);
  } catch (e) {
    if (e instanceof TemplateFault) throw new TemplateFault(`Version comparison failed: ${e.message}`);
    throw e;
  }
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    default:
      return c >= 0;
  }
}
