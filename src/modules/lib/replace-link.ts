// Putting a link where a path already is, atomically: the new link is made beside the path and
// renamed over it, so the path never goes missing (as Ansible's file module does with a temp link
// and os.rename). Used by file (state=link/hard) and by copy for links inside a directory copy.

import { pyDirname, pyJoin } from '../../python/posixpath.js';
import { raw, sh, type ShellCommand } from '../../shell/quote.js';

/** `pre` runs first (e.g. rmdir of an empty directory in the way). */
export function replaceWithLink(path: string, target: string, kind: 'symbolic' | 'hard', pre: ShellCommand = sh``): ShellCommand {
  const ln = raw(kind === 'symbolic' ? 'ln -s' : 'ln');
  return sh`${pre}t=${pyJoin(pyDirname(path) || '.', '.sams-ln.')}$$ && ${ln} -- ${target} "$t" && { mv -Tf -- "$t" ${path} || { rm -f -- "$t"; exit 1; }; }`;
}
