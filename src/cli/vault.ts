// `sams vault ...`: ansible-vault's commands (create, edit, view, encrypt, decrypt, encrypt-string, rekey).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { SamsError } from '../errors.js';
import { loadSettings } from '../settings.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { formatVaultYaml } from '../vault/format.js';
import type { Keyring } from '../vault/keyring.js';
import { loadKeyring } from '../vault/password-sources.js';
import {
  applyChanges,
  createVaultFile,
  decryptFile,
  editVaultFile,
  planDecrypt,
  planEncrypt,
  planRekey,
  readFileBytes,
  type FileChange,
} from '../vault/files.js';
import { promptLine } from './prompt.js';

interface VaultFlags {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  vaultPassFile?: string[];
  askVaultPass?: boolean;
  askVaultPassword?: boolean;
  encryptVaultId?: string;
  output?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Ansible's vault options, shared by every subcommand. */
function withVaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-id <label@source>', 'a vault password with its label: LABEL@FILE, LABEL@SCRIPT or LABEL@prompt (repeatable)', collect)
    .option('--vault-password-file <file>', 'a file holding the vault password, or a script printing it (repeatable)', collect)
    .addOption(new Option('--vault-pass-file <file>').argParser(collect).hideHelp())
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .addOption(new Option('--ask-vault-password').hideHelp());
}

const withEncryptId = (cmd: Command) => cmd.option('--encrypt-vault-id <label>', 'the vault id to encrypt with (default: the first one given)');
const withOutput = (cmd: Command) => cmd.option('--output <file>', 'write the result here instead of in place; - for stdout');

const NEED_PASSWORD_HINT =
  'pass --vault-password-file FILE, --vault-id LABEL@SOURCE or --ask-vault-pass (on a terminal), or set vault_password_file in sams.yml';

function warn(message: string): void {
  process.stderr.write(`sams: warning: ${message}\n`);
}

/** The keyring from the flags, then the settings file and environment (settings.vaultIds). */
async function keyringFor(flags: VaultFlags, purpose: 'decrypt' | 'encrypt'): Promise<Keyring> {
  const settings = loadSettings(process.cwd());
  const files = [...(flags.vaultPasswordFile ?? []), ...(flags.vaultPassFile ?? [])];
  const keyring = await loadKeyring({
    // Command-line sources first: the first one is the default for encryption.
    vaultIds: [...(flags.vaultId ?? []), ...files.map((f) => `default@${f}`), ...settings.vaultIds],
    askVaultPass: flags.askVaultPass === true || flags.askVaultPassword === true,
    encryptVaultId: purpose === 'encrypt' ? flags.encryptVaultId : undefined,
    newPassword: purpose === 'encrypt',
    autoPrompt: true,
    warn,
  });
  if (!keyring) throw new SamsError(purpose === 'encrypt' ? 'a vault password is required to encrypt' : 'a vault password is required to decrypt', { hint: NEED_PASSWORD_HINT });
  return keyring;
}

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF') return Buffer.alloc(0);
    throw e;
  }
}

interface Input {
  /** The file name, or `stdin`, for messages. */
  file: string;
  data: Buffer;
  /** Where the result goes: --output, stdout (`-`) for stdin input, else the file itself. */
  output: string;
}

/** Inputs for encrypt/decrypt: the files, or stdin for `-` or none (as ansible-vault). */
function readInputs(files: string[], output: string | undefined): Input[] {
  const list = files.length ? files : ['-'];
  if (output !== undefined && list.length > 1) throw new SamsError('--output takes one input file only', { hint: 'run the command once per file' });
  return list.map((file) =>
    file === '-' ? { file: 'stdin', data: readStdin(), output: output ?? '-' } : { file, data: readFileBytes(file), output: output ?? file },
  );
}

/** Write results to their files (atomically) or to stdout for `-`. */
function writeResults(inputs: Input[], changes: FileChange[]): void {
  const routed = changes.map((c, i) => ({ ...c, output: inputs[i]!.output }));
  applyChanges(routed.filter((c) => c.output !== '-'));
  for (const c of routed) if (c.output === '-') process.stdout.write(c.data);
}

function say(message: string): void {
  if (process.stdout.isTTY) process.stderr.write(message + '\n');
}

export function registerVaultCommand(program: Command): void {
  const vault = program
    .command('vault')
    .description('encrypt and decrypt Ansible-vault files and values (ansible-vault compatible)');

  withEncryptId(withVaultOptions(vault.command('create')))
    .description('create a new encrypted file in $EDITOR')
    .argument('<file>')
    .action(async (file: string, flags: VaultFlags) => {
      const keyring = await keyringFor(flags, 'encrypt');
      await createVaultFile(file, keyring);
    });

  withEncryptId(withVaultOptions(vault.command('edit')))
    .description('edit an encrypted file in $EDITOR (re-encrypted with the same vault id only if changed)')
    .argument('<file...>')
    .action(async (files: string[], flags: VaultFlags) => {
      const keyring = await keyringFor(flags, 'decrypt');
      for (const f of files) await editVaultFile(f, keyring);
    });

  withVaultOptions(vault.command('view'))
    .description('show the plaintext of encrypted files (through $PAGER on a terminal)')
    .argument('<file...>')
    .action(async (files: string[], flags: VaultFlags) => {
      const keyring = await keyringFor(flags, 'decrypt');
      const texts = files.map((f) => decryptFile(f, readFileBytes(f), keyring));
      for (const t of texts) await page(t);
    });

  withEncryptId(withOutput(withVaultOptions(vault.command('encrypt'))))
    .description('encrypt files in place (or stdin to stdout)')
    .argument('[file...]')
    .action(async (files: string[], flags: VaultFlags) => {
      if (files.length === 0 && process.stdin.isTTY) process.stderr.write('Reading plaintext input from stdin\n');
      const keyring = await keyringFor(flags, 'encrypt');
      const inputs = readInputs(files, flags.output);
      writeResults(inputs, planEncrypt(inputs, keyring));
      say('Encryption successful');
    });

  withOutput(withVaultOptions(vault.command('decrypt')))
    .description('decrypt files in place (or stdin to stdout)')
    .argument('[file...]')
    .action(async (files: string[], flags: VaultFlags) => {
      if (files.length === 0 && process.stdin.isTTY) process.stderr.write('Reading ciphertext input from stdin\n');
      const keyring = await keyringFor(flags, 'decrypt');
      const inputs = readInputs(files, flags.output);
      writeResults(inputs, planDecrypt(inputs, keyring));
      say('Decryption successful');
    });

  withEncryptId(withOutput(withVaultOptions(vault.command('encrypt-string'))))
    .alias('encrypt_string')
    .description('encrypt values for a YAML file, printed as `name: !vault |` blocks')
    .argument('[value...]', 'values to encrypt; - (or none) reads stdin')
    .option('-n, --name <var>', 'the variable name of the next value (repeatable)', collect)
    .option('--stdin-name <var>', 'read the value from stdin and name it')
    .option('--stdin', 'read the value from stdin')
    .option('-p, --prompt', 'ask for the value on the terminal')
    .option('--show-input', 'echo the value typed at --prompt')
    .action(async (values: string[], flags: VaultFlags & { name?: string[]; stdinName?: string; stdin?: boolean; prompt?: boolean; showInput?: boolean }) => {
      await encryptString(values, flags);
    });

  withEncryptId(withVaultOptions(vault.command('rekey')))
    .description('re-encrypt files with a new password')
    .argument('<file...>')
    .option('--new-vault-password-file <file>', 'the new password: a file, or a script printing it')
    .option('--new-vault-id <label@source>', 'the new password with its vault id')
    .action(async (files: string[], flags: VaultFlags & { newVaultPasswordFile?: string; newVaultId?: string }) => {
      if (flags.newVaultPasswordFile && flags.newVaultId) throw new SamsError('give either --new-vault-password-file or --new-vault-id, not both');
      const oldKeyring = await keyringFor(flags, 'decrypt');
      const inputs = files.map((file) => ({ file, data: readFileBytes(file) }));
      // Decrypt (checking the old password) before asking for a new one.
      for (const { file, data } of inputs) decryptFile(file, data, oldKeyring);
      const newKeyring = await loadKeyring({
        vaultIds: flags.newVaultId ? [flags.newVaultId] : [],
        vaultPasswordFiles: flags.newVaultPasswordFile ? [flags.newVaultPasswordFile] : [],
        encryptVaultId: flags.encryptVaultId,
        newPassword: true,
        autoPrompt: true,
        warn,
      });
      if (!newKeyring) throw new SamsError('a new vault password is required', { hint: 'pass --new-vault-password-file FILE or --new-vault-id LABEL@SOURCE' });
      applyChanges(planRekey(inputs, oldKeyring, newKeyring));
      process.stderr.write('Rekey successful\n');
    });
}

type EncryptStringFlags = VaultFlags & { name?: string[]; stdinName?: string; stdin?: boolean; prompt?: boolean; showInput?: boolean };

/** `encrypt_string`, following ansible-vault's rules for names, stdin and the output's exact shape. */
async function encryptString(values: string[], flags: EncryptStringFlags): Promise<void> {
  const args = values.filter((v) => v !== '-');
  const fromStdin = values.includes('-') || flags.stdinName !== undefined || flags.stdin === true || (values.length === 0 && !flags.prompt);
  if (flags.prompt && fromStdin) throw new SamsError('--prompt cannot be combined with reading the value from stdin');
  const keyring = await keyringFor(flags, 'encrypt');

  const items: Array<{ text: Buffer; from: string; name?: string }> = [];
  if (flags.prompt) {
    const name = await promptLine('Variable name (enter for no name): ');
    const value = await promptLine(flags.showInput ? 'String to encrypt: ' : 'String to encrypt (hidden): ', { hidden: !flags.showInput });
    if (value === '') throw new SamsError('the value typed at the prompt is empty; nothing was encrypted');
    items.push({ text: Buffer.from(value, 'utf8'), from: 'the interactive prompt', name: name || undefined });
  }
  if (fromStdin) {
    if (process.stdin.isTTY) process.stderr.write('Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)\n');
    const text = readStdin();
    if (text.length === 0) throw new SamsError('stdin was empty; nothing was encrypted');
    items.push({ text, from: 'stdin', name: flags.stdinName });
  }
  const names = flags.name ?? [];
  if (names.length && args.length > names.length) {
    process.stderr.write('The number of --name options do not match the number of args.\n');
    process.stderr.write(`The last named variable will be "${names[names.length - 1]}". The rest will not have names.\n`);
  }
  args.forEach((value, i) => {
    if (value === '') throw new SamsError('an empty value was given on the command line; nothing was encrypted');
    items.push({ text: Buffer.from(value, 'utf8'), from: 'the command line args', name: names[i] });
  });

  const blocks = items.map((item, i) => {
    if (items.length > 1) {
      // Ansible labels each block on stderr when there are several (the stray ")" is its).
      process.stderr.write(
        item.name
          ? `# The encrypted version of variable ("${item.name}", the string #${i + 1} from ${item.from}).\n`
          : `# The encrypted version of the string #${i + 1} from ${item.from}.)\n`,
      );
    }
    return formatVaultYaml(keyring.encrypt(item.text), item.name);
  });
  // ansible-vault prints no final newline; add one on a terminal so the shell prompt starts on its own line.
  const out = blocks.join('\n');
  if (flags.output !== undefined && flags.output !== '-') writeFileAtomic(flags.output, out);
  else process.stdout.write(process.stdout.isTTY ? out + '\n' : out);
  say('Encryption successful');
}

/** Show text: through $PAGER (else less) when stdout is a terminal, else straight to stdout with a final newline (as Ansible). */
async function page(data: Buffer): Promise<void> {
  const text = data.length && data[data.length - 1] !== 0x0a ? Buffer.concat([data, Buffer.from('\n')]) : data;
  if (!process.stdout.isTTY) {
    process.stdout.write(text);
    return;
  }
  const pager = process.env.PAGER || 'less';
  const ok = await new Promise<boolean>((resolvePromise) => {
    const child = spawn('/bin/sh', ['-c', pager], { stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: 'FRSX', ...process.env } });
    child.on('error', () => resolvePromise(false));
    child.on('exit', (code) => resolvePromise(code !== 127));
    child.stdin!.on('error', () => {}); // the pager quit early
    child.stdin!.end(text);
  });
  if (!ok) process.stdout.write(text);
}
