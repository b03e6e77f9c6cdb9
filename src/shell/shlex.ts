// Python's shlex.split in POSIX mode: how Ansible splits command lines (command module), INI
// inventory host lines (with comments) and ssh arguments. One implementation for all of them.

export interface ShlexWord {
  text: string;
  /** 0-based index where the word starts (its first character or opening quote). */
  start: number;
}

export class ShlexError extends Error {
  constructor(
    message: string,
    /** Where in the text the problem is. */
    readonly index: number,
  ) {
    super(message);
    this.name = 'ShlexError';
  }
}

const WHITESPACE = ' \t\r\n';

/**
 * Split like shlex: whitespace separates words; '...' keeps everything; "..." keeps everything but
 * lets a backslash escape `"` and `\`; outside quotes a backslash escapes any character; quoted
 * empty strings are words. With `comments`, `#` outside quotes ends the text (shlex comments=True).
 */
export function shlexSplitWords(text: string, opts: { comments?: boolean } = {}): ShlexWord[] {
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
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.includes(c)) {
      flush();
      i++;
      continue;
    }
    if (c === '#' && opts.comments) break;
    if (start < 0) start = i;
    if (c === "'" || c === '"') {
      quoted = true;
      const open = i;
      i++;
      for (;;) {
        if (i >= text.length) throw new ShlexError('No closing quotation', open);
        const d = text[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (c === '"' && d === '\\') {
          const n = text[i + 1];
          if (n === undefined) throw new ShlexError('No closing quotation', open);
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
      const n = text[i + 1];
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

/** shlex.split(text): the words only. */
export function shlexSplit(text: string, opts: { comments?: boolean } = {}): string[] {
  return shlexSplitWords(text, opts).map((w) => w.text);
}
