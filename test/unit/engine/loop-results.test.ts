// Loop variables and a loop's registered result, shaped as Ansible 2.14 shapes them.

import { describe, expect, test } from 'vitest';
import { loopVars } from '../../../src/engine/loops.js';
import { toRegistered, type ItemResult, type TaskResult } from '../../../src/engine/result.js';

const item = (status: ItemResult['status'], n: number, extra: Partial<ItemResult> = {}): ItemResult => ({ status, item: n, label: String(n), loopVar: 'item', ...extra });
const loop = (status: TaskResult['status'], items: ItemResult[]): TaskResult => ({ status, items });

describe('loopVars', () => {
  test('without extended: the loop var, index_var and ansible_loop_var, no ansible_loop', () => {
    expect(loopVars(['a', 'b'], 1, { loopVar: 'x', indexVar: 'i', extended: false })).toEqual({ x: 'b', i: 1, ansible_loop_var: 'x' });
  });

  test.each([
    [0, { previtem: undefined, nextitem: 'b', first: true, last: false }],
    [1, { previtem: 'a', nextitem: 'c', first: false, last: false }],
    [2, { previtem: 'b', nextitem: undefined, first: false, last: true }],
  ])('extended, item %i: previtem/nextitem only where such an item exists', (i, want) => {
    const l = loopVars(['a', 'b', 'c'], i, { loopVar: 'item', extended: true }).ansible_loop as Record<string, unknown>;
    expect('previtem' in l).toBe(want.previtem !== undefined);
    expect('nextitem' in l).toBe(want.nextitem !== undefined);
    expect(l).toMatchObject({ index: i + 1, index0: i, revindex: 3 - i, revindex0: 2 - i, length: 3, allitems: ['a', 'b', 'c'], first: want.first, last: want.last });
    if (want.previtem !== undefined) expect(l.previtem).toBe(want.previtem);
    if (want.nextitem !== undefined) expect(l.nextitem).toBe(want.nextitem);
  });
});

describe('toRegistered for loops', () => {
  test.each<[string, TaskResult, Record<string, unknown>]>([
    ['all items completed, one changed', loop('changed', [item('ok', 1), item('changed', 2)]), { skipped: false, changed: true, msg: 'All items completed' }],
    ['nothing changed', loop('ok', [item('ok', 1)]), { skipped: false, changed: false, msg: 'All items completed' }],
    // run-task marks a failed loop with a changed item changedBeforeFailure.
    ['an item failed', { ...loop('failed', [item('changed', 1), item('failed', 2)]), changedBeforeFailure: true }, { skipped: false, changed: true, failed: true, msg: 'One or more items failed' }],
    ['every item skipped', loop('skipped', [item('skipped', 1), item('skipped', 2)]), { skipped: true, changed: false, msg: 'All items skipped' }],
  ])('%s', (_name, r, top) => {
    const reg = toRegistered(r);
    const { results, ...rest } = reg;
    expect(rest).toEqual(top);
    expect((results as Record<string, unknown>[]).map((x) => [x.item, x.ansible_loop_var])).toEqual(r.items!.map((i) => [i.item, 'item']));
  });

  test('an empty loop: skipped with skipped_reason, no msg', () => {
    expect(toRegistered({ status: 'skipped', items: [], skipReason: 'No items in the list' })).toEqual({ changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] });
  });

  test('a module skipped in check mode has msg but no skip_reason; a false condition has skip_reason', () => {
    const checked = toRegistered({ status: 'skipped', skipReason: 'cannot predict', msg: 'Command would have run if not in check mode', checkOnly: true, rc: 0, stdout: '', stderr: '' });
    expect(checked).not.toHaveProperty('skip_reason');
    expect(checked).toMatchObject({ skipped: true, msg: 'Command would have run if not in check mode', stdout_lines: [], stderr_lines: [] });
    expect(toRegistered({ status: 'skipped', skipReason: 'Conditional result was False' })).toEqual({ changed: false, skipped: true, skip_reason: 'Conditional result was False' });
  });
});
