// The benchmark playbook: a catalogue of Ansible-syntax tasks, and the project directory (playbook, inventory, files) both tools run.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestHosts } from '../test/helpers/sshd.js';

/**
 * converge: changes something on a clean host (first run), then reports ok (second run).
 * steady: touches the host but never changes it (a read-only probe or a condition already met).
 * controller: runs on the control node only (no round trip expected).
 */
export type TaskKind = 'converge' | 'steady' | 'controller';

export interface BenchTask {
  id: string;
  /** The module the task uses: the task is left out when sams' registry does not have it. */
  module: string;
  kind: TaskKind;
  /** The task as YAML lines (a list item, not indented). */
  lines: string[];
  /** Sends file content to the host when it changes (copy, template, lineinfile). */
  transfers: boolean;
}

/** The facts task is not in the list: `gather_facts: true` on the play, measured as its own step. */
export const FACTS_ID = 'gather_facts';

// Every path is under the host's own directory ({{ root }}, a host var): loopback hosts share this
// machine's filesystem. Order matters: later tasks use what earlier ones create or register.
export const CATALOGUE: readonly BenchTask[] = [
  task('mkdir-creates', 'command', 'converge', [
    '- name: Create the work directory (command, creates)',
    '  command:',
    '    cmd: mkdir -p {{ root }}/work',
    '    creates: "{{ root }}/work"',
  ]),
  task('file-directory', 'file', 'converge', [
    '- name: Config directory (file, state=directory)',
    '  file:',
    '    path: "{{ root }}/conf"',
    '    state: directory',
    "    mode: '0755'",
  ]),
  task('copy-content', 'copy', 'converge', [
    '- name: Config file from inline content (copy)',
    '  copy:',
    '    content: "# managed by the benchmark\\nport=80\\nname={{ inventory_hostname }}\\n"',
    '    dest: "{{ root }}/conf/app.conf"',
    "    mode: '0644'",
  ]),
  task('copy-src', 'copy', 'converge', [
    '- name: A 64 KiB file from the control node (copy, src)',
    '  copy:',
    '    src: files/payload.bin',
    '    dest: "{{ root }}/conf/payload.bin"',
    "    mode: '0600'",
  ]),
  task('template', 'template', 'converge', [
    '- name: Rendered config (template)',
    '  template:',
    '    src: templates/app.ini.j2',
    '    dest: "{{ root }}/conf/app.ini"',
    "    mode: '0644'",
  ]),
  // Its own file: editing the copy task's file would make both change on every run.
  task('lineinfile', 'lineinfile', 'converge', [
    '- name: One line in a file (lineinfile)',
    '  lineinfile:',
    '    path: "{{ root }}/conf/limits.conf"',
    "    regexp: '^max_clients='",
    '    line: max_clients=200',
    '    create: true',
    "    mode: '0644'",
  ]),
  task('file-link', 'file', 'converge', [
    '- name: Symlink to the config (file, state=link)',
    '  file:',
    '    src: "{{ root }}/conf/app.conf"',
    '    dest: "{{ root }}/conf/current.conf"',
    '    state: link',
  ]),
  task('shell-creates', 'shell', 'converge', [
    '- name: Write an identity file (shell, creates)',
    '  shell:',
    '    cmd: echo "{{ ansible_hostname }} {{ inventory_hostname }}" > {{ root }}/work/ident',
    '    creates: "{{ root }}/work/ident"',
  ]),
  task('touch-creates', 'command', 'converge', [
    '- name: Marker file (command, creates)',
    '  command:',
    '    cmd: touch {{ root }}/work/marker',
    '    creates: "{{ root }}/work/marker"',
  ]),
  task('ping', 'ping', 'steady', ['- name: Reachable (ping)', '  ping:']),
  task('test-dir', 'command', 'steady', [
    '- name: Work directory is there (command, changed_when false)',
    '  command: test -d {{ root }}/work',
    '  changed_when: false',
  ]),
  task('grep-passwd', 'shell', 'steady', [
    '- name: Count root entries (shell, register)',
    "  shell: grep -c '^root:' /etc/passwd",
    '  register: passwd',
    '  changed_when: false',
  ]),
  task('uname', 'command', 'steady', [
    '- name: Kernel release (command, register)',
    '  command: uname -r',
    '  register: kernel',
    '  changed_when: false',
  ]),
  task('removes-absent', 'command', 'steady', [
    '- name: Nothing to remove (command, removes)',
    '  command:',
    '    cmd: rm {{ root }}/absent',
    '    removes: "{{ root }}/absent"',
  ]),
  task('creates-present', 'command', 'steady', [
    '- name: Already there (command, creates)',
    '  command:',
    '    cmd: /bin/false',
    '    creates: /etc/hostname',
  ]),
  task('wait-path', 'wait_for', 'steady', [
    '- name: A file exists (wait_for path)',
    '  wait_for:',
    '    path: /etc/hostname',
    '    timeout: 5',
  ]),
  task('wait-port', 'wait_for', 'steady', [
    "- name: The host's sshd listens (wait_for port)",
    '  wait_for:',
    '    host: "{{ ansible_host }}"',
    '    port: "{{ ansible_port }}"',
    '    timeout: 5',
  ]),
  task('file-existing-dir', 'file', 'steady', [
    '- name: Work directory again (file, state=directory, already there)',
    '  file:',
    '    path: "{{ root }}/work"',
    '    state: directory',
  ]),
  task('stat', 'stat', 'steady', [
    '- name: Look at the config (stat)',
    '  stat:',
    '    path: /etc/hostname',
    '  register: hostname_stat',
  ]),
  task('set-fact', 'set_fact', 'controller', ['- name: A fact (set_fact)', '  set_fact:', '    greeting: "hello from {{ inventory_hostname }}"']),
  task('debug', 'debug', 'controller', [
    '- name: Say it (debug)',
    '  debug:',
    '    msg: "{{ greeting }} on {{ ansible_distribution }} {{ ansible_distribution_version }}, kernel {{ kernel.stdout }}"',
  ]),
  task('assert', 'assert', 'controller', [
    '- name: Check registered values (assert)',
    '  assert:',
    '    that:',
    '      - passwd.stdout | int >= 1',
    '      - ansible_hostname | length > 0',
    '    quiet: true',
  ]),
];

function task(id: string, module: string, kind: TaskKind, lines: string[]): BenchTask {
  return { id, module, kind, lines, transfers: ['copy', 'template', 'lineinfile'].includes(module) };
}

/** The playbook text: gather facts or not, then the tasks in catalogue order. */
export function playbookText(tasks: readonly BenchTask[], gatherFacts: boolean): string {
  const body = tasks.length === 0 ? ['  tasks: []'] : ['  tasks:', ...tasks.flatMap((t) => t.lines.map((l) => `    ${l}`))];
  return ['# Generated by bench/: the same text runs under ansible-playbook and sams.', '- name: Benchmark play', '  hosts: test', `  gather_facts: ${gatherFacts}`, ...body, ''].join('\n');
}

const TEMPLATE = `# {{ ansible_managed | default('managed') }}
[host]
name = {{ inventory_hostname }}
hostname = {{ ansible_hostname }}
distribution = {{ ansible_distribution }} {{ ansible_distribution_version }}
vcpus = {{ ansible_processor_vcpus }}
{% for i in range(3) %}
worker{{ i }} = {{ root }}/work/{{ i }}
{% endfor %}
`;

/**
 * Writes the project directory: files/ and templates/ the tasks use, and an inventory that is the
 * test helper's with a `root` host var per host (its own files directory).
 */
export function writeProject(dir: string, th: TestHosts): { inventory: string } {
  mkdirSync(join(dir, 'files'), { recursive: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  // Fixed pseudo-random bytes, so every run transfers the same content.
  const payload = Buffer.alloc(64 * 1024);
  let x = 12345;
  for (let i = 0; i < payload.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    payload[i] = x >>> 16;
  }
  writeFileSync(join(dir, 'files/payload.bin'), payload);
  writeFileSync(join(dir, 'templates/app.ini.j2'), TEMPLATE);
  const roots = new Map(th.hosts.map((h) => [h.name, h.root]));
  const inv = readFileSync(th.inventoryFile, 'utf8')
    .split('\n')
    .map((line) => {
      const name = /^(\S+) ansible_host=/.exec(line)?.[1];
      return name && roots.has(name) ? `${line} root=${roots.get(name)}` : line;
    })
    .join('\n');
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(inventory, inv);
  return { inventory };
}

export function writePlaybook(dir: string, tasks: readonly BenchTask[], gatherFacts: boolean, name = 'site.yml'): string {
  const file = join(dir, name);
  writeFileSync(file, playbookText(tasks, gatherFacts));
  return file;
}
