// ~/.ssh/config honoured (HostName, User, Port, IdentityFile, IdentitiesOnly, ProxyJump, known hosts) against real sshds.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '../../../src/transport/connect.js';
import { resolveConnectSpec } from '../../../src/transport/resolve-spec.js';
import { applySshConfig } from '../../../src/transport/ssh-config.js';
import { UnreachableError, type ConnectSpec } from '../../../src/transport/types.js';
import { ensureTestUsers, freePort, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let tmp: string;
let cfg: string;

beforeAll(async () => {
  await ensureTestUsers();
  th = await startTestHosts(2, { names: ['web', 'bastion'], logLevel: 'DEBUG1' });
  tmp = mkdtempSync(join(tmpdir(), 'sams-sshcfg-'));
  const w = th.host('web');
  const b = th.host('bastion');
  cfg = join(tmp, 'config');
  writeFileSync(
    cfg,
    `Host web-alias
  HostName ${w.address}
  Port ${w.port}
  User root

Host behind
  HostName ${w.address}
  Port ${w.port}
  ProxyJump jumpbox

Host jumpbox
  HostName ${b.address}
  Port ${b.port}

Host fresh
  HostName ${w.address}
  Port ${w.port}
  StrictHostKeyChecking accept-new
  UserKnownHostsFile ${join(tmp, 'fresh_known_hosts')}

Host *
  IdentityFile ${th.clientKey}
  IdentitiesOnly yes
  UserKnownHostsFile ${th.knownHostsFile}
  ConnectTimeout 4
  User samsuser
`,
  );
}, 30_000);
afterAll(async () => {
  await th?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const base = (host: string, extra: Partial<ConnectSpec> = {}): ConnectSpec => ({ name: host, connection: 'ssh', host, sshConfigFile: cfg, ...extra });

async function whoami(spec: ConnectSpec): Promise<string> {
  const c = await connect(spec);
  try {
    return (await c.exec('echo "$(id -un) $SSH_CONNECTION"')).stdout.trim();
  } finally {
    await c.close();
  }
}

describe('ssh config', () => {
  test('resolves a Host alias like OpenSSH does (ssh -G)', () => {
    const r = applySshConfig(base('web-alias'));
    const g = execFileSync('ssh', ['-G', '-F', cfg, 'web-alias'], { encoding: 'utf8' });
    const get = (k: string) => new RegExp(`^${k} (.*)$`, 'm').exec(g)![1];
    expect(r.host).toBe(get('hostname'));
    expect(String(r.port)).toBe(get('port'));
    expect(r.user).toBe(get('user'));
    expect(r.keyFiles).toEqual([th.clientKey]);
    expect(r.identitiesOnly).toBe(true);
    expect(r.knownHostsFiles).toEqual([get('userknownhostsfile')]);
    expect(r.connectTimeoutMs).toBe(Number(get('connecttimeout')) * 1000);
  });

  test('connects through an alias with HostName, Port, User and IdentityFile from the config', async () => {
    const w = th.host('web');
    expect(await whoami(base('web-alias'))).toMatch(new RegExp(`^root .* ${w.address} ${w.port}$`));
  });

  test('inventory values win over the config (as -o on the ssh command line does)', async () => {
    expect((await whoami(base('web-alias', { user: 'samsuser' }))).split(' ')[0]).toBe('samsuser');
    const closed = await freePort(th.host('web').address);
    const err = await connect(base('web-alias', { port: closed })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe(`connection refused by ${th.host('web').address} port ${closed}`);
  });

  test('host patterns match ansible_host (the destination), not the inventory name', async () => {
    const spec = resolveConnectSpec('frontend', { ansible_host: 'web-alias' }, { hostKeyChecking: 'strict', timeout: 10, sshConfigFile: cfg });
    expect((await whoami(spec)).split(' ')[0]).toBe('root');
  });

  test('ProxyJump from the config, with the jump host resolved through the config too', async () => {
    const w = th.host('web');
    const tunnels = () => th.host('bastion').log().split('\n').filter((l) => l.includes(`target ${w.address} port ${w.port}`)).length;
    const before = tunnels();
    expect(await whoami(base('behind'))).toMatch(/^samsuser /);
    expect(tunnels()).toBe(before + 1);
  });

  test('StrictHostKeyChecking and UserKnownHostsFile from the config', async () => {
    await whoami(base('fresh'));
    expect(readFileSync(join(tmp, 'fresh_known_hosts'), 'utf8')).toBe(`${th.host('web').knownHostsLine}\n`);
  });

  test('sshConfigFile false ignores the config', async () => {
    const err = await connect(base('web-alias', { sshConfigFile: false, connectTimeoutMs: 2000 })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe('cannot resolve host name web-alias');
  });

  test('a ProxyCommand sams cannot translate makes the host unreachable with a reason', async () => {
    const other = join(tmp, 'proxycmd');
    writeFileSync(other, 'Host pc\n  ProxyCommand nc %h %p\n');
    const err = await connect({ name: 'pc', connection: 'ssh', host: 'pc', sshConfigFile: other }).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe('ssh config sets ProxyCommand nc %h %p, which sams cannot run');
  });
});
