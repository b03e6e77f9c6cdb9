// Python's shlex.split(line, comments=True) in POSIX mode, as Ansible's INI inventory splits host
// lines, keeping where each word starts so errors can point at it.

export interface ShlexWord {
  text: string;
  /** 0-based index in the line where the word starts (its first character or opening quote). */
  start: number;
}

export class ShlexError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

const WHITESPACE = ' \t\r\n';

/** Split like shlex: quotes group, backslash escapes, `#` outside quotes ends the line. */
export function shlexSplit(line: string): ShlexWord[] {
  const words: ShlexWord[] = [];
  let token = '';
  let start = -1;
  let quoted = false;
  let i = 0;
  const flush = () => {
    if (token !== '' || quoted) words.push({ text: token, start });
    token = '';
    start = -1;
    quoted = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (WHITESPACE.includes(c)) {
      flush();
      i++;
      continue;
    }
    if (c === '#') break;
    if (start < 0) start = i;
    if (c === "'" || c === '"') {
      quoted = true;
      const open = i;
      i++;
      for (;;) {
        if (i >= line.length) throw new ShlexError('No closing quotation', open);
        const d = line[i]!;
        if (d === c) {
          i++;
          break;
        }
        // Inside double quotes a backslash escapes only `"` and `\`; inside single quotes nothing.
        if (c === '"' && d === '\\') {
          const n = line[i + 1];
          if (n === undefined) throw new ShlexError('No escaped character', i);
          token += n === '"' || n === '\\' ? n : d + n;
          i += 2;
          continue;
        }
        token += d;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      const n = line[i + 1];
      if (n === undefined) throw new ShlexError('No escaped character', i);
      token += n;
      i += 2;
      continue;
    }
    token += c;
    i++;
  }
  flush();
  return words;
}
