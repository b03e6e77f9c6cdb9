// blockinfile: insert, update or remove a block of lines between marker lines ('# BEGIN ANSIBLE
// MANAGED BLOCK' / '# END ...' by default, so blocks Ansible wrote are recognised), with
// ansible-core 2.14's exact rules (lib/block-edit.ts).

import { z } from 'zod';
import { reveal, type Secret } from '../secret.js';
import { zBool, zStr, zStrOrSecret, zValidate, fileAttrArgs } from './lib/args.js';
import { aliased, checkAliases, checkExclusive, checkRegexArg } from './lib/arg-aliases.js';
import { BlockEditError, blockMarkers, editBlock } from './lib/block-edit.js';
import { compileToBytes, PyRegexError, toByteString } from '../python/re.js';
import { planTextEdit, probeTextFile, refuseUnusable, TEXT_PATH, textPath, textPathArgs, type TextFileState } from './lib/text-file.js';
import { defineModule, type Plan } from './types.js';

const BLOCK = ['block', 'content'] as const;

const args = z
  .object({
    ...textPathArgs,
    state: z.enum(['present', 'absent']).default('present'),
    marker: zStr().default('# {mark} ANSIBLE MANAGED BLOCK'),
    block: zStrOrSecret().optional(),
    content: zStrOrSecret().optional(),
    insertafter: zStr().optional(),
    insertbefore: zStr().optional(),
    create: zBool().default(false),
    backup: zBool().default(false),
    validate: zValidate().optional(),
    marker_begin: zStr().default('BEGIN'),
    marker_end: zStr().default('END'),
    ...fileAttrArgs(),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkAliases(a, TEXT_PATH, ctx, true);
    checkAliases(a, BLOCK, ctx, false);
    checkExclusive(a, [['insertbefore'], ['insertafter']], ctx);
    const regex = a.insertafter !== undefined && a.insertafter !== 'EOF' ? 'insertafter' : a.insertbefore !== undefined && a.insertbefore !== 'BOF' ? 'insertbefore' : undefined;
    if (regex) checkRegexArg(ctx, regex, a[regex]!, compileToBytes);
    try {
      blockMarkers({ marker: toByteString(a.marker), markerBegin: a.marker_begin, markerEnd: a.marker_end });
    } catch (e) {
      if (!(e instanceof PyRegexError) && !(e instanceof BlockEditError)) throw e;
      ctx.addIssue({ code: 'custom', message: `cannot build the marker lines: ${e.message}`, path: ['marker_begin'] });
    }
  });

export type BlockinfileArgs = z.output<typeof args>;

/** Compute the plan for the probed file. Pure. */
export function planBlockinfile(a: BlockinfileArgs, st: TextFileState, env: { check: boolean }): Plan {
  const path = textPath(a);
  const refused = refuseUnusable(st);
  if (refused) return refused;
  const exists = st.file.exists;
  // As Ansible: a missing file without create fails even for state=absent.
  if (!exists && !a.create) return { kind: 'fail', msg: `Path ${path} does not exist !`, data: { rc: 257 } };
  if (!exists && a.state === 'absent') return { kind: 'ok', note: `File ${path} not present`, data: { msg: `File ${path} not present` } };
  const blockValue = aliased<string | Secret>(a, BLOCK) ?? '';
  let insertafter = a.insertafter;
  const insertbefore = a.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insertText = insertafter !== undefined && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
  try {
    const r = editBlock(exists ? st.file.content!.toString('latin1') : null, {
      present: a.state === 'present',
      block: toByteString(reveal(blockValue)),
      marker: toByteString(a.marker),
      markerBegin: a.marker_begin,
      markerEnd: a.marker_end,
      insertafter,
      insertbefore,
      insertRe: insertText === undefined ? undefined : compileToBytes(insertText),
    });
    const edit = { after: r.changed ? Buffer.from(r.result, 'latin1') : undefined, msg: r.msg, secret: typeof blockValue !== 'string', attrDiff: true };
    return planTextEdit(a, st, edit, env.check);
  } catch (e) {
    if (e instanceof PyRegexError || e instanceof BlockEditError) return { kind: 'fail', msg: e.message };
    throw e;
  }
}

export default defineModule({
  name: 'blockinfile',
  summary: 'Insert, update or remove a block of lines between marker lines.',
  where: 'target',
  args,
  check: 'plan',
  probe: (env, a) => probeTextFile(env.remote, textPath(a)),
  plan: (a, st, env) => planBlockinfile(a, st, env),
});
