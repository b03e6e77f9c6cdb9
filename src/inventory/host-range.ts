// Host entries as Ansible reads them: `host:port`, `[v6]:port`, and ranges `web[01:20]`, `db[a:f]`,
// `h[1:10:2]` (ansible/parsing/utils/addresses.py and the inventory plugins' range expansion).

import { SamsError, type SourceLoc } from '../errors.js';

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const v6 = `(?:[0-9a-f]{1,4}|${hexRange})`;
const v4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const label = String.raw`(?:[\p{L}\p{N}_]|${alnumRange})(?:[\p{L}\p{N}_-]|${alnumRange})*(?<![_-])`;

// Sticky ('y') so that every alternative is anchored at the start, like Python's re.match.
const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/y;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/y;
export const IPV4_RE = new RegExp(String.raw`^(?:${v4}\.){3}${v4}$`, 'iy');
// As in Ansible, `^` binds only the first alternative and `$` only the last.
export const IPV6_RE = new RegExp(
  '^' +
    [
      `(?:${v6}:){7}${v6}`,
      `(?:${v6}:){1,6}:`,
      `(?:${v6}:)(?::${v6}){1,6}`,
      `(?:${v6}:){2}(?::${v6}){1,5}`,
      `(?:${v6}:){3}(?::${v6}){1,4}`,
      `(?:${v6}:){4}(?::${v6}){1,3}`,
      `(?:${v6}:){5}(?::${v6}){1,2}`,
      `(?:${v6}:){6}(?::${v6})`,
      `:(?::${v6}){1,6}`,
      `${v6}?::`,
      String.raw`(?:0:){6}(?:${v6}\.){3}${v6}`,
      String.raw`::(?:ffff:)?(?:${v6}\.){3}${v6}`,
      String.raw`(?:0:){5}ffff:(?:${v6}\.){3}${v6}`,
    ].join('|') +
    '$',
  'iy',
);
const HOSTNAME_RE = new RegExp(String.raw`^${label}(?:\.${label})*$`, 'iuy');

function rematch(re: RegExp, s: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(s);
}

/** True when `name` reads as an IPv4 or IPv6 address (Ansible keeps those whole in inventory_hostname_short). */
export function looksLikeIp(name: string): boolean {
  return rematch(IPV4_RE, name) !== null || rematch(IPV6_RE, name) !== null;
}

/** Ansible's parse_address: host and optional port, or undefined when it is no valid host identifier. */
export function parseAddress(address: string, allowRanges: boolean): { host: string; port?: number } | undefined {
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = rematch(re, address);
    if (m) {
      address = m[1]!;
      port = Number(m[2]);
    }
  }
  const ok = [IPV4_RE, IPV6_RE, HOSTNAME_RE].some((re) => rematch(re, address) !== null);
  if (!ok) return undefined;
  if (!allowRanges && address.includes('[')) return undefined;
  return { host: address, port };
}

/** A host key or INI host word: its host names (ranges expanded) and the port written with it. */
export function expandHostPattern(pattern: string, loc?: SourceLoc): { hostnames: string[]; port?: number } {
  const addr = parseAddress(pattern, true);
  const name = addr?.host ?? pattern;
  const hostnames = name.includes('[') ? expandHostnameRange(name, loc) : [name];
  return { hostnames, port: addr?.port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RANGE_HINT = 'a range is [begin:end] or [begin:end:step], e.g. web[01:20].example.com, db[a:f], h[1:10:2]';

/** Expand every [x:y(:step)] in a host name, first range outermost (Ansible's order). */
export function expandHostnameRange(line: string, loc?: SourceLoc): string[] {
  const err = (msg: string) => new SamsError(`bad host range in '${line}': ${msg}`, { loc, hint: RANGE_HINT });
  const open = line.indexOf('[');
  const close = line.indexOf(']', open + 1);
  if (open < 0 || close < 0 || line.indexOf('|') >= 0) throw err('expected one [begin:end] per bracket pair');
  const head = line.slice(0, open);
  const inner = line.slice(open + 1, close);
  const tail = line.slice(close + 1);
  const bounds = inner.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw err('a range must be begin:end or begin:end:step');
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  if (!end) throw err('the range has no end value');
  let step = 1;
  if (bounds.length === 3) {
    if (!/^\d+$/.test(bounds[2]!) || Number(bounds[2]) === 0) throw err(`the step '${bounds[2]}' must be a positive whole number`);
    step = Number(bounds[2]);
  }
  let seq: string[];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw err('the range must have begin <= end');
    seq = [];
    for (let k = ib; k <= ie; k += step) seq.push(LETTERS[k]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw err(`'${inner}' is neither a numeric nor a single-letter range`);
    // A leading zero asks for zero-padding to the written width, which both ends must share.
    const width = beg.length > 1 && beg[0] === '0' ? beg.length : 0;
    if (width && end.length !== width) throw err('begin and end must have the same number of digits when zero-padded');
    const b = Number(beg);
    const e = Number(end);
    // Ansible silently makes no hosts from a reversed range; it is almost always a typo.
    if (b > e) throw err('the range must have begin <= end');
    seq = [];
    for (let k = b; k <= e; k += step) seq.push(width ? String(k).padStart(width, '0') : String(k));
  }
  const out: string[] = [];
  for (const part of seq) {
    const name = head + part + tail;
    if (name.includes('[')) out.push(...expandHostnameRange(name, loc));
    else out.push(name);
  }
  return out;
}
