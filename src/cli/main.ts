// The sams command line: subcommands, and the one place that turns errors into output and exit codes.

import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ExitCode, isUserError } from '../errors.js';
import { redact } from '../secret.js';
import { renderErrors } from './render-error.js';
import { ExitRequest } from './exit.js';
import { registerInventoryCommand } from './inventory.js';
import { registerPlayCommand } from './play.js';
import { registerVaultCommand } from './vault.js';

export { ExitRequest };

export function buildProgram(): Command {
  const program = new Command('sams')
    .description('Agentless configuration management: runs Ansible-syntax playbooks over SSH.')
    .version('0.1.0', '--version')
    .showSuggestionAfterError(true)
    .exitOverride();
  registerPlayCommand(program);
  registerInventoryCommand(program);
  registerVaultCommand(program);
  return program;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (e) {
    return handleError(e);
  }
}

export function handleError(e: unknown): number {
  if (e instanceof ExitRequest) return e.code;
  if (e instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
    return e.exitCode === 0 ? 0 : ExitCode.unreachableOrLoad;
  }
  if (isUserError(e)) {
    process.stderr.write(renderErrors(e, { color: process.stderr.isTTY === true }) + '\n');
    return ExitCode.unreachableOrLoad;
  }
  // A bug, not a user mistake: one line on stderr, the stack trace only in the debug log.
  const log = writeDebugLog(e);
  const msg = redact(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
  const where = log.ok ? `trace in ${log.file}` : `the trace could not be written to ${log.file}: ${log.reason}`;
  process.stderr.write(`sams: internal error: ${msg} (${where}; please report it with the command you ran)\n`);
  return ExitCode.internal;
}

/** Appends the trace to sams-debug.log in SAMS_DEBUG_DIR (default: the temp directory), mode 0600. */
function writeDebugLog(e: unknown): { ok: true; file: string } | { ok: false; file: string; reason: string } {
  const dir = process.env.SAMS_DEBUG_DIR ?? tmpdir();
  const file = join(dir, 'sams-debug.log');
  try {
    mkdirSync(dir, { recursive: true });
    const trace = e instanceof Error ? (e.stack ?? e.message) + (e.cause ? `\ncaused by: ${String((e.cause as Error).stack ?? e.cause)}` : '') : String(e);
    appendFileSync(file, `--- ${new Date().toISOString()} sams ${process.argv.slice(2).join(' ')}\n${redact(trace)}\n`, { mode: 0o600 });
    return { ok: true, file };
  } catch (err) {
    return { ok: false, file, reason: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}
