// Python's os.path.join / dirname / basename on POSIX paths, which Ansible's file modules use
// (unlike node's path.posix they do not normalise: dirname('x') is '' and join('/a', '/b') is '/b').

export function pyJoin(a: string, ...rest: string[]): string {
  let out = a;
  for (const b of rest) {
    if (b.startsWith('/')) out = b;
    else if (out === '' || out.endsWith('/')) out += b;
    else out += `/${b}`;
  }
  return out;
}

export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

export function pyBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Every proper ancestor of a path, outermost first ('/a/b/c' -> ['/a', '/a/b']; 'a/b' -> ['a']). */
export function ancestors(p: string): string[] {
  const abs = p.startsWith('/');
  const parts = p.split('/').filter((s) => s !== '');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push((abs ? '/' : '') + parts.slice(0, i).join('/'));
  return out;
}
