// Python's ast.literal_eval for INI inventory values: Ansible's ini plugin runs every value through
// it and keeps the text when it is not a Python literal (`x=1` is 1, `x=yes` stays "yes").

/** The value of `text` read as a Python literal, or undefined when literal_eval would refuse it. */
export function pyLiteral(text: string): { value: unknown } | undefined {
  let toks: Tok[];
  try {
    // literal_eval strips leading blanks itself before parsing.
    toks = tokenize(text.replace(/^[ \t]+/, ''));
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
  const p = new Parser(toks);
  try {
    const node = p.testList(true);
    if (p.peek().t !== 'end') return undefined;
    return { value: node.value };
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

/** Ansible's INI value rule: the literal's value when there is one, else the text unchanged. */
export function iniValue(text: string): unknown {
  const lit = pyLiteral(text);
  return lit ? lit.value : text;
}

class NotLiteral extends Error {}
const fail = (): never => {
  throw new NotLiteral('not a literal');
};

type Tok =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string; bytes: boolean }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXP = String.raw`[eE][+-]?${DIGITS}`;
const POINT = String.raw`(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.`;
const FLOAT_RE = new RegExp(String.raw`(?:(?:${POINT}|${DIGITS})${EXP}|${POINT})`, 'y');
const RADIX_RE = /0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/y;
const DECINT_RE = /[1-9](?:_?\d)*|0(?:_?0)*/y;
const NAME_RE = /[A-Za-z_\u00aa-\uffff][A-Za-z0-9_\u00aa-\uffff]*/y;
const PREFIX_RE = /(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?(?='|")/y;
const OPS = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '+', '-']);

function sticky(re: RegExp, s: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(s);
  return m ? m[0] : undefined;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      // Newlines join lines only inside brackets; a trailing one is harmless.
      if (depth === 0 && s.slice(i).trim() !== '') fail();
      i++;
      continue;
    }
    if (c === '\\' && (s[i + 1] === '\n' || s[i + 1] === '\r')) {
      i += 2;
      continue;
    }
    if (c === '#') {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    const prefix = sticky(PREFIX_RE, s, i);
    if (prefix !== undefined) {
      const lower = prefix.toLowerCase();
      if (lower.includes('f')) fail(); // f-strings are not literals
      const [v, end] = readString(s, i + prefix.length, lower.includes('r'), lower.includes('b'));
      out.push({ t: 'str', v, bytes: lower.includes('b') });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      let text = sticky(RADIX_RE, s, i);
      let v: number;
      if (text !== undefined) {
        const digits = text.slice(2).replace(/_/g, '');
        v = parseInt(digits, { x: 16, o: 8, b: 2 }[text[1]!.toLowerCase() as 'x' | 'o' | 'b']);
      } else {
        text = sticky(FLOAT_RE, s, i) ?? sticky(DECINT_RE, s, i);
        if (text === undefined) fail();
        v = Number(text!.replace(/_/g, ''));
      }
      i += text!.length;
      // 1j (complex), 01 (leading zero), 1abc: not literals we can represent.
      if (/[0-9A-Za-z_.]/.test(s[i] ?? '')) fail();
      out.push({ t: 'num', v });
      continue;
    }
    const name = sticky(NAME_RE, s, i);
    if (name !== undefined) {
      out.push({ t: 'name', v: name });
      i += name.length;
      continue;
    }
    if (OPS.has(c)) {
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c)) depth--;
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    fail();
  }
  out.push({ t: 'end' });
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Reads a quoted string starting at the quote; returns its value and the index after it. */
function readString(s: string, at: number, raw: boolean, bytes: boolean): [string, number] {
  const q = s[at]!;
  const triple = s.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  let i = at + close.length;
  let v = '';
  for (;;) {
    if (i >= s.length) fail();
    if (s.startsWith(close, i)) return [v, i + close.length];
    const c = s[i]!;
    if ((c === '\n' || c === '\r') && !triple) fail();
    if (c !== '\\') {
      if (bytes && c.charCodeAt(0) > 0x7f) fail();
      v += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) fail();
    if (raw) {
      // A raw string keeps the backslash, but it still stops the next quote from closing.
      v += c + n;
      i += 2;
      continue;
    }
    if (n === '\n') {
      i += 2;
      continue;
    }
    if (n! in SIMPLE_ESCAPES) {
      v += SIMPLE_ESCAPES[n!];
      i += 2;
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
    if (oct) {
      v += String.fromCharCode(parseInt(oct[0], 8));
      i += 1 + oct[0].length;
      continue;
    }
    const hexLen = n === 'x' ? 2 : !bytes && n === 'u' ? 4 : !bytes && n === 'U' ? 8 : 0;
    if (hexLen) {
      const hex = s.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) fail();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) fail();
      v += String.fromCodePoint(cp);
      i += 2 + hexLen;
      continue;
    }
    if (n === 'N' && !bytes) fail(); // \N{name}: no Unicode name table here
    v += c + n; // unknown escapes keep their backslash, as Python does
    i += 2;
  }
}

interface Node {
  value: unknown;
  /** A bare number constant (unary minus applies only to these in literal_eval). */
  num?: boolean;
  hashable: boolean;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  peek(): Tok {
    return this.toks[this.i]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) fail();
    this.i++;
  }

  /** `a, b, c` makes a tuple; `a` alone is itself. */
  testList(top: boolean): Node {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items: Node[] = [first];
    while (this.isOp(',')) {
      this.i++;
      const t = this.peek();
      if (t.t === 'end' || (t.t === 'op' && (t.v === ')' || (!top && t.v === ']')))) break;
      items.push(this.expr());
    }
    return { value: items.map((n) => n.value), hashable: items.every((n) => n.hashable) };
  }

  expr(): Node {
    const t = this.peek();
    let node: Node;
    if (t.t === 'op' && (t.v === '+' || t.v === '-')) {
      this.i++;
      const operand = this.atom();
      if (!operand.num) fail();
      node = { value: t.v === '-' ? -(operand.value as number) : operand.value, hashable: true };
    } else {
      node = this.atom();
    }
    // Binary + and - are literals only for complex numbers, which we do not represent.
    if (this.isOp('+') || this.isOp('-')) fail();
    return node;
  }

  private atom(): Node {
    const t = this.peek();
    this.i++;
    switch (t.t) {
      case 'num':
        return { value: t.v, num: true, hashable: true };
      case 'str': {
        let v = t.v;
        for (let n = this.peek(); n.t === 'str'; n = this.peek()) {
          if (n.bytes !== t.bytes) fail(); // bytes and str cannot be concatenated
          v += n.v;
          this.i++;
        }
        return { value: v, hashable: true };
      }
      case 'name':
        if (t.v === 'True') return { value: true, hashable: true };
        if (t.v === 'False') return { value: false, hashable: true };
        if (t.v === 'None') return { value: null, hashable: true };
        if (t.v === 'set' && this.isOp('(')) {
          this.i++;
          this.expectOp(')');
          return { value: [], hashable: false };
        }
        return fail();
      case 'op':
        if (t.v === '(') {
          if (this.isOp(')')) {
            this.i++;
            return { value: [], hashable: true };
          }
          const inner = this.testList(false);
          this.expectOp(')');
          return inner;
        }
        if (t.v === '[') return { value: this.items(']').map((n) => n.value), hashable: false };
        if (t.v === '{') return this.braces();
        return fail();
      case 'end':
        return fail();
    }
  }

  private items(close: string): Node[] {
    const out: Node[] = [];
    while (!this.isOp(close)) {
      out.push(this.expr());
      if (this.isOp(',')) this.i++;
      else if (!this.isOp(close)) fail();
    }
    this.i++;
    return out;
  }

  private braces(): Node {
    if (this.isOp('}')) {
      this.i++;
      return { value: {}, hashable: false };
    }
    const first = this.expr();
    if (!this.isOp(':')) {
      // A set: JSON has none, so it becomes a list.
      const rest = this.isOp(',') ? (this.i++, this.items('}')) : (this.expectOp('}'), []);
      const all = [first, ...rest];
      if (!all.every((n) => n.hashable)) fail();
      return { value: [...new Map(all.map((n) => [JSON.stringify(n.value), n.value])).values()], hashable: false };
    }
    const obj: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.expectOp(':');
      const value = this.expr();
      if (!key.hashable || Array.isArray(key.value)) fail(); // tuple keys have no JSON form
      Object.defineProperty(obj, keyText(key.value), { value: value.value, enumerable: true, writable: true, configurable: true });
      if (this.isOp(',')) this.i++;
      if (this.isOp('}')) {
        this.i++;
        return { value: obj, hashable: false };
      }
      key = this.expr();
    }
  }
}

/** A dict key as Python's json module writes it. */
function keyText(k: unknown): string {
  if (k === null) return 'null';
  if (k === true) return 'true';
  if (k === false) return 'false';
  return String(k);
}
