// `sams vault` against real ansible-core 2.14: files and values written by each open in the other.

import { ensureBuilt } from '../helpers/run-cli.js';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { onTerminal as runOnTerminal } from '../helpers/terminal.js';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/vault');
const PLAIN = readFileSync(join(FIX, 'plain.yml'), 'utf8');

let work: string;
let n = 0;

/** Build dist/ when any source is newer than it (tsc still emits when others' files have type errors). */

/** A fresh directory with the fixtures' password files, for one test. */
function scratch(): string {
  const d = join(work, `t${++n}`);
  mkdirSync(join(d, 'home'), { recursive: true });
  mkdirSync(join(d, 'tmp'));
  for (const f of ['password.txt', 'password-dev.txt', 'password-prod.txt']) cpSync(join(FIX, f), join(d, f));
  return d;
}

function cleanEnv(d: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: join(d, 'home'), TMPDIR: join(d, 'tmp'), LANG: 'C.UTF-8' };
  return { ...env, ANSIBLE_LOCAL_TEMP: join(d, 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ...extra };
}

function sams(d: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sams'), 'vault', ...args], {
    cwd: d,
    env: cleanEnv(d, opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function ansible(d: string, cmd: string, args: string[], input = ''): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: d, env: cleanEnv(d), input, encoding: 'utf8', timeout: 60_000 });
}

/** encrypt_string output with the hex replaced (same length), to compare layouts of random ciphertexts. */
const shape = (s: string) => s.replace(/^( {10})([0-9a-f]+)$/gm, (_m, indent: string, hex: string) => indent + 'h'.repeat(hex.length));

function script(d: string, name: string, body: string): string {
  const p = join(d, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sams-vault-e2e-'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('files encrypted by ansible-vault open in sams', () => {
  it('1.1 with --vault-password-file: view and decrypt', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    const view = sams(d, ['view', '--vault-password-file', 'password.txt', 'v.yml']);
    expect(view.stderr).toBe('');
    expect(view.stdout).toBe(PLAIN);
    const dec = sams(d, ['decrypt', '--vault-password-file', 'password.txt', 'v.yml']);
    expect(dec.status).toBe(0);
    expect(readFileSync(join(d, 'v.yml'), 'utf8')).toBe(PLAIN);
  });

  it('1.2 with --vault-id label@file, among several ids', () => {
    const d = scratch();
    writeFileSync(join(d, 'secret.txt'), 'top secret: 1\n');
    const enc = ansible(d, 'ansible-vault', ['encrypt', '--vault-id', 'dev@password-dev.txt', 'secret.txt']);
    expect(enc.status).toBe(0);
    expect(readFileSync(join(d, 'secret.txt'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    const view = sams(d, ['view', '--vault-id', 'prod@password-prod.txt', '--vault-id', 'dev@password-dev.txt', 'secret.txt']);
    expect(view.stdout).toBe('top secret: 1\n');
  });

  it('a value from ansible-vault encrypt_string decrypts through stdin', () => {
    const d = scratch();
    const es = ansible(d, 'ansible-vault', ['encrypt_string', '--vault-id', 'dev@password-dev.txt', 'from ansible']);
    const envelope = es.stdout.split('\n').slice(1).map((l) => l.trim()).join('\n');
    const dec = sams(d, ['decrypt', '--vault-id', 'dev@password-dev.txt'], { input: envelope });
    expect(dec.stdout).toBe('from ansible');
  });

  it('inline !vault values from ansible-vault encrypt_string (with and without a vault id) work in a sams play, masked in its output', () => {
    const d = scratch();
    const withId = ansible(d, 'ansible-vault', ['encrypt_string', '--vault-id', 'dev@password-dev.txt', '--name', 'db_password', 'inline-canary-dev-41']);
    const plain = ansible(d, 'ansible-vault', ['encrypt_string', '--vault-password-file', 'password.txt', '--name', 'relay_password', 'inline-canary-def-42']);
    expect(withId.status, withId.stderr).toBe(0);
    const indent = (t: string) => t.trimEnd().replace(/\n/g, '\n    ');
    writeFileSync(
      join(d, 'site.yml'),
      ['- hosts: localhost', '  connection: local', '  gather_facts: false', '  vars:', `    ${indent(withId.stdout)}`, `    ${indent(plain.stdout)}`, '  tasks:',
        '    - copy: {content: "{{ db_password }} {{ relay_password }}", dest: "{{ playbook_dir }}/out.txt"}',
        '    - debug: {msg: "{{ db_password }} {{ relay_password }}"}', ''].join('\n'),
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/sams'), 'play', 'site.yml', '--vault-id', 'dev@password-dev.txt', '--vault-password-file', 'password.txt', '-v'], {
      cwd: d, env: cleanEnv(d), encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(join(d, 'out.txt'), 'utf8')).toBe('inline-canary-dev-41 inline-canary-def-42');
    expect(run.stdout).toContain('********');
    expect(run.stdout + run.stderr).not.toContain('inline-canary');
  });
});

describe('files written by sams open in ansible-vault', () => {
  it('encrypt with a password file (1.1): ansible-vault view and decrypt', () => {
    const d = scratch();
    writeFileSync(join(d, 'v.yml'), PLAIN);
    chmodSync(join(d, 'v.yml'), 0o644);
    const enc = sams(d, ['encrypt', '--vault-password-file', 'password.txt', 'v.yml']);
    expect(enc.status).toBe(0);
    const text = readFileSync(join(d, 'v.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(text.split('\n').slice(1, -2).every((l) => l.length === 80)).toBe(true);
    expect(statSync(join(d, 'v.yml')).mode & 0o777).toBe(0o644);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-password-file', 'password.txt', 'v.yml']).stdout).toBe(PLAIN);
    expect(ansible(d, 'ansible-vault', ['decrypt', '--vault-password-file', 'password.txt', 'v.yml']).status).toBe(0);
    expect(readFileSync(join(d, 'v.yml'), 'utf8')).toBe(PLAIN);
  });

  it('encrypt with --vault-id prod@file writes 1.2 that ansible-vault opens with that id', () => {
    const d = scratch();
    writeFileSync(join(d, 'p.yml'), 'x: 1\n');
    sams(d, ['encrypt', '--vault-id', 'prod@password-prod.txt', '--output', 'out.yml', 'p.yml']);
    expect(readFileSync(join(d, 'p.yml'), 'utf8')).toBe('x: 1\n');
    expect(readFileSync(join(d, 'out.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'prod@password-prod.txt', 'out.yml']).stdout).toBe('x: 1\n');
  });

  it('encrypt from stdin to stdout, chosen by --encrypt-vault-id', () => {
    const d = scratch();
    const enc = sams(d, ['encrypt', '--vault-id', 'dev@password-dev.txt', '--vault-id', 'prod@password-prod.txt', '--encrypt-vault-id', 'prod'], {
      input: 'piped\n',
    });
    expect(enc.stdout.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    writeFileSync(join(d, 'o.yml'), enc.stdout);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'prod@password-prod.txt', 'o.yml']).stdout).toBe('piped\n');
  });

  it('encrypt-string prints what ansible-vault encrypt_string prints, and ansible-vault decrypts it', () => {
    const d = scratch();
    const ours = sams(d, ['encrypt-string', '--vault-id', 'dev@password-dev.txt', '--name', 'token', 'v@lue: "quoted"']);
    const theirs = ansible(d, 'ansible-vault', ['encrypt_string', '--vault-id', 'dev@password-dev.txt', '--name', 'token', 'v@lue: "quoted"']);
    expect(shape(ours.stdout)).toBe(shape(theirs.stdout));
    expect(ours.stdout.endsWith('\n')).toBe(false);
    const envelope = ours.stdout.split('\n').slice(1).map((l) => l.trim()).join('\n') + '\n';
    writeFileSync(join(d, 'e.vault'), envelope);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'dev@password-dev.txt', 'e.vault']).stdout).toBe('v@lue: "quoted"\n');
  });

  it('encrypt_string (Ansible spelling) with several names matches ansible-vault, labels on stderr', () => {
    const d = scratch();
    const args = ['--vault-password-file', 'password.txt', '-n', 'a', '-n', 'b', 'one', 'two', 'three'];
    const ours = sams(d, ['encrypt_string', ...args]);
    const theirs = ansible(d, 'ansible-vault', ['encrypt_string', ...args]);
    expect(shape(ours.stdout)).toBe(shape(theirs.stdout));
    expect(ours.stderr).toBe(theirs.stderr);
  });

  it('inline values from encrypt-string work in an ansible-playbook run', () => {
    const d = scratch();
    const a = sams(d, ['encrypt-string', '--vault-id', 'dev@password-dev.txt', '--name', 'plain_value', 'héllo wörld']);
    const b = sams(d, ['encrypt-string', '--vault-id', 'dev@password-dev.txt', '--stdin-name', 'multi_line'], { input: 'line 1\nline: 2\n' });
    const indent = (s: string) => s.split('\n').map((l) => '    ' + l).join('\n');
    writeFileSync(
      join(d, 'play.yml'),
      [
        '- hosts: localhost',
        '  connection: local',
        '  gather_facts: false',
        '  vars:',
        indent(a.stdout),
        indent(b.stdout),
        '  tasks:',
        '    - debug:',
        '        msg: "{{ plain_value }}|{{ multi_line | to_json }}"',
        '',
      ].join('\n'),
    );
    const run = ansible(d, 'ansible-playbook', ['-i', 'localhost,', '--vault-id', 'dev@password-dev.txt', 'play.yml']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"msg": "héllo wörld|\\"line 1\\\\nline: 2\\\\n\\""');
  });

  it('rekey with --new-vault-password-file: ansible-vault opens it with the new password only, mode kept', () => {
    const d = scratch();
    cpSync(join(FIX, 'v12-dev.yml'), join(d, 'v.yml'));
    chmodSync(join(d, 'v.yml'), 0o640);
    writeFileSync(join(d, 'new.txt'), 'brand new\n');
    const r = sams(d, ['rekey', '--vault-id', 'dev@password-dev.txt', '--new-vault-password-file', 'new.txt', 'v.yml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Rekey successful\n');
    expect(statSync(join(d, 'v.yml')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(d, 'v.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(ansible(d, 'ansible-vault', ['view', '--vault-password-file', 'new.txt', 'v.yml']).stdout).toBe(PLAIN);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'dev@password-dev.txt', 'v.yml']).status).not.toBe(0);
  });
});

describe('sams vault edit and create', () => {
  it('re-encrypts modified content with the same vault id and removes its temp dir', () => {
    const d = scratch();
    cpSync(join(FIX, 'v12-dev.yml'), join(d, 'v.yml'));
    const ed = script(d, 'ed.sh', `dirname "$1" > ${d}/editor-dir\nprintf 'new: content\\n' > "$1"`);
    const r = sams(d, ['edit', '--vault-id', 'dev@password-dev.txt', 'v.yml'], { env: { EDITOR: ed } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'editor-dir'), 'utf8').startsWith(join(d, 'tmp', 'sams-vault-'))).toBe(true);
    expect(readdirSync(join(d, 'tmp'))).toEqual([]);
    expect(readFileSync(join(d, 'v.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'dev@password-dev.txt', 'v.yml']).stdout).toBe('new: content\n');
  });

  it('leaves the file byte-identical when the editor changes nothing', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    const before = readFileSync(join(d, 'v.yml'));
    const r = sams(d, ['edit', '--vault-password-file', 'password.txt', 'v.yml'], { env: { EDITOR: script(d, 'noop.sh', 'true') } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'v.yml')).equals(before)).toBe(true);
    expect(readdirSync(join(d, 'tmp'))).toEqual([]);
  });

  it('removes the temp dir and changes nothing when sams is terminated while the editor runs', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    const before = readFileSync(join(d, 'v.yml'));
    const ed = script(d, 'killer.sh', 'echo changed >> "$1"\nkill -TERM $PPID\nexec sleep 20');
    const r = sams(d, ['edit', '--vault-password-file', 'password.txt', 'v.yml'], { env: { EDITOR: ed } });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('interrupted by SIGTERM; v.yml was not changed');
    expect(readFileSync(join(d, 'v.yml')).equals(before)).toBe(true);
    expect(readdirSync(join(d, 'tmp'))).toEqual([]);
  });

  it('create encrypts what the editor wrote; ansible-vault opens it', () => {
    const d = scratch();
    const ed = script(d, 'w.sh', `printf 'created: true\\n' > "$1"`);
    const r = sams(d, ['create', '--vault-id', 'prod@password-prod.txt', 'group_vars/all/vault.yml'], { env: { EDITOR: ed } });
    expect(r.status).toBe(0);
    const file = join(d, 'group_vars/all/vault.yml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'prod@password-prod.txt', file]).stdout).toBe('created: true\n');
    const again = sams(d, ['create', '--vault-id', 'prod@password-prod.txt', 'group_vars/all/vault.yml'], { env: { EDITOR: ed } });
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('group_vars/all/vault.yml exists');
  });
});

describe('refusals change nothing', () => {
  it('encrypt refuses an already-encrypted file', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    writeFileSync(join(d, 'plain.yml'), 'a: 1\n');
    const before = readFileSync(join(d, 'v.yml'));
    const r = sams(d, ['encrypt', '--vault-password-file', 'password.txt', 'plain.yml', 'v.yml']);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('v.yml is already vault-encrypted; nothing was changed');
    expect(readFileSync(join(d, 'v.yml')).equals(before)).toBe(true);
    expect(readFileSync(join(d, 'plain.yml'), 'utf8')).toBe('a: 1\n');
  });

  it.each([['view'], ['decrypt'], ['edit'], ['rekey']])('a wrong password on %s names the file and leaves it untouched', (cmd) => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    writeFileSync(join(d, 'wrong.txt'), 'not it\n');
    const before = readFileSync(join(d, 'v.yml'));
    const extra = cmd === 'rekey' ? ['--new-vault-password-file', 'password-dev.txt'] : [];
    const r = sams(d, [cmd, '--vault-password-file', 'wrong.txt', ...extra, 'v.yml'], { env: { EDITOR: script(d, 'ed.sh', 'echo x >> "$1"') } });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(`vault password does not match v.yml\n  hint: tried the password from ${join(d, 'wrong.txt')}\n`);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(d, 'v.yml')).equals(before)).toBe(true);
  });

  it('without a password source and without a terminal it says how to give one', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    const none = sams(d, ['view', 'v.yml']);
    expect(none.status).toBe(4);
    expect(none.stderr).toMatch(/^a vault password is required to decrypt\n  hint: pass --vault-password-file FILE/);
    const ask = sams(d, ['view', '--ask-vault-pass', 'v.yml']);
    expect(ask.status).toBe(4);
    expect(ask.stderr).toMatch(/^cannot ask "Vault password:": standard input is not a terminal\n/);
  });
});

describe('password sources from the command line, environment and settings', () => {
  it('an executable --vault-password-file is run (the cron case), a *-client script gets --vault-id', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    cpSync(join(FIX, 'v12-dev.yml'), join(d, 'dev.yml'));
    script(d, 'pass.sh', `cat ${join(d, 'password.txt')}`);
    script(d, 'keys-client.sh', `[ "$2" = dev ] && cat ${join(d, 'password-dev.txt')} || exit 2`);
    expect(sams(d, ['view', '--vault-password-file', './pass.sh', 'v.yml']).stdout).toBe(PLAIN);
    expect(sams(d, ['view', '--vault-id', 'dev@keys-client.sh', 'dev.yml']).stdout).toBe(PLAIN);
  });

  it('ANSIBLE_VAULT_PASSWORD_FILE and a sams.yml vault_identity_list are used', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    cpSync(join(FIX, 'v12-dev.yml'), join(d, 'dev.yml'));
    expect(sams(d, ['view', 'v.yml'], { env: { ANSIBLE_VAULT_PASSWORD_FILE: 'password.txt' } }).stdout).toBe(PLAIN);
    writeFileSync(join(d, 'sams.yml'), 'vault_identity_list: [dev@password-dev.txt]\n');
    expect(sams(d, ['view', 'dev.yml']).stdout).toBe(PLAIN);
  });
});

/** Run argv on a pseudo-terminal (Python's pty), answering each expected prompt; returns the terminal output. */
function onTerminal(d: string, argv: string[], dialogue: Array<[string, string]>, env: Record<string, string> = {}): { out: string; status: number | null } {
  return runOnTerminal(d, argv, dialogue, cleanEnv(d, env) as Record<string, string>);
}

describe('prompting on a terminal', () => {
  it('--ask-vault-pass reads the password without echoing it; view goes through $PAGER', () => {
    const d = scratch();
    cpSync(join(FIX, 'v11.yml'), join(d, 'v.yml'));
    const r = onTerminal(d, [process.execPath, join(ROOT, 'bin/sams'), 'vault', 'view', '--ask-vault-pass', 'v.yml'], [['Vault password: ', 'correct horse battery staple\r']], {
      PAGER: 'sed s/^/paged:/',
    });
    expect(r.status).toBe(0);
    expect(r.out).not.toContain('correct horse');
    expect(r.out).toContain('Vault password: \n');
    expect(r.out).toContain('paged:db_password: s3cr3t\n');
  });

  it('create with a prompted new password asks twice; ansible-vault opens the result', () => {
    const d = scratch();
    const ed = script(d, 'w.sh', `printf 'typed: yes\\n' > "$1"`);
    const r = onTerminal(
      d,
      [process.execPath, join(ROOT, 'bin/sams'), 'vault', 'create', '--vault-id', 'qa@prompt', 'new.yml'],
      [
        ['New vault password (qa): ', 'qa-secret\r'],
        ['Confirm new vault password (qa): ', 'qa-secret\r'],
      ],
      { EDITOR: ed },
    );
    expect(r.status).toBe(0);
    expect(r.out).not.toContain('qa-secret');
    writeFileSync(join(d, 'qa.txt'), 'qa-secret\n');
    expect(readFileSync(join(d, 'new.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;qa');
    expect(ansible(d, 'ansible-vault', ['view', '--vault-id', 'qa@qa.txt', 'new.yml']).stdout).toBe('typed: yes\n');
  });

  it.each([
    ['hidden', [], 'String to encrypt (hidden): '],
    ['shown with --show-input', ['--show-input'], 'String to encrypt: '],
  ])('encrypt-string --prompt asks for the name, then the value (%s)', (how, flags, question) => {
    const d = scratch();
    const r = onTerminal(
      d,
      [process.execPath, join(ROOT, 'bin/sams'), 'vault', 'encrypt-string', '--vault-password-file', 'password.txt', '--prompt', ...flags],
      [
        ['Variable name (enter for no name): ', 'db_pass\r'],
        [question, 'typed value\r'],
      ],
    );
    expect(r.status).toBe(0);
    expect(r.out.includes('typed value')).toBe(how !== 'hidden');
    const yaml = r.out.slice(r.out.indexOf('db_pass: !vault |'));
    const envelope = yaml.split('\n').slice(1).filter((l) => l.startsWith('          ')).map((l) => l.trim()).join('\n') + '\n';
    writeFileSync(join(d, 'e.vault'), envelope);
    expect(ansible(d, 'ansible-vault', ['view', '--vault-password-file', 'password.txt', 'e.vault']).stdout).toBe('typed value\n');
  });
});
