// Reading a vars file (group_vars, host_vars, vars_files, role vars/defaults, -e @file):
// YAML or JSON, whole-file vault encryption included.

import { SamsError, type SourceLoc } from '../errors.js';
import { parseYaml, readTextFile, rememberSource, type VaultKeyring, locOf } from './yaml.js';

const VAULT_HEADER = /^\$ANSIBLE_VAULT;/;

export interface VarsFileOptions {
  keyring?: VaultKeyring;
  /** Where the file was named (vars_files entry), for errors. */
  loc?: SourceLoc;
  /** An empty file is {} (default) or an error. */
  allowEmpty?: boolean;
}

/** True when a file's text is an Ansible vault envelope. */
export function isVaultText(text: string): boolean {
  return VAULT_HEADER.test(text);
}

/** Parse a file's text, decrypting it first when it is a vault envelope. Returns the document. */
export function parseMaybeVaulted(text: string, file: string, keyring: VaultKeyring | undefined, loc?: SourceLoc): unknown {
  if (!isVaultText(text)) return parseYaml(text, file, { keyring });
  if (!keyring)
    throw new SamsError(`${file} is vault-encrypted and no vault password was given`, {
      loc,
      hint: 'pass --vault-password-file FILE or --ask-vault-pass, or set vault_password_file in sams.yml',
    });
  const plain = keyring.decrypt(text, file);
  // The decrypted text is kept for error positions but never shown (showSource false in errors).
  rememberSource(file, plain);
  return parseYaml(plain, file, { keyring, secret: true });
}

/** Read a vars file into a mapping. A file whose top level is not a mapping is a user error. */
export function readVarsFile(file: string, opts: VarsFileOptions = {}): Record<string, unknown> {
  const text = readTextFile(file, opts.loc);
  const doc = parseMaybeVaulted(text, file, opts.keyring, opts.loc);
  if (doc === null || doc === undefined) {
    if (opts.allowEmpty === false) throw new SamsError(`${file} is empty`, { loc: opts.loc, hint: 'add "name: value" lines to the file, or remove it from the list' });
    return {};
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SamsError(`${file} must contain a mapping of variable names to values, found ${Array.isArray(doc) ? 'a list' : typeof doc}`, {
      loc: locOf(doc) ?? { file, line: 1, col: 1 },
      hint: 'write it as  name: value  lines',
    });
  }
  return doc as Record<string, unknown>;
}
