// Shared by the core modules' end-to-end tests: test hosts for a file, running a playbook with
// sams (--json) and with ansible-playbook (json callback), and reading registered results.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runAnsible } from '../../helpers/ansible.js';
import { ensureBuilt, runSams, writeTree, type CliResult } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

export interface Project {
  th: TestHosts;
  /** The project directory (playbooks are written here). */
  dir: string;
  inventory: string;
}

/** Test hosts and a project directory for one test file (started in beforeAll, stopped after). */
export function useProject(hosts = 1, name = 'core'): Project {
  const p = {} as Project;
  beforeAll(async () => {
    ensureBuilt();
    p.th = await startTestHosts(hosts);
    p.dir = mkdtempSync(join(tmpdir(), `sams-e2e-${name}-`));
    p.inventory = join(p.dir, 'inventory.ini');
    writeTree(p.dir, { 'inventory.ini': readFileSync(p.th.inventoryFile, 'utf8') });
  }, 300_000);
  afterAll(async () => {
    await p.th?.stop();
    if (p.dir) rmSync(p.dir, { recursive: true, force: true });
  });
  return p;
}

export type Json = Record<string, unknown>;

export interface HostResult {
  host: string;
  task: string;
  action: string;
  result: Json & { status: string; data?: Json; msg?: string };
}

export interface SamsRun extends CliResult {
  results: HostResult[];
  /** The result of the task named `task` on `host`. */
  result(task: string, host?: string): HostResult['result'];
  /** A variable as `debug: var=NAME` showed it (the last such debug on the host). */
  shown(name: string, host?: string): unknown;
  recap(): Record<string, Record<string, number>>;
}

/** Write `yaml` as a playbook in the project and run sams on it with --json. */
export async function play(p: Project, yaml: string, args: string[] = [], file = 'site.yml'): Promise<SamsRun> {
  writeTree(p.dir, { [file]: yaml });
  const res = await runSams(['play', file, '-i', p.inventory, '--json', ...args], { cwd: p.dir });
  const results: HostResult[] = res.events
    .filter((e) => e.event === 'host_result')
    .map((e) => ({ host: String(e.host), task: String((e.task as Json).name), action: String((e.task as Json).action), result: e.result as HostResult['result'] }));
  const find = (task: string, host: string) => {
    const r = results.find((x) => x.task === task && x.host === host);
    if (!r) throw new Error(`no result for task '${task}' on ${host}; tasks: ${results.map((x) => `${x.host}:${x.task}`).join(', ')}\n${res.stderr}`);
    return r.result;
  };
  return {
    ...res,
    results,
    result: (task, host = 'h1') => find(task, host),
    shown(name, host = 'h1') {
      const r = [...results].reverse().find((x) => x.host === host && x.action === 'debug' && x.result.data && name in x.result.data);
      if (!r) throw new Error(`no debug of '${name}' on ${host}\n${res.stdout}\n${res.stderr}`);
      return r.result.data![name];
    },
    recap() {
      const e = res.events.find((x) => x.event === 'recap');
      return (e?.stats ?? {}) as Record<string, Record<string, number>>;
    },
  };
}

export interface AnsibleRun extends CliResult {
  /** The module result of the task named `task` on `host`, as the json callback reports it. */
  result(task: string, host?: string): Json;
  shown(name: string, host?: string): unknown;
  /** The recap, with sams' key names (failed for Ansible's failures). */
  recap(): Record<string, Record<string, number>>;
}

/** Run the same kind of playbook with ansible-playbook (json stdout callback). */
export async function ansiblePlay(p: Project, yaml: string, args: string[] = [], file = 'site-ansible.yml'): Promise<AnsibleRun> {
  writeTree(p.dir, { [file]: yaml });
  const res = await runAnsible('ansible-playbook', [file, '-i', p.inventory, ...args], p.dir, { ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_HOST_KEY_CHECKING: 'False' });
  let doc: { plays: { tasks: { task: { name: string }; hosts: Record<string, Json> }[] }[]; stats: Record<string, Record<string, number>> };
  try {
    doc = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')));
  } catch {
    throw new Error(`ansible-playbook did not print JSON (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  }
  const tasks = doc.plays.flatMap((pl) => pl.tasks);
  return {
    ...res,
    result(task, host = 'h1') {
      const t = tasks.find((x) => x.task.name === task);
      if (!t?.hosts[host]) throw new Error(`ansible: no result for '${task}' on ${host}`);
      return t.hosts[host]!;
    },
    shown(name, host = 'h1') {
      const t = [...tasks].reverse().find((x) => x.hosts[host] && name in x.hosts[host]!);
      if (!t) throw new Error(`ansible: no debug of '${name}' on ${host}`);
      return t.hosts[host]![name];
    },
    recap() {
      return Object.fromEntries(
        Object.entries(doc.stats).map(([h, st]) => [h, { ok: st.ok!, changed: st.changed!, unreachable: st.unreachable!, failed: st.failures!, skipped: st.skipped!, rescued: st.rescued!, ignored: st.ignored! }]),
      );
    },
  };
}

/** Ansible's registered keys, without its private ones (invocation, _ansible_*, action). */
export function publicKeys(v: unknown): string[] {
  return Object.keys(v as Json)
    .filter((k) => !k.startsWith('_ansible') && k !== 'invocation' && k !== 'action' && k !== 'warnings' && k !== 'deprecations')
    .sort();
}

/** The value without keys that differ from run to run (times, elapsed). */
export function stable(v: unknown, drop = ['start', 'end', 'delta', 'stop', 'elapsed', 'invocation', 'action']): unknown {
  if (Array.isArray(v)) return v.map((x) => stable(x, drop));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Json)
        .filter(([k]) => !drop.includes(k) && !k.startsWith('_ansible'))
        .map(([k, x]) => [k, stable(x, drop)]),
    );
  }
  return v;
}
