// ansible_ssh_common_args parsing checked against OpenSSH's own reading (ssh -G), plus tables for
// resolveConnectSpec, ProxyCommand translation, known_hosts matching and shell word splitting.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { Secret } from '../../../src/secret.js';
import { fingerprint, hostFieldMatches, hostKeyName, parseKnownHosts } from '../../../src/transport/known-hosts.js';
import { resolveConnectSpec, type ConnectSettings } from '../../../src/transport/resolve-spec.js';
import { parseJumpList, parseSshArgs, proxyCommandAsJump } from '../../../src/transport/ssh-args.js';
import { splitShellWords } from '../../../src/transport/shell-words.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sams-args-'));
  for (const k of ['k1', 'k2', 'k 3']) writeFileSync(join(tmp, k), '');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What OpenSSH makes of the same arguments: `ssh -G -F /dev/null ARGS host`. */
function sshG(args: string[]): Record<string, string[]> {
  const out = execFileSync('ssh', ['-G', '-F', '/dev/null', ...args, 'somehost'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m: Record<string, string[]> = {};
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) (m[line.slice(0, sp).toLowerCase()] ??= []).push(line.slice(sp + 1));
  }
  return m;
}

describe('parseSshArgs agrees with ssh -G', () => {
  const rows = [
    '-o StrictHostKeyChecking=no',
    '-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o IdentitiesOnly=yes -i TMP/k1 -i TMP/k2',
    '-o ConnectTimeout=7 -p 2222 -l deploy',
    '-o Port=2300 -p 2222 -o User=first -l second',
    '-J admin@bastion:2222,b2',
    '-oProxyJump=j1 -oUser=u -oPort=23',
    `-o "ConnectTimeout 5" -o 'IdentityFile="TMP/k 3"' -o 'UserKnownHostsFile=/kh/a "/kh/b c"'`,
    "-o 'UserKnownHostsFile=/tmp/kh1' -o ControlMaster=auto -o ControlPersist=60s -C",
  ];
  for (const row of rows) {
    test(row, () => {
      const text = row.replaceAll('TMP', tmp);
      const ours = parseSshArgs(text);
      const theirs = sshG(splitShellWords(text));
      if (ours.port !== undefined) expect(String(ours.port)).toBe(theirs.port![0]);
      else expect(theirs.port![0]).toBe('22');
      if (ours.user !== undefined) expect(ours.user).toBe(theirs.user![0]);
      if (ours.connectTimeoutMs !== undefined) expect(String(ours.connectTimeoutMs / 1000)).toBe(theirs.connecttimeout![0]);
      else expect(theirs.connecttimeout![0]).toBe('none');
      const shkc = { false: 'off', true: 'strict', ask: 'strict', 'accept-new': 'accept-new' }[theirs.stricthostkeychecking![0]!];
      if (ours.hostKeyChecking !== undefined) expect(ours.hostKeyChecking).toBe(shkc);
      expect(ours.identitiesOnly ?? false).toBe(theirs.identitiesonly![0] === 'yes');
      // ssh -G prints the list on one line, space separated.
      if (ours.knownHostsFiles) expect(ours.knownHostsFiles.join(' ')).toBe(theirs.userknownhostsfile![0]);
      expect(theirs.identityfile!.slice(0, ours.keyFiles.length)).toEqual(ours.keyFiles);
      if (ours.jump) expect(ours.jump.map((h) => `${h.user ? `${h.user}@` : ''}${h.host}${h.port ? `:${h.port}` : ''}`).join(',')).toBe(theirs.proxyjump![0]);
      else expect(theirs.proxyjump).toBeUndefined();
    });
  }

  test('options sams does not use are listed as ignored', () => {
    expect(parseSshArgs("-o ControlMaster=auto -o 'ControlPersist 60s' -C -o ForwardAgent=yes -4 -c aes128-ctr").ignored).toEqual([
      '-o ControlMaster=auto',
      '-o ControlPersist=60s',
      '-C',
      '-o ForwardAgent=yes',
      '-4',
      '-c aes128-ctr',
    ]);
  });

  test('common args come before extra args (first wins)', () => {
    expect(parseSshArgs('-o Port=1', '-o Port=2 -o User=x')).toMatchObject({ port: 1, user: 'x' });
  });

  test('bad values are user errors', () => {
    expect(() => parseSshArgs('-o StrictHostKeyChecking=maybe')).toThrow(SamsError);
    expect(() => parseSshArgs('-o ConnectTimeout=soon')).toThrow(/ConnectTimeout must be a number/);
    expect(() => parseSshArgs('-p 99999')).toThrow(/not a port number/);
    expect(() => parseSshArgs("-o 'unterminated")).toThrow(/cannot split .* No closing quotation/);
  });
});

describe('ProxyCommand translation', () => {
  const rows: [string, ReturnType<typeof proxyCommandAsJump>][] = [
    ['ssh -W %h:%p -q user@bastion', { host: 'bastion', user: 'user' }],
    ['ssh -W %h:%p -p 2222 -i /k/id bastion.example', { host: 'bastion.example', port: 2222, keyFiles: ['/k/id'] }],
    ['/usr/bin/ssh -q -W [%h]:%p -l ops jump:2200', { host: 'jump', port: 2200, user: 'ops' }],
    ['ssh -o StrictHostKeyChecking=no -W %h:%p b', { host: 'b' }],
    ['ssh -W %h:%p -o ProxyCommand=x b', undefined],
    ['nc -X connect -x proxy:3128 %h %p', undefined],
    ['ssh -W otherhost:22 b', undefined],
    ['ssh b', undefined],
  ];
  for (const [cmd, want] of rows) test(cmd, () => expect(proxyCommandAsJump(cmd)).toEqual(want));

  test('an untranslatable ProxyCommand is listed as ignored', () => {
    expect(parseSshArgs('-o ProxyCommand="nc %h %p"').ignored).toEqual(['-o ProxyCommand=nc %h %p']);
  });

  test('jump lists', () => {
    expect(parseJumpList('a, u@b:2, ssh://c, [::1]:22, none')).toEqual([
      { host: 'a' },
      { host: 'b', port: 2, user: 'u' },
      { host: 'c' },
      { host: '::1', port: 22 },
      { host: 'none' },
    ]);
    expect(parseJumpList('none')).toEqual([]);
  });
});

describe('resolveConnectSpec', () => {
  const settings: ConnectSettings = { hostKeyChecking: 'strict', timeout: 10 };

  test('defaults: the inventory name is the address; nothing else is decided yet', () => {
    expect(resolveConnectSpec('web1', {}, settings)).toEqual({ name: 'web1', connection: 'ssh', host: 'web1', connectTimeoutMs: 10_000 });
  });

  test('ansible_* variables, and sams_* winning over them', () => {
    const s = resolveConnectSpec(
      'web1',
      { ansible_host: '10.0.0.1', sams_host: '10.0.0.2', ansible_port: '2222', ansible_user: 'deploy', ansible_ssh_private_key_file: '/k', ansible_timeout: 3 },
      settings,
    );
    expect(s).toMatchObject({ host: '10.0.0.2', port: 2222, user: 'deploy', keyFiles: ['/k'], connectTimeoutMs: 3000 });
  });

  test('user precedence: host var > play remote_user > -u > settings > ssh args', () => {
    const s = { ...settings, remoteUser: 'cfg' };
    const args = { ansible_ssh_common_args: '-o User=args' };
    expect(resolveConnectSpec('h', { ...args, ansible_user: 'var' }, s, { remoteUser: 'play', user: 'cli' }).user).toBe('var');
    expect(resolveConnectSpec('h', args, s, { remoteUser: 'play', user: 'cli' }).user).toBe('play');
    expect(resolveConnectSpec('h', args, s, { user: 'cli' }).user).toBe('cli');
    expect(resolveConnectSpec('h', args, s).user).toBe('cfg');
    expect(resolveConnectSpec('h', args, settings).user).toBe('args');
  });

  test('explicit port/key/timeout win over ssh args, which fill the gaps', () => {
    const v = { ansible_ssh_common_args: '-p 2200 -i /args-key -o ConnectTimeout=4', ansible_ssh_extra_args: '-o IdentitiesOnly=yes' };
    expect(resolveConnectSpec('h', v, settings)).toMatchObject({ port: 2200, keyFiles: ['/args-key'], connectTimeoutMs: 4000, identitiesOnly: true });
    expect(resolveConnectSpec('h', { ...v, ansible_port: 22, ansible_ssh_private_key_file: '/var-key', ansible_timeout: '9' }, settings)).toMatchObject({
      port: 22,
      keyFiles: ['/var-key', '/args-key'],
      connectTimeoutMs: 9000,
    });
  });

  test('host key checking: off/accept-new from the variable or settings win; otherwise the args; strict default left open', () => {
    const args = { ansible_ssh_common_args: '-o StrictHostKeyChecking=accept-new' };
    expect(resolveConnectSpec('h', {}, settings).hostKeyChecking).toBeUndefined();
    expect(resolveConnectSpec('h', args, settings).hostKeyChecking).toBe('accept-new');
    expect(resolveConnectSpec('h', args, { ...settings, hostKeyChecking: 'off' }).hostKeyChecking).toBe('off');
    expect(resolveConnectSpec('h', { ...args, ansible_ssh_host_key_checking: 'false' }, settings).hostKeyChecking).toBe('off');
    expect(resolveConnectSpec('h', { ansible_host_key_checking: true }, { ...settings, hostKeyChecking: 'off' }).hostKeyChecking).toBeUndefined();
    expect(resolveConnectSpec('h', { ...args, ansible_host_key_checking: 'yes' }, { ...settings, hostKeyChecking: 'off' }).hostKeyChecking).toBe('accept-new');
    expect(() => resolveConnectSpec('h', { ansible_host_key_checking: 'perhaps' }, settings)).toThrow(/must be a boolean or accept-new/);
  });

  test('passwords stay Secrets; aliases ansible_ssh_pass and ansible_become_pass', () => {
    const pw = new Secret('pw1');
    const s = resolveConnectSpec('h', { ansible_ssh_pass: pw, ansible_become_pass: 'b' }, settings);
    expect(s.password).toBe(pw);
    expect(s.becomePassword).toBe('b');
  });

  test('ansible_connection: local gives a local spec; unsupported plugins are errors', () => {
    expect(resolveConnectSpec('localhost', { ansible_connection: 'local', ansible_become_password: 'x' }, settings)).toEqual({
      name: 'localhost',
      connection: 'local',
      host: 'localhost',
      becomePassword: 'x',
    });
    expect(resolveConnectSpec('h', { ansible_connection: 'smart' }, settings).connection).toBe('ssh');
    expect(() => resolveConnectSpec('h', { ansible_connection: 'winrm' }, settings)).toThrow(/ansible_connection=winrm is not supported/);
  });

  test('jump hosts from args share the known_hosts, policy, timeout and keys but not user or port', () => {
    const s = resolveConnectSpec(
      'h',
      { ansible_user: 'app', ansible_port: 2222, ansible_ssh_private_key_file: '/k', ansible_ssh_common_args: '-J ops@bastion -o UserKnownHostsFile=/kh -o StrictHostKeyChecking=accept-new' },
      settings,
    );
    expect(s.jump).toEqual([
      { name: 'bastion', connection: 'ssh', host: 'bastion', user: 'ops', keyFiles: ['/k'], hostKeyChecking: 'accept-new', knownHostsFiles: ['/kh'], connectTimeoutMs: 10_000 },
    ]);
  });

  test('ignored options are kept for the warning', () => {
    expect(resolveConnectSpec('h', { ansible_ssh_common_args: '-o ControlMaster=auto' }, settings).ignoredSshArgs).toEqual(['-o ControlMaster=auto']);
  });

  test('bad values are user errors naming the host', () => {
    expect(() => resolveConnectSpec('web', { ansible_port: 'ssh' }, settings)).toThrow(/ansible_port for web is not a port number: ssh/);
    expect(() => resolveConnectSpec('web', { ansible_timeout: 'x' }, settings)).toThrow(/ansible_timeout for web/);
  });
});

describe('known_hosts matching', () => {
  test('hostKeyName uses [host]:port except on port 22', () => {
    expect(hostKeyName('h', 22)).toBe('h');
    expect(hostKeyName('h', 2222)).toBe('[h]:2222');
  });

  test('hashed entries written by ssh-keygen -H match their host only', () => {
    const f = join(tmp, 'hashed');
    writeFileSync(f, 'web1.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7t\n[10.0.0.5]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7t\n');
    execFileSync('ssh-keygen', ['-q', '-H', '-f', f]);
    const hosts = parseKnownHosts(execFileSync('cat', [f], { encoding: 'utf8' }), f).map((e) => e.hosts);
    expect(hostFieldMatches(hosts[0]!, 'web1.example.com')).toBe(true);
    expect(hostFieldMatches(hosts[0]!, 'web2.example.com')).toBe(false);
    expect(hostFieldMatches(hosts[1]!, '[10.0.0.5]:2222')).toBe(true);
    expect(hostFieldMatches(hosts[1]!, '10.0.0.5')).toBe(false);
  });

  test.each([
    ['web1,web2', 'web2', true],
    ['WEB1', 'web1', true],
    ['web*', 'web7.example', true],
    ['web?', 'web12', false],
    ['*.example,!db.example', 'db.example', false],
    ['[10.0.0.5]:2222', '[10.0.0.5]:2222', true],
    ['10.0.0.5', '[10.0.0.5]:2222', false],
  ])('pattern %s vs %s: %s', (field, name, want) => {
    expect(hostFieldMatches(field, name)).toBe(want);
  });

  test('markers, comments and malformed lines', () => {
    const entries = parseKnownHosts('# c\n\n@revoked * ssh-rsa AAAA\n@cert-authority *.ex ssh-ed25519 BBBB\nh ssh-ed25519 CCCC comment here\nbroken\n', 'F');
    expect(entries).toEqual([
      { file: 'F', line: 3, marker: '@revoked', hosts: '*', keyType: 'ssh-rsa', key: 'AAAA' },
      { file: 'F', line: 4, marker: '@cert-authority', hosts: '*.ex', keyType: 'ssh-ed25519', key: 'BBBB' },
      { file: 'F', line: 5, hosts: 'h', keyType: 'ssh-ed25519', key: 'CCCC' },
    ]);
  });

  test('fingerprints match ssh-keygen -l', () => {
    const k = join(tmp, 'fp');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
    const blob = Buffer.from(execFileSync('cat', [`${k}.pub`], { encoding: 'utf8' }).split(' ')[1]!, 'base64');
    expect(fingerprint(blob)).toBe(execFileSync('ssh-keygen', ['-l', '-f', `${k}.pub`], { encoding: 'utf8' }).split(' ')[1]);
  });
});

describe('splitShellWords', () => {
  test.each([
    [`-o "A B" 'c d' e\\ f`, ['-o', 'A B', 'c d', 'e f']],
    [`-o ProxyCommand="ssh -W %h:%p \\"q\\""`, ['-o', 'ProxyCommand=ssh -W %h:%p "q"']],
    [`  a\t b\n`, ['a', 'b']],
    [`''`, ['']],
    [`a'b'"c"`, ['abc']],
  ])('%s', (text, want) => expect(splitShellWords(text)).toEqual(want));
});
