// A vault-encrypted control-node file once decrypted: a Secret (its text, for templates and vars
// files) that keeps the exact plaintext bytes, so a binary file reaches the host unchanged.

import type { VaultKeyring } from '../load/yaml.js';
import { Secret } from '../secret.js';
import { Keyring } from './keyring.js';

/** The plaintext of a whole vaulted file as bytes (a keyring that only decrypts to text: its UTF-8). */
export function decryptFileBytes(keyring: VaultKeyring, data: Buffer, where: string): Buffer {
  if (keyring instanceof Keyring) return keyring.decryptBytes(data, where).plaintext;
  return Buffer.from(keyring.decrypt(data.toString('utf8'), where), 'utf8');
}

/**
 * Prints as the mask like every Secret. reveal() is the UTF-8 text (what templates and vars files
 * read); bytes() the plaintext as it was encrypted. A text file is redacted as any vault value is
 * (whole and line by line); a binary one is not text and has nothing to redact by value.
 */
export class VaultedBytes extends Secret {
  readonly #bytes: Buffer;
  /** True when the bytes are valid UTF-8 (reveal() gives them back exactly). */
  readonly isText: boolean;
  constructor(bytes: Buffer) {
    const text = bytes.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(bytes);
    super(isText ? text : '', isText);
    this.#bytes = bytes;
    this.isText = isText;
  }
  override reveal(): string {
    return this.isText ? super.reveal() : this.#bytes.toString('utf8');
  }
  bytes(): Buffer {
    return this.#bytes;
  }
}

/**
 * Plaintext bytes of a vaulted binary file, as sent to a host. They stay a plain Buffer (the
 * transport writes a Secret as UTF-8 text, which would corrupt them); this mark lets the --diff
 * code hide them as it hides a Secret.
 */
const vaultedBuffers = new WeakSet<Buffer>();

export function markVaultedBuffer(b: Buffer): Buffer {
  vaultedBuffers.add(b);
  return b;
}

export function isVaultedBuffer(v: unknown): boolean {
  return Buffer.isBuffer(v) && vaultedBuffers.has(v);
}
