// The task keyword `diff:` against ansible-playbook: `diff: true` shows the task's diff without
// --diff, `diff: false` hides it under --diff.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareWithAnsible } from '../../helpers/compare.js';
import { ensureBuilt } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
});
afterAll(async () => {
  await th?.stop();
});

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  tasks:',
  '    - copy: {content: "a\\n", dest: "{{ out }}/d1"}',
  '      diff: true',
  '    - copy: {content: "b\\n", dest: "{{ out }}/d2"}',
  '      diff: false',
  '    - copy: {content: "c\\n", dest: "{{ out }}/d3"}',
].join('\n');

/** The unified-diff lines of a run's output, with its own output directory replaced by OUT. */
function diffLines(stdout: string, out: RegExp): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^(--- |\+\+\+ |@@ |\+(?!\+\+ )|-(?!-- ))/.test(l))
    .map((l) => l.replace(out, 'OUT'));
}

describe('the diff keyword', () => {
  for (const args of [[], ['--diff']]) {
    test(`diff: true shows and diff: false hides the task's diff ${args.length ? 'with' : 'without'} --diff, as ansible-playbook does`, async () => {
      const { sams, ansible } = await compareWithAnsible(th.inventoryFile, PLAYBOOK, { args });
      expect(sams.res.code).toBe(0);
      expect(ansible.res.code).toBe(0);
      const s = diffLines(sams.res.stdout, /\/\S*\/out-sams/g);
      const a = diffLines(ansible.res.stdout, /\/\S*\/out-ansible/g);
      const d1 = ['--- before: OUT/d1', '+++ after: OUT/d1', '@@ -0,0 +1 @@', '+a'];
      const d3 = ['--- before: OUT/d3', '+++ after: OUT/d3', '@@ -0,0 +1 @@', '+c'];
      expect(s).toEqual(args.length ? [...d1, ...d3] : d1);
      // Ansible's headers for copy `content:` name its controller temp file (`+++ after: /tmp/...tmpXXXX`): compare the hunks.
      const hunks = (lines: string[]) => lines.filter((l) => !/^(--- |\+\+\+ )/.test(l));
      expect(hunks(s)).toEqual(hunks(a));
      expect(a.filter((l) => l.startsWith('+++ ')).length).toBe(args.length ? 2 : 1);
    }, 60_000);
  }
});
