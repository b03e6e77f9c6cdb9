// Python's posixpath (os.path on the hosts Ansible manages and on its control node): join,
// dirname, basename, splitext and normpath. Unlike node's path.posix they keep Python's quirks:
// dirname('x') is '', join('/a', '/b') is '/b', and only normpath normalises.

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

/** [root, ext]: the extension starts at the last dot of the last component, unless only dots lead to it. */
export function pySplitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  if (dot > sep) {
    let i = sep + 1;
    while (i < dot && p[i] === '.') i++;
    if (i < dot) return [p.slice(0, dot), p.slice(dot)];
  }
  return [p, ''];
}

export function pyNormpath(p: string): string {
  if (p === '') return '.';
  // POSIX keeps exactly two leading slashes (implementation-defined), collapses three or more.
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..')) out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const s = '/'.repeat(initial) + out.join('/');
  return s || '.';
}

/** Every proper ancestor of a path, outermost first ('/a/b/c' -> ['/a', '/a/b']; 'a/b' -> ['a']): the directories a file module may have to create. */
export function ancestors(p: string): string[] {
  const abs = p.startsWith('/');
  const parts = p.split('/').filter((s) => s !== '');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push((abs ? '/' : '') + parts.slice(0, i).join('/'));
  return out;
}
