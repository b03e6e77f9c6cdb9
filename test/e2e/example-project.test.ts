// The bundled example project (playbooks/, roles/, group_vars/ with the vaulted relay password)
// on real Debian hosts with systemd: a first run installs and configures Exim and Dovecot and
// cleans an oversized Dovecot cache; a dry run after drift predicts the fix and changes nothing;
// the real run fixes it with handlers firing once; a last run changes nothing.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIRST_START_TIMEOUT_MS, nspawnUnavailable, startDebianHosts, type DebianHosts } from '../helpers/nspawn.js';
import { ensureBuilt, recap, ROOT, runSams } from '../helpers/run-cli.js';

const unavailable = await nspawnUnavailable();

function changedTasks(events: Record<string, unknown>[]): string[] {
  return events
    .filter((e) => e.event === 'host_result' && (e.result as { status: string }).status === 'changed')
    .map((e) => `${e.host as string}: ${(e.task as { name: string }).name}`)
    .sort();
}

describe.skipIf(unavailable !== undefined)(`the bundled example on Debian hosts${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let th: DebianHosts;
  let dir: string;
  let inventory: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sams-example-'));
    th = await startDebianHosts(['mail1', 'mail2']);
    // The helper's inventory names its group [test]; the example's play targets [mail].
    inventory = join(dir, 'inventory.ini');
    writeFileSync(inventory, readFileSync(th.inventoryFile, 'utf8').replace(/^\[test(:vars)?\]$/gm, '[mail$1]'));
    const r = await th.ssh('mail1', 'mkdir -p /home/demo/mail/example.org/info && fallocate -l 60M /home/demo/mail/example.org/info/dovecot.index.cache');
    expect(r.rc).toBe(0);
  }, FIRST_START_TIMEOUT_MS);
  afterAll(async () => {
    await th?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const play = (...args: string[]) =>
    runSams(['play', 'hestia-mail-daily.yml', '-i', inventory, '--vault-password-file', 'demo/vault-password.txt', ...args], { cwd: ROOT, timeoutMs: 600_000 });

  test('first run: packages, cache cleanup, relay config with the vaulted password, cron jobs; handlers fire', async () => {
    const res = await play();
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toContain('changed: [mail1] => (item=/home/demo/mail/example.org/info/dovecot.index.cache (60.00 MB))');
    expect(res.stdout).toMatch(/RUNNING HANDLER \[exim_relay : restart exim\][^\n]*\n(changed: \[mail[12]\]\n){2}/);
    expect(res.stdout).not.toContain('relay-pw-7Qe2');
    expect((await th.ssh('mail1', 'test -e /home/demo/mail/example.org/info/dovecot.index.cache')).rc).toBe(1);
    const pw = await th.ssh('mail2', 'stat -c "%U:%G %a" /etc/exim4/passwd.client && cat /etc/exim4/passwd.client');
    expect(pw.stdout).toContain('root:Debian-exim 640');
    expect(pw.stdout).toContain('smtp.relay.example.net:hestia@mail2:relay-pw-7Qe2');
    expect((await th.ssh('mail1', 'systemctl is-active exim4 dovecot')).stdout).toBe('active\nactive\n');
    expect((await th.ssh('mail1', 'cat /etc/cron.d/exim-queue-monitor')).stdout).toContain('#Ansible: exim queue monitor\n*/10 * * * * root /usr/local/bin/exim-queue-check 100');
  }, 600_000);

  test('after drift, --check --diff --exit-code-on-change predicts the fix, exits 3 and changes nothing', async () => {
    await th.ssh('mail2', 'mkdir -p /home/shop/mail/shop.example/sales && fallocate -l 70M /home/shop/mail/shop.example/sales/dovecot.index.cache');
    await th.ssh('mail1', "sed -i \"s/^dc_eximconfig_configtype=.*/dc_eximconfig_configtype='internet'/\" /etc/exim4/update-exim4.conf.conf");
    const snapshot = async () => Promise.all(['mail1', 'mail2'].map(async (h) => (await th.ssh(h, 'find /etc /home /usr/local/bin -xdev -type f -newer /etc/hostname -printf "%p %s %T@\\n" 2>/dev/null | sort; md5sum /etc/exim4/*.conf* 2>/dev/null')).stdout));
    const before = await snapshot();
    const check = await play('--check', '--diff', '--exit-code-on-change', '--json');
    expect(check.code).toBe(3);
    // The handlers are commands: in check mode they are notified but report skipped (cannot predict).
    expect(changedTasks(check.events)).toEqual(['mail1: exim_relay : Exim as a satellite that relays through the smarthost', 'mail2: dovecot_cache : Remove them']);
    const after = await snapshot();
    expect(after).toEqual(before);

    const fix = await play('--json');
    expect(fix.code).toBe(0);
    expect(changedTasks(fix.events)).toEqual([
      'mail1: exim_relay : Exim as a satellite that relays through the smarthost',
      'mail1: exim_relay : restart exim',
      'mail1: exim_relay : update exim config',
      'mail2: dovecot_cache : Remove them',
      'mail2: dovecot_cache : reload dovecot',
    ]);

    const again = await play();
    expect(again.code).toBe(0);
    const r = recap(again.stdout);
    expect(r.mail1!.changed).toBe(0);
    expect(r.mail2!.changed).toBe(0);
  }, 600_000);
});
