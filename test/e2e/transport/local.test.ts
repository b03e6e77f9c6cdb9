// The local connection: same contract as SSH (exec, env, cwd, timeout, become, atomic put, get).

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { connect } from '../../../src/transport/connect.js';
import { resolveConnectSpec } from '../../../src/transport/resolve-spec.js';
import type { Connection } from '../../../src/transport/types.js';
import { eventually } from '../../helpers/eventually.js';
import { ensureTestUsers } from '../../helpers/sshd.js';

let conn: Connection;
let dir: string;

beforeAll(async () => {
  await ensureTestUsers();
  dir = mkdtempSync(join(tmpdir(), 'sams-local-'));
  conn = await connect(resolveConnectSpec('localhost', { ansible_connection: 'local' }, { hostKeyChecking: 'strict', timeout: 10 }));
});
afterAll(async () => {
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local connection', () => {
  test('is a local connection named after the host', () => {
    expect(conn.kind).toBe('local');
    expect(conn.name).toBe('localhost');
  });

  test('exec runs /bin/sh with stdin, env (secret too), cwd and exit status', async () => {
    const r = await conn.exec('echo "$0 $A $B"; pwd; cat; echo err >&2; exit 4', {
      env: { A: 'a', B: new Secret('b-secret') },
      cwd: dir,
      stdin: 'in',
    });
    expect(r).toMatchObject({ rc: 4, stdout: `/bin/sh a b-secret\n${dir}\nin`, stderr: 'err\n' });
    expect(conn.roundTrips).toBeGreaterThan(0);
  });

  test('a timeout kills the command and its children', async () => {
    const marker = `33.${Date.now() % 100000}`;
    const r = await conn.exec(`sleep ${marker} & sleep ${marker}`, { timeoutMs: 300 });
    expect(r).toMatchObject({ rc: -1, timedOut: true });
    const ps = await eventually(() => conn.exec(`ps -eo args | grep -c '^sleep ${marker}$' || true`), (r) => r.stdout.trim() === '0');
    expect(ps.stdout.trim()).toBe('0');
  });

  test('become with sudo runs as the target user', async () => {
    const r = await conn.exec('id -un; cat', { become: { method: 'sudo', user: 'samsuser' }, stdin: 'x' });
    expect(r.stdout).toBe('samsuser\nx');
  });

  test('put is atomic and applies mode and owner; get reads it back', async () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'old');
    const inode = statSync(path).ino;
    await conn.put(path, Buffer.from([0, 255, 10]), { mode: '0640', owner: 'samsuser' });
    const st = statSync(path);
    expect(st.ino).not.toBe(inode);
    expect(st.mode & 0o777).toBe(0o640);
    expect(readFileSync(path)).toEqual(Buffer.from([0, 255, 10]));
    expect(await conn.get(path)).toEqual(Buffer.from([0, 255, 10]));
    await expect(conn.put(path, 'y', { owner: 'no-such-user-y' })).rejects.toThrow(/cannot write .* on localhost: chown: invalid user/);
    expect(readFileSync(path)).toEqual(Buffer.from([0, 255, 10]));
  });
});
