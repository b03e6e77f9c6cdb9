// The same playbook (file, copy from content/files/directories, template with loops and
// ansible_managed, stat + debug) run by ansible-playbook on one fresh host and by sams on another:
// the resulting trees must be equal byte for byte (content, mode, owner, group, links, hard links,
// touched times), the recaps must count the same, and a second run of each changes nothing.

import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnsible } from '../helpers/ansible.js';
import { ensureBuilt, recap, runSams } from '../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../helpers/sshd.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/files/compat');

let th: TestHosts;
let project: string;

/** Everything under `root`: type, mode, owner, group, content hash, link target, link count, mtime of touched files. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const common = `mode=${(st.mode & 0o7777).toString(8)} uid=${st.uid} gid=${st.gid}`;
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(p)} uid=${st.uid} gid=${st.gid}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${common}`;
        walk(p, r);
      } else {
        const sha = createHash('sha256').update(readFileSync(p)).digest('hex');
        // Copied files get the time of the copy; only touched files have a time to compare.
        const mtime = name === 'stamp' ? ` mtime=${st.mtimeMs}` : '';
        out[r] = `file ${common} nlink=${st.nlink} sha256=${sha}${mtime}`;
      }
    }
  };
  walk(root, '');
  return out;
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2, { names: ['ansible', 'sams'] });
  project = mkdtempSync(join(tmpdir(), 'sams-files-compat-'));
  cpSync(FIXTURE, project, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(project, 'inventory.ini'), readFileSync(th.inventoryFile, 'utf8'));
  mkdirSync(join(project, 'host_vars'));
  for (const h of th.hosts) writeFileSync(join(project, 'host_vars', `${h.name}.yml`), `root: ${h.root}\n`);
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('file, copy, template and stat against ansible-playbook', () => {
  let first: { ansible: Record<string, number>; sams: Record<string, number> };

  test('the first runs leave identical trees and count the same ok/changed', async () => {
    const [a, s] = await Promise.all([
      runAnsible('ansible-playbook', ['-i', 'inventory.ini', 'site.yml', '--limit', 'ansible'], project),
      runSams(['play', 'site.yml', '-i', 'inventory.ini', '--limit', 'sams'], { cwd: project }),
    ]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const ansibleTree = snapshot(th.host('ansible').root);
    const samsTree = snapshot(th.host('sams').root);
    expect(Object.keys(ansibleTree).length).toBeGreaterThan(15);
    expect(samsTree).toEqual(ansibleTree);
    first = { ansible: recap(a.stdout).ansible!, sams: recap(s.stdout).sams! };
    expect(first.sams).toEqual(first.ansible);
    expect(first.sams.changed).toBeGreaterThan(10);
    // The stat result seen by debug is the same (mode, checksum, type, group name, size).
    const msg = (out: string) => /"msg": "(0640 [0-9a-f]{40} True daemon 12)"/.exec(out)?.[1];
    expect(msg(a.stdout)).toBeDefined();
    expect(msg(s.stdout)).toBe(msg(a.stdout));
  }, 180_000);

  test('the rendered template is what Ansible renders, ansible_managed included', () => {
    const text = readFileSync(join(th.host('sams').root, 'etc/app/conf.d/app.conf'), 'utf8');
    expect(text.split('\n')[0]).toBe('# Ansible managed');
    expect(text).toBe(readFileSync(join(th.host('ansible').root, 'etc/app/conf.d/app.conf'), 'utf8'));
  });

  test('second runs change nothing, with the same ok counts', async () => {
    const [a, s] = await Promise.all([
      runAnsible('ansible-playbook', ['-i', 'inventory.ini', 'site.yml', '--limit', 'ansible'], project),
      runSams(['play', 'site.yml', '-i', 'inventory.ini', '--limit', 'sams'], { cwd: project }),
    ]);
    expect(a.code).toBe(0);
    expect(s.code).toBe(0);
    const ra = recap(a.stdout).ansible!;
    const rs = recap(s.stdout).sams!;
    expect(ra.changed).toBe(0);
    expect(rs).toEqual(ra);
    expect(snapshot(th.host('sams').root)).toEqual(snapshot(th.host('ansible').root));
  }, 180_000);
});
