// Whole-file operations: all-or-nothing multi-file changes, atomic writes, and edit through a real editor script.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { isInteractive, promptLine } from '../../../src/cli/prompt.js';
import { writeFileAtomic } from '../../../src/fs/atomic-write.js';
import { decryptVaultText, parseEnvelope } from '../../../src/vault/format.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { createVaultFile, editVaultFile, planDecrypt, planEncrypt, planRekey, splitCommandLine } from '../../../src/vault/files.js';

const FIX = join(import.meta.dirname, '../../fixtures/vault');
const MAIN = 'correct horse battery staple';
const keyring = new Keyring([
  { id: 'default', password: MAIN, source: 'main' },
  { id: 'dev', password: 'dev-pass', source: 'dev' },
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sams-vault-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = (file: string, text: string) => ({ file, data: Buffer.from(text) });
function thrown(fn: () => unknown): SamsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SamsError) return e;
    throw e;
  }
  throw new Error('expected a SamsError');
}

describe('multi-file plans are all or nothing', () => {
  it('encrypt refuses when any input is already encrypted', () => {
    const v11 = readFileSync(join(FIX, 'v11.yml'), 'utf8');
    const e = thrown(() => planEncrypt([input('a.yml', 'a: 1\n'), input('b.yml', v11)], keyring));
    expect(e.message).toBe('b.yml is already vault-encrypted; nothing was changed');
  });

  it('decrypt fails on a plain file or a wrong password before producing anything', () => {
    expect(thrown(() => planDecrypt([input('p.yml', 'x: 1\n')], keyring)).message).toBe('p.yml is not vault-encrypted; nothing was changed');
    const other = new Keyring([{ id: 'default', password: 'other' }]);
    const ok = keyring.encrypt('x');
    expect(thrown(() => planDecrypt([input('ok.yml', other.encrypt('y')), input('bad.yml', ok)], other)).message).toBe(
      'vault password does not match bad.yml',
    );
  });

  it('rekey re-encrypts with the new keyring and its vault id', () => {
    const fresh = new Keyring([{ id: 'next', password: 'new-pass' }]);
    const [change] = planRekey([input('v12-dev.yml', readFileSync(join(FIX, 'v12-dev.yml'), 'utf8'))], keyring, fresh);
    expect(parseEnvelope(change!.data).vaultId).toBe('next');
    expect(decryptVaultText(change!.data, Buffer.from('new-pass'))?.toString()).toBe(readFileSync(join(FIX, 'plain.yml'), 'utf8'));
  });
});

describe('writeFileAtomic', () => {
  it('keeps the mode of an existing file and leaves no temp file behind', () => {
    const p = join(dir, 'mode.txt');
    writeFileSync(p, 'old');
    chmodSync(p, 0o640);
    writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).filter((f) => f.includes('sams-tmp'))).toEqual([]);
  });

  it('creates a new file private (0600)', () => {
    const p = join(dir, 'new.txt');
    writeFileAtomic(p, 'x');
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  it('replaces the target of a symlink and keeps the link', () => {
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('reports a missing directory as a user error', () => {
    expect(() => writeFileAtomic(join(dir, 'no/such/dir/f'), 'x')).toThrow(/cannot write .*: its directory does not exist/);
  });
});

describe('splitCommandLine (as shlex.split)', () => {
  it.each([
    ['vi', ['vi']],
    ['code --wait', ['code', '--wait']],
    ['"/opt/My Editor/bin/ed" -n', ['/opt/My Editor/bin/ed', '-n']],
    ["emacs -nw '--eval=(x)'", ['emacs', '-nw', '--eval=(x)']],
    ['a\\ b c', ['a b', 'c']],
    ['  ', []],
  ])('%s', (text, words) => {
    expect(splitCommandLine(text)).toEqual(words);
  });
});

describe('edit and create through a real editor script', () => {
  function editor(name: string, body: string): string {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  }
  function tmpRoot(): string {
    const p = join(dir, `tmp-${Math.random().toString(36).slice(2)}`);
    mkdirSync(p);
    return p;
  }

  it('re-encrypts changed content with the same vault id, from a private temp dir that is removed', async () => {
    const file = join(dir, 'dev.yml');
    writeFileSync(file, readFileSync(join(FIX, 'v12-dev.yml')));
    const seen = join(dir, 'seen.txt');
    const ed = editor('append.sh', `stat -c '%a' "$(dirname "$1")" "$1" > ${seen}\necho 'added: yes' >> "$1"`);
    const root = tmpRoot();
    expect(await editVaultFile(file, keyring, { editor: ed, tmpRoot: root })).toBe('changed');
    expect(readFileSync(seen, 'utf8')).toBe('700\n600\n');
    expect(readdirSync(root)).toEqual([]);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('$ANSIBLE_VAULT;1.2;AES256;dev\n')).toBe(true);
    expect(decryptVaultText(text, Buffer.from('dev-pass'))?.toString()).toBe(readFileSync(join(FIX, 'plain.yml'), 'utf8') + 'added: yes\n');
  });

  it('leaves the file byte-identical when the content is unchanged', async () => {
    const file = join(dir, 'same.yml');
    const before = readFileSync(join(FIX, 'v11.yml'));
    writeFileSync(file, before);
    const root = tmpRoot();
    expect(await editVaultFile(file, keyring, { editor: editor('noop.sh', 'true'), tmpRoot: root })).toBe('unchanged');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });

  it('changes nothing and removes the temp dir when the editor fails', async () => {
    const file = join(dir, 'fail.yml');
    const before = readFileSync(join(FIX, 'v11.yml'));
    writeFileSync(file, before);
    const root = tmpRoot();
    const p = editVaultFile(file, keyring, { editor: editor('fail.sh', 'echo junk >> "$1"; exit 1'), tmpRoot: root });
    await expect(p).rejects.toThrow(`the editor exited with status 1; ${file} was not changed`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports a missing editor clearly', async () => {
    const file = join(dir, 'noed.yml');
    writeFileSync(file, readFileSync(join(FIX, 'v11.yml')));
    await expect(editVaultFile(file, keyring, { editor: 'no-such-editor-xyz', tmpRoot: tmpRoot() })).rejects.toThrow(
      'cannot run the editor "no-such-editor-xyz": command not found',
    );
  });

  it('create writes a new encrypted file with the encryption id, and refuses an existing one', async () => {
    const file = join(dir, 'sub/new.yml');
    const k = new Keyring([{ id: 'prod', password: 'prod-pass' }]);
    await createVaultFile(file, k, { editor: editor('write.sh', 'printf "fresh: 1\\n" > "$1"'), tmpRoot: tmpRoot() });
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(k.decrypt(readFileSync(file, 'utf8'), file)).toBe('fresh: 1\n');
    expect(parseEnvelope(readFileSync(file)).vaultId).toBe('prod');
    await expect(createVaultFile(file, k, { editor: 'true' })).rejects.toThrow(`${file} exists`);
  });
});

describe('promptLine', () => {
  it.skipIf(process.stdin.isTTY)('refuses to ask without a terminal (skipped when the test runner has one)', async () => {
    expect(isInteractive()).toBe(false);
    await expect(promptLine('Name: ', { nonInteractiveHint: 'pass --name' })).rejects.toMatchObject({
      message: 'cannot ask "Name:": standard input is not a terminal',
      hint: 'pass --name',
    });
  });
});
