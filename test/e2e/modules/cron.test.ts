// cron end to end: the same playbook through sams and ansible-playbook, for a user's crontab and an
// /etc/cron.d file, compared byte for byte; idempotency, check mode with diffs, backup, bad arguments.
// Crontabs and /etc/cron.d are this machine's: throwaway users and file names, removed afterwards.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensurePackages } from '../../helpers/sshd.js';
import { ansiblePlay, play, useProject, type Json } from './core-helpers.js';

const p = useProject(2, 'cron');
const tag = randomBytes(3).toString('hex');
// h1 is sams', h2 is ansible-playbook's: each has its own crontab user and cron.d files.
const side = {
  h1: { user: `samstest_${tag}s`, file: `/etc/cron.d/samstest_${tag}_s`, gone: `/etc/cron.d/samstest_${tag}_s2` },
  h2: { user: `samstest_${tag}a`, file: `/etc/cron.d/samstest_${tag}_a`, gone: `/etc/cron.d/samstest_${tag}_a2` },
};

function crontabOf(user: string): { rc: number; text: string } {
  const r = spawnSync('crontab', ['-l', '-u', user], { encoding: 'utf8' });
  return { rc: r.status ?? -1, text: r.stdout };
}

beforeAll(async () => {
  await ensurePackages({ crontab: 'cron' });
  for (const s of Object.values(side)) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', s.user]);
});
afterAll(() => {
  for (const s of Object.values(side)) {
    spawnSync('crontab', ['-r', '-u', s.user]);
    spawnSync('userdel', [s.user]);
    rmSync(s.file, { force: true });
    rmSync(s.gone, { force: true });
  }
});

function playbook(host: 'h1' | 'h2', tasks: string): string {
  const s = side[host];
  return `- hosts: ${host}\n  gather_facts: false\n  vars:\n    cu: ${s.user}\n    cf: ${s.file}\n    cg: ${s.gone}\n  tasks:\n${tasks}`;
}

const SETUP = `
    - name: path env
      cron: { name: PATH, env: true, job: "/usr/local/bin:/usr/bin:/bin", user: "{{ cu }}" }
    - name: mailto after path
      cron: { name: MAILTO, env: true, job: ops@example.com, insertafter: PATH, user: "{{ cu }}" }
      ignore_errors: true
    - name: nightly
      cron: { name: nightly cleanup, minute: "0", hour: "3", job: "/usr/bin/find /tmp -mtime +7 -delete", user: "{{ cu }}" }
    - name: at boot
      cron: { name: at boot, special_time: reboot, job: /bin/true, user: "{{ cu }}" }
    - name: paused
      cron: { name: paused, minute: "*/5", job: "echo paused", disabled: true, user: "{{ cu }}" }
    - name: temporary
      cron: { name: temporary, minute: "1", job: "echo temp", user: "{{ cu }}" }
    - name: drop temporary
      cron: { name: temporary, state: absent, user: "{{ cu }}" }
    - name: dovecot cache cleanup
      cron: { name: dovecot cache cleanup, cron_file: "{{ cf }}", user: root, minute: "15", hour: "*/6", job: "/usr/local/bin/dovecot-cache-cleanup >/dev/null 2>&1" }
    - name: exim queue monitor
      cron: { name: exim queue monitor, cron_file: "{{ cf }}", user: root, special_time: hourly, job: /usr/local/bin/exim-queue-monitor }
    - name: file shell
      cron: { name: SHELL, env: true, job: /bin/sh, cron_file: "{{ cf }}", user: root }
    - name: off in file
      cron: { name: off for now, cron_file: "{{ cf }}", user: nobody, weekday: "1-5", job: "true", disabled: true }
    - name: lone job
      cron: { name: lone, cron_file: "{{ cg }}", user: root, minute: "7", job: /bin/true }
`;

const TEARDOWN = `
    - name: drop nightly
      cron: { name: nightly cleanup, state: absent, user: "{{ cu }}" }
    - name: drop path
      cron: { name: PATH, env: true, state: absent, user: "{{ cu }}" }
    - name: drop monitor
      cron: { name: exim queue monitor, state: absent, cron_file: "{{ cf }}" }
    - name: drop lone job
      cron: { name: lone, state: absent, cron_file: "{{ cg }}" }
`;

const TASKS = ['path env', 'mailto after path', 'nightly', 'at boot', 'paused', 'temporary', 'drop temporary', 'dovecot cache cleanup', 'exim queue monitor', 'file shell', 'off in file', 'lone job'];

function ansibleStats(stdout: string): Record<string, Json> {
  return JSON.parse(stdout.slice(stdout.indexOf('{'))).stats;
}

/** The recap as sams counts it, for comparison with ansible's json stats. */
function counts(r: { ok: number; changed: number; failures?: number; failed?: number; ignored?: number }) {
  return { ok: r.ok, changed: r.changed, failed: r.failures ?? r.failed ?? 0, ignored: r.ignored ?? 0 };
}

function fileFacts(path: string) {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  return { content: readFileSync(path, 'utf8'), mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid };
}

// ansible-playbook runs take tens of seconds on a loaded two-core machine.
describe('cron', { timeout: 240_000 }, () => {
  test('--check --diff predicts what ansible-playbook --check --diff predicts, and writes nothing', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', SETUP), ['--check', '--diff']), ansiblePlay(p, playbook('h2', SETUP), ['--check', '--diff'])]);
    expect(s.code, s.stderr).toBe(0);
    for (const t of TASKS) {
      const sr = s.result(t);
      const ar = a.result(t, 'h2');
      expect(sr.status === 'changed', t).toBe(ar.changed === true);
      expect(sr.status === 'failed', t).toBe(ar.failed === true);
      if (ar.diff && (ar.diff as Json).after !== undefined) {
        const d = (sr as unknown as { diff: { before: string; after: string }[] }).diff[0]!;
        const norm = (x: unknown, host: 'h1' | 'h2') => String(x).split(side[host].user).join('USER');
        expect(norm(d.after, 'h1'), t).toBe(norm((ar.diff as Json).after, 'h2'));
        expect(norm(d.before, 'h1'), t).toBe(norm((ar.diff as Json).before, 'h2'));
      }
    }
    // Each task is planned against the host as it is: `drop temporary` finds nothing to drop.
    expect(s.result('drop temporary').status).toBe('ok');
    expect(s.result('nightly')).toMatchObject({ check_only: true, diff: [{ target: `crontab for user "${side.h1.user}"`, before: '', after: '#Ansible: nightly cleanup\n0 3 * * * /usr/bin/find /tmp -mtime +7 -delete\n' }] });
    expect(crontabOf(side.h1.user).rc).toBe(1);
    expect(existsSync(side.h1.file)).toBe(false);
    expect(existsSync(side.h1.gone)).toBe(false);
  });

  test('first run: the crontab and cron.d files are byte for byte what ansible-playbook writes', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', SETUP)), ansiblePlay(p, playbook('h2', SETUP))]);
    expect(s.code, s.stderr).toBe(0);
    expect(a.code, a.stderr).toBe(0);
    const cs = crontabOf(side.h1.user);
    const ca = crontabOf(side.h2.user);
    expect(cs.rc).toBe(0);
    expect(cs.text).toBe(ca.text);
    expect(cs.text).toBe(
      'PATH="/usr/local/bin:/usr/bin:/bin"\nMAILTO="ops@example.com"\n#Ansible: nightly cleanup\n0 3 * * * /usr/bin/find /tmp -mtime +7 -delete\n#Ansible: at boot\n@reboot /bin/true\n#Ansible: paused\n#*/5 * * * * echo paused\n',
    );
    const fs = fileFacts(side.h1.file);
    expect(fs).toEqual(fileFacts(side.h2.file));
    expect(fs).toEqual({
      content:
        'SHELL="/bin/sh"\n#Ansible: dovecot cache cleanup\n15 */6 * * * root /usr/local/bin/dovecot-cache-cleanup >/dev/null 2>&1\n#Ansible: exim queue monitor\n@hourly root /usr/local/bin/exim-queue-monitor\n#Ansible: off for now\n#* * * * 1-5 nobody true\n',
      mode: '644',
      uid: 0,
      gid: 0,
    });
    expect(fileFacts(side.h1.gone)).toEqual(fileFacts(side.h2.gone));
    expect(counts(s.recap().h1 as never)).toEqual(counts(ansibleStats(a.stdout).h2 as never));
    expect(s.result('nightly')).toMatchObject({ status: 'changed', data: { jobs: ['nightly cleanup'], envs: ['PATH', 'MAILTO'] } });
    expect(s.result('lone job')).toMatchObject({ data: { cron_file: side.h1.gone, jobs: ['lone'], envs: [] } });
  });

  test('second run: ok but for the job added and dropped again, as for ansible-playbook', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', SETUP)), ansiblePlay(p, playbook('h2', SETUP))]);
    expect(s.recap().h1).toMatchObject({ changed: 2, failed: 0 });
    expect(s.results.filter((r) => r.result.status === 'changed').map((r) => r.task)).toEqual(['temporary', 'drop temporary']);
    expect(counts(s.recap().h1 as never)).toEqual(counts(ansibleStats(a.stdout).h2 as never));
    expect(crontabOf(side.h1.user).text).toBe(crontabOf(side.h2.user).text);
  });

  test('removal: jobs and variables go, an emptied cron.d file is deleted, as ansible-playbook does', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', TEARDOWN), ['--diff']), ansiblePlay(p, playbook('h2', TEARDOWN), ['--diff'])]);
    expect(s.code, s.stderr).toBe(0);
    expect(crontabOf(side.h1.user).text).toBe(crontabOf(side.h2.user).text);
    expect(crontabOf(side.h1.user).text).toBe('MAILTO="ops@example.com"\n#Ansible: at boot\n@reboot /bin/true\n#Ansible: paused\n#*/5 * * * * echo paused\n');
    expect(fileFacts(side.h1.file)).toEqual(fileFacts(side.h2.file));
    expect(existsSync(side.h1.gone)).toBe(false);
    expect(existsSync(side.h2.gone)).toBe(false);
    expect(s.result('drop lone job')).toMatchObject({ status: 'changed', data: { cron_file: side.h1.gone, state: 'absent' }, diff: [{ target: side.h1.gone, after: '' }] });
    expect(counts(s.recap().h1 as never)).toEqual(counts(ansibleStats(a.stdout).h2 as never));
    const again = await play(p, playbook('h1', TEARDOWN));
    expect(again.recap().h1).toMatchObject({ changed: 0, ok: 4 });
  });

  test('a crontab that crontab(1) refuses fails the task without counting it changed, as in ansible-playbook', async () => {
    const bad = `    - name: bad minute\n      cron: { name: bad minute, minute: "61", job: /bin/true, user: "{{ cu }}" }\n      ignore_errors: true\n`;
    const before = crontabOf(side.h1.user).text;
    const [s, a] = await Promise.all([play(p, playbook('h1', bad)), ansiblePlay(p, playbook('h2', bad))]);
    expect(s.result('bad minute').status).toBe('failed');
    expect(counts(s.recap().h1 as never)).toEqual(counts(ansibleStats(a.stdout).h2 as never));
    expect(s.recap().h1).toMatchObject({ changed: 0, ignored: 1 });
    expect(crontabOf(side.h1.user).text).toBe(before);
  });

  test('backup: the crontab as it was is kept in a temporary file named in backup_file', async () => {
    const before = crontabOf(side.h1.user).text;
    const s = await play(p, playbook('h1', `    - name: with backup\n      cron: { name: backed up, minute: "9", job: /bin/true, user: "{{ cu }}", backup: true }\n`));
    const r = s.result('with backup');
    expect(r.status).toBe('changed');
    const file = String(r.data!.backup_file);
    expect(file).toMatch(/\/crontab[A-Za-z0-9]{8}$/);
    try {
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(file, { force: true });
    }
    expect(crontabOf(side.h1.user).text).toBe(before + '#Ansible: backed up\n9 * * * * /bin/true\n');
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const yaml = [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - cron:',
      '        name: x',
      '        job: /bin/true',
      '        special_time: reboot',
      '        minute: "5"',
      '    - cron: name=y job=/bin/true cron_file=foo',
      '    - cron: name=z jobs=/bin/true',
      '',
    ].join('\n');
    const res = await play(p, yaml);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: .*You must specify time and date fields or special time\./);
    expect(res.stderr).toMatch(/site\.yml:9:\d+: .*To use cron_file=\.\.\. parameter you must specify user=\.\.\. as well/);
    expect(res.stderr).toMatch(/site\.yml:10:\d+: unknown argument 'jobs' for module 'cron'/);
    expect(res.results).toEqual([]);
  });
});
