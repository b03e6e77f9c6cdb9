// The engine over real sshd hosts: unreachable and failing hosts, exit codes, recap counts.

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt, recap, runSams, writeTree } from '../../helpers/run-cli.js';
import { runAnsible } from '../../helpers/ansible.js';

let th: TestHosts;
let dir: string;
let inventory: string;

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(3);
  dir = mkdtempSync(join(tmpdir(), 'sams-e2e-hosts-'));
  inventory = join(dir, 'inventory.ini');
  const dead = await freePort();
  writeTree(dir, { 'inventory.ini': readFileSync(th.inventoryFile, 'utf8') });
  // A host nobody listens for: connection refused.
  appendFileSync(inventory, `\n[test]\ndead ansible_host=127.0.0.1 ansible_port=${dead} ansible_user=root ansible_ssh_private_key_file=${th.clientKey}\n`);
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a play over several hosts', () => {
  test('one unreachable, one failing: the others go on; recap and exit code as Ansible', async () => {
    writeTree(dir, {
      'multi.yml': [
        '- hosts: test',
        '  gather_facts: false',
        '  tasks:',
        '    - name: Fail on h2 only',
        '      command: /bin/false',
        '      when: inventory_hostname == "h2"',
        '    - name: Runs on the rest',
        '      command: echo still here',
        '      register: r',
        '    - name: Show it',
        '      debug:',
        '        var: r.stdout',
        '',
      ].join('\n'),
    });
    const [res, ans] = await Promise.all([
      runSams(['play', 'multi.yml', '-i', inventory], { cwd: dir }),
      runAnsible('ansible-playbook', ['multi.yml', '-i', inventory], dir),
    ]);
    const counts = recap(res.stdout);
    expect(counts.h1).toEqual({ ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 });
    expect(counts.h2).toEqual({ ok: 0, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 });
    expect(counts.h3).toEqual(counts.h1);
    // The condition is false on the dead host, so the first task skips it without connecting.
    expect(counts.dead).toEqual({ ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 1, rescued: 0, ignored: 0 });
    expect(res.stdout).toMatch(/unreachable: \[dead\].*refused/i);
    expect(res.stdout).toContain('"r.stdout": "still here"');
    // Same counts and exit code as ansible-playbook on the same hosts (unreachable wins over failed: 4).
    expect(counts).toEqual(recap(ans.stdout));
    expect(res.code).toBe(ans.code);
    expect(res.code).toBe(4);
  });

  test('a failing host without unreachable ones exits 2', async () => {
    writeTree(dir, { 'fail.yml': ['- hosts: h1,h2', '  gather_facts: false', '  tasks:', '    - command: /bin/false', '      when: inventory_hostname == "h1"', ''].join('\n') });
    const res = await runSams(['play', 'fail.yml', '-i', inventory], { cwd: dir });
    expect(res.code).toBe(2);
    expect(recap(res.stdout).h2!.skipped).toBe(1);
  });

  test('a task runs on all hosts at once: their run intervals overlap', async () => {
    writeTree(dir, {
      'overlap.yml': ['- hosts: h1,h2,h3', '  gather_facts: false', '  tasks:', '    - shell: date +%s%N; sleep 0.5; date +%s%N', ''].join('\n'),
    });
    const res = await runSams(['play', 'overlap.yml', '-i', inventory, '--json'], { cwd: dir });
    expect(res.code).toBe(0);
    const spans = res.events
      .filter((e) => e.event === 'host_result')
      .map((e) => ((e.result as { stdout: string }).stdout.trim().split('\n').map(BigInt) as [bigint, bigint]));
    expect(spans).toHaveLength(3);
    // Every host started before every other host finished.
    for (const a of spans) for (const b of spans) expect(a[0] < b[1]).toBe(true);
  });
});
