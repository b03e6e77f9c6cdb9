// vars_prompt: asked on a terminal (private input hidden, confirm, encrypt), skipped when given
// with -e, and a clear error before connecting when there is no terminal (cron).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from 'unixcrypt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { controlHome, ensureBuilt, runSams, SAMS, writeTree } from '../../helpers/run-cli.js';
import { onTerminal } from '../../helpers/terminal.js';

let th: TestHosts;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
  dir = mkdtempSync(join(tmpdir(), 'sams-prompt-'));
  writeTree(dir, {
    'adduser.yml': [
      '- name: Add a mail user',
      '  hosts: h1',
      '  gather_facts: false',
      '  vars_prompt:',
      '    - name: email',
      '      prompt: Email address',
      '      private: false',
      '    - name: password',
      '      prompt: Password',
      '      private: true',
      '      confirm: true',
      '      encrypt: sha512_crypt',
      '    - name: full_name',
      '      prompt: Full name',
      '      private: false',
      '      default: Nobody',
      '  tasks:',
      "    - shell: printf '%s\\n%s\\n%s\\n' '{{ email }}' '{{ password }}' '{{ full_name }}' > {{ out }}",
      '',
    ].join('\n'),
  });
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vars_prompt', () => {
  test('without a terminal and without -e the run stops before connecting, naming each variable', async () => {
    const res = await runSams(['play', 'adduser.yml', '-i', th.inventoryFile, '-e', `out=${join(dir, 'x')}`], { cwd: dir });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("adduser.yml:5:7: vars_prompt 'email' needs an answer and there is no terminal to ask on");
    expect(res.stderr).toContain("vars_prompt 'password' needs an answer");
    expect(res.stderr).toContain('hint: give it on the command line: -e email=VALUE');
    expect(res.stdout).not.toContain('PLAY [');
  });

  test('values given with -e are not asked; a default is used when there is no terminal', async () => {
    const out = join(dir, 'given');
    const res = await runSams(['play', 'adduser.yml', '-i', th.inventoryFile, '-e', `out=${out}`, '-e', 'email=a@example.org', '-e', 'password=$6$x$y'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('a@example.org\n$6$x$y\nNobody\n');
  });

  test('on a terminal: asked in order, private input not echoed, confirmed, stored as a SHA-512 crypt hash', () => {
    const out = join(dir, 'asked');
    const r = onTerminal(
      dir,
      [process.execPath, SAMS, 'play', 'adduser.yml', '-i', th.inventoryFile, '-e', `out=${out}`],
      [
        ['Email address: ', 'postmaster@example.org\r'],
        ['Password: ', 'Tr0ub4dor&3\r'],
        ['confirm Password: ', 'Tr0ub4dor&3\r'],
        ['Full name [Nobody]: ', 'Post Master\r'],
      ],
      { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: controlHome(), TERM: 'dumb' },
    );
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('postmaster@example.org'); // visible input is echoed
    expect(r.out).not.toContain('Tr0ub4dor&3');
    const [email, hash, name] = readFileSync(out, 'utf8').split('\n');
    expect(email).toBe('postmaster@example.org');
    expect(hash).toMatch(/^\$6\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}$/);
    expect(verify('Tr0ub4dor&3', hash!)).toBe(true);
    expect(name).toBe('Post Master');
  });
});
