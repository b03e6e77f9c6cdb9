// lineinfile planning: the line rules on fixture contents, and the plan built from a probed state
// (write step, mkdir for create, attributes, check mode, failures, argument checks).

import { describe, expect, test } from 'vitest';
import lineinfile, { planLineinfile, type LineinfileArgs } from '../../../src/modules/lineinfile.js';
import { readlines } from '../../../src/modules/lib/line-edit.js';
import { Secret } from '../../../src/secret.js';
import type { Plan, Step } from '../../../src/modules/types.js';
import { dirState, fileState, missingState } from '../../fixtures/text-edit/states.js';

function args(a: Record<string, unknown>): LineinfileArgs {
  return lineinfile.args.parse({ path: '/etc/app.conf', ...a }) as LineinfileArgs;
}

function writeOf(plan: Plan): Extract<Step, { kind: 'write' }> | undefined {
  return plan.kind === 'change' ? (plan.steps.find((s) => s.kind === 'write') as Extract<Step, { kind: 'write' }> | undefined) : undefined;
}

/** The content after the plan, or null when it does not write. */
function after(content: string, a: Record<string, unknown>): string | null {
  const w = writeOf(planLineinfile(args(a), fileState(content), { check: false }));
  return w ? (w.content as Buffer).toString() : null;
}

const KV = 'a=1\nb=2\nc=3\n';

describe('lineinfile rules', () => {
  test.each([
    ['replaces the last regexp match', KV + 'b=7\n', { regexp: '^b=', line: 'b=9' }, 'a=1\nb=2\nc=3\nb=9\n'],
    ['firstmatch replaces the first', KV + 'b=7\n', { regexp: '^b=', line: 'b=9', firstmatch: true }, 'a=1\nb=9\nc=3\nb=7\n'],
    ['keeps a line already right', KV, { regexp: '^b=', line: 'b=2' }, null],
    ['appends when nothing matches', KV, { line: 'd=4' }, KV + 'd=4\n'],
    ['adds the missing final newline first', 'a=1', { line: 'b=2' }, 'a=1\nb=2\n'],
    ['rewrites an exact last line without newline', 'a=1', { line: 'a=1' }, 'a=1\n'],
    ['inserts after the last insertafter match', 'x\ny\nx\n', { line: 'n', insertafter: '^x' }, 'x\ny\nx\nn\n'],
    ['inserts before the first match with firstmatch', 'x\ny\nx\n', { line: 'n', insertbefore: '^x', firstmatch: true }, 'n\nx\ny\nx\n'],
    ['BOF', KV, { line: 'top', insertbefore: 'BOF' }, 'top\n' + KV],
    ['backrefs expand the match', KV, { regexp: '^(b)=(\\d)$', line: '\\2=\\1', backrefs: true }, 'a=1\n2=b\nc=3\n'],
    ['backrefs without a match leave the file', KV, { regexp: '^z(.)', line: '\\1', backrefs: true }, null],
    ['search_string is literal', 'a.*b\nx\n', { search_string: '.*', line: 'y' }, 'y\nx\n'],
    ['absent removes every match', KV + 'b=8\n', { state: 'absent', regexp: '^b' }, 'a=1\nc=3\n'],
    ['bytes semantics: . is one byte', 'é\n', { regexp: '^.$', line: 'x' }, 'é\nx\n'],
  ])('%s', (_name, content, a, want) => {
    expect(after(content, a)).toBe(want);
  });

  test('readlines splits after each newline only', () => {
    expect(readlines('a\r\nb\rc\n\nd')).toEqual(['a\r\n', 'b\rc\n', '\n', 'd']);
    expect(readlines('')).toEqual([]);
  });
});

describe('lineinfile plan', () => {
  test('a change is one atomic write carrying before, validate, backup, mode and owner', () => {
    const plan = planLineinfile(args({ line: 'x', validate: 'visudo -cf %s', backup: true, mode: '0600', owner: 'root' }), fileState(KV, { realPath: '/srv/real.conf' }), { check: false });
    expect(plan.kind).toBe('change');
    expect(plan.kind === 'change' && plan.steps.length).toBe(1);
    expect(writeOf(plan)).toMatchObject({ path: '/srv/real.conf', validate: 'visudo -cf %s', backup: true, mode: '0600', owner: 'root', before: Buffer.from(KV) });
    expect(plan.data).toMatchObject({ msg: 'line added and ownership, perms or SE linux context changed' });
    expect(plan.data).not.toHaveProperty('backup');
  });

  test('no change is ok with an empty message and backup: ""', () => {
    const p = planLineinfile(args({ line: 'a=1' }), fileState(KV), { check: false });
    expect(p).toEqual({ kind: 'ok', note: undefined, data: { msg: '', backup: '' }, registeredDiff: expect.any(Array) });
  });

  test('attributes alone are one command', () => {
    const plan = planLineinfile(args({ line: 'a=1', mode: 'u=rw,go=' }), fileState(KV), { check: false });
    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;
    expect(plan.steps.map((s) => s.kind)).toEqual(['run']);
    expect(plan.steps[0]!.kind === 'run' && plan.steps[0]!.cmd.text).toBe("chmod 0600 -- /etc/app.conf");
    expect(plan.data?.msg).toBe('ownership, perms or SE linux context changed');
    expect(plan.diff).toEqual([{ target: '/etc/app.conf (file attributes)', before: '{\n    "mode": "0644"\n}\n', after: '{\n    "mode": "0600"\n}\n' }]);
  });

  test('create makes the missing directory first and writes with before=null', () => {
    const plan = planLineinfile(args({ path: '/new/dir/f', line: 'x', create: true }), missingState({ path: '/new/dir/f', parentExists: false }), { check: false });
    expect(plan.kind === 'change' && plan.steps.map((s) => (s.kind === 'run' ? s.cmd.text : s.kind))).toEqual(['mkdir -p -- /new/dir', 'write']);
    expect(writeOf(plan)).toMatchObject({ before: null, backup: false });
  });

  test('a new file in check mode stops before attributes (Ansible returns early there)', () => {
    const a = args({ line: 'x', create: true, mode: '0600' });
    expect(planLineinfile(a, missingState(), { check: true }).data?.msg).toBe('line added');
    expect(planLineinfile(a, missingState(), { check: false }).data?.msg).toBe('line added and ownership, perms or SE linux context changed');
    // 0644 is what 0666 minus umask 022 gives a new file anyway.
    expect(planLineinfile(args({ line: 'x', create: true, mode: '0644' }), missingState(), { check: false }).data?.msg).toBe('line added');
  });

  test.each([
    ['missing file without create', missingState(), { line: 'x' }, { kind: 'fail', msg: 'Destination /etc/app.conf does not exist !', data: { rc: 257 } }],
    ['directory', dirState('/etc/app.conf'), { line: 'x' }, { kind: 'fail', msg: 'Path /etc/app.conf is a directory !', data: { rc: 256 } }],
    ['absent on a missing file', missingState(), { state: 'absent', line: 'x' }, { kind: 'ok', note: 'file not present', data: { msg: 'file not present' } }],
  ])('%s', (_name, st, a, want) => {
    expect(planLineinfile(args(a), st, { check: false })).toEqual(want);
  });

  test('an invalid group reference in a backrefs line fails the task (only when it matches)', () => {
    const a = args({ regexp: '^(a)=', line: '\\2', backrefs: true });
    expect(planLineinfile(a, fileState(KV), { check: false })).toMatchObject({ kind: 'fail', msg: 'invalid group reference 2 in the replacement' });
    expect(planLineinfile(a, fileState('zzz\n'), { check: false }).kind).toBe('ok');
  });

  test('a vaulted line is written as a Secret (hidden from diffs)', () => {
    const w = writeOf(planLineinfile(args({ line: new Secret('password=hunter22') }), fileState(KV), { check: false }));
    expect(w?.content).toBeInstanceOf(Secret);
    expect((w!.content as Secret).reveal()).toBe(KV + 'password=hunter22\n');
  });

  test('the plan does not depend on check mode for existing files', () => {
    const a = args({ regexp: '^b=', line: 'b=5', mode: '0600' });
    expect(planLineinfile(a, fileState(KV), { check: true })).toEqual(planLineinfile(a, fileState(KV), { check: false }));
  });
});

describe('lineinfile arguments', () => {
  const issues = (a: Record<string, unknown>) => {
    const r = lineinfile.args.safeParse(a);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  test.each([
    [{ line: 'x' }, "missing required argument 'path'"],
    [{ path: '/f', dest: '/g', line: 'x' }, "'dest' is an alias of 'path'; give only one of 'path', 'dest'"],
    [{ path: '/f' }, 'line is required with state=present'],
    [{ path: '/f', line: 'x', backrefs: true }, 'regexp is required with backrefs=true'],
    [{ path: '/f', state: 'absent' }, 'one of line, search_string, or regexp is required with state=absent'],
    [{ path: '/f', line: 'x', insertafter: 'a', insertbefore: 'b' }, 'parameters are mutually exclusive: insertbefore|insertafter'],
    [{ path: '/f', line: 'x', regex: 'a', search_string: 'b' }, 'parameters are mutually exclusive: regex|search_string'],
    [{ path: '/f', line: 'x', regexp: '[' }, 'regexp "[" is not a usable Python regular expression: unterminated character set at position 0'],
    [{ path: '/f', line: 'x', insertafter: '(?<n>x)' }, 'insertafter "(?<n>x)" is not a usable Python regular expression: unknown extension ?<n at position 0'],
    [{ path: '/f', line: 'x', validate: 'visudo -c' }, 'validate must contain %s (replaced by the path of the file to check)'],
  ])('%j is refused: %s', (a, msg) => {
    expect(issues(a)).toContain(msg);
  });

  test('aliases are accepted', () => {
    expect(issues({ dest: '/f', value: 'x', regex: '^x' })).toEqual([]);
    expect(issues({ name: '/f', line: 'x', insertafter: 'EOF' })).toEqual([]);
  });
});

describe('lineinfile safety', () => {
  test('content shorter than the file size (unreadable) fails instead of rewriting the file', () => {
    const st = fileState('');
    st.file.size = 120;
    expect(planLineinfile(args({ line: 'x' }), st, { check: false })).toMatchObject({ kind: 'fail', msg: 'could not read /etc/app.conf (0 of 120 bytes)' });
  });
});

describe('lineinfile and blockinfile diff headers', () => {
  test("the content diff is headed 'PATH (content)' as Ansible's; replace keeps the bare path", async () => {
    const { writeDiff } = await import('../../../src/engine/apply-steps.js');
    const { planBlockinfile } = await import('../../../src/modules/blockinfile.js');
    const blockinfile = (await import('../../../src/modules/blockinfile.js')).default;
    const replace = await import('../../../src/modules/replace.js');
    const li = writeOf(planLineinfile(args({ line: 'd=4' }), fileState(KV), { check: false }))!;
    expect(writeDiff(li, false)).toMatchObject({ target: '/etc/app.conf (content)', before: KV, after: `${KV}d=4\n` });
    const bi = writeOf(planBlockinfile(blockinfile.args.parse({ path: '/etc/app.conf', block: 'x' }) as never, fileState(KV), { check: false }))!;
    expect(writeDiff(bi, false)?.target).toBe('/etc/app.conf (content)');
    const ra = replace.default.args.parse({ path: '/etc/app.conf', regexp: 'a', replace: 'A' }) as never;
    const rp = writeOf(replace.planReplace(ra, fileState(KV), { check: false }))!;
    expect(writeDiff(rp, false)?.target).toBe('/etc/app.conf');
  });
});
