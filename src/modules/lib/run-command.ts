// What command and shell share: the creates/removes/chdir probe, the plan, and a run step that
// times the command on the target and returns Ansible's result keys (cmd, rc, stdout, stderr,
// start, end, delta, msg).

import { SamsError } from '../../errors.js';
import { isSecret, Secret } from '../../secret.js';
import { raw, sh, ShellCommand } from '../../shell/quote.js';
import type { CheckSkippedResult, Plan, PlanEnv, Remote, Step, StepOutcome, TaskEnv } from '../types.js';
import type { z } from 'zod';
import { PyDateTime, PyTimedelta } from '../../python/datetime.js';
import { zBool, zStr, zStrOrSecret } from './args.js';
import { pyShlexQuote } from '../../python/shlex.js';
import { EXPAND_FN, EXPAND_PRINT_FN } from './expand-path.js';

/** A command to run, as command and shell describe it after argument parsing. */
export interface CommandSpec {
  /** What the result's `cmd` shows: argv (command) or the shell text (shell). */
  cmd: string[] | string;
  /** shell: the command line sent to the target (already quoted). */
  run?: ShellCommand;
  /**
   * command: the words to exec. Each gets Ansible's run_command treatment on the target ($VAR,
   * ${VAR} and a leading ~ expanded), and a program missing from PATH fails as Ansible's does.
   */
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string | Secret;
  stdinAddNewline: boolean;
  stripEmptyEnds: boolean;
}

/** The arguments command and shell share (shell runs Ansible's command module). */
export const runArgs = {
  chdir: zStr().optional(),
  creates: zStr().optional(),
  removes: zStr().optional(),
  stdin: zStrOrSecret().optional(),
  stdin_add_newline: zBool().default(true),
  strip_empty_ends: zBool().default(true),
};

type RunArgs = z.output<z.ZodObject<typeof runArgs>>;

/** The part of a CommandSpec those shared arguments give. */
export function runOptions(a: RunArgs): Omit<CommandSpec, 'cmd' | 'run' | 'argv'> {
  return {
    chdir: a.chdir,
    creates: a.creates,
    removes: a.removes,
    stdin: a.stdin,
    stdinAddNewline: a.stdin_add_newline,
    stripEmptyEnds: a.strip_empty_ends,
  };
}

export interface CommandState {
  /** Why chdir failed (Ansible's errno text), if it did. */
  chdirError?: string;
  /** The directory to run in, absolute (chdir resolved on the target). */
  cwd?: string;
  createsExists?: boolean;
  removesExists?: boolean;
}

// Probe helpers: x prints a path expanded as Ansible expands type=path arguments; m tests it as
// Python's glob.glob would (a pattern without matches, or a plain path, counts when it exists).
const PROBE_HELPERS = [
  EXPAND_FN,
  EXPAND_PRINT_FN,
  'm() { p=$(x "$1"); IFS=; set +f; for f in $p; do if [ -e "$f" ] || [ -L "$f" ]; then return 0; fi; done; return 1; }',
].join('\n');

/** The probe script: resolve chdir, then test creates/removes from there. Prints key=value lines. */
export function commandProbeScript(spec: Pick<CommandSpec, 'chdir' | 'creates' | 'removes'>): ShellCommand | undefined {
  if (spec.chdir === undefined && spec.creates === undefined && spec.removes === undefined) return undefined;
  const parts: ShellCommand[] = [sh`${raw(PROBE_HELPERS)}`];
  if (spec.chdir !== undefined) {
    parts.push(
      sh`d=$(x ${spec.chdir})
if [ ! -e "$d" ]; then echo chdir=ENOENT; exit 0; fi
if [ ! -d "$d" ]; then echo chdir=ENOTDIR; exit 0; fi
cd "$d" 2>/dev/null || { echo chdir=EACCES; exit 0; }
printf 'cwd=%s\\n' "$(pwd)"`,
    );
  }
  if (spec.creates !== undefined) parts.push(sh`if m ${spec.creates}; then echo creates=1; else echo creates=0; fi`);
  if (spec.removes !== undefined) parts.push(sh`if m ${spec.removes}; then echo removes=1; else echo removes=0; fi`);
  return new ShellCommand(parts.map((p) => p.text).join('\n'), parts.map((p) => p.display).join('\n'));
}

const ERRNO: Record<string, string> = {
  ENOENT: '[Errno 2] No such file or directory',
  ENOTDIR: '[Errno 20] Not a directory',
  EACCES: '[Errno 13] Permission denied',
};

/** Parse the probe's key=value lines. */
export function parseCommandProbe(stdout: string, chdir: string | undefined): CommandState {
  const st: CommandState = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    // Ansible's message shows the bytes path it passed to os.chdir.
    if (k === 'chdir') st.chdirError = `${ERRNO[v] ?? v}: b'${chdir}'`;
    else if (k === 'cwd') st.cwd = v;
    else if (k === 'creates') st.createsExists = v === '1';
    else if (k === 'removes') st.removesExists = v === '1';
  }
  return st;
}

export async function probeCommand(remote: Remote, spec: CommandSpec): Promise<CommandState> {
  const script = commandProbeScript(spec);
  if (!script) return {};
  const r = await remote.exec(script);
  if (r.rc !== 0) throw new SamsError(`could not check chdir/creates/removes on the host (rc ${r.rc})${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
  return parseCommandProbe(r.stdout, spec.chdir);
}

const T0 = '\x1esams-t0 ';
const T1 = '\x1esams-t1 ';
const ENOENT_MARK = '\x1esams-enoent';
const STAMP = `"$(date '+%s.%N|%Y-%m-%d %H:%M:%S')"`;

const ENOENT_EXIT = String.raw`{ printf '\036sams-enoent\n' >&2; exit 2; }`;

/** The words of a command as `set --` arguments, expanding only those that need it. */
function argvScript(argv: string[]): ShellCommand {
  const lines: ShellCommand[] = [sh`set --`];
  for (const w of argv) {
    lines.push(/\$|^~/.test(w) ? sh`xv ${w}; set -- "$@" "$R"` : sh`set -- "$@" ${w}`);
  }
  // exec: run the program itself, never a shell builtin of the same name (Ansible execs argv).
  lines.push(
    sh`p=$1; case $p in */*) [ -f "$p" ] || ${raw(ENOENT_EXIT)};; *) ok=; IFS=:; for dir in $PATH; do if [ -f "$dir/$p" ] && [ -x "$dir/$p" ]; then ok=1; break; fi; done; unset IFS; [ -n "$ok" ] || ${raw(ENOENT_EXIT)};; esac
exec "$@"`,
  );
  const needsXv = argv.some((w) => /\$|^~/.test(w));
  const all = needsXv ? [sh`${raw(EXPAND_FN)}`, ...lines] : lines;
  return new ShellCommand(all.map((l) => l.text).join('\n'), all.map((l) => l.display).join('\n'));
}

/**
 * The command wrapped so the target reports when it started and ended (Ansible's start/end are
 * the target's clock): time stamps go to stderr as marker lines that splitTimedStderr removes.
 */
export function timedScript(spec: Pick<CommandSpec, 'run' | 'argv'>): ShellCommand {
  const inner = spec.argv ? argvScript(spec.argv) : spec.run!;
  return sh`printf '\\036sams-t0 %s\\n' ${raw(STAMP)} >&2
(
${inner}
)
rc=$?
printf '\\036sams-t1 %s\\n' ${raw(STAMP)} >&2
exit $rc`;
}

export interface TimedStderr {
  stderr: string;
  start: string | null;
  end: string | null;
  delta: string | null;
  notFound: boolean;
}

function parseStamp(s: string | undefined): { epochUs: bigint; text: string } | undefined {
  if (!s) return undefined;
  const m = /^(\d+)(?:\.(\d*))?[^|]*\|(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/.exec(s);
  if (!m) return undefined;
  const frac = /^\d+$/.test(m[2] ?? '') ? (m[2]! + '000000').slice(0, 6) : '000000';
  const [y, mo, d, h, mi, sec] = m.slice(3, 9).map(Number) as [number, number, number, number, number, number];
  return { epochUs: BigInt(m[1]!) * 1_000_000n + BigInt(frac), text: PyDateTime.fromParts(y, mo, d, h, mi, sec, Number(frac)).str() };
}

/** Remove the time-stamp markers from a wrapped command's stderr and compute start/end/delta. */
export function splitTimedStderr(stderr: string): TimedStderr {
  let rest = stderr;
  let t0: string | undefined;
  let t1: string | undefined;
  if (rest.startsWith(T0)) {
    const nl = rest.indexOf('\n');
    t0 = rest.slice(T0.length, nl < 0 ? undefined : nl);
    rest = nl < 0 ? '' : rest.slice(nl + 1);
  }
  const i1 = rest.lastIndexOf(T1);
  if (i1 >= 0) {
    const nl = rest.indexOf('\n', i1);
    t1 = rest.slice(i1 + T1.length, nl < 0 ? undefined : nl);
    rest = rest.slice(0, i1) + (nl < 0 ? '' : rest.slice(nl + 1));
  }
  const notFound = rest.includes(ENOENT_MARK);
  if (notFound) rest = rest.split(`${ENOENT_MARK}\n`).join('').split(ENOENT_MARK).join('');
  const a = parseStamp(t0);
  const b = parseStamp(t1);
  return {
    stderr: rest,
    start: a?.text ?? null,
    end: b?.text ?? null,
    delta: a && b ? new PyTimedelta(Number(b.epochUs - a.epochUs)).str() : null,
    notFound,
  };
}

function stripEnds(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

function stdinText(spec: CommandSpec): string | Secret | undefined {
  if (spec.stdin === undefined) return undefined;
  if (!spec.stdinAddNewline) return spec.stdin;
  return isSecret(spec.stdin) ? Secret.derived(spec.stdin.reveal() + '\n') : spec.stdin + '\n';
}

/** The step that runs the command and reports Ansible's result keys. */
export function commandStep(spec: CommandSpec, cwd: string | undefined): Step {
  const script = timedScript(spec);
  return {
    kind: 'custom',
    describe: typeof spec.cmd === 'string' ? spec.cmd : spec.cmd.join(' '),
    async apply(env: TaskEnv): Promise<StepOutcome> {
      const r = await env.remote.exec(script, { stdin: stdinText(spec), cwd });
      const t = splitTimedStderr(r.stderr);
      const times = { start: t.start, end: t.end, delta: t.delta };
      if (t.notFound) {
        // Ansible's run_command failure: cmd as one quoted string, no times.
        const cmd = (spec.argv ?? []).map(pyShlexQuote).join(' ');
        // Nothing ran, so nothing changed (Ansible's result says changed: false).
        return { ok: false, changed: false, rc: 2, stdout: '', stderr: '', msg: `[Errno 2] No such file or directory: b'${spec.argv?.[0] ?? ''}'`, data: { cmd } };
      }
      const stdout = spec.stripEmptyEnds ? stripEnds(r.stdout) : r.stdout;
      const stderr = spec.stripEmptyEnds ? stripEnds(t.stderr) : t.stderr;
      if (r.timedOut) return { ok: false, rc: r.rc, stdout, stderr, msg: 'command timed out', data: { cmd: spec.cmd, ...times } };
      return {
        ok: r.rc === 0,
        rc: r.rc,
        stdout,
        stderr,
        msg: r.rc === 0 ? undefined : 'non-zero return code',
        data: { cmd: spec.cmd, ...times, msg: '' },
      };
    },
  };
}

/** Ansible's result when creates/removes says the command need not run. */
function skippedRun(spec: CommandSpec, path: string, why: 'exists' | 'does not exist', env: PlanEnv): Plan {
  const stdout = `skipped, since ${path} ${why}`;
  const msg = `${env.check ? 'Would' : 'Did'} not run command since '${path}' ${why}`;
  return {
    kind: 'ok',
    note: msg,
    data: { cmd: spec.cmd, rc: 0, stdout, stdout_lines: [stdout], stderr: '', stderr_lines: [], start: null, end: null, delta: null, msg },
  };
}

/** Plan for command and shell: skip per creates/removes, else one step that runs the command. */
export function planCommand(spec: CommandSpec, st: CommandState, env: PlanEnv): Plan {
  if (st.chdirError) {
    return { kind: 'fail', msg: `Unable to change directory before execution: ${st.chdirError}`, data: { cmd: spec.cmd, rc: null, stdout: '', stdout_lines: [], stderr: '', stderr_lines: [], start: null, end: null, delta: null } };
  }
  if (spec.creates !== undefined && st.createsExists) return skippedRun(spec, spec.creates, 'exists', env);
  if (spec.removes !== undefined && st.removesExists === false) return skippedRun(spec, spec.removes, 'does not exist', env);
  const steps = [commandStep(spec, st.cwd ?? spec.chdir)];
  if (env.check) {
    return {
      kind: 'change',
      steps,
      note: 'Command would have run if not in check mode',
      data: { cmd: spec.cmd, rc: 0, stdout: '', stderr: '', start: null, end: null, delta: null, msg: 'Command would have run if not in check mode' },
    };
  }
  return { kind: 'change', steps };
}

/**
 * What command and shell register when skipped in check mode (Ansible's): their usual keys with the
 * run left out (msg 'Command would have run if not in check mode', rc 0, empty outputs, no times).
 */
export function commandCheckSkipped(spec: CommandSpec): CheckSkippedResult {
  return { msg: 'Command would have run if not in check mode', rc: 0, stdout: '', stderr: '', data: { cmd: spec.cmd, start: null, end: null, delta: null } };
}

/** Check-mode stance of command and shell: only creates/removes make the effect predictable. */
export function commandCheckStance(args: { creates?: string; removes?: string }): string | undefined {
  if (args.creates !== undefined || args.removes !== undefined) return undefined;
  return 'command cannot predict its effect in check mode; add creates: or removes:';
}
