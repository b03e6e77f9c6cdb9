// The free strategy, --start-at-task, connection keywords, host key checking through the CLI.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt, recap, runSams, writeTree } from '../../helpers/run-cli.js';

let th: TestHosts;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  dir = mkdtempSync(join(tmpdir(), 'sams-strategy-'));
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);

describe('strategies', () => {
  test('linear: every host finishes a task before any host starts the next', async () => {
    const out = join(dir, 'linear.log');
    writeTree(dir, {
      'linear.yml': [
        '- hosts: h1,h2',
        '  gather_facts: false',
        '  tasks:',
        '    - shell: sleep {{ "0.6" if inventory_hostname == "h1" else "0" }}; echo "one {{ inventory_hostname }}" >> ' + out,
        '    - shell: echo "two {{ inventory_hostname }}" >> ' + out,
        '',
      ].join('\n'),
    });
    const res = await runSams(['play', 'linear.yml', '-i', th.inventoryFile], { cwd: dir });
    expect(res.code).toBe(0);
    const l = lines(out);
    expect(l.slice(0, 2).sort()).toEqual(['one h1', 'one h2']);
    expect(l.slice(2).sort()).toEqual(['two h1', 'two h2']);
  });

  test('free: a fast host runs ahead of a slow one', async () => {
    const out = join(dir, 'free.log');
    writeTree(dir, {
      'free.yml': [
        '- hosts: h1,h2',
        '  gather_facts: false',
        '  strategy: free',
        '  tasks:',
        '    - shell: sleep {{ "2" if inventory_hostname == "h1" else "0" }}; echo "one {{ inventory_hostname }}" >> ' + out,
        '    - shell: echo "two {{ inventory_hostname }}" >> ' + out,
        '',
      ].join('\n'),
    });
    const res = await runSams(['play', 'free.yml', '-i', th.inventoryFile], { cwd: dir });
    expect(res.code).toBe(0);
    expect(lines(out)).toEqual(['one h2', 'two h2', 'one h1', 'two h1']);
  });

  test('--start-at-task skips the tasks before the named one', async () => {
    const out = join(dir, 'start.log');
    writeTree(dir, {
      'start.yml': ['- hosts: h1', '  gather_facts: false', '  tasks:', ...['first', 'second', 'third'].flatMap((n) => [`    - name: ${n} step`, `      shell: echo ${n} >> ${out}`]), ''].join('\n'),
    });
    const res = await runSams(['play', 'start.yml', '-i', th.inventoryFile, '--start-at-task', 'second*'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(lines(out)).toEqual(['second', 'third']);
  });
});

describe('connections', () => {
  test('connection: local on a play runs on the control node without SSH', async () => {
    const out = join(dir, 'local.log');
    writeTree(dir, {
      'local.yml': ['- hosts: h1', '  gather_facts: false', '  connection: local', '  tasks:', `    - shell: echo "$PPID local" > ${out}`, ''].join('\n'),
    });
    // A dead address for h1: only a local connection can succeed.
    const inv = join(dir, 'dead.ini');
    writeFileSync(inv, 'h1 ansible_host=127.255.255.254 ansible_port=9\n');
    const res = await runSams(['play', 'local.yml', '-i', inv], { cwd: dir });
    expect(res.code, res.stdout).toBe(0);
    expect(lines(out)[0]).toMatch(/ local$/);
  });

  test('a changed host key is refused with the expected key named; the other host goes on', async () => {
    const kh = join(dir, 'known_hosts_changed');
    // h1's entry carries a different (valid) ed25519 key: a "changed" key.
    const other = th.host('h2').hostKeyBase64;
    writeFileSync(kh, `[${th.host('h1').address}]:${th.host('h1').port} ssh-ed25519 ${other}\n${th.host('h2').knownHostsLine}\n`);
    const inv = readFileSync(th.inventoryFile, 'utf8').replace(th.knownHostsFile, kh);
    writeFileSync(join(dir, 'changed.ini'), inv);
    writeTree(dir, { 'ping.yml': ['- hosts: h1,h2', '  gather_facts: false', '  tasks:', '    - ping:', ''].join('\n') });
    const res = await runSams(['play', 'ping.yml', '-i', join(dir, 'changed.ini')], { cwd: dir });
    expect(res.code).toBe(4);
    expect(res.stdout).toMatch(/unreachable: \[h1\].*host key.*changed/i);
    expect(res.stdout).toMatch(/SHA256:/);
    const r = recap(res.stdout);
    expect(r.h1!.unreachable).toBe(1);
    expect(r.h2!.ok).toBe(1);
    // Nothing was written to the known_hosts file.
    expect(readFileSync(kh, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  test('an unknown host key is refused under strict checking with how to accept it', async () => {
    const kh = join(dir, 'known_hosts_empty');
    writeFileSync(kh, '');
    writeFileSync(join(dir, 'unknown.ini'), readFileSync(th.inventoryFile, 'utf8').replace(th.knownHostsFile, kh));
    const res = await runSams(['play', 'ping.yml', '-i', join(dir, 'unknown.ini'), '--limit', 'h1'], { cwd: dir });
    expect(res.code).toBe(4);
    expect(res.stdout + res.stderr).toMatch(/ssh-keyscan/);
  });
});
