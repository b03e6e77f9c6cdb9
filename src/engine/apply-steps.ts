// Applying a plan's steps on a host: commands, atomic file writes (temp file beside the target,
// mode/owner, optional validation and backup, then rename), and custom steps. Also the --diff
// entries for write steps, built here so modules never hand-roll file diffs.

import { isSecret, reveal, type Secret } from '../secret.js';
import { andThen, quote, raw, sh, ShellCommand } from '../shell/quote.js';
import { shlexSplit } from '../shell/shlex.js';
import { createReadStream, readFileSync } from 'node:fs';
import { LocalFile, type Diff, type Step, type StepOutcome, type TaskEnv } from '../modules/types.js';
import { markSecretsShown } from '../report/render-diff.js';
import { isVaultedBuffer } from '../vault/vaulted-bytes.js';

/** Ansible's default max_diff_size. */
export const MAX_DIFF_BYTES = 104448;

export interface AppliedSteps {
  ok: boolean;
  /** False when every step reported that it changed nothing. */
  changed: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  data: Record<string, unknown>;
}

const EXIT_MESSAGES: Record<number, string> = {
  70: 'cannot create a temporary file beside the target (does the directory exist, is it writable?)',
  71: 'cannot write the temporary file (disk full?)',
  72: 'cannot set the mode',
  73: 'cannot set the owner or group',
  74: 'validation failed',
  75: 'cannot make the backup copy',
  76: 'cannot rename the temporary file over the target',
};

/** The shell script that writes stdin to `path` atomically. Exit codes 70-76 name the failing stage. */
export function atomicWriteScript(step: Extract<Step, { kind: 'write' }>): string {
  const p = quote(step.path);
  const lines = [
    `p=${p}`,
    'd=$(dirname -- "$p")',
    't=$(mktemp "$d/.sams.XXXXXXXX") || exit 70',
    `trap 'rm -f -- "$t"' EXIT HUP INT TERM`,
    'cat > "$t" || exit 71',
    // An existing file keeps its mode and owner unless told otherwise (Ansible's atomic_move).
    'if [ -e "$p" ]; then chmod --reference="$p" "$t" 2>/dev/null; chown --reference="$p" "$t" 2>/dev/null; else chmod "$(printf %o $(( 0666 & ~$(umask) )))" "$t"; fi',
  ];
  if (step.mode && step.mode !== 'preserve') lines.push(`chmod ${quote(step.mode)} "$t" || exit 72`);
  if (step.owner) lines.push(`chown ${quote(step.owner)} "$t" || exit 73`);
  if (step.group) lines.push(`chgrp ${quote(step.group)} "$t" || exit 73`);
  if (step.validate) {
    // As Ansible: the command is split into words (shlex) and run without a shell, %s in any word
    // (quoted or not) being the temp file's path.
    const cmd = shlexSplit(step.validate)
      .map((w) => w.split('%s').map((piece) => (piece === '' ? '' : quote(piece))).join('"$t"') || "''")
      .join(' ');
    lines.push(`{ ${cmd} ; } >&2 || exit 74`);
  }
  if (step.backup) {
    lines.push('if [ -e "$p" ]; then b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S~)"; cp -p -- "$p" "$b" || exit 75; printf "backup_file=%s\\n" "$b"; fi');
  }
  lines.push('mv -f -- "$t" "$p" || exit 76', 'trap - EXIT');
  return lines.join('\n');
}

type RunStep = Extract<Step, { kind: 'run' }>;

/** A run step that may share one exec with its neighbours: no stdin, cwd, timeout, rc list or report. */
function isPlainRun(s: Step): s is RunStep {
  return s.kind === 'run' && s.stdin === undefined && s.cwd === undefined && s.timeoutMs === undefined && s.okRc === undefined && !s.report;
}

/**
 * Consecutive plain commands run as one exec (`{ a\n} && { b\n}`): a changed task then costs one
 * round trip to apply however many commands its plan has (mkdir + chmod + chown ...).
 */
export function coalesceRuns(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  let group: ShellCommand[] = [];
  const flush = () => {
    if (group.length === 1) out.push({ kind: 'run', cmd: group[0]! });
    else if (group.length > 1) {
      // Braces keep each command's own ; and || inside it; the display stays one readable line.
      const text = andThen(...group.map((c) => sh`{ ${c}\n}`)).text;
      out.push({ kind: 'run', cmd: new ShellCommand(text, group.map((c) => c.display).join(' && ')) });
    }
    group = [];
  };
  for (const s of steps) {
    if (isPlainRun(s)) {
      group.push(s.cmd);
    } else {
      flush();
      out.push(s);
    }
  }
  flush();
  return out;
}

export async function applySteps(steps: Step[], env: TaskEnv): Promise<AppliedSteps> {
  const data: Record<string, unknown> = {};
  let reported: Pick<AppliedSteps, 'rc' | 'stdout' | 'stderr'> = {};
  let changed = false;
  for (const step of coalesceRuns(steps)) {
    switch (step.kind) {
      case 'run': {
        const r = await env.remote.exec(step.cmd, { stdin: step.stdin, cwd: step.cwd, timeoutMs: step.timeoutMs });
        const okRc = step.okRc ?? [0];
        if (step.report) reported = { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
        // A command the task runs (command, shell) changed something even when it failed, as in
        // Ansible; a step that failed to make a change (crontab, usermod, chown) did not.
        if (step.report || okRc.includes(r.rc)) changed = true;
        if (!okRc.includes(r.rc)) {
          return {
            ok: false,
            changed,
            msg: r.timedOut ? `command timed out: ${step.cmd.display}` : step.report ? 'non-zero return code' : `command failed (rc ${r.rc}): ${step.cmd.display}${r.stderr ? `: ${r.stderr.trim()}` : ''}`,
            ...(step.report ? reported : { rc: r.rc, stderr: r.stderr, stdout: r.stdout }),
            data,
          };
        }
        break;
      }
      case 'write': {
        const stdin = step.content instanceof LocalFile ? createReadStream(step.content.path) : step.content;
        const r = await env.remote.exec(sh`${raw(atomicWriteScript(step))}`, { stdin });
        if (r.rc !== 0) {
          const stage = EXIT_MESSAGES[r.rc] ?? `rc ${r.rc}`;
          return {
            ok: false,
            changed,
            msg: `${stage}: ${step.path}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`,
            rc: r.rc,
            stderr: r.stderr,
            stdout: r.stdout,
            data,
          };
        }
        const m = /^backup_file=(.*)$/m.exec(r.stdout);
        if (m) data[step.backupKey ?? 'backup_file'] = m[1];
        changed = true;
        break;
      }
      case 'custom': {
        const out: StepOutcome = await step.apply(env);
        if (out.data) Object.assign(data, out.data);
        if (out.rc !== undefined || out.stdout !== undefined) reported = { rc: out.rc, stdout: out.stdout, stderr: out.stderr };
        if (out.changed !== false) changed = true;
        if (!out.ok) return { ok: false, changed, msg: out.msg ?? `${step.describe} failed`, ...reported, data };
        break;
      }
      default: {
        const never: never = step;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  }
  return { ok: true, changed, ...reported, data };
}

function isBinary(b: Buffer): boolean {
  return b.subarray(0, 8192).includes(0);
}

function asBuffer(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

/** Diff entry for a write step, or undefined when the module gave no `before`. */
export function writeDiff(step: Extract<Step, { kind: 'write' }>, showSecrets: boolean): Diff | undefined {
  if (step.before === undefined) return undefined;
  const target = step.diffTarget ?? step.path;
  const vaultedBinary = isVaultedBuffer(step.content);
  if ((isSecret(step.content) || isSecret(step.before as unknown) || vaultedBinary) && !showSecrets) {
    return { target, skipped: 'secret', summary: 'content hidden: contains vault values' };
  }
  // The plaintext of a vaulted binary file: never diffed, even where secrets may be shown.
  if (vaultedBinary) return { target, skipped: 'binary' };
  if (step.content instanceof LocalFile && step.content.size > MAX_DIFF_BYTES) return { target, skipped: 'too large' };
  const after = asBuffer(
    step.content instanceof LocalFile ? readFileSync(step.content.path) : isSecret(step.content) ? reveal(step.content as Secret) : (step.content as string | Buffer),
  );
  const before = step.before === null ? Buffer.alloc(0) : asBuffer(step.before);
  if (isBinary(after) || isBinary(before)) return { target, skipped: 'binary' };
  if (after.length > MAX_DIFF_BYTES || before.length > MAX_DIFF_BYTES) return { target, skipped: 'too large' };
  const d: Diff = { target, before: before.toString('utf8'), after: after.toString('utf8') };
  // --show-secrets with diff: true asked for this diff: the report diffs the real texts.
  return isSecret(step.content) || isSecret(step.before as unknown) ? markSecretsShown(d) : d;
}

/** Diffs for every write step of a plan, plus the module's own non-file diffs. */
export function planDiffs(steps: Step[], extra: Diff[] | undefined, showSecrets: boolean): Diff[] {
  const out: Diff[] = [];
  for (const s of steps) {
    if (s.kind !== 'write') continue;
    const d = writeDiff(s, showSecrets);
    if (d) out.push(d);
  }
  if (extra) out.push(...extra);
  return out;
}
