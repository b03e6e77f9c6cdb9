// Templar.render / renderText / evalExpr: native types, Python-style text, Jinja syntax, deep
// rendering, lazy variables, omit. Expected texts are what ansible-core 2.14 prints.

import { describe, expect, it } from 'vitest';
import { createTemplar } from '../../../src/template/index.js';
import { UnsafeText, locOf, parseYaml } from '../../../src/load/yaml.js';

const templar = createTemplar();
const vars = {
  n: 3,
  s: 'hello world',
  lst: [3, 1, 2],
  d: { a: 1, items: 5, keys: 'k' },
  users: [
    { name: 'alice', uid: 1001 },
    { name: 'bob', uid: 1002 },
  ],
  none_var: null,
  flag: true,
  ml: 'a\nb',
};

const render = (t: string, v: Record<string, unknown> = vars) => templar.render(t, v);

describe('native types: a string that is one {{ expr }} keeps the type of the value', () => {
  it.each([
    ['{{ 1 + 1 }}', 2],
    ['{{ n * 2 }}', 6],
    ['{{ lst }}', [3, 1, 2]],
    ['{{ d }}', { a: 1, items: 5, keys: 'k' }],
    ['{{ flag }}', true],
    ['{{ none_var }}', null],
    ['{{ 4 / 2 }}', 2],
    ['{{ [1, "a"] }}', [1, 'a']],
    ["{{ {'k': [1, 2]} }}", { k: [1, 2] }],
    ['  {{ lst | length }}  ', 3],
    ['{{ s }}', 'hello world'],
  ])('%s', (tpl, expected) => {
    expect(render(tpl)).toEqual(expected);
  });

  it('keeps a string that looks like a list a string (Ansible 2.14 would convert it to a list)', () => {
    expect(render("{{ '[1, 2]' }}")).toBe('[1, 2]');
  });

  it('keeps the text around a string value: "{{ s }}\\n" is the string plus the newline', () => {
    expect(render('{{ s }}\n')).toBe('hello world\n');
    expect(render(' {{ s }} ')).toBe(' hello world ');
  });
});

describe('text: values print as Python prints them', () => {
  it.each([
    ['x{{ [1, "a", none, true, false] }}', "x[1, 'a', None, True, False]"],
    ['x{{ d }}', "x{'a': 1, 'items': 5, 'keys': 'k'}"],
    ['x{{ 4 / 2 }}', 'x2.0'],
    ['x{{ 7 / 2 }}', 'x3.5'],
    ['x{{ 1.0 }}', 'x1.0'],
    ['x{{ 2 | float }}', 'x2.0'],
    ['x{{ 1e-7 }} {{ 1e20 }} {{ 1e16 }} {{ 1e15 }}', 'x1e-07 1e+20 1e+16 1000000000000000.0'],
    ['x{{ 0.1 + 0.2 }}', 'x0.30000000000000004'],
    ['x{{ (1, 2) }} {{ (1,) | list }}', 'x(1, 2) [1]'],
    ['a{{ none_var }}b', 'ab'],
    ['{{ "q\'" }} {{ ["q\'", "a\\\\b"] }}', "q' [\"q'\", 'a\\\\\\\\b']"],
    ['x{{ True }} {{ true }} {{ False }} {{ None }}|{{ none }}', 'xTrue True False |'],
    ['x{{ d.items() }}', "x[('a', 1), ('items', 5), ('keys', 'k')]"],
  ])('%s', (tpl, expected) => {
    expect(render(tpl)).toBe(expected);
  });
});

describe('Jinja syntax Ansible playbooks use', () => {
  it.each([
    ['{% if n > 5 %}big{% elif n > 2 %}mid{% else %}small{% endif %}', 'mid'],
    ['{% for x in lst %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}', '10TrueFalse3;21FalseFalse3;32FalseTrue3;'],
    ['{% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}', 'a=1,items=5,keys=k,'],
    ['{% for x in [] %}{{ x }}{% else %}empty{% endfor %}', 'empty'],
    ['{% for u in users if u.uid > 1001 %}{{ u.name }}{% endfor %}', 'bob'],
    ['{% set x = n * 2 %}{{ x }}', '6'],
    ['{% set block %}in {{ n }}{% endset %}[{{ block }}]', '[in 3]'],
    ['{% raw %}{{ n }}{% endraw %}', '{{ n }}'],
    ['a {%- if true -%} b {%- endif -%} c', 'abc'],
    ['{{ "a" ~ n ~ none }}', 'a3None'],
    ['x{{ 7 // 2 }} {{ 2 ** 8 }} {{ 7 % 3 }} {{ -7 // 2 }}', 'x3 256 1 -4'],
    ['x{{ 2 in lst }} {{ 5 not in lst }} {{ "ell" in s }} {{ "a" in d }}', 'xTrue True True True'],
    ['x{{ n is odd }} {{ n is not even }} {{ nope is not defined }}', 'xTrue True True'],
    ["{{ 'yes' if flag else 'no' }}", 'yes'],
    ['x{{ [1, [2]] }} {{ {"a": {"b": 1}} }}', "x[1, [2]] {'a': {'b': 1}}"],
    ["{{ users | selectattr('uid', 'gt', 1001) | map(attribute='name') | join(',') }}", 'bob'],
    ['x{{ range(3) | list }} {{ range(1, 7, 2) | list }}', 'x[0, 1, 2] [1, 3, 5]'],
    ["{{ lookup('vars', 's') }} {{ query('vars', 'n') }} {{ q('vars', 'n') }}", 'hello world [3] [3]'],
    ['{% macro m(a, b=2) %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, b=5) }}', '1-2 1-5'],
    ['{% set ns = namespace(c=0) %}{% for x in lst %}{% set ns.c = ns.c + x %}{% endfor %}{{ ns.c }}', '6'],
    ['{% set x = 1 %}{% for i in lst %}{% set x = i %}{% endfor %}{{ x }}', '1'],
    ["x{{ {'b': 1}}}", "x{'b': 1}"],
    ['x{{ 2 * 3 % 4 }} {{ 10 - 2 - 3 }} {{ 2 + 3 * 4 }}', 'x2 5 14'],
    ['x{{ s[:5] }} {{ s[-5:] }} {{ lst[::-1] }} {{ lst[-1] }} {{ lst.0 }}', 'xhello world [2, 1, 3] 2 3'],
    ['x{{ 1 < n <= 3 }} {{ n == 3.0 }} {{ "3" == n }}', 'xTrue True False'],
    ['x{{ [] or "fallback" }} {{ 0 and "x" }} {{ "a" and "b" }}', 'xfallback 0 b'],
  ])('%s', (tpl, expected) => {
    expect(render(tpl)).toBe(expected);
  });
});

describe('Python methods on values', () => {
  it.each([
    ["{{ 'a,b,,c'.split(',') }}", ['a', 'b', '', 'c']],
    ["{{ ' a  b '.split() }}", ['a', 'b']],
    ["{{ 'k=v=w'.rsplit('=', 1) }}", ['k=v', 'w']],
    ["{{ s.startswith('hell') }}", true],
    ["{{ s.endswith(('x', 'ld')) }}", true],
    ["{{ '  x '.strip() }}", 'x'],
    ["{{ 'xxaxx'.lstrip('x') }}", 'axx'],
    ["{{ 'xxaxx'.rstrip('x') }}", 'xxa'],
    ['{{ s.upper() }}', 'HELLO WORLD'],
    ["{{ 'ABC'.lower() }}", 'abc'],
    ["{{ s.replace('l', 'L') }}", 'heLLo worLd'],
    ["{{ s.find('o') }}", 4],
    ["{{ '{}:{}'.format('a', 1) }}", 'a:1'],
    ["{{ '-'.join(['a', 'b']) }}", 'a-b'],
    ['{{ ml.splitlines() }}', ['a', 'b']],
    ["{{ '42'.isdigit() }}", true],
    ['{{ s.title() }}', 'Hello World'],
    ["{{ 'hELLO'.capitalize() }}", 'Hello'],
    ["{{ s.count('l') }}", 3],
    ["{{ '7'.zfill(3) }}", '007'],
    ['{{ lst.index(1) }}', 1],
    ['{{ lst.count(3) }}', 1],
    ["{{ d.get('a') }}", 1],
    ["{{ d.get('zz', 'dflt') }}", 'dflt'],
    ["{{ d.get('zz') }}", null],
    ['{{ d.keys() | list }}', ['a', 'items', 'keys']],
    ['{{ d.values() | list }}', [1, 5, 'k']],
  ])('%s', (tpl, expected) => {
    expect(render(tpl)).toEqual(expected);
  });

  it('reads a dict key named like a method with [] and the method with .', () => {
    expect(render("{{ d['items'] }}")).toBe(5);
    expect(render("{{ d['keys'] }}")).toBe('k');
    expect(render('{{ d.items() | length }}')).toBe(3);
  });

  it('appends to a list with .append() (returns None, as in Python)', () => {
    const v = { l: [1] };
    expect(templar.render('{{ l.append(2) }}', v)).toBe(null);
    expect(v.l).toEqual([1, 2]);
  });
});

describe('deep rendering', () => {
  it('renders arrays and plain objects, keys included, and keeps untouched objects as they are', () => {
    const input = { a: '{{ n }}', b: ['x', '{{ n + 1 }}'], '{{ "k" ~ n }}': 'v', c: { plain: 'text' } };
    const out = templar.render(input, vars) as Record<string, unknown>;
    expect(out).toEqual({ a: 3, b: ['x', 4], k3: 'v', c: { plain: 'text' } });
    expect(out.c).toBe(input.c);
  });

  it('returns the very same object when nothing in it is templated', () => {
    const input = { a: 'x', b: [1, 'y', { c: true }] };
    expect(templar.render(input, vars)).toBe(input);
  });

  it('keeps the YAML positions of a rendered copy', () => {
    const doc = parseYaml('a: "{{ n }}"\nb: plain\n', 'task.yml') as Record<string, unknown>;
    const out = templar.render(doc, vars) as Record<string, unknown>;
    expect(out).not.toBe(doc);
    expect(locOf(out)).toEqual(locOf(doc));
  });

  it('returns strings without template syntax as they are, non-strings too', () => {
    expect(render('plain { text }')).toBe('plain { text }');
    expect(templar.render(42, vars)).toBe(42);
    expect(templar.render(null, vars)).toBe(null);
  });

  it('never templates !unsafe text', () => {
    expect(templar.render(new UnsafeText('{{ n }}'), vars)).toBe('{{ n }}');
    expect(templar.render('{{ u }}', { u: new UnsafeText('{{ n }}') })).toBe('{{ n }}');
  });
});

describe('variables', () => {
  it('reads a lazy Proxy with `in` and get only: no copy, no enumeration', () => {
    const reads: string[] = [];
    const lazy = new Proxy({} as Record<string, unknown>, {
      has: (_t, k) => k === 'a' || k === 'b',
      get: (_t, k) => {
        reads.push(String(k));
        return k === 'a' ? 1 : k === 'b' ? 2 : undefined;
      },
      ownKeys: () => {
        throw new Error('vars were enumerated');
      },
    });
    expect(templar.render('{{ a + b }} {{ c | default(0) }}', lazy)).toBe('3 0');
    expect(reads).toEqual(['a', 'b']);
  });

  it('provides omit as a unique placeholder, and keeps it only where allowed', () => {
    expect(templar.omitToken).toMatch(/^__omit_place_holder__[0-9a-f]{40}$/);
    expect(templar.render('{{ nope | default(omit) }}', vars, { allowOmit: true })).toBe(templar.omitToken);
    expect(templar.render('{{ omit }}', { ...vars, omit: 'mine' })).toBe('mine');
    expect(() => templar.render('{{ omit }}', vars)).toThrow(/'omit' can only be used as a module argument/);
    expect(() => templar.render('x{{ omit }}', vars, { allowOmit: true })).toThrow(/must be the whole value/);
  });

  it('gives each templar its own omit token', () => {
    expect(createTemplar().omitToken).not.toBe(templar.omitToken);
  });
});

describe('evalExpr', () => {
  it('evaluates a bare expression to its native value', () => {
    expect(templar.evalExpr('n * 2', vars)).toBe(6);
    expect(templar.evalExpr("users | map(attribute='name') | list", vars)).toEqual(['alice', 'bob']);
    expect(templar.evalExpr("'a\\tb'", vars)).toBe('a\tb');
  });
});

describe('string literals', () => {
  it('keeps backslashes in {{ }} of inline templates raw, as Ansible escapes them', () => {
    expect(render("{{ 'a\\nb' }}")).toBe('a\\nb');
    expect(render("{{ 'x1y' | regex_replace('\\d', '#') }}")).toBe('x#y');
  });

  it('processes escapes in template files and in {% %}', () => {
    expect(templar.renderText("{{ 'a\\nb' }}", vars)).toBe('a\nb');
    expect(render("{% set x = 'a\\tb' %}{{ x }}")).toBe('a\tb');
  });
});

describe('renderText (the template module)', () => {
  it('trims the newline after a block tag (trim_blocks) and keeps trailing newlines', () => {
    expect(templar.renderText('{% if true %}\n  a\n{% endif %}\nb\n', vars)).toBe('  a\nb\n');
    expect(templar.renderText('x\n\n', vars)).toBe('x\n\n');
    expect(templar.renderText('{{ s }}', vars)).toBe('hello world');
  });

  it('strips whitespace before block tags with lstripBlocks, not by default', () => {
    const tpl = '  {% if true %}\nx\n  {% endif %}\n';
    expect(templar.renderText(tpl, vars)).toBe('  x\n  \n');
    expect(templar.renderText(tpl, vars, { lstripBlocks: true })).toBe('x\n');
  });

  it('prints a whole-template expression as text, not as a native value', () => {
    expect(templar.renderText('{{ lst }}', vars)).toBe('[3, 1, 2]');
  });
});
