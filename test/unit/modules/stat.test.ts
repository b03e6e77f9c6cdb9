// stat: arguments and aliases, the parser on captured output, and the script run by the real sh on
// this machine for a file, a directory, links, a device and a fifo, checked against Python's os.stat.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStat, statScript, type StatOptions } from '../../../src/modules/lib/stat-script.js';
import statModule, { planStat, statOptions } from '../../../src/modules/stat.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { argError, args } from './env.js';

const ALL: StatOptions = { follow: false, checksum: 'sha1', md5: false, mime: true, attributes: true };

describe('stat arguments', () => {
  it.each([
    [{}, /missing required argument: path/],
    [{ path: '/x', checksum_algorithm: 'crc32' }, /must be one of/],
    [{ path: '/x', checksum: 'md5', checksum_algorithm: 'sha1' }, /same argument/],
    [{ path: '/x', get_selinux: true }, /unknown argument 'get_selinux'/],
  ])('rejects %j', (raw, msg) => {
    expect(argError(statModule, raw)).toMatch(msg);
  });
  it("takes Ansible's aliases and defaults", () => {
    expect(statOptions(args(statModule, { name: '/x' }))).toEqual({ follow: false, checksum: 'sha1', md5: false, mime: true, attributes: true });
    expect(statOptions(args(statModule, { dest: '/x', checksum_algo: 'sha256', mime: 'no', attr: false, get_checksum: true }))).toEqual({
      follow: false,
      checksum: 'sha256',
      md5: false,
      mime: false,
      attributes: false,
    });
  });
});

describe('parsing the probe output', () => {
  const rec = (...kv: string[]) => kv.map((x) => `${x}\0`).join('');
  it('a regular file', () => {
    const out = rec('stat=81a4|0|0|11|42|2049|1|1700000000.500000000|1700000001.250000000|1700000002.000000000|8|4096|0|0|root|root', 'readable=1', 'writeable=1', 'checksum=abc', 'mime=/f: text/plain; charset=us-ascii', 'attr=0 --------------e------- /f');
    const s = parseStat('/f', out, ALL);
    expect(s).toMatchObject({
      exists: true,
      path: '/f',
      mode: '0644',
      isreg: true,
      isdir: false,
      islnk: false,
      uid: 0,
      size: 11,
      inode: 42,
      dev: 2049,
      mtime: 1700000001.25,
      readable: true,
      writeable: true,
      executable: false,
      rusr: true,
      xusr: false,
      checksum: 'abc',
      mimetype: 'text/plain',
      charset: 'us-ascii',
      version: '0',
      attr_flags: 'e',
      attributes: ['extents'],
      pw_name: 'root',
      gr_name: 'root',
      blocks: 8,
      block_size: 4096,
      device_type: 0,
    });
  });
  it('a missing path, and owners without names', () => {
    expect(parseStat('/nope', 'exists=0\0', ALL)).toEqual({ exists: false });
    const s = parseStat('/f', 'stat=81a4|4242|4242|0|1|1|1|0|0|0|0|4096|0|0|UNKNOWN|UNKNOWN\0', ALL);
    expect(s.pw_name).toBeUndefined();
    expect(s.gr_name).toBeUndefined();
    expect(s.checksum).toBeUndefined();
  });
  it('a failure other than "missing" fails the task with stat\'s reason', () => {
    expect(planStat(args(statModule, { path: '/x' }), { rc: 1, stdout: '', stderr: "stat: cannot statx '/x': Permission denied\n" })).toEqual({ kind: 'fail', msg: 'Permission denied' });
  });
});

describe('stat run on this machine, checked against Python os.stat', () => {
  const d = mkdtempSync(join(tmpdir(), 'sams-stat-unit-'));
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, 'f'), 'hello\n');
  chmodSync(join(d, 'f'), 0o2750);
  mkdirSync(join(d, 'dir'));
  symlinkSync('f', join(d, 'l'));
  execFileSync('mkfifo', [join(d, 'fifo')]);

  function python(path: string, follow: boolean): Record<string, number> {
    const code = `import os,sys,json;s=(os.stat if sys.argv[2]=='1' else os.lstat)(sys.argv[1]);print(json.dumps(dict(mode=s.st_mode,ino=s.st_ino,dev=s.st_dev,nlink=s.st_nlink,size=s.st_size,rdev=s.st_rdev,blocks=s.st_blocks,blksize=s.st_blksize,uid=s.st_uid)))`;
    return JSON.parse(execFileSync('python3', ['-c', code, path, follow ? '1' : '0'], { encoding: 'utf8' }));
  }

  it.each([
    ['f', false],
    ['dir', false],
    ['l', false],
    ['l', true],
    ['fifo', false],
    ['/dev/null', false],
  ] as const)('%s (follow %s)', async (name, follow) => {
    const path = name.startsWith('/') ? name : join(d, name);
    const r = await runLocal(statModule, { path, follow, checksum_algorithm: 'sha256' });
    expect(r.status).toBe('ok');
    const s = (r.data as { stat: Record<string, unknown> }).stat;
    const p = python(path, follow);
    expect(s).toMatchObject({
      exists: true,
      mode: (p.mode! & 0o7777).toString(8).padStart(4, '0'),
      inode: p.ino,
      dev: p.dev,
      nlink: p.nlink,
      size: p.size,
      device_type: p.rdev,
      blocks: p.blocks,
      block_size: p.blksize,
      uid: p.uid,
    });
    if (name === 'f' || (name === 'l' && follow)) {
      expect(s.checksum).toBe(execFileSync('sha256sum', [join(d, 'f')], { encoding: 'utf8' }).split(' ')[0]);
      expect(s.isgid).toBe(true);
    } else expect(s.checksum).toBeUndefined();
    if (name === 'l' && !follow) expect(s).toMatchObject({ islnk: true, lnk_target: 'f', lnk_source: join(d, 'f'), mimetype: 'inode/symlink' });
    if (name === 'fifo') expect(s.isfifo).toBe(true);
    if (name === '/dev/null') expect(s).toMatchObject({ ischr: true, mimetype: 'inode/chardevice' });
  });

  it('a missing path is exists: false, and the run is ok (stat never changes anything)', async () => {
    const r = await runLocal(statModule, { path: join(d, 'missing') }, { check: true });
    expect(r).toMatchObject({ status: 'ok', data: { stat: { exists: false } } });
  });

  it('the script copes with awkward names', async () => {
    const odd = join(d, "a 'quoted'\nname");
    writeFileSync(odd, 'x');
    const out = execFileSync('/bin/sh', ['-c', statScript(odd, ALL).text], { encoding: 'utf8' });
    expect(parseStat(odd, out, ALL)).toMatchObject({ exists: true, isreg: true, size: 1, path: odd });
  });
});
