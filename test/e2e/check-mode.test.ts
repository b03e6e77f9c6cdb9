// --check --diff changes nothing on the hosts (every file under the host roots checksummed, with
// modes, owners and mtimes, before and after), predicts what the real run then does, and a second
// real run changes nothing.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../helpers/sshd.js';
import { ensureBuilt, runSams, writeTree } from '../helpers/run-cli.js';

let th: TestHosts;
let project: string;

/** Every path under a host root with type, mode, owner, mtime and content hash. */
function snapshot(root: string): string {
  return execFileSync('/bin/sh', ['-c', `cd ${root} && find . -printf '%p %y %m %u:%g %T@ %l\\n' | sort && find . -type f -exec sha256sum {} + | sort -k2`], { encoding: 'utf8' });
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  project = join(th.dir, 'project');
  for (const h of th.hosts) {
    mkdirSync(join(h.root, 'etc/dovecot'), { recursive: true });
    writeFileSync(join(h.root, 'etc/dovecot/dovecot.conf'), 'protocols = imap\nmail_location = maildir:~/Maildir\n');
    mkdirSync(join(h.root, 'var/mail/user1'), { recursive: true });
    writeFileSync(join(h.root, 'var/mail/user1/dovecot.index.cache'), Buffer.alloc(2 * 1024 * 1024, 1));
  }
  writeTree(project, {
    'templates/relay.j2': '# {{ ansible_managed }}\nrelay = {{ relay_host }}\n{% for d in domains %}domain {{ d }}\n{% endfor %}',
    'site.yml': [
      '- hosts: test',
      '  gather_facts: true',
      '  vars:',
      '    root: "{{ roots[inventory_hostname] }}"',
      '    relay_host: smtp.example.org',
      '    domains: [example.org, example.net]',
      '  tasks:',
      '    - file: {path: "{{ root }}/etc/exim4", state: directory, mode: "0755"}',
      '    - template: {src: relay.j2, dest: "{{ root }}/etc/exim4/relay.conf", mode: "0640"}',
      '      notify: reload exim',
      '    - copy: {content: "limit = 1M\\n", dest: "{{ root }}/etc/dovecot/limits.conf"}',
      '    - lineinfile: {path: "{{ root }}/etc/dovecot/dovecot.conf", regexp: "^protocols", line: "protocols = imap pop3"}',
      '      notify: reload dovecot',
      '    - blockinfile: {path: "{{ root }}/etc/dovecot/dovecot.conf", block: "mail_cache_max_size = 1M"}',
      '    - replace: {path: "{{ root }}/etc/dovecot/dovecot.conf", regexp: "maildir:(?!/srv/)", replace: "maildir:/srv/"}',
      '    - find: {paths: "{{ root }}/var/mail", patterns: dovecot.index.cache, size: 1m, recurse: true}',
      '      register: caches',
      '    - file: {path: "{{ item.path }}", state: absent}',
      '      loop: "{{ caches.files }}"',
      '    - cron: {name: cache cleanup, minute: "15", hour: "3", job: "/usr/local/bin/clean", cron_file: "sams-test-{{ inventory_hostname }}", user: root, state: absent}',
      '    - command: touch {{ root }}/stamp',
      '      args: {creates: "{{ root }}/stamp"}',
      '    - stat: {path: "{{ root }}/etc/dovecot/dovecot.conf"}',
      '  handlers:',
      '    - name: reload exim',
      '      command: touch {{ root }}/exim-reloaded',
      '    - name: reload dovecot',
      '      command: touch {{ root }}/dovecot-reloaded',
      '',
    ].join('\n'),
  });
});
afterAll(async () => th?.stop());

const args = () => ['play', 'site.yml', '-i', th.inventoryFile, '-e', JSON.stringify({ roots: Object.fromEntries(th.hosts.map((h) => [h.name, h.root])) }), '--json'];

function changedTasks(events: Record<string, unknown>[]): string[] {
  return events
    .filter((e) => e.event === 'host_result' && (e.result as { status: string }).status === 'changed')
    .map((e) => `${e.host as string} ${(e.task as { name: string }).name}`)
    .sort();
}

describe('check mode', () => {
  test('--check --diff changes nothing, predicts the real run, and the second run changes nothing', async () => {
    const before = th.hosts.map((h) => snapshot(h.root));
    const check = await runSams([...args(), '--check', '--diff'], { cwd: project });
    expect(check.code, check.stdout.split('\n').filter((l) => l.includes('failed')).join('\n')).toBe(0);
    expect(th.hosts.map((h) => snapshot(h.root))).toEqual(before);
    const predicted = changedTasks(check.events);
    expect(predicted.length).toBeGreaterThan(8);
    // Diffs were shown for the file edits.
    expect(check.stdout).toContain('protocols = imap pop3');

    const real = await runSams(args(), { cwd: project });
    expect(real.code, real.stderr).toBe(0);
    // The check run predicted exactly the changes the real run made (handlers included: in check
    // mode the command handlers report skipped, so compare tasks only).
    const tasksOnly = (evs: Record<string, unknown>[]) => evs.filter((e) => e.event === 'host_result' && !(e.task as { handler?: boolean }).handler);
    expect(changedTasks(tasksOnly(real.events))).toEqual(changedTasks(tasksOnly(check.events)));

    const again = await runSams(args(), { cwd: project });
    expect(again.code).toBe(0);
    expect(changedTasks(again.events)).toEqual([]);
  });
});
