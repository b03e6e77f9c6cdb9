// replace: substitute every match of a Python regex (MULTILINE) in a file, optionally only in the
// region after/before other matches (DOTALL), with ansible-core 2.14's exact rules.

import { z } from 'zod';
import { reveal } from '../secret.js';
import { zBool, zStr, zStrOrSecret, zValidate, fileAttrArgs } from './lib/args.js';
import { checkAliases, checkRegexArg } from './lib/arg-aliases.js';
import { decodeEscaped, encodeEscaped, pyEncoding, SUPPORTED_ENCODINGS, type PyEncoding } from './lib/py-text.js';
import { compilePy, parseTemplate, pySubn, PyRegexError } from '../python/re.js';
import { planTextEdit, probeTextFile, refuseUnusable, TEXT_PATH, textPath, textPathArgs, type TextFileState } from './lib/text-file.js';
import { defineModule, type Plan } from './types.js';

/** The pattern delimiting the region, as Ansible builds it; '' when neither after nor before is set. */
export function sectionPattern(after: string | undefined, before: string | undefined): string {
  if (after && before) return `${after}(?P<subsection>.*?)${before}`;
  if (after) return `${after}(?P<subsection>.*)`;
  if (before) return `(?P<subsection>.*)${before}`;
  return '';
}

const args = z
  .object({
    ...textPathArgs,
    regexp: zStr(),
    replace: zStrOrSecret().default(''),
    after: zStr().optional(),
    before: zStr().optional(),
    backup: zBool().default(false),
    validate: zValidate().optional(),
    encoding: zStr()
      .default('utf-8')
      .refine((e) => pyEncoding(e) !== undefined, `sams supports these encodings: ${SUPPORTED_ENCODINGS}`),
    ...fileAttrArgs(),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkAliases(a, TEXT_PATH, ctx, true);
    const re = checkRegexArg(ctx, 'regexp', a.regexp, (p) => compilePy(p, { multiline: true }));
    if (re && typeof a.replace === 'string') {
      try {
        parseTemplate(a.replace, re);
      } catch (e) {
        if (!(e instanceof PyRegexError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message, path: ['replace'] });
      }
    }
    const section = sectionPattern(a.after, a.before);
    if (section) checkRegexArg(ctx, a.after ? 'after' : 'before', section, (p) => compilePy(p, { dotall: true }), 'the after/before pattern');
  });

export type ReplaceArgs = z.output<typeof args>;

export interface ReplaceResult {
  /** The new text, or undefined when nothing changes. */
  text?: string;
  count: number;
  /** Set when after/before did not match: Ansible stops there (no attributes either). */
  noSection?: string;
}

/** The replacement on decoded text, as replace.py does it. Pure; throws PyRegexError. */
export function replaceInText(contents: string, regexp: string, replace: string, after?: string, before?: string): ReplaceResult {
  const pattern = sectionPattern(after, before);
  let section = contents;
  let indices: [number, number] | undefined;
  if (pattern) {
    const re = compilePy(pattern, { dotall: true, indices: true }).withIndices!;
    re.lastIndex = 0;
    const m = re.exec(contents);
    if (!m) return { count: 0, noSection: `Pattern for before/after params did not match the given file: ${pattern}` };
    indices = m.indices!.groups!.subsection!;
    section = m.groups!.subsection!;
  }
  const mre = compilePy(regexp, { multiline: true });
  const [out, count] = pySubn(mre, parseTemplate(replace, mre), section);
  if (count > 0 && out !== section) {
    return { text: indices ? contents.slice(0, indices[0]) + out + contents.slice(indices[1]) : out, count };
  }
  return { count };
}

/** Compute the plan for the probed file. Pure. */
export function planReplace(a: ReplaceArgs, st: TextFileState, env: { check: boolean }): Plan {
  const path = textPath(a);
  const refused = refuseUnusable(st);
  if (refused) return refused;
  if (!st.file.exists) return { kind: 'fail', msg: `Path ${path} does not exist !`, data: { rc: 257 } };
  const enc: PyEncoding = pyEncoding(a.encoding)!;
  try {
    const r = replaceInText(decodeEscaped(st.file.content!, enc), a.regexp, reveal(a.replace), a.after, a.before);
    if (r.noSection) return { kind: 'ok', note: r.noSection, data: { rc: 0, msg: r.noSection } };
    let after: Buffer | undefined;
    if (r.text !== undefined) {
      try {
        after = encodeEscaped(r.text, enc);
      } catch (e) {
        return { kind: 'fail', msg: `cannot write the result as ${enc}: ${(e as Error).message}` };
      }
    }
    const msg = after ? `${r.count} replacements made` : '';
    return planTextEdit(a, st, { after, msg, data: { rc: 0 }, secret: typeof a.replace !== 'string' }, env.check);
  } catch (e) {
    if (e instanceof PyRegexError) return { kind: 'fail', msg: e.message };
    throw e;
  }
}

export default defineModule({
  name: 'replace',
  summary: 'Replace every match of a regular expression in a file, optionally between after/before.',
  where: 'target',
  args,
  check: 'plan',
  probe: (env, a) => probeTextFile(env.remote, textPath(a)),
  plan: (a, st, env) => planReplace(a, st, env),
});
