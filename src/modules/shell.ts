// shell: run a command line through /bin/sh -c (or `executable`) on the target, skipped when
// `creates` exists or `removes` does not.

import { z } from 'zod';
import { sh } from '../shell/quote.js';
import { zStr } from './lib/args.js';
import { commandCheckSkipped, commandCheckStance, planCommand, probeCommand, runArgs, runOptions, type CommandSpec } from './lib/run-command.js';
import { defineModule } from './types.js';

const args = z
  .object({
    cmd: zStr().optional(),
    executable: zStr().optional(),
    // strip_empty_ends among them: not in shell's documentation, but shell runs the command module, which takes it.
    ...runArgs,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.cmd === undefined || a.cmd.trim() === '') ctx.addIssue({ code: 'custom', message: 'no command given (write the command after shell:, or give cmd:)', path: [] });
  });

export type ShellArgs = z.output<typeof args>;

export function shellSpec(a: ShellArgs): CommandSpec {
  const text = a.cmd ?? '';
  return {
    cmd: text,
    // Ansible's run_command(use_unsafe_shell=True): [executable or /bin/sh, '-c', text].
    run: sh`exec ${a.executable ?? '/bin/sh'} -c ${text}`,
    ...runOptions(a),
  };
}

export default defineModule({
  name: 'shell',
  summary: 'Run a command line through the shell on the target; creates/removes make it idempotent.',
  where: 'target',
  args,
  freeForm: 'cmd',
  check: commandCheckStance,
  checkSkipped: (a) => commandCheckSkipped(shellSpec(a)),
  probe: (env, a) => probeCommand(env.remote, shellSpec(a)),
  plan: (a, state, env) => planCommand(shellSpec(a), state, env),
});
