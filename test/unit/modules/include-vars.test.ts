// include_vars: files and directory trees on the control node, vault-encrypted files, and the
// result keys Ansible returns.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import includeVarsModule, { mergeVars, runIncludeVars } from '../../../src/modules/include_vars.js';
import { isSecret } from '../../../src/secret.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { argError, args, controllerEnv } from './env.js';

const VAULT = join(import.meta.dirname, '../../fixtures/vault');
const password = (f: string) => readFileSync(join(VAULT, f), 'utf8').trim();

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sams-iv-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

const pb = tree({
  'vars/common.yml': 'a: 1\nshared: from-common\n',
  'vars/data.json': '{"j": [1, 2], "shared": "from-json"}',
  'vars/list.yml': '- not\n- a mapping\n',
  'vars/empty.yml': '',
  'local.yml': 'here: true\n',
  'confd/10-base.yml': 'x: 1\nover: base\n',
  'confd/20-more.yaml': 'y: 2\nover: more\n',
  'confd/30-skip.txt': 'not vars',
  'confd/sub/40-deep.yml': 'deep: yes\n',
  'confd/sub/zz/50-deeper.yml': 'deeper: yes\n',
  'roles/web/vars/main.yml': 'role_main: 1\n',
  'roles/web/vars/extra.yml': 'role_extra: 1\n',
  'roles/web/vars/conf/a.yml': 'role_dir: a\n',
});
const role = join(pb, 'roles/web');

describe('include_vars arguments', () => {
  it.each([
    [{ file: 'a.yml', dir: 'd' }, 'You are mixing file only and dir only arguments'],
    [{ file: 'a.yml', depth: 1 }, 'You are mixing file only and dir only arguments'],
    [{}, 'give the file to load'],
    [{ dir: 'd', files_matching: '(' }, 'Invalid regular expression'],
    [{ file: 'a.yml', hash_behaviour: 'deep' }, 'must be one of'],
  ])('rejects %j', (raw, msg) => {
    expect(argError(includeVarsModule, raw)).toContain(msg);
  });
  it('splits ignore_files on whitespace, as Ansible does', () => {
    expect(args(includeVarsModule, { dir: 'd', ignore_files: 'a.yml  b.yml' }).ignore_files).toEqual(['a.yml', 'b.yml']);
  });
});

describe('one file', () => {
  const env = controllerEnv({ playbookDir: pb });
  it('loads YAML from the playbook’s vars/ directory into the include_vars layer', () => {
    const out = runIncludeVars(env, args(includeVarsModule, { file: 'common.yml' }));
    expect(out).toEqual({
      status: 'ok',
      facts: { a: 1, shared: 'from-common' },
      factsLayer: 'include_vars',
      data: { ansible_facts: { a: 1, shared: 'from-common' }, ansible_included_var_files: [join(pb, 'vars/common.yml')] },
    });
  });
  it('loads JSON, a file beside the playbook, an empty file as nothing', () => {
    expect(runIncludeVars(env, args(includeVarsModule, { file: 'data.json' })).facts).toEqual({ j: [1, 2], shared: 'from-json' });
    expect(runIncludeVars(env, args(includeVarsModule, { file: 'local.yml' })).facts).toEqual({ here: true });
    expect(runIncludeVars(env, args(includeVarsModule, { file: 'empty.yml' })).facts).toEqual({});
  });
  it('puts everything under name:', () => {
    expect(runIncludeVars(env, args(includeVarsModule, { file: 'common.yml', name: 'cfg' })).facts).toEqual({ cfg: { a: 1, shared: 'from-common' } });
  });
  it('merges mappings with the existing variable when hash_behaviour is merge', () => {
    const e = controllerEnv({ playbookDir: pb, vars: { cfg: { old: 1, a: 0 } } });
    expect(runIncludeVars(e, args(includeVarsModule, { file: 'common.yml', name: 'cfg', hash_behaviour: 'merge' })).facts).toEqual({ cfg: { old: 1, a: 1, shared: 'from-common' } });
    expect(mergeVars({ a: { b: 1, c: 2 } }, { a: { c: 3 } })).toEqual({ a: { b: 1, c: 3 } });
  });
  it('fails on a file that is not a mapping, or missing, with Ansible’s message key', () => {
    const bad = runIncludeVars(env, args(includeVarsModule, { file: 'list.yml' }));
    expect(bad).toMatchObject({ status: 'failed', msg: `${join(pb, 'vars/list.yml')} must be stored as a dictionary/hash`, data: { message: `${join(pb, 'vars/list.yml')} must be stored as a dictionary/hash` } });
    expect(runIncludeVars(env, args(includeVarsModule, { file: 'missing.yml' }))).toMatchObject({ status: 'failed', msg: expect.stringContaining("could not find 'missing.yml'") });
  });
  it('prefers the role’s vars/ for a task in a role', () => {
    const e = controllerEnv({ playbookDir: pb, rolePath: role });
    expect(runIncludeVars(e, args(includeVarsModule, { file: 'extra.yml' })).facts).toEqual({ role_extra: 1 });
  });
});

describe('vault-encrypted files', () => {
  const dir = tree({});
  mkdirSync(join(dir, 'vars'));
  copyFileSync(join(VAULT, 'v11.yml'), join(dir, 'vars/secret.yml'));
  writeFileSync(join(dir, 'vars/inline.yml'), readFileSync(join(VAULT, 'inline-dev.txt'), 'utf8'));
  const keyring = new Keyring([
    { id: 'default', password: password('password.txt'), source: 'password.txt' },
    { id: 'dev', password: password('password-dev.txt'), source: 'password-dev.txt' },
  ]);
  it('decrypts a whole-file vault; its strings stay secret', () => {
    const out = runIncludeVars(controllerEnv({ playbookDir: dir, keyring }), args(includeVarsModule, { file: 'secret.yml' }));
    expect(out.status).toBe('ok');
    const f = out.facts as Record<string, unknown>;
    expect(isSecret(f.db_password)).toBe(true);
    expect((f.db_password as { reveal(): string }).reveal()).toBe('s3cr3t');
  });
  it('keeps inline !vault values decryptable with the run’s keyring', () => {
    const out = runIncludeVars(controllerEnv({ playbookDir: dir, keyring }), args(includeVarsModule, { file: 'inline.yml' }));
    const v = (out.facts as Record<string, { get(): { reveal(): string } }>).greeting!;
    expect(v.get().reveal()).toBe('héllo wörld');
  });
  it('fails without a vault password', () => {
    expect(runIncludeVars(controllerEnv({ playbookDir: dir }), args(includeVarsModule, { file: 'secret.yml' }))).toMatchObject({ status: 'failed', msg: expect.stringContaining('vault') });
  });
});

describe('a directory', () => {
  const env = controllerEnv({ playbookDir: pb });
  const load = (raw: Record<string, unknown>) => runIncludeVars(env, args(includeVarsModule, raw));
  it('loads every file with a valid extension, sorted, deeper directories after', () => {
    const out = load({ dir: 'confd', ignore_unknown_extensions: true });
    expect(out.facts).toEqual({ x: 1, y: 2, over: 'more', deep: true, deeper: true });
    expect(out.data?.ansible_included_var_files).toEqual(['10-base.yml', '20-more.yaml', 'sub/40-deep.yml', 'sub/zz/50-deeper.yml'].map((f) => join(pb, 'confd', f)));
  });
  it('fails on an unknown extension unless told to ignore it', () => {
    expect(load({ dir: 'confd' })).toMatchObject({ status: 'failed', msg: `${join(pb, 'confd/30-skip.txt')} does not have a valid extension: yaml, yml, json` });
  });
  it('depth counts directories (1: the top one only)', () => {
    expect(load({ dir: 'confd', depth: 1, ignore_unknown_extensions: true }).facts).toEqual({ x: 1, y: 2, over: 'more' });
  });
  it('files_matching and ignore_files are regexes on the file name; extensions restricts the list', () => {
    expect(load({ dir: 'confd', files_matching: '^[12]0-', depth: 1 }).facts).toEqual({ x: 1, y: 2, over: 'more' });
    expect(load({ dir: 'confd', ignore_files: ['.*\\.txt', '20-.*'], depth: 1 }).facts).toEqual({ x: 1, over: 'base' });
    expect(load({ dir: 'confd', extensions: ['yaml'], ignore_unknown_extensions: true, depth: 1 }).facts).toEqual({ y: 2, over: 'more' });
  });
  it('in a role, a relative dir is under the role’s vars/', () => {
    const e = controllerEnv({ playbookDir: pb, rolePath: role });
    expect(runIncludeVars(e, args(includeVarsModule, { dir: 'conf' })).facts).toEqual({ role_dir: 'a' });
  });
  it('a missing directory fails with Ansible’s message', () => {
    expect(load({ dir: join(pb, 'nope') })).toMatchObject({ status: 'failed', msg: `${join(pb, 'nope')} directory does not exist` });
  });
});
