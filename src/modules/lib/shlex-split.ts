// Python's shlex.split(text) (POSIX mode, no comments): how Ansible's command module turns its
// command line into argv.

export class ShlexSplitError extends Error {}

const WHITESPACE = ' \t\r\n';

/**
 * Split like shlex.split: whitespace separates words; '...' keeps everything; "..." keeps
 * everything but lets a backslash escape `"` and `\`; outside quotes a backslash escapes any
 * character. `#` is an ordinary character (shlex.split's comments=False). Quoted empty strings
 * are words of their own.
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.includes(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShlexSplitError('No closing quotation');
      word += text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new ShlexSplitError('No closing quotation');
        const d = text[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const n = text[i + 1];
          if (n === undefined) throw new ShlexSplitError('No closing quotation');
          word += n === '"' || n === '\\' ? n : d + n;
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) throw new ShlexSplitError('No escaped character');
      word += n;
      i += 2;
      continue;
    }
    word += c;
    i++;
  }
  if (inWord) words.push(word);
  return words;
}
