// The Ansible-vault file format (1.1 and 1.2, AES256): envelope parsing and writing, encryption, decryption.
//
// Layout, as ansible/parsing/vault/__init__.py writes it:
//   $ANSIBLE_VAULT;1.1;AES256            (or $ANSIBLE_VAULT;1.2;AES256;VAULT_ID)
//   hex( hex(salt) "\n" hex(hmac) "\n" hex(ciphertext) ), wrapped at 80 columns, newline-terminated
// Keys: PBKDF2-HMAC-SHA256(password, salt, 10000 iterations) -> 80 bytes = AES key | HMAC key | CTR IV.
// Cipher: AES-256-CTR over the PKCS#7-padded plaintext; HMAC-SHA256 over the ciphertext.

import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { SamsError } from '../errors.js';

export const VAULT_MAGIC = '$ANSIBLE_VAULT';
export const VAULT_CIPHER = 'AES256';
/** Ansible's label for a secret given without one (C.DEFAULT_VAULT_IDENTITY); such data is written as 1.1. */
export const DEFAULT_VAULT_ID = 'default';

const ITERATIONS = 10000;
const KEY_LENGTH = 32;
const IV_LENGTH = 16;
const SALT_LENGTH = 32;
const BLOCK = 16;
const LINE_WIDTH = 80;

/** Malformed vault data (not a wrong password). The keyring re-raises it naming the file. */
export class VaultFormatError extends SamsError {
  constructor(readonly detail: string) {
    super(`malformed vault data: ${detail}`);
    this.name = 'VaultFormatError';
  }
}

export interface VaultEnvelope {
  /** `1.1`, `1.2` (Ansible does not check it; neither do we). */
  version: string;
  cipher: string;
  /** The vault id of a 1.2 header; undefined for 1.1. */
  vaultId?: string;
  /** The outer hex text, line breaks removed. */
  body: string;
}

/** True when the text (or bytes) starts with the vault header, as Ansible's is_encrypted(). */
export function isVaultText(data: string | Uint8Array): boolean {
  if (typeof data === 'string') return data.startsWith(VAULT_MAGIC);
  return Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, VAULT_MAGIC.length)).toString('latin1') === VAULT_MAGIC;
}

/** Split an envelope into header fields and body. Accepts CRLF, stray whitespace, blank trailing lines. */
export function parseEnvelope(data: string | Uint8Array): VaultEnvelope {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  if (!isVaultText(text)) throw new VaultFormatError('it does not start with $ANSIBLE_VAULT');
  const lines = text.split(/\r\n|\r|\n/);
  const header = lines[0]!.trim().split(';');
  if (header.length < 3) throw new VaultFormatError(`bad header "${lines[0]!.trim()}"`);
  const version = header[1]!.trim();
  const cipher = header[2]!.trim();
  const vaultId = header.length >= 4 ? header[3]!.trim() || undefined : undefined;
  // Ansible joins the lines as they are; we also drop whitespace around them (editors, YAML indentation).
  const body = lines
    .slice(1)
    .map((l) => l.trim())
    .join('');
  return { version, cipher, vaultId, body };
}

/** The envelope text for an already hexlified body: header, 80-column lines, final newline. */
export function formatEnvelope(body: string, vaultId?: string): string {
  const header =
    vaultId && vaultId !== DEFAULT_VAULT_ID ? `${VAULT_MAGIC};1.2;${VAULT_CIPHER};${vaultId}` : `${VAULT_MAGIC};1.1;${VAULT_CIPHER}`;
  const lines = [header];
  for (let i = 0; i < body.length; i += LINE_WIDTH) lines.push(body.slice(i, i + LINE_WIDTH));
  return lines.join('\n') + '\n';
}

interface DerivedKeys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  iv: Buffer;
}

function deriveKeys(password: Uint8Array, salt: Uint8Array): DerivedKeys {
  const k = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256');
  return { cipherKey: k.subarray(0, KEY_LENGTH), hmacKey: k.subarray(KEY_LENGTH, 2 * KEY_LENGTH), iv: k.subarray(2 * KEY_LENGTH) };
}

function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1]! : 0;
  if (data.length % BLOCK !== 0 || n < 1 || n > BLOCK || data.length < n) throw new VaultFormatError('invalid padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new VaultFormatError('invalid padding');
  return data.subarray(0, data.length - n);
}

/** Python's binascii.unhexlify: even length, hex digits only (either case). */
function unhexlify(hex: string, what: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new VaultFormatError(`${what} is not hexadecimal`);
  return Buffer.from(hex, 'hex');
}

export interface EncryptOptions {
  /** Written into a 1.2 header unless it is `default`. */
  vaultId?: string;
  /** Fixed salt, for reproducible test vectors only. */
  salt?: Uint8Array;
}

/** Encrypt to a complete envelope (header, wrapped body, trailing newline). */
export function encryptVaultText(plaintext: string | Uint8Array, password: Uint8Array, opts: EncryptOptions = {}): string {
  const plain = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
  const salt = opts.salt ? Buffer.from(opts.salt) : randomBytes(SALT_LENGTH);
  const { cipherKey, hmacKey, iv } = deriveKeys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(pkcs7Pad(plain)), cipher.final()]);
  const hmac = createHmac('sha256', hmacKey).update(ciphertext).digest();
  const inner = `${salt.toString('hex')}\n${hmac.toString('hex')}\n${ciphertext.toString('hex')}`;
  return formatEnvelope(Buffer.from(inner, 'latin1').toString('hex'), opts.vaultId);
}

/** The parts of a parsed body; parsing is separate so several passwords can be tried cheaply. */
export interface VaultPayload {
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

export function parsePayload(env: VaultEnvelope): VaultPayload {
  if (env.cipher !== VAULT_CIPHER) throw new VaultFormatError(`unsupported cipher "${env.cipher}" (only ${VAULT_CIPHER} is known)`);
  const inner = unhexlify(env.body, 'the body').toString('latin1');
  const parts = inner.split('\n');
  if (parts.length < 3) throw new VaultFormatError('the body does not hold salt, HMAC and ciphertext');
  const [saltHex, hmacHex] = parts;
  const ctHex = parts.slice(2).join('\n');
  return { salt: unhexlify(saltHex!, 'the salt'), hmac: unhexlify(hmacHex!, 'the HMAC'), ciphertext: unhexlify(ctHex, 'the ciphertext') };
}

/** Decrypt with one password: the plaintext, or undefined when the HMAC does not match (wrong password). */
export function decryptPayload(payload: VaultPayload, password: Uint8Array): Buffer | undefined {
  const { cipherKey, hmacKey, iv } = deriveKeys(password, payload.salt);
  const expected = createHmac('sha256', hmacKey).update(payload.ciphertext).digest();
  if (payload.hmac.length !== expected.length || !timingSafeEqual(payload.hmac, expected)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', cipherKey, iv);
  return pkcs7Unpad(Buffer.concat([decipher.update(payload.ciphertext), decipher.final()]));
}

/** Parse and decrypt an envelope with one password; undefined when the password is wrong. */
export function decryptVaultText(data: string | Uint8Array, password: Uint8Array): Buffer | undefined {
  return decryptPayload(parsePayload(parseEnvelope(data)), password);
}

/**
 * An envelope as a YAML value, exactly as `ansible-vault encrypt_string` prints it:
 * `[name: ]!vault |` then each envelope line indented by 10 spaces, no final newline.
 */
export function formatVaultYaml(envelope: string, name?: string): string {
  const lines = [`${name ? `${name}: ` : ''}!vault |`];
  for (const line of envelope.split('\n')) if (line !== '') lines.push(' '.repeat(10) + line);
  return lines.join('\n');
}
