// What copy/template send from the control node: one content, one file, or a directory walked as
// Ansible's copy action walks it (_walk_dirs: the trailing-slash rule, local_follow), each file
// with its SHA-1/MD5; big plain files stay on disk and are streamed (LocalFile).

import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, openSync, readSync, closeSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SamsError } from '../../errors.js';
import { isVaultText } from '../../load/vars-file.js';
import { isSecret, reveal, type Secret } from '../../secret.js';
import { markVaultedBuffer, VaultedBytes } from '../../vault/vaulted-bytes.js';
import { LocalFile, type TaskEnv } from '../types.js';

/** Files larger than this are streamed from disk instead of read into memory. */
export const STREAM_ABOVE_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Path relative to the destination directory ('a/b.conf'); for a single file its basename. */
  rel: string;
  content: string | Buffer | Secret | LocalFile;
  checksum: string;
  md5: string;
  size: number;
  /** The control-node file, when the content came from one. */
  localPath?: string;
  /** Its permission bits ('0644'), for mode: preserve. */
  localMode?: string;
}

export interface SourceLink {
  rel: string;
  /** What the link points to, as written. */
  target: string;
}

export interface LocalSource {
  /** 'dir': a recursive copy (dest is always a directory). */
  kind: 'single' | 'dir';
  /** What Ansible reports as src (the full local path; a directory keeps its trailing slash). */
  label?: string;
  files: SourceFile[];
  /** Directories to create below dest (rel paths), parents first. */
  dirs: string[];
  links: SourceLink[];
}

function bytesOf(c: string | Buffer | Secret): Buffer {
  if (Buffer.isBuffer(c)) return c;
  if (c instanceof VaultedBytes) return c.bytes();
  return Buffer.from(isSecret(c) ? reveal(c) : (c as string));
}

/** A source file made from content given in the task (content:, or a rendered template). */
export function contentSource(rel: string, content: string | Buffer | Secret, localMode?: string): SourceFile {
  const b = bytesOf(content);
  return {
    rel,
    content,
    checksum: createHash('sha1').update(b).digest('hex'),
    md5: createHash('md5').update(b).digest('hex'),
    size: b.length,
    ...(localMode && { localMode }),
  };
}

function modeOf(path: string): string {
  return '0' + (statSync(path).mode & 0o7777).toString(8).padStart(3, '0');
}

async function hashStream(path: string): Promise<{ sha1: string; md5: string }> {
  const sha1 = createHash('sha1');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) {
    sha1.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { sha1: sha1.digest('hex'), md5: md5.digest('hex') };
}

function isVaultFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, 64, 0);
    return isVaultText(head.subarray(0, n).toString('latin1'));
  } finally {
    closeSync(fd);
  }
}

export interface LocalReadOptions {
  /** copy's decrypt: false sends a vaulted file as it is (still encrypted). Default true. */
  decrypt?: boolean;
}

/** One control-node file: read (vault files decrypted in memory) or, when big, left on disk to stream. */
export async function localFileSource(env: TaskEnv, path: string, rel: string, o: LocalReadOptions = {}): Promise<SourceFile> {
  const decrypt = o.decrypt ?? true;
  const st = statSync(path);
  const localMode = modeOf(path);
  if (st.size > STREAM_ABOVE_BYTES && !(decrypt && isVaultFile(path))) {
    const h = await hashStream(path);
    return { rel, content: new LocalFile(path, st.size), checksum: h.sha1, md5: h.md5, size: st.size, localPath: path, localMode };
  }
  if (!decrypt) return { ...contentSource(rel, readPlainFile(env, path)), localPath: path, localMode };
  const content = env.readLocalFile(path);
  if (content instanceof VaultedBytes && !content.isText) {
    // Binary plaintext: sent as the exact bytes (a Secret goes out as UTF-8 text), marked so that
    // --diff hides it and copy-plan masks its hashes as it does a Secret's.
    return { ...contentSource(rel, markVaultedBuffer(content.bytes())), localPath: path, localMode };
  }
  return { ...contentSource(rel, content), localPath: path, localMode };
}

function readPlainFile(env: TaskEnv, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new SamsError(`cannot read ${path} on the control node: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { loc: env.loc });
  }
}

interface Walked {
  files: { path: string; rel: string }[];
  dirs: string[];
  links: SourceLink[];
}

/**
 * Ansible's _walk_dirs: with a trailing slash the directory's contents are copied, without it the
 * directory itself (rel paths start with its name). local_follow: links to files are copied as
 * files, links to directories are walked (a link back into the tree stays a link); otherwise, and
 * for dangling links, the link itself is copied.
 */
export function walkLocalDir(top: string, trailingSlash: boolean, localFollow: boolean): Walked {
  const out: Walked = { files: [], dirs: [], links: [] };
  const base = trailingSlash ? '' : basename(top);
  const relOf = (r: string) => (base && r ? `${base}/${r}` : base || r);
  if (!localFollow && lstatSync(top).isSymbolicLink()) {
    out.links.push({ rel: basename(top), target: readlinkSync(top) });
    return out;
  }
  const ident = (p: string) => {
    const s = statSync(p);
    return `${s.dev}:${s.ino}`;
  };
  const walk = (dir: string, rel: string, parents: Set<string>) => {
    const names = readdirSync(dir).sort();
    for (const name of names) {
      const full = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const l = lstatSync(full);
      if (l.isSymbolicLink()) {
        let target: ReturnType<typeof statSync> | undefined;
        try {
          target = statSync(full);
        } catch {
          target = undefined;
        }
        if (localFollow && target?.isFile()) out.files.push({ path: realpathSync(full), rel: relOf(r) });
        else if (localFollow && target?.isDirectory()) {
          const id = ident(full);
          if (parents.has(id)) out.links.push({ rel: relOf(r), target: readlinkSync(full) });
          else {
            out.dirs.push(relOf(r));
            walk(realpathSync(full), r, new Set([...parents, id]));
          }
        } else out.links.push({ rel: relOf(r), target: readlinkSync(full) });
      } else if (l.isDirectory()) {
        out.dirs.push(relOf(r));
        walk(full, r, new Set([...parents, ident(full)]));
      } else out.files.push({ path: full, rel: relOf(r) });
    }
  };
  walk(top, '', new Set([ident(top)]));
  return out;
}

/**
 * The source of a copy with `src:` on the control node: env.findFile('files', src) (role files/,
 * playbook dir files/, absolute), a file or a directory (recursive).
 */
export async function localSource(env: TaskEnv, src: string, localFollow: boolean, o: LocalReadOptions = {}): Promise<LocalSource> {
  const trailingSlash = src.endsWith('/') && src.replace(/\/+$/, '') !== '';
  const found = env.findFile('files', trailingSlash ? src.replace(/\/+$/, '') : src);
  let isDir: boolean;
  try {
    isDir = statSync(found).isDirectory();
  } catch (e) {
    throw new SamsError(`could not find src=${src}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { loc: env.loc });
  }
  if (!isDir) {
    return { kind: 'single', label: found, files: [await localFileSource(env, found, basename(found), o)], dirs: [], links: [] };
  }
  const w = walkLocalDir(found, trailingSlash, localFollow);
  const files: SourceFile[] = [];
  for (const f of w.files) files.push(await localFileSource(env, f.path, f.rel, o));
  return { kind: 'dir', label: trailingSlash ? `${found}/` : found, files, dirs: w.dirs, links: w.links };
}
