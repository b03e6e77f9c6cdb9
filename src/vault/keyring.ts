// The vault keyring: the passwords of a run, by vault id; decrypts (trying ids as Ansible does) and encrypts.

import { SamsError } from '../errors.js';
import type { VaultKeyring } from '../load/yaml.js';
import { Masked } from '../secret.js';
import {
  DEFAULT_VAULT_ID,
  decryptPayload,
  encryptVaultText,
  isVaultText,
  parseEnvelope,
  parsePayload,
  VaultFormatError,
  type EncryptOptions,
} from './format.js';

/**
 * A vault password. Bytes (a password file need not be UTF-8); prints as the mask everywhere. Not
 * registered for redact(): it never reaches a string, and a short common password would mask words.
 */
export class VaultPassword extends Masked {
  readonly #bytes: Buffer;
  constructor(value: string | Uint8Array) {
    super();
    this.#bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  }
  /** The password bytes, for the key derivation only. */
  bytes(): Buffer {
    return this.#bytes;
  }
  equals(other: VaultPassword): boolean {
    return this.#bytes.equals(other.#bytes);
  }
}

export interface KeyringEntry {
  /** The vault id (label); `default` for a password given without one. */
  id: string;
  password: VaultPassword;
  /** Where the password came from, for messages: a file path, `prompt`, a script. Never the password. */
  source: string;
}

export interface DecryptResult {
  plaintext: Buffer;
  /** The id of the entry whose password worked. */
  id: string;
  password: VaultPassword;
  /** The vault id in the envelope's 1.2 header, if any. */
  headerId?: string;
}

export class Keyring implements VaultKeyring {
  readonly entries: readonly KeyringEntry[];
  /** The id used to encrypt: `--encrypt-vault-id`, else the first entry's. */
  readonly encryptId: string;

  constructor(entries: ReadonlyArray<{ id: string; password: VaultPassword | string | Uint8Array; source?: string }>, opts: { encryptId?: string } = {}) {
    if (entries.length === 0) throw new SamsError('a vault keyring needs at least one password');
    this.entries = entries.map((e) => ({
      id: e.id,
      password: e.password instanceof VaultPassword ? e.password : new VaultPassword(e.password),
      source: e.source ?? 'given in code',
    }));
    if (opts.encryptId !== undefined && !this.entries.some((e) => e.id === opts.encryptId)) {
      throw new SamsError(`no vault password was given for --encrypt-vault-id ${opts.encryptId}`, {
        hint: `known vault ids: ${this.ids.join(', ')}; give it with --vault-id ${opts.encryptId}@SOURCE`,
      });
    }
    this.encryptId = opts.encryptId ?? this.entries[0]!.id;
  }

  /** The distinct vault ids, in order. */
  get ids(): string[] {
    return [...new Set(this.entries.map((e) => e.id))];
  }

  isEncrypted(text: string): boolean {
    return isVaultText(text);
  }

  /** VaultKeyring: the plaintext as UTF-8 text. `where` is the file, or file:line of an inline value. */
  decrypt(envelope: string, where: string): string {
    return this.decryptBytes(envelope, where).plaintext.toString('utf8');
  }

  /**
   * Decrypt, trying the entries whose id matches the envelope's (1.2 header; `default` for 1.1) first,
   * then all others in order (Ansible with DEFAULT_VAULT_ID_MATCH off, its default).
   */
  decryptBytes(envelope: string | Uint8Array, where: string): DecryptResult {
    let payload;
    let headerId: string | undefined;
    try {
      const env = parseEnvelope(envelope);
      headerId = env.vaultId;
      payload = parsePayload(env);
    } catch (e) {
      if (e instanceof VaultFormatError) throw new SamsError(`${where} is not valid vault data: ${e.detail}`, { hint: 'the file may be truncated or edited by hand; restore it from version control' });
      throw e;
    }
    const wanted = headerId ?? DEFAULT_VAULT_ID;
    const ordered = [...this.entries.filter((e) => e.id === wanted), ...this.entries.filter((e) => e.id !== wanted)];
    for (const entry of ordered) {
      let plain: Buffer | undefined;
      try {
        plain = decryptPayload(payload, entry.password.bytes());
      } catch (e) {
        if (e instanceof VaultFormatError) throw new SamsError(`${where} is not valid vault data: ${e.detail}`);
        throw e;
      }
      if (plain) return { plaintext: plain, id: entry.id, password: entry.password, headerId };
    }
    throw new SamsError(`vault password does not match ${where}`, { hint: this.describeTried(headerId), showSource: false });
  }

  /** The entry used to encrypt (the given id, else encryptId). */
  encryptionEntry(id?: string): KeyringEntry {
    const want = id ?? this.encryptId;
    const entry = this.entries.find((e) => e.id === want);
    if (!entry) throw new SamsError(`no vault password was given for vault id ${want}`, { hint: `known vault ids: ${this.ids.join(', ')}` });
    return entry;
  }

  /** Encrypt with the encryption entry; its id goes into the header (1.2) unless it is `default` (1.1). */
  encrypt(plaintext: string | Uint8Array, opts: { vaultId?: string; salt?: EncryptOptions['salt'] } = {}): string {
    const entry = this.encryptionEntry(opts.vaultId);
    return encryptVaultText(plaintext, entry.password.bytes(), { vaultId: entry.id, salt: opts.salt });
  }

  private describeTried(headerId: string | undefined): string {
    const tried = this.entries.map((e) => (e.id === DEFAULT_VAULT_ID ? e.source : `${e.id} (${e.source})`)).join(', ');
    const missing = headerId && !this.entries.some((e) => e.id === headerId) ? `it is encrypted for vault id "${headerId}", which was not given; ` : '';
    return `${missing}tried the password${this.entries.length > 1 ? 's' : ''} from ${tried}`;
  }
}
