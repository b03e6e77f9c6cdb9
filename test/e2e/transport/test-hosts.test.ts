// The test-host helper itself: fast start, per-host HOME and files, an inventory real Ansible and sams both accept, clean stop.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '../../../src/transport/connect.js';
import { resolveConnectSpec } from '../../../src/transport/resolve-spec.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let startMs: number;

beforeAll(async () => {
  const t0 = Date.now();
  th = await startTestHosts(3);
  startMs = Date.now() - t0;
});
afterAll(async () => {
  await th?.stop();
});

// No ControlPersist: a lingering ssh master would outlive the test hosts.
const ansibleEnv = () => ({ ...process.env, HOME: th.dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(th.dir, 'ansible-tmp'), ANSIBLE_SSH_ARGS: '-o ControlMaster=no' });

describe('startTestHosts', () => {
  test('starts hosts in parallel on distinct loopback addresses, quickly', () => {
    expect(th.hosts.map((h) => h.name)).toEqual(['h1', 'h2', 'h3']);
    expect(new Set(th.hosts.map((h) => h.address)).size).toBe(3);
    for (const h of th.hosts) expect(h.address).toMatch(/^127\.\d+\.\d+\.\d+$/);
    // Budget for three hosts started together (keys, configs, sshd -D ready); generous for slow CI.
    expect(startMs).toBeLessThan(1500);
  });

  test("root sessions get the host's own HOME (with /etc/skel dot files) and each host has a files directory", async () => {
    const c = await connect(th.spec('h2'));
    try {
      const r = await c.exec('echo "$HOME"; ls -A "$HOME"');
      expect(r.stdout.split('\n')[0]).toBe(th.host('h2').home);
      expect(r.stdout).toContain('.bashrc');
      expect(existsSync(th.host('h2').root)).toBe(true);
    } finally {
      await c.close();
    }
  });

  // cwd: ad-hoc ansible reads group_vars/ from the current directory, and the repo root has the example's vaulted ones.
  test('the inventory works with real Ansible (strict host key checking against the known_hosts file)', () => {
    const out = execFileSync('ansible', ['-i', th.inventoryFile, 'all', '-m', 'raw', '-a', 'id -un'], { encoding: 'utf8', env: ansibleEnv(), cwd: dirname(th.inventoryFile) });
    for (const h of th.hosts) expect(out).toMatch(new RegExp(`^${h.name} \\| CHANGED \\| rc=0 >>\\nroot\\r?\\n`, 'm'));
  }, 30_000);

  test('the host vars Ansible reads from the inventory give sams a working connection', async () => {
    const vars = JSON.parse(execFileSync('ansible-inventory', ['-i', th.inventoryFile, '--host', 'h3'], { encoding: 'utf8', env: ansibleEnv(), cwd: dirname(th.inventoryFile) }));
    const spec = resolveConnectSpec('h3', vars, { hostKeyChecking: 'strict', timeout: 5, sshConfigFile: false });
    expect(spec).toMatchObject({ host: th.host('h3').address, port: th.host('h3').port, user: 'root', hostKeyChecking: 'strict', knownHostsFiles: [th.knownHostsFile] });
    const c = await connect(spec);
    try {
      expect((await c.exec('id -un')).stdout).toBe('root\n');
    } finally {
      await c.close();
    }
  }, 30_000);

  test('stop() kills the servers and removes the directory', async () => {
    const extra = await startTestHosts(1);
    const pid = extra.hosts[0]!.pid;
    await extra.stop();
    expect(existsSync(extra.dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
