// --diff output: unified diffs laid out as Ansible's (checked against Python's difflib, which
// Ansible uses), notes for skipped diffs, and which results show diffs at all.

import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { TaskResult } from '../../../src/engine/result.js';
import type { Diff } from '../../../src/modules/types.js';
import { createReporter } from '../../../src/report/index.js';
import { markSecretsShown, renderDiff } from '../../../src/report/render-diff.js';
import { clearSecretTexts, registerSecretText } from '../../../src/secret.js';
import { hostResult, itemResult, RecordingStream, task } from './events.js';

const T = task('write config', { action: 'copy' });

/** What Ansible's callback prints for before/after: difflib.unified_diff with n=3 and its headers. */
function pythonUnifiedDiff(target: string, before: string, after: string): string[] {
  const script = `
import difflib, json, sys
d = json.load(sys.stdin)
lines = difflib.unified_diff(d['before'].splitlines(True), d['after'].splitlines(True), fromfile='before: ' + d['target'], tofile='after: ' + d['target'], fromfiledate='', tofiledate='', n=3)
sys.stdout.write(json.dumps([l.rstrip('\\n') for l in lines]))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify({ target, before, after }), encoding: 'utf8' })) as string[];
}

const numbered = (n: number, change: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => `${change[i + 1] ?? `line ${i + 1}`}\n`).join('');

describe('text diffs have the same lines as Ansible’s (Python difflib)', () => {
  it.each<[string, string, string]>([
    ['one line changed', 'hello\n', 'changed\n'],
    ['a new file', '', 'hello\nworld\n'],
    ['a file emptied', 'a\nb\n', ''],
    ['a change in the middle of a long file', numbered(40), numbered(40, { 20: 'CHANGED' })],
    ['two changes close together share a hunk', numbered(40), numbered(40, { 10: 'X', 15: 'Y' })],
    ['two changes far apart get two hunks', numbered(40), numbered(40, { 5: 'X', 30: 'Y' })],
    ['lines added at the end', 'a\nb\n', 'a\nb\nc\nd\n'],
  ])('%s', (_name, before, after) => {
    expect(renderDiff({ target: '/etc/app.conf', before, after }, false)).toEqual(pythonUnifiedDiff('/etc/app.conf', before, after));
  });
});

describe('renderDiff', () => {
  it('marks a missing final newline as diff does', () => {
    expect(renderDiff({ target: '/x', before: 'a\n', after: 'a\nb' }, false)).toEqual(['--- before: /x', '+++ after: /x', '@@ -1 +1,2 @@', ' a', '+b', '\\ No newline at end of file']);
  });

  it('prints nothing when before and after are equal', () => {
    expect(renderDiff({ target: '/x', before: 'same\n', after: 'same\n' }, false)).toEqual([]);
  });

  it.each<[Diff, string]>([
    [{ target: '/usr/bin/tool', skipped: 'binary' }, 'diff skipped: /usr/bin/tool: binary file, diff not shown'],
    [{ target: '/var/big.log', skipped: 'too large', summary: '3.2 MB -> 3.3 MB' }, 'diff skipped: /var/big.log: file too large for a diff (3.2 MB -> 3.3 MB)'],
    [{ target: '/etc/app/secrets.yml', skipped: 'secret' }, 'diff skipped: /etc/app/secrets.yml: content hidden: contains vault values'],
  ])('a skipped diff is a one-line note: %s', (d, line) => {
    expect(renderDiff(d, false)).toEqual([line]);
  });
});

describe('diffs under results', () => {
  function plain(events: EngineEvent[], diff: boolean): string {
    const out = new RecordingStream();
    const r = createReporter({ format: 'plain', out, verbosity: 0, diff, check: false });
    for (const e of events) r.emit(e);
    return out.text.slice(out.text.indexOf('\n', 1) + 1);
  }
  const d: Diff[] = [{ target: '/etc/motd', before: 'old\n', after: 'new\n' }, { target: '/usr/bin/x', skipped: 'binary' }];
  const with_ = (r: Partial<TaskResult>): TaskResult => ({ status: 'changed', diff: d, ...r });

  it('a changed result prints its diffs before the status line, each followed by a blank line', () => {
    expect(plain([hostResult('h', T, with_({}))], true)).toBe('--- before: /etc/motd\n+++ after: /etc/motd\n@@ -1 +1 @@\n-old\n+new\n\ndiff skipped: /usr/bin/x: binary file, diff not shown\n\nchanged: [h]\n');
  });

  it('a changed loop item prints its diff', () => {
    expect(plain([itemResult('h', T, { status: 'changed', item: 'a', label: 'a', diff: [d[0]!] })], true)).toBe('--- before: /etc/motd\n+++ after: /etc/motd\n@@ -1 +1 @@\n-old\n+new\n\nchanged: [h] => (item=a)\n');
  });

  it('a check-mode prediction prints its diff', () => {
    expect(plain([hostResult('h', T, with_({ checkOnly: true, diff: [d[0]!] }))], true)).toContain('+new\n\nchanged: [h] (check mode)\n');
  });

  it.each<[string, TaskResult]>([
    ['ok', with_({ status: 'ok' })],
    ['skipped', with_({ status: 'skipped' })],
    ['failed', with_({ status: 'failed', msg: 'x' })],
  ])('a %s result shows no diff', (_n, r) => {
    expect(plain([hostResult('h', T, r)], true)).not.toContain('before');
  });

  it('a result that carries a diff shows it without --diff (the task said diff: true)', () => {
    expect(plain([hostResult('h', T, with_({ diff: [d[0]!] }))], false)).toBe('--- before: /etc/motd\n+++ after: /etc/motd\n@@ -1 +1 @@\n-old\n+new\n\nchanged: [h]\n');
  });

  it('a result without a diff shows none with --diff (the task said diff: false)', () => {
    expect(plain([hostResult('h', T, with_({ diff: undefined }))], true)).toBe('changed: [h]\n');
  });

  describe('a registered secret in the file content', () => {
    afterAll(() => clearSecretTexts());
    it('is masked in the diff lines', () => {
      registerSecretText('s3cr3t-db-password');
      const text = plain([hostResult('h', T, with_({ diff: [{ target: '/etc/db.conf', before: 'password=old-one-here\n', after: 'password=s3cr3t-db-password\n' }] }))], true);
      expect(text).toContain('+password=********\n');
      expect(text).not.toContain('s3cr3t-db-password');
    });
  });
});

describe('diffs of secret content', () => {
  afterAll(() => clearSecretTexts());
  it('a skipped note is said once, not repeated as its summary', () => {
    const d: Diff = { target: '/etc/x', skipped: 'secret', summary: 'content hidden: contains vault values' };
    expect(renderDiff(d, false)).toEqual(['diff skipped: /etc/x: content hidden: contains vault values']);
  });
  it('a diff allowed by --show-secrets is diffed as it is, registered vault values masked per line', () => {
    const before = 'host = a\npw = vault-value-1234\n';
    const after = 'host = b\npw = vault-value-1234\n';
    registerSecretText('vault-value-1234');
    registerSecretText(after, false);
    const d = markSecretsShown({ target: '/etc/y', before, after });
    expect(renderDiff(d, false)).toEqual(['--- before: /etc/y', '+++ after: /etc/y', '@@ -1,2 +1,2 @@', '-host = a', '+host = b', ' pw = ********']);
    // Without the mark the whole registered text is masked before diffing, as for any output.
    expect(renderDiff({ target: '/etc/y', before, after }, false)).toContain('+********');
  });
});
