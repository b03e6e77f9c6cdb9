// The Templar: Jinja2 templating as Ansible 2.14 does it, on nunjucks with the sams runtime.

/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import nunjucks from 'nunjucks';
import { SamsError, SamsErrors, type SourceLoc } from '../errors.js';
import { Secret, isSecret } from '../secret.js';
import { UnsafeText, copyLocs, type VaultKeyring } from '../load/yaml.js';
import type { RenderOptions, Templar, Vars } from './types.js';
import type { TemplarHost } from './host.js';
import { type CompileFlags, generateCode, isSingleExpression, parseTemplate } from './compiler.js';
import { rt } from './runtime.js';
import { type RenderState, state, withState } from './render-state.js';
import { TemplateFault } from './fault.js';
import { Undef, UNDEFINED_HINT } from './undefined.js';
import { PyFloat, isMapping, isProxy, textOf, truthy } from './py-types.js';
import { runLookup, searchDirs } from './lookups.js';
import './filters/index.js';
import './tests.js';

const nj = nunjucks as any;
const TemplateError = nj.lib.TemplateError;

/** nunjucks' Template with our parser, code generator and runtime. */
class SamsTemplate extends nj.Template {
  declare tmplStr: string;
  declare path: string | undefined;
  declare rootRenderFunc: unknown;
  declare blocks: unknown;
  declare compiled: boolean;
  samsFlags!: CompileFlags;
  native = false;

  _compile(): void {
    const root = parseTemplate(this.tmplStr, this.samsFlags);
    this.native = this.samsFlags.native && isSingleExpression(root);
    const code = generateCode(root, { ...this.samsFlags, native: this.native }, this.path);
    const props = new Function('rt', code)(rt);
    this.blocks = this._getBlocks(props);
    this.rootRenderFunc = props.root;
    this.compiled = true;
  }
  declare _getBlocks: (props: unknown) => unknown;
  declare render: (ctx: object) => string;
}

const CACHE_LIMIT = 20_000;

// Ansible's boolean() reads these strings as false; a condition yielding one is almost always a
// forgotten `| bool`, and Jinja would call the non-empty string true.
const FALSE_STRINGS = new Set(['false', 'no', 'off', 'n', 'f', '0']);
const TRUE_STRINGS = new Set(['true', 'yes', 'on', 'y', 't', '1']);

const SINGLE_EXPR = /^\s*\{\{([\s\S]*)\}\}\s*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

interface RunResult {
  value: unknown;
  /** The text output; for a native template, with a string value in place of the expression. */
  text: string;
  native: boolean;
  tainted: boolean;
}

export class NunjucksTemplar implements Templar, TemplarHost {
  readonly omitToken = `__omit_place_holder__${randomBytes(20).toString('hex')}`;
  readonly keyring?: VaultKeyring;
  private readonly env: any;
  private readonly cache = new Map<string, SamsTemplate>();

  constructor(opts: { keyring?: VaultKeyring } = {}) {
    this.keyring = opts.keyring;
    this.env = new nj.Environment([], { autoescape: false, dev: true });
    // {% include %} / {% import %} / {% extends %}: files next to the including template, then
    // the role's and playbook's templates directories.
    this.env.getTemplate = (name: unknown, _eager: boolean, parentName: string | null, ignoreMissing: boolean, cb: (e: unknown, t?: unknown) => void) => {
      try {
        const file = this.resolveInclude(String(name), parentName ?? undefined);
        if (!file) {
          if (ignoreMissing) return cb(null, this.compile('', this.fileFlags(), undefined));
          return cb(new TemplateFault(`template not found: ${String(name)}`));
        }
        const text = readFileSync(file, 'utf8');
        return cb(null, this.compile(stripFinalNewline(text), this.fileFlags(), file));
      } catch (e) {
        return cb(e);
      }
    };
  }

  isTemplate(text: string): boolean {
    return text.includes('{{') || text.includes('{%') || text.includes('{#');
  }

  render(value: unknown, vars: Vars, opts: RenderOptions = {}): unknown {
    if (typeof value === 'string') return this.renderString(value, vars, opts);
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const r = this.render(value[i], vars, opts);
        if (r !== value[i] && !out) out = value.slice(0, i);
        if (out) out.push(r);
      }
      if (!out) return value;
      copyLocs(value, out);
      return out;
    }
    if (isPlainObject(value)) {
      let out: Record<string, unknown> | undefined;
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const rk = this.isTemplate(k) ? this.renderString(k, vars, opts) : k;
        const key = typeof rk === 'string' ? rk : isSecret(rk) ? rk.reveal() : String(rk);
        const r = this.render(value[k], vars, opts);
        if ((r !== value[k] || key !== k) && !out) {
          out = {};
          for (let j = 0; j < i; j++) out[keys[j]!] = value[keys[j]!];
        }
        if (out) out[key] = r;
      }
      if (!out) return value;
      copyLocs(value, out);
      return out;
    }
    if (value instanceof UnsafeText) return value.text;
    return value;
  }

  renderText(text: string, vars: Vars, opts: RenderOptions = {}): string | Secret {
    const flags: CompileFlags = {
      inline: false,
      native: false,
      trimBlocks: opts.trimBlocks ?? true,
      lstripBlocks: opts.lstripBlocks ?? false,
    };
    const res = this.run(stripFinalNewline(text), flags, vars, opts, text, opts.templateFile);
    let out = res.value as string;
    const want = trailingNewlines(text);
    const have = trailingNewlines(out);
    if (want > have) out += '\n'.repeat(want - have);
    return res.tainted ? Secret.derived(out) : out;
  }

  renderFile(path: string, vars: Vars, opts: RenderOptions): string | Secret {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new TemplateFault(`cannot read template ${path}: ${(e as Error).message}`);
    }
    return this.renderText(text, vars, { ...opts, templateFile: path });
  }

  evalExpr(expr: string, vars: Vars, opts: RenderOptions = {}): unknown {
    const flags: CompileFlags = { inline: false, native: true, trimBlocks: true, lstripBlocks: false };
    const res = this.run(`{{ ${expr} }}`, flags, vars, opts, expr, undefined);
    return this.finishNative(res, opts, expr);
  }

  evalCondition(cond: unknown, vars: Vars, opts: RenderOptions = {}): boolean {
    if (typeof cond === 'boolean') return cond;
    if (cond === null || cond === undefined) return true;
    if (Array.isArray(cond)) return cond.every((c) => this.evalCondition(c, vars, opts));
    if (typeof cond === 'number') return cond !== 0;
    const text = cond instanceof UnsafeText ? cond.text : textOf(cond);
    if (text === undefined) return truthy(cond);
    if (text.trim() === '') return true;
    let expr = text;
    let value: unknown;
    const m = SINGLE_EXPR.exec(text);
    if (m && !m[1]!.includes('{{') && !m[1]!.includes('}}')) {
      expr = m[1]!.trim();
      value = this.evalExpr(expr, vars, opts);
    } else if (this.isTemplate(text)) {
      // Ansible templates the text first, then evaluates the result as an expression.
      const rendered = this.render(text, vars, opts);
      if (typeof rendered === 'boolean') return rendered;
      const r = textOf(rendered);
      if (r === undefined) return truthy(rendered);
      if (r.trim() === '') return false;
      expr = r;
      value = this.evalExpr(r, vars, opts);
    } else value = this.evalExpr(text, vars, opts);
    if (typeof value === 'boolean') return value;
    const s = textOf(value);
    if (s !== undefined) {
      const lower = s.trim().toLowerCase();
      if (FALSE_STRINGS.has(lower)) {
        throw new SamsError(`condition ${JSON.stringify(text)} gives the string ${JSON.stringify(isSecret(value) ? '********' : s)}, which Jinja counts as true${opts.host ? ` on host ${opts.host}` : ''}`, {
          loc: opts.loc,
          host: opts.host,
          hint: `convert it with | bool (when: ${expr} | bool) or compare it explicitly (when: ${expr} == 'yes')`,
        });
      }
      if (TRUE_STRINGS.has(lower)) return true;
      return s.length > 0;
    }
    return truthy(value);
  }

  checkSyntax(text: string, kind: 'template' | 'expression', opts: RenderOptions = {}): SamsError | undefined {
    // The same source and flags as renderString() / evalExpr(), so the compiled template is reused.
    const [src, flags]: [string, CompileFlags] =
      kind === 'expression'
        ? [`{{ ${text} }}`, { inline: false, native: true, trimBlocks: true, lstripBlocks: false }]
        : [stripFinalNewline(text), { inline: true, native: true, trimBlocks: true, lstripBlocks: false }];
    try {
      this.compile(src, flags, undefined);
      return undefined;
    } catch (e) {
      const err = syntaxError(e, text, opts, undefined);
      if (err instanceof SamsError) return err;
      if (err instanceof SamsErrors) return err.errors[0];
      throw err;
    }
  }

  /**
   * Run lookup plugin `name` on `terms` (already rendered) as query() does; for the engine's
   * `with_<lookup>:` loops. Errors are SamsErrors at opts.loc.
   */
  query(name: string, terms: unknown[], vars: Vars, opts: RenderOptions = {}): unknown[] {
    const st: RenderState = { vars, opts, host: this, tainted: false, native: false, captured: undefined, hasCaptured: false };
    try {
      return withState(st, () => runLookup(name, terms, {}, st));
    } catch (e) {
      throw renderError(e, `with_${name}`, opts, undefined);
    }
  }

  // -------------------------------------------------------------------------------------------

  private renderString(s: string, vars: Vars, opts: RenderOptions): unknown {
    if (!this.isTemplate(s)) return s;
    const flags: CompileFlags = { inline: true, native: true, trimBlocks: true, lstripBlocks: false };
    const res = this.run(stripFinalNewline(s), flags, vars, opts, s, undefined);
    if (res.native) {
      const v = res.value;
      // A string (or nothing) keeps the text around the expression: "{{ x }}\n" is x plus a newline.
      const stringy = typeof v === 'string' || isSecret(v) || v instanceof UnsafeText || v === null || v === undefined;
      if (!stringy || /^\{\{[\s\S]*\}\}$/.test(s)) return this.finishNative(res, opts, s);
      return this.finishText({ ...res, value: res.text }, s, opts);
    }
    return this.finishText(res, s, opts);
  }

  private finishText(res: RunResult, src: string, opts: RenderOptions): string | Secret {
    let out = res.value as string;
    const want = trailingNewlines(src);
    const have = trailingNewlines(out);
    if (want > have) out += '\n'.repeat(want - have);
    this.checkOmit(out, src, opts);
    return res.tainted ? Secret.derived(out) : out;
  }

  private finishNative(res: RunResult, opts: RenderOptions, src: string): unknown {
    let v = res.value;
    if (typeof v === 'string') this.checkOmit(v, src, opts);
    if (res.tainted) v = taintValue(v);
    return v;
  }

  private checkOmit(out: string, src: string, opts: RenderOptions): void {
    if (!out.includes(this.omitToken)) return;
    if (opts.allowOmit && out === this.omitToken) return;
    throw new SamsError(
      opts.allowOmit ? `'omit' must be the whole value, not part of a text: ${JSON.stringify(src)}` : `'omit' can only be used as a module argument: ${JSON.stringify(src)}`,
      { loc: opts.loc, host: opts.host, hint: 'write the argument as "{{ x | default(omit) }}" and nothing else' },
    );
  }

  private fileFlags(): CompileFlags {
    let opts: RenderOptions = {};
    try {
      opts = state().opts;
    } catch {
      opts = {};
    }
    return { inline: false, native: false, trimBlocks: opts.trimBlocks ?? true, lstripBlocks: opts.lstripBlocks ?? false };
  }

  private resolveInclude(name: string, parent: string | undefined): string | undefined {
    if (isAbsolute(name)) return existsSync(name) ? name : undefined;
    const st = state();
    const dirs = [...(parent ? [dirname(parent)] : []), ...searchDirs(st.vars, 'templates', st.opts.templateFile)];
    for (const d of dirs) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  private compile(src: string, flags: CompileFlags, file: string | undefined): SamsTemplate {
    const key = `${flags.inline ? 'i' : 'f'}${flags.native ? 'n' : 't'}${flags.trimBlocks ? 'T' : '-'}${flags.lstripBlocks ? 'L' : '-'}${file ?? ''}\0${src}`;
    let t = this.cache.get(key);
    if (t) return t;
    t = new (SamsTemplate as unknown as new (src: string, env: unknown, path?: string) => SamsTemplate)(src, this.env, file);
    t.samsFlags = flags;
    t.compile();
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, t);
    return t;
  }

  private run(src: string, flags: CompileFlags, vars: Vars, opts: RenderOptions, shown: string, file: string | undefined): RunResult {
    let tmpl: SamsTemplate;
    try {
      tmpl = this.compile(src, flags, file);
    } catch (e) {
      throw syntaxError(e, shown, opts, file);
    }
    const st: RenderState = {
      vars,
      opts,
      host: this,
      tainted: false,
      native: tmpl.native,
      captured: undefined,
      hasCaptured: false,
    };
    let text: string;
    let value: unknown;
    try {
      text = withState(st, () => tmpl.render({}));
      // Undefined items of a list or dict the expression built raise here.
      if (tmpl.native) value = exportValue(st.captured);
    } catch (e) {
      throw renderError(e, shown, opts, file);
    }
    if (tmpl.native) return { value, text, native: true, tainted: st.tainted };
    return { value: text, text, native: false, tainted: st.tainted };
  }
}

function stripFinalNewline(s: string): string {
  // Jinja drops one trailing newline of the template (keep_trailing_newline=False); Ansible
  // then restores as many as the source had (preserve_trailing_newlines).
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** Native results leave the runtime: integral floats become numbers, undefined items raise. */
function exportValue(v: unknown, depth = 0): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Undef) v.fail();
  if (depth > 50 || typeof v !== 'object' || v === null || isProxy(v)) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = exportValue(v[i], depth + 1);
      if (x !== v[i] && !out) out = v.slice(0, i);
      if (out) out.push(x);
    }
    return out ?? v;
  }
  if (isMapping(v) && Object.getPrototypeOf(v) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const x = exportValue(v[k], depth + 1);
      if (x !== v[k] && !out) out = { ...v };
      if (out) out[k] = x;
    }
    return out ?? v;
  }
  return v;
}

/** A result computed from a secret: its strings become Secrets. */
function taintValue(v: unknown): unknown {
  if (typeof v === 'string') return Secret.derived(v);
  if (Array.isArray(v)) return v.map(taintValue);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = taintValue(v[k]);
    return out;
  }
  return v;
}

function suffix(opts: RenderOptions): string {
  return `${opts.what ? ` in ${opts.what}` : ''}${opts.host ? ` on host ${opts.host}` : ''}`;
}

function shownExpr(src: string): string {
  const one = src.trim();
  return one.length <= 200 ? `: ${one}` : '';
}

function locFor(opts: RenderOptions, file: string | undefined, line: number | undefined, col?: number): SourceLoc | undefined {
  const f = file ?? opts.templateFile;
  if (f) return { file: f, line: line ?? 1, col: col ?? 1 };
  return opts.loc;
}

function syntaxError(e: unknown, src: string, opts: RenderOptions, file: string | undefined): Error {
  if (e instanceof SamsError || e instanceof SamsErrors) return e;
  const err = e as { message?: string; lineno?: number; colno?: number; cause?: unknown };
  // nunjucks' parser can trip over a template that ends inside a tag.
  const msg = /Cannot read properties of (null|undefined)/.test(String(err.message)) ? 'unexpected end of template' : String(err.message ?? e);
  const f = file ?? opts.templateFile;
  const where = f ? '' : ` in ${JSON.stringify(src.length <= 200 ? src : `${src.slice(0, 200)}...`)}`;
  return new SamsError(`template syntax error${where}: ${msg}${suffix(opts)}`, {
    loc: locFor(opts, file, err.lineno, err.colno),
    host: opts.host,
    hint: 'check the {{ }} / {% %} syntax (Jinja2)',
  });
}

function renderError(e: unknown, src: string, opts: RenderOptions, file: string | undefined): Error {
  let line: number | undefined;
  let cur: unknown = e;
  while (cur instanceof TemplateError && (cur as { cause?: unknown }).cause) {
    const te = cur as { lineno?: number; cause?: unknown };
    if (line === undefined && typeof te.lineno === 'number') line = te.lineno + 1;
    cur = te.cause;
  }
  if (cur instanceof SamsError || cur instanceof SamsErrors) return cur;
  const f = file ?? opts.templateFile;
  if (cur instanceof TemplateFault) {
    const at = cur.line ?? line;
    if (cur.kind === 'undefined') {
      return new SamsError(`${cur.message}${suffix(opts)}`, { loc: locFor(opts, file, at), host: opts.host, hint: cur.hint ?? UNDEFINED_HINT });
    }
    return new SamsError(`template error: ${cur.message}${f ? '' : ` (in ${JSON.stringify(src.trim().slice(0, 200))})`}${suffix(opts)}`, {
      loc: locFor(opts, file, at),
      host: opts.host,
      hint: cur.hint,
    });
  }
  if (cur instanceof TemplateError) {
    const te = cur as { lineno?: number; colno?: number; message: string };
    return new SamsError(`template error: ${te.message.replace(/^\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*/, '')}${shownExpr(f ? '' : src)}${suffix(opts)}`, {
      loc: locFor(opts, file, te.lineno),
      host: opts.host,
    });
  }
  const msg = cur instanceof Error ? cur.message : String(cur);
  return new SamsError(`error while templating${f ? '' : ` ${JSON.stringify(src.trim().slice(0, 200))}`}: ${msg}${suffix(opts)}`, {
    loc: locFor(opts, file, line),
    host: opts.host,
    cause: cur,
  });
}

