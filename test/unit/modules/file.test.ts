// file: arguments, the probe's path list, pure planning from fixture states (Ansible's state
// machine, messages and return values), time parsing, and whole runs against this machine.

import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileState } from '../../../src/facts/file-state.js';
import fileModule, { planFile, probePaths, timeText, type FileArgs, type FileProbe } from '../../../src/modules/file.js';
import { strptime, StrptimeError } from '../../../src/python/datetime.js';
import type { Plan, PlanEnv } from '../../../src/modules/types.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { argError, args } from './env.js';

const REAL: PlanEnv = { host: 'h1', check: false, diff: false };
const CHECK: PlanEnv = { host: 'h1', check: true, diff: false };

const file = (path: string, o: Partial<FileState> = {}): FileState => ({ path, exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 3, nlink: 1, inode: 10, mtime: 1000, atime: 1000, ...o });
const dir = (path: string, o: Partial<FileState> = {}): FileState => file(path, { type: 'directory', mode: '0755', size: 4096, inode: 20, ...o });
const link = (path: string, target: string): FileState => file(path, { type: 'link', mode: '0777', linkTarget: target, size: target.length, inode: 30 });
const absent = (path: string): FileState => ({ path, exists: false });

/** A probe where every probed path is absent unless given. */
function probe(a: FileArgs, l: FileState[] = [], s: FileState[] = [], extra: Partial<FileProbe> = {}): FileProbe {
  const paths = probePaths(a);
  const by = (list: FileState[], names: string[]) => Object.fromEntries(names.map((n) => [n, list.find((x) => x.path === n) ?? absent(n)]));
  return {
    lstat: by(l, paths.lstat),
    stat: by(s, paths.stat),
    realpath: Object.fromEntries(paths.realpath.map((p) => [p, p])),
    ids: { owner: a.owner ? { name: a.owner, id: 1 } : undefined, group: a.group ? { name: a.group, id: 1 } : undefined, me: { name: 'root', id: 0 }, myGroup: { name: 'root', id: 0 } },
    epochs: {},
    ...extra,
  };
}

function plan(raw: Record<string, unknown>, l: FileState[] = [], s: FileState[] = [], extra: Partial<FileProbe> = {}, env = REAL): Plan {
  const a = args(fileModule, raw);
  return planFile(a, probe(a, l, s, extra), env);
}

const cmds = (p: Plan) => (p.kind === 'change' ? p.steps.map((s) => (s.kind === 'run' ? s.cmd.display : s.kind)) : []);

describe('file arguments', () => {
  it.each([
    [{}, /missing required argument: path/],
    [{ path: '/a', dest: '/b' }, /give only one/],
    [{ path: '/a', state: 'file', recurse: true }, /recurse option requires state to be 'directory'/],
    [{ path: '/a', state: 'directory', src: '/b' }, /src option requires state to be 'link' or 'hard'/],
    [{ path: '/a', mode: 'preserve' }, /only for copy and template/],
    [{ path: '/a', state: 'touch', modification_time: 'yesterday' }, /Error while obtaining timestamp for time yesterday using format %Y%m%d%H%M\.%S/],
    [{ path: '/a', selevel: 's0' }, /unknown argument 'selevel'/],
    [{ path: '/a', state: 'present' }, /must be one of/],
  ])('rejects %j', (raw, msg) => {
    expect(argError(fileModule, raw)).toMatch(msg);
  });
  it('takes dest and name for path, and Ansible defaults', () => {
    const a = args(fileModule, { name: '/x', recurse: 'no' });
    expect([a.name, a.follow, a.force, a.recurse, a.modification_time_format]).toEqual(['/x', true, false, false, '%Y%m%d%H%M.%S']);
  });
});

describe('file planning', () => {
  it('state defaults: an existing path keeps its kind; a missing one is "file", which fails as Ansible does', () => {
    expect(plan({ path: '/d', mode: '0700' }, [dir('/d')])).toMatchObject({ kind: 'change', data: { path: '/d', state: 'directory', mode: '0700' } });
    expect(plan({ path: '/nope' })).toMatchObject({ kind: 'fail', msg: 'file (/nope) is absent, cannot continue' });
    expect(plan({ path: '/t', recurse: true }, [], [], { below: [] })).toMatchObject({ kind: 'change' });
  });

  it('directory: creates every missing parent with the owner/group/mode (Ansible applies them to each)', () => {
    const p = plan({ path: '/a/b/c', state: 'directory', mode: '0700', owner: 'web' }, [], [dir('/a')]);
    expect(cmds(p)).toEqual(['mkdir -- /a/b', 'chown web -- /a/b && chmod 0700 -- /a/b', 'mkdir -- /a/b/c', 'chown web -- /a/b/c && chmod 0700 -- /a/b/c']);
    expect(p.kind === 'change' && p.data).toMatchObject({ path: '/a/b/c', mode: '0700', owner: 'web', uid: 1, state: 'directory' });
    expect(plan({ path: '/a/b', state: 'directory' }, [], [file('/a')])).toMatchObject({ kind: 'fail', msg: expect.stringMatching(/\/a exists and is not a directory/) });
    expect(plan({ path: '/f', state: 'directory' }, [file('/f')])).toMatchObject({ kind: 'fail', msg: '/f already exists as a file' });
  });

  it('an existing link without src: a resolving one keeps its target and takes the attributes; a dangling one is left alone', () => {
    const kept = plan({ path: '/l', mode: '0600' }, [link('/l', 'f')], [file('/l', { followed: true })]);
    expect(cmds(kept)).toEqual(['chmod 0600 -- /l']);
    expect(kept).toMatchObject({ kind: 'change', data: { dest: '/l', src: 'f', state: 'link' } });
    expect(plan({ path: '/l', state: 'link' }, [link('/l', 'f')], [file('/l', { followed: true })])).toMatchObject({ kind: 'ok', data: { dest: '/l', src: 'f' } });
    expect(plan({ path: '/l', state: 'link', mode: '0600' }, [link('/l', 'nowhere')])).toEqual({
      kind: 'ok',
      data: { dest: '/l', src: null },
      registeredDiff: { before: { path: '/l' }, after: { path: '/l' } },
    });
  });

  it('touch: a dangling link fails as os.utime does; a new file diffs mode and times as Ansible', () => {
    expect(plan({ path: '/l', state: 'touch' }, [link('/l', 'nowhere')])).toMatchObject({
      kind: 'fail',
      msg: "Error while updating modification or access time: [Errno 2] No such file or directory: b'/l'",
    });
    const p = plan({ path: '/n', state: 'touch', mode: '0640' }, [], [], { epochs: { now: 1234.5 } });
    const d = p.kind === 'change' ? p.diff![0]! : undefined;
    expect(d && 'before' in d && JSON.parse(d.before)).toEqual({ path: '/n', state: 'absent', mode: '0644', mtime: 1234.5, atime: 1234.5 });
    expect(d && 'after' in d && JSON.parse(d.after)).toEqual({ path: '/n', state: 'touch', mode: '0640', mtime: 1234.5, atime: 1234.5 });
  });

  it('directory that is as wanted: ok with the path info', () => {
    expect(plan({ path: '/d', state: 'directory', mode: '0755' }, [dir('/d')])).toEqual({
      kind: 'ok',
      data: { path: '/d', uid: 0, gid: 0, owner: 'root', group: 'root', mode: '0755', state: 'directory', size: 4096 },
      // Ansible's file registers its diff dicts even when nothing changed.
      registeredDiff: { before: { path: '/d' }, after: { path: '/d' } },
    });
  });

  it('recurse: one -R command per attribute that differs anywhere below, symbolic modes per entry', () => {
    const below = [
      { rel: 'x', type: 'file' as const, mode: '0640', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 0, atime: 0 },
      { rel: 'l', type: 'link' as const, mode: '0777', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 0, atime: 0 },
    ];
    expect(plan({ path: '/t', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }, [dir('/t', { mode: '0750' })], [], { below })).toMatchObject({ kind: 'ok' });
    expect(cmds(plan({ path: '/t', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=', owner: 'web' }, [dir('/t', { mode: '0750' })], [], { below }))).toEqual(['chown -R web -- /t']);
    const changed = [{ ...below[0]!, mode: '0666' }];
    expect(cmds(plan({ path: '/t', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }, [dir('/t', { mode: '0750' })], [], { below: changed }))).toEqual(['chmod -R u=rwX,g=rX,o= -- /t']);
  });

  it('file: attributes of an existing file, through a followed link, with a JSON diff as Ansible', () => {
    const p = plan({ path: '/f', mode: '0600', group: 'staff' }, [file('/f')]);
    expect(cmds(p)).toEqual(['chgrp staff -- /f && chmod 0600 -- /f']);
    expect(p.kind === 'change' && p.diff![0]).toEqual({
      target: '/f',
      before: '{\n    "group": 0,\n    "mode": "0644",\n    "path": "/f"\n}\n',
      after: '{\n    "group": 1,\n    "mode": "0600",\n    "path": "/f"\n}\n',
    });
    const viaLink = plan({ path: '/l', state: 'file', mode: '0600' }, [link('/l', 'f')], [{ ...file('/l'), followed: true }], { realpath: { '/l': '/f' } });
    expect(cmds(viaLink)).toEqual(['chmod 0600 -- /f']);
    expect(plan({ path: '/l', state: 'file', follow: false }, [link('/l', 'f')])).toMatchObject({ kind: 'fail', msg: 'file (/l) is link, cannot continue' });
  });

  it('link: create, keep, retarget atomically; refuse over files and non-empty directories', () => {
    expect(cmds(plan({ path: '/d/l', src: 'f', state: 'link' }, [], [file('/d/f')]))).toEqual(['ln -s -- f /d/l']);
    expect(plan({ path: '/d/l', src: 'f', state: 'link' }, [link('/d/l', 'f')], [file('/d/f'), { ...file('/d/l'), followed: true }])).toMatchObject({ kind: 'ok', data: { dest: '/d/l', src: 'f', state: 'link' } });
    expect(cmds(plan({ path: '/d/l', src: 'g', state: 'link' }, [link('/d/l', 'f')], [file('/d/g')]))).toEqual(["t=/d/.sams-ln.$$ && ln -s -- g \"$t\" && { mv -Tf -- \"$t\" /d/l || { rm -f -- \"$t\"; exit 1; }; }"]);
    expect(plan({ path: '/d/l', src: 'nope', state: 'link' })).toMatchObject({ kind: 'fail', msg: 'src file does not exist, use "force=yes" if you really want to create the link: /d/nope' });
    expect(plan({ path: '/d/l', src: 'nope', state: 'link', force: true })).toMatchObject({ kind: 'change' });
    expect(plan({ path: '/d/f', src: 'g', state: 'link' }, [file('/d/f')], [file('/d/g')])).toMatchObject({ kind: 'fail', msg: 'refusing to convert from file to symlink for /d/f' });
    expect(plan({ path: '/d/x', src: 'g', state: 'link', force: true }, [dir('/d/x')], [file('/d/g')], { dirNotEmpty: true })).toMatchObject({ kind: 'fail', msg: 'the directory /d/x is not empty, refusing to convert it' });
    expect(plan({ path: '/d/l', state: 'link' })).toMatchObject({ kind: 'fail', msg: 'src is required for creating new symlinks' });
  });

  it('hard: link, keep when the inode matches, refuse to replace without force', () => {
    expect(cmds(plan({ path: '/h', src: '/f', state: 'hard' }, [], [file('/f')]))).toEqual(['ln -- /f /h']);
    expect(plan({ path: '/h', src: '/f', state: 'hard' }, [file('/h', { nlink: 2 })], [file('/f', { nlink: 2 }), file('/h', { nlink: 2 })])).toMatchObject({ kind: 'ok', data: { state: 'hard' } });
    expect(plan({ path: '/h', src: '/f', state: 'hard' }, [file('/h')], [file('/f', { inode: 99 }), file('/h')])).toMatchObject({ kind: 'fail', msg: 'Cannot link, file exists at destination' });
    expect(plan({ path: '/h', src: '/f', state: 'hard' })).toMatchObject({ kind: 'fail', msg: 'src does not exist' });
  });

  it('a directory given as path with src means the entry named like src inside it', () => {
    const a = args(fileModule, { path: '/dir', src: '/f', state: 'hard' });
    expect(probePaths(a).lstat).toEqual(['/dir', '/dir/f']);
    expect(cmds(plan({ path: '/dir', src: '/f', state: 'hard' }, [dir('/dir')], [dir('/dir'), file('/f')]))).toEqual(['ln -- /f /dir/f']);
  });

  it('touch: always changes without times; explicit times change only when different', () => {
    expect(cmds(plan({ path: '/f', state: 'touch' }, [file('/f')]))).toEqual(['touch -c -- /f']);
    expect(cmds(plan({ path: '/n', state: 'touch', mode: '0600' }))).toEqual(['touch -- /n', 'chmod 0600 -- /n']);
    const t = { path: '/f', state: 'touch', modification_time: '202001020304.05', access_time: 'preserve' };
    expect(plan(t, [file('/f', { mtime: 1577934245 })], [], { epochs: { mtime: 1577934245 } })).toMatchObject({ kind: 'ok' });
    expect(cmds(plan(t, [file('/f', { mtime: 5 })], [], { epochs: { mtime: 1577934245 } }))).toEqual(['touch -c -m -d @1577934245 -- /f']);
  });

  it('absent: rm -rf a directory (the diff lists what was in it), ok when already gone', () => {
    const below = [
      { rel: 'sub', type: 'directory' as const, mode: '0755', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 0, atime: 0 },
      { rel: 'sub/f', type: 'file' as const, mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 0, atime: 0 },
    ];
    const p = plan({ path: '/d', state: 'absent' }, [dir('/d')], [], { below });
    expect(cmds(p)).toEqual(['rm -rf -- /d']);
    expect(p.kind === 'change' && JSON.parse((p.diff![0] as { before: string }).before)).toEqual({ path: '/d', state: 'directory', path_content: { directories: ['/d/sub'], files: ['/d/sub/f'] } });
    expect(plan({ path: '/d', state: 'absent' })).toEqual({ kind: 'ok', data: { path: '/d', state: 'absent' } });
  });

  it('an unknown owner fails a real run but only warns in check mode (a user task may create it)', () => {
    const a = args(fileModule, { path: '/d', state: 'directory', owner: 'ghost' });
    const p = { ...probe(a), ids: { owner: null } };
    expect(planFile(a, p, REAL)).toMatchObject({ kind: 'fail', msg: 'chown failed: failed to look up user ghost' });
    expect(planFile(a, p, CHECK)).toMatchObject({ kind: 'change' });
  });
});

describe('helpers', () => {
  it.each([
    ['202001020304.05', '%Y%m%d%H%M.%S', '2020-01-02 03:04:05'],
    ['2021-12-31 23:59', '%Y-%m-%d %H:%M', '2021-12-31 23:59:00'],
    ['05 Mar 99 1:02 PM', '%d %b %y %I:%M %p', '1999-03-05 13:02:00'],
  ])('strptime(%s, %s)', (text, format, want) => {
    expect(timeText(text, format)).toBe(want);
  });
  it('strptime rejects what Python rejects', () => {
    expect(() => strptime('20200102', '%Y%m%d%H%M.%S')).toThrow(StrptimeError);
    expect(() => strptime('202013020304.05', '%Y%m%d%H%M.%S')).toThrow(/does not match format/);
    expect(() => strptime('2020x', '%Y')).toThrow(/unconverted data remains: x/);
  });
});

describe('file run on this machine (real sh, real files)', () => {
  const d = mkdtempSync(join(tmpdir(), 'sams-file-unit-'));
  afterAll(() => rmSync(d, { recursive: true, force: true }));

  it('each state twice: changed, then ok; check mode touches nothing', async () => {
    writeFileSync(join(d, 'f'), 'abc');
    const cases: Record<string, unknown>[] = [
      { path: join(d, 'a/b'), state: 'directory', mode: '0750' },
      { path: join(d, 'l'), src: 'f', state: 'link' },
      { path: join(d, 'h'), src: join(d, 'f'), state: 'hard' },
      { path: join(d, 'f'), mode: 'u=rw,go=' },
      { path: join(d, 't'), state: 'touch', modification_time: '201901010000.00', access_time: '201901010000.00' },
      { path: join(d, 'a'), state: 'directory', recurse: true, mode: 'u=rwX,g=,o=' },
      { path: join(d, 'a'), state: 'absent' },
    ];
    for (const c of cases) {
      expect((await runLocal(fileModule, c, { check: true })).status, JSON.stringify(c)).toBe('changed');
      expect((await runLocal(fileModule, c)).status, JSON.stringify(c)).toBe('changed');
      expect((await runLocal(fileModule, c)).status, JSON.stringify(c)).toBe('ok');
    }
    expect(readlinkSync(join(d, 'l'))).toBe('f');
    expect(statSync(join(d, 'h')).ino).toBe(statSync(join(d, 'f')).ino);
    expect(statSync(join(d, 'f')).mode & 0o777).toBe(0o600);
    expect(statSync(join(d, 't')).mtimeMs).toBe(new Date(2019, 0, 1).getTime());
    expect(() => lstatSync(join(d, 'a'))).toThrow();
  });

  it('names with spaces and quotes survive the probe and the commands', async () => {
    const odd = join(d, "it's a dir");
    mkdirSync(odd);
    symlinkSync('nowhere', join(odd, 'x y'));
    const r = await runLocal(fileModule, { path: join(odd, "n'ew dir"), state: 'directory' });
    expect(r.status).toBe('changed');
    expect(statSync(join(odd, "n'ew dir")).isDirectory()).toBe(true);
    expect((await runLocal(fileModule, { path: odd, state: 'absent' })).status).toBe('changed');
  });
});
