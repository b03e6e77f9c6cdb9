// Word splitting for ansible_ssh_common_args, ssh config values and become flags: Python's
// shlex.split (as Ansible uses), with a malformed text reported as a user error.

import { SamsError } from '../errors.js';
import { ShlexError, shlexSplit } from '../shell/shlex.js';

export function splitShellWords(text: string): string[] {
  try {
    return shlexSplit(text);
  } catch (e) {
    if (e instanceof ShlexError) throw new SamsError(`cannot split '${text}' into words: ${e.message}`);
    throw e;
  }
}
