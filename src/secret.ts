// Secret values (from the vault, or derived from one) and the redaction every output sink applies.

export const SECRET_MASK = '********';

/** A value that prints as the mask however it is printed: String(), JSON, console.log/util.inspect. */
export abstract class Masked {
  toString(): string {
    return SECRET_MASK;
  }
  toJSON(): string {
    return SECRET_MASK;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return SECRET_MASK;
  }
}

/**
 * A value that came out of a vault, or was computed from one. It prints as the mask everywhere
 * (toString, JSON, util.inspect); only code that sends data to a host calls reveal().
 */
export class Secret extends Masked {
  readonly #value: string;
  /** A secret from its source (vault, prompt): its text and, for multi-line text, each line are redacted. */
  constructor(value: string, registerLines = true) {
    super();
    this.#value = value;
    registerSecretText(value, registerLines);
  }
  /**
   * A value computed from secrets (a rendered file, a hash): the whole text is redacted but not
   * its lines one by one, so the ordinary lines of a config that holds one password stay visible.
   */
  static derived(value: string): Secret {
    return new Secret(value, false);
  }
  reveal(): string {
    return this.#value;
  }
}

export function isSecret(v: unknown): v is Secret {
  return v instanceof Secret;
}

/** The plain text of a string or Secret. */
export function reveal(v: string | Secret): string {
  return typeof v === 'string' ? v : v.reveal();
}

/** Deep copy with every Secret replaced by its text: for the bytes that go to a host, never for output. */
export function revealDeep(v: unknown): unknown {
  if (v instanceof Secret) return v.reveal();
  if (Array.isArray(v)) return v.map(revealDeep);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = revealDeep(x);
    return out;
  }
  return v;
}

/** True when v is a Secret or holds one anywhere inside. */
export function containsSecret(v: unknown): boolean {
  if (v instanceof Secret) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isPlainObject(v)) return Object.values(v).some(containsSecret);
  return false;
}

/**
 * Every secret text seen in this process. Output sinks (reporters, log file, JSON stream, errors)
 * pass what they print through redact(), a second line of defence behind the Secret type: a
 * secret that reached a string by a path the type did not follow is still masked.
 */
const secretTexts = new Set<string>();
let secretPattern: RegExp | null = null;

/** Texts shorter than this are not redacted by value (a one-letter secret would mask every 'a'). */
const MIN_REDACT_LENGTH = 4;

/** Derived texts longer than this are not redacted by value (a whole rendered file); the type still masks them. */
const MAX_DERIVED_REDACT_LENGTH = 4096;

export function registerSecretText(text: string, lines = true): void {
  if (text.length < MIN_REDACT_LENGTH || secretTexts.has(text)) return;
  if (!lines && text.length > MAX_DERIVED_REDACT_LENGTH) return;
  for (const form of printedForms(text)) secretTexts.add(form);
  if (lines && text.includes('\n')) {
    // A multi-line secret (a key file) is also masked line by line, as output may split it.
    for (const line of text.split('\n')) if (line.trim().length >= 8) for (const form of printedForms(line.trim())) secretTexts.add(form);
  } else if (lines && /\s/.test(text.trim())) {
    // A passphrase: command splits its words into separate arguments, each printed on its own.
    for (const word of text.split(/\s+/)) if (word.length >= MIN_REDACT_LENGTH) for (const form of printedForms(word)) secretTexts.add(form);
  }
  secretPattern = null;
}

/**
 * The text as it appears once escaped for where it is printed: inside single quotes for sh
 * (sams' quoting and Python's shlex.quote) and inside a JSON string.
 */
function printedForms(text: string): string[] {
  return [...new Set([text, text.replace(/'/g, `'\\''`), text.replace(/'/g, `'"'"'`), JSON.stringify(text).slice(1, -1)])];
}

export function redact(text: string): string {
  if (secretTexts.size === 0) return text;
  if (!secretPattern) {
    const alternatives = [...secretTexts].sort((a, b) => b.length - a.length).map(escapeRegExp);
    secretPattern = new RegExp(alternatives.join('|'), 'g');
  }
  return text.replace(secretPattern, SECRET_MASK);
}

/** Test hook: forget registered texts. */
export function clearSecretTexts(): void {
  secretTexts.clear();
  secretPattern = null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
