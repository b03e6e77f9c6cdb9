// Vaulted sources over a real sshd host: a binary vaulted src reaches the host byte for byte,
// copy's decrypt: false sends the file still encrypted, lookup('template') decrypts a vaulted
// template and keeps the result secret, and --diff hides secret content unless --show-secrets is
// given with the task's diff: true (then the real diff is shown, vault values still masked).

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, runSams, SAMS, writeTree } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

const PASSWORD = 'copy-vault-test-pw';
const VAULT_VALUE = 'relay-pw-6f1c2e9a';
const TEMPLATE_SECRET = 'tmpl-secret-b83d41';

let th: TestHosts;
let dir: string;
let root: string;
let binary: Buffer;

function encryptFile(path: string): void {
  execFileSync(process.execPath, [SAMS, 'vault', 'encrypt', '--vault-password-file', join(dir, 'pass.txt'), path], { cwd: dir, env: { PATH: process.env.PATH!, HOME: dir } });
}

function play(file: string, ...extra: string[]) {
  return runSams(['play', file, '-i', th.inventoryFile, '-l', 'h1', '-e', `root=${root}`, '--vault-password-file', 'pass.txt', ...extra], { cwd: dir });
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
  root = th.host('h1').root;
  dir = mkdtempSync(join(tmpdir(), 'sams-copy-vault-'));
  // Invalid UTF-8 throughout (0xff never occurs in UTF-8), with NUL bytes.
  binary = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]), randomBytes(2000)]);
  writeTree(dir, {
    'pass.txt': PASSWORD + '\n',
    'group_vars/all/vault.yml': `vault_relay_password: ${VAULT_VALUE}\n`,
    'files/secret.txt': 'first line of the secret file\nsecond line here\n',
    'templates/vaulted.j2': `host = {{ inventory_hostname }}\ntoken = ${TEMPLATE_SECRET}\n`,
    'templates/relay.conf.j2': 'relay_host = smtp.example.org\nrelay_password = {{ vault_relay_password }}\n',
    'copy.yml': [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - copy: {src: bin.dat, dest: "{{ root }}/bin.dat"}',
      '    - copy: {src: bin.dat, dest: "{{ root }}/bin.enc", decrypt: false}',
      '    - copy: {src: secret.txt, dest: "{{ root }}/secret.txt"}',
      '    - debug: {msg: "{{ lookup(\'template\', \'vaulted.j2\') }}"}',
      '    - copy: {content: "{{ lookup(\'template\', \'vaulted.j2\') }}", dest: "{{ root }}/from-lookup"}',
      '',
    ].join('\n'),
    'diff.yml': [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - name: relay with diff true',
      '      template: {src: relay.conf.j2, dest: "{{ root }}/relay.conf"}',
      '      diff: true',
      '    - name: relay without the keyword',
      '      template: {src: relay.conf.j2, dest: "{{ root }}/relay2.conf"}',
      '    - name: binary with diff true',
      '      copy: {src: bin.dat, dest: "{{ root }}/bin2.dat"}',
      '      diff: true',
      '',
    ].join('\n'),
  });
  writeFileSync(join(dir, 'files/bin.dat'), binary);
  encryptFile(join(dir, 'group_vars/all/vault.yml'));
  encryptFile(join(dir, 'files/bin.dat'));
  encryptFile(join(dir, 'files/secret.txt'));
  encryptFile(join(dir, 'templates/vaulted.j2'));
});

afterAll(async () => {
  await th?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function seedDiffTargets(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const old = `relay_host = old.example.org\nrelay_password = ${VAULT_VALUE}\n`;
  writeFileSync(join(root, 'relay.conf'), old);
  writeFileSync(join(root, 'relay2.conf'), old);
}

describe('copy of vaulted sources', () => {
  test('a binary vaulted src arrives byte for byte, decrypt: false sends it encrypted, a vaulted text file as its plaintext', async () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const res = await play('copy.yml', '--diff');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(readFileSync(join(root, 'bin.dat')).equals(binary)).toBe(true);
    expect(readFileSync(join(root, 'bin.enc')).equals(readFileSync(join(dir, 'files/bin.dat')))).toBe(true);
    expect(readFileSync(join(root, 'bin.enc'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect(readFileSync(join(root, 'secret.txt'), 'utf8')).toBe('first line of the secret file\nsecond line here\n');
    // The binary plaintext's diff is hidden like any vault content, its note said once.
    expect(res.stdout).toContain(`diff skipped: ${root}/bin.dat: content hidden: contains vault values\n`);
    expect(res.stdout).not.toContain('(content hidden');
    // Its checksum and md5sum in the results are masked, as those of any vault content.
    const json = await play('copy.yml', '--json');
    expect(json.code, json.stderr).toBe(0);
    for (const algo of ['sha1', 'md5']) expect(json.stdout).not.toContain(createHash(algo).update(binary).digest('hex'));
    expect(json.stdout).toContain('"checksum":"********"');
  });

  test('lookup(template) decrypts a vaulted template and the result stays masked', async () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const res = await play('copy.yml');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(readFileSync(join(root, 'from-lookup'), 'utf8')).toBe(`host = h1\ntoken = ${TEMPLATE_SECRET}\n`);
    expect(res.stdout).toContain('"msg": "********"');
    expect(res.stdout + res.stderr).not.toContain(TEMPLATE_SECRET);
    expect(res.stdout + res.stderr).not.toContain('$ANSIBLE_VAULT');
  });

  test('a second run changes nothing (the binary checksum matches the plaintext)', async () => {
    const res = await play('copy.yml');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/h1\s+: ok=5\s+changed=0/);
  });

  test('decrypt is a known argument and must be a boolean', async () => {
    writeTree(dir, { 'bad.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - copy: {src: bin.dat, dest: /tmp/x, decrypt: maybe}\n' });
    const res = await play('bad.yml');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('decrypt');
    expect(res.stderr).not.toContain('unknown argument');
  });
});

describe('--diff of secret content', () => {
  test('without --show-secrets the diff is hidden, with one note', async () => {
    seedDiffTargets();
    const res = await play('diff.yml', '--diff');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`diff skipped: ${root}/relay.conf: content hidden: contains vault values\n`);
    expect(res.stdout).toContain(`diff skipped: ${root}/relay2.conf: content hidden: contains vault values\n`);
    expect(res.stdout).not.toContain('(content hidden');
    expect(res.stdout).not.toContain('smtp.example.org');
    expect(res.stdout + res.stderr).not.toContain(VAULT_VALUE);
  });

  test('--show-secrets with diff: true shows the real diff (vault values still masked); other tasks stay hidden', async () => {
    seedDiffTargets();
    const res = await play('diff.yml', '--diff', '--show-secrets');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = res.stdout.split('\n');
    const at = lines.indexOf(`--- before: ${root}/relay.conf`);
    expect(at, res.stdout).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at, at + 6)).toEqual([
      `--- before: ${root}/relay.conf`,
      `+++ after: ${root}/relay.conf`,
      '@@ -1,2 +1,2 @@',
      '-relay_host = old.example.org',
      '+relay_host = smtp.example.org',
      ' relay_password = ********',
    ]);
    expect(res.stdout).not.toContain('+********\n');
    // Without the task's diff: true, --show-secrets shows nothing more.
    expect(res.stdout).toContain(`diff skipped: ${root}/relay2.conf: content hidden: contains vault values\n`);
    // Binary plaintext is never diffed.
    expect(res.stdout).toContain(`diff skipped: ${root}/bin2.dat: binary file, diff not shown\n`);
    expect(res.stdout + res.stderr).not.toContain(VAULT_VALUE);
    expect(readFileSync(join(root, 'relay.conf'), 'utf8')).toBe(`relay_host = smtp.example.org\nrelay_password = ${VAULT_VALUE}\n`);
  });
});
