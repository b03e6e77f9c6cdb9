// blockinfile planning: the block rules on fixture contents and the plan built from probed states.

import { describe, expect, test } from 'vitest';
import blockinfile, { planBlockinfile, type BlockinfileArgs } from '../../../src/modules/blockinfile.js';
import { splitlinesKeep } from '../../../src/modules/lib/block-edit.js';
import type { Plan, Step } from '../../../src/modules/types.js';
import { dirState, fileState, missingState } from '../../fixtures/text-edit/states.js';

function args(a: Record<string, unknown>): BlockinfileArgs {
  return blockinfile.args.parse({ path: '/etc/app.conf', ...a }) as BlockinfileArgs;
}

function writeOf(plan: Plan): Extract<Step, { kind: 'write' }> | undefined {
  return plan.kind === 'change' ? (plan.steps.find((s) => s.kind === 'write') as Extract<Step, { kind: 'write' }> | undefined) : undefined;
}

function after(content: string | null, a: Record<string, unknown>): string | null {
  const st = content === null ? missingState() : fileState(content);
  const w = writeOf(planBlockinfile(args({ create: true, ...a }), st, { check: false }));
  return w ? (w.content as Buffer).toString() : null;
}

const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';
const KV = 'a=1\nb=2\n';

describe('blockinfile rules', () => {
  test.each([
    ['appends a new block', KV, { block: 'x' }, `${KV}${B}x\n${E}`],
    ['replaces the block between the markers', `a\n${B}old\n${E}b\n`, { block: 'new' }, `a\n${B}new\n${E}b\n`],
    ['keeps an identical block', `a\n${B}x\n${E}`, { block: 'x' }, null],
    ['removes with an empty block', `a\n${B}x\n${E}b\n`, { block: '' }, 'a\nb\n'],
    ['inserts before BOF', KV, { block: 'x', insertbefore: 'BOF' }, `${B}x\n${E}${KV}`],
    ['inserts after the last match', 'x\ny\nx\n', { block: 'n', insertafter: '^x' }, `x\ny\nx\n${B}n\n${E}`],
    ['inserts before the last match', 'x\ny\nx\n', { block: 'n', insertbefore: '^x' }, `x\ny\n${B}n\n${E}x\n`],
    ['terminates the line before the block', 'a', { block: 'x' }, `a\n${B}x\n${E}`],
    ['custom markers', KV, { marker: '<!-- {mark} -->', marker_begin: 'start', marker_end: 'stop', block: 'x' }, `${KV}<!-- start -->\nx\n<!-- stop -->\n`],
    ['creates a missing file', null, { block: 'x' }, `${B}x\n${E}`],
    ['reversed markers: the span between them is replaced', `x\n${E}m\n${B}y\n`, { block: 'n' }, `x\n${B}n\n${E}y\n`],
  ])('%s', (_name, content, a, want) => {
    expect(after(content, a)).toBe(want);
  });

  test('splitlines keeps \\n, \\r\\n and \\r endings', () => {
    expect(splitlinesKeep('a\r\nb\rc\nd')).toEqual(['a\r\n', 'b\r', 'c\n', 'd']);
  });
});

describe('blockinfile plan', () => {
  test.each([
    ['inserted', KV, { block: 'x' }, 'Block inserted'],
    ['removed', `${B}x\n${E}`, { state: 'absent' }, 'Block removed'],
  ])('message: %s', (_n, content, a, msg) => {
    expect(planBlockinfile(args(a), fileState(content), { check: false }).data?.msg).toBe(msg);
  });

  test('File created, with mkdir for a missing directory', () => {
    const plan = planBlockinfile(args({ path: '/n/d/f', block: 'x', create: true }), missingState({ path: '/n/d/f', parentExists: false }), { check: false });
    expect(plan).toMatchObject({ kind: 'change', data: { msg: 'File created' } });
    expect(plan.kind === 'change' && plan.steps.map((s) => (s.kind === 'run' ? s.cmd.text : s.kind))).toEqual(['mkdir -p -- /n/d', 'write']);
  });

  test.each([
    ['missing file without create', missingState(), { block: 'x' }, { kind: 'fail', msg: 'Path /etc/app.conf does not exist !', data: { rc: 257 } }],
    ['absent on a missing file without create', missingState(), { state: 'absent' }, { kind: 'fail', msg: 'Path /etc/app.conf does not exist !', data: { rc: 257 } }],
    ['absent on a missing file with create', missingState(), { state: 'absent', create: true }, { kind: 'ok', note: 'File /etc/app.conf not present', data: { msg: 'File /etc/app.conf not present' } }],
    ['directory', dirState('/etc/app.conf'), { block: 'x' }, { kind: 'fail', msg: 'Path /etc/app.conf is a directory !', data: { rc: 256 } }],
  ])('%s', (_name, st, a, want) => {
    expect(planBlockinfile(args(a), st, { check: false })).toEqual(want);
  });

  test('a multiline insertafter matching up to the end fails as the module does', () => {
    expect(planBlockinfile(args({ block: 'x', insertafter: '(?m)b=2\\n' }), fileState(KV), { check: false })).toMatchObject({ kind: 'fail', msg: expect.stringContaining('list index out of range') });
  });

  test('the multiline line count uses decoded characters, as Ansible does', () => {
    // 'é' is two bytes but one character: the byte offset of the match end counts one newline too many.
    expect(after('é=1\nb=2\nc=3\n', { block: 'X', insertafter: '(?m)^b=2$' })).toBe(`é=1\nb=2\nc=3\n${B}X\n${E}`);
    expect(after('e=1\nb=2\nc=3\n', { block: 'X', insertafter: '(?m)^b=2$' })).toBe(`e=1\nb=2\n${B}X\n${E}c=3\n`);
  });
});

describe('blockinfile arguments', () => {
  const issues = (a: Record<string, unknown>) => {
    const r = blockinfile.args.safeParse(a);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  test.each([
    [{ block: 'x' }, "missing required argument 'path'"],
    [{ path: '/f', block: 'x', content: 'y' }, "'content' is an alias of 'block'; give only one of 'block', 'content'"],
    [{ path: '/f', insertafter: 'a', insertbefore: 'b' }, 'parameters are mutually exclusive: insertbefore|insertafter'],
    [{ path: '/f', marker_begin: '\\1' }, 'cannot build the marker lines: invalid group reference 1 in the replacement'],
    [{ path: '/f', marker_end: '€' }, expect.stringContaining('must be Latin-1 text')],
  ])('%j is refused', (a, msg) => {
    expect(issues(a)).toContainEqual(msg);
  });
});
