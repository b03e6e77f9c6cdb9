// Hash filters: hash/md5/sha1/checksum and password_hash (crypt(3) strings as Ansible makes them
// with passlib: $6$rounds=656000$salt$..., $5$..., $1$...).

import { createHash, getHashes, randomInt } from 'node:crypto';
import { encrypt as unixCrypt } from 'unixcrypt';
import { defineFilter } from '../registry.js';
import { TemplateFault } from '../fault.js';
import { num } from '../py-types.js';
import { str } from './util.js';

const HASH_NAMES: Record<string, string> = {
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
};

export function hexDigest(data: string, type: string): string {
  const name = HASH_NAMES[type] ?? type;
  if (!getHashes().includes(name)) throw new TemplateFault(`unsupported hash type ${type}`);
  return createHash(name).update(Buffer.from(data, 'utf8')).digest('hex');
}

defineFilter('hash', ['data', 'hashtype'], (data: unknown, type: unknown = 'sha1') => hexDigest(str(data), str(type)));
defineFilter('md5', ['data'], (data: unknown) => hexDigest(str(data), 'md5'));
defineFilter(['sha1', 'checksum'], ['data'], (data: unknown) => hexDigest(str(data), 'sha1'));

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

interface Algo {
  id: string;
  saltSize: number;
  implicitRounds: number | null;
}
const ALGOS: Record<string, Algo> = {
  md5_crypt: { id: '1', saltSize: 8, implicitRounds: null },
  sha256_crypt: { id: '5', saltSize: 16, implicitRounds: 535000 },
  sha512_crypt: { id: '6', saltSize: 16, implicitRounds: 656000 },
};
const ALIASES: Record<string, string> = { md5: 'md5_crypt', blowfish: 'bcrypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt' };

export function randomSalt(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return s;
}

function to64(v: number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[v & 0x3f];
    v >>>= 6;
  }
  return out;
}

/** The FreeBSD/glibc MD5-crypt ($1$) algorithm. */
export function md5Crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const magic = Buffer.from('$1$');
  const md5 = () => createHash('md5');
  let final = md5().update(pw).update(s).update(pw).digest();
  const ctx = md5().update(pw).update(magic).update(s);
  for (let pl = pw.length; pl > 0; pl -= 16) ctx.update(final.subarray(0, Math.min(pl, 16)));
  for (let i = pw.length; i; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  final = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = md5();
    c.update(i & 1 ? pw : final);
    if (i % 3) c.update(s);
    if (i % 7) c.update(pw);
    c.update(i & 1 ? final : pw);
    final = c.digest();
  }
  const f = final;
  const out =
    to64((f[0]! << 16) | (f[6]! << 8) | f[12]!, 4) +
    to64((f[1]! << 16) | (f[7]! << 8) | f[13]!, 4) +
    to64((f[2]! << 16) | (f[8]! << 8) | f[14]!, 4) +
    to64((f[3]! << 16) | (f[9]! << 8) | f[15]!, 4) +
    to64((f[4]! << 16) | (f[10]! << 8) | f[5]!, 4) +
    to64(f[11]!, 2);
  return `$1$${salt.slice(0, 8)}$${out}`;
}

// SHA-crypt with 656000 rounds takes seconds in JavaScript; the same password, salt and rounds
// (the usual case: a fixed salt, for idempotency) are hashed once per run.
const memo = new Map<string, string>();

/**
 * Ansible's password_hash as ansible-core 2.14 computes it with passlib (which Debian's package
 * recommends and installs): sha256/sha512 default to 535000/656000 rounds, written into the hash
 * (`$6$rounds=656000$salt$...`), so hashes made by Ansible and by sams are identical.
 */
export function passwordHash(password: string, hashtype = 'sha512', salt?: string | null, saltSize?: number | null, rounds?: number | null): string {
  const name = ALIASES[hashtype] ?? hashtype;
  const algo = ALGOS[name];
  if (!algo) throw new TemplateFault(`passlib does not support '${name}' algorithm`, { hint: 'sams supports sha512, sha256 and md5 password hashes' });
  const s = salt || randomSalt(saltSize || algo.saltSize);
  if (/[^./0-9A-Za-z]/.test(s) || s.length > algo.saltSize) {
    throw new TemplateFault(`Could not hash the secret: invalid salt (up to ${algo.saltSize} characters from [./0-9A-Za-z])`);
  }
  if (algo.id === '1') return md5Crypt(password, s);
  const r = rounds || algo.implicitRounds!;
  if (r < 1000 || r > 999999999) throw new TemplateFault('Could not hash the secret: rounds must be between 1000 and 999999999');
  const setting = `$${algo.id}${r === 5000 ? '' : `$rounds=${r}`}$${s}`;
  const key = createHash('sha256').update(`${setting}\0${password}`).digest('hex');
  let out = memo.get(key);
  if (!out) {
    out = unixCrypt(password, setting);
    if (memo.size > 1000) memo.clear();
    memo.set(key, out);
  }
  return out;
}

defineFilter(
  'password_hash',
  ['password', 'hashtype', 'salt', 'salt_size', 'rounds', 'ident'],
  (password: unknown, hashtype: unknown = 'sha512', salt: unknown = null, saltSize: unknown = null, rounds: unknown = null) =>
    passwordHash(
      str(password),
      str(hashtype),
      salt === null || salt === undefined ? null : str(salt),
      saltSize === null || saltSize === undefined ? null : num(saltSize),
      rounds === null || rounds === undefined ? null : num(rounds),
    ),
);
