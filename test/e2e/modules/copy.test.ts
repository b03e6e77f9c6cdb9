// copy over a real sshd host: content, files/ sources, directory trees (trailing-slash rule),
// owner/group/mode, backup, force: no, follow, remote_src, a streamed large file, a vault-encrypted
// source, validation failure; check mode predicts exactly and changes nothing, --diff, idempotence,
// load-time argument errors, and the result keys compared with ansible-playbook.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, result, snapshot, statuses, type Project } from '../../fixtures/files/e2e-kit.js';
import { ansibleEnv } from '../../helpers/ansible.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;
let root: string;
let big: Buffer;
const VAULT_PW = 'copy-test-vault-pw';
const SECRET_TEXT = 'db_password = hunter2-very-secret\n';

const PLAY = `- hosts: h1
  gather_facts: false
  tasks:
    - name: content
      copy: { content: "key = value\\n", dest: "{{ root }}/app.conf", mode: "0640", group: daemon }
    - name: into a directory
      copy: { src: motd.txt, dest: "{{ root }}/etc/" }
    - name: tree itself
      copy: { src: tree, dest: "{{ root }}/srv", directory_mode: "0750" }
    - name: tree contents
      copy: { src: tree/, dest: "{{ root }}/flat", mode: "u=rw,g=,o=" }
    - name: backup
      copy: { content: "new\\n", dest: "{{ root }}/old.conf", backup: true }
    - name: force no
      copy: { content: "would replace\\n", dest: "{{ root }}/keep.conf", force: false }
    - name: follow a link
      copy: { content: "through the link\\n", dest: "{{ root }}/via-link", follow: true }
    - name: replace a link
      copy: { content: "replaced the link\\n", dest: "{{ root }}/plain-link" }
    - name: remote source
      copy: { src: "{{ root }}/remote-src.txt", dest: "{{ root }}/remote-copy.txt", remote_src: true }
    - name: large file
      copy: { src: big.bin, dest: "{{ root }}/big.bin" }
    - name: vaulted source
      copy: { src: secret.conf, dest: "{{ root }}/secret.conf", mode: "0600" }
`;

function seed(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'old.conf'), 'old\n');
  writeFileSync(join(root, 'keep.conf'), 'keep me\n');
  writeFileSync(join(root, 'link-target'), 'before\n');
  symlinkSync('link-target', join(root, 'via-link'));
  writeFileSync(join(root, 'other-target'), 'other\n');
  symlinkSync('other-target', join(root, 'plain-link'));
  writeFileSync(join(root, 'remote-src.txt'), 'from the host itself\n');
}

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-copy');
  root = th.host('h1').root;
  big = randomBytes(3 * 1024 * 1024 + 17);
  pj.write({
    'site.yml': PLAY,
    'files/motd.txt': 'Welcome\n',
    'files/tree/a.conf': 'a\n',
    'files/tree/sub/b.conf': 'b\n',
    'files/secret.conf': SECRET_TEXT,
    'vault-pw': `${VAULT_PW}\n`,
  });
  writeFileSync(join(pj.dir, 'files/big.bin'), big);
  const enc = spawnSync('ansible-vault', ['encrypt', '--vault-password-file', 'vault-pw', 'files/secret.conf'], { cwd: pj.dir, env: ansibleEnv(), encoding: 'utf8' });
  if (enc.status !== 0) throw new Error(`ansible-vault failed: ${enc.stderr}`);
  seed();
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

const VAULT = ['--vault-password-file', 'vault-pw'];

describe('copy on a real host', () => {
  let predicted: Record<string, string>;

  test('--check predicts the changes and leaves every file, mode and owner as it was', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--check', '--json', ...VAULT]);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    predicted = statuses(r);
    expect(predicted).toEqual({
      content: 'changed',
      'into a directory': 'changed',
      'tree itself': 'changed',
      'tree contents': 'changed',
      backup: 'changed',
      'force no': 'ok',
      'follow a link': 'changed',
      'replace a link': 'changed',
      'remote source': 'changed',
      'large file': 'changed',
      'vaulted source': 'changed',
    });
  });

  test('the first run makes exactly the predicted changes', async () => {
    const r = await pj.sams('site.yml', ['--json', ...VAULT]);
    expect(r.code, r.stderr).toBe(0);
    expect(statuses(r)).toEqual(predicted);
    const app = statSync(join(root, 'app.conf'));
    expect([app.mode & 0o7777, app.gid]).toEqual([0o640, 1]);
    expect(readFileSync(join(root, 'etc/motd.txt'), 'utf8')).toBe('Welcome\n');
    // src: tree copies the directory itself; tree/ copies what is in it.
    expect(readFileSync(join(root, 'srv/tree/sub/b.conf'), 'utf8')).toBe('b\n');
    for (const d of ['srv', 'srv/tree', 'srv/tree/sub']) expect(statSync(join(root, d)).mode & 0o7777).toBe(0o750);
    expect(readdirSync(join(root, 'flat')).sort()).toEqual(['a.conf', 'sub']);
    expect(statSync(join(root, 'flat/sub/b.conf')).mode & 0o7777).toBe(0o600);
    // backup: the old content is kept under Ansible's name.
    const backup = result(r, 'backup').data!.backup_file as string;
    expect(backup).toMatch(new RegExp(`^${join(root, 'old.conf')}\\.\\d+\\.\\d{4}-\\d{2}-\\d{2}@\\d{2}:\\d{2}:\\d{2}~$`));
    expect(readFileSync(backup, 'utf8')).toBe('old\n');
    expect(readFileSync(join(root, 'old.conf'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(root, 'keep.conf'), 'utf8')).toBe('keep me\n');
    // follow: writes the link's target; without it the link is replaced by a file.
    expect(readFileSync(join(root, 'link-target'), 'utf8')).toBe('through the link\n');
    expect(statSync(join(root, 'plain-link')).isFile()).toBe(true);
    expect(readFileSync(join(root, 'other-target'), 'utf8')).toBe('other\n');
    expect(readFileSync(join(root, 'remote-copy.txt'), 'utf8')).toBe('from the host itself\n');
    expect(sha1(readFileSync(join(root, 'big.bin')))).toBe(sha1(big));
    expect(readFileSync(join(root, 'secret.conf'), 'utf8')).toBe(SECRET_TEXT);
    expect(result(r, 'content').data).toMatchObject({
      dest: join(root, 'app.conf'),
      checksum: sha1('key = value\n'),
      md5sum: createHash('md5').update('key = value\n').digest('hex'),
      size: 12,
      mode: '0640',
      group: 'daemon',
      gid: 1,
      owner: 'root',
      uid: 0,
      state: 'file',
    });
    expect(result(r, 'tree itself').data).toEqual({ dest: join(root, 'srv') + '/', src: join(pj.dir, 'files/tree') });
  });

  test('a second run is ok everywhere and changes nothing', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml', VAULT);
    expect(r.code).toBe(0);
    expect(recap(r.stdout).h1).toMatchObject({ ok: 11, changed: 0 });
    expect(snapshot(root)).toEqual(before);
  });

  test('--check --diff shows the content diff; a vaulted source is never shown', async () => {
    writeFileSync(join(root, 'app.conf'), 'key = old\n');
    writeFileSync(join(root, 'secret.conf'), 'changed on the host\n');
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--check', '--diff', '--json', ...VAULT]);
    expect(snapshot(root)).toEqual(before);
    expect(result(r, 'content').diff).toEqual([{ target: join(root, 'app.conf'), before: 'key = old\n', after: 'key = value\n' }]);
    expect(result(r, 'vaulted source').diff![0]).toMatchObject({ skipped: 'secret' });
    const text = await pj.sams('site.yml', ['--check', '--diff', ...VAULT]);
    expect(text.stdout).toContain('-key = old\n+key = value');
    expect(text.stdout + text.stderr).not.toContain('hunter2');
    await pj.sams('site.yml', VAULT);
  });

  test('a failing validate leaves the file untouched and fails with the validator output', async () => {
    writeFileSync(join(root, 'validated.conf'), 'good old\n');
    pj.write({
      'validate.yml':
        '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: validated\n      copy:\n        content: "broken\\n"\n        dest: "{{ root }}/validated.conf"\n' +
        `        validate: ${JSON.stringify('sh -c \'grep -q good "$1" || { echo "config is bad in $1" >&2; exit 3; }\' sh %s')}\n`,
    });
    const r = await pj.sams('validate.yml', ['--json']);
    expect(r.code).toBe(2);
    const res = result(r, 'validated');
    expect(res.status).toBe('failed');
    expect(res.msg).toMatch(/validation failed.*config is bad/s);
    expect(readFileSync(join(root, 'validated.conf'), 'utf8')).toBe('good old\n');
    expect(readdirSync(root).filter((f) => f.startsWith('.sams'))).toEqual([]);
  });

  test('bad arguments are rejected at load time with file:line:col', async () => {
    pj.write({ 'bad.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - copy:\n        src: a\n        dest: /tmp/x\n        decrypt_all: false\n    - copy:\n        content: x\n        dest: /tmp/\n' });
    const r = await pj.sams('bad.yml');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yml:7:9: unknown argument 'decrypt_all' for module 'copy'/);
    expect(r.stderr).toMatch(/bad\.yml:10:15: module 'copy': argument 'dest': can not use content with a dir as dest/);
  });
});

describe('copy compared with ansible-playbook', () => {
  test('same result keys and values for a new file, an unchanged one and a directory', async () => {
    const keys = ['changed', 'dest', 'checksum', 'md5sum', 'size', 'mode', 'owner', 'group', 'uid', 'gid', 'state'];
    const show = keys.map((k) => `${k}={{ r.${k} | default('-') }}`).join(' ');
    const play = `- hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "same\\n", dest: "{{ root }}/cmp/new.conf", mode: "0600" }
      register: r
    - debug: { msg: "new ${show.replace(/\{\{ r\.dest/, "{{ r.dest | replace(root, 'ROOT')")}" }
    - copy: { content: "same\\n", dest: "{{ root }}/cmp/new.conf", mode: "0600" }
      register: r
    - debug: { msg: "again ${show.replace(/\{\{ r\.dest/, "{{ r.dest | replace(root, 'ROOT')")}" }
    - copy: { src: tree/, dest: "{{ root }}/cmp/tree" }
      register: r
    - debug: { msg: "dir changed={{ r.changed }} dest={{ r.dest | replace(root, 'ROOT') }} src={{ r.src | replace(playbook_dir, 'PB') }}" }
`;
    pj.write({ 'cmp.yml': play });
    for (const h of th.hosts) mkdirSync(join(h.root, 'cmp'), { recursive: true });
    const [s, a] = await Promise.all([pj.sams('cmp.yml', ['--limit', 'h1']), pj.ansible('cmp.yml', ['--limit', 'h2'])]);
    const msgs = (out: string) => [...out.matchAll(/ok: \[\w+\] => \{\n\s+"msg": "(.*)"/g)].map((m) => m[1]);
    expect(msgs(a.stdout)).toHaveLength(3);
    expect(msgs(s.stdout)).toEqual(msgs(a.stdout));
    expect(existsSync(join(root, 'cmp/tree/sub/b.conf'))).toBe(true);
  }, 120_000);
});
