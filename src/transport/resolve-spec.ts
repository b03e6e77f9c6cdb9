// Builds a host's ConnectSpec from its (templated) connection variables, ssh arguments and settings.

import { SamsError } from '../errors.js';
import { Secret } from '../secret.js';
import { toBool } from '../modules/lib/args.js';
import { parseSshArgs, type JumpHop } from './ssh-args.js';
import type { ConnectSpec, HostKeyChecking } from './types.js';

/** The settings resolveConnectSpec reads (a subset of Settings, plus test hooks). */
export interface ConnectSettings {
  hostKeyChecking: HostKeyChecking;
  /** Connect timeout in seconds (ansible.cfg timeout). */
  timeout: number;
  /** ansible.cfg remote_user / sams.yml remote_user. */
  remoteUser?: string;
  /** ansible.cfg private_key_file. */
  privateKeyFile?: string;
  /** Path of the ssh config file (default ~/.ssh/config; false: none). */
  sshConfigFile?: string | false;
}

/** Who to log in as, from the command line (-u) and the play's remote_user keyword. */
export interface ConnectOverrides {
  /** -u / --user */
  user?: string;
  /** The play (or task) keyword remote_user. */
  remoteUser?: string;
}

/**
 * Ansible precedence: host variables (ansible_user...) win over the play's remote_user, which wins
 * over -u, which wins over the settings file. Ansible passes all of those as `-o User=...` before
 * ansible_ssh_common_args, so they also win over the args (OpenSSH keeps the first value); all of
 * them win over ~/.ssh/config (applied at connect). sams_* variables win over ansible_* ones.
 */
export function resolveConnectSpec(
  name: string,
  vars: Record<string, unknown>,
  settings: ConnectSettings,
  overrides: ConnectOverrides = {},
): ConnectSpec {
  const v = (...keys: string[]): unknown => {
    for (const k of keys) {
      const x = vars[`sams_${k}`];
      if (x !== undefined && x !== null) return x;
    }
    for (const k of keys) {
      const x = vars[`ansible_${k}`];
      if (x !== undefined && x !== null) return x;
    }
    return undefined;
  };
  const str = (key: string, value: unknown): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (value instanceof Secret) return value.reveal();
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new SamsError(`ansible_${key} must be a string, got ${JSON.stringify(value)}`, { host: name });
  };
  const secret = (value: unknown): string | Secret | undefined => {
    if (value === undefined || value === '') return undefined;
    if (value instanceof Secret) return value;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new SamsError(`a password for ${name} must be a string`, { host: name });
  };

  const becomePassword = secret(v('become_password', 'become_pass', 'sudo_pass', 'sudo_password'));
  const connection = str('connection', v('connection')) ?? 'ssh';
  if (connection === 'local') {
    return { name, connection: 'local', host: 'localhost', ...(becomePassword !== undefined && { becomePassword }) };
  }
  if (!['ssh', 'smart', 'paramiko', 'paramiko_ssh'].includes(connection)) {
    throw new SamsError(`ansible_connection=${connection} is not supported by sams (host ${name})`, {
      host: name,
      hint: 'sams connects with ssh or local',
    });
  }

  const args = parseSshArgs(str('ssh_common_args', v('ssh_common_args')), str('ssh_extra_args', v('ssh_extra_args')));
  const portText = str('port', v('port', 'ssh_port'));
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SamsError(`ansible_port for ${name} is not a port number: ${portText}`, { host: name });
    }
  }
  const timeoutText = str('timeout', v('timeout', 'ssh_timeout'));
  let connectTimeoutMs = args.connectTimeoutMs ?? settings.timeout * 1000;
  if (timeoutText !== undefined) {
    const t = Number(timeoutText);
    if (!Number.isFinite(t) || t <= 0) throw new SamsError(`ansible_timeout for ${name} must be a number of seconds`, { host: name });
    connectTimeoutMs = t * 1000;
  }

  // Ansible passes StrictHostKeyChecking=no before the user's ssh args when checking is off; when
  // it is on it passes nothing, leaving the choice to the args and ~/.ssh/config (default strict).
  const hkcVar = v('ssh_host_key_checking', 'host_key_checking');
  let hostKeyChecking: HostKeyChecking | undefined;
  if (hkcVar !== undefined) {
    const b = toBool(hkcVar);
    if (hkcVar !== 'accept-new' && b === undefined) {
      throw new SamsError(`ansible_ssh_host_key_checking for ${name} must be a boolean or accept-new`, { host: name });
    }
    hostKeyChecking = hkcVar === 'accept-new' ? 'accept-new' : b === false ? 'off' : args.hostKeyChecking;
  } else {
    hostKeyChecking = settings.hostKeyChecking !== 'strict' ? settings.hostKeyChecking : args.hostKeyChecking;
  }

  const keyVar = str('ssh_private_key_file', v('ssh_private_key_file', 'private_key_file'));
  const keyFiles = [...(keyVar ? [keyVar] : settings.privateKeyFile ? [settings.privateKeyFile] : []), ...args.keyFiles];
  const user = str('user', v('user', 'ssh_user')) ?? overrides.remoteUser ?? overrides.user ?? settings.remoteUser ?? args.user;
  const password = secret(v('password', 'ssh_pass', 'ssh_password'));
  const passphrase = secret(v('ssh_private_key_passphrase', 'private_key_passphrase'));

  const spec: ConnectSpec = {
    name,
    connection: 'ssh',
    host: str('host', v('host', 'ssh_host')) ?? name,
    connectTimeoutMs,
  };
  if (port !== undefined || args.port !== undefined) spec.port = port ?? args.port;
  if (user !== undefined) spec.user = user;
  if (keyFiles.length > 0) spec.keyFiles = keyFiles;
  if (args.identitiesOnly !== undefined) spec.identitiesOnly = args.identitiesOnly;
  if (passphrase !== undefined) spec.passphrase = passphrase;
  if (password !== undefined) spec.password = password;
  if (becomePassword !== undefined) spec.becomePassword = becomePassword;
  if (hostKeyChecking !== undefined) spec.hostKeyChecking = hostKeyChecking;
  if (args.knownHostsFiles !== undefined) spec.knownHostsFiles = args.knownHostsFiles;
  if (settings.sshConfigFile !== undefined) spec.sshConfigFile = settings.sshConfigFile;
  if (args.jump !== undefined) spec.jump = jumpSpecs(args.jump, spec);
  if (args.ignored.length > 0) spec.ignoredSshArgs = args.ignored;
  return spec;
}

/**
 * Specs for jump hosts. Like OpenSSH's ProxyJump, a jump host does not take the target's user or
 * port (those come from the hop itself, ~/.ssh/config or the defaults); it shares the target's
 * host key policy, known_hosts files, timeout, ssh config and key files.
 */
export function jumpSpecs(hops: JumpHop[], parent: ConnectSpec): ConnectSpec[] {
  return hops.map((hop) => {
    const keyFiles = [...(hop.keyFiles ?? []), ...(parent.keyFiles ?? [])];
    const s: ConnectSpec = { name: hop.host, connection: 'ssh', host: hop.host };
    if (hop.port !== undefined) s.port = hop.port;
    if (hop.user !== undefined) s.user = hop.user;
    if (keyFiles.length > 0) s.keyFiles = keyFiles;
    if (parent.identitiesOnly !== undefined) s.identitiesOnly = parent.identitiesOnly;
    if (parent.passphrase !== undefined) s.passphrase = parent.passphrase;
    if (parent.hostKeyChecking !== undefined) s.hostKeyChecking = parent.hostKeyChecking;
    if (parent.knownHostsFiles !== undefined) s.knownHostsFiles = parent.knownHostsFiles;
    if (parent.connectTimeoutMs !== undefined) s.connectTimeoutMs = parent.connectTimeoutMs;
    if (parent.sshConfigFile !== undefined) s.sshConfigFile = parent.sshConfigFile;
    return s;
  });
}
