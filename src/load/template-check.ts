// Template syntax checked when loading: every string of a task, block or play that will be
// templated is parsed once (no rendering), so a broken {{ }} or {% %} stops the run before any
// host is contacted instead of failing when the task runs (where Ansible reports it).

import type { SourceLoc } from '../errors.js';
import type { LoadContext } from './context.js';
import type { Condition } from './model.js';
import { UnsafeText, itemLoc, valueLoc } from './yaml.js';

/** What to do about a template syntax error, from the parser's message. */
function hintFor(message: string): string {
  if (/no filter named/.test(message)) return 'check the filter name: sams has the Jinja2 and ansible.builtin filters (collection filters are not available)';
  if (/no test named/.test(message)) return 'check the test name: sams has the Jinja2 and ansible.builtin tests';
  if (/end of comment/.test(message)) return '"{#" starts a Jinja2 comment: write {{ "{#" }} for the text, or tag the value !unsafe';
  if (/endif|endfor|endraw|endblock|endmacro|endset|endfilter|endwith/.test(message)) return 'close each {% if %} / {% for %} with its {% endif %} / {% endfor %} in the same value';
  if (/variable end|block end/.test(message)) return 'every {{ needs its closing }} (and every {% its %}) in the same value';
  return 'fix the Jinja2 syntax of this value (a missing operand, name or bracket)';
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A file parsed twice (a role listed twice) reports each broken template once. */
const reported = new WeakMap<LoadContext, Set<string>>();

function report(ctx: LoadContext, message: string, loc: SourceLoc | undefined): void {
  let seen = reported.get(ctx);
  if (!seen) reported.set(ctx, (seen = new Set()));
  const key = `${loc ? `${loc.file}:${loc.line}:${loc.col}` : ''}\0${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  ctx.errors.add(message, { loc, hint: hintFor(message) });
}

/** Every keyword value of a task, block, play or role entry that is templated (`become_user`, `delegate_to`...). */
export function checkKeywords(kw: object, raw: Record<string, unknown>, ctx: LoadContext): void {
  for (const [k, v] of Object.entries(kw)) checkTemplated(v, valueLoc(raw, k), k, ctx);
}

/** Parse a value that render() will template: strings, and strings inside lists and mappings. */
export function checkTemplated(value: unknown, loc: SourceLoc | undefined, what: string, ctx: LoadContext, depth = 0): void {
  const t = ctx.opts.templar;
  if (!t || depth > 50 || value instanceof UnsafeText) return;
  if (typeof value === 'string') {
    if (!t.isTemplate(value)) return;
    const err = t.checkSyntax(value, 'template', { loc, what });
    if (err) report(ctx, err.message, err.loc ?? loc);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplated(v, itemLoc(value, i) ?? loc, what, ctx, depth + 1));
    return;
  }
  if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) checkTemplated(v, valueLoc(value, k) ?? loc, depth === 0 ? `${what} '${k}'` : what, ctx, depth + 1);
  }
}

/**
 * Parse conditions as evalCondition() reads them: `{{ expr }}` and bare text are expressions;
 * text with templates inside is a template (its result is evaluated when it runs).
 */
export function checkConditions(conds: Condition[] | undefined, what: string, ctx: LoadContext): void {
  const t = ctx.opts.templar;
  if (!t || !conds) return;
  for (const c of conds) {
    if (typeof c.expr !== 'string' || c.expr.trim() === '') continue;
    const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(c.expr);
    const err =
      m && !m[1]!.includes('{{') && !m[1]!.includes('}}')
        ? t.checkSyntax(m[1]!.trim(), 'expression', { loc: c.loc, what })
        : t.isTemplate(c.expr)
          ? t.checkSyntax(c.expr, 'template', { loc: c.loc, what })
          : t.checkSyntax(c.expr, 'expression', { loc: c.loc, what });
    if (err) report(ctx, err.message, err.loc ?? c.loc);
  }
}
