// The registered `diff` and `warnings` values of the file-like modules (file, copy, template,
// lineinfile, blockinfile, replace, cron; changed and unchanged), compared with ansible-playbook's
// on the same host, without and with --diff. Known differences are applied by name below.

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ansiblePlay, play, useProject, type Json } from './core-helpers.js';

const p = useProject(1, 'registered-diff');

const TASKS: [string, string][] = [
  ['file', 'file: { path: "{{ out }}/d", state: directory }'],
  ['file_ok', 'file: { path: "{{ out }}/d", state: directory }'],
  ['copy', 'copy: { content: "a\\n", dest: "{{ out }}/c" }'],
  ['copy_ok', 'copy: { content: "a\\n", dest: "{{ out }}/c" }'],
  ['copy_mode', 'copy: { content: "a\\n", dest: "{{ out }}/c", mode: "0600" }'],
  ['template', 'template: { src: t.j2, dest: "{{ out }}/t" }'],
  ['template_ok', 'template: { src: t.j2, dest: "{{ out }}/t" }'],
  ['lineinfile', 'lineinfile: { path: "{{ out }}/c", line: b }'],
  ['lineinfile_ok', 'lineinfile: { path: "{{ out }}/c", line: b }'],
  ['lineinfile_mode', 'lineinfile: { path: "{{ out }}/c", line: b, mode: "0640" }'],
  ['blockinfile', 'blockinfile: { path: "{{ out }}/c", block: z }'],
  ['blockinfile_ok', 'blockinfile: { path: "{{ out }}/c", block: z }'],
  ['replace', 'replace: { path: "{{ out }}/c", regexp: "^a$", replace: A }'],
  ['replace_ok', 'replace: { path: "{{ out }}/c", regexp: "^a$", replace: A }'],
  ['cron', 'cron: { name: samsdiff, job: "true", cron_file: "samsdiff-{{ who }}", user: root }'],
  ['cron_ok', 'cron: { name: samsdiff, job: "true", cron_file: "samsdiff-{{ who }}", user: root }'],
  ['cron_absent', 'cron: { name: samsdiff, cron_file: "samsdiff-{{ who }}", state: absent }'],
  ['cron_absent_ok', 'cron: { name: samsdiff, cron_file: "samsdiff-{{ who }}", state: absent }'],
  ['file_mode', 'file: { path: "{{ out }}/c", mode: "0644" }'],
  ['dangling', 'file: { path: "{{ out }}/dl", mode: "0600" }'],
  ['file_absent', 'file: { path: "{{ out }}/d", state: absent }'],
  ['file_absent_ok', 'file: { path: "{{ out }}/d", state: absent }'],
];

function playbook(): string {
  const lines = ['- hosts: h1', '  gather_facts: false', '  tasks:'];
  lines.push('    - name: dangling link', '      file: { src: /nonexistent-sams-diff, dest: "{{ out }}/dl", state: link, force: true }');
  for (const [name, task] of TASKS) lines.push(`    - name: ${name}`, `      ${task}`, `      register: r_${name}`);
  const vars = TASKS.map(([n]) => `r_${n}: "{{ r_${n} }}"`).join(', ');
  lines.push('    - debug:', `        var: all`, `      vars: { all: { ${vars} } }`);
  return lines.join('\n') + '\n';
}

/** The registered diff and warnings of every task, the run's directory written <out> (and cron file <who>). */
function diffs(all: unknown, out: string, who: string): Record<string, { diff?: unknown; warnings?: unknown }> {
  const v = JSON.parse(JSON.stringify(all).split(out).join('<out>').split(`samsdiff-${who}`).join('samsdiff-<who>')) as Record<string, Json>;
  return Object.fromEntries(TASKS.map(([n]) => [n, { diff: v[`r_${n}`]!.diff, warnings: v[`r_${n}`]!.warnings }]));
}

const cronFiles = ['sams', 'ansible'].flatMap((w) => ['p', 'd'].map((t) => `/etc/cron.d/samsdiff-${w}-${t}`));
afterAll(() => {
  for (const f of cronFiles) if (existsSync(f)) rmSync(f);
});

describe.each([
  ['without --diff', [] as string[], 'p'],
  ['with --diff', ['--diff'], 'd'],
])('registered diff and warnings %s', (_label, args, tag) => {
  test('have Ansible’s shape and values (but for the known differences)', async () => {
    const outS = join(p.dir, `out-sams-${tag}`);
    const outA = join(p.dir, `out-ansible-${tag}`);
    mkdirSync(outS, { recursive: true });
    mkdirSync(outA, { recursive: true });
    writeFileSync(join(p.dir, 't.j2'), 'x={{ 1 }}\n');
    const [s, a] = await Promise.all([
      play(p, playbook(), ['-e', `out=${outS}`, '-e', `who=sams-${tag}`, ...args]),
      ansiblePlay(p, playbook(), ['-e', `out=${outA}`, '-e', `who=ansible-${tag}`, ...args]),
    ]);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const ds = diffs(s.shown('all'), outS, `sams-${tag}`);
    const da = diffs(a.shown('all'), outA, `ansible-${tag}`);
    const diff = args.includes('--diff');

    // Known differences, each checked to be what it says before it is levelled:
    // - copy/template send new content: Ansible's --diff entry is headed by its temporary upload
    //   (after_header) and has no before_header for a new file; sams heads both with dest.
    for (const n of ['copy', 'template']) {
      if (!diff) continue;
      const [es, ea] = [(ds[n]!.diff as Json[])[0]!, (da[n]!.diff as Json[])[0]!];
      expect([es.before_header, es.after_header]).toEqual([`<out>/${n === 'copy' ? 'c' : 't'}`, `<out>/${n === 'copy' ? 'c' : 't'}`]);
      expect(ea.before_header).toBeUndefined();
      delete es.before_header, delete es.after_header, delete ea.after_header;
    }
    // - lineinfile/blockinfile leaving the content as it is, under --diff: Ansible's content entry holds the whole
    //   file as before and after; sams leaves them empty (it diffs only what it changes).
    for (const n of ['lineinfile_ok', 'lineinfile_mode', 'blockinfile_ok']) {
      if (!diff) continue;
      const [es, ea] = [(ds[n]!.diff as Json[])[0]!, (da[n]!.diff as Json[])[0]!];
      expect([es.before, es.after]).toEqual(['', '']);
      expect(ea.before).toBe(ea.after);
      ea.before = ea.after = '';
    }
    // - removing a directory without --diff: Ansible lists its content (path_content); sams reads
    //   the listing only when it shows the diff.
    if (!diff) {
      const before = (da.file_absent!.diff as { before: Json }).before;
      expect(before.path_content).toEqual({ directories: [], files: [] });
      delete before.path_content;
    }
    // - Ansible's warning that it created its own remote_tmp on the host (sams has none) goes to
    //   whichever module ran first.
    for (const [n] of TASKS) {
      const w = da[n]!.warnings as string[] | undefined;
      const kept = w?.filter((m) => !m.startsWith('Module remote_tmp '));
      da[n]!.warnings = kept?.length ? kept : undefined;
    }
    // The cases say what they are meant to: a warning, and a diff key of each kind.
    expect(da.dangling!.warnings).toEqual([expect.stringMatching(/^Cannot set fs attributes on a non-existent symlink target/)]);
    expect(da.file_ok!.diff).toEqual({ before: { path: '<out>/d' }, after: { path: '<out>/d' } });
    expect(Array.isArray(da.lineinfile!.diff) && Array.isArray(da.copy!.diff)).toBe(true);
    expect(ds).toEqual(da);
  }, 300_000);
});
