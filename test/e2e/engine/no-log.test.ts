// no_log: the result is censored everywhere (screen, JSON stream, log file), at every verbosity.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt, runSams, writeTree } from '../../helpers/run-cli.js';

const CANARY = 'canary-7f3a9c-do-not-print';

let th: TestHosts;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
  dir = mkdtempSync(join(tmpdir(), 'sams-nolog-'));
  writeTree(dir, {
    'site.yml': [
      '- hosts: h1',
      '  gather_facts: false',
      '  vars:',
      `    token: "${CANARY}"`,
      '  tasks:',
      '    - name: Use the token',
      '      shell: echo "{{ token }}"; echo "{{ token }}" >&2',
      '      register: out',
      '      no_log: true',
      '    - name: Loop over it',
      '      shell: echo {{ item }}',
      '      loop: ["{{ token }}", other]',
      '      no_log: true',
      '    - name: Failing with it',
      '      shell: echo "{{ token }}"; exit 1',
      '      no_log: true',
      '      ignore_errors: true',
      '    - name: The registered value still holds it (no_log hides output, not data)',
      '      assert:',
      '        that: out.stdout == token',
      '      no_log: true',
      '',
    ].join('\n'),
  });
});
afterAll(async () => {
  await th?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('no_log', () => {
  test('nothing of a no_log result reaches the JSON stream or the log file at -vvvv', async () => {
    const logFile = join(dir, 'run.log');
    const res = await runSams(['play', 'site.yml', '-i', th.inventoryFile, '--json', '-vvvv', '--log-file', logFile], { cwd: dir });
    expect(res.code).toBe(0);
    const results = res.events.filter((e) => e.event === 'host_result');
    expect(results).toHaveLength(4);
    for (const r of results) expect(JSON.stringify(r)).toContain('censored');
    expect(res.stdout).not.toContain(CANARY);
    expect(res.stderr).not.toContain(CANARY);
    expect(readFileSync(logFile, 'utf8')).not.toContain(CANARY);
  });

  test('nor the terminal-style text output', async () => {
    const res = await runSams(['play', 'site.yml', '-i', th.inventoryFile, '-vvvv'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("the output has been hidden due to the fact that 'no_log: true' was specified for this result");
    expect(res.stdout + res.stderr).not.toContain(CANARY);
  });
});
