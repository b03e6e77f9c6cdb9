import { test } from 'vitest';
import statModule from '../../../src/modules/stat.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { readFileSync } from 'node:fs';
test('try', async () => {
  for (const [p, a] of [['f', {}], ['d', {}], ['l', {}], ['lf', { path: '/tmp/st/l', follow: true, checksum_algorithm: 'sha256' }]] as const) {
    const r = await runLocal(statModule, { path: '/tmp/st/' + p, ...a });
    const ans = JSON.parse(readFileSync('/tmp/st/ans-' + p + '.json', 'utf8')).stat;
    const ours = (r.data as any).stat;
    const keys = new Set([...Object.keys(ans), ...Object.keys(ours)]);
    for (const k of [...keys].sort()) if (JSON.stringify(ans[k]) !== JSON.stringify(ours[k])) console.log(p, k, 'ansible', JSON.stringify(ans[k]), 'sams', JSON.stringify(ours[k]));
  }
});
