// assert: evaluate conditions like `when:` does and fail on the first false one.

import { z } from 'zod';
import { zBool } from './lib/args.js';
import { defineModule, type ModuleOutcome, type TaskEnv } from './types.js';

const message = () =>
  z.union([z.string(), z.array(z.string({ error: 'every line of the message must be a string' }))], {
    error: 'expected a string or a list of strings',
  });

const args = z
  .object({
    that: z.unknown().refine((v) => v !== undefined && v !== null, 'conditional required in "that" string'),
    fail_msg: message().optional(),
    msg: message().optional(),
    success_msg: message().optional(),
    quiet: zBool().default(false),
  })
  .strict();

export type AssertArgs = z.output<typeof args>;

export function runAssert(env: TaskEnv, a: AssertArgs): ModuleOutcome {
  const thats = Array.isArray(a.that) ? a.that : [a.that];
  const failMsg = a.fail_msg ?? a.msg ?? 'Assertion failed';
  const successMsg = a.success_msg ?? 'All assertions passed';
  const shown = (m: string | string[]) => (a.quiet || typeof m !== 'string' ? undefined : m);
  for (const that of thats) {
    const ok = env.templar.evalCondition(that, env.vars, { loc: env.loc, host: env.host, what: 'assert condition' });
    if (!ok) {
      return { status: 'failed', msg: typeof failMsg === 'string' ? failMsg : failMsg.join('\n'), data: { assertion: that, evaluated_to: false, msg: failMsg } };
    }
  }
  // quiet: the result is not shown, only registered (Ansible drops _ansible_verbose_always).
  return { status: 'ok', msg: shown(successMsg), data: { msg: successMsg } };
}

export default defineModule({
  name: 'assert',
  summary: 'Fail unless every given condition holds.',
  where: 'controller',
  args,
  check: 'plan',
  run: runAssert,
});
