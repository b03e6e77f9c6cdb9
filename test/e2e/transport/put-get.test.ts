// put (atomic write with mode/owner) and get over a real sshd.

import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { connect } from '../../../src/transport/connect.js';
import type { Connection } from '../../../src/transport/types.js';
import { ensureTestUsers, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let root: Connection;
let user: Connection;
let dir: string;

beforeAll(async () => {
  await ensureTestUsers();
  th = await startTestHosts(1);
  dir = th.hosts[0]!.root;
  [root, user] = await Promise.all([connect(th.spec('h1')), connect(th.spec('h1', { user: 'samsuser' }))]);
}, 30_000);
afterAll(async () => {
  await Promise.all([root?.close(), user?.close()]);
  await th?.stop();
});

const stat = async (path: string) => (await root.exec(`stat -c '%a %U %G %i' ${path}`)).stdout.trim();
const leftovers = async (d: string) => (await root.exec(`ls -A ${d} | grep -c '^\\.sams\\.' || true`)).stdout.trim();

describe('put', () => {
  test('creates a file with the content, mode from the umask, in one round trip', async () => {
    const before = root.roundTrips;
    await root.put(`${dir}/new.txt`, 'hello\n');
    expect(root.roundTrips - before).toBe(1);
    expect((await root.exec(`cat ${dir}/new.txt`)).stdout).toBe('hello\n');
    expect(await stat(`${dir}/new.txt`)).toMatch(/^644 root root /);
    expect(await leftovers(dir)).toBe('0');
  });

  test('applies octal and symbolic modes, owner and group', async () => {
    await root.put(`${dir}/owned`, 'x', { mode: '0640', owner: 'samsuser', group: 'samspw' });
    expect(await stat(`${dir}/owned`)).toMatch(/^640 samsuser samspw /);
    await root.put(`${dir}/sym`, 'x', { mode: 'u=rw,g=r,o=' });
    expect(await stat(`${dir}/sym`)).toMatch(/^640 root root /);
    await root.put(`${dir}/grp`, 'x', { group: 'samspw' });
    expect(await stat(`${dir}/grp`)).toMatch(/^644 root samspw /);
  });

  test('replaces an existing file by rename (new inode), keeping its mode and owner when none are given', async () => {
    const path = `${dir}/existing`;
    await root.exec(`printf old > ${path} && chmod 0600 ${path} && chown samsuser:samspw ${path}`);
    const inodeBefore = (await stat(path)).split(' ')[3];
    await root.put(path, 'new');
    const [mode, owner, group, inode] = (await stat(path)).split(' ');
    expect([mode, owner, group]).toEqual(['600', 'samsuser', 'samspw']);
    expect(inode).not.toBe(inodeBefore);
    expect((await root.get(path)).toString()).toBe('new');
  });

  test('a failing chown leaves the old file intact, removes the temp file, and names path and error', async () => {
    const path = `${dir}/keep-on-chown`;
    await root.put(path, 'original');
    await expect(root.put(path, 'replacement', { owner: 'no-such-user-x' })).rejects.toThrow(
      new RegExp(`cannot write ${path} on h1: chown: invalid user: .no-such-user-x`),
    );
    expect((await root.get(path)).toString()).toBe('original');
    expect(await leftovers(dir)).toBe('0');
  });

  test('a failing rename leaves the old file intact and removes the temp file', async () => {
    // In a sticky directory a user may create files but not replace someone else's.
    const sticky = `${dir}/sticky`;
    await root.exec(`mkdir -p ${sticky} && chmod 1777 ${sticky} && printf root-owned > ${sticky}/f && chmod 644 ${sticky}/f`);
    const err = await user.put(`${sticky}/f`, 'hijack').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(new RegExp(`^cannot write ${sticky}/f on h1: mv: .*(Operation not permitted|Permission denied)`));
    expect((await root.get(`${sticky}/f`)).toString()).toBe('root-owned');
    expect(await leftovers(sticky)).toBe('0');
  });

  test('a missing directory or a directory at the path is an error naming the path', async () => {
    await expect(root.put(`${dir}/no/such/dir/f`, 'x')).rejects.toThrow(/cannot write .*\/no\/such\/dir\/f on h1: mktemp: .*No such file or directory/);
    await root.exec(`mkdir -p ${dir}/adir`);
    await expect(root.put(`${dir}/adir`, 'x')).rejects.toThrow(/cannot write .*\/adir on h1: .*adir is a directory/);
  });

  test('streams a large file without holding it in memory', async () => {
    const chunk = randomBytes(1024 * 1024);
    const n = 64;
    const hash = createHash('sha256');
    for (let i = 0; i < n; i++) hash.update(chunk);
    async function* gen() {
      for (let i = 0; i < n; i++) yield chunk;
    }
    await root.put(`${dir}/big.bin`, Readable.from(gen()), { mode: '0600' });
    const r = await root.exec(`sha256sum ${dir}/big.bin; stat -c %s ${dir}/big.bin`);
    expect(r.stdout).toBe(`${hash.digest('hex')}  ${dir}/big.bin\n${n * 1024 * 1024}\n`);
  }, 60_000);

  test('writes Secret content', async () => {
    await root.put(`${dir}/secret`, new Secret('pa55word'), { mode: '0600' });
    expect((await root.get(`${dir}/secret`)).toString()).toBe('pa55word');
  });
});

describe('get', () => {
  test('reads binary content unchanged', async () => {
    const data = randomBytes(300_000);
    await root.put(`${dir}/bin`, data);
    expect((await root.get(`${dir}/bin`)).equals(data)).toBe(true);
  });

  test('a missing file is an error naming it', async () => {
    await expect(root.get(`${dir}/missing`)).rejects.toThrow(new RegExp(`cannot read ${dir}/missing on h1: .*No such file or directory`));
  });
});
