import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadSettings } from '../../src/settings.js';
import { isUserError } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'sams-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [n, t] of Object.entries(files)) {
    mkdirSync(join(dir, n, '..'), { recursive: true });
    writeFileSync(join(dir, n), t);
  }
  return dir;
}

describe('settings', () => {
  test('sams.yml is found by walking up from a subdirectory; paths are relative to it', () => {
    const dir = project({ 'sams.yml': 'inventory: inventory/hosts.ini\nroles_path: roles:more/roles\nforks: 7\nhost_key_checking: accept-new\nvault_password_file: .vault-pass\n', 'playbooks/x/.keep': '' });
    const s = loadSettings(join(dir, 'playbooks/x'), {});
    expect(s.root).toBe(dir);
    expect(s.inventory).toEqual([join(dir, 'inventory/hosts.ini')]);
    expect(s.rolesPath).toEqual([join(dir, 'roles'), join(dir, 'more/roles')]);
    expect(s.forks).toBe(7);
    expect(s.hostKeyChecking).toBe('accept-new');
    expect(s.vaultIds).toEqual([join(dir, '.vault-pass')]);
    expect(s.stateDir).toBe(join(dir, '.sams'));
  });

  test('ansible.cfg [defaults] is read when there is no sams.yml; host_key_checking = False means off', () => {
    const dir = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\nroles_path = roles\nforks = 3\nremote_user = deploy\nhost_key_checking = False\nlog_path = sams.log\ntimeout = 20\n' });
    const s = loadSettings(dir, {});
    expect(s.file).toBe(join(dir, 'ansible.cfg'));
    expect(s.inventory).toEqual([join(dir, 'hosts')]);
    expect(s.forks).toBe(3);
    expect(s.remoteUser).toBe('deploy');
    expect(s.hostKeyChecking).toBe('off');
    expect(s.logFile).toBe(join(dir, 'sams.log'));
    expect(s.timeout).toBe(20);
  });

  test('sams.yml wins over ansible.cfg in the same directory; the environment wins over both', () => {
    const dir = project({ 'sams.yml': 'forks: 9\n', 'ansible.cfg': '[defaults]\nforks = 3\n' });
    const s = loadSettings(dir, { ANSIBLE_HOST_KEY_CHECKING: 'False', SAMS_VAULT_PASSWORD_FILE: 'p.txt' });
    expect(s.forks).toBe(9);
    expect(s.hostKeyChecking).toBe('off');
    expect(s.vaultIds[0]).toBe(join(dir, 'p.txt'));
  });

  test('an unknown setting is an error at its line, listing the known ones', () => {
    const dir = project({ 'sams.yml': 'forks: 2\ninventroy: x\n' });
    try {
      loadSettings(dir, {});
      throw new Error('expected an error');
    } catch (e) {
      expect(isUserError(e)).toBe(true);
      const err = e as { message: string; loc?: { line: number }; hint?: string };
      expect(err.message).toBe('unknown setting inventroy');
      expect(err.loc?.line).toBe(2);
      expect(err.hint).toContain('inventory');
    }
  });
});

describe('settings file discovery', () => {
  test('the nearest directory wins: an ansible.cfg below a sams.yml is used from inside its directory', () => {
    const dir = project({ 'sams.yml': 'forks: 9\n', 'sub/ansible.cfg': '[defaults]\nforks = 4\n', 'sub/deeper/.keep': '' });
    expect(loadSettings(join(dir, 'sub/deeper'), {}).forks).toBe(4);
    expect(loadSettings(dir, {}).forks).toBe(9);
  });
});
