// become over a real sshd: sudo without and with a password, su, wrong passwords, exe/flags, timeouts.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { connect } from '../../../src/transport/connect.js';
import type { Connection } from '../../../src/transport/types.js';
import { eventually } from '../../helpers/eventually.js';
import { SAMSPW_PASSWORD, ensureTestUsers, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let root: Connection;
let nopw: Connection;
let pw: Connection;

beforeAll(async () => {
  await ensureTestUsers();
  th = await startTestHosts(1);
  [root, nopw, pw] = await Promise.all([
    connect(th.spec('h1')),
    connect(th.spec('h1', { user: 'samsuser' })),
    connect(th.spec('h1', { user: 'samspw', becomePassword: new Secret(SAMSPW_PASSWORD) })),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([root?.close(), nopw?.close(), pw?.close()]);
  await th?.stop();
});

describe.concurrent('sudo', () => {
  test('without a password (NOPASSWD) runs as the target user with stdin passed through', async () => {
    const r = await nopw.exec('id -un; echo "$HOME"; cat', { become: { method: 'sudo', user: 'root' }, stdin: 'in' });
    expect(r).toMatchObject({ rc: 0, stdout: 'root\n/root\nin', stderr: '' });
  });

  test('to a non-root user, with env and cwd applied as that user', async () => {
    const r = await root.exec('id -un; pwd; echo "$X"', { become: { method: 'sudo', user: 'samspw' }, env: { X: 'x1' }, cwd: '/tmp' });
    expect(r.stdout).toBe('samspw\n/tmp\nx1\n');
  });

  test('with a password: answered on stdin after the prompt, payload stdin follows, nothing left in the output', async () => {
    const data = randomBytes(200_000);
    const r = await pw.exec('id -un; cat', { become: { method: 'sudo', user: 'root' }, stdin: data });
    expect(r.rc).toBe(0);
    expect(r.stdoutBytes.subarray(0, 5).toString()).toBe('root\n');
    expect(r.stdoutBytes.subarray(5).equals(data)).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('SAMS-BECOME');
  });

  test('the password never appears in the process list while the command runs', async () => {
    const running = pw.exec('sleep 1; echo done', { become: { method: 'sudo', user: 'root' }, env: { T: new Secret('tok-' + SAMSPW_PASSWORD) } });
    await new Promise((r) => setTimeout(r, 500));
    const ps = await root.exec('ps -eo user,args; cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "');
    expect(ps.stdout).toContain('sleep 1');
    expect(ps.stdout).toMatch(/sudo .*-u root/);
    expect(ps.stdout).not.toContain(SAMSPW_PASSWORD);
    expect((await running).stdout).toBe('done\n');
  });

  test('the password from the become options wins over the connection one', async () => {
    const c = await connect(th.spec('h1', { user: 'samspw', becomePassword: 'wrong-one' }));
    try {
      const r = await c.exec('id -un', { become: { method: 'sudo', user: 'root', password: SAMSPW_PASSWORD } });
      expect(r.stdout).toBe('root\n');
    } finally {
      await c.close();
    }
  });

  test('a wrong password is a clear error, quickly, not a hang', async () => {
    const t0 = Date.now();
    await expect(pw.exec('id', { become: { method: 'sudo', user: 'root', password: 'not-the-password' } })).rejects.toThrow(
      'sudo: incorrect password for root on h1',
    );
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  test('a missing password is a clear error', async () => {
    const c = await connect(th.spec('h1', { user: 'samspw' }));
    try {
      await expect(c.exec('id', { become: { method: 'sudo', user: 'root' } })).rejects.toThrow('sudo: a password is required to become root on h1');
    } finally {
      await c.close();
    }
  });

  test('become.exe and become.flags are used', async () => {
    const exe = `${th.hosts[0]!.root}/mysudo`;
    await root.put(exe, '#!/bin/sh\necho "mysudo $*" > "$0.log"\nexec sudo "$@"\n', { mode: '0755' });
    const r = await root.exec('id -un', { become: { method: 'sudo', user: 'samsuser', exe, flags: '-n -E' } });
    expect(r.stdout).toBe('samsuser\n');
    expect((await root.exec(`cat ${exe}.log`)).stdout).toMatch(/^mysudo -n -E -u samsuser \/bin\/sh -c /);
  });

  test('a timeout under sudo kills the command', async () => {
    const marker = `32.${Date.now() % 100000}`;
    const r = await nopw.exec(`sleep ${marker}`, { become: { method: 'sudo', user: 'root' }, timeoutMs: 400 });
    expect(r).toMatchObject({ rc: -1, timedOut: true });
    const ps = await eventually(() => root.exec(`ps -eo args | grep -c '^sleep ${marker}$' || true`), (r) => r.stdout.trim() === '0');
    expect(ps.stdout.trim()).toBe('0');
  });

  test('put and get with sudo reach root-only places', async () => {
    const dir = `${th.hosts[0]!.root}/rootonly`;
    await root.exec(`mkdir -p ${dir} && chmod 700 ${dir}`);
    await pw.put(`${dir}/f`, 'secret data', { become: { method: 'sudo', user: 'root' }, mode: '0600' });
    expect((await pw.get(`${dir}/f`, { become: { method: 'sudo', user: 'root' } })).toString()).toBe('secret data');
    await expect(pw.get(`${dir}/f`)).rejects.toThrow(/cannot read .*rootonly\/f on h1: .*Permission denied/);
  });
});

describe.concurrent('su', () => {
  test('from root needs no password', async () => {
    const r = await root.exec('id -un; cat', { become: { method: 'su', user: 'samspw' }, stdin: 'via su' });
    expect(r).toMatchObject({ rc: 0, stdout: 'samspw\nvia su', stderr: '' });
  });

  test("with the target user's password, fed after su's prompt", async () => {
    const r = await nopw.exec('id -un; cat', { become: { method: 'su', user: 'samspw', password: SAMSPW_PASSWORD }, stdin: 'payload' });
    expect(r).toMatchObject({ rc: 0, stdout: 'samspw\npayload', stderr: '' });
  });

  test('a wrong password is a clear error', async () => {
    await expect(nopw.exec('id', { become: { method: 'su', user: 'samspw', password: 'nope' } })).rejects.toThrow(
      'su: incorrect password for samspw on h1',
    );
  }, 10_000);

  test('without a password where su asks for one: an error, and stdin is never fed to the prompt', async () => {
    await expect(nopw.exec('cat', { become: { method: 'su', user: 'samspw' }, stdin: `${SAMSPW_PASSWORD}\n` })).rejects.toThrow(
      'su: a password is required to become samspw on h1',
    );
  });
});
