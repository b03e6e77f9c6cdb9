import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { applySymbolicMode, formatMode, planAttrs } from '../../../src/modules/lib/file-attrs.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-attrs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What GNU chmod makes of `spec` applied to a file (or dir) with mode `start`. */
function realChmod(start: number, spec: string, isDir: boolean): number {
  const p = join(dir, `${isDir ? 'd' : 'f'}-${start.toString(8)}-${spec.replace(/[^a-z0-9]/gi, '_')}`);
  if (isDir) mkdirSync(p);
  else writeFileSync(p, '');
  chmodSync(p, start);
  execFileSync('chmod', [spec, p]);
  return statSync(p).mode & 0o7777;
}

describe('symbolic modes match chmod(1)', () => {
  const cases: [number, string, boolean][] = [
    [0o644, 'u=rw,g=r,o=', false],
    [0o600, 'g+r', false],
    [0o777, 'o-rwx', false],
    [0o644, 'a+x', false],
    [0o644, 'u+x,g+X', false],
    [0o755, 'g-w,o=', true],
    [0o640, 'a+X', true],
    [0o640, 'a+X', false],
    [0o750, 'o=u', false],
    [0o755, 'u+s', false],
    [0o755, 'g+s', true],
    [0o777, 'o+t', true],
    [0o644, 'ug=rw', false],
    [0o000, 'u=rwx,go=rx', true],
  ];
  for (const [start, spec, isDir] of cases) {
    test(`${formatMode(start)} ${spec} (${isDir ? 'dir' : 'file'})`, () => {
      expect(formatMode(applySymbolicMode(start, spec, isDir))).toBe(formatMode(realChmod(start, spec, isDir)));
    });
  }
});

describe('planAttrs', () => {
  const base = { path: '/x', exists: true, type: 'file' as const, mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0 };
  test('nothing to do when everything matches (octal and symbolic)', () => {
    expect(planAttrs('/x', base, { owner: 'root', group: '0', mode: '0644' }).command).toBeUndefined();
    expect(planAttrs('/x', base, { mode: 'u=rw,g=r,o=r' }).command).toBeUndefined();
    expect(planAttrs('/x', base, { mode: '644' }).command).toBeUndefined();
  });
  test('one command for what differs, with before/after', () => {
    const c = planAttrs('/x y', base, { owner: 'mail', mode: '0600' });
    expect(c.command?.text).toBe("chown mail -- '/x y' && chmod 0600 -- '/x y'");
    expect(c.before).toEqual({ owner: 'root', mode: '0644' });
    expect(c.after).toEqual({ owner: 'mail', mode: '0600' });
  });
  test('a link is changed itself (chown -h) and has no mode', () => {
    const c = planAttrs('/l', { ...base, type: 'link', mode: '0777' }, { group: 'mail', mode: '0600' });
    expect(c.command?.text).toBe('chgrp -h mail -- /l');
  });
});
