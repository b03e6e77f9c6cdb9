// The templating contract the loader, the engine and the modules use.

import type { SamsError, SourceLoc } from '../errors.js';

/**
 * Variables visible to a template: a plain object or a Proxy that resolves (and templates)
 * values lazily. A name that is absent (`!(name in vars)`) is undefined.
 */
export type Vars = Record<string, unknown>;

export interface RenderOptions {
  /** Where the template text is written, for errors. */
  loc?: SourceLoc;
  /** What is being rendered, for errors: "argument 'dest' of task 'Copy config'". */
  what?: string;
  /** Host being templated for, for errors ("undefined variable 'x' on host web1"). */
  host?: string;
  /** Template module options (Ansible's defaults there: trim_blocks true, lstrip_blocks false). */
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** Path of the template file (errors name its line), for template/lookup('template'). */
  templateFile?: string;
  /** Keep the `omit` placeholder in the output instead of failing on it (module args). */
  allowOmit?: boolean;
}

export interface Templar {
  /** True when a string holds template syntax ({{ }}, {% %}, {# #}). */
  isTemplate(text: string): boolean;
  /**
   * Deep-render: strings are templated; a string that is exactly one `{{ expr }}` keeps the
   * expression's native type (list, dict, number, bool) as Ansible does; arrays and plain objects
   * are rendered element by element. A result computed from a Secret is a Secret.
   */
  render(value: unknown, vars: Vars, opts?: RenderOptions): unknown;
  /** Render a template text to a string (template module, lookup('template')). May return a Secret. */
  renderText(text: string, vars: Vars, opts?: RenderOptions): string | import('../secret.js').Secret;
  /** Evaluate a bare Jinja expression (`when:` style, no braces). */
  evalExpr(expr: string, vars: Vars, opts?: RenderOptions): unknown;
  /**
   * Evaluate a condition as `when:` does: a bool stays as it is, a string is a bare expression,
   * a list means every item must hold. A string result of "false"/"no" is an error, not truthy.
   */
  evalCondition(cond: unknown, vars: Vars, opts?: RenderOptions): boolean;
  /**
   * Parse `text` without rendering it: a template string (`'template'`, as render() reads it) or a
   * bare expression (`'expression'`, as evalExpr() reads it). Returns the syntax error, if any.
   * The parse is cached, so the render that follows does not parse again.
   */
  checkSyntax(text: string, kind: 'template' | 'expression', opts?: RenderOptions): SamsError | undefined;
  /** The placeholder string `omit` renders to; module arguments equal to it are dropped. */
  readonly omitToken: string;
}
