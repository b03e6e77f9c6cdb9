// POSIX shell quoting: commands are built with sh`...`, which quotes every interpolation.

import { Secret } from '../secret.js';

/** Quote one word for /bin/sh: 'it'\''s' style, bare when it is plainly safe. */
export function quote(word: string | number): string {
  const s = String(word);
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A shell command whose text may include secrets: `text` goes to the host, `display` to output. */
export class ShellCommand {
  constructor(
    readonly text: string,
    readonly display: string,
  ) {}
  toString(): string {
    return this.display;
  }
}

/** Raw shell text spliced in unquoted by sh``: for fragments built by other sh`` calls or constants. */
export class RawShell {
  constructor(readonly text: string) {}
}

export function raw(text: string): RawShell {
  return new RawShell(text);
}

type ShArg = string | number | Secret | ShellCommand | RawShell | readonly (string | number)[];

/**
 * Tagged template that quotes every interpolated value. Arrays become several quoted words;
 * ShellCommand and RawShell values are spliced as they are; a Secret is quoted into the text
 * sent to the host but shown masked.
 */
export function sh(strings: TemplateStringsArray, ...values: ShArg[]): ShellCommand {
  let text = strings[0]!;
  let display = strings[0]!;
  values.forEach((v, i) => {
    const [t, d] = render(v);
    text += t + strings[i + 1]!;
    display += d + strings[i + 1]!;
  });
  return new ShellCommand(text, display);
}

function render(v: ShArg): [string, string] {
  if (v instanceof ShellCommand) return [v.text, v.display];
  if (v instanceof RawShell) return [v.text, v.text];
  if (v instanceof Secret) return [quote(v.reveal()), "'********'"];
  if (Array.isArray(v)) {
    const words = (v as readonly (string | number)[]).map(quote).join(' ');
    return [words, words];
  }
  const q = quote(v as string | number);
  return [q, q];
}

/** Join commands with && (each one must succeed). */
export function andThen(...cmds: ShellCommand[]): ShellCommand {
  return new ShellCommand(cmds.map((c) => c.text).join(' && '), cmds.map((c) => c.display).join(' && '));
}
