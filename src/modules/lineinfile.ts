// lineinfile: make sure one line is in a file (or replace the line a regexp finds, or remove lines),
// with ansible-core 2.14's exact rules (lib/line-edit.ts) and Python regexes.

import { z } from 'zod';
import { reveal, type Secret } from '../secret.js';
import { zBool, zStr, zStrOrSecret, zValidate, fileAttrArgs } from './lib/args.js';
import { aliased, checkAliases, checkExclusive, checkRegexArg } from './lib/arg-aliases.js';
import { lineAbsent, linePresent, readlines } from './lib/line-edit.js';
import { compileToBytes, PyRegexError, toByteString } from '../python/re.js';
import { planTextEdit, probeTextFile, refuseUnusable, TEXT_PATH, textPath, textPathArgs, type TextFileState } from './lib/text-file.js';
import { defineModule, type Plan } from './types.js';

const REGEXP = ['regexp', 'regex'] as const;
const LINE = ['line', 'value'] as const;

const args = z
  .object({
    ...textPathArgs,
    state: z.enum(['present', 'absent']).default('present'),
    regexp: zStr().optional(),
    regex: zStr().optional(),
    search_string: zStr().optional(),
    line: zStrOrSecret().optional(),
    value: zStrOrSecret().optional(),
    insertafter: zStr().optional(),
    insertbefore: zStr().optional(),
    backrefs: zBool().default(false),
    create: zBool().default(false),
    backup: zBool().default(false),
    firstmatch: zBool().default(false),
    validate: zValidate().optional(),
    ...fileAttrArgs(),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkAliases(a, TEXT_PATH, ctx, true);
    checkAliases(a, REGEXP, ctx, false);
    checkAliases(a, LINE, ctx, false);
    checkExclusive(a, [['insertbefore'], ['insertafter']], ctx);
    checkExclusive(a, [REGEXP, ['search_string']], ctx);
    if (a.backrefs && a.search_string !== undefined) checkExclusive(a, [['backrefs'], ['search_string']], ctx);
    const regexp = aliased<string>(a, REGEXP);
    const line = aliased<string | Secret>(a, LINE);
    if (a.state === 'present') {
      if (a.backrefs && regexp === undefined) ctx.addIssue({ code: 'custom', message: 'regexp is required with backrefs=true', path: ['backrefs'] });
      if (line === undefined) ctx.addIssue({ code: 'custom', message: 'line is required with state=present', path: [] });
    } else if (regexp === undefined && a.search_string === undefined && line === undefined) {
      ctx.addIssue({ code: 'custom', message: 'one of line, search_string, or regexp is required with state=absent', path: [] });
    }
    for (const key of [...REGEXP, 'insertafter', 'insertbefore'] as const) {
      const v = a[key];
      if (v === undefined || ((key === 'insertafter' || key === 'insertbefore') && (v === 'EOF' || v === 'BOF'))) continue;
      checkRegexArg(ctx, key, v, compileToBytes);
    }
  });

export type LineinfileArgs = z.output<typeof args>;

/** Ansible's lineinfile returns `backup: ''` when no backup was made, else the backup's path under the same key. */
function backupKey(willBackUp: boolean): Record<string, unknown> {
  return willBackUp ? {} : { backup: '' };
}

/** Compute the plan for the probed file. Pure. */
export function planLineinfile(a: LineinfileArgs, st: TextFileState, env: { check: boolean }): Plan {
  const path = textPath(a);
  const refused = refuseUnusable(st);
  if (refused) return refused;
  const regexpText = aliased<string>(a, REGEXP);
  const lineValue = aliased<string | Secret>(a, LINE);
  const secret = lineValue !== undefined && typeof lineValue !== 'string';
  const line = lineValue === undefined ? undefined : toByteString(reveal(lineValue));
  const searchString = a.search_string === undefined ? undefined : toByteString(a.search_string);
  try {
    const regexp = regexpText === undefined ? undefined : compileToBytes(regexpText);
    const exists = st.file.exists;
    const before = exists ? st.file.content!.toString('latin1') : '';
    if (a.state === 'absent') {
      if (!exists) return { kind: 'ok', note: 'file not present', data: { msg: 'file not present' } };
      const r = lineAbsent(readlines(before), { line, regexp, searchString });
      return planTextEdit(
        a,
        st,
        { after: r.changed ? Buffer.from(r.lines.join(''), 'latin1') : undefined, msg: r.msg, data: { found: r.found, ...backupKey(a.backup && r.changed) }, secret, attrDiff: true, backupKey: 'backup' },
        env.check,
      );
    }
    if (!exists && !a.create) return { kind: 'fail', msg: `Destination ${path} does not exist !`, data: { rc: 257 } };
    let insertafter = a.insertafter;
    const insertbefore = a.insertbefore;
    if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
    const insertText = insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
    const r = linePresent(readlines(before), {
      line: line!,
      regexp,
      searchString,
      insertafter,
      insertbefore,
      insertRe: insertText === undefined ? undefined : compileToBytes(insertText),
      backrefs: a.backrefs,
      firstmatch: a.firstmatch,
    });
    return planTextEdit(
      a,
      st,
      { after: r.changed ? Buffer.from(r.lines.join(''), 'latin1') : undefined, msg: r.msg, data: backupKey(a.backup && r.changed && exists), secret, attrDiff: true, backupKey: 'backup' },
      env.check,
    );
  } catch (e) {
    if (e instanceof PyRegexError) return { kind: 'fail', msg: e.message };
    throw e;
  }
}

export default defineModule({
  name: 'lineinfile',
  summary: 'Ensure a line is in a file, replace the line a regexp finds, or remove matching lines.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a) {
    const regexp = aliased<string>(a, REGEXP);
    if (regexp === '' || a.search_string === '') {
      const what = regexp === '' ? 'regular expression' : 'search string';
      env.warn(
        `The ${what} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.` +
          (regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ''),
      );
    }
    return probeTextFile(env.remote, textPath(a));
  },
  plan: (a, st, env) => planLineinfile(a, st, env),
});
