// The internal-error path of the CLI: an error that is not a user error (here a real one, a
// state_dir below a regular file, so writing the pending-handler state fails with ENOTDIR) prints
// one line on stderr naming the debug log, exits 1, and the stack trace goes only to that log.
// If pending-handlers ever reports this as a user error, pick another genuine trigger.

import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, runSams, writeTree } from '../../helpers/run-cli.js';

beforeAll(() => ensureBuilt());

const playbook = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hello\n';

/** A project whose state_dir lies below a regular file. */
function brokenStateDirProject(): string {
  return writeTree(mkdtempSync(join(tmpdir(), 'sams-internal-')), {
    'sams.yml': 'inventory: hosts.ini\nstate_dir: a-file/state\n',
    'a-file': 'not a directory\n',
    'hosts.ini': 'localhost ansible_connection=local\n',
    'p.yml': playbook,
  });
}

describe('an internal error', () => {
  test('prints one line naming the debug log, no stack trace on stderr, and exits 1', async () => {
    const dir = brokenStateDirProject();
    const debugDir = join(dir, 'debug');
    const r = await runSams(['play', 'p.yml'], { cwd: dir, env: { SAMS_DEBUG_DIR: debugDir } });
    const log = join(debugDir, 'sams-debug.log');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^sams: internal error: ENOTDIR: .*\(trace in (\S+); please report it with the command you ran\)\n$/);
    expect(r.stderr).toContain(`trace in ${log};`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('writes the stack trace and the command line to the debug log, readable by the user only', async () => {
    const dir = brokenStateDirProject();
    const debugDir = join(dir, 'debug');
    await runSams(['play', 'p.yml'], { cwd: dir, env: { SAMS_DEBUG_DIR: debugDir } });
    const log = join(debugDir, 'sams-debug.log');
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/^--- \S+ sams play p\.yml\n/);
    expect(text).toContain('ENOTDIR');
    expect(text).toMatch(/^\s+at /m);
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  test('says so on the same line when the debug log cannot be written', async () => {
    const dir = brokenStateDirProject();
    const debugDir = join(dir, 'a-file', 'debug');
    const r = await runSams(['play', 'p.yml'], { cwd: dir, env: { SAMS_DEBUG_DIR: debugDir } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain(`the trace could not be written to ${join(debugDir, 'sams-debug.log')}: ENOTDIR;`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('a user error is not one: no debug log, exit 4', async () => {
    const dir = writeTree(mkdtempSync(join(tmpdir(), 'sams-internal-')), {
      'hosts.ini': 'localhost ansible_connection=local\n',
      'p.yml': '- hosts: all\n  tasks:\n    - no_such_module: {}\n',
    });
    const debugDir = join(dir, 'debug');
    const r = await runSams(['play', 'p.yml', '-i', 'hosts.ini'], { cwd: dir, env: { SAMS_DEBUG_DIR: debugDir } });
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain('internal error');
    expect(existsSync(join(debugDir, 'sams-debug.log'))).toBe(false);
  });
});
