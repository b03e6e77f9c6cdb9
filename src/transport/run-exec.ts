// Drives one running command: feeds stdin (after the sudo/su handshake), collects output, applies the timeout.

import { Readable, type Writable } from 'node:stream';
import { constants } from 'node:os';
import { SamsError } from '../errors.js';
import { Secret } from '../secret.js';
import type { ExecPlan } from './exec-script.js';
import type { ExecOptions, ExecResult } from './types.js';

/** A started `/bin/sh -c` process, local or on an SSH channel. */
export interface RawProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit status once the process is gone; rejects when the connection was lost. */
  done: Promise<{ code: number | null; signal?: string }>;
  /** Terminates the process (and its process group where the transport can) and frees its channel. */
  kill(): void;
  /** The process group of the script, when known (SSH: reported by killable scripts). */
  pgid(): number | undefined;
}

export async function runExec(proc: RawProcess, plan: ExecPlan, opts: ExecOptions, host: string): Promise<ExecResult> {
  const out: Buffer[] = [];
  const errBefore: Buffer[] = [];
  const errAfter: Buffer[] = [];
  const hs = plan.handshake;
  let authed = hs === undefined;
  let held = Buffer.alloc(0);
  let prompts = 0;
  let failure: SamsError | undefined;
  let abort: () => void = () => {};
  const aborted = new Promise<'aborted'>((resolve) => (abort = () => resolve('aborted')));
  const fail = (e: SamsError) => {
    failure ??= e;
    proc.kill();
    abort();
  };

  proc.stdin.on('error', () => {
    // The command may exit without reading its input (EPIPE); its exit status tells the story.
  });

  const startPayload = () => {
    if (plan.preamble) proc.stdin.write(plan.preamble);
    writeStdin(proc.stdin, opts.stdin, (e) => fail(new SamsError(`cannot read the input for the command on ${host}: ${e.message}`, { host })));
  };

  const outEnded = streamEnded(proc.stdout);
  const errEnded = streamEnded(proc.stderr);
  proc.stdout.on('data', (chunk: Buffer) => {
    if (authed) {
      out.push(chunk);
      return;
    }
    held = Buffer.concat([held, chunk]);
    const at = held.indexOf(`${hs!.marker}\n`);
    if (at < 0) return;
    authed = true;
    if (at > 0) out.push(held.subarray(0, at));
    const rest = held.subarray(at + hs!.marker.length + 1);
    if (rest.length) out.push(rest);
    startPayload();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    if (authed) {
      errAfter.push(chunk);
      return;
    }
    errBefore.push(chunk);
    const n = hs!.countPrompts(Buffer.concat(errBefore).toString('utf8'));
    if (n <= prompts) return;
    prompts = n;
    if (n === 1 && hs!.password !== undefined) {
      proc.stdin.write(hs!.password + '\n');
    } else {
      fail(becomeError(hs!.method, hs!.user, host, hs!.password !== undefined));
    }
  });

  if (authed) startPayload();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  let status: { code: number | null; signal?: string } | 'timeout' | 'aborted';
  try {
    status = await Promise.race([Promise.all([proc.done, outEnded, errEnded]).then(([s]) => s), timeout, aborted]);
  } finally {
    clearTimeout(timer);
  }
  if (failure) throw failure;
  if (status === 'aborted') throw new SamsError(`command on ${host} was aborted`, { host });
  if (status === 'timeout') proc.kill();

  const stdoutBytes = Buffer.concat(authed ? out : [held, ...out]);
  let stderr = Buffer.concat(errBefore).toString('utf8');
  if (hs) stderr = hs.stripPrompts(stderr);
  stderr += Buffer.concat(errAfter).toString('utf8');

  if (status === 'timeout') {
    return { rc: -1, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes, timedOut: true };
  }
  const rc = status.code ?? (status.signal ? 128 + signalNumber(status.signal) : -1);
  if (hs && !authed) {
    // The privilege change never happened: say why in words rather than as the command's failure.
    const wrong = hs.method === 'sudo' ? /Sorry, try again|incorrect password/i.test(stderr) : /Authentication failure|incorrect password/i.test(stderr);
    if (wrong) throw becomeError(hs.method, hs.user, host, true);
  }
  if (!hs && plan.become?.method === 'sudo' && rc === 1 && /^sudo: (a password is required|.*: a terminal is required)/.test(stderr.trimStart())) {
    throw becomeError('sudo', plan.become.user, host, false);
  }
  const result: ExecResult = { rc, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes };
  if (status.signal) result.signal = status.signal;
  return result;
}

function becomeError(method: 'sudo' | 'su', user: string, host: string, hadPassword: boolean): SamsError {
  if (hadPassword) {
    return new SamsError(`${method}: incorrect password for ${user} on ${host}`, {
      host,
      hint: 'check ansible_become_password (or --ask-become-pass)',
    });
  }
  return new SamsError(`${method}: a password is required to become ${user} on ${host}`, {
    host,
    hint: 'set ansible_become_password (or use --ask-become-pass), or allow the login user to sudo without a password',
  });
}

function writeStdin(stdin: Writable, input: ExecOptions['stdin'], onError: (e: Error) => void): void {
  if (input === undefined) {
    stdin.end();
  } else if (input instanceof Secret) {
    stdin.end(input.reveal());
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    stdin.end(input);
  } else if (input instanceof Readable || typeof (input as Readable).pipe === 'function') {
    const r = input as Readable;
    r.once('error', onError);
    r.pipe(stdin);
  }
}

function streamEnded(s: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (s.readableEnded) return resolve();
    s.once('end', resolve);
    s.once('close', resolve);
    s.once('error', () => resolve());
  });
}

function signalNumber(name: string): number {
  const key = (name.startsWith('SIG') ? name : `SIG${name}`) as keyof typeof constants.signals;
  return constants.signals[key] ?? 0;
}
