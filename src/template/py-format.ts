// Python string formatting: `'%s:%d' % (a, b)` (and Jinja's format filter) and str.format().

import { TemplateFault } from './fault.js';
import { PyFloat, isFloat, isMapping, isNumber, isTuple, num, pyRound, typeName, floatRepr, textOf } from './py-types.js';
import { pyRepr, pyStr } from './py-repr.js';
import { Undef } from './undefined.js';

/** Python's `fmt % args`. A tuple supplies several values; a mapping feeds `%(name)s`. */
export function percentFormat(fmt: string, args: unknown): string {
  const list = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isMapping(args) ? args : undefined;
  let ai = 0;
  let usedMapping = false;
  const next = (): unknown => {
    if (ai >= list.length) throw new TemplateFault('not enough arguments for format string');
    return list[ai++];
  };
  const out = fmt.replace(/%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g, (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%' && !key && !flags && !width && prec === undefined) return '%';
    const w = width === '*' ? Number(num(next())) : width !== undefined ? Number(width) : undefined;
    const p = prec === '*' ? Number(num(next())) : prec !== undefined ? Number(prec) : undefined;
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) throw new TemplateFault('format requires a mapping');
      usedMapping = true;
      if (!(key in mapping)) throw new TemplateFault(`KeyError: '${key}'`);
      value = mapping[key];
    } else if (conv !== '%') value = next();
    return convert(conv, value, flags, w, p);
  });
  if (!usedMapping && !mapping && ai < list.length && isTuple(args)) throw new TemplateFault('not all arguments converted during string formatting');
  if (!usedMapping && !mapping && !isTuple(args) && ai === 0 && list.length === 1 && !(args instanceof Undef)) {
    throw new TemplateFault('not all arguments converted during string formatting');
  }
  return out;
}

function convert(conv: string, value: unknown, flags: string, width: number | undefined, prec: number | undefined): string {
  if (value instanceof Undef) value.fail();
  const left = flags.includes('-');
  const zero = flags.includes('0') && !left;
  const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const alt = flags.includes('#');
  let body: string;
  let sign = '';
  let numeric = true;
  switch (conv) {
    case 's':
    case 'r':
    case 'a':
      numeric = false;
      body = conv === 's' ? pyStr(value) : pyRepr(value);
      if (prec !== undefined) body = body.slice(0, prec);
      break;
    case 'c':
      numeric = false;
      body = typeof value === 'string' ? value : String.fromCodePoint(num(value));
      break;
    case '%':
      numeric = false;
      body = '%';
      break;
    default: {
      const n = numberFor(conv, value);
      sign = n < 0 || Object.is(n, -0) ? '-' : plus;
      body = formatNumber(conv, Math.abs(n), prec, alt);
    }
  }
  return pad(sign, body, width, left, zero && numeric, ' ');
}

function numberFor(conv: string, value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (!isNumber(value)) {
    const kind = 'diouxXc'.includes(conv) ? 'a real number' : 'a real number';
    throw new TemplateFault(`%${conv} format: ${kind} is required, not ${typeName(value)}`);
  }
  const n = num(value);
  if ('diuxXo'.includes(conv)) return Math.trunc(n);
  return n;
}

function formatNumber(conv: string, n: number, prec: number | undefined, alt: boolean): string {
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      return String(n);
    case 'x':
      return (alt ? '0x' : '') + n.toString(16);
    case 'X':
      return (alt ? '0X' : '') + n.toString(16).toUpperCase();
    case 'o':
      return (alt ? '0o' : '') + n.toString(8);
    case 'f':
    case 'F':
      return fixed(n, prec ?? 6, alt);
    case 'e':
    case 'E': {
      const s = expo(n, prec ?? 6, alt);
      return conv === 'E' ? s.toUpperCase() : s;
    }
    case 'g':
    case 'G': {
      const s = general(n, prec ?? 6, alt);
      return conv === 'G' ? s.toUpperCase() : s;
    }
    default:
      throw new TemplateFault(`unsupported format character '${conv}'`);
  }
}

/** %.Nf with Python's correct rounding (ties to even on the exact value). */
export function fixed(n: number, prec: number, alt = false): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : 'inf';
  const s = pyRound(n, prec).toFixed(prec);
  return alt && prec === 0 ? `${s}.` : s;
}

function expo(n: number, prec: number, alt: boolean): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : 'inf';
  const [m, e] = n.toExponential(prec).split('e') as [string, string];
  const exp = Number(e);
  const mant = alt && prec === 0 ? `${m}.` : m;
  return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function general(n: number, prec: number, alt: boolean): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : 'inf';
  const p = prec === 0 ? 1 : prec;
  if (n === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = Number(n.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp >= -4 && exp < p) s = n.toFixed(Math.max(0, p - 1 - exp));
  else s = expo(n, p - 1, alt);
  if (!alt) {
    s = s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  }
  return s;
}

function pad(sign: string, body: string, width: number | undefined, left: boolean, zero: boolean, fill: string): string {
  const len = sign.length + [...body].length;
  if (width === undefined || len >= width) return sign + body;
  const padding = width - len;
  if (left) return sign + body + ' '.repeat(padding);
  if (zero) return sign + '0'.repeat(padding) + body;
  return fill.repeat(padding) + sign + body;
}

// ---------------------------------------------------------------------------------------------
// str.format

/** Python's str.format(*args, **kwargs). */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i]!;
    if (ch === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (j < fmt.length && depth > 0) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
        j++;
      }
      if (depth) throw new TemplateFault("Single '{' encountered in format string");
      const field = fmt.slice(i + 1, j - 1);
      const m = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw new TemplateFault(`bad format field '{${field}}'`);
      const [, first = '', chain = '', conv, rawSpec = ''] = m;
      let value: unknown;
      if (first === '') value = args[auto++];
      else if (/^\d+$/.test(first)) value = args[Number(first)];
      else {
        if (!(first in kwargs)) throw new TemplateFault(`KeyError: '${first}'`);
        value = kwargs[first];
      }
      if (value === undefined && (first === '' || /^\d+$/.test(first))) throw new TemplateFault('Replacement index out of range for positional args tuple');
      for (const part of chain.match(/\.[^.[]+|\[[^\]]*\]/g) ?? []) {
        const key = part.startsWith('.') ? part.slice(1) : part.slice(1, -1);
        if (Array.isArray(value) && /^-?\d+$/.test(key)) value = value[Number(key)];
        else if (isMapping(value)) value = value[key];
        else throw new TemplateFault(`cannot look up '${key}' in ${typeName(value)}`);
      }
      if (conv === 'r' || conv === 'a') value = pyRepr(value);
      else if (conv === 's') value = pyStr(value);
      const spec = rawSpec.includes('{') ? strFormat(rawSpec, args.slice(auto), kwargs) : rawSpec;
      out += formatSpec(value, spec);
      i = j;
    } else if (ch === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw new TemplateFault("Single '}' encountered in format string");
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** format(value, spec): Python's format-spec mini-language. */
export function formatSpec(value: unknown, spec: string): string {
  if (value instanceof Undef) value.fail();
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw new TemplateFault(`Invalid format specifier '${spec}'`);
  const [, fillCh, align, signOpt, alt, zero, widthStr, group, precStr, type] = m;
  const width = widthStr ? Number(widthStr) : undefined;
  const prec = precStr !== undefined ? Number(precStr) : undefined;
  const isNum = (isNumber(value) || typeof value === 'boolean') && !(type === 's');
  let sign = '';
  let body: string;
  if (!isNum) {
    if (type && type !== 's') throw new TemplateFault(`Unknown format code '${type}' for object of type '${typeName(value)}'`);
    body = textOf(value) ?? pyStr(value);
    if (prec !== undefined) body = body.slice(0, prec);
  } else {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : num(value);
    const floaty = isFloat(value) || value instanceof PyFloat;
    sign = n < 0 || Object.is(n, -0) ? '-' : signOpt === '+' ? '+' : signOpt === ' ' ? ' ' : '';
    const a = Math.abs(n);
    switch (type) {
      case undefined:
        body = prec !== undefined ? general(a, prec, !!alt) : floaty ? floatRepr(a) : String(a);
        if (typeof value === 'boolean' && !type && !spec) body = value ? 'True' : 'False';
        break;
      case 'd':
      case 'n':
        if (floaty) throw new TemplateFault(`Unknown format code 'd' for object of type 'float'`);
        body = String(a);
        break;
      case 'b':
        body = (alt ? '0b' : '') + Math.trunc(a).toString(2);
        break;
      case 'o':
        body = (alt ? '0o' : '') + Math.trunc(a).toString(8);
        break;
      case 'x':
        body = (alt ? '0x' : '') + Math.trunc(a).toString(16);
        break;
      case 'X':
        body = (alt ? '0X' : '') + Math.trunc(a).toString(16).toUpperCase();
        break;
      case 'c':
        body = String.fromCodePoint(a);
        break;
      case '%':
        body = `${fixed(a * 100, prec ?? 6)}%`;
        break;
      default:
        body = formatNumber(type, a, prec, !!alt);
    }
    if (group) {
      const [int, frac] = body.split('.') as [string, string | undefined];
      body = int.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? `.${frac}` : '');
    }
  }
  const fill = fillCh ?? (zero && !align ? '0' : ' ');
  const al = align ?? (zero && isNum ? '=' : isNum ? '>' : '<');
  const total = sign.length + [...body].length;
  if (width === undefined || total >= width) return sign + body;
  const padding = width - total;
  switch (al) {
    case '<':
      return sign + body + fill.repeat(padding);
    case '>':
      return fill.repeat(padding) + sign + body;
    case '=':
      return sign + fill.repeat(padding) + body;
    default: {
      const l = Math.floor(padding / 2);
      return fill.repeat(l) + sign + body + fill.repeat(padding - l);
    }
  }
}
