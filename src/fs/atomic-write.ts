// Atomic file replacement: write a temp file beside the target, fix its mode, rename over the target.

import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SamsError } from '../errors.js';

/**
 * Replace `path` with `data` so readers see the old or the new content, never a mix. An existing
 * file keeps its mode (and owner, when running as root); a new one gets `newFileMode` (0600: vault
 * files and decrypted secrets are private, as ansible-vault writes them). A symlink is followed, so
 * the file it points to is replaced and the link stays.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { newFileMode?: number } = {}): void {
  let target = path;
  let mode = opts.newFileMode ?? 0o600;
  let owner: { uid: number; gid: number } | undefined;
  try {
    target = realpathSync(path);
    const st = statSync(target);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(path, e);
  }
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.sams-tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw writeError(path, e);
  }
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
      fchmodSync(fd, mode);
      if (owner && process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw writeError(path, e);
  }
}

function writeError(path: string, e: unknown): SamsError {
  const code = (e as NodeJS.ErrnoException).code;
  const what = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'its directory does not exist' : code === 'ENOSPC' ? 'no space left on the device' : (code ?? String(e));
  return new SamsError(`cannot write ${path}: ${what}`, { cause: e });
}
