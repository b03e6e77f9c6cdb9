import { test } from 'vitest';
import templateModule from '../../../src/modules/template.js';
import { runLocal } from '../../fixtures/files/run-local.js';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
test('try', async () => {
  const d = mkdtempSync('/tmp/ft/t-');
  mkdirSync(d + '/templates');
  writeFileSync(d + '/templates/a.j2', '# {{ ansible_managed }}\n{% for x in items %}\nline {{ x }}\n{% endfor %}\n{{ template_path }} {{ template_host }} {{ template_uid }}\n');
  writeFileSync(d + '/templates/bad.j2', 'ok\n{{ nope }}\n');
  writeFileSync(d + '/templates/syn.j2', 'ok\n{% if %}\n');
  for (const a of [
    { src: 'a.j2', dest: d + '/out' },
    { src: 'a.j2', dest: d + '/out' },
    { src: 'a.j2', dest: d + '/crlf', newline_sequence: '\\r\\n' },
    { src: 'bad.j2', dest: d + '/out2' },
    { src: 'syn.j2', dest: d + '/out2' },
  ]) {
    const r = await runLocal(templateModule, a, { diff: true, playbookDir: d, vars: { items: [1, 2] } });
    console.log(JSON.stringify(a), '=>', r.status, r.msg ?? '', JSON.stringify(r.data), r.diff ? JSON.stringify(r.diff).slice(0, 300) : '');
  }
});
