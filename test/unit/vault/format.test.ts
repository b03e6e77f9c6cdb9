// The vault format against vectors written by ansible-vault (test/fixtures/vault/README.md).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decryptVaultText,
  encryptVaultText,
  formatEnvelope,
  formatVaultYaml,
  isVaultText,
  parseEnvelope,
  VaultFormatError,
} from '../../../src/vault/format.js';

const FIX = join(import.meta.dirname, '../../fixtures/vault');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const pw = (s: string) => Buffer.from(s, 'utf8');
const MAIN = pw('correct horse battery staple');
const DEV = pw('dev-pass');
const SALT = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

describe('encryption matches ansible-vault byte for byte with the same salt', () => {
  it.each([
    ['fixed-salt-v11.vault', 'fixed plaintext\n', MAIN, undefined],
    ['fixed-salt-v12-dev.vault', 'sixteen bytes!!!', DEV, 'dev'],
    ['fixed-salt-empty.vault', '', MAIN, undefined],
  ])('%s', (file, plain, password, vaultId) => {
    expect(encryptVaultText(plain, password, { salt: SALT, vaultId })).toBe(fixture(file));
  });

  it('writes a 1.1 header for the default vault id', () => {
    expect(encryptVaultText('x', MAIN, { salt: SALT, vaultId: 'default' })).toBe(encryptVaultText('x', MAIN, { salt: SALT }));
    expect(encryptVaultText('x', MAIN, { vaultId: 'default' }).split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
  });

  it('uses a fresh random salt each time', () => {
    expect(encryptVaultText('same', MAIN)).not.toBe(encryptVaultText('same', MAIN));
  });
});

describe('decryption of files written by ansible-vault', () => {
  const plain = fixture('plain.yml');
  it.each([
    ['v11.yml', MAIN, plain],
    ['v12-dev.yml', DEV, plain],
    ['v12-prod.yml', pw('prod-pass'), 'prod only: yes\n'],
    ['fixed-salt-v11.vault', MAIN, 'fixed plaintext\n'],
    ['fixed-salt-v12-dev.vault', DEV, 'sixteen bytes!!!'],
    ['fixed-salt-empty.vault', MAIN, ''],
  ])('%s', (file, password, expected) => {
    expect(decryptVaultText(fixture(file), password)?.toString('utf8')).toBe(expected);
  });

  it('returns undefined for a wrong password', () => {
    expect(decryptVaultText(fixture('v11.yml'), pw('nope'))).toBeUndefined();
  });

  it('returns undefined when the ciphertext was tampered with (HMAC check)', () => {
    const env = parseEnvelope(fixture('fixed-salt-v11.vault'));
    const inner = Buffer.from(env.body, 'hex').toString('latin1');
    const flipped = inner.slice(0, -1) + (inner.endsWith('0') ? '1' : '0');
    const tampered = formatEnvelope(Buffer.from(flipped, 'latin1').toString('hex'));
    expect(decryptVaultText(tampered, MAIN)).toBeUndefined();
  });

  it('round-trips binary data', () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    expect(decryptVaultText(encryptVaultText(bytes, MAIN), MAIN)?.equals(bytes)).toBe(true);
  });
});

describe("accepts Ansible's variations of the envelope", () => {
  const base = fixture('fixed-salt-v11.vault');
  const lines = base.trimEnd().split('\n');
  it.each([
    ['CRLF line ends', lines.join('\r\n') + '\r\n'],
    ['upper-case hex', [lines[0], ...lines.slice(1).map((l) => l.toUpperCase())].join('\n')],
    ['no final newline', lines.join('\n')],
    ['trailing blank lines and spaces', lines.map((l) => l + '  ').join('\n') + '\n\n\n'],
    ['indented lines (from a YAML block)', [lines[0], ...lines.slice(1).map((l) => '      ' + l)].join('\n')],
    ['re-wrapped at another width', lines[0] + '\n' + lines.slice(1).join('').replace(/(.{64})/g, '$1\n')],
  ])('%s', (_name, text) => {
    expect(decryptVaultText(text, MAIN)?.toString()).toBe('fixed plaintext\n');
  });
});

describe('envelope parsing and writing', () => {
  it('reads the header fields', () => {
    expect(parseEnvelope(fixture('v12-dev.yml'))).toMatchObject({ version: '1.2', cipher: 'AES256', vaultId: 'dev' });
    expect(parseEnvelope(fixture('v11.yml'))).toMatchObject({ version: '1.1', cipher: 'AES256', vaultId: undefined });
  });

  it('wraps the body at 80 columns and ends with a newline', () => {
    const text = formatEnvelope('a'.repeat(170), 'prod');
    expect(text).toBe(`$ANSIBLE_VAULT;1.2;AES256;prod\n${'a'.repeat(80)}\n${'a'.repeat(80)}\n${'a'.repeat(10)}\n`);
  });

  it.each([
    ['not hex', '$ANSIBLE_VAULT;1.1;AES256\nzz11\n', /not hexadecimal/],
    ['odd length', '$ANSIBLE_VAULT;1.1;AES256\nabc\n', /not hexadecimal/],
    ['unknown cipher', '$ANSIBLE_VAULT;1.1;AES\n6161\n', /unsupported cipher "AES"/],
    ['short header', '$ANSIBLE_VAULT;1.1\n6161\n', /bad header/],
    ['missing parts', '$ANSIBLE_VAULT;1.1;AES256\n' + Buffer.from('00\n11').toString('hex') + '\n', /salt, HMAC and ciphertext/],
  ])('rejects malformed data: %s', (_name, text, message) => {
    expect(() => decryptVaultText(text, MAIN)).toThrow(VaultFormatError);
    expect(() => decryptVaultText(text, MAIN)).toThrow(message);
  });

  it('recognises vault text as Ansible does (header at the very start)', () => {
    expect(isVaultText('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(isVaultText(Buffer.from('$ANSIBLE_VAULT;1.2;AES256;x\n'))).toBe(true);
    expect(isVaultText('key: $ANSIBLE_VAULT')).toBe(false);
    expect(isVaultText(' $ANSIBLE_VAULT;1.1;AES256')).toBe(false);
    expect(isVaultText(Buffer.from([0xff, 0xfe]))).toBe(false);
  });
});

describe('encrypt_string output', () => {
  it('has the exact shape ansible-vault prints (10-space indent, no final newline)', () => {
    const theirs = fixture('inline-dev.txt');
    const envelope = fixture('fixed-salt-v12-dev.vault');
    const ours = formatVaultYaml(envelope, 'greeting');
    expect(ours).toBe('greeting: !vault |\n' + envelope.trimEnd().split('\n').map((l) => '          ' + l).join('\n'));
    // Same line structure as ansible-vault's own output.
    const shape = (s: string) => s.split('\n').map((l) => l.replace(/[0-9a-f]/g, 'h'));
    expect(shape(ours).slice(0, 2)).toEqual(shape(theirs).slice(0, 2));
    expect(theirs.endsWith('\n')).toBe(false);
  });

  it('omits the name when none is given', () => {
    expect(formatVaultYaml('$ANSIBLE_VAULT;1.1;AES256\n6161\n').split('\n')).toEqual(['!vault |', '          $ANSIBLE_VAULT;1.1;AES256', '          6161']);
  });
});
