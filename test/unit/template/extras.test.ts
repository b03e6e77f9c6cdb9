// Filters whose result depends on the control node, sams' additions to Ansible's filter set, and
// template features beyond single files ({% import %}, {% extends %}, {% filter %}).

import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplar } from '../../../src/template/index.js';

const templar = createTemplar();
let dir: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'sams-extras-')));
  mkdirSync(join(dir, 'templates'));
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  writeFileSync(join(dir, 'templates', 'macros.j2'), '{% macro kv(k, v) %}{{ k }} = {{ v }}{% endmacro %}');
  writeFileSync(join(dir, 'templates', 'base.j2'), 'head\n{% block body %}default{% endblock %}\ntail\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('control-node path filters', () => {
  it('realpath resolves symlinks, also below a path that does not exist yet', () => {
    expect(templar.render(`{{ '${dir}/link' | realpath }}`, {})).toBe(join(dir, 'real'));
    expect(templar.render(`{{ '${dir}/link/new/x' | realpath }}`, {})).toBe(join(dir, 'real', 'new', 'x'));
  });

  it('expanduser expands ~ to $HOME', () => {
    const home = process.env.HOME ?? homedir();
    expect(templar.render("{{ '~/x' | expanduser }}", {})).toBe(`${home}/x`);
  });

  it('relpath is relative to the start directory', () => {
    expect(templar.render(`{{ '${dir}/a/b' | relpath('${dir}') }}`, {})).toBe('a/b');
  });
});

describe('filters sams adds (not in ansible-core 2.14)', () => {
  it('keys, values and dict', () => {
    expect(templar.render("{{ {'a': 1, 'b': 2} | keys }}", {})).toEqual(['a', 'b']);
    expect(templar.render("{{ {'a': 1, 'b': 2} | values }}", {})).toEqual([1, 2]);
    expect(templar.render("{{ [['a', 1]] | dict }}", {})).toEqual({ a: 1 });
  });

  it('version_compare as a filter', () => {
    expect(templar.render("{{ '1.10' | version_compare('1.9', '>') }}", {})).toBe(true);
  });

  it('password_hash without a salt makes a random 16-character salt', () => {
    const a = templar.render("{{ 'pw' | password_hash('sha512', rounds=5000) }}", {}) as string;
    const b = templar.render("{{ 'pw' | password_hash('sha512', rounds=5000) }}", {}) as string;
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(a).not.toBe(b);
  });

  it('password_hash rejects a salt crypt(3) cannot use', () => {
    expect(() => templar.render("{{ 'pw' | password_hash('sha512', 'bad salt!') }}", {})).toThrow(/invalid salt/);
  });
});

describe('templates that use other templates', () => {
  const vars = () => ({ playbook_dir: dir });

  it('imports macros', () => {
    expect(templar.renderText("{% import 'macros.j2' as m %}{{ m.kv('a', 1) }}", vars())).toBe('a = 1');
    expect(templar.renderText("{% from 'macros.j2' import kv %}{{ kv('b', 2) }}", vars())).toBe('b = 2');
  });

  it('extends a base template and overrides a block', () => {
    expect(templar.renderText("{% extends 'base.j2' %}{% block body %}mine{% endblock %}", vars())).toBe('head\nminetail'); // trim_blocks eats the newline after endblock
  });

  it('applies a filter block', () => {
    expect(templar.renderText('{% filter upper %}abc{% endfilter %}', {})).toBe('ABC');
  });

  it('names a missing included template', () => {
    expect(() => templar.renderText("{% include 'nope.j2' %}", vars(), { templateFile: join(dir, 'x.j2') })).toThrow(/template not found: nope\.j2/);
  });
});

describe('dates', () => {
  it('now() is a datetime with strftime, and a formatted string with fmt', () => {
    const year = String(new Date().getFullYear());
    expect(templar.render("{{ now().strftime('%Y') }}", {})).toBe(year);
    expect(templar.render("{{ now(fmt='%Y') }}", {})).toBe(year);
    expect(templar.render('{{ now().year }}', {})).toBe(Number(year));
  });
});
