// Argument types with Ansible's coercions: 'yes'/'no' booleans, numeric strings, comma lists, modes.

import { z } from 'zod';
import { shlexSplit } from '../../shell/shlex.js';
import { Secret } from '../../secret.js';

const TRUE_WORDS = new Set(['yes', 'on', '1', 'true', 'y', 't', '1.0']);
const FALSE_WORDS = new Set(['no', 'off', '0', 'false', 'n', 'f', '0.0']);

/** Ansible's boolean(): accepts true/false, yes/no, on/off, 1/0 (any case). */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE_WORDS.has(s)) return true;
    if (FALSE_WORDS.has(s)) return false;
  }
  return undefined;
}

export const zBool = () =>
  z.preprocess((v) => toBool(v) ?? v, z.boolean({ error: 'expected a boolean (true/false, yes/no)' }));

export const zInt = () =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z.number({ error: 'expected an integer' }).int('expected an integer'),
  );

export const zNumber = () =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)) ? Number(v) : v), z.number({ error: 'expected a number' }));

/**
 * A string; numbers are accepted and turned into strings as Ansible does for `type: str`. A Secret
 * (a vault value, or text rendered from one) is accepted as its text: its text is registered for
 * redaction, so output sinks still mask it. Arguments that must keep the Secret type (file content,
 * passwords) use zStrOrSecret.
 */
/** Python's str() of a YAML scalar, as Ansible's str type converts it (str(False) is 'False'). */
function pyScalarStr(v: number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

export const zStr = () =>
  z.preprocess(
    (v) => (typeof v === 'number' || typeof v === 'boolean' ? pyScalarStr(v) : v instanceof Secret ? v.reveal() : v),
    z.string({ error: 'expected a string' }),
  );

/** A string that may be a vault Secret (passwords, content). */
export const zStrOrSecret = () =>
  z.preprocess(
    (v) => (typeof v === 'number' || typeof v === 'boolean' ? pyScalarStr(v) : v),
    z.union([z.string(), z.instanceof(Secret)], { error: 'expected a string' }),
  );

/** A list; a comma-separated string is split (Ansible's `type: list`). */
export const zList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : typeof v === 'number' ? [String(v)] : v),
    z.array(item, { error: 'expected a list' }),
  );

/**
 * File mode: an octal string ('0644', '644'), a symbolic one ('u=rw,g=r,o='), 'preserve', or a
 * number. A YAML number is taken as Ansible takes it: 0644 parsed by YAML 1.1 is 420 and means
 * 0644; 644 written without the leading 0 is decimal 644, i.e. mode 01204 (Ansible's well-known
 * trap, kept for compatibility). Normalised to an octal string.
 */
export const zMode = () =>
  z.union([
      z
        .number()
        .int()
        .refine((n) => n >= 0 && n <= 0o7777, 'mode out of range')
        .transform((n) => '0' + n.toString(8).padStart(3, '0')),
      z
        .string()
        .refine(
          (s) => /^0?[0-7]{3,4}$/.test(s) || s === 'preserve' || /^([ugoa]*[-+=][rwxXstugo]*)(,[ugoa]*[-+=][rwxXstugo]*)*$/.test(s),
          "mode must be octal like '0644' or symbolic like 'u=rw,g=r,o='",
        ),
  ]);

/** `validate`: a command with %s where the temp file's path goes (Ansible refuses it without); copy, template and the text modules. */
export const zValidate = () =>
  zStr()
    .refine((s) => s.includes('%s'), 'validate must contain %s (replaced by the path of the file to check)')
    .refine((s) => splits(s), 'validate cannot be split into words (an unclosed quote?)');

function splits(s: string): boolean {
  try {
    shlexSplit(s);
    return true;
  } catch {
    return false;
  }
}

/** owner, group and mode: the attributes every module that writes a file accepts (Ansible's add_file_common_args). */
export const fileAttrArgs = () => ({
  mode: zMode().optional(),
  owner: zStr().optional(),
  group: zStr().optional(),
});
