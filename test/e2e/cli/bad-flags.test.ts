// Command-line mistakes stop the run before anything connects, with one line that names the flag:
// a --limit that leaves no host (as ansible-playbook refuses it) and a --forks that is not a number.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnsible } from '../../helpers/ansible.js';
import { runSams, writeTree } from '../../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sams-flags-'));
  writeTree(dir, {
    'inv.ini': '[web]\nw1 ansible_host=192.0.2.1\n',
    'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad command-line flags', () => {
  test('a --limit that matches no host fails before connecting, like ansible-playbook', async () => {
    const [s, a] = await Promise.all([
      runSams(['play', 'pb.yml', '-i', 'inv.ini', '-l', 'nosuch'], { cwd: dir }),
      runAnsible('ansible-playbook', ['pb.yml', '-i', 'inv.ini', '-l', 'nosuch'], dir),
    ]);
    expect(a.code).not.toBe(0);
    expect(a.stderr + a.stdout).toContain('leaves us with no hosts to target');
    expect(s.code).toBe(4);
    expect(s.stderr).toContain('--limit nosuch leaves no host of the inventory to run on');
    expect(s.stdout).not.toContain('PLAY [');
  });

  test.each(['abc', '0', '1.5'])('--forks %s is a user error (exit 4), not an internal one', async (f) => {
    const s = await runSams(['play', 'pb.yml', '-i', 'inv.ini', '-f', f], { cwd: dir });
    expect(s.code).toBe(4);
    expect(s.stderr).toContain('--forks: expected a whole number of hosts above 0');
    expect(s.stderr).not.toContain('internal error');
  });
});
