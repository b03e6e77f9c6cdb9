// Vault password sources: files, executable scripts (the cron case), client scripts, label@source, and the keyring built from them.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { encryptVaultText } from '../../../src/vault/format.js';
import { isClientScript, loadKeyring, parseVaultId, readPasswordFile } from '../../../src/vault/password-sources.js';

const FIX = join(import.meta.dirname, '../../fixtures/vault');
const V11 = readFileSync(join(FIX, 'v11.yml'), 'utf8');
const V12DEV = readFileSync(join(FIX, 'v12-dev.yml'), 'utf8');
const PLAIN = readFileSync(join(FIX, 'plain.yml'), 'utf8');
const MAIN = 'correct horse battery staple';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sams-vault-src-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
}
async function password(path: string, label = 'default'): Promise<string> {
  return (await readPasswordFile(path, label)).password.bytes().toString('utf8');
}
async function rejection(p: Promise<unknown>): Promise<SamsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SamsError) return e;
    throw e;
  }
  throw new Error('expected a SamsError');
}

describe('parseVaultId', () => {
  it.each([
    ['prod@/etc/vault-prod', { label: 'prod', source: '/etc/vault-prod' }],
    ['/etc/vault-pass', { label: 'default', source: '/etc/vault-pass' }],
    ['dev@prompt', { label: 'dev', source: 'prompt' }],
    ['prompt', { label: 'default', source: 'prompt' }],
    ['a@b@c', { label: 'a', source: 'b@c' }],
  ])('%s', (spec, expected) => {
    expect(parseVaultId(spec)).toEqual(expected);
  });

  it.each([
    ['x;y@file', /";" is not allowed/],
    ['@file', /label before @ is empty/],
    ['dev@', /no password source after @/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseVaultId(spec)).toThrow(message);
  });
});

describe('a password file', () => {
  it('is its content with surrounding whitespace stripped', async () => {
    expect(await password(file('p1', '  s3cret \n\n'))).toBe('s3cret');
    expect(await password(file('p2', 'crlf\r\n'))).toBe('crlf');
  });

  it('is its whole content, not only the first line (as Ansible reads it)', async () => {
    expect(await password(file('p3', 'line one\nline two\n'))).toBe('line one\nline two');
  });

  it('is an error when empty, missing, or a directory', async () => {
    expect((await rejection(readPasswordFile(file('empty', ' \n'), 'default'))).message).toMatch(/is empty$/);
    expect((await rejection(readPasswordFile(join(dir, 'absent'), 'default'))).message).toBe(`the vault password file ${join(dir, 'absent')} was not found`);
    expect((await rejection(readPasswordFile(dir, 'default'))).message).toMatch(/is a directory$/);
  });

  it('may itself be vault-encrypted with a password given before it', async () => {
    const inner = file('inner', encryptVaultText('the-real-password\n', Buffer.from(MAIN)));
    const first = file('first', MAIN);
    const keyring = await loadKeyring({ vaultIds: [first, `dev@${inner}`] });
    expect(keyring?.entries[1]!.password.bytes().toString()).toBe('the-real-password');
  });
});

describe('an executable password file', () => {
  it('is run and its stdout, stripped of line ends, is the password (the cron case)', async () => {
    const s = file('pass.sh', '#!/bin/sh\nprintf "from script\\n"\n', 0o700);
    expect(await password(s)).toBe('from script');
    const r = await readPasswordFile(s, 'default');
    expect(r.source).toBe(`script ${s}`);
  });

  it('keeps spaces around a script password (Ansible strips only line ends)', async () => {
    expect(await password(file('sp.sh', '#!/bin/sh\nprintf " spaced \\r\\n"\n', 0o700))).toBe(' spaced ');
  });

  it('named *-client gets --vault-id LABEL', async () => {
    const s = file('vault-client.sh', '#!/bin/sh\n[ "$1" = --vault-id ] && printf "pw-for-%s\\n" "$2"\n', 0o700);
    expect(isClientScript(s)).toBe(true);
    expect(await password(s, 'prod')).toBe('pw-for-prod');
  });

  it('a client script exiting 2 has no secret for that vault id', async () => {
    const s = file('none-client', '#!/bin/sh\necho "unknown id" >&2\nexit 2\n', 0o700);
    const e = await rejection(readPasswordFile(s, 'qa'));
    expect(e.message).toBe(`the vault password client script ${s} has no secret for vault id qa: unknown id`);
  });

  it('a failing script is an error with its status', async () => {
    const s = file('fail.sh', '#!/bin/sh\nexit 3\n', 0o700);
    expect((await rejection(readPasswordFile(s, 'default'))).message).toBe(`the vault password script ${s} exited with status 3`);
  });

  it('an executable file that is not a script is refused without running it (nothing echoes the password)', async () => {
    const s = file('plain-but-x', 'mypassword\n', 0o755);
    const e = await rejection(readPasswordFile(s, 'default'));
    expect(e.message).toMatch(/is executable but is not a script/);
    expect(e.hint).toBe(`to use it as a plain password file remove its execute bit: chmod a-x ${s}`);
  });
});

describe('loadKeyring', () => {
  it('is undefined when no source is given', async () => {
    expect(await loadKeyring({ vaultIds: [] })).toBeUndefined();
  });

  it('holds several vault ids from label@source items, resolving relative paths against cwd', async () => {
    file('main.txt', MAIN);
    file('dev.txt', 'dev-pass');
    const keyring = (await loadKeyring({ vaultIds: ['dev@dev.txt'], vaultPasswordFiles: ['main.txt'], cwd: dir }))!;
    expect(keyring.ids).toEqual(['dev', 'default']);
    expect(keyring.entries.map((e) => e.source)).toEqual([join(dir, 'dev.txt'), join(dir, 'main.txt')]);
    expect(keyring.decrypt(V11, 'v11.yml')).toBe(PLAIN);
    expect(keyring.decrypt(V12DEV, 'v12-dev.yml')).toBe(PLAIN);
    expect(keyring.encryptId).toBe('dev');
  });

  it('reads the same source once', async () => {
    file('once.txt', MAIN);
    const keyring = (await loadKeyring({ vaultIds: ['once.txt', join(dir, 'once.txt')], cwd: dir }))!;
    expect(keyring.entries).toHaveLength(1);
  });

  it('warns about a source that fails when another works (as Ansible)', async () => {
    file('good.txt', MAIN);
    const warnings: string[] = [];
    const keyring = await loadKeyring({ vaultIds: ['missing.txt', 'good.txt'], cwd: dir, warn: (m) => warnings.push(m) });
    expect(keyring?.ids).toEqual(['default']);
    expect(warnings).toEqual([`the vault password file ${join(dir, 'missing.txt')} was not found`]);
  });

  it('fails when no source works', async () => {
    const e = await rejection(loadKeyring({ vaultIds: ['missing.txt'], cwd: dir, warn: () => {} }));
    expect(e.message).toBe(`the vault password file ${join(dir, 'missing.txt')} was not found`);
  });

  it('checks --encrypt-vault-id against the loaded ids', async () => {
    file('k.txt', 'x');
    const e = await rejection(loadKeyring({ vaultIds: ['dev@k.txt'], cwd: dir, encryptVaultId: 'prod' }));
    expect(e.message).toBe('no vault password was given for --encrypt-vault-id prod');
  });

  it.skipIf(process.stdin.isTTY)('asks for the password only on a terminal (skipped when the test runner has one)', async () => {
    const e = await rejection(loadKeyring({ vaultIds: [], askVaultPass: true }));
    expect(e.message).toBe('cannot ask "Vault password:": standard input is not a terminal');
    expect(e.hint).toMatch(/--vault-password-file FILE/);
    const e2 = await rejection(loadKeyring({ vaultIds: ['dev@prompt'] }));
    expect(e2.message).toBe('cannot ask "Vault password (dev):": standard input is not a terminal');
  });

  it.skipIf(process.stdin.isTTY)('does not auto-prompt without a terminal (skipped when the test runner has one)', async () => {
    expect(await loadKeyring({ vaultIds: [], autoPrompt: true })).toBeUndefined();
  });
});
