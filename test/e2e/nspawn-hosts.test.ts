// Smoke test of the Debian test hosts (test/hosts/, helpers/nspawn.ts): boot two, run `sams play`
// against them, stop them and check that nothing of them is left on the machine.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIRST_START_TIMEOUT_MS, nspawnUnavailable, startDebianHosts, type DebianHosts } from '../helpers/nspawn.js';
import { ensureBuilt, recap, runSams, writeTree } from '../helpers/run-cli.js';

const unavailable = await nspawnUnavailable();

/** Pids whose command line mentions text (the supervisor, systemd-nspawn and slirp4netns all name the state dir). */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text)) pids.push(Number(p));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function refused(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe.skipIf(unavailable !== undefined)(`Debian test hosts with systemd${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let th: DebianHosts;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sams-e2e-nspawn-'));
    th = await startDebianHosts(2);
  }, FIRST_START_TIMEOUT_MS);
  afterAll(async () => {
    await th?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('sams play against two guests: facts say Debian 12 with systemd, the system is running, a handler runs', async () => {
    writeTree(dir, {
      'site.yml': [
        '- hosts: test',
        '  tasks:',
        '    - name: Facts describe a Debian 12 host run by systemd',
        '      assert:',
        '        that:',
        '          - ansible_distribution == "Debian"',
        '          - ansible_distribution_major_version == "12"',
        '          - ansible_service_mgr == "systemd"',
        '          - ansible_hostname == inventory_hostname',
        '    - name: Ask systemd',
        '      command: systemctl is-system-running',
        '      register: sys',
        '      changed_when: false',
        '    - name: No unit failed while booting',
        '      assert:',
        '        that: sys.stdout == "running"',
        '    - name: Write a marker',
        '      copy:',
        '        content: "{{ inventory_hostname }}\\n"',
        '        dest: /root/marker',
        '      notify: Handler',
        '  handlers:',
        '    - name: Handler',
        '      command: touch /root/handler-ran',
        '',
      ].join('\n'),
    });
    const res = await runSams(['play', 'site.yml', '-i', th.inventoryFile], { cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const counts = recap(res.stdout);
    const want = { ok: 6, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
    expect(counts).toEqual({ h1: want, h2: want });
    for (const h of th.hosts) {
      const r = await th.ssh(h.name, 'cat /root/marker; test -e /root/handler-ran && echo handled; hostname');
      expect(r).toEqual({ rc: 0, stdout: `${h.name}\nhandled\n${h.name}\n`, stderr: '' });
    }
  });

  test('a guest reboot boots it again: same port and disk, new boot id', async () => {
    const bootId = async () => (await th.ssh('h1', 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();
    const before = await bootId();
    await th.reboot('h1');
    expect(await bootId()).not.toBe(before);
    expect((await th.ssh('h1', 'cat /root/marker; systemctl is-system-running')).stdout).toBe('h1\nrunning\n');
  }, 120_000);

  test('stop halts the guests and leaves no process, cgroup, state dir or forwarded port behind', async () => {
    const hosts = th.hosts.map((h) => ({ ...h, cgroups: ['unified', 'systemd', ''].map((t) => join('/sys/fs/cgroup', t, `sams-testhost-${th.set}-${h.name}`)) }));
    for (const h of hosts) {
      expect(processesMentioning(h.stateDir).length).toBeGreaterThanOrEqual(3);
      expect(h.cgroups.some((c) => existsSync(c))).toBe(true);
    }
    await th.stop();
    for (const h of hosts) {
      expect(processesMentioning(h.stateDir)).toEqual([]);
      expect(h.cgroups.filter((c) => existsSync(c))).toEqual([]);
      expect(existsSync(h.stateDir)).toBe(false);
      expect(await refused(h.address, h.port)).toBe(true);
    }
    expect(existsSync(th.dir)).toBe(false);
  }, 120_000);
});
