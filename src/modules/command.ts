// command: run a program on the target without a shell (the command line is split as Python's
// shlex does and every word is quoted), skipped when `creates` exists or `removes` does not.

import { z } from 'zod';
import { zList, zStr } from './lib/args.js';
import { commandCheckSkipped, commandCheckStance, planCommand, probeCommand, runArgs, runOptions, type CommandSpec } from './lib/run-command.js';
import { shlexSplit, ShlexError as ShlexSplitError } from '../shell/shlex.js';
import { defineModule } from './types.js';

const args = z
  .object({
    cmd: zStr().optional(),
    argv: zList(zStr()).optional(),
    ...runArgs,
  })
  .strict()
  .superRefine((a, ctx) => {
    const hasCmd = a.cmd !== undefined && a.cmd.trim() !== '';
    const hasArgv = a.argv !== undefined && a.argv.length > 0;
    if (!hasCmd && !hasArgv) ctx.addIssue({ code: 'custom', message: 'no command given (write the command after command:, or give cmd: or argv:)', path: [] });
    else if (hasCmd && hasArgv) ctx.addIssue({ code: 'custom', message: 'only command or argv can be given, not both', path: ['argv'] });
    else if (hasCmd) {
      try {
        shlexSplit(a.cmd!);
      } catch (e) {
        if (e instanceof ShlexSplitError) ctx.addIssue({ code: 'custom', message: `cannot split the command line: ${e.message}`, path: ['cmd'] });
        else throw e;
      }
    }
  });

export type CommandArgs = z.output<typeof args>;

/** The command line as argv, split as Ansible splits it. */
export function commandArgv(a: CommandArgs): string[] {
  return a.argv ?? shlexSplit(a.cmd ?? '');
}

export function commandSpec(a: CommandArgs): CommandSpec {
  const argv = commandArgv(a);
  return {
    cmd: argv,
    argv,
    ...runOptions(a),
  };
}

export default defineModule({
  name: 'command',
  summary: 'Run a program on the target without a shell; creates/removes make it idempotent.',
  where: 'target',
  args,
  freeForm: 'cmd',
  check: commandCheckStance,
  checkSkipped: (a) => commandCheckSkipped(commandSpec(a)),
  probe: (env, a) => probeCommand(env.remote, commandSpec(a)),
  plan: (a, state, env) => planCommand(commandSpec(a), state, env),
});
