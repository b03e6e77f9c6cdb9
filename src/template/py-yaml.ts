// yaml.dump as Ansible's to_yaml / to_nice_yaml call it (SafeDumper, sort_keys, allow_unicode),
// byte for byte: a port of PyYAML's representer choices and its emitter.

import { TemplateFault } from './fault.js';
import { PyFloat, floatRepr, isMapping, textOf } from './py-types.js';
import { use } from './render-state.js';
import { Undef } from './undefined.js';
import { PyDateTime } from '../python/datetime.js';

export interface YamlDumpOptions {
  indent?: number;
  width?: number;
  /** null: collections of scalars only are written in flow style ([a, b]). */
  defaultFlowStyle: boolean | null;
  sortKeys?: boolean;
  explicitStart?: boolean;
  explicitEnd?: boolean;
}

type Ev =
  | { t: 'docstart' }
  | { t: 'docend' }
  | { t: 'scalar'; value: string; implicit: [boolean, boolean]; tag: string }
  | { t: 'seqstart'; flow: boolean }
  | { t: 'seqend' }
  | { t: 'mapstart'; flow: boolean }
  | { t: 'mapend' }
  | { t: 'streamend' };

// PyYAML's implicit resolvers (YAML 1.1), keyed by first character.
const RESOLVERS: [string, RegExp, string][] = [
  ['bool', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, 'yYnNtTfFoO'],
  ['float', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, '-+0123456789.'],
  ['int', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/, '-+0123456789'],
  ['merge', /^(?:<<)$/, '<'],
  ['null', /^(?:~|null|Null|NULL|)$/, '~nN'],
  ['timestamp', /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/, '0123456789'],
  ['value', /^(?:=)$/, '='],
];

/** The tag PyYAML would give this text as a plain scalar. */
function resolvePlain(value: string): string {
  if (value === '') return 'null';
  // Python's re `$` also matches before a final newline.
  const v = value.endsWith('\n') ? value.slice(0, -1) : value;
  for (const [tag, re, first] of RESOLVERS) if (first.includes(value[0]!) && re.test(v)) return tag;
  return 'str';
}

function scalar(tag: string, value: string): Ev {
  return { t: 'scalar', value, tag, implicit: [resolvePlain(value) === tag, tag === 'str'] };
}

function represent(v: unknown, opts: YamlDumpOptions, out: Ev[], depth = 0): boolean {
  if (depth > 200) throw new TemplateFault('to_yaml: data nested too deeply (a cycle?)');
  if (v instanceof Undef) v.fail();
  v = use(v);
  if (v === null || v === undefined) out.push(scalar('null', 'null'));
  else if (typeof v === 'boolean') out.push(scalar('bool', v ? 'true' : 'false'));
  else if (typeof v === 'number' && Number.isInteger(v)) out.push(scalar('int', String(v)));
  else if (typeof v === 'number' || v instanceof PyFloat) out.push(scalar('float', floatValue(Number(v))));
  else if (typeof v === 'string') out.push(scalar('str', v));
  else if (v instanceof PyDateTime) out.push(scalar('timestamp', v.str()));
  else if (Array.isArray(v)) {
    const start: Ev = { t: 'seqstart', flow: false };
    out.push(start);
    let best = true;
    for (const x of v) if (!represent(x, opts, out, depth + 1)) best = false;
    out.push({ t: 'seqend' });
    start.flow = opts.defaultFlowStyle ?? best;
    return false;
  } else if (isMapping(v)) {
    const start: Ev = { t: 'mapstart', flow: false };
    out.push(start);
    let best = true;
    let keys = Object.keys(v);
    if (opts.sortKeys !== false) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      out.push(scalar('str', k));
      if (!represent(v[k], opts, out, depth + 1)) best = false;
    }
    out.push({ t: 'mapend' });
    start.flow = opts.defaultFlowStyle ?? best;
    return false;
  } else {
    const t = textOf(v);
    if (t === undefined) throw new TemplateFault(`cannot represent an object: ${String(v)}`);
    out.push(scalar('str', t));
  }
  return true;
}

function floatValue(d: number): string {
  if (Number.isNaN(d)) return '.nan';
  if (d === Infinity) return '.inf';
  if (d === -Infinity) return '-.inf';
  let value = floatRepr(d).toLowerCase();
  if (!value.includes('.') && value.includes('e')) value = value.replace('e', '.0e');
  return value;
}

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

interface Analysis {
  scalar: string;
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
  allowDoubleQuoted: boolean;
  allowBlock: boolean;
}

function analyzeScalar(scalar: string, allowUnicode: boolean): Analysis {
  if (!scalar) {
    return { scalar, empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true, allowDoubleQuoted: true, allowBlock: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith('---') || scalar.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = scalar.length === 1 || SPACE_OR_BREAK.includes(scalar[1]!);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < scalar.length; index++) {
    const ch = scalar[index]!;
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if ('?:'.includes(ch)) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!(ch === '\n' || (ch >= '\x20' && ch <= '\x7E'))) {
      const c = ch.codePointAt(0)!;
      const unicodeOk = (ch === '\x85' || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0xd800 && c <= 0xdfff)) && ch !== '\uFEFF';
      if (!(unicodeOk && allowUnicode)) specialCharacters = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === scalar.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === scalar.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= scalar.length || SPACE_OR_BREAK.includes(scalar[index + 2]!);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  const allowDoubleQuoted = true;
  let allowBlock = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (trailingSpace) allowBlock = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || specialCharacters) allowFlowPlain = allowBlockPlain = allowSingleQuoted = allowBlock = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { scalar, empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted, allowDoubleQuoted, allowBlock };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0A': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\x0D': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

class Emitter {
  private out = '';
  private events: Ev[];
  private event: Ev | undefined;
  private states: (() => void)[] = [];
  private state: () => void;
  private indents: (number | null)[] = [];
  private indent: number | null = null;
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private analysis: Analysis | undefined;
  private style: string | undefined;

  constructor(
    events: Ev[],
    private readonly opts: YamlDumpOptions,
  ) {
    this.events = events;
    this.bestIndent = opts.indent && opts.indent > 1 && opts.indent < 10 ? opts.indent : 2;
    this.bestWidth = opts.width && opts.width > this.bestIndent * 2 ? opts.width : 80;
    this.state = () => this.expectDocumentStart(true);
  }

  run(): string {
    while (this.events.length) {
      this.event = this.events.shift();
      this.state();
    }
    return this.out;
  }

  private write(data: string): void {
    this.out += data;
  }

  private increaseIndent(flow = false, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private expectDocumentStart(first: boolean): void {
    const ev = this.event!;
    if (ev.t === 'docstart') {
      const implicit = first && !this.opts.explicitStart;
      if (!implicit) {
        this.writeIndent();
        this.writeIndicator('---', true);
      }
      this.state = () => this.expectDocumentRoot();
    } else if (ev.t === 'streamend') {
      // PyYAML writes "..." after a plain root scalar; libyaml 0.2.5 (Ansible's CSafeDumper) does not.
      this.state = () => {
        throw new TemplateFault('yaml emitter: unexpected event');
      };
    }
  }

  private expectDocumentEnd(): void {
    this.writeIndent();
    if (this.opts.explicitEnd) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    this.state = () => this.expectDocumentStart(false);
  }

  private expectDocumentRoot(): void {
    this.states.push(() => this.expectDocumentEnd());
    this.expectNode();
  }

  private expectNode(mapping = false, simpleKey = false): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    const ev = this.event!;
    if (ev.t === 'scalar') {
      this.processTag();
      this.expectScalar();
    } else if (ev.t === 'seqstart') {
      if (this.flowLevel || ev.flow || this.checkEmpty('seqend')) this.expectFlowSequence();
      else this.expectBlockSequence();
    } else if (ev.t === 'mapstart') {
      if (this.flowLevel || ev.flow || this.checkEmpty('mapend')) this.expectFlowMapping();
      else this.expectBlockMapping();
    }
  }

  private checkEmpty(end: 'seqend' | 'mapend'): boolean {
    return this.events[0]?.t === end;
  }

  private expectScalar(): void {
    this.increaseIndent(true);
    this.processScalar();
    this.popIndent();
    this.popState();
  }

  private expectFlowSequence(): void {
    this.writeIndicator('[', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    this.state = () => this.expectFlowSequenceItem(true);
  }

  private expectFlowSequenceItem(first: boolean): void {
    if (this.event!.t === 'seqend') {
      this.popIndent();
      this.flowLevel--;
      this.writeIndicator(']', false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false);
    if (this.column > this.bestWidth) this.writeIndent();
    this.states.push(() => this.expectFlowSequenceItem(false));
    this.expectNode();
  }

  private expectFlowMapping(): void {
    this.writeIndicator('{', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    this.state = () => this.expectFlowMappingKey(true);
  }

  private expectFlowMappingKey(first: boolean): void {
    if (this.event!.t === 'mapend') {
      this.popIndent();
      this.flowLevel--;
      this.writeIndicator('}', false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false);
    if (this.column > this.bestWidth) this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push(() => this.expectFlowMappingSimpleValue());
      this.expectNode(true, true);
    } else {
      this.writeIndicator('?', true);
      this.states.push(() => this.expectFlowMappingValue());
      this.expectNode(true);
    }
  }

  private expectFlowMappingSimpleValue(): void {
    this.writeIndicator(':', false);
    this.states.push(() => this.expectFlowMappingKey(false));
    this.expectNode(true);
  }

  private expectFlowMappingValue(): void {
    if (this.column > this.bestWidth) this.writeIndent();
    this.writeIndicator(':', true);
    this.states.push(() => this.expectFlowMappingKey(false));
    this.expectNode(true);
  }

  private expectBlockSequence(): void {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    this.state = () => this.expectBlockSequenceItem(true);
  }

  private expectBlockSequenceItem(first: boolean): void {
    if (!first && this.event!.t === 'seqend') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push(() => this.expectBlockSequenceItem(false));
    this.expectNode();
  }

  private expectBlockMapping(): void {
    this.increaseIndent(false);
    this.state = () => this.expectBlockMappingKey(true);
  }

  private expectBlockMappingKey(first: boolean): void {
    if (!first && this.event!.t === 'mapend') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push(() => this.expectBlockMappingSimpleValue());
      this.expectNode(true, true);
    } else {
      this.writeIndicator('?', true, false, true);
      this.states.push(() => this.expectBlockMappingValue());
      this.expectNode(true);
    }
  }

  private expectBlockMappingSimpleValue(): void {
    this.writeIndicator(':', false);
    this.states.push(() => this.expectBlockMappingKey(false));
    this.expectNode(true);
  }

  private expectBlockMappingValue(): void {
    this.writeIndent();
    this.writeIndicator(':', true, false, true);
    this.states.push(() => this.expectBlockMappingKey(false));
    this.expectNode(true);
  }

  private checkSimpleKey(): boolean {
    const ev = this.event!;
    let length = 0;
    if (ev.t === 'scalar') {
      this.analysis ??= analyzeScalar(ev.value, true);
      length += this.analysis.scalar.length;
    }
    return (
      length < 128 &&
      ((ev.t === 'scalar' && !this.analysis!.empty && !this.analysis!.multiline) ||
        (ev.t === 'seqstart' && this.checkEmpty('seqend')) ||
        (ev.t === 'mapstart' && this.checkEmpty('mapend')))
    );
  }

  private processTag(): void {
    const ev = this.event as Extract<Ev, { t: 'scalar' }>;
    this.style ??= this.chooseScalarStyle();
    if ((this.style === '' && ev.implicit[0]) || (this.style !== '' && ev.implicit[1])) return;
    // A non-str scalar that cannot be plain (never produced by our representer) would need a tag.
    this.writeIndicator(`!!${ev.tag}`, true);
  }

  private chooseScalarStyle(): string {
    const ev = this.event as Extract<Ev, { t: 'scalar' }>;
    this.analysis ??= analyzeScalar(ev.value, true);
    const a = this.analysis;
    if (ev.implicit[0]) {
      if (!(this.simpleKeyContext && (a.empty || a.multiline)) && ((this.flowLevel && a.allowFlowPlain) || (!this.flowLevel && a.allowBlockPlain))) return '';
    }
    if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) return "'";
    return '"';
  }

  private processScalar(): void {
    const ev = this.event as Extract<Ev, { t: 'scalar' }>;
    this.analysis ??= analyzeScalar(ev.value, true);
    this.style ??= this.chooseScalarStyle();
    const split = !this.simpleKeyContext;
    if (this.style === '"') this.writeDoubleQuoted(this.analysis.scalar, split);
    else if (this.style === "'") this.writeSingleQuoted(this.analysis.scalar, split);
    else this.writePlain(this.analysis.scalar, split);
    this.analysis = undefined;
    this.style = undefined;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += data.length;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  private writeSingleQuoted(text: string, split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    let end = 0;
    while (end <= text.length) {
      const ch = end < text.length ? text[end]! : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== text.length) this.writeIndent();
          else {
            const data = text.slice(start, end);
            this.column += data.length;
            this.write(data);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) {
            if (br === '\n') this.writeLineBreak();
            else this.writeLineBreak(br);
          }
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch) || ch === "'") {
        if (start < end) {
          const data = text.slice(start, end);
          this.column += data.length;
          this.write(data);
          start = end;
        }
      }
      if (ch === "'") {
        this.column += 2;
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
      end++;
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: string, split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    let end = 0;
    while (end <= text.length) {
      const ch = end < text.length ? text[end]! : undefined;
      if (ch === undefined || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !((ch >= '\x20' && ch <= '\x7E') || (ch >= '\xA0' && ch <= '\uD7FF') || (ch >= '\uE000' && ch <= '\uFFFD'))) {
        if (start < end) {
          const data = text.slice(start, end);
          this.column += data.length;
          this.write(data);
          start = end;
        }
        if (ch !== undefined) {
          const c = ch.charCodeAt(0);
          const data = ch in ESCAPES ? `\\${ESCAPES[ch]}` : c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
          this.column += data.length;
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = `${text.slice(start, end)}\\`;
        if (start < end) start = end;
        this.column += data.length;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === ' ') {
          this.column += 1;
          this.write('\\');
        }
      }
      end++;
    }
    this.writeIndicator('"', false);
  }

  private writePlain(text: string, split: boolean): void {
    if (!text) return;
    if (!this.whitespace) {
      this.column += 1;
      this.write(' ');
    }
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    let end = 0;
    while (end <= text.length) {
      const ch = end < text.length ? text[end]! : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            const data = text.slice(start, end);
            this.column += data.length;
            this.write(data);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) {
            if (br === '\n') this.writeLineBreak();
            else this.writeLineBreak(br);
          }
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        const data = text.slice(start, end);
        this.column += data.length;
        this.write(data);
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
      end++;
    }
  }
}

/** PyYAML's yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, ...). */
export function yamlDump(data: unknown, opts: YamlDumpOptions): string {
  const events: Ev[] = [{ t: 'docstart' }];
  represent(data, opts, events);
  events.push({ t: 'docend' }, { t: 'streamend' });
  return new Emitter(events, opts).run();
}
