// wait_for: the target-side loop run with the real sh and tools of this machine, parsed as the
// module parses it; argument checks as Ansible's.

import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import waitForModule, { planWaitFor, type WaitForArgs } from '../../../src/modules/wait_for.js';
import { toEre, waitForScript } from '../../../src/modules/lib/wait-for-script.js';
import type { Plan } from '../../../src/modules/types.js';
import { argError, args } from './env.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-wait-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runSh(script: string, env: Record<string, string> = {}): Promise<{ rc: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('/bin/sh', ['-c', script], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (rc) => resolve({ rc: rc ?? -1, stdout, stderr }));
  });
}

async function waitFor(raw: Record<string, unknown>, env: Record<string, string> = {}): Promise<Plan> {
  const a = args(waitForModule, raw) as WaitForArgs;
  const { waitSpec } = await import('../../../src/modules/wait_for.js');
  return planWaitFor(a, await runSh(waitForScript(waitSpec(a)).text, env));
}

function listen(host = '127.0.0.1'): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      s.write('SSH-2.0-banner ready v7\r\n');
    }).listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port, sockets }));
  });
}

describe('wait_for arguments', () => {
  it.each([
    [{ port: 22, path: '/x' }, 'port and path parameter can not both be passed to wait_for'],
    [{ path: '/x', state: 'stopped' }, 'state=stopped should only be used for checking a port in the wait_for module'],
    [{ path: '/x', state: 'drained' }, 'state=drained should only be used'],
    [{ port: 22, exclude_hosts: ['a'] }, 'exclude_hosts should only be with state=drained'],
    [{ port: 22, state: 'drained', active_connection_states: ['LISTENING'] }, 'unknown active_connection_state (LISTENING) defined'],
    [{ path: '/x', search_regex: '(' }, 'Invalid regular expression'],
    [{ port: 22, state: 'up' }, 'must be one of'],
    [{ port: 22, timeout: 'soon' }, "argument 'timeout'"],
  ])('rejects %j', (raw, msg) => {
    expect(argError(waitForModule, raw)).toContain(msg);
  });
  it('is skipped in check mode, as Ansible’s wait_for (no check-mode support)', () => {
    expect((waitForModule.check as (a: unknown) => string | undefined)(args(waitForModule, { port: 22 }))).toBeTruthy();
  });
  it('translates Python regex classes for grep -E', () => {
    expect(toEre('(?P<n>\\d+)\\s\\w(?:x)')).toBe('([0-9]+)[[:space:]][[:alnum:]_](x)');
  });
});

describe('waiting for files', () => {
  it('succeeds once the file appears, with Ansible’s result keys', async () => {
    const f = join(dir, 'appears');
    setTimeout(() => writeFileSync(f, 'x'), 1200);
    const p = await waitFor({ path: f, timeout: 10, sleep: 1 });
    // As Ansible's add_path_info: an existing path brings its attributes, and state becomes its kind.
    expect(p).toMatchObject({ kind: 'ok', data: { state: 'file', path: f, port: null, search_regex: null, match_groups: [], match_groupdict: {}, size: 1, mode: `0${(statSync(f).mode & 0o777).toString(8)}`, owner: expect.any(String), uid: statSync(f).uid } });
    expect(p.data?.elapsed).toBeGreaterThanOrEqual(1);
    expect(p.data?.elapsed).toBeLessThan(5);
  });

  it('returns the groups of search_regex (named ones in match_groupdict)', async () => {
    const f = join(dir, 'log');
    writeFileSync(f, 'booting\nserver started pid=4242 port=8080\nmore\n');
    const p = await waitFor({ path: f, search_regex: 'pid=(?P<pid>\\d+) port=(\\d+)', timeout: 5 });
    expect(p).toMatchObject({ kind: 'ok', data: { match_groups: ['4242', '8080'], match_groupdict: { pid: '4242' }, search_regex: 'pid=(?P<pid>\\d+) port=(\\d+)' } });
  });

  it('times out with Ansible’s messages', async () => {
    const f = join(dir, 'never');
    expect(await waitFor({ path: f, timeout: 1 })).toMatchObject({ kind: 'fail', msg: `Timeout when waiting for file ${f}` });
    const log = join(dir, 'log2');
    writeFileSync(log, 'nothing here\n');
    expect(await waitFor({ path: log, search_regex: 'ready', timeout: 1 })).toMatchObject({ kind: 'fail', msg: `Timeout when waiting for search string ready in ${log}` });
    expect(await waitFor({ path: log, state: 'absent', timeout: 1, msg: 'custom' })).toMatchObject({ kind: 'fail', msg: 'custom', data: { elapsed: 1 } });
  });

  it('waits for a file to go away', async () => {
    const f = join(dir, 'goes');
    writeFileSync(f, 'x');
    setTimeout(() => rmSync(f), 1000);
    const gone = await waitFor({ path: f, state: 'absent', timeout: 10 });
    expect(gone).toMatchObject({ kind: 'ok', data: { state: 'absent' } });
    expect(gone.data).not.toHaveProperty('mode');
  });

  it('just sleeps for timeout seconds without port or path (Ansible’s behaviour)', async () => {
    const t0 = Date.now();
    expect(await waitFor({ timeout: 1 })).toMatchObject({ kind: 'ok', data: { elapsed: 1 } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });
});

describe('waiting for ports', () => {
  it('started: a listening port; search_regex reads the banner', async () => {
    const { server, port } = await listen();
    try {
      expect(await waitFor({ port, timeout: 5 })).toMatchObject({ kind: 'ok', data: { port, state: 'started' } });
      expect(await waitFor({ port, search_regex: 'banner ready v(\\d)', timeout: 5, connect_timeout: 1 })).toMatchObject({ kind: 'ok', data: { match_groups: ['7'] } });
    } finally {
      server.close();
    }
  });

  it('stopped: a closed port; started on a closed port times out', async () => {
    const { server, port } = await listen();
    await new Promise((r) => server.close(r));
    expect(await waitFor({ port, state: 'stopped', timeout: 5 })).toMatchObject({ kind: 'ok', data: { state: 'stopped' } });
    expect(await waitFor({ port, timeout: 1 })).toMatchObject({ kind: 'fail', msg: `Timeout when waiting for 127.0.0.1:${port}` });
  });

  it('without nc and bash, reads /proc/net/tcp for this host’s ports', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['date', 'sleep', 'awk', 'sort', 'tr', 'getent', 'grep', 'dirname', 'cat', 'timeout', 'printf']) {
      for (const d of ['/usr/bin', '/bin']) {
        try {
          symlinkSync(join(d, tool), join(bin, tool));
          break;
        } catch {
          /* try the next directory */
        }
      }
    }
    const { server, port } = await listen();
    try {
      expect(await waitFor({ port, timeout: 3 }, { PATH: bin })).toMatchObject({ kind: 'ok' });
      expect(await waitFor({ port, host: '192.0.2.77', timeout: 3 }, { PATH: bin })).toMatchObject({ kind: 'fail', msg: expect.stringContaining('neither nc nor bash') });
    } finally {
      server.close();
    }
  });

  it('drained: waits until no active connection is left on the port', async () => {
    const { server, port, sockets } = await listen();
    const client = await new Promise<Socket>((r) => {
      const c = connect(port, '127.0.0.1', () => r(c));
    });
    try {
      expect(await waitFor({ port, state: 'drained', timeout: 1 })).toMatchObject({ kind: 'fail', msg: `Timeout when waiting for 127.0.0.1:${port} to drain` });
      // The client's own address excluded: nothing left to wait for.
      expect(await waitFor({ port, state: 'drained', timeout: 2, exclude_hosts: ['127.0.0.1'] })).toMatchObject({ kind: 'ok' });
      setTimeout(() => {
        client.destroy();
        sockets.forEach((s) => s.destroy());
      }, 800);
      expect(await waitFor({ port, state: 'drained', timeout: 10, active_connection_states: ['ESTABLISHED'] })).toMatchObject({ kind: 'ok', data: { state: 'drained' } });
    } finally {
      client.destroy();
      server.close();
    }
  });
});

describe('errors', () => {
  it('a stat error other than "missing" fails at once (as Ansible)', async () => {
    if (process.getuid?.() === 0) return; // root reads anything: nothing to test
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    expect(await waitFor({ path: join(locked, 'f'), timeout: 3 })).toMatchObject({ kind: 'fail', msg: expect.stringContaining('Failed to stat') });
  });
});
