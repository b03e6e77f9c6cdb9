// Table-driven comparisons with ansible-playbook: each case runs the same playbook with both tools
// on the same sshd hosts (compareWithAnsible); the files the tasks write, the recaps and the exit
// codes must be equal, and a named file must hold named text so no comparison is vacuous.

import { describe, expect, test } from 'vitest';
import { compareWithAnsible } from './compare.js';

/** A shell task appending a line to the host's log file in the output directory. */
export const logTask = (text: string, extra = '') => `shell: echo "${text}" >> {{ out }}/{{ inventory_hostname }}.log${extra}`;

export interface AnsibleCase {
  name: string;
  playbook: string[];
  files?: Record<string, string>;
  args?: string[];
  /** A file the run must have written and text it must contain, or several (so the comparison is never vacuous). */
  expect: [string, string] | [string, string][];
  /** Output lines both tools must print equally often (banners, for what files cannot show). */
  sameCount?: RegExp;
  /** A known difference, not fixed yet: the case is skipped and its name says why. */
  skip?: string;
}

/** The TASK / RUNNING HANDLER banners of a run, in order, without their trailing stars. */
export const taskBanners = (stdout: string) => stdout.split('\n').filter((l) => /^(TASK|RUNNING HANDLER) \[/.test(l)).map((l) => l.replace(/ \**$/, ''));

export interface SameAsAnsibleOptions<C> {
  title?: string;
  /** Cases whose task and handler banners must also be equal, in order. */
  sameBanners?: (c: C) => boolean;
}

/** One test per case; `inventory` gives the inventory file a case runs against. */
export function describeSameAsAnsible<C extends AnsibleCase>(cases: C[], inventory: (c: C) => string, o: SameAsAnsibleOptions<C> = {}): void {
  describe(o.title ?? 'same results as ansible-playbook', () => {
    for (const c of cases) {
      (c.skip ? test.skip : test)(c.skip ? `${c.name} (skipped: ${c.skip})` : c.name, async () => {
        const { sams, ansible } = await compareWithAnsible(inventory(c), c.playbook.join('\n'), { files: c.files, args: c.args });
        const ctx = `\n--- sams stdout:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible stdout:\n${ansible.res.stdout}`;
        const expected = (typeof c.expect[0] === 'string' ? [c.expect] : c.expect) as [string, string][];
        for (const [file, text] of expected) expect(ansible.files[file], `ansible wrote ${file}${ctx}`).toContain(text);
        expect(sams.files, ctx).toEqual(ansible.files);
        expect(sams.recap, ctx).toEqual(ansible.recap);
        expect(sams.res.code, ctx).toBe(ansible.res.code);
        if (o.sameBanners?.(c)) expect(taskBanners(sams.res.stdout), ctx).toEqual(taskBanners(ansible.res.stdout));
        if (c.sameCount) expect(sams.res.stdout.match(c.sameCount)?.length ?? 0, ctx).toBe(ansible.res.stdout.match(c.sameCount)?.length ?? 0);
      });
    }
  });
}
