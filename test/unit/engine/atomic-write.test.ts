// The atomic write script, run by a real /bin/sh on real files: validate is split into words and
// run without a shell as Ansible does, %s being the temp file wherever it stands (quoted or not),
// and a failing validation leaves the old file as it was.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atomicWriteScript } from '../../../src/engine/apply-steps.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string, validate: string) {
  const path = join(dir, name);
  writeFileSync(path, 'old\n');
  const r = spawnSync('/bin/sh', ['-c', atomicWriteScript({ kind: 'write', path, content, validate })], { input: content, encoding: 'utf8' });
  return { rc: r.status, stderr: r.stderr, now: readFileSync(path, 'utf8') };
}

describe('atomicWriteScript validate', () => {
  it.each([
    ['unquoted', 'test -s %s'],
    ['in single quotes', "test -s '%s'"],
    ['inside a quoted sh -c script', "sh -c 'test -s %s && grep -q new %s'"],
    ['joined to other text', 'sh -c "test -s $0" %s'],
  ])('%s: the new content is checked and written', (_name, validate) => {
    const r = write(`ok-${validate.length}`, 'new\n', validate);
    expect(r.rc, r.stderr).toBe(0);
    expect(r.now).toBe('new\n');
  });

  it('a failing validation leaves the old file and no temp file', () => {
    const r = write('bad', 'new\n', "grep -q '^good' %s");
    expect(r.rc).toBe(74);
    expect(r.now).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('.sams.'))).toEqual([]);
  });

  it('no shell: a ; in validate is an argument, not a second command', () => {
    const r = write('semi', 'new\n', 'test -s %s ; false');
    expect(r.rc).toBe(74);
    expect(r.now).toBe('old\n');
  });
});
