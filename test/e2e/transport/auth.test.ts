// Authentication against real sshds: key files, encrypted keys, default keys, ssh-agent, password, keyboard-interactive.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { connect } from '../../../src/transport/connect.js';
import { UnreachableError, type ConnectSpec } from '../../../src/transport/types.js';
import { SAMSPW_PASSWORD, ensureTestUsers, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let kbd: TestHosts;
let tmp: string;
let encryptedKey: string;
const PASSPHRASE = 'correct horse battery';

beforeAll(async () => {
  await ensureTestUsers();
  [th, kbd] = await Promise.all([startTestHosts(1), startTestHosts(1, { keyboardInteractive: true })]);
  tmp = mkdtempSync(join(tmpdir(), 'sams-auth-'));
  // The same test key, encrypted with a passphrase (authorized like the plain one).
  encryptedKey = join(tmp, 'encrypted');
  copyFileSync(th.clientKey, encryptedKey);
  execFileSync('ssh-keygen', ['-q', '-p', '-N', PASSPHRASE, '-f', encryptedKey]);
}, 30_000);
afterAll(async () => {
  await Promise.all([th?.stop(), kbd?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

async function outcome(spec: ConnectSpec): Promise<string> {
  try {
    const c = await connect(spec);
    const r = await c.exec('id -un');
    await c.close();
    return r.stdout.trim();
  } catch (e) {
    if (e instanceof UnreachableError) return `unreachable: ${e.message}`;
    throw e;
  }
}

describe('authentication', () => {
  test('an encrypted key with its passphrase', async () => {
    expect(await outcome(th.spec('h1', { keyFiles: [encryptedKey], passphrase: new Secret(PASSPHRASE) }))).toBe('root');
  });

  test('an encrypted key without a passphrase fails, saying so', async () => {
    const r = await outcome(th.spec('h1', { keyFiles: [encryptedKey] }));
    expect(r).toMatch(/^unreachable: authentication failed for root@\[.*\]:\d+: no credentials to try; key .*encrypted is encrypted and no passphrase was given/);
  });

  test('a missing key file is named in the failure', async () => {
    const r = await outcome(th.spec('h1', { keyFiles: [join(tmp, 'nope')] }));
    expect(r).toContain(`key ${join(tmp, 'nope')}: no such file`);
  });

  test('a key the server does not accept: authentication failure lists what was tried and what the server accepts', async () => {
    const other = join(tmp, 'unauthorized');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const r = await outcome(th.spec('h1', { keyFiles: [other] }));
    expect(r).toMatch(new RegExp(`^unreachable: authentication failed for root@.*: tried key ${other}; the server accepts publickey, password`));
  });

  test('password authentication', async () => {
    expect(await outcome(th.spec('h1', { user: 'samspw', keyFiles: [], password: new Secret(SAMSPW_PASSWORD) }))).toBe('samspw');
  });

  test('a wrong password fails as an authentication failure', async () => {
    const r = await outcome(th.spec('h1', { user: 'samspw', keyFiles: [], password: 'wrong' }));
    expect(r).toMatch(/^unreachable: authentication failed for samspw@.*: tried password/);
  }, 15_000);

  test('keyboard-interactive (PAM) answered with the password', async () => {
    expect(await outcome(kbd.spec('h1', { user: 'samspw', keyFiles: [], password: SAMSPW_PASSWORD }))).toBe('samspw');
  });

  test('default key files in ~/.ssh are tried unless IdentitiesOnly', async () => {
    const home = join(tmp, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    copyFileSync(th.clientKey, join(home, '.ssh', 'id_ed25519'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(await outcome(th.spec('h1', { keyFiles: [], identitiesOnly: false }))).toBe('root');
      expect(await outcome(th.spec('h1', { keyFiles: [], identitiesOnly: true }))).toMatch(/^unreachable: authentication failed/);
    } finally {
      process.env.HOME = saved;
    }
  });

  test('ssh-agent (SSH_AUTH_SOCK) unless IdentitiesOnly', async () => {
    const sock = join(tmp, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', [th.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      process.env.SSH_AUTH_SOCK = sock;
      expect(await outcome(th.spec('h1', { keyFiles: [], identitiesOnly: false }))).toBe('root');
      expect(await outcome(th.spec('h1', { keyFiles: [], identitiesOnly: true }))).toMatch(/^unreachable: authentication failed/);
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  test('IdentitiesOnly: an encrypted key file is used through ssh-agent when the agent holds it (no passphrase), other agent keys are not', async () => {
    const sock = join(tmp, 'agent-io.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    const addToAgent = async (key: string) => {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error('ssh-add failed');
    };
    try {
      process.env.SSH_AUTH_SOCK = sock;
      // The agent holds only a key the server does not accept: the encrypted file cannot be used.
      const other = join(tmp, 'agent-other');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      await addToAgent(other);
      const refused = await outcome(th.spec('h1', { keyFiles: [encryptedKey], identitiesOnly: true }));
      expect(refused).toMatch(/^unreachable: authentication failed/);
      expect(refused).toContain(`key ${encryptedKey} is encrypted and no passphrase was given`);
      // Now it holds the same key as the encrypted file (matched by the public key in the file's header; no .pub beside it).
      await addToAgent(th.clientKey);
      expect(await outcome(th.spec('h1', { keyFiles: [encryptedKey], identitiesOnly: true }))).toBe('root');
      // A key file named only through FILE.pub (a PEM key's header holds no public key).
      const pem = join(tmp, 'encrypted-pem');
      writeFileSync(pem, '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n');
      copyFileSync(`${th.clientKey}.pub`, `${pem}.pub`);
      expect(await outcome(th.spec('h1', { keyFiles: [pem], identitiesOnly: true }))).toBe('root');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });
});
