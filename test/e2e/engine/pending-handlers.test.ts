// Handlers notified on a host that then failed are kept and run at the next run's first flush.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt, recap, runSams, writeTree } from '../../helpers/run-cli.js';

let th: TestHosts;
let dir: string;

const playbook = [
  '- hosts: h1,h2',
  '  gather_facts: false',
  '  tasks:',
  '    - name: Write the config',
  '      shell: touch {{ out }}/config-{{ inventory_hostname }}',
  '      args:',
  '        creates: "{{ out }}/config-{{ inventory_hostname }}"',
  '      notify: restart service',
  '    - name: Something that breaks on h1',
  '      command: /bin/false',
  '      when: inventory_hostname == "h1" and (break_h1 | default(false) | bool)',
  '      check_mode: false',
  '  handlers:',
  '    - name: restart service',
  '      shell: echo restarted >> {{ out }}/restarts-{{ inventory_hostname }}',
  '',
].join('\n');

function restarts(host: string): number {
  const f = join(dir, 'out', `restarts-${host}`);
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Host files kept under .sams/pending (one directory per playbook). */
function keptFiles(): string[] {
  const root = join(dir, '.sams/pending');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) => readdirSync(join(root, d)));
}

const play = (...extra: string[]) => runSams(['play', 'site.yml', '-i', th.inventoryFile, '-e', `out=${join(dir, 'out')}`, ...extra], { cwd: dir });

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  dir = mkdtempSync(join(tmpdir(), 'sams-pending-'));
  writeTree(dir, { 'site.yml': playbook, 'out/.keep': '' });
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pending handlers', () => {
  test('a host that fails after a notify keeps the handler; the recap names it; the next run restarts it once', async () => {
    const first = await play('-e', 'break_h1=true');
    expect(first.code).toBe(2);
    expect(restarts('h1')).toBe(0);
    expect(restarts('h2')).toBe(1);
    expect(first.stdout).toMatch(/pending handlers on h1: restart service/);
    expect(readdirSync(join(dir, '.sams/pending')).length).toBe(1);

    // Second run: the config is already there (nothing changes), but h1's restart is still owed.
    const second = await play();
    expect(second.code).toBe(0);
    expect(recap(second.stdout).h1!.changed).toBe(1); // only the replayed handler
    expect(restarts('h1')).toBe(1);
    expect(restarts('h2')).toBe(1);
    expect(second.stdout).not.toMatch(/pending handlers on/);

    // Third run: nothing pending any more.
    const third = await play();
    expect(third.code).toBe(0);
    expect(restarts('h1')).toBe(1);
    expect(recap(third.stdout).h1!.changed).toBe(0);
  });

  test('--clear-pending drops kept handlers instead of running them', async () => {
    rmSync(join(dir, 'out', 'config-h1'));
    const failed = await play('-e', 'break_h1=true');
    expect(failed.code).toBe(2);
    const before = restarts('h1');
    const cleared = await play('--clear-pending');
    expect(cleared.code).toBe(0);
    expect(restarts('h1')).toBe(before);
    expect(cleared.stderr + cleared.stdout).toMatch(/discarded pending handlers kept for: h1/);
  });

  test('--check after a failed run neither runs nor drops the kept handler, and says it would run', async () => {
    rmSync(join(dir, '.sams'), { recursive: true, force: true });
    rmSync(join(dir, 'out', 'config-h1'), { force: true });
    const failed = await play('-e', 'break_h1=true');
    expect(failed.code).toBe(2);
    const before = restarts('h1');
    const checked = await play('--check');
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(keptFiles()).toEqual(['h1.json']);
    expect(checked.stdout).not.toMatch(/RUNNING HANDLER/);
    expect(checked.stderr).toMatch(/\[h1\] 1 handler pending from an earlier run would run in this play: restart service/);
    // The real run still owes h1 its restart.
    const real = await play();
    expect(real.code).toBe(0);
    expect(restarts('h1')).toBe(before + 1);
    expect(keptFiles()).toEqual([]);
  });

  test('a --check run that fails after a change it only planned keeps no pending handler', async () => {
    rmSync(join(dir, '.sams'), { recursive: true, force: true });
    rmSync(join(dir, 'out', 'config-h1'), { force: true });
    const checked = await play('--check', '-e', 'break_h1=true');
    expect(checked.code).toBe(2);
    expect(checked.stdout).toMatch(/changed: \[h1\]/); // the config task would change and notify
    expect(checked.stdout).not.toMatch(/pending handlers on h1/);
    expect(keptFiles()).toEqual([]);
  });

  test('a replayed handler joins the end-of-play flush and runs once even when a task notifies it again', async () => {
    rmSync(join(dir, '.sams'), { recursive: true, force: true });
    rmSync(join(dir, 'out', 'config-h1'), { force: true });
    const failed = await play('-e', 'break_h1=true');
    expect(failed.code).toBe(2);
    const before = restarts('h1');
    // The config is written again, so the task notifies the kept handler a second time.
    rmSync(join(dir, 'out', 'config-h1'));
    const res = await play();
    expect(res.code).toBe(0);
    expect(restarts('h1')).toBe(before + 1);
    expect(res.stdout.match(/RUNNING HANDLER \[restart service\]/g)).toHaveLength(1);
    expect(res.stdout.indexOf('RUNNING HANDLER')).toBeGreaterThan(res.stdout.indexOf('TASK [Something that breaks on h1]'));
  });

  test('--force-handlers runs the handler on the failing host in the same run', async () => {
    rmSync(join(dir, 'out', 'config-h1'));
    const before = restarts('h1');
    const res = await play('-e', 'break_h1=true', '--force-handlers');
    expect(res.code).toBe(2);
    expect(restarts('h1')).toBe(before + 1);
    expect(res.stdout).not.toMatch(/pending handlers on h1/);
  });

  test('two plays of the same name keep their own pending handlers, and a later play of the same run never replays them', async () => {
    const twice = join(mkdtempSync(join(tmpdir(), 'sams-pending-twice-')), 'twice.yml');
    const playText = (text: string) => [
      '- hosts: h1,h2',
      '  gather_facts: false',
      '  tasks:',
      `    - shell: echo ${text} >> {{ out }}/twice-{{ inventory_hostname }}`,
      '      notify: h',
      '    - meta: end_host',
      '      when: inventory_hostname == "h1" and (stop_h1 | default(false) | bool)',
      '  handlers:',
      '    - name: h',
      `      shell: echo handler ${text} >> {{ out }}/twice-{{ inventory_hostname }}`,
    ];
    writeTree(dirname(twice), { 'twice.yml': [...playText('one'), ...playText('two'), ''].join('\n') });
    const run = (...extra: string[]) => runSams(['play', twice, '-i', th.inventoryFile, '-e', `out=${join(dir, 'out')}`, ...extra], { cwd: dir });
    const log = () => readFileSync(join(dir, 'out', 'twice-h1'), 'utf8');

    const first = await run('-e', 'stop_h1=true');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // h1 ended each play before its flush: both handlers are owed, neither ran in this run.
    expect(log()).toBe('one\ntwo\n');
    expect(first.stdout).not.toMatch(/pending handlers from an earlier run/);
    expect(first.stdout).toMatch(/pending handlers on h1: h, h/);

    const second = await run();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    // Each play replays its own: once each, at its own flush.
    expect(log()).toBe('one\ntwo\none\nhandler one\ntwo\nhandler two\n');
  });
});
