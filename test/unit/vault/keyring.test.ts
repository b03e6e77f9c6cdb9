// The keyring: several vault ids, Ansible's order of trying them, errors that never show content.

import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { parseYaml, VaultedText } from '../../../src/load/yaml.js';
import { readVarsFile } from '../../../src/load/vars-file.js';
import { isSecret } from '../../../src/secret.js';
import { Keyring, VaultPassword } from '../../../src/vault/keyring.js';
import { decryptVaultText, parseEnvelope } from '../../../src/vault/format.js';

const FIX = join(import.meta.dirname, '../../fixtures/vault');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const PLAIN = fixture('plain.yml');
const MAIN = 'correct horse battery staple';

function thrown(fn: () => unknown): SamsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SamsError) return e;
    throw e;
  }
  throw new Error('expected a SamsError');
}

describe('decrypting with several vault ids', () => {
  const keyring = new Keyring([
    { id: 'default', password: MAIN, source: 'main.txt' },
    { id: 'dev', password: 'dev-pass', source: 'dev.txt' },
    { id: 'prod', password: 'prod-pass', source: 'prod.txt' },
  ]);

  it.each([
    ['v11.yml', 'default', PLAIN],
    ['v12-dev.yml', 'dev', PLAIN],
    ['v12-prod.yml', 'prod', 'prod only: yes\n'],
  ])('%s opens with the %s password', (file, id, plain) => {
    const r = keyring.decryptBytes(fixture(file), file);
    expect(r.id).toBe(id);
    expect(r.plaintext.toString()).toBe(plain);
    expect(keyring.decrypt(fixture(file), file)).toBe(plain);
  });

  it('tries the id named in a 1.2 header before the others', () => {
    // Both entries hold the right password; the one labelled like the header must be the one used.
    const k = new Keyring([
      { id: 'other', password: 'dev-pass' },
      { id: 'dev', password: 'dev-pass' },
    ]);
    expect(k.decryptBytes(fixture('v12-dev.yml'), 'f').id).toBe('dev');
  });

  it('tries the default id first for a 1.1 file', () => {
    const k = new Keyring([
      { id: 'x', password: MAIN },
      { id: 'default', password: MAIN },
    ]);
    expect(k.decryptBytes(fixture('v11.yml'), 'f').id).toBe('default');
  });

  it('falls back to the other ids when the header names none it has (Ansible does not enforce the match)', () => {
    const k = new Keyring([
      { id: 'staging', password: 'nope' },
      { id: 'whatever', password: 'dev-pass' },
    ]);
    const r = k.decryptBytes(fixture('v12-dev.yml'), 'f');
    expect(r.id).toBe('whatever');
    expect(r.headerId).toBe('dev');
  });
});

describe('a wrong password', () => {
  const keyring = new Keyring([
    { id: 'default', password: 'wrong-one', source: '/etc/sams/vault-pass' },
    { id: 'staging', password: 'wrong-two', source: 'the prompt' },
  ]);

  it('says the password does not match the file and names the sources tried', () => {
    const e = thrown(() => keyring.decrypt(fixture('v11.yml'), 'group_vars/all/vault.yml'));
    expect(e.message).toBe('vault password does not match group_vars/all/vault.yml');
    expect(e.hint).toBe('tried the passwords from /etc/sams/vault-pass, staging (the prompt)');
  });

  it('names file:line for an inline value, and the missing vault id', () => {
    const e = thrown(() => keyring.decrypt(fixture('v12-dev.yml'), 'play.yml:12'));
    expect(e.message).toBe('vault password does not match play.yml:12');
    expect(e.hint).toMatch(/^it is encrypted for vault id "dev", which was not given; tried/);
  });

  it('never shows the content or the passwords', () => {
    const e = thrown(() => keyring.decrypt(fixture('v11.yml'), 'f.yml'));
    const text = `${e.message}\n${e.hint}`;
    expect(text).not.toMatch(/s3cr3t|wrong-one|wrong-two|ANSIBLE_VAULT|[0-9a-f]{40}/);
    expect(e.showSource).toBe(false);
  });

  it('reports malformed data as such, naming the file', () => {
    const e = thrown(() => keyring.decrypt('$ANSIBLE_VAULT;1.1;AES256\nnothex\n', 'broken.yml'));
    expect(e.message).toBe('broken.yml is not valid vault data: the body is not hexadecimal');
  });
});

describe('encrypting', () => {
  it('uses the first id by default, writing 1.1 for default', () => {
    const k = new Keyring([
      { id: 'default', password: MAIN },
      { id: 'dev', password: 'dev-pass' },
    ]);
    const out = k.encrypt('v');
    expect(parseEnvelope(out).vaultId).toBeUndefined();
    expect(decryptVaultText(out, Buffer.from(MAIN))?.toString()).toBe('v');
  });

  it('uses --encrypt-vault-id when given, writing a 1.2 header', () => {
    const k = new Keyring(
      [
        { id: 'default', password: MAIN },
        { id: 'dev', password: 'dev-pass' },
      ],
      { encryptId: 'dev' },
    );
    const out = k.encrypt('v');
    expect(out.startsWith('$ANSIBLE_VAULT;1.2;AES256;dev\n')).toBe(true);
    expect(decryptVaultText(out, Buffer.from('dev-pass'))?.toString()).toBe('v');
  });

  it('rejects an --encrypt-vault-id that no password was given for', () => {
    const e = thrown(() => new Keyring([{ id: 'dev', password: 'x' }], { encryptId: 'prod' }));
    expect(e.message).toBe('no vault password was given for --encrypt-vault-id prod');
    expect(e.hint).toMatch(/known vault ids: dev/);
  });
});

describe('passwords stay out of output', () => {
  it('prints as the mask in every form', () => {
    const p = new VaultPassword('hunter2-long');
    expect(String(p)).toBe('********');
    expect(JSON.stringify({ p })).toBe('{"p":"********"}');
    expect(inspect(p)).toBe('********');
    const k = new Keyring([{ id: 'default', password: p, source: 's' }]);
    expect(inspect(k, { depth: 5 })).not.toContain('hunter2');
    expect(JSON.stringify(k)).not.toContain('hunter2');
  });
});

describe('the loaders use it through VaultKeyring', () => {
  const keyring = new Keyring([{ id: 'dev', password: 'dev-pass', source: 'dev.txt' }]);

  it('decrypts an inline !vault value written by ansible-vault encrypt_string', () => {
    const doc = parseYaml(fixture('inline-dev.txt'), 'inline.yml', { keyring }) as Record<string, unknown>;
    const v = doc.greeting;
    expect(v).toBeInstanceOf(VaultedText);
    const secret = (v as VaultedText).get();
    expect(isSecret(secret)).toBe(true);
    expect(secret.reveal()).toBe('héllo wörld');
  });

  it('reports a wrong password for an inline value at file:line', () => {
    const wrong = new Keyring([{ id: 'dev', password: 'nope', source: 'dev.txt' }]);
    const doc = parseYaml('a: 1\n' + fixture('inline-dev.txt'), '/p/play.yml', { keyring: wrong }) as Record<string, unknown>;
    const e = thrown(() => (doc.greeting as VaultedText).get());
    expect(e.message).toBe('vault password does not match /p/play.yml:2');
  });

  it('reads a whole-file vaulted vars file', () => {
    const k = new Keyring([{ id: 'default', password: MAIN }]);
    const vars = readVarsFile(join(FIX, 'v11.yml'), { keyring: k });
    expect(Object.keys(vars)).toEqual(['db_password', 'api_key', 'list']);
    expect(isSecret(vars.db_password)).toBe(true);
    expect((vars.db_password as { reveal(): string }).reveal()).toBe('s3cr3t');
  });

  it('isEncrypted recognises envelopes', () => {
    expect(keyring.isEncrypted(fixture('v11.yml'))).toBe(true);
    expect(keyring.isEncrypted(PLAIN)).toBe(false);
  });
});
