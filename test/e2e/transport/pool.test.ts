// ConnectionPool: many hosts in parallel, each with a Connection or an UnreachableError that says why.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectionPool } from '../../../src/transport/connect.js';
import { UnreachableError, type Connection } from '../../../src/transport/types.js';
import { startBlackhole, startSilentServer, type Blackhole } from '../../helpers/blackhole.js';
import { freePort, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let blackhole: Blackhole;
let silent: Blackhole;
let tmp: string;

beforeAll(async () => {
  [th, blackhole, silent] = await Promise.all([startTestHosts(3), startBlackhole(), startSilentServer()]);
  tmp = mkdtempSync(join(tmpdir(), 'sams-pool-'));
}, 30_000);
afterAll(async () => {
  await Promise.all([th?.stop(), blackhole?.stop(), silent?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('ConnectionPool', () => {
  test('reachable hosts connect while each unreachable one gets its own clear reason', async () => {
    const closedPort = await freePort('127.0.0.1');
    const emptyKnownHosts = join(tmp, 'empty');
    writeFileSync(emptyKnownHosts, '');
    const wrongKey = join(tmp, 'wrong');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const short = { connectTimeoutMs: 600 };
    const pool = new ConnectionPool({ limit: 10 });
    const t0 = Date.now();
    const out = await pool.open([
      th.spec('h1'),
      th.spec('h2'),
      th.spec('h3', { knownHostsFiles: [emptyKnownHosts] }),
      { ...th.spec('h1'), name: 'refused', host: '127.0.0.1', port: closedPort },
      { ...th.spec('h1'), name: 'dropped', host: blackhole.address, port: blackhole.port, ...short },
      { ...th.spec('h1'), name: 'silent', host: silent.address, port: silent.port, ...short },
      { ...th.spec('h1'), name: 'offsite', host: '10.255.255.1', port: 22, ...short },
      { ...th.spec('h1'), name: 'badkey', keyFiles: [wrongKey] },
      { ...th.spec('h1'), name: 'nodns', host: 'no-such-host.invalid' },
    ]);
    const elapsed = Date.now() - t0;
    try {
      const reason = (name: string) => {
        const o = out.get(name);
        expect(o, name).toBeInstanceOf(UnreachableError);
        expect((o as UnreachableError).host).toBe(name);
        return (o as UnreachableError).message;
      };
      for (const ok of ['h1', 'h2']) {
        const c = out.get(ok) as Connection;
        expect(c).not.toBeInstanceOf(UnreachableError);
        expect((await c.exec('echo up')).stdout).toBe('up\n');
      }
      expect(reason('h3')).toMatch(/host key for .* is unknown/);
      expect(reason('refused')).toBe(`connection refused by 127.0.0.1 port ${closedPort}`);
      expect(reason('dropped')).toBe(`timed out after 0.6 s connecting to ${blackhole.address} port ${blackhole.port}`);
      expect(reason('silent')).toMatch(/^timed out after 0\.6 s waiting for the SSH handshake with /);
      // What an off-site address does depends on the network: drop packets, or (behind a
      // transparent proxy) accept and then hang up or never speak SSH.
      expect(reason('offsite')).toMatch(
        /^timed out after 0\.6 s (connecting to 10\.255\.255\.1 port 22|waiting for the SSH handshake)|^no route to 10\.255\.255\.1|^10\.255\.255\.1 closed the connection before the SSH handshake/,
      );
      expect(reason('badkey')).toMatch(/^authentication failed for root@.*: tried key .*wrong/);
      expect(reason('nodns')).toBe('cannot resolve host name no-such-host.invalid');
      // All in parallel: the whole pool takes about one timeout, not the sum.
      expect(elapsed).toBeLessThan(3000);
      expect(await pool.get('h1')).toBe(out.get('h1'));
      expect(await pool.get('refused')).toBeUndefined();
    } finally {
      await pool.close();
    }
    await expect((out.get('h1') as Connection).exec('true')).rejects.toThrow(/connection closed/);
  }, 20_000);

  test('connecting the same host twice reuses the first connection', async () => {
    const pool = new ConnectionPool();
    try {
      const [a] = [...(await pool.open([th.spec('h1')])).values()];
      const [b] = [...(await pool.open([th.spec('h1')])).values()];
      expect(b).toBe(a);
    } finally {
      await pool.close();
    }
  });

  test('the limit bounds how many connections are opened at once', async () => {
    const pool = new ConnectionPool({ limit: 1 });
    const silentSpecs = ['s1', 's2', 's3'].map((name) => ({ ...th.spec('h1'), name, host: silent.address, port: silent.port, connectTimeoutMs: 300 }));
    const t0 = Date.now();
    await pool.open(silentSpecs);
    // One at a time: three handshake timeouts in a row.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(850);
    await pool.close();
  });
});
