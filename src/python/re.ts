// Python `re` patterns (3.11, what ansible-core 2.14 runs) on JavaScript RegExps, parsed with
// Python's own rules so a pattern means here what it means to Ansible: for text (str patterns)
// and for bytes (Latin-1 strings standing for raw bytes, as lineinfile and blockinfile match).
// Also re.search / match / subn / findall / escape / Match.expand with Python's replacement
// templates, and a PCRE rendering of the same pattern for `grep -P` on the target (find's
// `contains`). Modules and the template filters and tests (regex_*, match, search) share it.

export class PyRegexError extends Error {}

export interface PyCompileOptions {
  /** Pattern and subjects are byte strings (one char per byte, 0-255): ASCII classes, no \u escapes. */
  bytes?: boolean;
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  /** Also build a RegExp with group indices (the `d` flag), for Match.start(group). */
  indices?: boolean;
}

export interface PyFlags {
  ignorecase: boolean;
  multiline: boolean;
  dotall: boolean;
  verbose: boolean;
  ascii: boolean;
}

export interface PyPattern {
  /** The Python pattern as given. */
  source: string;
  bytes: boolean;
  /** The pattern's global flags: compile flags plus leading inline ones (blockinfile tests MULTILINE). */
  flags: PyFlags;
  /** Number of capturing groups; JS numbers them as Python does. */
  groups: number;
  groupIndex: ReadonlyMap<string, number>;
  /** Search from lastIndex (flag g). */
  global: RegExp;
  /** Match at lastIndex only (flag y). */
  sticky: RegExp;
  /** Like global, with group indices (only with `indices`). */
  withIndices?: RegExp;
}

type Target = 'js' | 'pcre';

const DIGITS = /[0-9]/;
const OCT = /[0-7]/;
const HEX = /[0-9a-fA-F]/;
const ASCII_LETTER = /[A-Za-z]/;
const VERBOSE_SPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
/** Python's str.isspace() set, for \s on text. */
const UNI_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** A class item inside [...]: one code point, a range, or a category escape (\d, \W...). */
type ClassItem = { kind: 'char'; cp: number } | { kind: 'range'; lo: number; hi: number } | { kind: 'cat'; cat: string };

interface Scope {
  dotall: boolean;
  multiline: boolean;
  verbose: boolean;
  ascii: boolean;
  /** Group number of a capturing group (to close it), else 0. */
  group: number;
  /** Where the group's `(` is, for Python's "unterminated subpattern" position. */
  at: number;
}

class Translator {
  private i = 0;
  private out = '';
  groups = 0;
  readonly names = new Map<string, number>();
  private readonly open = new Set<number>();
  private readonly stack: Scope[] = [];
  private cur: Omit<Scope, 'group' | 'at'>;
  readonly flags: PyFlags;
  /** Whether the last thing emitted can take a quantifier, and whether it already has one. */
  private repeatable = false;
  private repeated = false;
  /** Top level, first alternative, nothing parsed yet: where Python 3.11 allows global flags. */
  private atStart = true;
  usesCategories = false;

  constructor(
    private readonly p: string,
    private readonly bytes: boolean,
    private readonly target: Target,
    o: PyCompileOptions,
  ) {
    this.flags = { ignorecase: !!o.ignorecase, multiline: !!o.multiline, dotall: !!o.dotall, verbose: false, ascii: false };
    this.cur = { dotall: this.flags.dotall, multiline: this.flags.multiline, verbose: false, ascii: false };
  }

  private err(msg: string, at = this.i): never {
    throw new PyRegexError(`${msg} at position ${at}`);
  }

  private unsupported(what: string, at: number): never {
    throw new PyRegexError(`${what} (at position ${at}) is not supported by sams' Python regex translation`);
  }

  translate(): string {
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i]!;
      const at = this.i;
      if (this.cur.verbose && VERBOSE_SPACE.has(c)) {
        this.i++;
        continue;
      }
      if (this.cur.verbose && c === '#') {
        while (this.i < p.length && p[this.i] !== '\n') this.i++;
        continue;
      }
      this.i++;
      switch (c) {
        case '\\':
          this.escape(at);
          break;
        case '[':
          this.atom(this.charClass(at));
          break;
        case '(':
          this.group(at);
          break;
        case ')':
          this.closeGroup(at);
          break;
        case '|':
          this.out += '|';
          this.repeatable = false;
          this.atStart = false;
          break;
        case '.':
          this.atom(this.cur.dotall ? '[\\s\\S]' : '[^\\n]');
          break;
        case '^':
          this.anchor(this.cur.multiline ? '(?<![^\\n])' : '(?<![\\s\\S])');
          break;
        case '$':
          this.anchor(this.cur.multiline ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))');
          break;
        case '*':
        case '+':
        case '?':
          this.quantifier(c, at);
          break;
        case '{': {
          const q = this.braces();
          if (q === undefined) this.atom(this.lit(0x7b));
          else this.quantifier(q, at);
          break;
        }
        default: {
          const cp = p.codePointAt(at)!;
          this.atom(this.lit(cp));
          if (cp > 0xffff) this.i++;
        }
      }
    }
    if (this.stack.length) this.err('missing ), unterminated subpattern', this.stack[this.stack.length - 1]!.at);
    return this.out;
  }

  private atom(text: string): void {
    this.out += text;
    this.repeatable = true;
    this.repeated = false;
    this.atStart = false;
  }

  private anchor(text: string): void {
    this.out += text;
    this.repeatable = false;
    this.repeated = false;
    this.atStart = false;
  }

  private lit(cp: number): string {
    if (/[A-Za-z0-9_]/.test(String.fromCodePoint(cp))) return String.fromCodePoint(cp);
    return this.target === 'js' ? `\\u{${cp.toString(16)}}` : `\\x{${cp.toString(16)}}`;
  }

  /** `{m,n}` after `{`, as Python reads it; undefined when it is a literal brace. */
  private braces(): string | undefined {
    const p = this.p;
    const start = this.i;
    if (p[this.i] === '}') return undefined;
    let lo = '';
    let hi = '';
    while (this.i < p.length && DIGITS.test(p[this.i]!)) lo += p[this.i++];
    let comma = false;
    if (p[this.i] === ',') {
      comma = true;
      this.i++;
      while (this.i < p.length && DIGITS.test(p[this.i]!)) hi += p[this.i++];
    } else hi = lo;
    if (p[this.i] !== '}') {
      this.i = start;
      return undefined;
    }
    this.i++;
    const min = lo === '' ? 0 : Number(lo);
    if (hi !== '' && Number(hi) < min) this.err('min repeat greater than max repeat', start);
    if (min > 4294967294 || (hi !== '' && Number(hi) > 4294967294)) this.err('the repetition number is too large', start);
    return comma ? `{${min},${hi}}` : `{${min}}`;
  }

  private quantifier(q: string, at: number): void {
    if (this.repeated) this.err('multiple repeat', at);
    if (!this.repeatable) this.err('nothing to repeat', at);
    let text = q;
    if (this.p[this.i] === '?') {
      text += '?';
      this.i++;
    } else if (this.p[this.i] === '+') {
      this.unsupported('a possessive quantifier', this.i);
    }
    this.out += text;
    this.repeated = true;
  }

  private category(letter: string): string {
    this.usesCategories = true;
    const ascii = this.bytes || this.cur.ascii;
    if (this.target === 'pcre' && !ascii) return `\\${letter}`;
    const W = ascii ? 'A-Za-z0-9_' : '\\p{L}\\p{N}_';
    const S = ascii ? '\\t-\\r ' : UNI_SPACE;
    switch (letter) {
      case 'd':
        return ascii ? '[0-9]' : '\\p{Nd}';
      case 'D':
        return ascii ? '[^0-9]' : '\\P{Nd}';
      case 'w':
        return `[${W}]`;
      case 'W':
        return `[^${W}]`;
      case 's':
        return this.target === 'pcre' ? '[\\t-\\r ]' : `[${S}]`;
      case 'S':
        return this.target === 'pcre' ? '[^\\t-\\r ]' : `[^${S}]`;
      case 'b':
      case 'B': {
        const w = `[${W}]`;
        return letter === 'b' ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
      }
    }
    throw new Error(`no category ${letter}`);
  }

  /** \x.. \u.... \U........ \0.. after the backslash letter; the code point, or undefined if not one of them. */
  private numericEscape(c: string, at: number, inClass: boolean): number | undefined {
    const p = this.p;
    const take = (n: number, re: RegExp) => {
      let s = '';
      while (s.length < n && this.i < p.length && re.test(p[this.i]!)) s += p[this.i++];
      return s;
    };
    if (c === 'x') {
      const h = take(2, HEX);
      if (h.length !== 2) this.err(`incomplete escape \\x${h}`, at);
      return parseInt(h, 16);
    }
    if ((c === 'u' || c === 'U') && !this.bytes) {
      const n = c === 'u' ? 4 : 8;
      const h = take(n, HEX);
      if (h.length !== n) this.err(`incomplete escape \\${c}${h}`, at);
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) this.err(`bad escape \\${c}${h}`, at);
      return cp;
    }
    if (c === 'N' && !this.bytes) this.unsupported('a named character escape \\N{...}', at);
    if (inClass ? OCT.test(c) : c === '0') {
      const o = c + take(2, OCT);
      const v = parseInt(o, 8);
      if (v > 0o377) this.err(`octal escape value \\${o} outside of range 0-0o377`, at);
      return v;
    }
    return undefined;
  }

  private escape(at: number): void {
    const p = this.p;
    if (this.i >= p.length) this.err('bad escape (end of pattern)', at);
    const c = p[this.i++]!;
    if ('dDwWsS'.includes(c)) return this.atom(this.category(c));
    if (c === 'b' || c === 'B') return this.anchor(this.category(c));
    if (c === 'A') return this.anchor('(?<![\\s\\S])');
    if (c === 'Z') return this.anchor('(?![\\s\\S])');
    if (c in SIMPLE_ESCAPES) return this.atom(this.lit(SIMPLE_ESCAPES[c]!));
    const num = this.numericEscape(c, at, false);
    if (num !== undefined) return this.atom(this.lit(num));
    if (DIGITS.test(c)) {
      // Octal escape (three octal digits) or a group reference of one or two digits, as Python decides.
      let esc = c;
      if (this.i < p.length && DIGITS.test(p[this.i]!)) {
        esc += p[this.i++];
        if (OCT.test(esc[0]!) && OCT.test(esc[1]!) && this.i < p.length && OCT.test(p[this.i]!)) {
          esc += p[this.i++];
          const v = parseInt(esc, 8);
          if (v > 0o377) this.err(`octal escape value \\${esc} outside of range 0-0o377`, at);
          return this.atom(this.lit(v));
        }
      }
      return this.backref(Number(esc), at);
    }
    if (ASCII_LETTER.test(c)) this.err(`bad escape \\${c}`, at);
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    this.atom(this.lit(cp));
  }

  private backref(n: number, at: number): void {
    if (n > this.groups) this.err(`invalid group reference ${n}`, at);
    if (this.open.has(n)) this.err('cannot refer to an open group', at);
    this.atom(this.target === 'js' ? `(?:\\${n})` : `\\g{${n}}`);
  }

  private classEscape(at: number): ClassItem {
    const p = this.p;
    if (this.i >= p.length) this.err('unterminated character set', at);
    const c = p[this.i++]!;
    if (c in SIMPLE_ESCAPES) return { kind: 'char', cp: SIMPLE_ESCAPES[c]! };
    if ('dDwWsS'.includes(c)) return { kind: 'cat', cat: c };
    const num = this.numericEscape(c, at, true);
    if (num !== undefined) return { kind: 'char', cp: num };
    if (ASCII_LETTER.test(c) || DIGITS.test(c)) this.err(`bad escape \\${c}`, at);
    return { kind: 'char', cp: p.codePointAt(this.i - 1)! };
  }

  private classChar(): ClassItem {
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { kind: 'char', cp };
  }

  /** `[...]` after the `[`, parsed as sre_parse does; returns the JS/PCRE class text. */
  private charClass(at: number): string {
    const p = this.p;
    const items: ClassItem[] = [];
    const negate = p[this.i] === '^';
    if (negate) this.i++;
    for (;;) {
      if (this.i >= p.length) this.err('unterminated character set', at);
      const here = this.i;
      if (p[this.i] === ']' && items.length) {
        this.i++;
        break;
      }
      let first: ClassItem;
      if (p[this.i] === '\\') {
        this.i++;
        first = this.classEscape(here);
      } else first = this.classChar();
      if (p[this.i] === '-') {
        this.i++;
        if (this.i >= p.length) this.err('unterminated character set', at);
        if (p[this.i] === ']') {
          this.i++;
          items.push(first, { kind: 'char', cp: 0x2d });
          break;
        }
        const thatAt = this.i;
        let second: ClassItem;
        if (p[this.i] === '\\') {
          this.i++;
          second = this.classEscape(thatAt);
        } else second = this.classChar();
        if (first.kind !== 'char' || second.kind !== 'char' || second.cp < first.cp) {
          this.err(`bad character range ${p.slice(here, thatAt - 1)}-${p.slice(thatAt, this.i)}`, here);
        }
        items.push({ kind: 'range', lo: first.cp, hi: second.cp });
      } else items.push(first);
    }
    let body = '';
    for (const it of items) {
      if (it.kind === 'char') body += this.classLit(it.cp);
      else if (it.kind === 'range') body += `${this.classLit(it.lo)}-${this.classLit(it.hi)}`;
      else body += this.classCategory(it.cat);
    }
    return `[${negate ? '^' : ''}${body}]`;
  }

  private classLit(cp: number): string {
    return this.target === 'js' ? `\\u{${cp.toString(16)}}` : `\\x{${cp.toString(16)}}`;
  }

  private classCategory(cat: string): string {
    this.usesCategories = true;
    const ascii = this.bytes || this.cur.ascii;
    if (this.target === 'pcre') {
      if (!ascii || 'dDwW'.includes(cat)) return `\\${cat}`;
      return cat === 's' ? '\\t-\\r ' : '[:^space:]';
    }
    // A category is a class of its own; the v flag lets classes nest.
    return this.category(cat);
  }

  /** The name up to `end`; errors about it point at its start, as Python's do. */
  private readName(end: string): string {
    const at = this.i;
    const close = this.p.indexOf(end, this.i);
    if (close < 0) this.err(`missing ${end}, unterminated name`, at);
    const name = this.p.slice(this.i, close);
    this.i = close + 1;
    if (name === '') this.err('missing group name', at);
    return name;
  }

  private checkName(name: string, at: number): void {
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) this.err(`bad character in group name '${name}'`, at);
  }

  private pushScope(at: number, group: number, changes: Partial<Omit<Scope, 'group' | 'at'>> = {}): void {
    this.stack.push({ ...this.cur, group, at });
    this.cur = { ...this.cur, ...changes };
    if (group) this.open.add(group);
    this.repeatable = false;
    this.repeated = false;
    this.atStart = false;
  }

  private closeGroup(at: number): void {
    const s = this.stack.pop();
    if (!s) this.err('unbalanced parenthesis', at);
    if (s.group) this.open.delete(s.group);
    this.cur = { dotall: s.dotall, multiline: s.multiline, verbose: s.verbose, ascii: s.ascii };
    this.out += ')';
    this.repeatable = true;
    this.repeated = false;
    this.atStart = false;
  }

  private group(at: number): void {
    const p = this.p;
    if (p[this.i] !== '?') {
      const n = ++this.groups;
      this.out += '(';
      this.pushScope(at, n);
      return;
    }
    this.i++;
    const c = p[this.i];
    if (c === undefined) this.err('unexpected end of pattern', this.i);
    if (c === 'P') {
      this.i++;
      if (p[this.i] === '<') {
        this.i++;
        const nameAt = this.i;
        const name = this.readName('>');
        this.checkName(name, nameAt);
        const n = ++this.groups;
        if (this.names.has(name)) this.err(`redefinition of group name '${name}' as group ${n}; was group ${this.names.get(name)}`, nameAt);
        this.names.set(name, n);
        this.out += this.target === 'js' ? `(?<${name}>` : `(?P<${name}>`;
        this.pushScope(at, n);
        return;
      }
      if (p[this.i] === '=') {
        this.i++;
        const nameAt = this.i;
        const name = this.readName(')');
        this.checkName(name, nameAt);
        const n = this.names.get(name);
        if (n === undefined) this.err(`unknown group name '${name}'`, nameAt);
        if (this.open.has(n)) this.err('cannot refer to an open group', nameAt);
        this.atom(this.target === 'js' ? `(?:\\k<${name}>)` : `(?P=${name})`);
        return;
      }
      this.err(`unknown extension ?P${p[this.i] ?? ''}`, at);
    }
    if (c === ':' || c === '=' || c === '!') {
      this.i++;
      this.out += `(?${c}`;
      this.pushScope(at, 0);
      return;
    }
    if (c === '<') {
      this.i++;
      const d = p[this.i];
      if (d === '=' || d === '!') {
        this.i++;
        this.out += `(?<${d}`;
        this.pushScope(at, 0);
        return;
      }
      this.err(`unknown extension ?<${d ?? ''}`, at);
    }
    if (c === '#') {
      const close = p.indexOf(')', this.i);
      if (close < 0) this.err('missing ), unterminated comment', at);
      this.i = close + 1;
      return;
    }
    if (c === '(') this.unsupported('a conditional group (?(...)...)', at);
    if (c === '>') this.unsupported('an atomic group (?>...)', at);
    if ('aiLmsux-'.includes(c)) return this.inlineFlags(at);
    this.err(`unknown extension ?${c}`, at);
  }

  private inlineFlags(at: number): void {
    const p = this.p;
    const on = new Set<string>();
    const off = new Set<string>();
    while (this.i < p.length && 'aiLmsux'.includes(p[this.i]!)) on.add(p[this.i++]!);
    if (on.has('L') && !this.bytes) this.err("bad inline flag: cannot use 'L' flag with a str pattern", at);
    if (on.has('u') && this.bytes) this.err("bad inline flag: cannot use 'u' flag with a bytes pattern", at);
    if ([...on].filter((f) => 'aLu'.includes(f)).length > 1) this.err("bad inline flag: flags 'a', 'u' and 'L' are incompatible", at);
    if (on.has('L')) this.unsupported("the locale flag 'L'", at);
    if (p[this.i] === ')') {
      this.i++;
      if (!this.atStart || this.stack.length) this.err('global flags not at the start of the expression', at);
      if (on.has('i')) this.flags.ignorecase = true;
      if (on.has('m')) this.flags.multiline = this.cur.multiline = true;
      if (on.has('s')) this.flags.dotall = this.cur.dotall = true;
      if (on.has('x')) this.flags.verbose = this.cur.verbose = true;
      if (on.has('a')) this.flags.ascii = this.cur.ascii = true;
      return;
    }
    if (p[this.i] === '-') {
      this.i++;
      while (this.i < p.length && 'aiLmsux'.includes(p[this.i]!)) {
        const f = p[this.i++]!;
        if ('aLu'.includes(f)) this.err("bad inline flag: cannot turn off flags 'a', 'u' and 'L'", at);
        off.add(f);
      }
      if (off.size === 0) this.err('missing flag', this.i);
      if (p[this.i] !== ':') this.err('missing :', this.i);
    }
    if (p[this.i] !== ':') this.err(p[this.i] === undefined ? 'missing -, : or )' : `unknown flag`, this.i);
    this.i++;
    for (const f of on) if (off.has(f)) this.err('bad inline flag: flag turned on and off', at);
    // Case folding cannot change inside a JS pattern; the other flags are translated per scope.
    if ((on.has('i') && !this.flags.ignorecase) || (off.has('i') && this.flags.ignorecase)) {
      this.unsupported('a scoped case-insensitivity flag (?i:...) or (?-i:...); put (?i) at the start of the pattern instead', at);
    }
    const changes: Partial<Omit<Scope, 'group' | 'at'>> = {};
    if (on.has('m')) changes.multiline = true;
    if (off.has('m')) changes.multiline = false;
    if (on.has('s')) changes.dotall = true;
    if (off.has('s')) changes.dotall = false;
    if (on.has('x')) changes.verbose = true;
    if (off.has('x')) changes.verbose = false;
    if (on.has('a')) changes.ascii = true;
    if (on.has('u')) changes.ascii = false;
    this.out += '(?:';
    this.pushScope(at, 0, changes);
  }
}

function translate(pattern: string, o: PyCompileOptions, target: Target) {
  const t = new Translator(pattern, !!o.bytes, target, o);
  const body = t.translate();
  return { body, t };
}

// Templates compile the same pattern for every loop item; Python's re caches compiled patterns too.
const compiled = new Map<string, PyPattern>();

/** Compile a Python pattern. Throws PyRegexError with Python's message for what Python rejects too. */
export function compilePy(pattern: string, o: PyCompileOptions = {}): PyPattern {
  const key = `${o.bytes ? 'b' : ''}${o.ignorecase ? 'i' : ''}${o.multiline ? 'm' : ''}${o.dotall ? 's' : ''}${o.indices ? 'd' : ''}\0${pattern}`;
  let p = compiled.get(key);
  if (!p) {
    p = compileUncached(pattern, o);
    if (compiled.size >= 2000) compiled.clear();
    compiled.set(key, p);
  }
  return p;
}

function compileUncached(pattern: string, o: PyCompileOptions): PyPattern {
  if (o.bytes && /[^\x00-\xff]/.test(pattern)) throw new PyRegexError('a bytes pattern must hold only byte values (0-255)');
  const { body, t } = translate(pattern, o, 'js');
  const base = `v${t.flags.ignorecase ? 'i' : ''}`;
  let global: RegExp;
  let sticky: RegExp;
  let withIndices: RegExp | undefined;
  try {
    global = new RegExp(body, base + 'g');
    sticky = new RegExp(body, base + 'y');
    if (o.indices) withIndices = new RegExp(body, base + 'gd');
  } catch (e) {
    throw new PyRegexError(`cannot use this pattern: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  return { source: pattern, bytes: !!o.bytes, flags: t.flags, groups: t.groups, groupIndex: t.names, global, sticky, withIndices };
}

/** The same pattern for PCRE2 (`grep -P`), as `re.match` (anchored at the start) or `re.search`. */
export function pyToPcre(pattern: string, o: PyCompileOptions & { anchored?: boolean } = {}): string {
  const { body, t } = translate(pattern, o, 'pcre');
  // (*UCP) gives \w \d \b their Unicode meaning, as in Python's str patterns.
  const ucp = !t.flags.ascii && !o.bytes && t.usesCategories ? '(*UCP)' : '';
  const flags = t.flags.ignorecase ? '(?i)' : '';
  return `${ucp}${flags}${o.anchored ? `\\A(?:${body})` : body}`;
}

/** re.search(pattern, text[pos:]) with positions relative to the whole text. */
export function pySearch(p: PyPattern, text: string, pos = 0): RegExpExecArray | null {
  p.global.lastIndex = pos;
  return p.global.exec(text);
}

/** re.match: a match starting at `pos`. */
export function pyMatch(p: PyPattern, text: string, pos = 0): RegExpExecArray | null {
  p.sticky.lastIndex = pos;
  return p.sticky.exec(text);
}

/** A parsed replacement template: literal strings and group numbers. */
export type PyTemplate = (string | number)[];

/** Parse a replacement template (`\1`, `\g<1>`, `\g<name>`, escapes) for pattern `p`, as Python 3.11 does. */
export function parseTemplate(tpl: string, p: PyPattern): PyTemplate {
  const parts: PyTemplate = [];
  let lit = '';
  const push = (g: number) => {
    if (g > p.groups) throw new PyRegexError(`invalid group reference ${g} in the replacement`);
    if (lit) parts.push(lit);
    lit = '';
    parts.push(g);
  };
  for (let i = 0; i < tpl.length; i++) {
    const ch = tpl[i]!;
    if (ch !== '\\') {
      lit += ch;
      continue;
    }
    const c = tpl[i + 1];
    if (c === undefined) throw new PyRegexError('bad escape (end of pattern) in the replacement');
    i++;
    if (c === 'g') {
      if (tpl[i + 1] !== '<') throw new PyRegexError('missing < after \\g in the replacement');
      const close = tpl.indexOf('>', i + 2);
      if (close < 0) throw new PyRegexError('missing >, unterminated name in the replacement');
      const name = tpl.slice(i + 2, close);
      if (name === '') throw new PyRegexError('missing group name in the replacement');
      i = close;
      if (/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
        const g = p.groupIndex.get(name);
        if (g === undefined) throw new PyRegexError(`unknown group name '${name}' in the replacement`);
        push(g);
      } else if (/^[0-9]+$/.test(name)) push(Number(name));
      else throw new PyRegexError(`bad character in group name '${name}' in the replacement`);
    } else if (c === '0') {
      let o = '0';
      if (OCT.test(tpl[i + 1] ?? '')) o += tpl[++i];
      if (OCT.test(tpl[i + 1] ?? '')) o += tpl[++i];
      lit += String.fromCharCode(parseInt(o, 8) & 0xff);
    } else if (DIGITS.test(c)) {
      let d = c;
      if (DIGITS.test(tpl[i + 1] ?? '')) {
        d += tpl[++i];
        if (OCT.test(d[0]!) && OCT.test(d[1]!) && OCT.test(tpl[i + 1] ?? '')) {
          d += tpl[++i];
          const v = parseInt(d, 8);
          if (v > 0o377) throw new PyRegexError(`octal escape value \\${d} outside of range 0-0o377 in the replacement`);
          lit += String.fromCharCode(v);
          continue;
        }
      }
      push(Number(d));
    } else if (c in SIMPLE_ESCAPES) {
      lit += String.fromCharCode(SIMPLE_ESCAPES[c]!);
    } else if (ASCII_LETTER.test(c)) {
      throw new PyRegexError(`bad escape \\${c} in the replacement`);
    } else {
      // Python keeps the backslash of an unknown non-letter escape.
      lit += '\\' + c;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

/** Match.expand: a group that did not take part gives ''. */
export function expandTemplate(t: PyTemplate, m: RegExpExecArray): string {
  let s = '';
  for (const part of t) s += typeof part === 'string' ? part : (m[part] ?? '');
  return s;
}

/** re.subn(pattern, template, text, count): the new text and the number of replacements. */
export function pySubn(p: PyPattern, t: PyTemplate, text: string, count = 0): [string, number] {
  let out = '';
  let last = 0;
  let n = 0;
  p.global.lastIndex = 0;
  for (const m of text.matchAll(p.global)) {
    out += text.slice(last, m.index) + expandTemplate(t, m);
    last = m.index + m[0].length;
    n++;
    if (count > 0 && n >= count) break;
  }
  return [out + text.slice(last), n];
}

/** re.findall: the whole match with no group, the group with one, a list of the groups (a tuple in Python) with several; '' for a group that did not take part. */
export function pyFindall(p: PyPattern, text: string): (string | string[])[] {
  const out: (string | string[])[] = [];
  p.global.lastIndex = 0;
  for (const m of text.matchAll(p.global)) {
    if (p.groups === 0) out.push(m[0]);
    else if (p.groups === 1) out.push(m[1] ?? '');
    else out.push(m.slice(1).map((g) => g ?? ''));
  }
  return out;
}

/** re.escape (Python 3.7+): only the regex metacharacters and whitespace get a backslash. */
export function pyEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');
}

/** The UTF-8 bytes of a string as a byte string (one char per byte), as to_bytes() gives Python. */
export function toByteString(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** re.compile(to_bytes(pattern)), as lineinfile and blockinfile compile their text arguments: the bytes pattern of its UTF-8. */
export function compileToBytes(pattern: string): PyPattern {
  return compilePy(toByteString(pattern), { bytes: true });
}

/** A short message for a pattern error, naming the argument. */
export function describePyRegexError(what: string, pattern: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `${what} ${JSON.stringify(pattern)} is not a usable Python regular expression: ${msg}`;
}
