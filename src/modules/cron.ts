// cron: a named job or an environment variable in a user's crontab or in an /etc/cron.d file,
// marked `#Ansible: NAME` and written exactly as Ansible's cron module writes it.

import { z } from 'zod';
import { probeFile } from '../facts/file-state.js';
import { SamsError } from '../errors.js';
import { raw, sh } from '../shell/quote.js';
import { zBool, zStr } from './lib/args.js';
import { editCrontab, type CronJobSpec } from './lib/crontab.js';
import { defineModule, type Diff, type Plan, type Step } from './types.js';

const SPECIAL_TIMES = ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] as const;
const TIME_FIELDS = ['minute', 'hour', 'day', 'month', 'weekday'] as const;

const args = z
  .object({
    name: zStr(),
    user: zStr().optional(),
    job: zStr().optional(),
    value: zStr().optional(),
    cron_file: zStr().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    backup: zBool().default(false),
    minute: zStr().optional(),
    hour: zStr().optional(),
    day: zStr().optional(),
    dom: zStr().optional(),
    month: zStr().optional(),
    weekday: zStr().optional(),
    dow: zStr().optional(),
    special_time: z.enum(SPECIAL_TIMES).optional(),
    disabled: zBool().default(false),
    env: zBool().default(false),
    insertafter: zStr().optional(),
    insertbefore: zStr().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    for (const [k, alias] of [['job', 'value'], ['day', 'dom'], ['weekday', 'dow']] as const) {
      if (a[k] !== undefined && a[alias] !== undefined) issue(`give ${k} or its alias ${alias}, not both`, [alias]);
    }
    if (a.insertafter !== undefined && a.insertbefore !== undefined) issue('parameters are mutually exclusive: insertafter|insertbefore', ['insertbefore']);
    if (a.cron_file === '/etc/crontab') issue('Will not manage /etc/crontab via cron_file, see documentation.', ['cron_file']);
    const t = times(a);
    if (a.special_time !== undefined && TIME_FIELDS.some((f) => t[f] !== '*')) {
      issue('You must specify time and date fields or special time.', ['special_time']);
    }
    if (a.env && a.name.includes(' ')) issue('Invalid name for environment variable', ['name']);
    if (a.state === 'present') {
      if (a.cron_file !== undefined && a.user === undefined) issue('To use cron_file=... parameter you must specify user=... as well', ['cron_file']);
      if ((a.job ?? a.value) === undefined) issue("You must specify 'job' to install a new cron job or variable", []);
      if ((a.insertafter !== undefined || a.insertbefore !== undefined) && !a.env) {
        issue('Insertafter and insertbefore parameters are valid only with env=yes', [a.insertafter !== undefined ? 'insertafter' : 'insertbefore']);
      }
    }
  });

export type CronArgs = z.output<typeof args>;

function times(a: CronArgs): Record<(typeof TIME_FIELDS)[number], string> {
  return {
    minute: a.minute ?? '*',
    hour: a.hour ?? '*',
    day: a.day ?? a.dom ?? '*',
    month: a.month ?? '*',
    weekday: a.weekday ?? a.dow ?? '*',
  };
}

/** The cron.d file to edit (a relative cron_file is under /etc/cron.d), or undefined for a crontab. */
export function cronFilePath(a: Pick<CronArgs, 'cron_file'>): string | undefined {
  if (a.cron_file === undefined) return undefined;
  return a.cron_file.startsWith('/') ? a.cron_file : `/etc/cron.d/${a.cron_file}`;
}

/** What the probe read: the cron.d file, or the output of `crontab -l` for the user. */
export type CronState =
  | { kind: 'file'; path: string; exists: boolean; content: string }
  | { kind: 'crontab'; me: string; rc: number; stdout: string; stderr: string };

/** Ansible's warnings for these arguments (they depend on nothing else). */
export function cronWarnings(a: CronArgs): string[] {
  const out: string[] = [];
  if (a.cron_file !== undefined) {
    const base = a.cron_file.split('/').pop() ?? '';
    if (!/^[A-Z0-9_-]+$/i.test(base)) {
      out.push(`Filename portion of cron_file ("${base}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`);
    }
  }
  const job = a.job ?? a.value;
  if (a.state === 'present' && !a.env && job !== undefined && /[\r\n]/.test(job.replace(/^[\r\n]+|[\r\n]+$/g, ''))) {
    out.push('Job should not contain line breaks');
  }
  return out;
}

/** The command that installs a crontab from stdin; as cron.py, -u only for another user's crontab. */
function crontabWrite(user: string | undefined, me: string) {
  return user === undefined || user === me ? sh`crontab -` : sh`crontab -u ${user} -`;
}

/** A copy of the old crontab in a temporary file, as cron.py's backup (mkstemp, prefix "crontab"). */
function backupStep(content: string): Step {
  const cmd = sh`${raw('umask 077; b=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$b" && printf \'%s\\n\' "$b"')}`;
  return {
    kind: 'custom',
    describe: 'back up the crontab',
    async apply(env) {
      const r = await env.remote.exec(cmd, { stdin: content });
      if (r.rc !== 0) return { ok: false, rc: r.rc, msg: `cannot back up the crontab: ${r.stderr.trim()}` };
      return { ok: true, data: { backup_file: r.stdout.trim() } };
    },
  };
}

export function planCron(a: CronArgs, st: CronState, diffing = false): Plan {
  const path = cronFilePath(a);
  let text: string;
  if (st.kind === 'crontab') {
    if (st.rc !== 0 && st.rc !== 1) {
      return {
        kind: 'fail',
        msg: `Unable to read crontab${st.stderr.trim() ? `: ${st.stderr.trim()}` : ''}`,
        hint: st.rc === 127 ? 'crontab is not installed on the host: install the cron package (apt: cron)' : undefined,
      };
    }
    text = st.stdout;
  } else text = st.content;

  const t = times(a);
  const job = a.job ?? a.value;
  const spec: CronJobSpec | undefined =
    job === undefined ? undefined : { ...t, job, special: a.special_time, disabled: a.disabled, fileUser: path !== undefined ? a.user : undefined };
  const r = editCrontab(text, st.kind === 'crontab', {
    name: a.name,
    state: a.state,
    env: a.env,
    job,
    jobSpec: spec,
    insertafter: a.insertafter,
    insertbefore: a.insertbefore,
    isFile: path !== undefined,
  });
  const what = `${a.env ? 'variable' : 'job'} '${a.name}'`;
  const where = path ?? (a.user !== undefined ? `the crontab of ${a.user}` : 'the crontab');
  switch (r.kind) {
    case 'fail':
      return { kind: 'fail', msg: r.msg };
    case 'remove-file': {
      const steps: Step[] = [];
      if (a.backup) steps.push(backupStep(r.before));
      steps.push({ kind: 'run', cmd: sh`rm -f -- ${path!}` });
      return {
        kind: 'change',
        steps,
        note: `removed ${what}; ${path} is empty and was deleted`,
        diff: [{ target: path!, before: r.before, after: '', afterTarget: '/dev/null' }],
        data: { cron_file: a.cron_file, state: a.state },
        // Ansible's cron returns diff={} here when not diffing (cron.py's early exit_json).
        ...(!diffing && { registeredDiff: {} }),
      };
    }
    case 'edit': {
      const data: Record<string, unknown> = { jobs: r.jobs, envs: r.envs };
      if (a.cron_file !== undefined) data.cron_file = a.cron_file;
      if (!r.changed) return { kind: 'ok', note: `${what} ${a.state === 'present' ? 'already as wanted' : 'not present'} in ${where}`, data };
      if (st.kind === 'crontab' && st.rc === 1 && /unknown/i.test(st.stderr)) {
        return { kind: 'fail', msg: st.stderr.trim(), hint: `no user ${a.user ?? ''} on the host` };
      }
      const steps: Step[] = [];
      if (a.backup) steps.push(backupStep(r.backup));
      const diff: Diff[] = [];
      if (st.kind === 'file') {
        steps.push({ kind: 'write', path: st.path, content: r.after, before: st.exists ? st.content : null, ...(st.exists ? {} : { mode: '0644' }) });
      } else {
        steps.push({ kind: 'run', cmd: crontabWrite(a.user, st.me), stdin: r.after });
        diff.push({ target: a.user !== undefined ? `crontab for user "${a.user}"` : 'crontab', before: r.before, after: r.after });
      }
      const verb = a.state === 'absent' ? 'removed' : r.before.includes(`#Ansible: ${a.name}`) || a.env ? 'updated' : 'added';
      return { kind: 'change', steps, note: `${verb} ${what} in ${where}`, diff, data };
    }
  }
}

export default defineModule({
  name: 'cron',
  summary: "Manage a named job or variable in a user's crontab or an /etc/cron.d file (Ansible's #Ansible: markers).",
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: CronArgs): Promise<CronState> {
    for (const w of cronWarnings(a)) env.warn(w);
    const path = cronFilePath(a);
    if (path !== undefined) {
      const f = await probeFile(env.remote, path, { content: true, follow: true });
      if (f.exists && f.type !== 'file') throw new SamsError(`${path} is not a regular file`);
      if (f.contentTooLarge) throw new SamsError(`${path} is too large to be a cron file`);
      return { kind: 'file', path, exists: f.exists, content: f.content?.toString('utf8') ?? '' };
    }
    // Ask who we are on the host: crontab -u is only for another user's crontab (cron.py).
    const script =
      a.user === undefined
        ? sh`id -un && exec crontab -l`
        : sh`me=$(id -un) || exit 1; printf '%s\\n' "$me"; if [ "$me" = ${a.user} ]; then exec crontab -l; else exec crontab -u ${a.user} -l; fi`;
    const r = await env.remote.exec(script);
    const nl = r.stdout.indexOf('\n');
    if (nl < 0) return { kind: 'crontab', me: '', rc: r.rc === 0 ? 2 : r.rc, stdout: '', stderr: r.stderr };
    return { kind: 'crontab', me: r.stdout.slice(0, nl), rc: r.rc, stdout: r.stdout.slice(nl + 1), stderr: r.stderr };
  },
  plan: (a, st, env) => planCron(a, st, env.diff),
});
