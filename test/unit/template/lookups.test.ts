// Lookups on real files: search order (role, playbook, cwd), vaulted files, templates, pipe, env,
// vars, first_found, query/wantlist, errors='ignore', and {% include %} of template files.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecret, type Secret } from '../../../src/secret.js';
import { Keyring } from '../../../src/vault/keyring.js';
import { createTemplar, queryLookup } from '../../../src/template/index.js';

let root: string;
let play: string;
let role: string;
const keyring = new Keyring([{ id: 'default', password: 'lookup-test' }]);
const templar = createTemplar({ keyring });

function put(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sams-lookup-'));
  play = join(root, 'play');
  role = join(play, 'roles', 'web');
  put(join(play, 'files', 'both.txt'), 'from playbook files\n');
  put(join(play, 'files', 'only-play.txt'), '  padded  \n\n');
  put(join(play, 'plain.txt'), 'playbook dir\n');
  put(join(role, 'files', 'both.txt'), 'from role files\n');
  put(join(role, 'files', 'secret.txt'), keyring.encrypt('vaulted content\n'));
  put(join(play, 'templates', 'greet.j2'), 'hello {{ who }}{% if extra is defined %} {{ extra }}{% endif %}\n');
  put(join(role, 'templates', 'main.j2'), '[main]\n{% include "part.j2" %}\nend\n');
  put(join(role, 'templates', 'part.j2'), 'part for {{ who }}\n');
  put(join(play, 'files', 'g', 'b.conf'), 'b');
  put(join(play, 'files', 'g', 'a.conf'), 'a');
  put(join(play, 'files', 'g', 'c.txt'), 'c');
  process.env.SAMS_LOOKUP_TEST = 'env-ok';
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  delete process.env.SAMS_LOOKUP_TEST;
});

const playVars = () => ({ playbook_dir: play, who: 'world' });
const roleVars = () => ({ playbook_dir: play, role_path: role, who: 'world' });

describe("lookup('file')", () => {
  it('searches the role files first, then the playbook files and directory', () => {
    expect(templar.render("{{ lookup('file', 'both.txt') }}", roleVars())).toBe('from role files');
    expect(templar.render("{{ lookup('file', 'both.txt') }}", playVars())).toBe('from playbook files');
    expect(templar.render("{{ lookup('file', 'plain.txt') }}", roleVars())).toBe('playbook dir');
    expect(templar.render(`{{ lookup('file', '${join(play, 'plain.txt')}') }}`, {})).toBe('playbook dir');
  });

  it('strips trailing whitespace by default, leading with lstrip=true', () => {
    expect(templar.render("[{{ lookup('file', 'only-play.txt') }}]", playVars())).toBe('[  padded]');
    expect(templar.render("[{{ lookup('file', 'only-play.txt', lstrip=true) }}]", playVars())).toBe('[padded]');
    expect(templar.render("[{{ lookup('file', 'only-play.txt', rstrip=false) }}]", playVars())).toBe('[  padded  \n\n]');
  });

  it('decrypts a vaulted file with the keyring and returns a Secret', () => {
    const out = templar.render("{{ lookup('file', 'secret.txt') }}", roleVars());
    expect(isSecret(out)).toBe(true);
    expect((out as Secret).reveal()).toBe('vaulted content');
  });

  it('fails on a vaulted file without a keyring', () => {
    expect(() => createTemplar().render("{{ lookup('file', 'secret.txt') }}", roleVars())).toThrow(/vault-encrypted and no vault password/);
  });

  it('names the missing file', () => {
    expect(() => templar.render("{{ lookup('file', 'nope.txt') }}", playVars())).toThrow(/could not locate file in lookup: nope\.txt/);
  });

  it("returns nothing with errors='ignore'", () => {
    expect(templar.render("{{ lookup('file', 'nope.txt', errors='ignore') }}", playVars())).toBe(null);
    expect(templar.render("{{ query('file', 'nope.txt', errors='ignore') }}", playVars())).toEqual([]);
  });
});

describe("lookup('template') and {% include %}", () => {
  it('renders a template from templates/ with the current variables', () => {
    expect(templar.render("{{ lookup('template', 'greet.j2') }}", playVars())).toBe('hello world\n');
    expect(templar.render("{{ lookup('template', 'greet.j2', template_vars={'extra': 'x'}) }}", playVars())).toBe('hello world x\n');
  });

  it('includes a template next to the including one (its final newline dropped, as Jinja does)', () => {
    // ansible-core 2.14 gives exactly this for the same two files.
    expect(templar.render("{{ lookup('template', 'main.j2') }}", roleVars())).toBe('[main]\npart for worldend\n');
  });
});

describe('other lookups', () => {
  it('env', () => {
    expect(templar.render("{{ lookup('env', 'SAMS_LOOKUP_TEST') }}", {})).toBe('env-ok');
    expect(templar.render("{{ lookup('env', 'SAMS_LOOKUP_NONE') }}", {})).toBe('');
    expect(templar.render("{{ lookup('env', 'SAMS_LOOKUP_NONE', default='d') }}", {})).toBe('d');
    expect(templar.render("{{ lookup('env', 'SAMS_LOOKUP_TEST', 'SAMS_LOOKUP_TEST') }}", {})).toBe('env-ok,env-ok');
  });

  it('pipe runs a shell command on the control node', () => {
    expect(templar.render("{{ lookup('pipe', 'printf \"%s\\n\" a b') }}", {})).toBe('a\nb');
    expect(() => templar.render("{{ lookup('pipe', 'exit 3') }}", {})).toThrow(/returned 3/);
  });

  it('vars', () => {
    expect(templar.render("{{ lookup('vars', 'who') }}", playVars())).toBe('world');
    expect(templar.render("{{ lookup('vars', 'nope', default=5) }}", playVars())).toBe(5);
    expect(() => templar.render("{{ lookup('vars', 'nope') }}", playVars())).toThrow(/No variable found with this name: nope/);
  });

  it('first_found', () => {
    expect(templar.render("{{ lookup('first_found', ['missing.txt', 'both.txt']) }}", roleVars())).toBe(join(role, 'files', 'both.txt'));
    expect(templar.render("{{ lookup('first_found', {'files': ['x', 'b.conf'], 'paths': ['" + join(play, 'files', 'g') + "']}) }}", playVars())).toBe(join(play, 'files', 'g', 'b.conf'));
    expect(templar.render("{{ query('first_found', ['missing'], skip=true) }}", playVars())).toEqual([]);
    expect(() => templar.render("{{ lookup('first_found', ['missing']) }}", playVars())).toThrow(/No file was found/);
  });

  it('fileglob', () => {
    expect(templar.render("{{ query('fileglob', 'g/*.conf') }}", playVars())).toEqual([join(play, 'files', 'g', 'a.conf'), join(play, 'files', 'g', 'b.conf')]);
  });

  it('query and wantlist return lists', () => {
    expect(templar.render("{{ query('env', 'SAMS_LOOKUP_TEST') }}", {})).toEqual(['env-ok']);
    expect(templar.render("{{ q('items', [1, [2, 3]]) }}", {})).toEqual([1, [2, 3]]);
    expect(templar.render("{{ lookup('env', 'SAMS_LOOKUP_TEST', wantlist=True) }}", {})).toEqual(['env-ok']);
    expect(templar.render("{{ lookup('sequence', 'start=1 end=3') }}", {})).toBe('1,2,3');
  });

  it('password creates a password file once and reads it back', () => {
    const first = templar.render("{{ lookup('password', 'credentials/db length=12 chars=ascii_letters') }}", playVars()) as string;
    expect(first).toMatch(/^[A-Za-z]{12}$/);
    expect(templar.render("{{ lookup('password', 'credentials/db length=12') }}", playVars())).toBe(first);
    expect(readFileSync(join(play, 'credentials', 'db'), 'utf8')).toBe(`${first}\n`);
  });

  it('queryLookup runs a plugin for a with_<name> loop', () => {
    expect(queryLookup(templar, 'items', [1, [2, 3]], {})).toEqual([1, 2, 3]);
    expect(queryLookup(templar, 'dict', { a: 1 }, {})).toEqual([{ key: 'a', value: 1 }]);
    expect(queryLookup(templar, 'first_found', ['nope', 'both.txt'], roleVars())).toEqual([join(role, 'files', 'both.txt')]);
    expect(() => queryLookup(templar, 'nope', [], {}, { loc: { file: 'x.yml', line: 2, col: 3 } })).toThrow(/lookup plugin 'nope' not found/);
  });

  it('names an unknown lookup', () => {
    expect(() => templar.render("{{ lookup('frobnicate', 'x') }}", {})).toThrow(/lookup plugin 'frobnicate' not found/);
  });
});
