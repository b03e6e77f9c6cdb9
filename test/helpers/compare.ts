// Runs one playbook with ansible-playbook and with sams on the same hosts, each writing into its
// own output directory (`out` extra var), and returns both recaps, exit codes and output trees.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnsible } from './ansible.js';
import { recap, runSams, writeTree, type CliResult } from './run-cli.js';

export interface Side {
  res: CliResult;
  recap: Record<string, Record<string, number>>;
  /** Files written under the side's `out` directory: relative path -> content. */
  files: Record<string, string>;
}

function readTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else out[p.slice(base.length + 1)] = readFileSync(p, 'utf8');
  }
  return out;
}

export interface CompareOptions {
  /** Extra files of the project (roles, task files...). */
  files?: Record<string, string>;
  /** Extra command-line arguments for both tools. */
  args?: string[];
}

/** Run `playbook` (text) with both tools against `inventory`. */
export async function compareWithAnsible(inventory: string, playbook: string, o: CompareOptions = {}): Promise<{ sams: Side; ansible: Side }> {
  const dir = mkdtempSync(join(tmpdir(), 'sams-cmp-'));
  writeTree(dir, { 'site.yml': playbook, ...(o.files ?? {}) });
  const outS = join(dir, 'out-sams');
  const outA = join(dir, 'out-ansible');
  mkdirSync(outS);
  mkdirSync(outA);
  const args = o.args ?? [];
  const [s, a] = await Promise.all([
    runSams(['play', 'site.yml', '-i', inventory, '-e', `out=${outS}`, ...args], { cwd: dir }),
    runAnsible('ansible-playbook', ['site.yml', '-i', inventory, '-e', `out=${outA}`, ...args], dir, { ANSIBLE_ROLES_PATH: join(dir, 'roles') }),
  ]);
  return {
    sams: { res: s, recap: recap(s.stdout), files: readTree(outS) },
    ansible: { res: a, recap: recap(a.stdout), files: readTree(outA) },
  };
}
