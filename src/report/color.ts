// Terminal colours with Ansible's exact escape codes (utils/color.py stringc), so coloured output,
// the recap above all, is byte-identical to ansible-playbook's.

/** Ansible's colour names (constants COLOR_*) and their SGR codes. */
const CODES = {
  green: '0;32', // COLOR_OK
  yellow: '0;33', // COLOR_CHANGED
  cyan: '0;36', // COLOR_SKIP, COLOR_INCLUDED, COLOR_DIFF_LINES
  red: '0;31', // COLOR_ERROR, COLOR_DIFF_REMOVE
  brightRed: '1;31', // COLOR_UNREACHABLE
  brightPurple: '1;35', // COLOR_WARN
  blue: '0;34', // COLOR_VERBOSE
  darkGray: '1;30', // COLOR_DEBUG
} as const;

export type ColorName = keyof typeof CODES;

/**
 * Wrap each line of `text` in the colour, as Ansible's stringc does (per line, so a multi-line
 * message stays coloured in pagers); returns the text unchanged when colour is off.
 */
export function paint(text: string, color: ColorName | undefined, on: boolean): string {
  if (!on || color === undefined) return text;
  const code = CODES[color];
  return text
    .split('\n')
    .map((l) => `\x1b[${code}m${l}\x1b[0m`)
    .join('\n');
}

/** Strip SGR escapes (for widths and tests). */
export function stripColor(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
