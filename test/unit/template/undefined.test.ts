// Undefined variables are errors (SamsError naming the variable, at the YAML or template-file
// position), except where the template guards them.

import { describe, expect, it } from 'vitest';
import { SamsError } from '../../../src/errors.js';
import { createTemplar } from '../../../src/template/index.js';

const templar = createTemplar();
const vars = { d: { a: 1, nested: { b: 2 } }, lst: [1, 2], x: 5 };
const loc = { file: '/p/site.yml', line: 12, col: 9 };
const opts = { loc, host: 'web1' };

function errorOf(fn: () => unknown): SamsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SamsError) return e;
    throw e;
  }
  throw new Error('expected a SamsError');
}

describe('undefined variables raise', () => {
  it.each([
    ['{{ nope }}', "undefined variable 'nope' on host web1"],
    ['x {{ nope }} y', "undefined variable 'nope' on host web1"],
    ['{{ d.missing }}', "undefined variable 'd.missing' ('dict object' has no attribute 'missing') on host web1"],
    ["{{ d['missing'] }}", "undefined variable 'd['missing']' ('dict object' has no attribute 'missing') on host web1"],
    ['{{ d.nested.zz }}', "undefined variable 'd.nested.zz' ('dict object' has no attribute 'zz') on host web1"],
    ['{{ d.missing.deeper }}', "undefined variable 'd.missing' ('dict object' has no attribute 'missing') on host web1"],
    ['{{ lst[5] }}', "undefined variable 'lst[5]' ('list object' has no element 5) on host web1"],
    ['{{ nope.attr }}', "undefined variable 'nope' on host web1"],
    ['{% if nope %}x{% endif %}', "undefined variable 'nope' on host web1"],
    ['{% for i in nope %}{% endfor %}', "undefined variable 'nope' on host web1"],
    ['{{ nope and true }}', "undefined variable 'nope' on host web1"],
    ['{{ false or nope }}', "undefined variable 'nope' on host web1"],
    ['{{ not nope }}', "undefined variable 'nope' on host web1"],
    ["{{ 'a' if nope else 'b' }}", "undefined variable 'nope' on host web1"],
    ['{{ nope == 1 }}', "undefined variable 'nope' on host web1"],
    ['{{ nope + 1 }}', "undefined variable 'nope' on host web1"],
    ['{{ nope | upper }}', "undefined variable 'nope' on host web1"],
    ['{{ nope | length }}', "undefined variable 'nope' on host web1"],
    ["{{ 'x' in nope }}", "undefined variable 'nope' on host web1"],
    ['{{ [1, nope] }}', "undefined variable 'nope' on host web1"],
    ["{{ lookup('env', nope) }}", "undefined variable 'nope' on host web1"],
  ])('%s', (tpl, message) => {
    const e = errorOf(() => templar.render(tpl, vars, opts));
    expect(e.message).toBe(message);
    expect(e.loc).toEqual(loc);
    expect(e.host).toBe('web1');
    expect(e.hint).toMatch(/define it, or guard it with \| default\(\.\.\.\)/);
  });

  it('names what is being rendered', () => {
    const e = errorOf(() => templar.render('{{ nope }}', vars, { ...opts, what: "argument 'dest' of task 'Copy config'" }));
    expect(e.message).toBe("undefined variable 'nope' in argument 'dest' of task 'Copy config' on host web1");
  });

  it('suggests a near name', () => {
    expect(errorOf(() => templar.render('{{ lsts }}', vars, opts)).hint).toMatch(/did you mean 'lst'\?/);
    expect(errorOf(() => templar.render('{{ d.nestd }}', vars, opts)).hint).toMatch(/did you mean 'nested'\?/);
  });

  it('points at the line inside a template file', () => {
    const text = 'line one\nport = {{ x }}\n{% if true %}\n  host = {{ missing_host }}\n{% endif %}\n';
    const e = errorOf(() => templar.renderText(text, vars, { ...opts, templateFile: '/p/templates/main.cf.j2' }));
    expect(e.message).toBe("undefined variable 'missing_host' on host web1");
    expect(e.loc).toEqual({ file: '/p/templates/main.cf.j2', line: 4, col: 1 });
  });

  it('points at the line of a for loop over an undefined list in a template file', () => {
    const e = errorOf(() => templar.renderText('a\nb\n{% for u in users %}\n{{ u }}\n{% endfor %}\n', vars, { templateFile: '/t.j2' }));
    expect(e.loc).toEqual({ file: '/t.j2', line: 3, col: 1 });
  });

  it('raises in conditions', () => {
    const e = errorOf(() => templar.evalCondition('nope == 1', vars, opts));
    expect(e.message).toBe("undefined variable 'nope' on host web1");
    expect(e.loc).toEqual(loc);
  });
});

describe('guarded undefined variables do not raise', () => {
  it.each([
    ["{{ nope | default('d') }}", 'd'],
    ['{{ nope | d(7) }}', 7],
    ['{{ d.missing | default(0) }}', 0],
    ['{{ d.missing.deeper | default(0) }}', 0],
    ['{{ nope.x.y | default(1) }}', 1],
    ['{{ nope is defined }}', false],
    ['{{ nope is undefined }}', true],
    ['{{ d.missing is defined }}', false],
    ['{{ d.a is defined }}', true],
    ['{{ nope is defined and nope > 1 }}', false],
    ['{{ nope is not defined or nope > 1 }}', true],
    ["{{ 'x' if nope is defined else 'y' }}", 'y'],
    ['{{ x | default(nope) }}', 5],
    ['{{ lst[5] | default(9) }}', 9],
  ])('%s', (tpl, expected) => {
    expect(templar.render(tpl, vars, opts)).toEqual(expected);
  });

  it('default(omit) gives the omit placeholder', () => {
    expect(templar.render('{{ nope | default(omit) }}', vars, { allowOmit: true })).toBe(templar.omitToken);
  });

  it('mandatory raises with its own message', () => {
    expect(errorOf(() => templar.render('{{ nope | mandatory }}', vars, opts)).message).toBe("Mandatory variable 'nope' not defined. on host web1");
    expect(errorOf(() => templar.render("{{ nope | mandatory('set nope first') }}", vars, opts)).message).toBe('set nope first on host web1');
  });
});

describe('template errors', () => {
  it('reports a syntax error in an inline template with the expression, at opts.loc', () => {
    const e = errorOf(() => templar.render('{{ a b }}', vars, opts));
    expect(e.message).toMatch(/^template syntax error in "\{\{ a b \}\}": /);
    expect(e.loc).toEqual(loc);
  });

  it('reports a syntax error in a template file at its line', () => {
    const e = errorOf(() => templar.renderText('ok\n{% for %}\n', vars, { templateFile: '/t.j2' }));
    expect(e.message).toMatch(/^template syntax error: /);
    expect(e.loc?.file).toBe('/t.j2');
    expect(e.loc?.line).toBe(2);
  });

  it('reports an unknown filter or test as an error naming it', () => {
    expect(errorOf(() => templar.render('{{ 1 | frobnicate }}', vars, opts)).message).toMatch(/no filter named 'frobnicate'/);
    expect(errorOf(() => templar.render('{{ 1 is frobnicated }}', vars, opts)).message).toMatch(/no test named 'frobnicated'/);
  });

  it('reports a type error as Python words it', () => {
    expect(errorOf(() => templar.render("{{ 'a' + 1 }}", vars, opts)).message).toMatch(/can only concatenate str \(not "int"\) to str/);
    expect(errorOf(() => templar.render('{{ 1 / 0 }}', vars, opts)).message).toMatch(/division by zero/);
    expect(errorOf(() => templar.render('{% for i in 5 %}{% endfor %}', vars, opts)).message).toMatch(/'int' object is not iterable/);
  });

  it('reports an error inside a filter at the template-file line', () => {
    const e = errorOf(() => templar.renderText('a\nb\n{{ [] | combine }}{{ {} | combine([1]) }}\n', vars, { templateFile: '/t.j2' }));
    expect(e.message).toMatch(/template error: .*combine/);
    expect(e.loc).toEqual({ file: '/t.j2', line: 3, col: 1 });
  });
});
