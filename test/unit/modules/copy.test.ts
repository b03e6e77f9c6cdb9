import { test } from 'vitest';
import copyModule from '../../../src/modules/copy.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { execSync } from 'node:child_process';
test('try', async () => {
  const d = mkdtempSync('/tmp/ft/c-');
  const pb = d + '/pb';
  mkdirSync(pb + '/files/tree/sub', { recursive: true });
  writeFileSync(pb + '/files/a.conf', 'alpha\n');
  writeFileSync(pb + '/files/tree/x', 'x\n');
  writeFileSync(pb + '/files/tree/sub/y', 'y\n');
  mkdirSync(pb + '/files/tree/empty');
  symlinkSync('x', pb + '/files/tree/lx');
  symlinkSync('nowhere', pb + '/files/tree/dangling');
  const t = d + '/t';
  mkdirSync(t);
  for (const a of [
    { content: 'hello\n', dest: t + '/c.txt', mode: '0600' },
    { content: 'hello\n', dest: t + '/c.txt', mode: '0600' },
    { content: 'hello2\n', dest: t + '/c.txt', backup: true },
    { src: 'a.conf', dest: t + '/' },
    { src: 'a.conf', dest: t + '/' },
    { src: 'a.conf', dest: t + '/new/deep/', directory_mode: '0700' },
    { src: 'tree', dest: t + '/r1' },
    { src: 'tree', dest: t + '/r1' },
    { src: 'tree/', dest: t + '/r2', mode: '0640' },
    { src: 'tree/', dest: t + '/r2', mode: '0640' },
    { src: t + '/c.txt', remote_src: true, dest: t + '/rc.txt' },
    { src: t + '/c.txt', remote_src: true, dest: t + '/rc.txt' },
    { src: t + '/r1/tree', remote_src: true, dest: t + '/rr' },
    { src: t + '/r1/tree', remote_src: true, dest: t + '/rr' },
    { content: 'x', dest: t + '/nodir/f' },
    { content: 'x', dest: t + '/v', validate: 'false %s' },
  ]) {
    const r = await runLocal(copyModule, a, { diff: true, playbookDir: pb });
    console.log(JSON.stringify(a), '=>', r.status, r.msg ?? '', JSON.stringify(r.data), r.diff ? JSON.stringify(r.diff).slice(0, 300) : '');
  }
  console.log(execSync(`cd ${t} && find . -printf '%M %p %l\\n' | sort`).toString());
});
