// pause: wait for a time, or for the user to press enter (only when standard input is a terminal).

import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isInteractive, promptLine } from '../cli/prompt.js';
import { zBool, zStr } from './lib/args.js';
import { PyDateTime } from '../python/datetime.js';
import { defineModule, type ModuleOutcome, type TaskEnv } from './types.js';

// Ansible reads minutes/seconds with int(): a float is truncated, a numeric string is parsed.
const zWhole = () =>
  z.preprocess(
    (v) => (typeof v === 'number' ? Math.trunc(v) : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: 'expected a whole number' }).int(),
  );

const args = z
  .object({
    minutes: zWhole().optional(),
    seconds: zWhole().optional(),
    prompt: zStr().optional(),
    echo: zBool().default(true),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.minutes !== undefined && a.seconds !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: minutes|seconds', path: ['seconds'] });
  });

export type PauseArgs = z.output<typeof args>;

/** Python's str(round(x, 2)) for the "Paused for" line. */
export function pyRound2(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Number.isInteger(r) ? `${r}.0` : String(r);
}

// Questions from several hosts running the same pause must not interleave on the terminal.
let promptChain: Promise<unknown> = Promise.resolve();

async function ask(question: string, hidden: boolean): Promise<string> {
  const mine = promptChain.then(() => promptLine(question, { hidden }));
  promptChain = mine.catch(() => undefined);
  return mine;
}

export async function runPause(env: TaskEnv, a: PauseArgs): Promise<ModuleOutcome> {
  // Ansible reports minutes unless seconds were given.
  const unit = a.seconds !== undefined ? 'seconds' : 'minutes';
  const given = a.minutes !== undefined ? a.minutes * 60 : a.seconds;
  const hiddenNote = a.echo ? '' : ' (output is hidden)';
  const start = Date.now();
  const startText = PyDateTime.now().str();
  let userInput = '';
  if (given !== undefined) {
    const secs = Math.max(1, given);
    env.debug(0, `Pausing for ${secs} seconds${hiddenNote}`);
    if (a.prompt) env.debug(0, a.prompt);
    await sleep(secs * 1000);
  } else if (isInteractive()) {
    userInput = await ask(`${a.prompt ?? 'Press enter to continue, Ctrl+C to interrupt'}${hiddenNote}: `, !a.echo);
  } else {
    // Ansible's behaviour without a terminal: say so and go on at once.
    env.warn('Not waiting for response to prompt as stdin is not interactive');
  }
  const duration = (Date.now() - start) / 1000;
  const shown = unit === 'minutes' ? pyRound2(duration / 60) : pyRound2(duration);
  return {
    status: 'ok',
    data: {
      rc: 0,
      stdout: `Paused for ${shown} ${unit}`,
      stderr: '',
      start: startText,
      stop: PyDateTime.now().str(),
      delta: Math.trunc(duration),
      echo: a.echo,
      user_input: userInput,
    },
  };
}

export default defineModule({
  name: 'pause',
  summary: 'Wait a number of seconds or minutes, or until enter is pressed on the terminal.',
  where: 'controller',
  args,
  check: 'plan',
  run: runPause,
});
