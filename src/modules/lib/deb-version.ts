// Debian version ordering (dpkg's verrevcmp, as apt_pkg.version_compare): epoch, then upstream
// version, then revision; `~` sorts before anything, even the end of the string.

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** dpkg's order(): digits and the end 0, `~` -1, letters by code, other characters after letters. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

function parse(v: string): { epoch: number; upstream: string; revision: string } {
  const c = v.indexOf(':');
  const epoch = c >= 0 ? Number(v.slice(0, c)) || 0 : 0;
  const rest = c >= 0 ? v.slice(c + 1) : v;
  const d = rest.lastIndexOf('-');
  return d >= 0 ? { epoch, upstream: rest.slice(0, d), revision: rest.slice(d + 1) } : { epoch, upstream: rest, revision: '' };
}

/** Negative, zero or positive as version `a` sorts before, with or after `b`. */
export function compareDebVersions(a: string, b: string): number {
  const x = parse(a.trim());
  const y = parse(b.trim());
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  return verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
}
