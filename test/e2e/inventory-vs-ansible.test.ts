// `sams inventory` against real ansible-inventory (ansible-core 2.14) on the same INI, YAML and
// directory inventories with group_vars/host_vars beside them: --list, --host and --graph agree.

import { ensureBuilt } from '../helpers/run-cli.js';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/inventory');

let work: string;

/** Build dist/ when any source is newer than it (tsc still emits when others' files have type errors). */

/** Both tools run in an empty directory with their own HOME and an empty ansible.cfg (no stray settings). */
function env(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: join(work, 'home'),
    TMPDIR: join(work, 'tmp'),
    LANG: 'C.UTF-8',
    ANSIBLE_CONFIG: join(work, 'ansible.cfg'),
    ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
  };
}

/** Runs a command (asynchronously, so the test worker stays responsive) and returns its stdout. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: work, env: env(), encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
const ansible = (args: string[]) => run('ansible-inventory', args);
const sams = (args: string[]) => run(process.execPath, [join(ROOT, 'bin/sams'), 'inventory', ...args]);
const both = async (args: string[]) => {
  const [a, s] = await Promise.all([ansible(args), sams(args)]);
  return { ansible: a, sams: s };
};

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sams-inv-e2e-'));
  mkdirSync(join(work, 'home'));
  mkdirSync(join(work, 'tmp'));
  writeFileSync(join(work, 'ansible.cfg'), '');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Case {
  title: string;
  sources: string[];
  hosts: string[];
  graphs: string[];
}

const cases: Case[] = [
  {
    title: 'INI file with group_vars/ and host_vars/ beside it',
    sources: ['-i', join(FIX, 'ini/hosts.ini')],
    hosts: ['web01.example.com', 'web-extra', '2001:db8::10', 'db-a', 'solo', 'b5'],
    graphs: ['all', 'prod', 'staging'],
  },
  {
    title: 'INI file plus a playbook directory',
    sources: ['-i', join(FIX, 'ini/hosts.ini'), '--playbook-dir', join(FIX, 'playbook')],
    hosts: ['web01.example.com', 'web02.example.com', 'db-b', 'bastion'],
    graphs: ['web'],
  },
  {
    title: 'YAML inventory directory',
    sources: ['-i', join(FIX, 'yaml')],
    hosts: ['standalone', 'web1', 'web9', 'db1', 'db2'],
    graphs: ['all', 'prod'],
  },
  {
    title: 'directory of mixed files (YAML, extension-less INI, a subdirectory, ignored files)',
    sources: ['-i', join(FIX, 'dir')],
    hosts: ['w1', 'w3', 'd1', 'd2'],
    graphs: ['all'],
  },
  {
    title: 'two sources merged (the same groups in INI and YAML)',
    sources: ['-i', join(FIX, 'ini/hosts.ini'), '-i', join(FIX, 'yaml/hosts.yml')],
    hosts: ['web01.example.com', 'web1', 'db1', 'solo'],
    graphs: ['all', 'prod'],
  },
  {
    title: 'a comma-separated host list',
    sources: ['-i', 'alpha,beta:2222,'],
    hosts: ['alpha', 'beta'],
    graphs: ['all'],
  },
];

describe.each(cases)('$title', ({ sources, hosts, graphs }) => {
  it('--list gives the same groups and host variables', async () => {
    const r = await both([...sources, '--list']);
    const a = JSON.parse(r.ansible) as Record<string, unknown>;
    const s = JSON.parse(r.sams) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual(Object.keys(a).sort());
    for (const key of Object.keys(a)) expect({ [key]: s[key] }).toEqual({ [key]: a[key] });
  });

  it.each(hosts)('--host %s gives the same merged variables', async (host) => {
    const r = await both([...sources, '--host', host]);
    expect(JSON.parse(r.sams)).toEqual(JSON.parse(r.ansible));
  });

  it.each(graphs)('--graph %s (with and without --vars) prints the same tree', async (group) => {
    for (const extra of [[], ['--vars']]) {
      const r = await both([...sources, '--graph', group, ...extra]);
      expect(r.sams.trimEnd()).toBe(r.ansible.trimEnd());
    }
  });
});

describe('implicit localhost', () => {
  it('--host localhost gives all-group vars plus ansible_connection=local', async () => {
    const r = await both(['-i', join(FIX, 'ini/hosts.ini'), '--host', 'localhost']);
    const a = JSON.parse(r.ansible) as Record<string, unknown>;
    // sams runs no Python on targets, so it sets no interpreter for the local host.
    delete a.ansible_python_interpreter;
    expect(JSON.parse(r.sams)).toEqual(a);
  });
});

describe('vault-encrypted group_vars', () => {
  it('decrypt to the same values, shown masked by sams', async () => {
    const d = join(work, 'vaulted');
    cpSync(join(FIX, 'ini'), d, { recursive: true });
    writeFileSync(join(d, 'pw'), 'inventory-e2e-password\n');
    writeFileSync(join(d, 'group_vars/db.yml'), 'db_password: s3cret-value\ndb_user: app\n');
    await run('ansible-vault', ['encrypt', '--vault-password-file', join(d, 'pw'), join(d, 'group_vars/db.yml')]);
    const r = await both(['-i', join(d, 'hosts.ini'), '--vault-password-file', join(d, 'pw'), '--host', 'db-b']);
    const a = JSON.parse(r.ansible) as Record<string, unknown>;
    const s = JSON.parse(r.sams) as Record<string, unknown>;
    expect([a.db_password, a.db_user]).toEqual(['s3cret-value', 'app']);
    // Every string of a vault-encrypted file is a secret to sams.
    expect([s.db_password, s.db_user]).toEqual(['********', '********']);
    expect({ ...s, db_password: a.db_password, db_user: a.db_user }).toEqual(a);
  });
});

describe('--explain', () => {
  it('names the file that wins and the definitions it overrides', async () => {
    const args = ['-i', join(FIX, 'ini/hosts.ini'), '--playbook-dir', join(FIX, 'playbook'), '--host', 'web01.example.com'];
    const value = (JSON.parse(await ansible(args)) as Record<string, unknown>).shared;
    const text = await sams([...args, '--explain', 'shared']);
    expect(text.split('\n').slice(0, 2)).toEqual([
      `web01.example.com: shared = ${JSON.stringify(value)}`,
      `  from inventory host_vars/*: ${join(FIX, 'ini/host_vars/web01.example.com.yml')}`,
    ]);
    expect(text).toContain(`"pb_all" from playbook group_vars/all: ${join(FIX, 'playbook/group_vars/all.yml')}`);
    expect(text).toContain(`"web_inline" from inventory file group vars: inventory ${join(FIX, 'ini/hosts.ini')} group web`);
  });
});
