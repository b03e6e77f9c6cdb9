// Secrets never leak: values from the vault (whole files, inline !vault, vaulted src files, -e
// @vaulted) and values computed from them (b64encode, password_hash, concatenation in a template)
// must not appear in any byte of any output of a full run at -vvvv with --diff, --json and a log
// file, over real SSH hosts. The hosts do receive them.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../helpers/sshd.js';
import { ensureBuilt, ROOT, runSams, SAMS, writeTree } from '../helpers/run-cli.js';

const C = {
  file: 'canary-file-3b8e1f',
  inline: 'canary-inline-9c2d77',
  src: 'canary-srcfile-51aa0e',
  extra: 'canary-extra-e40b6c',
  // A passphrase: command splits it into words, each printed on its own.
  word1: 'canaryword-aa1',
  word2: 'canaryword-bb2',
  // A quote inside: shell quoting escapes it in -vvvv traces.
  quoted: "It's-canary-quote-77f1",
  // A number and a mapping key from a vaulted file.
  pin: '80042917',
  key: 'canary-key-0d9e',
};
const PASSWORD = 'demo-vault-pass';

let th: TestHosts;
let dir: string;
let out: string;

function encryptFile(path: string): void {
  execFileSync(process.execPath, [SAMS, 'vault', 'encrypt', '--vault-password-file', join(dir, 'pass.txt'), path], { cwd: dir, env: { PATH: process.env.PATH!, HOME: dir } });
}
function encryptString(value: string, name: string): string {
  return execFileSync(process.execPath, [SAMS, 'vault', 'encrypt-string', '--vault-password-file', join(dir, 'pass.txt'), '--name', name, value], { cwd: dir, env: { PATH: process.env.PATH!, HOME: dir }, encoding: 'utf8' });
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  dir = mkdtempSync(join(tmpdir(), 'sams-canary-'));
  out = join(dir, 'out');
  writeTree(dir, {
    'pass.txt': PASSWORD + '\n',
    'group_vars/all/vault.yml': [
      `vault_relay_password: ${C.file}`,
      `vault_phrase: "${C.word1} ${C.word2}"`,
      `vault_quoted: "${C.quoted}"`,
      `vault_pin: ${C.pin}`,
      'vault_users:',
      `  ${C.key}: user-pw-x`,
      '',
    ].join('\n'),
    'files/secret.txt': `token=${C.src}\n`,
    'extra.yml': `extra_secret: ${C.extra}\n`,
    'templates/relay.conf.j2': 'relay_host = smtp.example.org\nrelay_password = {{ vault_relay_password }}\n# b64 {{ vault_relay_password | b64encode }}\n',
    'out/.keep': '',
  });
  encryptFile(join(dir, 'group_vars/all/vault.yml'));
  encryptFile(join(dir, 'files/secret.txt'));
  encryptFile(join(dir, 'extra.yml'));
  const inline = encryptString(C.inline, 'db_password').replace(/\n/g, '\n    ');
  writeTree(dir, {
    'site.yml': [
      '- hosts: test',
      '  gather_facts: false',
      '  vars:',
      `    ${inline}`,
      '    joined: "user:{{ db_password }}@db"',
      '  tasks:',
      '    - name: Relay config from a template',
      '      template: {src: relay.conf.j2, dest: "{{ out }}/relay-{{ inventory_hostname }}.conf"}',
      '    - name: Password file from an inline vault value',
      '      copy: {content: "{{ db_password }}\\n", dest: "{{ out }}/db-{{ inventory_hostname }}"}',
      '    - name: A vault-encrypted source file',
      '      copy: {src: secret.txt, dest: "{{ out }}/token-{{ inventory_hostname }}"}',
      '    - name: Show them',
      '      debug: {msg: "{{ vault_relay_password }} {{ db_password }} {{ joined }} {{ extra_secret }}"}',
      '    - name: Show derived values',
      "      debug: {msg: \"{{ vault_relay_password | b64encode }} {{ db_password | password_hash('sha512', 'canarysalt') }}\"}",
      '    - name: A command that prints a secret',
      '      shell: echo "{{ db_password }} {{ extra_secret }}"; echo "{{ vault_relay_password }}" >&2',
      '      register: printed',
      '    - name: The registered output, shown',
      '      debug: {var: printed}',
      '    - name: A failure whose message holds a secret',
      '      fail: {msg: "cannot use {{ db_password }}"}',
      '      ignore_errors: true',
      '    - name: A passphrase as command words',
      '      command: echo {{ vault_phrase }}',
      '      register: words',
      '    - name: A secret with a quote as an argv word',
      '      command: {argv: [echo, "{{ vault_quoted }}"]}',
      '    - name: A vaulted number and a vaulted mapping',
      '      debug: {msg: "{{ vault_pin }} {{ vault_users }} {{ words.stdout }}"}',
      '    - name: A line with a secret',
      '      lineinfile: {path: "{{ out }}/lines-{{ inventory_hostname }}", line: "pw={{ extra_secret }}", create: true}',
      '',
    ].join('\n'),
  });
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const v of Object.values(C)) {
    if (text.includes(v)) found.push(v);
    const b64 = Buffer.from(v).toString('base64');
    if (text.includes(b64)) found.push(`base64(${v})`);
  }
  if (text.includes('$6$rounds=656000$canarysalt$')) found.push('password_hash');
  // copy's checksum/md5sum of a vault value would let a reader test guesses against it.
  for (const algo of ['sha1', 'md5']) if (text.includes(createHash(algo).update(`${C.inline}\n`).digest('hex'))) found.push(`${algo}(inline)`);
  return found;
}

describe('the vault canary', () => {
  test('no secret and nothing computed from one appears in any output at -vvvv --diff --json --log-file', async () => {
    const log = join(dir, 'run.log');
    const res = await runSams(
      ['play', 'site.yml', '-i', th.inventoryFile, '-e', `out=${out}`, '-e', '@extra.yml', '--vault-password-file', 'pass.txt', '--diff', '--json', '-vvvv', '--log-file', log],
      { cwd: dir },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(leaks(res.stdout)).toEqual([]);
    expect(leaks(res.stderr)).toEqual([]);
    expect(leaks(readFileSync(log, 'utf8'))).toEqual([]);
    // The diffs of secret content say so instead of showing it.
    expect(res.stdout).toContain('content hidden: contains vault values');
    // And the hosts did get the values.
    expect(readFileSync(join(out, 'relay-h1.conf'), 'utf8')).toContain(`relay_password = ${C.file}`);
    expect(readFileSync(join(out, 'db-h2'), 'utf8')).toBe(`${C.inline}\n`);
    expect(readFileSync(join(out, 'token-h1'), 'utf8')).toBe(`token=${C.src}\n`);
    expect(readFileSync(join(out, 'lines-h1'), 'utf8')).toBe(`pw=${C.extra}\n`);
  });

  test('the terminal-style output at -vvvv --diff leaks nothing either', async () => {
    mkdirSync(`${out}-2`);
    const res = await runSams(['play', 'site.yml', '-i', th.inventoryFile, '-e', `out=${out}-2`, '-e', '@extra.yml', '--vault-password-file', 'pass.txt', '--diff', '-vvvv'], { cwd: dir });
    expect(res.code, res.stdout).toBe(0);
    expect(leaks(res.stdout + res.stderr)).toEqual([]);
  });

  test('a wrong vault password names the file and runs nothing', async () => {
    writeFileSync(join(dir, 'wrong.txt'), 'not-the-password\n');
    const res = await runSams(['play', 'site.yml', '-i', th.inventoryFile, '-e', `out=${out}`, '--vault-password-file', 'wrong.txt'], { cwd: dir });
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/vault password does not match .*vault\.yml/);
    expect(res.stdout).not.toContain('PLAY [');
    expect(leaks(res.stdout + res.stderr)).toEqual([]);
  });
});

void ROOT;
