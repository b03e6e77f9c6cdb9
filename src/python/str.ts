// Python str methods that more than one area needs with Python's exact rules.

/** str.splitlines(keepends): every line boundary Python knows (\r\n, \n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029). */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, keepends ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}
