// Python's shlex.quote, whose exact output Ansible shows (the quote filter, command's `cmd` in
// messages). (sams' own quoting for the commands it sends is src/shell/quote.ts; shlex.split is
// src/shell/shlex.ts.)

/** shlex.quote: '' for an empty string, the word itself when it has only safe ASCII characters, else single quotes. */
export function pyShlexQuote(s: string): string {
  if (s === '') return "''";
  // JS's \w is ASCII-only, as Python's pattern is (re.ASCII).
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
