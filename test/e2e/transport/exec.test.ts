// exec over a real sshd: output, exit status, stdin, env, cwd, timeouts, concurrency on one connection.

import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { connect } from '../../../src/transport/connect.js';
import { UnreachableError, type Connection } from '../../../src/transport/types.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let conn: Connection;
let observer: Connection;

beforeAll(async () => {
  th = await startTestHosts(1);
  [conn, observer] = await Promise.all([connect(th.spec('h1')), connect(th.spec('h1'))]);
});
afterAll(async () => {
  await Promise.all([conn?.close(), observer?.close()]);
  await th?.stop();
});

describe('exec', () => {
  test('returns stdout, stderr and the exit status', async () => {
    const r = await conn.exec('echo out; echo err >&2; exit 7');
    expect(r).toMatchObject({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
    expect(r.stdoutBytes.equals(Buffer.from('out\n'))).toBe(true);
  });

  test('runs the script with /bin/sh whatever the login shell', async () => {
    // $0 is the shell running the script; a bash login shell would otherwise run it itself.
    const r = await conn.exec('readlink -f /proc/$$/exe; echo "$0"');
    expect(r.stdout).toBe(`${(await conn.exec('readlink -f /bin/sh')).stdout.trim()}\n/bin/sh\n`);
  });

  test('multi-line scripts with quotes run unchanged', async () => {
    const r = await conn.exec(`x='it'"'"'s'\nif [ "$x" = "it's" ]; then echo "yes: $x"; fi`);
    expect(r.stdout).toBe("yes: it's\n");
  });

  test('streams a large binary stdin through and back unchanged', async () => {
    const data = randomBytes(8 * 1024 * 1024 + 13);
    const r = await conn.exec('cat', { stdin: Readable.from([data.subarray(0, 1000), data.subarray(1000)]) });
    expect(r.rc).toBe(0);
    expect(createHash('sha256').update(r.stdoutBytes).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  }, 30_000);

  test('stdin from a string, a Buffer and a Secret; none closes stdin at once', async () => {
    expect((await conn.exec('cat', { stdin: 'text' })).stdout).toBe('text');
    expect((await conn.exec('cat', { stdin: Buffer.from([0, 1, 2]) })).stdoutBytes).toEqual(Buffer.from([0, 1, 2]));
    expect((await conn.exec('cat', { stdin: new Secret('s3cret') })).stdout).toBe('s3cret');
    expect((await conn.exec('cat; echo done', { timeoutMs: 3000 })).stdout).toBe('done\n');
  });

  test('exports env values, including quotes and newlines', async () => {
    const r = await conn.exec('printf "%s|%s" "$A" "$B"', { env: { A: "it's \"x\"", B: 'line1\nline2' } });
    expect(r.stdout).toBe('it\'s "x"|line1\nline2');
  });

  test('secret env values reach the command but never its command line', async () => {
    const secret = new Secret(`pw-${randomBytes(6).toString('hex')}\nsecond line`);
    const running = conn.exec('echo "$TOKEN" > /dev/null; printf %s "$TOKEN"; cat; sleep 1', {
      env: { TOKEN: secret, PLAIN: 'visible' },
      stdin: 'payload',
    });
    await new Promise((r) => setTimeout(r, 400));
    const ps = await observer.exec('ps -eo args');
    expect(ps.stdout).toContain('sleep 1');
    expect(ps.stdout).not.toContain(secret.reveal().split('\n')[0]);
    const r = await running;
    expect(r.stdout).toBe(`${secret.reveal()}payload`);
  });

  test('rejects an invalid env name before running anything', async () => {
    const before = conn.roundTrips;
    await expect(conn.exec('true', { env: { 'A-B': 'x' } })).rejects.toThrow(/invalid environment variable name 'A-B'/);
    expect(conn.roundTrips).toBe(before);
  });

  test('cwd changes directory; a missing one fails with rc 1 and a message', async () => {
    expect((await conn.exec('pwd', { cwd: th.hosts[0]!.root })).stdout).toBe(`${th.hosts[0]!.root}\n`);
    const r = await conn.exec('echo should-not-run', { cwd: '/no/such/dir' });
    expect(r.rc).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/can't cd|No such file/);
  });

  test('timeout kills the command and everything it started', async () => {
    const marker = `31.${Date.now() % 100000}`;
    const t0 = Date.now();
    const r = await conn.exec(`echo started; sleep ${marker} & sleep ${marker}; echo never`, { timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r).toMatchObject({ rc: -1, timedOut: true, stdout: 'started\n' });
    const ps = await eventually(() => observer.exec(`ps -eo args | grep -c '^sleep ${marker}$' || true`), (r) => r.stdout.trim() === '0');
    expect(ps.stdout.trim()).toBe('0');
  });

  test('a command killed by a signal reports it', async () => {
    const r = await conn.exec('kill -KILL $$');
    expect(r.signal).toBe('SIGKILL');
    expect(r.rc).toBe(128 + 9);
  });

  test('more concurrent commands than sshd MaxSessions (10) all run on the one connection', async () => {
    const before = conn.roundTrips;
    const results = await Promise.all(Array.from({ length: 35 }, (_, i) => conn.exec(`sleep 0.1; echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 35 }, (_, i) => String(i)));
    expect(results.every((r) => r.rc === 0)).toBe(true);
    expect(conn.roundTrips - before).toBe(35);
    // Still one TCP connection per client: this sshd has one child per connection (conn and observer).
    const sessions = await observer.exec(`ps -eo ppid= | grep -c '^ *${th.hosts[0]!.pid}$' || true`);
    expect(Number(sessions.stdout.trim())).toBe(2);
  }, 20_000);

  test('adapts when the server allows fewer sessions than 10', async () => {
    const small = await startTestHosts(1, { extraConfig: 'MaxSessions 3' });
    const c = await connect(small.spec('h1'));
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.exec(`sleep 0.02; echo ${i}`)));
      expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    } finally {
      await c.close();
      await small.stop();
    }
  }, 20_000);

  test('a round trip on loopback takes a few milliseconds', async () => {
    await conn.exec('true');
    const n = 20;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await conn.exec('true');
    const perExec = (performance.now() - t0) / n;
    // Most of it is sshd starting the login shell and /bin/sh on this host.
    expect(perExec).toBeLessThan(40);
  });

  test('a connection that drops mid-command makes the command and later ones fail as unreachable', async () => {
    const c = await connect(th.spec('h1'));
    // The script's parent is this connection's sshd process: killing it cuts the connection.
    const running = c.exec('sleep 0.2; kill -KILL $PPID; sleep 5');
    await expect(running).rejects.toThrow(UnreachableError);
    await expect(running).rejects.toThrow(/connection lost/);
    await expect(c.exec('true')).rejects.toThrow(/connection lost/);
    await c.close();
  });

  test('commands after close() fail with a clear error', async () => {
    const c = await connect(th.spec('h1'));
    await c.exec('true');
    await c.close();
    await expect(c.exec('true')).rejects.toThrow(/connection closed/);
  });
});
