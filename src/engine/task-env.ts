// What a module sees of one task on one host: a Remote with the task's become and environment
// applied, its variables, file lookup on the control node, warnings and debug output.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { SamsError, type SourceLoc } from '../errors.js';
import { isVaultText } from '../load/vars-file.js';
import type { VaultKeyring } from '../load/yaml.js';
import type { Remote, TaskEnv } from '../modules/types.js';
import { Secret } from '../secret.js';
import type { ShellCommand } from '../shell/quote.js';
import type { Templar, Vars } from '../template/types.js';
import type { BecomeSpec, Connection, ExecOptions } from '../transport/types.js';
import { decryptFileBytes, VaultedBytes } from '../vault/vaulted-bytes.js';

export interface RemoteSettings {
  become?: BecomeSpec;
  /** The task's `environment:` (rendered), exported before each command. */
  environment: Record<string, string | Secret>;
}

/** Lazily connects: a task that never touches the host (debug, set_fact) never waits for SSH. */
export function makeRemote(getConn: () => Promise<Connection>, s: RemoteSettings, onExec?: (display: string) => void): Remote {
  return {
    async exec(cmd: ShellCommand | string, opts: Omit<ExecOptions, 'become' | 'env'> & { env?: Record<string, string> } = {}) {
      const conn = await getConn();
      const text = typeof cmd === 'string' ? cmd : cmd.text;
      onExec?.(typeof cmd === 'string' ? cmd : cmd.display);
      return conn.exec(text, { ...opts, become: s.become, env: { ...s.environment, ...(opts.env ?? {}) } });
    },
    async get(path: string) {
      const conn = await getConn();
      return conn.get(path, { become: s.become });
    },
  };
}

export interface TaskEnvOptions {
  host: string;
  check: boolean;
  diff: boolean;
  remote: Remote;
  vars: Vars;
  templar: Templar;
  loc?: SourceLoc;
  /** Role directory of the task, if any; playbook directory. */
  rolePath?: string;
  playbookDir: string;
  keyring?: VaultKeyring;
  warn(msg: string): void;
  debug(level: number, msg: string): void;
}

/** Ansible's search for `src` files: role files/ (or templates/), the role dir, playbook files/, playbook dir. */
export function findControllerFile(kind: 'files' | 'templates' | 'vars' | 'tasks', name: string, rolePath: string | undefined, playbookDir: string, loc?: SourceLoc): string {
  if (isAbsolute(name)) {
    if (existsSync(name)) return name;
    throw new SamsError(`file ${name} not found on the control node`, { loc });
  }
  const candidates = [
    ...(rolePath ? [join(rolePath, kind, name), join(rolePath, name)] : []),
    join(playbookDir, kind, name),
    join(playbookDir, name),
  ];
  for (const c of candidates) if (existsSync(c)) return resolve(c);
  throw new SamsError(`could not find '${name}' on the control node`, { loc, hint: `searched: ${candidates.join(', ')}` });
}

export function makeTaskEnv(o: TaskEnvOptions): TaskEnv {
  return {
    host: o.host,
    check: o.check,
    diff: o.diff,
    remote: o.remote,
    vars: o.vars,
    templar: o.templar,
    loc: o.loc,
    keyring: o.keyring,
    findFile: (kind, name) => findControllerFile(kind, name, o.rolePath, o.playbookDir, o.loc),
    readLocalFile(path: string): Buffer | Secret {
      let buf: Buffer;
      try {
        if (statSync(path).isDirectory()) throw new SamsError(`${path} is a directory`, { loc: o.loc });
        buf = readFileSync(path);
      } catch (e) {
        if (e instanceof SamsError) throw e;
        throw new SamsError(`cannot read ${path} on the control node: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { loc: o.loc });
      }
      const head = buf.subarray(0, 32).toString('latin1');
      if (isVaultText(head)) {
        if (!o.keyring) throw new SamsError(`${path} is vault-encrypted and no vault password was given`, { loc: o.loc, hint: 'pass --vault-password-file FILE' });
        // Bytes, not text: a binary file must reach the host as it was encrypted.
        return new VaultedBytes(decryptFileBytes(o.keyring, buf, path));
      }
      return buf;
    },
    warn: o.warn,
    debug: o.debug,
  };
}
