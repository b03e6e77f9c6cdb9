// Project settings: sams.yml found by walking up from the current directory, else ansible.cfg's
// [defaults] for people migrating, then environment variables; command-line flags win over all.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseIni } from 'ini';
import { z } from 'zod';
import { SamsError } from './errors.js';
import { locAtPath, readYamlFile } from './load/yaml.js';
import { toBool } from './modules/lib/args.js';
import type { HostKeyChecking } from './transport/types.js';

export interface Settings {
  /** Directory holding sams.yml / ansible.cfg, else the current directory. */
  root: string;
  /** The settings file read, if any. */
  file?: string;
  inventory: string[];
  rolesPath: string[];
  forks?: number;
  remoteUser?: string;
  /** Vault password sources: `label@source` or a bare source (file or executable). */
  vaultIds: string[];
  hostKeyChecking: HostKeyChecking;
  logFile?: string;
  /** SSH connect timeout in seconds. */
  timeout: number;
  /** Where pending handlers and run history live. */
  stateDir: string;
}

const samsYmlSchema = z.strictObject({
  inventory: z.union([z.string(), z.array(z.string())]).optional(),
  roles_path: z.union([z.string(), z.array(z.string())]).optional(),
  forks: z.number().int().positive().optional(),
  remote_user: z.string().optional(),
  vault_password_file: z.string().optional(),
  vault_identity_list: z.union([z.string(), z.array(z.string())]).optional(),
  host_key_checking: z.union([z.enum(['strict', 'accept-new', 'off']), z.boolean()]).optional(),
  log_file: z.string().optional(),
  timeout: z.number().positive().optional(),
  state_dir: z.string().optional(),
});

function toList(v: string | string[] | undefined, sep = ','): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : v.split(sep)).map((s) => s.trim()).filter(Boolean);
}

function hkc(v: unknown): HostKeyChecking | undefined {
  if (v === 'strict' || v === 'accept-new' || v === 'off') return v;
  const b = toBool(v);
  return b === undefined ? undefined : b ? 'strict' : 'off';
}

/**
 * Find the settings file: walking up from `start`, the first directory holding sams.yml (or, for
 * people migrating, ansible.cfg) wins; sams.yml before ansible.cfg in the same directory. An
 * explicit ANSIBLE_CONFIG is used when no sams.yml is found on the way up.
 */
export function findSettingsFile(start: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    for (const name of ['sams.yml', 'sams.yaml']) if (existsSync(join(dir, name))) return join(dir, name);
    if (env.ANSIBLE_CONFIG && existsSync(env.ANSIBLE_CONFIG)) {
      // keep walking for a sams.yml only; ANSIBLE_CONFIG stands in for any ansible.cfg
    } else if (existsSync(join(dir, 'ansible.cfg'))) return join(dir, 'ansible.cfg');
    if (dirname(dir) === dir) break;
  }
  if (env.ANSIBLE_CONFIG && existsSync(env.ANSIBLE_CONFIG)) return resolve(env.ANSIBLE_CONFIG);
  return undefined;
}

export function loadSettings(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Settings {
  const file = findSettingsFile(cwd, env);
  const root = file ? dirname(file) : resolve(cwd);
  const abs = (p: string) => (isAbsolute(p) ? p : p.startsWith('~/') ? join(env.HOME ?? '/', p.slice(2)) : join(root, p));
  const s: Settings = {
    root,
    file,
    inventory: [],
    rolesPath: [],
    vaultIds: [],
    hostKeyChecking: 'strict',
    timeout: 10,
    stateDir: join(root, '.sams'),
  };
  if (file?.endsWith('.cfg')) {
    const ini = parseIni(readFileSync(file, 'utf8'));
    const d = (ini.defaults ?? {}) as Record<string, string>;
    s.inventory = toList(d.inventory).map(abs);
    s.rolesPath = toList(d.roles_path, ':').map(abs);
    if (d.forks) s.forks = Number(d.forks);
    if (d.remote_user) s.remoteUser = d.remote_user;
    if (d.vault_password_file) s.vaultIds.push(abs(d.vault_password_file));
    for (const id of toList(d.vault_identity_list)) s.vaultIds.push(vaultIdAbs(id, abs));
    s.hostKeyChecking = hkc(d.host_key_checking) ?? s.hostKeyChecking;
    if (d.log_path) s.logFile = abs(d.log_path);
    if (d.timeout) s.timeout = Number(d.timeout);
  } else if (file) {
    const doc = readYamlFile(file) ?? {};
    const parsed = samsYmlSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.');
      throw new SamsError(
        issue.code === 'unrecognized_keys' ? `unknown setting ${issue.keys.join(', ')}` : `setting ${key}: ${issue.message}`,
        { loc: locAtPath(doc, issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : issue.path), hint: `known settings: ${Object.keys(samsYmlSchema.shape).join(', ')}` },
      );
    }
    const y = parsed.data;
    s.inventory = toList(y.inventory).map(abs);
    s.rolesPath = toList(y.roles_path, ':').map(abs);
    s.forks = y.forks;
    s.remoteUser = y.remote_user;
    if (y.vault_password_file) s.vaultIds.push(abs(y.vault_password_file));
    for (const id of toList(y.vault_identity_list)) s.vaultIds.push(vaultIdAbs(id, abs));
    if (y.host_key_checking !== undefined) s.hostKeyChecking = hkc(y.host_key_checking)!;
    if (y.log_file) s.logFile = abs(y.log_file);
    if (y.timeout) s.timeout = y.timeout;
    if (y.state_dir) s.stateDir = abs(y.state_dir);
  }
  // Environment, as Ansible reads it.
  const envHkc = hkc(env.SAMS_HOST_KEY_CHECKING) ?? hkc(env.ANSIBLE_HOST_KEY_CHECKING);
  if (envHkc) s.hostKeyChecking = envHkc;
  const envVault = env.SAMS_VAULT_PASSWORD_FILE ?? env.ANSIBLE_VAULT_PASSWORD_FILE;
  if (envVault) s.vaultIds.unshift(resolve(cwd, envVault));
  if (env.ANSIBLE_INVENTORY && s.inventory.length === 0) s.inventory = toList(env.ANSIBLE_INVENTORY).map((p) => resolve(cwd, p));
  if (env.SAMS_LOG_FILE) s.logFile = resolve(cwd, env.SAMS_LOG_FILE);
  return s;
}

function vaultIdAbs(id: string, abs: (p: string) => string): string {
  const at = id.indexOf('@');
  if (at < 0) return abs(id);
  const src = id.slice(at + 1);
  return src === 'prompt' ? id : `${id.slice(0, at)}@${abs(src)}`;
}
