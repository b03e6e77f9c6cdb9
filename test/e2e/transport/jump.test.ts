// Jump hosts (ProxyJump, -J, ProxyCommand ssh -W) through real sshds, with host keys checked at every hop.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectionPool, connect } from '../../../src/transport/connect.js';
import { resolveConnectSpec } from '../../../src/transport/resolve-spec.js';
import { UnreachableError, type ConnectSpec } from '../../../src/transport/types.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let tmp: string;

beforeAll(async () => {
  // DEBUG1 makes sshd log each tunnel it opens (server_request_direct_tcpip), which proves the route.
  // 'nofwd' refuses forwarding; 'target' permits only tunnels that arrive through bastion (see PermitOpen).
  th = await startTestHosts(4, {
    names: ['bastion', 'inner', 'target', 'nofwd'],
    logLevel: 'DEBUG1',
    extraConfig: (name) => (name === 'nofwd' ? 'AllowTcpForwarding no' : ''),
  });
  tmp = mkdtempSync(join(tmpdir(), 'sams-jump-'));
}, 30_000);
afterAll(async () => {
  await th?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function hop(name: string, extra: Partial<ConnectSpec> = {}): ConnectSpec {
  const { connectTimeoutMs: _t, ...spec } = th.spec(name, extra);
  return spec;
}

const tunnelsIn = (host: string, target: string) => {
  const t = th.host(target);
  return th.host(host).log().split('\n').filter((l) => l.includes(`server_request_direct_tcpip`) && l.includes(`target ${t.address} port ${t.port}`)).length;
};

describe('jump hosts', () => {
  test('reaches the target through one jump host, and the tunnel is opened by the jump host', async () => {
    const before = tunnelsIn('bastion', 'target');
    const c = await connect(th.spec('target', { jump: [hop('bastion')] }));
    try {
      expect((await c.exec('echo "$SSH_CONNECTION"')).stdout).toContain(`${th.host('target').address} ${th.host('target').port}`);
      expect(tunnelsIn('bastion', 'target')).toBe(before + 1);
    } finally {
      await c.close();
    }
  });

  test('a chain of two jump hosts (outermost first)', async () => {
    const before = tunnelsIn('inner', 'target');
    const beforeOuter = tunnelsIn('bastion', 'inner');
    const c = await connect(th.spec('target', { jump: [hop('bastion'), hop('inner')] }));
    try {
      expect((await c.exec('echo ok')).stdout).toBe('ok\n');
      expect(tunnelsIn('bastion', 'inner')).toBe(beforeOuter + 1);
      expect(tunnelsIn('inner', 'target')).toBe(before + 1);
    } finally {
      await c.close();
    }
  });

  test("the jump host's key is verified too", async () => {
    const b = th.host('bastion');
    const t = th.host('target');
    const onlyTarget = join(tmp, 'only-target');
    writeFileSync(onlyTarget, `${t.knownHostsLine}\n`);
    const err = await connect(th.spec('target', { knownHostsFiles: [onlyTarget], jump: [hop('bastion', { knownHostsFiles: [onlyTarget] })] })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).host).toBe('target');
    expect((err as UnreachableError).message).toContain(`jump host ${b.address}: host key for [${b.address}]:${b.port} is unknown`);
  });

  test('a jump host that refuses forwarding gives a clear reason', async () => {
    const err = await connect(th.spec('target', { jump: [hop('nofwd')] })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(new RegExp(`jump host ${th.host('nofwd').address} could not open a tunnel to ${th.host('target').address} port ${th.host('target').port}`));
  });

  test('ansible_ssh_common_args with -o ProxyCommand="ssh -W %h:%p ..." connects through the bastion', async () => {
    const b = th.host('bastion');
    const t = th.host('target');
    const before = tunnelsIn('bastion', 'target');
    const spec = resolveConnectSpec(
      'target',
      {
        ansible_host: t.address,
        ansible_port: t.port,
        ansible_user: 'root',
        ansible_ssh_private_key_file: th.clientKey,
        ansible_ssh_common_args: `-o ProxyCommand="ssh -W %h:%p -q -p ${b.port} root@${b.address}" -o UserKnownHostsFile=${th.knownHostsFile} -o IdentitiesOnly=yes`,
      },
      { hostKeyChecking: 'strict', timeout: 5, sshConfigFile: false },
    );
    expect(spec.ignoredSshArgs).toBeUndefined();
    const c = await connect(spec);
    try {
      expect((await c.exec('echo ok')).stdout).toBe('ok\n');
      expect(tunnelsIn('bastion', 'target')).toBe(before + 1);
    } finally {
      await c.close();
    }
  });

  test('a pool opens one connection to a shared jump host for several targets', async () => {
    const accepted = () => th.host('bastion').log().split('\n').filter((l) => l.includes('Accepted publickey for root')).length;
    const before = accepted();
    const pool = new ConnectionPool({ limit: 4 });
    const out = await pool.open([th.spec('target', { jump: [hop('bastion')] }), th.spec('inner', { jump: [hop('bastion')] })]);
    try {
      expect([...out.values()].every((c) => !(c instanceof UnreachableError))).toBe(true);
      expect(accepted()).toBe(before + 1);
    } finally {
      await pool.close();
    }
  });
});
