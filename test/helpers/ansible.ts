// Runs real ansible-playbook (ansible-core from apt) for comparisons, isolated from the machine's HOME.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from './run-cli.js';

let home: string | undefined;

export function ansibleEnv(extra: Record<string, string> = {}): Record<string, string> {
  if (!home) {
    home = mkdtempSync(join(tmpdir(), 'sams-ansible-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  }
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // The apt tests install cowsay at times; banners must stay plain lines.
    ANSIBLE_NOCOWS: '1',
    HOME: home,
    LANG: 'C.UTF-8',
    ANSIBLE_LOCAL_TEMP: join(home, '.ansible/tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_SSH_PIPELINING: '1',
    ...extra,
  };
}

export function runAnsible(cmd: 'ansible-playbook' | 'ansible' | 'ansible-inventory', args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: ansibleEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, events: [] }));
  });
}
