import { test } from 'vitest';
import fileModule from '../../../src/modules/file.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
test('try', async () => {
  const d = mkdtempSync('/tmp/ft/x-');
  writeFileSync(d + '/f', 'hi');
  for (const a of [
    { path: d + '/a/b/c', state: 'directory', mode: '0700' },
    { path: d + '/a/b/c', state: 'directory', mode: '0700' },
    { path: d + '/l', state: 'link', src: 'f' },
    { path: d + '/l', state: 'link', src: 'f' },
    { path: d + '/f', mode: 'u=rw,g=,o=' },
    { path: d + '/h', state: 'hard', src: d + '/f' },
    { path: d + '/h', state: 'hard', src: d + '/f' },
    { path: d + '/t', state: 'touch' },
    { path: d + '/t', state: 'touch', modification_time: '202001011200.00', access_time: 'preserve' },
    { path: d + '/t', state: 'touch', modification_time: '202001011200.00', access_time: 'preserve' },
    { path: d + '/a', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' },
    { path: d + '/a', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' },
    { path: d + '/a', state: 'absent' },
  ]) {
    const r = await runLocal(fileModule, a, { diff: true });
    console.log(JSON.stringify(a), '=>', r.status, r.msg ?? '', JSON.stringify(r.data), r.diff ? JSON.stringify(r.diff) : '');
  }
});
