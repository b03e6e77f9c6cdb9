// copy: arguments, content as Ansible writes it, the local tree walk (trailing slash, local_follow),
// pure planning from fixture states (where the file goes, SHA-1 comparison, force, links, parents,
// return values), and whole runs against this machine (directory trees, large and vaulted files).

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileState } from '../../../src/facts/file-state.js';
import copyModule, { contentText } from '../../../src/modules/copy.js';
import { planCopy, type CopyFile, type CopyOptions, type CopyProbe, type CopySpec } from '../../../src/modules/lib/copy-plan.js';
import { walkLocalDir } from '../../../src/modules/lib/local-source.js';
import type { TreeEntry } from '../../../src/modules/lib/tree-listing.js';
import { LocalFile, type Plan, type PlanEnv, type Step } from '../../../src/modules/types.js';
import { isSecret, Secret } from '../../../src/secret.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { localEnv, runLocal } from '../../fixtures/files/run-local.js';
import { argError, args } from './env.js';

const REAL: PlanEnv = { host: 'h1', check: false, diff: false };
const DIFF: PlanEnv = { host: 'h1', check: false, diff: true };
const sha1 = (s: string | Buffer) => createHash('sha1').update(s).digest('hex');

const file = (path: string, o: Partial<FileState> = {}): FileState => ({ path, exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 4, nlink: 1, ...o });
const dir = (path: string): FileState => file(path, { type: 'directory', mode: '0755' });
const absent = (path: string): FileState => ({ path, exists: false });

function one(rel: string, content: string): CopyFile {
  return { rel, checksum: sha1(content), md5: createHash('md5').update(content).digest('hex'), size: Buffer.byteLength(content), mode: '0644', from: { content } };
}

function single(content: string, fromContent = false): CopySpec {
  return { kind: 'single', label: fromContent ? undefined : '/pb/files/app.conf', fromContent, files: [one('app.conf', content)], dirs: [], links: [] };
}

function opts(o: Partial<CopyOptions> & { dest: string }): CopyOptions {
  return { force: true, backup: false, follow: false, ...o };
}

function probe(states: { lstat?: FileState[]; stat?: FileState[]; dirs?: FileState[]; tree?: TreeEntry[]; realpath?: Record<string, string> }): CopyProbe {
  const by = (l: FileState[] = []) => Object.fromEntries(l.map((s) => [s.path, s]));
  const p: CopyProbe = { lstat: by(states.lstat), stat: by(states.stat), realpath: states.realpath ?? {}, dirs: by(states.dirs), ids: { me: { name: 'root', id: 0 }, myGroup: { name: 'root', id: 0 } } };
  if (states.tree) p.tree = Object.fromEntries(states.tree.map((e) => [e.rel, e]));
  return p;
}

const writes = (p: Plan) => (p.kind === 'change' ? p.steps.filter((s): s is Extract<Step, { kind: 'write' }> => s.kind === 'write') : []);
const runs = (p: Plan) => (p.kind === 'change' ? p.steps.filter((s) => s.kind === 'run').map((s) => (s.kind === 'run' ? s.cmd.display : '')) : []);

describe('copy arguments', () => {
  it.each([
    [{ dest: '/x' }, /src \(or content\) is required/],
    [{ src: 'a', content: 'b', dest: '/x' }, /src and content are mutually exclusive/],
    [{ content: 'b', dest: '/x/' }, /can not use content with a dir as dest/],
    [{ content: 'b', dest: '/x', validate: 'visudo -c' }, /validate must contain %s/],
    [{ content: 'b', dest: '/x', checksum: 'abc' }, /checksum must be a SHA-1/],
    [{ src: 'a', dest: '/x', decrypt: 'maybe' }, /decrypt/],
    [{ content: 'b' }, /dest/],
  ])('rejects %j', (raw, msg) => {
    expect(argError(copyModule, raw)).toMatch(msg);
  });
});

describe('content as Ansible writes it', () => {
  it('strings as they are, lists and mappings as JSON, booleans as Python prints them', () => {
    expect(contentText('a\n')).toBe('a\n');
    expect(contentText({ b: 1, a: [true, null, 'x'] })).toBe('{"b": 1, "a": [true, null, "x"]}');
    expect(contentText(true)).toBe('True');
    expect(contentText(42)).toBe('42');
  });
  it('a mapping holding a vault value stays a Secret', () => {
    const c = contentText({ password: new Secret('s3cr3t-value') });
    expect(isSecret(c)).toBe(true);
    expect((c as Secret).reveal()).toBe('{"password": "s3cr3t-value"}');
  });
});

describe('the local tree walk (Ansible _walk_dirs)', () => {
  const d = mkdtempSync(join(tmpdir(), 'sams-walk-'));
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  mkdirSync(join(d, 'top/sub'), { recursive: true });
  mkdirSync(join(d, 'elsewhere'));
  writeFileSync(join(d, 'top/a'), 'a');
  writeFileSync(join(d, 'top/sub/b'), 'b');
  writeFileSync(join(d, 'elsewhere/c'), 'c');
  symlinkSync('a', join(d, 'top/to-a'));
  symlinkSync('nowhere', join(d, 'top/dangling'));
  symlinkSync('..', join(d, 'top/sub/up'));
  symlinkSync(join(d, 'elsewhere'), join(d, 'top/ext'));

  it('without a trailing slash the directory itself is copied (rel paths start with its name)', () => {
    const w = walkLocalDir(join(d, 'top'), false, true);
    expect(w.files.map((f) => f.rel).sort()).toEqual(['top/a', 'top/ext/c', 'top/sub/b', 'top/to-a']);
    expect(w.dirs.sort()).toEqual(['top/ext', 'top/sub']);
    // A link back into the tree and a dangling one stay links.
    expect(w.links.sort((x, y) => x.rel.localeCompare(y.rel))).toEqual([
      { rel: 'top/dangling', target: 'nowhere' },
      { rel: 'top/sub/up', target: '..' },
    ]);
    expect(w.files.find((f) => f.rel === 'top/to-a')!.path).toBe(join(d, 'top/a'));
  });
  it('with a trailing slash only its contents; local_follow: false keeps every link a link', () => {
    const w = walkLocalDir(join(d, 'top'), true, false);
    expect(w.files.map((f) => f.rel).sort()).toEqual(['a', 'sub/b']);
    expect(w.links.map((l) => l.rel).sort()).toEqual(['dangling', 'ext', 'sub/up', 'to-a']);
  });
});

describe('copy planning, one file', () => {
  it('a new file: one write with the mode, the diff before (absent), and the return values', () => {
    const p = planCopy(single('new\n'), opts({ dest: '/etc/app.conf', mode: '0640' }), probe({ dirs: [dir('/etc')], lstat: [absent('/etc/app.conf')] }), DIFF);
    expect(writes(p)).toEqual([{ kind: 'write', path: '/etc/app.conf', content: 'new\n', mode: '0640', before: null }]);
    expect(p.kind === 'change' && p.data).toEqual({
      dest: '/etc/app.conf',
      src: '/pb/files/app.conf',
      md5sum: createHash('md5').update('new\n').digest('hex'),
      checksum: sha1('new\n'),
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      mode: '0640',
      state: 'file',
      size: 4,
    });
  });
  it('the same content: no transfer; owner/group/mode only when they differ', () => {
    const cur = file('/etc/app.conf', { checksum: sha1('same'), mode: '0600' });
    const o = { dirs: [dir('/etc')], lstat: [cur], stat: [cur] };
    expect(planCopy(single('same'), opts({ dest: '/etc/app.conf', mode: '0600' }), probe(o), REAL)).toMatchObject({ kind: 'ok', data: { dest: '/etc/app.conf', path: '/etc/app.conf', checksum: sha1('same') } });
    const p = planCopy(single('same'), opts({ dest: '/etc/app.conf', mode: '0644' }), probe(o), REAL);
    expect(writes(p)).toEqual([]);
    expect(runs(p)).toEqual(['chmod 0644 -- /etc/app.conf']);
  });
  it('force: false leaves an existing file alone', () => {
    const cur = file('/etc/app.conf', { checksum: sha1('other') });
    expect(planCopy(single('new'), opts({ dest: '/etc/app.conf', force: false }), probe({ dirs: [dir('/etc')], lstat: [cur], stat: [cur] }), REAL)).toEqual({
      kind: 'ok',
      data: { dest: '/etc/app.conf', src: '/pb/files/app.conf' },
    });
  });
  it('dest that is a directory: the file goes inside it; content into a directory fails', () => {
    const o = probe({ dirs: [dir('/etc')], stat: [dir('/etc/app')], lstat: [dir('/etc/app')] });
    expect(writes(planCopy(single('x'), opts({ dest: '/etc/app' }), o, REAL)).map((w) => w.path)).toEqual(['/etc/app/app.conf']);
    expect(planCopy(single('x', true), opts({ dest: '/etc/app' }), o, REAL)).toMatchObject({ kind: 'fail', msg: 'can not use content with a dir as dest' });
  });
  it('a missing parent fails without a trailing slash and is created (directory_mode) with one', () => {
    expect(planCopy(single('x'), opts({ dest: '/nope/app.conf' }), probe({}), REAL)).toMatchObject({ kind: 'fail', msg: 'Destination directory /nope does not exist' });
    const p = planCopy(single('x'), opts({ dest: '/srv/a/b/', directoryMode: '0700', owner: 'web' }), probe({ dirs: [dir('/srv'), absent('/srv/a'), absent('/srv/a/b')] }), REAL);
    expect(runs(p)).toEqual(['mkdir -- /srv/a', 'chown web -- /srv/a && chmod 0700 -- /srv/a', 'mkdir -- /srv/a/b', 'chown web -- /srv/a/b && chmod 0700 -- /srv/a/b']);
    expect(writes(p).map((w) => [w.path, w.owner])).toEqual([['/srv/a/b/app.conf', 'web']]);
  });
  it('a symlink at dest is replaced by a file, or with follow its target is written', () => {
    const l = file('/etc/app.conf', { type: 'link', linkTarget: 'real.conf', checksum: sha1('x') });
    const t = file('/etc/app.conf', { checksum: sha1('old'), followed: true });
    const o = probe({ dirs: [dir('/etc')], lstat: [l], stat: [t], realpath: { '/etc/app.conf': '/etc/real.conf' } });
    const replaced = planCopy(single('x'), opts({ dest: '/etc/app.conf' }), o, REAL);
    expect(runs(replaced)).toEqual(['rm -f -- /etc/app.conf']);
    expect(writes(replaced).map((w) => w.path)).toEqual(['/etc/app.conf']);
    expect(writes(planCopy(single('x'), opts({ dest: '/etc/app.conf', follow: true }), o, REAL)).map((w) => w.path)).toEqual(['/etc/real.conf']);
  });
  it('checksum: a source that does not match fails before sending', () => {
    const p = planCopy(single('x'), opts({ dest: '/etc/app.conf', checksum: sha1('y') }), probe({ dirs: [dir('/etc')] }), REAL);
    expect(p).toMatchObject({ kind: 'fail', msg: 'Copied file does not match the expected checksum. Transfer failed.' });
  });
  it('an unknown owner fails the real run', () => {
    const pr = { ...probe({ dirs: [dir('/etc')] }), ids: { owner: null } };
    expect(planCopy(single('x'), opts({ dest: '/etc/app.conf', owner: 'ghost' }), pr, REAL)).toMatchObject({ kind: 'fail', msg: 'chown failed: failed to look up user ghost' });
  });
});

describe('copy planning, a directory', () => {
  const e = (rel: string, o: Partial<TreeEntry> = {}): TreeEntry => ({ rel, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 0, atime: 0, ...o });
  const spec: CopySpec = {
    kind: 'dir',
    label: '/pb/files/tree',
    files: [one('tree/a', 'a'), one('tree/sub/b', 'b')],
    dirs: ['tree/sub', 'tree/empty'],
    links: [{ rel: 'tree/l', target: 'a' }],
  };
  it('sends only files that differ, creates missing directories and links', () => {
    const tree = [e('tree', { type: 'directory', mode: '0755' }), e('tree/a', { checksum: sha1('a') }), e('tree/sub', { type: 'directory', mode: '0755' }), e('tree/sub/b', { checksum: sha1('old') })];
    const p = planCopy(spec, opts({ dest: '/srv/' }), probe({ dirs: [dir('/srv')], tree }), REAL);
    expect(writes(p).map((w) => w.path)).toEqual(['/srv/tree/sub/b']);
    expect(runs(p)).toEqual(['mkdir -- /srv/tree/empty', 'ln -s -- a /srv/tree/l']);
    expect(p.kind === 'change' && p.data).toEqual({ dest: '/srv/', src: '/pb/files/tree' });
  });
  it('everything in place: ok', () => {
    const tree = [
      e('tree', { type: 'directory' }),
      e('tree/a', { checksum: sha1('a') }),
      e('tree/sub', { type: 'directory' }),
      e('tree/sub/b', { checksum: sha1('b') }),
      e('tree/empty', { type: 'directory' }),
      e('tree/l', { type: 'link', linkTarget: 'a' }),
    ];
    expect(planCopy(spec, opts({ dest: '/srv/' }), probe({ dirs: [dir('/srv')], tree }), REAL)).toEqual({ kind: 'ok', data: { dest: '/srv/', src: '/pb/files/tree' } });
  });
});

describe('copy run on this machine (real sh, real files)', () => {
  const d = mkdtempSync(join(tmpdir(), 'sams-copy-unit-'));
  const pb = join(d, 'pb');
  const t = join(d, 't');
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  mkdirSync(join(pb, 'files/tree/sub'), { recursive: true });
  mkdirSync(t);
  writeFileSync(join(pb, 'files/tree/x'), 'x\n');
  writeFileSync(join(pb, 'files/tree/sub/y'), 'y\n');
  const big = randomBytes(2 * 1024 * 1024);
  writeFileSync(join(pb, 'files/big.bin'), big);

  it('a directory tree: check predicts, the run copies, the second run is ok', async () => {
    const a = { src: 'tree/', dest: join(t, 'tree'), directory_mode: '0700' };
    expect((await runLocal(copyModule, a, { check: true, playbookDir: pb })).status).toBe('changed');
    expect(() => statSync(join(t, 'tree'))).toThrow();
    expect((await runLocal(copyModule, a, { playbookDir: pb })).status).toBe('changed');
    expect(readdirSync(join(t, 'tree')).sort()).toEqual(['sub', 'x']);
    expect(statSync(join(t, 'tree/sub')).mode & 0o777).toBe(0o700);
    expect((await runLocal(copyModule, a, { playbookDir: pb })).status).toBe('ok');
  });

  it('a large file is streamed from disk (not read into memory) and arrives intact', async () => {
    const r = await runLocal(copyModule, { src: 'big.bin', dest: join(t, 'big.bin') }, { playbookDir: pb });
    expect(r.status).toBe('changed');
    expect(r.data!.checksum).toBe(sha1(big));
    expect(sha1(readFileSync(join(t, 'big.bin')))).toBe(sha1(big));
    // The plan carried a LocalFile: the probe never held the content.
    const s = await copyModule.probe(localEnv(pb), args(copyModule, { src: 'big.bin', dest: join(t, 'big2.bin') }));
    expect(s.spec.files[0]!.from).toMatchObject({ content: expect.any(LocalFile) });
  });

  it('a vault-encrypted source is decrypted in memory and written in clear on the host only', async () => {
    const keyring = new Keyring([{ id: 'default', password: 'pw-for-copy' }]);
    writeFileSync(join(pb, 'files/secret.txt'), keyring.encrypt('top secret\n'));
    const r = await runLocal(copyModule, { src: 'secret.txt', dest: join(t, 'secret.txt') }, { playbookDir: pb, keyring, diff: true });
    expect(r.status).toBe('changed');
    expect(readFileSync(join(t, 'secret.txt'), 'utf8')).toBe('top secret\n');
    expect(r.diff).toEqual([{ target: join(t, 'secret.txt'), skipped: 'secret', summary: 'content hidden: contains vault values' }]);
  });
});
