// Builds the /bin/sh script for one exec: secret env read from stdin, env, cwd, and the sudo/su wrapper.

import { randomBytes } from 'node:crypto';
import { SamsError } from '../errors.js';
import { Secret, reveal } from '../secret.js';
import { quote } from '../shell/quote.js';
import { splitShellWords } from './shell-words.js';
import type { BecomeSpec, ExecOptions } from './types.js';

/** How the runner gets through sudo/su: answer the prompt on stderr, then wait for the marker on stdout. */
export interface BecomeHandshake {
  method: 'sudo' | 'su';
  user: string;
  /** Revealed password, written to stdin once when the prompt shows; undefined: a prompt is an error. */
  password?: string;
  /** Counts the password prompts seen in the stderr text so far. */
  countPrompts(stderr: string): number;
  /** Removes the prompts from the stderr written before the marker. */
  stripPrompts(stderr: string): string;
  /** sudo's -p prompt (unique per command). */
  prompt?: string;
  /** Echoed by the wrapped shell once the privilege change worked; stdin is held back until then. */
  marker: string;
}

export interface ExecPlan {
  /** The script for `/bin/sh -c`. */
  script: string;
  /** Lines the inner shell reads (and evals) before running the command: the secret env values. */
  preamble?: Buffer;
  /** Present when stdin must wait for sudo/su to accept (password or prompt possible). */
  handshake?: BecomeHandshake;
  /** sudo -n without a marker: a "password is required" failure is recognised from stderr. */
  become?: BecomeSpec;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The command runs as `/bin/sh -c SCRIPT`. Environment values are exported in the script; Secret
 * values are not put in the script (it is visible in `ps`) but sent first on stdin as `export`
 * lines the shell reads with the `read` builtin (byte by byte, so the payload after them is
 * untouched) and evals. With become, stdin is held back until sudo/su has been answered.
 */
export function buildExecPlan(command: string, opts: ExecOptions, becomePassword?: string | Secret): ExecPlan {
  const become = opts.become;
  const password = become ? (become.password ?? becomePassword) : undefined;
  const handshake = become ? makeHandshake(become, password) : undefined;

  const lines: string[] = [];
  if (handshake) lines.push(`echo ${handshake.marker}`);
  let preamble: Buffer | undefined;
  const plainEnv: string[] = [];
  let secretText = '';
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new SamsError(`invalid environment variable name '${k}'`, { hint: 'names are letters, digits and _' });
    if (v instanceof Secret) secretText += `export ${k}=${quote(v.reveal())}\n`;
    else plainEnv.push(`${k}=${quote(String(v))}`);
  }
  if (secretText) {
    const count = secretText.split('\n').length - 1;
    preamble = Buffer.from(secretText);
    lines.push(
      `__sams_n=0 __sams_e=`,
      `while [ "$__sams_n" -lt ${count} ] && IFS= read -r __sams_l; do __sams_e="$__sams_e$__sams_l`,
      `"; __sams_n=$((__sams_n+1)); done`,
      `eval "$__sams_e"; unset __sams_n __sams_e __sams_l`,
    );
  }
  if (plainEnv.length) lines.push(`export ${plainEnv.join(' ')}`);
  if (opts.cwd !== undefined) lines.push(`cd ${quote(opts.cwd)} || exit 1`);
  lines.push(command);
  const inner = lines.join('\n');

  if (!become) return { script: inner, ...(preamble && { preamble }) };
  const script = wrapBecome(inner, become, password !== undefined, handshake);
  return { script, ...(preamble && { preamble }), ...(handshake && { handshake }), become };
}

function wrapBecome(inner: string, become: BecomeSpec, hasPassword: boolean, handshake: BecomeHandshake | undefined): string {
  if (become.method === 'sudo') {
    const flags = sudoFlags(become.flags, hasPassword);
    const prompt = handshake?.prompt !== undefined ? ['-p', handshake.prompt] : [];
    return ['exec', quote(become.exe ?? 'sudo'), ...flags.map(quote), ...prompt.map(quote), '-u', quote(become.user), '/bin/sh -c', quote(inner)].join(' ');
  }
  const flags = become.flags ? splitShellWords(become.flags) : [];
  // su runs the string with the target user's login shell; it starts our /bin/sh from there.
  return ['exec', quote(become.exe ?? 'su'), ...flags.map(quote), quote(become.user), '-c', quote(`/bin/sh -c ${quote(inner)}`)].join(' ');
}

/** Ansible's sudo plugin: default -H -S -n; with a password, -n is dropped (also from clusters like -Sn). */
function sudoFlags(flags: string | undefined, hasPassword: boolean): string[] {
  const words = splitShellWords(flags ?? '-H -S -n');
  if (!hasPassword) return words;
  return words
    .filter((w) => w !== '-n' && w !== '--non-interactive')
    .map((w) => (w.startsWith('--') ? w : w.replace(/^(-\w*)n(\w*.*)$/, '$1$2')));
}

function isNonInteractive(words: string[]): boolean {
  return words.some((w) => w === '--non-interactive' || /^-[A-Za-z]*n[A-Za-z]*$/.test(w));
}

/** su's prompt, as Ansible's su plugin recognises it (English and common translations). */
const SU_PROMPT = /[^\n]*?(?:[Pp]assword|[Pp]asswort|[Mm]ot de passe|[Cc]ontraseña|[Ss]enha|[Pp]arola|[Ww]achtwoord|[Hh]asło|Пароль|密码|密碼|パスワード|암호)[^\n:：]*[:：] ?/g;

function makeHandshake(become: BecomeSpec, password: string | Secret | undefined): BecomeHandshake | undefined {
  const id = randomBytes(8).toString('hex');
  const marker = `SAMS-BECOME-OK-${id}`;
  const pw = password === undefined ? undefined : reveal(password);
  if (become.method === 'sudo') {
    // sudo -n never prompts and passes stdin straight through: no handshake needed.
    if (pw === undefined && isNonInteractive(splitShellWords(become.flags ?? '-H -S -n'))) return undefined;
    const prompt = `[sams-sudo:${id}] `;
    return {
      method: 'sudo',
      user: become.user,
      ...(pw !== undefined && { password: pw }),
      marker,
      prompt,
      countPrompts: (stderr) => stderr.split(prompt).length - 1,
      stripPrompts: (stderr) => stderr.split(prompt).join(''),
    };
  }
  return {
    method: 'su',
    user: become.user,
    ...(pw !== undefined && { password: pw }),
    marker,
    countPrompts: (stderr) => stderr.match(SU_PROMPT)?.length ?? 0,
    stripPrompts: (stderr) => stderr.replace(SU_PROMPT, ''),
  };
}
