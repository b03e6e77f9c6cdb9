// Python's glob.glob (not recursive): every path component with a wildcard is matched with
// Python's fnmatch, and a wildcard does not match a name starting with '.' unless the pattern
// component starts with '.' too. What Ansible's fileglob filter and lookup (and with_fileglob) use.
// Results are sorted (Python gives directory order, which the file system decides).

import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyFnmatch } from './fnmatch.js';
import { pyBasename, pyDirname, pyJoin } from './posixpath.js';

const MAGIC = /[*?[]/;

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listdir(dir: string, dirsOnly: boolean): string[] {
  try {
    return readdirSync(dir || '.', { withFileTypes: true })
      .filter((e) => !dirsOnly || e.isDirectory() || (e.isSymbolicLink() && isDir(pyJoin(dir || '.', e.name))))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** _glob1: the names in `dir` that `pattern` matches. */
function glob1(dir: string, pattern: string, dirsOnly: boolean): string[] {
  let names = listdir(dir, dirsOnly);
  if (!pattern.startsWith('.')) names = names.filter((n) => !n.startsWith('.'));
  return names.filter((n) => pyFnmatch(n, pattern));
}

/** _glob0: the literal name, if it is there. */
function glob0(dir: string, name: string, dirsOnly: boolean): string[] {
  if (name) return lexists(pyJoin(dir || '.', name)) && (!dirsOnly || isDir(pyJoin(dir || '.', name))) ? [name] : [];
  return isDir(dir || '.') ? [name] : [];
}

function iglob(pathname: string, dirsOnly: boolean): string[] {
  const dirname = pyDirname(pathname);
  const basename = pyBasename(pathname);
  if (!MAGIC.test(pathname)) {
    if (basename) return lexists(pathname) && (!dirsOnly || isDir(pathname)) ? [pathname] : [];
    return isDir(dirname) ? [pathname] : [];
  }
  if (!dirname) return glob1('', basename, dirsOnly);
  const dirs = dirname !== pathname && MAGIC.test(dirname) ? iglob(dirname, true) : [dirname];
  const inDir = MAGIC.test(basename) ? glob1 : glob0;
  return dirs.flatMap((d) => inDir(d, basename, dirsOnly).map((n) => pyJoin(d, n)));
}

/** glob.glob(pathname), sorted; relative patterns are read from the current directory. */
export function pyGlob(pathname: string): string[] {
  return iglob(pathname, false).sort();
}
