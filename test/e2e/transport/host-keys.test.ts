// Host key checking against known_hosts files with real sshd host keys and OpenSSH's own tools.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '../../../src/transport/connect.js';
import { UnreachableError, type HostKeyChecking } from '../../../src/transport/types.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let tmp: string;
let n = 0;

beforeAll(async () => {
  th = await startTestHosts(2);
  tmp = mkdtempSync(join(tmpdir(), 'sams-kh-'));
});
afterAll(async () => {
  await th?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function knownHosts(lines: string[]): string {
  const f = join(tmp, `known_hosts_${++n}`);
  writeFileSync(f, lines.length ? lines.join('\n') + '\n' : '');
  return f;
}

async function tryConnect(file: string, policy: HostKeyChecking, host = 'h1'): Promise<UnreachableError | 'ok'> {
  try {
    const c = await connect(th.spec(host, { knownHostsFiles: [file], hostKeyChecking: policy }));
    const r = await c.exec('echo ok');
    await c.close();
    return r.stdout === 'ok\n' ? 'ok' : (new UnreachableError(host, 'exec failed') as UnreachableError);
  } catch (e) {
    if (e instanceof UnreachableError) return e;
    throw e;
  }
}

/** What `ssh-keygen -l` prints for a host's key: `SHA256:...`. */
function sshKeygenFingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
}

describe('host key checking', () => {
  test('strict: a known key connects', async () => {
    expect(await tryConnect(th.knownHostsFile, 'strict')).toBe('ok');
  });

  test('strict: an unknown key is refused, naming the key type and fingerprint as ssh-keygen prints it, with the fix', async () => {
    const h = th.host('h1');
    const file = knownHosts([]);
    const e = await tryConnect(file, 'strict');
    expect(e).toBeInstanceOf(UnreachableError);
    const err = e as UnreachableError;
    expect(err.host).toBe('h1');
    expect(err.message).toContain(`host key for [${h.address}]:${h.port} is unknown: the server offered ssh-ed25519 ${sshKeygenFingerprint(`${h.hostKeyFile}.pub`)}`);
    expect(err.hint).toContain(`ssh-keyscan -p ${h.port} ${h.address} >> ${file}`);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  test('accept-new records an unknown key in OpenSSH format, then the key is known (to ssh too)', async () => {
    const h = th.host('h1');
    const file = join(tmp, 'new-dir', 'known_hosts');
    expect(await tryConnect(file, 'accept-new')).toBe('ok');
    expect(readFileSync(file, 'utf8')).toBe(`${h.knownHostsLine}\n`);
    expect(await tryConnect(file, 'strict')).toBe('ok');
    const out = execFileSync(
      'ssh',
      ['-i', th.clientKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${file}`, '-F', '/dev/null', '-p', String(h.port), `root@${h.address}`, 'echo via-openssh'],
      { encoding: 'utf8' },
    );
    expect(out).toBe('via-openssh\n');
  });

  test('accept-new appends to an existing file without gluing lines', async () => {
    const file = knownHosts([]);
    writeFileSync(file, '# no trailing newline');
    expect(await tryConnect(file, 'accept-new')).toBe('ok');
    expect(readFileSync(file, 'utf8')).toBe(`# no trailing newline\n${th.host('h1').knownHostsLine}\n`);
  });

  for (const policy of ['strict', 'accept-new'] as const) {
    test(`${policy}: a changed key is refused, naming the file and line of the old key`, async () => {
      const h1 = th.host('h1');
      const h2 = th.host('h2');
      // h2's key recorded under h1's name: what a reinstalled (or impersonated) h1 looks like.
      const file = knownHosts(['# comment', h2.knownHostsLine, `[${h1.address}]:${h1.port} ssh-ed25519 ${h2.hostKeyBase64}`]);
      const before = readFileSync(file, 'utf8');
      const e = await tryConnect(file, policy);
      expect(e).toBeInstanceOf(UnreachableError);
      const err = e as UnreachableError;
      expect(err.message).toContain(`HOST KEY CHANGED for [${h1.address}]:${h1.port}`);
      expect(err.message).toContain(`offered ssh-ed25519 ${sshKeygenFingerprint(`${h1.hostKeyFile}.pub`)}`);
      expect(err.message).toContain(`${file}:3 holds a different ssh-ed25519 key`);
      expect(err.hint).toContain(`ssh-keygen -f ${file} -R '[${h1.address}]:${h1.port}'`);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });
  }

  test('a known key of another type only (the server no longer offers it) is refused as a change', async () => {
    const h1 = th.host('h1');
    const other = join(tmp, 'ecdsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', other]);
    const blob = readFileSync(`${other}.pub`, 'utf8').split(' ')[1];
    const file = knownHosts([`[${h1.address}]:${h1.port} ecdsa-sha2-nistp256 ${blob}`]);
    const e = await tryConnect(file, 'accept-new');
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).message).toMatch(/HOST KEY CHANGED .* known_hosts has only other keys for it \(ecdsa-sha2-nistp256 at .*:1\)/);
  });

  test('hashed entries (ssh-keygen -H) are matched, and a changed key under a hash is still caught', async () => {
    const h1 = th.host('h1');
    const h2 = th.host('h2');
    const file = knownHosts([h1.knownHostsLine, `[${h2.address}]:${h2.port} ssh-ed25519 ${h1.hostKeyBase64}`]);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(h1.address);
    expect(text).toMatch(/^\|1\|/);
    expect(await tryConnect(file, 'strict', 'h1')).toBe('ok');
    const e = await tryConnect(file, 'strict', 'h2');
    expect((e as UnreachableError).message).toContain(`${file}:2 holds a different ssh-ed25519 key`);
  });

  test('a plain host entry without a port does not match a host on another port; patterns and negation work', async () => {
    const h1 = th.host('h1');
    expect(await tryConnect(knownHosts([`${h1.address} ssh-ed25519 ${h1.hostKeyBase64}`]), 'strict')).toBeInstanceOf(UnreachableError);
    expect(await tryConnect(knownHosts([`other.example,[${h1.address}]:${h1.port} ssh-ed25519 ${h1.hostKeyBase64}`]), 'strict')).toBe('ok');
    expect(await tryConnect(knownHosts([`[127.*]:${h1.port} ssh-ed25519 ${h1.hostKeyBase64}`]), 'strict')).toBe('ok');
    expect(await tryConnect(knownHosts([`*,![${h1.address}]:${h1.port} ssh-ed25519 ${h1.hostKeyBase64}`]), 'strict')).toBeInstanceOf(UnreachableError);
  });

  test('a key marked @revoked is refused even though it is also listed as known', async () => {
    const h1 = th.host('h1');
    const file = knownHosts([h1.knownHostsLine, `@revoked * ssh-ed25519 ${h1.hostKeyBase64}`]);
    const e = await tryConnect(file, 'accept-new');
    expect((e as UnreachableError).message).toContain(`is marked @revoked in ${file}:2`);
  });

  test('ecdsa and rsa host keys: known ones connect, unknown ones are reported with their type and fingerprint', async () => {
    const [ec, rsa] = await Promise.all([startTestHosts(1, { hostKeyType: 'ecdsa' }), startTestHosts(1, { hostKeyType: 'rsa' })]);
    try {
      for (const hosts of [ec, rsa]) {
        const h = hosts.hosts[0]!;
        const ok = await connect(hosts.spec('h1'));
        expect((await ok.exec('echo ok')).stdout).toBe('ok\n');
        await ok.close();
        const err = await connect(hosts.spec('h1', { knownHostsFiles: [knownHosts([])] })).catch((e) => e);
        expect((err as Error).message).toContain(`the server offered ${h.hostKeyType} ${sshKeygenFingerprint(`${h.hostKeyFile}.pub`)}`);
      }
      expect(ec.hosts[0]!.hostKeyType).toBe('ecdsa-sha2-nistp256');
      expect(rsa.hosts[0]!.hostKeyType).toBe('ssh-rsa');
    } finally {
      await Promise.all([ec.stop(), rsa.stop()]);
    }
  }, 20_000);

  test('off: connects without any known key and writes nothing', async () => {
    const file = knownHosts([]);
    expect(await tryConnect(file, 'off')).toBe('ok');
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  test('off: a changed key connects but is never silent: a warning names both fingerprints and the known_hosts line', async () => {
    const h1 = th.host('h1');
    const h2 = th.host('h2');
    const file = knownHosts(['# comment', `[${h1.address}]:${h1.port} ssh-ed25519 ${h2.hostKeyBase64}`]);
    const before = readFileSync(file, 'utf8');
    const warnings: string[] = [];
    const c = await connect(th.spec('h1', { knownHostsFiles: [file], hostKeyChecking: 'off', onWarning: (m) => warnings.push(m) }));
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
    expect(warnings).toHaveLength(1);
    const w = warnings[0]!;
    expect(w).toContain(`REMOTE HOST IDENTIFICATION HAS CHANGED for [${h1.address}]:${h1.port}`);
    expect(w).toContain(`the server offered ssh-ed25519 ${sshKeygenFingerprint(`${h1.hostKeyFile}.pub`)}`);
    expect(w).toContain(`known_hosts holds ssh-ed25519 ${sshKeygenFingerprint(`${h2.hostKeyFile}.pub`)} (${file}:2)`);
    expect(w).toContain('host key checking is off');
    expect(w).toContain(`ssh-keygen -f ${file} -R '[${h1.address}]:${h1.port}'`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('off: a known key and an unknown host connect without a warning', async () => {
    const warnings: string[] = [];
    for (const file of [th.knownHostsFile, knownHosts([])]) {
      const c = await connect(th.spec('h1', { knownHostsFiles: [file], hostKeyChecking: 'off', onWarning: (m) => warnings.push(m) }));
      await c.close();
    }
    expect(warnings).toEqual([]);
  });

  test('UserKnownHostsFile=/dev/null with accept-new connects', async () => {
    expect(await tryConnect('/dev/null', 'accept-new')).toBe('ok');
  });
});
