// Jinja2 on nunjucks: a lexer, parser and code generator adjusted to Jinja's grammar and to
// Python's semantics. Every operation the template performs goes through the sams runtime (`rt`,
// see runtime.ts): lookups (strict undefined), operators, truthiness, filters, tests, calls.

/* eslint-disable @typescript-eslint/no-explicit-any */
import nunjucks from 'nunjucks';
import { hasFilter, hasTest } from './registry.js';

const nj = nunjucks as any;
const lexer = nj.lexer;
const nodes = nj.nodes;
const ParserBase: new (...a: any[]) => any = nj.parser.Parser;
const CompilerBase: new (...a: any[]) => any = nj.compiler.Compiler;

/** Options that change how a template text compiles (part of the cache key). */
export interface CompileFlags {
  /** String literals inside `{{ }}` are raw: Ansible doubles backslashes there for inline templates. */
  inline: boolean;
  /** The one `{{ expr }}` of the template is captured instead of printed. */
  native: boolean;
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

/** A slice `x[a:b:c]`. */
const Slice = nodes.Node.extend('Slice', { fields: ['start', 'stop', 'step'] });

// ---------------------------------------------------------------------------------------------
// Lexer: Python string escapes, `foo.0.bar`

function makeTokenizer(src: string, flags: CompileFlags): any {
  const tok = lexer.lex(src, { trimBlocks: flags.trimBlocks, lstripBlocks: flags.lstripBlocks });
  const baseNext = tok.nextToken.bind(tok);
  let inVariable = false;
  let lastWasDot = false;
  let depth = 0;
  tok._parseString = function parseString(this: any, delimiter: string): string {
    this.forward();
    let str = '';
    const raw = flags.inline && inVariable;
    while (!this.isFinished() && this.current() !== delimiter) {
      const cur = this.current();
      if (cur !== '\\') {
        str += cur;
        this.forward();
        continue;
      }
      this.forward();
      const c = this.current();
      if (raw) {
        str += `\\${c}`;
        this.forward();
        continue;
      }
      str += pythonEscape(this, c);
    }
    this.forward();
    return str;
  };
  tok.nextToken = function nextToken(this: any): any {
    // Inside an open bracket, `}}` closes a dict, not the {{ }} (Jinja balances brackets).
    if (depth > 0 && this.in_code && this.current() === '}' && this.str.charAt(this.index + 1) === '}') {
      const lineno = this.lineno;
      const colno = this.colno;
      this.forward();
      depth--;
      lastWasDot = false;
      return { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno, colno };
    }
    if (lastWasDot && this.in_code && /[0-9]/.test(this.current())) {
      const lineno = this.lineno;
      const colno = this.colno;
      let digits = '';
      while (!this.isFinished() && /[0-9]/.test(this.current())) {
        digits += this.current();
        this.forward();
      }
      lastWasDot = false;
      return { type: lexer.TOKEN_INT, value: digits, lineno, colno };
    }
    const t = baseNext();
    // Exponent floats (1e-7, 2.5E3), which nunjucks' lexer splits apart.
    if (t && this.in_code && (t.type === lexer.TOKEN_INT || t.type === lexer.TOKEN_FLOAT || (t.type === lexer.TOKEN_SYMBOL && /^\d+(\.\d*)?[eE]\d*$/.test(t.value)))) {
      const rest: string = this.str.slice(this.index);
      let text: string = t.value;
      let m: RegExpExecArray | null = null;
      if (/[eE]$/.test(text)) m = /^[-+]?\d+/.exec(rest);
      else if (/[eE]\d+$/.test(text)) m = /^/.exec(rest);
      else m = /^[eE][-+]?\d+/.exec(rest);
      if (m && (m[0] || /[eE]\d+$/.test(text))) {
        this.forwardN(m[0].length);
        text += m[0];
        lastWasDot = false;
        return { type: lexer.TOKEN_FLOAT, value: text, lineno: t.lineno, colno: t.colno };
      }
    }
    // Jinja applies trim_blocks and lstrip_blocks to comments too; nunjucks only to blocks.
    if (t && t.type === lexer.TOKEN_COMMENT && flags.trimBlocks) {
      if (this.current() === '\n') this.forward();
      else if (this.current() === '\r' && this.str.charAt(this.index + 1) === '\n') this.forwardN(2);
    }
    if (t && t.type === lexer.TOKEN_DATA && flags.lstripBlocks && this.str.startsWith(this.tags.COMMENT_START, this.index)) {
      const m = /(^|\n)[ \t]+$/.exec(t.value);
      if (m) t.value = t.value.slice(0, m.index + m[1]!.length);
    }
    if (t) {
      if (t.type === lexer.TOKEN_VARIABLE_START) inVariable = true;
      else if (t.type === lexer.TOKEN_VARIABLE_END || t.type === lexer.TOKEN_BLOCK_START) inVariable = false;
      if (t.type === lexer.TOKEN_VARIABLE_START || t.type === lexer.TOKEN_BLOCK_START || t.type === lexer.TOKEN_VARIABLE_END || t.type === lexer.TOKEN_BLOCK_END) depth = 0;
      else if (t.type === lexer.TOKEN_LEFT_CURLY || t.type === lexer.TOKEN_LEFT_BRACKET || t.type === lexer.TOKEN_LEFT_PAREN) depth++;
      else if ((t.type === lexer.TOKEN_RIGHT_CURLY || t.type === lexer.TOKEN_RIGHT_BRACKET || t.type === lexer.TOKEN_RIGHT_PAREN) && depth > 0) depth--;
      if (t.type !== lexer.TOKEN_WHITESPACE) lastWasDot = t.type === lexer.TOKEN_OPERATOR && t.value === '.';
    }
    return t;
  };
  return tok;
}

/** One escape sequence of a Python string literal; the tokenizer stands on the char after `\`. */
function pythonEscape(t: any, c: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  if (c in simple) {
    t.forward();
    return simple[c]!;
  }
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen) {
    const hex = t.str.slice(t.index + 1, t.index + 1 + hexLen);
    if (hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
      t.forwardN(hexLen + 1);
      return String.fromCodePoint(parseInt(hex, 16));
    }
  }
  if (/[0-7]/.test(c)) {
    let oct = '';
    while (oct.length < 3 && /[0-7]/.test(t.current())) {
      oct += t.current();
      t.forward();
    }
    return String.fromCodePoint(parseInt(oct, 8));
  }
  // Unknown escapes keep their backslash, as in Python ('\d' is backslash-d).
  t.forward();
  return `\\${c}`;
}

// ---------------------------------------------------------------------------------------------
// Parser: Jinja's grammar where nunjucks differs

class SamsParser extends ParserBase {
  // True/False/None literals, adjacent string concatenation, float literals that stay floats.
  parsePrimary(noPostfix?: boolean): any {
    const tok = this.peekToken();
    if (tok && tok.type === lexer.TOKEN_SYMBOL && ['True', 'False', 'None'].includes(tok.value)) {
      this.nextToken();
      let node: any = new nodes.Literal(tok.lineno, tok.colno, tok.value === 'True' ? true : tok.value === 'False' ? false : null);
      if (!noPostfix) node = this.parsePostfix(node);
      return node;
    }
    if (tok && tok.type === lexer.TOKEN_STRING) {
      this.nextToken();
      let value: string = tok.value;
      for (let next = this.peekToken(); next && next.type === lexer.TOKEN_STRING; next = this.peekToken()) {
        this.nextToken();
        value += next.value;
      }
      let node: any = new nodes.Literal(tok.lineno, tok.colno, value);
      if (!noPostfix) node = this.parsePostfix(node);
      return node;
    }
    if (tok && tok.type === lexer.TOKEN_FLOAT) {
      this.nextToken();
      let node: any = new nodes.Literal(tok.lineno, tok.colno, parseFloat(tok.value));
      node.isFloat = true;
      if (!noPostfix) node = this.parsePostfix(node);
      return node;
    }
    if (tok && tok.type === lexer.TOKEN_NONE && tok.value === 'null') {
      // Jinja has no `null` literal: it is a variable name.
      this.nextToken();
      let node: any = new nodes.Symbol(tok.lineno, tok.colno, 'null');
      if (!noPostfix) node = this.parsePostfix(node);
      return node;
    }
    return super.parsePrimary(noPostfix);
  }

  // `.name` (attribute first) vs `[key]` (item first), slices, `.0`.
  parsePostfix(node: any): any {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        this.nextToken();
        node = this.parseSubscript(node, tok);
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        let lookup: any;
        if (val.type === lexer.TOKEN_SYMBOL) lookup = new nodes.Literal(val.lineno, val.colno, val.value);
        else if (val.type === lexer.TOKEN_INT) lookup = new nodes.Literal(val.lineno, val.colno, parseInt(val.value, 10));
        else if (val.type === lexer.TOKEN_BOOLEAN || val.type === lexer.TOKEN_NONE) lookup = new nodes.Literal(val.lineno, val.colno, val.value);
        else this.fail(`expected name as lookup value, got ${val.value}`, val.lineno, val.colno);
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, lookup);
        node.dot = true;
      } else break;
      tok = this.peekToken();
    }
    return node;
  }

  // A filter takes the call arguments right after its name, nothing more (`x | f(1)[0]` is an error).
  parseFilterArgs(): any[] {
    return this.peekToken()?.type === lexer.TOKEN_LEFT_PAREN ? this.parseSignature().children : [];
  }

  parseSubscript(target: any, open: any): any {
    const parts: any[] = [null];
    let colons = 0;
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail('unexpected end of template in subscript', open.lineno, open.colno);
      if (t.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (t.type === lexer.TOKEN_COLON) {
        this.nextToken();
        colons++;
        parts.push(null);
        continue;
      }
      if (parts[parts.length - 1] !== null) this.fail('invalid subscript', t.lineno, t.colno);
      parts[parts.length - 1] = this.parseExpression();
    }
    if (colons === 0) {
      if (parts[0] === null) this.fail('empty subscript', open.lineno, open.colno);
      return new nodes.LookupVal(open.lineno, open.colno, target, parts[0]);
    }
    if (colons > 2) this.fail('invalid slice', open.lineno, open.colno);
    const slice = new Slice(open.lineno, open.colno, parts[0], parts[1], parts[2] ?? null);
    slice.target = target;
    return slice;
  }

  // (a, b) tuples, [a, b] lists, {k: v} dicts; trailing commas allowed; (a,) is a tuple.
  parseAggregate(): any {
    const tok = this.nextToken();
    let node: any;
    let close: string;
    if (tok.type === lexer.TOKEN_LEFT_PAREN) {
      node = new nodes.Group(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_PAREN;
    } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
      node = new nodes.Array(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_BRACKET;
    } else if (tok.type === lexer.TOKEN_LEFT_CURLY) {
      node = new nodes.Dict(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_CURLY;
    } else return null;
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail('unexpected end of template', tok.lineno, tok.colno);
      if (next.type === close) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail(`expected ',' or '${close === lexer.TOKEN_RIGHT_PAREN ? ')' : close === lexer.TOKEN_RIGHT_BRACKET ? ']' : '}'}'`, next.lineno, next.colno);
        node.trailingComma = true;
        if (this.peekToken()?.type === close) {
          this.nextToken();
          break;
        }
      }
      node.trailingComma = false;
      if (node instanceof nodes.Dict) {
        const key = this.parseExpression();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail("expected ':' after a dict key", key.lineno, key.colno);
        const value = this.parseExpression();
        node.addChild(new nodes.Pair(key.lineno, key.colno, key, value));
      } else node.addChild(this.parseExpression());
    }
    if (node instanceof nodes.Group && node.children.length === 1 && node.trailingComma) node.isTuple = true;
    return node;
  }

  // Jinja's precedence: + and - bind alike, then * / // %, then **.
  parseAdd(): any {
    let node = this.parseMul();
    for (;;) {
      if (this.skipValue(lexer.TOKEN_OPERATOR, '+')) node = new nodes.Add(node.lineno, node.colno, node, this.parseMul());
      else if (this.skipValue(lexer.TOKEN_OPERATOR, '-')) node = new nodes.Sub(node.lineno, node.colno, node, this.parseMul());
      else return node;
    }
  }
  parseMul(): any {
    let node = this.parsePow();
    for (;;) {
      if (this.skipValue(lexer.TOKEN_OPERATOR, '*')) node = new nodes.Mul(node.lineno, node.colno, node, this.parsePow());
      else if (this.skipValue(lexer.TOKEN_OPERATOR, '/')) node = new nodes.Div(node.lineno, node.colno, node, this.parsePow());
      else if (this.skipValue(lexer.TOKEN_OPERATOR, '//')) node = new nodes.FloorDiv(node.lineno, node.colno, node, this.parsePow());
      else if (this.skipValue(lexer.TOKEN_OPERATOR, '%')) node = new nodes.Mod(node.lineno, node.colno, node, this.parsePow());
      else return node;
    }
  }

  // `x is name`, `x is name(args)`, `x is name arg`, dotted test names, `is not`.
  parseIs(): any {
    let node = this.parseCompare();
    while (this.skipSymbol('is')) {
      const not = this.skipSymbol('not');
      const nameTok = this.nextToken();
      let name = '';
      if (nameTok && nameTok.type === lexer.TOKEN_SYMBOL) name = nameTok.value;
      else if (nameTok && (nameTok.type === lexer.TOKEN_NONE || nameTok.type === lexer.TOKEN_BOOLEAN)) name = nameTok.value;
      else this.fail('expected a test name after "is"', nameTok?.lineno, nameTok?.colno);
      while (this.skipValue(lexer.TOKEN_OPERATOR, '.')) name += `.${this.expect(lexer.TOKEN_SYMBOL).value}`;
      let args: any;
      const next = this.peekToken();
      if (next && next.type === lexer.TOKEN_LEFT_PAREN) args = this.parseSignature();
      else if (
        next &&
        [lexer.TOKEN_SYMBOL, lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY].includes(next.type) &&
        !(next.type === lexer.TOKEN_SYMBOL && ['else', 'or', 'and', 'if', 'is', 'in', 'not'].includes(next.value))
      ) {
        args = new nodes.NodeList(next.lineno, next.colno, [this.parsePrimary()]);
      } else args = new nodes.NodeList(nameTok.lineno, nameTok.colno, []);
      const test = new nodes.Is(node.lineno, node.colno, node, null);
      test.testName = name;
      test.testArgs = args;
      node = not ? new nodes.Not(node.lineno, node.colno, test) : test;
    }
    return node;
  }

  // `{% for x in items if cond %}`: the iterable is parsed without an inline if.
  parseFor(): any {
    const forTok = this.peekToken();
    if (!this.skipSymbol('for')) this.fail('expected for', forTok.lineno, forTok.colno);
    const node = new nodes.For(forTok.lineno, forTok.colno);
    node.name = this.parsePrimary(true);
    if (!(node.name instanceof nodes.Symbol)) this.fail('variable name expected for loop', forTok.lineno, forTok.colno);
    if (this.peekToken().type === lexer.TOKEN_COMMA) {
      const first = node.name;
      node.name = new nodes.Array(first.lineno, first.colno);
      node.name.addChild(first);
      while (this.skip(lexer.TOKEN_COMMA)) node.name.addChild(this.parsePrimary(true));
    }
    if (!this.skipSymbol('in')) this.fail('expected "in" keyword for loop', forTok.lineno, forTok.colno);
    node.arr = this.parseOr();
    if (this.skipSymbol('if')) node.loopTest = this.parseExpression();
    this.skipSymbol('recursive');
    this.advanceAfterBlockEnd(forTok.value);
    node.body = this.parseUntilBlocks('endfor', 'else');
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      node.else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return node;
  }
}

// ---------------------------------------------------------------------------------------------
// Code generator

const BINOPS: Record<string, string> = {
  Add: 'add',
  Sub: 'sub',
  Mul: 'mul',
  Div: 'div',
  FloorDiv: 'floordiv',
  Mod: 'mod',
  Pow: 'pow',
  Concat: 'concat',
};

/** How an expression is written, for messages: `a.b[0]`. */
function exprName(node: any): string {
  switch (node?.typename) {
    case 'Symbol':
      return node.value;
    case 'Literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'LookupVal': {
      const base = exprName(node.target);
      if (node.val?.typename === 'Literal') {
        if (node.dot) return `${base}.${node.val.value}`;
        return typeof node.val.value === 'string' ? `${base}['${node.val.value}']` : `${base}[${node.val.value}]`;
      }
      return `${base}[${exprName(node.val)}]`;
    }
    case 'FunCall':
      return `${exprName(node.name)}()`;
    case 'Filter':
      return `${exprName(node.args.children[0])} | ${node.name.value}`;
    default:
      return '(expression)';
  }
}

class SamsCompiler extends CompilerBase {
  flags!: CompileFlags;

  private line(node: any): number {
    return (node?.lineno ?? 0) + 1;
  }

  _compileExpression(node: any, frame: any): void {
    this.compile(node, frame);
  }

  compileLiteral(node: any): void {
    if (typeof node.value === 'string') this._emit(JSON.stringify(node.value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
    else if (node.value === null || node.value === undefined) this._emit('null');
    else if (node.isFloat && Number.isInteger(node.value)) this._emit(`rt.float(${node.value})`);
    else this._emit(String(node.value));
  }

  compileSymbol(node: any, frame: any): void {
    const v = frame.lookup(node.value);
    if (v) this._emit(v);
    else this._emit(`rt.name(context, frame, ${JSON.stringify(node.value)}, ${this.line(node)})`);
  }

  compileLookupVal(node: any, frame: any): void {
    this._emit('rt.member(');
    this.compile(node.target, frame);
    this._emit(', ');
    this.compile(node.val, frame);
    this._emit(`, ${node.dot ? 'true' : 'false'}, ${JSON.stringify(exprName(node.target))}, ${this.line(node)})`);
  }

  compileSlice(node: any, frame: any): void {
    this._emit('rt.slice(');
    this.compile(node.target, frame);
    for (const part of [node.start, node.stop, node.step]) {
      this._emit(', ');
      if (part) this.compile(part, frame);
      else this._emit('null');
    }
    this._emit(')');
  }

  compileGroup(node: any, frame: any): void {
    if (node.children.length === 1 && !node.isTuple) {
      this._emit('(');
      this.compile(node.children[0], frame);
      this._emit(')');
    } else this._compileAggregate(node, frame, 'rt.tuple([', '])');
  }

  compileArray(node: any, frame: any): void {
    this._compileAggregate(node, frame, 'rt.list([', '])');
  }

  // Dict keys are expressions in Jinja ({a: 1} uses the variable a).
  compileDict(node: any, frame: any): void {
    this._emit('rt.dict([');
    node.children.forEach((pair: any, i: number) => {
      if (i > 0) this._emit(', ');
      this.compile(pair.key, frame);
      this._emit(', ');
      this.compile(pair.value, frame);
    });
    this._emit('])');
  }

  compileKeywordArgs(node: any, frame: any): void {
    this._emit('rt.kw({');
    node.children.forEach((pair: any, i: number) => {
      if (i > 0) this._emit(', ');
      this._emit(`${JSON.stringify(pair.key.value)}: `);
      this.compile(pair.value, frame);
    });
    this._emit('})');
  }

  compileInlineIf(node: any, frame: any): void {
    this._emit('(rt.truthy(');
    this.compile(node.cond, frame);
    this._emit(') ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_) this.compile(node.else_, frame);
    else this._emit(`rt.noElse(${this.line(node)})`);
    this._emit(')');
  }

  compileIn(node: any, frame: any): void {
    this._emit('rt.contains(');
    this.compile(node.right, frame);
    this._emit(', ');
    this.compile(node.left, frame);
    this._emit(')');
  }

  compileIs(node: any, frame: any): void {
    const name: string = node.testName;
    if (!hasTest(name)) this.fail(`no test named '${name}'`, node.lineno, node.colno);
    this._emit(`rt.test(${JSON.stringify(name)}, [`);
    this.compile(node.left, frame);
    for (const arg of node.testArgs.children) {
      this._emit(', ');
      this.compile(arg, frame);
    }
    this._emit(`], ${this.line(node)})`);
  }

  compileOr(node: any, frame: any): void {
    this._emit('rt.or(');
    this.compile(node.left, frame);
    this._emit(', function() { return ');
    this.compile(node.right, frame);
    this._emit('; })');
  }

  compileAnd(node: any, frame: any): void {
    this._emit('rt.and(');
    this.compile(node.left, frame);
    this._emit(', function() { return ');
    this.compile(node.right, frame);
    this._emit('; })');
  }

  compileNot(node: any, frame: any): void {
    this._emit('rt.not(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileNeg(node: any, frame: any): void {
    this._emit('rt.neg(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compilePos(node: any, frame: any): void {
    this._emit('rt.pos(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileCompare(node: any, frame: any): void {
    // a < b < c is (a < b) and (b < c), b evaluated once.
    this._emit('rt.compare(');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, ${JSON.stringify(op.type)}, function() { return `);
      this.compile(op.expr, frame);
      this._emit('; }');
    }
    this._emit(')');
  }

  compileFunCall(node: any, frame: any): void {
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, rt.call(`);
    this.compile(node.name, frame);
    this._emit(`, ${JSON.stringify(exprName(node.name))}, [`);
    node.args.children.forEach((arg: any, i: number) => {
      if (i > 0) this._emit(', ');
      this.compile(arg, frame);
    });
    this._emit(']))');
  }

  compileFilter(node: any, frame: any): void {
    const name: string = node.name.value;
    if (!hasFilter(name)) this.fail(`no filter named '${name}'`, node.lineno, node.colno);
    this._emit(`(lineno = ${node.lineno}, rt.filter(${JSON.stringify(name)}, [`);
    node.args.children.forEach((arg: any, i: number) => {
      if (i > 0) this._emit(', ');
      this.compile(arg, frame);
    });
    this._emit(`], ${this.line(node)}))`);
  }

  compileOutput(node: any, frame: any): void {
    for (const child of node.children) {
      if (child instanceof nodes.TemplateData) {
        if (child.value) {
          this._emit(`${this.buffer} += `);
          this.compileLiteral(child);
          this._emitLine(';');
        }
      } else {
        this._emit(`lineno = ${child.lineno}; ${this.buffer} += rt.${this.flags.native ? 'capture' : 'out'}(`);
        this.compile(child, frame);
        this._emitLine(');');
      }
    }
  }

  compileIf(node: any, frame: any): void {
    this._emit(`lineno = ${node.lineno}; if (rt.truthy(`);
    this.compile(node.cond, frame);
    this._emitLine(')) {');
    this._withScopedSyntax(() => this.compile(node.body, frame));
    if (node.else_) {
      this._emitLine('} else {');
      this._withScopedSyntax(() => this.compile(node.else_, frame));
    }
    this._emitLine('}');
  }

  /** Bind the loop target (a name, or names unpacked from each item) at compile and run time. */
  private bindLoopNames(target: any, item: string, frame: any): void {
    if (target instanceof nodes.Array) {
      const parts = this._tmpid();
      this._emitLine(`var ${parts} = rt.unpack(${item}, ${target.children.length});`);
      target.children.forEach((child: any, u: number) => {
        const id = this._tmpid();
        this._emitLine(`var ${id} = ${parts}[${u}];`);
        this._emitLine(`frame.set(${JSON.stringify(child.value)}, ${id});`);
        frame.set(child.value, id);
      });
    } else {
      const id = this._tmpid();
      this._emitLine(`var ${id} = ${item};`);
      this._emitLine(`frame.set(${JSON.stringify(target.value)}, ${id});`);
      frame.set(target.value, id);
    }
  }

  compileFor(node: any, frame: any): void {
    const i = this._tmpid();
    const len = this._tmpid();
    const arr = this._tmpid();
    frame = frame.push();
    this._emitLine('frame = frame.push();');
    this._emit(`lineno = ${node.lineno}; var ${arr} = rt.iter(`);
    this.compile(node.arr, frame);
    this._emitLine(`, ${JSON.stringify(exprName(node.arr))});`);
    if (node.loopTest) {
      const item = this._tmpid();
      this._emitLine(`${arr} = ${arr}.filter(function(${item}) {`);
      this._emitLine('frame = frame.push();');
      const testFrame = frame.push();
      this.bindLoopNames(node.name, item, testFrame);
      this._emit('var r = rt.truthy(');
      this.compile(node.loopTest, testFrame);
      this._emitLine(');');
      this._emitLine('frame = frame.pop(); return r; });');
    }
    this._emitLine(`var ${len} = ${arr}.length;`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${len}; ${i}++) {`);
    this.bindLoopNames(node.name, `${arr}[${i}]`, frame);
    this._emitLine(`frame.set("loop", rt.loop(${arr}, ${i}));`);
    this._withScopedSyntax(() => this.compile(node.body, frame));
    this._emitLine('}');
    if (node.else_) {
      this._emitLine(`if (!${len}) {`);
      this.compile(node.else_, frame);
      this._emitLine('}');
    }
    this._emitLine('frame = frame.pop();');
  }

  // Jinja scoping: an assignment inside a loop body stays in that iteration's scope.
  compileSet(node: any, frame: any): void {
    const id = this._tmpid();
    this._emit(`lineno = ${node.lineno}; var ${id} = `);
    if (node.value) this.compile(node.value, frame);
    else this.compile(node.body, frame);
    this._emitLine(';');
    for (const target of node.targets) {
      if (target instanceof nodes.Symbol) {
        const name = JSON.stringify(target.value);
        const local = frame.lookup(target.value);
        if (local) this._emitLine(`${local} = ${id};`);
        this._emitLine(`frame.set(${name}, ${id});`);
        this._emitLine(`if (frame.topLevel) { context.setVariable(${name}, ${id}); }`);
      } else if (target instanceof nodes.LookupVal) {
        this._emit('rt.setattr(');
        this.compile(target.target, frame);
        this._emit(', ');
        this.compile(target.val, frame);
        this._emitLine(`, ${id});`);
      } else this.fail('cannot assign to this expression', target.lineno, target.colno);
    }
  }
}

for (const [type, fn] of Object.entries(BINOPS)) {
  (SamsCompiler.prototype as any)[`compile${type}`] = function compileBinop(this: any, node: any, frame: any) {
    this._emit(`rt.${fn}(`);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
}

// ---------------------------------------------------------------------------------------------

/** Parse a template text. */
export function parseTemplate(src: string, flags: CompileFlags): any {
  const parser = new SamsParser(makeTokenizer(src, flags));
  return parser.parseAsRoot();
}

/**
 * True when the parsed template is exactly one `{{ expr }}`, possibly with whitespace around it:
 * such a template keeps the expression's native type.
 */
export function isSingleExpression(root: any): boolean {
  let exprs = 0;
  for (const child of root.children) {
    if (!(child instanceof nodes.Output)) return false;
    for (const part of child.children) {
      if (part instanceof nodes.TemplateData) {
        if (/\S/.test(part.value)) return false;
      } else exprs++;
    }
  }
  return exprs === 1;
}

/** JavaScript source of the template's render functions (nunjucks' format: returns {root, b_*}). */
export function generateCode(root: any, flags: CompileFlags, name: string | undefined): string {
  const c = new SamsCompiler(name, false);
  c.flags = flags;
  c.compile(root);
  return c.getCode();
}

