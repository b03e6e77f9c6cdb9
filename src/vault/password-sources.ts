// Where vault passwords come from (files, scripts, client scripts, the terminal) and building the run's keyring.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { SamsError } from '../errors.js';
import { isInteractive, promptLine } from '../cli/prompt.js';
import { DEFAULT_VAULT_ID, isVaultText } from './format.js';
import { Keyring, VaultPassword, type KeyringEntry } from './keyring.js';

/** One `--vault-id` value: `label@source` or a bare source (label `default`). */
export interface VaultIdSpec {
  label: string;
  /** A file or executable path, or `prompt`. */
  source: string;
}

/** Internal source for `--ask-vault-pass`: prompts with Ansible's older wording ("Vault password: "). */
const ASK_VAULT_PASS = 'prompt_ask_vault_pass';

/** Split `label@source` at the first `@`, as Ansible's CLI.split_vault_id. */
export function parseVaultId(spec: string): VaultIdSpec {
  const at = spec.indexOf('@');
  const label = at < 0 ? DEFAULT_VAULT_ID : spec.slice(0, at);
  const source = at < 0 ? spec : spec.slice(at + 1);
  if (label.includes(';'))
    throw new SamsError(`"${spec}" is not a valid vault id: the character ";" is not allowed in vault ids`);
  if (label === '') throw new SamsError(`"${spec}" is not a valid vault id: the label before @ is empty`, { hint: 'write LABEL@SOURCE, e.g. prod@~/.vault-prod' });
  if (source === '') throw new SamsError(`"${spec}" is not a valid vault id: no password source after @`, { hint: 'the source is a password file, an executable script, or "prompt"' });
  return { label, source };
}

export interface LoadKeyringOptions {
  /** `label@source` or `source` items: --vault-id, then Settings.vaultIds (settings file, environment). */
  vaultIds: string[];
  /** --vault-password-file values (label `default`). */
  vaultPasswordFiles?: string[];
  /** --ask-vault-pass: ask on the terminal. */
  askVaultPass?: boolean;
  /** Relative sources are resolved here; default the current directory. */
  cwd?: string;
  /** --encrypt-vault-id: must name a loaded id. */
  encryptVaultId?: string;
  /** The password is a new one (create, encrypt, rekey's target): prompts ask twice. */
  newPassword?: boolean;
  /** With no source at all, ask on the terminal when there is one (ansible-vault does; playbook runs do not). */
  autoPrompt?: boolean;
  /** Where a source that failed while others worked is reported (Ansible warns and goes on). */
  warn?: (message: string) => void;
}

/**
 * Read every password source into a keyring; undefined when none is given (loaders then fail only
 * when they meet encrypted data). As Ansible: a password file or script that fails is a warning
 * when another source works, and an error when none does; a prompt that fails is an error.
 */
export async function loadKeyring(opts: LoadKeyringOptions): Promise<Keyring | undefined> {
  const cwd = opts.cwd ?? process.cwd();
  const specs: VaultIdSpec[] = opts.vaultIds.map(parseVaultId);
  for (const f of opts.vaultPasswordFiles ?? []) specs.push({ label: DEFAULT_VAULT_ID, source: f });
  if (opts.askVaultPass || (specs.length === 0 && opts.autoPrompt && isInteractive())) specs.push({ label: DEFAULT_VAULT_ID, source: ASK_VAULT_PASS });
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`sams: warning: ${m}\n`));

  const entries: KeyringEntry[] = [];
  const seen = new Set<string>();
  let lastError: SamsError | undefined;
  for (const spec of specs) {
    const isPrompt = spec.source === 'prompt' || spec.source === ASK_VAULT_PASS;
    const path = isPrompt ? spec.source : expandPath(spec.source, cwd);
    const key = `${spec.label}@${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (isPrompt) {
      const password = await promptPassword(spec, opts.newPassword ?? false);
      entries.push({ id: spec.label, password, source: spec.source === 'prompt' ? 'the prompt' : 'the --ask-vault-pass prompt' });
      continue;
    }
    try {
      const { password, source } = await readPasswordFile(path, spec.label, entries);
      entries.push({ id: spec.label, password, source });
    } catch (e) {
      if (!(e instanceof SamsError)) throw e;
      lastError = e;
      warn(e.message);
    }
  }
  if (entries.length === 0) {
    if (lastError) throw lastError;
    return undefined;
  }
  return new Keyring(entries, { encryptId: opts.encryptVaultId });
}

function expandPath(p: string, cwd: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(process.env.HOME ?? homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(cwd, p);
}

const NO_TTY_HINT = 'give the password with --vault-password-file FILE or --vault-id LABEL@FILE (a file, or a script printing it)';

async function promptPassword(spec: VaultIdSpec, isNew: boolean): Promise<VaultPassword> {
  const ask = spec.source === ASK_VAULT_PASS;
  const questions = isNew
    ? ask
      ? ['New Vault password: ', 'Confirm New Vault password: ']
      : [`New vault password (${spec.label}): `, `Confirm new vault password (${spec.label}): `]
    : [ask ? 'Vault password: ' : `Vault password (${spec.label}): `];
  const answers: string[] = [];
  for (const q of questions) {
    // Ansible strips what was typed.
    const a = (await promptLine(q, { hidden: true, nonInteractiveHint: NO_TTY_HINT })).trim();
    if (a === '') throw new SamsError('the vault password is empty', { hint: 'type a password, or give one with --vault-password-file FILE' });
    answers.push(a);
  }
  if (answers.some((a) => a !== answers[0])) throw new SamsError('the vault passwords do not match');
  return new VaultPassword(answers[0]!);
}

/** A password file: its content stripped; an executable: its stdout stripped (a `*-client` gets --vault-id LABEL). */
export async function readPasswordFile(path: string, label: string, known: readonly KeyringEntry[] = []): Promise<{ password: VaultPassword; source: string }> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new SamsError(`the vault password file ${path} was not found`);
  }
  if (st.isDirectory()) throw new SamsError(`the vault password file ${path} is a directory`);
  // Ansible's loader.is_executable(): any execute bit.
  if ((st.mode & 0o111) !== 0) {
    const client = isClientScript(path);
    const out = await runPasswordScript(path, client ? ['--vault-id', label] : [], client, label);
    // Ansible strips only line ends from a script's output.
    const pw = stripLineEnds(out);
    if (pw.length === 0) throw new SamsError(`the vault password script ${path} printed no password`);
    return { password: new VaultPassword(pw), source: `${client ? 'client script' : 'script'} ${path}` };
  }
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new SamsError(`cannot read the vault password file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  // Ansible: the whole content stripped of whitespace (not only the first line).
  data = stripWhitespace(data);
  if (isVaultText(data)) {
    // A password file may itself be vaulted with a password given earlier (Ansible allows this).
    if (known.length === 0) throw new SamsError(`the vault password file ${path} is itself vault-encrypted and no earlier password opens it`);
    data = new Keyring(known).decryptBytes(data, path).plaintext;
  }
  data = stripLineEnds(data);
  if (data.length === 0) throw new SamsError(`the vault password file ${path} is empty`);
  return { password: new VaultPassword(data), source: path };
}

/** Ansible's script_is_client(): the name without extension ends in `-client`. */
export function isClientScript(path: string): boolean {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length).endsWith('-client');
}

function runPasswordScript(path: string, args: string[], client: boolean, label: string): Promise<Buffer> {
  // An executable without #! would be run by /bin/sh (execvp's fallback), printing the password in
  // "command not found"; refuse it instead (Ansible's Popen fails on it too).
  const head = Buffer.alloc(4);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new SamsError(`cannot read the vault password script ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (head.subarray(0, 2).toString('latin1') !== '#!' && !head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    return Promise.reject(
      new SamsError(`the vault password file ${path} is executable but is not a script (no #! line)`, {
        hint: `to use it as a plain password file remove its execute bit: chmod a-x ${path}`,
      }),
    );
  }
  return new Promise((resolvePromise, reject) => {
    // stdin and (for plain scripts) stderr stay the terminal's, so a script can ask for something.
    const child = spawn(path, args, { stdio: ['inherit', 'pipe', client ? 'pipe' : 'inherit'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      reject(new SamsError(`cannot run the vault password script ${path}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, { hint: 'if it is not a script, remove its execute bit' })),
    );
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      const tail = stderr ? `: ${stderr}` : '';
      if (client && code === 2) return reject(new SamsError(`the vault password client script ${path} has no secret for vault id ${label}${tail}`));
      if (code !== 0) return reject(new SamsError(`the vault password script ${path} ${signal ? `was killed by ${signal}` : `exited with status ${code}`}${tail}`));
      resolvePromise(Buffer.concat(out));
    });
  });
}

// Python's bytes.strip(): space, \t, \n, \r, \v, \f.
const WS = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
function stripWhitespace(b: Buffer): Buffer {
  let s = 0;
  let e = b.length;
  while (s < e && WS.has(b[s]!)) s++;
  while (e > s && WS.has(b[e - 1]!)) e--;
  return b.subarray(s, e);
}
function stripLineEnds(b: Buffer): Buffer {
  let s = 0;
  let e = b.length;
  while (s < e && (b[s] === 0x0a || b[s] === 0x0d)) s++;
  while (e > s && (b[e - 1] === 0x0a || b[e - 1] === 0x0d)) e--;
  return b.subarray(s, e);
}
