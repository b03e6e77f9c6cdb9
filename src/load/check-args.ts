// Checks module arguments against the module's zod schema: at load time for literal values
// (templated ones wait for run time), and at run time for the rendered arguments.

import type { z } from 'zod';
import { didYouMean, SamsError, type SourceLoc } from '../errors.js';
import { keyLoc, locAtPath } from './yaml.js';
import type { ModuleDef } from '../modules/types.js';

const TEMPLATE_RE = /\{\{|\{%/;

function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && TEMPLATE_RE.test(v);
}

/** Value at a zod issue path, and whether any step on the way is a template (unknown until run time). */
function probePath(root: unknown, path: readonly PropertyKey[]): { templated: boolean } {
  let cur: unknown = root;
  if (isTemplated(cur)) return { templated: true };
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return { templated: false };
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
    if (isTemplated(cur)) return { templated: true };
  }
  return { templated: false };
}

function schemaKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** A readable sentence for one zod issue. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length ? `argument '${issue.path.map(String).join('.')}'` : 'arguments';
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return `missing required ${where}`;
      return `${where}: expected ${issue.expected}, got ${typeName(valueAt(input, issue.path))}`;
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(input, issue.path))}`;
    case 'unrecognized_keys':
      return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_union': {
      const msg = issue.message && !/^Invalid input/.test(issue.message) ? issue.message : 'has a value of the wrong type';
      return `${where}: ${msg}`;
    }
    default:
      return `${where}: ${issue.message}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export interface ArgIssue {
  message: string;
  loc?: SourceLoc;
  hint?: string;
}

/**
 * Validate arguments. With `literalOnly`, issues at templated values are ignored (load time).
 * Returns the issues found (empty when fine).
 */
export function checkArgs(mod: ModuleDef, args: Record<string, unknown>, argsLoc: SourceLoc | undefined, literalOnly: boolean): ArgIssue[] {
  const result = mod.args.safeParse(args);
  if (result.success) return [];
  const issues: ArgIssue[] = [];
  for (const issue of result.error.issues) {
    if (literalOnly && probePath(args, issue.path).templated) continue;
    if (issue.code === 'unrecognized_keys') {
      const known = schemaKeys(mod.args).filter((k) => !k.startsWith('_'));
      for (const key of issue.keys) {
        const near = didYouMean(key, known);
        issues.push({
          message: `unknown argument '${key}' for module '${mod.name}'${near ? ` (did you mean '${near}'?)` : ''}`,
          loc: keyLoc(args, key) ?? argsLoc,
          hint: `${mod.name} takes: ${known.join(', ')}`,
        });
      }
      continue;
    }
    if (literalOnly && issue.code === 'invalid_type' && valueAt(args, issue.path) === undefined) {
      // A missing required argument could still come from a templated `args:` mapping; report only when none is templated.
      if (Object.values(args).some(isTemplated) && issue.path.length > 1) continue;
    }
    issues.push({ message: `module '${mod.name}': ${describeIssue(issue, args)}`, loc: locAtPath(args, issue.path, argsLoc) });
  }
  return issues;
}

/** Parse rendered arguments at run time; throws a SamsError at the task's position on failure. */
export function parseArgs<A>(mod: ModuleDef<A>, args: Record<string, unknown>, argsLoc: SourceLoc | undefined): A {
  const result = mod.args.safeParse(args);
  if (result.success) return result.data as A;
  const issues = checkArgs(mod, args, argsLoc, false);
  const first = issues[0] ?? { message: `module '${mod.name}': invalid arguments`, loc: argsLoc };
  throw new SamsError(issues.length > 1 ? `${first.message} (and ${issues.length - 1} more)` : first.message, { loc: first.loc ?? argsLoc, hint: first.hint });
}
