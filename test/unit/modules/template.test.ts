// template: arguments, Ansible's template variables, rendering (trim/lstrip, newline_sequence,
// vault values, errors naming file:line), and whole runs against this machine.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import templateModule, { ANSIBLE_MANAGED, renderTemplateFile, templateVars } from '../../../src/modules/template.js';
import { isSecret, Secret } from '../../../src/secret.js';
import { overlayVars } from '../../../src/template/lookups.js';
import { PyDateTime } from '../../../src/python/datetime.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { localEnv, runLocal } from '../../fixtures/files/run-local.js';
import { argError, args } from './env.js';

const d = mkdtempSync(join(tmpdir(), 'sams-template-unit-'));
afterAll(() => rmSync(d, { recursive: true, force: true }));
mkdirSync(join(d, 'templates'));
const T = (name: string, text: string | Buffer) => {
  writeFileSync(join(d, 'templates', name), text);
  return join(d, 'templates', name);
};

describe('template arguments', () => {
  it.each([
    [{ src: 'a.j2' }, /dest/],
    [{ src: 'a.j2', dest: '/x', newline_sequence: '\\t' }, /newline_sequence needs to be one of/],
    [{ src: 'a.j2', dest: '/x', output_encoding: 'latin-1' }, /utf-8 only/],
    [{ src: 'a.j2', dest: '/x', validate: 'nginx -t' }, /validate must contain %s/],
    [{ src: 'a.j2', dest: '/x', block_start_string: '[%' }, /unknown argument 'block_start_string'/],
    [{ src: 'a.j2', dest: '/x', state: 'present' }, /unknown argument 'state'/],
  ])('rejects %j', (raw, msg) => {
    expect(argError(templateModule, raw)).toMatch(msg);
  });
  it("has Ansible's defaults", () => {
    const a = args(templateModule, { src: 'a.j2', dest: '/x', output_encoding: 'UTF-8' });
    expect([a.trim_blocks, a.lstrip_blocks, a.force, a.follow, a.newline_sequence]).toEqual([true, false, true, false, '\n']);
  });
});

describe('template variables', () => {
  it("are Ansible's names and values, ansible_managed being Ansible's default string", () => {
    const p = T('vars.j2', 'x');
    const v = templateVars('vars.j2', p, '/etc/x.conf');
    expect(v).toMatchObject({
      template_host: hostname(),
      template_path: 'vars.j2',
      template_fullpath: p,
      template_destpath: '/etc/x.conf',
      template_uid: 'root',
      ansible_managed: 'Ansible managed',
    });
    expect(ANSIBLE_MANAGED).toBe('Ansible managed');
    expect(v.template_mtime).toBeInstanceOf(PyDateTime);
    expect(v.template_run_date).toBeInstanceOf(PyDateTime);
  });
});

describe('rendering', () => {
  const env = localEnv(d);
  const render = (name: string, text: string, extra: Record<string, unknown> = {}, vars: Record<string, unknown> = {}) => {
    const p = T(name, text);
    const a = args(templateModule, { src: name, dest: '/x', ...extra });
    return renderTemplateFile(env, a, p, overlayVars({ items: [1, 2], ...vars }, templateVars(name, p, '/x')));
  };
  const loop = '{% for i in items %}\n  {% if i > 1 %}\nbig {{ i }}\n  {% endif %}\n{% endfor %}\n';

  // Expected texts: Jinja2 with Ansible's trailing-newline handling (checked with python3-jinja2).
  it('trim_blocks (default) and lstrip_blocks as Jinja', () => {
    expect(render('t1.j2', loop)).toBe('    big 2\n  \n');
    expect(render('t2.j2', loop, { lstrip_blocks: true })).toBe('big 2\n');
    expect(render('t3.j2', loop, { trim_blocks: false })).toBe('\n  \n\n  \nbig 2\n  \n');
  });
  it('newline_sequence rewrites the line ends (escaped forms accepted as in Ansible)', () => {
    expect(render('nl.j2', 'a\nb\n', { newline_sequence: '\\r\\n' })).toBe('a\r\nb\r\n');
    expect(render('nl2.j2', 'a\nb\n', { newline_sequence: '\r' })).toBe('a\rb\r');
  });
  it('ansible_managed and template_path are available', () => {
    expect(render('m.j2', '# {{ ansible_managed }} from {{ template_path }}\n')).toBe('# Ansible managed from m.j2\n');
  });
  it('a vault value in the output makes the result a Secret', () => {
    const out = render('s.j2', 'pw={{ pw }}\n', {}, { pw: new Secret('vault-secret-1') });
    expect(isSecret(out)).toBe(true);
    expect((out as Secret).reveal()).toBe('pw=vault-secret-1\n');
  });
  it('a vault-encrypted template is decrypted in memory and its output is a Secret', () => {
    const keyring = new Keyring([{ id: 'default', password: 'tpl-pw' }]);
    const p = T('enc.j2', keyring.encrypt('hello {{ items | length }}\n'));
    const a = args(templateModule, { src: 'enc.j2', dest: '/x' });
    const out = renderTemplateFile(localEnv(d, { keyring }), a, p, { items: [1] });
    expect(isSecret(out) && out.reveal()).toBe('hello 1\n');
  });
  it('errors name the template file, line and column', () => {
    expect(() => render('err.j2', 'one\ntwo {{ missing }}\n')).toThrow(new RegExp(`^${join(d, 'templates/err.j2')}:2:\\d+: undefined variable 'missing'`));
    expect(() => render('syn.j2', 'one\n{% if %}\n')).toThrow(new RegExp(`^${join(d, 'templates/syn.j2')}:2:\\d+: template syntax error`));
  });
  it('a template that is not UTF-8 is refused, as Ansible does', () => {
    const p = T('latin.j2', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(() => renderTemplateFile(env, args(templateModule, { src: 'latin.j2', dest: '/x' }), p, {})).toThrow(/must be utf-8 encoded/);
  });
});

describe('template run on this machine (real sh, real files)', () => {
  const out = join(d, 'out');
  mkdirSync(out);

  it('renders, then is ok; into a directory it takes the template name; mode preserve is the template mode', async () => {
    const p = T('app.conf.j2', 'name={{ name }}\n');
    chmodSync(p, 0o640);
    const a = { src: 'app.conf.j2', dest: join(out, 'app.conf') };
    expect((await runLocal(templateModule, a, { playbookDir: d, vars: { name: 'x' }, check: true })).status).toBe('changed');
    expect((await runLocal(templateModule, a, { playbookDir: d, vars: { name: 'x' } })).status).toBe('changed');
    expect(readFileSync(join(out, 'app.conf'), 'utf8')).toBe('name=x\n');
    expect((await runLocal(templateModule, a, { playbookDir: d, vars: { name: 'x' } })).status).toBe('ok');
    const r = await runLocal(templateModule, { src: 'app.conf.j2', dest: `${out}/`, mode: 'preserve' }, { playbookDir: d, vars: { name: 'y' } });
    expect(r.status).toBe('changed');
    expect(statSync(join(out, 'app.conf.j2')).mode & 0o777).toBe(0o640);
  });

  it('a template error fails the task with the file and line, nothing written', async () => {
    T('bad.j2', 'a\n{{ nope }}\n');
    const r = await runLocal(templateModule, { src: 'bad.j2', dest: join(out, 'bad') }, { playbookDir: d });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/templates\/bad\.j2:2:\d+: undefined variable 'nope'/);
    expect(() => statSync(join(out, 'bad'))).toThrow();
  });
});
