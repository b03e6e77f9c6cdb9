// Whole-file vault operations behind `sams vault`: encrypt, decrypt, rekey, view, and edit/create in $EDITOR.
//
// Multi-file commands read and transform every file before writing any, so a wrong password or an
// already-encrypted file among them changes nothing. Each write is atomic (writeFileAtomic).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { SamsError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { encryptVaultText, isVaultText, parseEnvelope } from './format.js';
import type { Keyring } from './keyring.js';

/** Read a file's bytes; a missing or unreadable file is a user error. */
export function readFileBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? String(e));
    throw new SamsError(`cannot read ${file}: ${what}`);
  }
}

export interface FileChange {
  /** Input file. */
  file: string;
  /** Where the result goes: the file itself, or --output. */
  output: string;
  data: Buffer;
}

/** Encrypt files with the keyring's encryption id; refuses (changing nothing) if any is already encrypted. */
export function planEncrypt(inputs: Array<{ file: string; data: Buffer }>, keyring: Keyring, output?: string): FileChange[] {
  for (const { file, data } of inputs) {
    if (isVaultText(data))
      throw new SamsError(`${file} is already vault-encrypted; nothing was changed`, {
        hint: 'to change its password use `sams vault rekey`; to change its content use `sams vault edit`',
      });
  }
  return inputs.map(({ file, data }) => ({ file, output: output ?? file, data: Buffer.from(keyring.encrypt(data), 'utf8') }));
}

/** Decrypt files; a wrong password or a plain file among them changes nothing. */
export function planDecrypt(inputs: Array<{ file: string; data: Buffer }>, keyring: Keyring, output?: string): FileChange[] {
  return inputs.map(({ file, data }) => ({ file, output: output ?? file, data: decryptFile(file, data, keyring) }));
}

/** Re-encrypt files with the new keyring's encryption id (Ansible's rekey does not keep the old vault id). */
export function planRekey(inputs: Array<{ file: string; data: Buffer }>, oldKeyring: Keyring, newKeyring: Keyring): FileChange[] {
  const plain = inputs.map(({ file, data }) => ({ file, data: decryptFile(file, data, oldKeyring) }));
  return plain.map(({ file, data }) => ({ file, output: file, data: Buffer.from(newKeyring.encrypt(data), 'utf8') }));
}

/** The plaintext of a vault file's bytes; a plain file is an error naming it. */
export function decryptFile(file: string, data: Buffer, keyring: Keyring): Buffer {
  if (!isVaultText(data)) throw new SamsError(`${file} is not vault-encrypted; nothing was changed`);
  return keyring.decryptBytes(data, file).plaintext;
}

/** Write planned changes (atomically, existing files keep their mode). */
export function applyChanges(changes: FileChange[]): void {
  for (const c of changes) writeFileAtomic(c.output, c.data);
}

// ---------------------------------------------------------------------------------------------
// edit / create

export interface EditOptions {
  /** The editor command line; default $EDITOR, else `vi`. Split as a shell would (no expansion). */
  editor?: string;
  /** Parent of the private temp directory; default the OS temp dir. */
  tmpRoot?: string;
}

export type EditOutcome = 'changed' | 'unchanged';

/**
 * Decrypt `file`, open the plaintext in the editor, and re-encrypt it with the same password and
 * vault id only if the content changed (otherwise the file's bytes stay as they were).
 */
export async function editVaultFile(file: string, keyring: Keyring, opts: EditOptions = {}): Promise<EditOutcome> {
  const data = readFileBytes(file);
  if (!isVaultText(data)) throw new SamsError(`${file} is not vault-encrypted`, { hint: `encrypt it first with \`sams vault encrypt ${file}\`` });
  const result = keyring.decryptBytes(data, file);
  const headerId = parseEnvelope(data).vaultId;
  const edited = await editInTempFile(file, result.plaintext, opts);
  if (edited.equals(result.plaintext)) return 'unchanged';
  // Keep the same vault id (and so the header version) and the password that opened it, as Ansible does.
  writeFileAtomic(file, encryptVaultText(edited, result.password.bytes(), { vaultId: headerId }));
  return 'changed';
}

/** Create a new vault file from what is typed in the editor (written even when left empty, as Ansible does). */
export async function createVaultFile(file: string, keyring: Keyring, opts: EditOptions = {}): Promise<void> {
  if (existsSync(file)) throw new SamsError(`${file} exists`, { hint: `use \`sams vault edit ${file}\`` });
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new SamsError(`cannot create the directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  const content = await editInTempFile(file, Buffer.alloc(0), opts);
  writeFileAtomic(file, keyring.encrypt(content));
}

/**
 * Put `content` in a private temp file (mode 0600, inside a fresh 0700 directory, named like the target
 * so editors pick the right syntax), run the editor on it, and return what it holds afterwards. The
 * directory is removed in every case: success, editor failure, SIGTERM/SIGHUP, or process exit.
 */
async function editInTempFile(target: string, content: Buffer, opts: EditOptions): Promise<Buffer> {
  const argv = splitCommandLine(opts.editor ?? process.env.EDITOR ?? 'vi');
  if (argv.length === 0) throw new SamsError('the EDITOR environment variable is empty', { hint: 'set EDITOR to your editor, e.g. EDITOR=nano' });
  const dir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'sams-vault-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  try {
    chmodSync(dir, 0o700);
    const tmpFile = join(dir, basename(target));
    writeFileSync(tmpFile, content, { mode: 0o600, flag: 'wx' });
    await runEditor(argv, tmpFile, target);
    try {
      return readFileSync(tmpFile);
    } catch {
      throw new SamsError(`the editor removed the file it was editing; ${target} was not changed`);
    }
  } finally {
    removeDir();
    process.removeListener('exit', removeDir);
  }
}

const FORWARDED = ['SIGTERM', 'SIGHUP'] as const;
const IGNORED = ['SIGINT', 'SIGQUIT'] as const;

function runEditor(argv: string[], tmpFile: string, target: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let received: NodeJS.Signals | undefined;
    let child: ReturnType<typeof spawn> | undefined;
    // Ctrl-C belongs to the editor (it is in our process group) while it runs, as with git: ignore it here.
    const ignore = () => {};
    // A termination sent to us goes on to the editor; we clean up once it has gone.
    const forward = (sig: NodeJS.Signals) => {
      received = sig;
      child?.kill(sig);
    };
    // Handlers go in before the editor starts: it may signal us at once.
    for (const s of IGNORED) process.on(s, ignore);
    for (const s of FORWARDED) process.on(s, forward);
    const cleanup = () => {
      for (const s of IGNORED) process.removeListener(s, ignore);
      for (const s of FORWARDED) process.removeListener(s, forward);
    };
    child = spawn(argv[0]!, [...argv.slice(1), tmpFile], { stdio: 'inherit' });
    child.on('error', (e) => {
      cleanup();
      const code = (e as NodeJS.ErrnoException).code;
      reject(
        new SamsError(`cannot run the editor "${argv.join(' ')}": ${code === 'ENOENT' ? 'command not found' : (code ?? e.message)}`, {
          hint: 'set the EDITOR environment variable to your editor, e.g. EDITOR=nano',
        }),
      );
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (received) return reject(new SamsError(`interrupted by ${received}; ${target} was not changed`));
      if (signal) return reject(new SamsError(`the editor was killed by ${signal}; ${target} was not changed`));
      // Ansible ignores the editor's status; a failed editor (vim's :cq) means "abandon" here.
      if (code !== 0) return reject(new SamsError(`the editor exited with status ${code}; ${target} was not changed`));
      resolvePromise();
    });
  });
}

/** Split a command line as Python's shlex.split (quotes and backslashes; no variables or globs). */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new SamsError(`unbalanced quote in the editor command: ${text}`);
      cur += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) i++;
        cur += text[i];
        i++;
      }
      if (i >= text.length) throw new SamsError(`unbalanced quote in the editor command: ${text}`);
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
