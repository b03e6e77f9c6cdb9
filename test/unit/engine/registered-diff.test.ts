// The registered `diff` (the module's value with the shown --diff entries put in) and `warnings`
// of toRegistered.

import { describe, expect, test } from 'vitest';
import { toRegistered, type TaskResult } from '../../../src/engine/result.js';

const CONTENT = '/f (content)';
const ATTRS = '/f (file attributes)';
const lineinfileBase = () => [
  { before: '', after: '', before_header: CONTENT, after_header: CONTENT },
  { before_header: ATTRS, after_header: ATTRS, before: { mode: '0644' }, after: { mode: '0600' } },
];

describe('registered diff', () => {
  test.each<[string, TaskResult, unknown]>([
    ['nothing to register without a module value or a shown diff', { status: 'ok' }, undefined],
    ['one shown entry without a module value: a dict (replace, cron)', { status: 'changed', diff: [{ target: '/f', before: 'a', after: 'b' }] }, { before: 'a', after: 'b', before_header: '/f', after_header: '/f' }],
    [
      'several shown entries without a module value: a list',
      { status: 'changed', diff: [{ target: '/a', before: '', after: 'x' }, { target: '/b', before: 'y', after: '', afterTarget: '/dev/null' }] },
      [
        { before: '', after: 'x', before_header: '/a', after_header: '/a' },
        { before: 'y', after: '', before_header: '/b', after_header: '/dev/null' },
      ],
    ],
    ['a dict module value (file) is registered as it is, shown entries or not', { status: 'changed', registeredDiff: { before: { path: '/d', state: 'absent' }, after: { path: '/d', state: 'directory' } }, diff: [{ target: '/d', before: '{}', after: '{}' }] }, { before: { path: '/d', state: 'absent' }, after: { path: '/d', state: 'directory' } }],
    ['an empty list (copy without --diff) stays empty', { status: 'changed', registeredDiff: [] }, []],
    ['a shown entry is appended to a list value (copy with --diff)', { status: 'changed', registeredDiff: [], diff: [{ target: '/c', before: '', after: 'a\n' }] }, [{ before: '', after: 'a\n', before_header: '/c', after_header: '/c' }]],
    ['an unchanged or undiffed lineinfile keeps its empty content entry and attributes entry', { status: 'ok', registeredDiff: lineinfileBase() }, lineinfileBase()],
    [
      'the shown content entry takes the place of the empty one; the attributes entry keeps its dicts',
      { status: 'changed', registeredDiff: lineinfileBase(), diff: [{ target: CONTENT, before: 'a\n', after: 'a\nb\n' }, { target: ATTRS, before: '{"mode": "0644"}\n', after: '{"mode": "0600"}\n' }] },
      [{ before: 'a\n', after: 'a\nb\n', before_header: CONTENT, after_header: CONTENT }, lineinfileBase()[1]],
    ],
    [
      'a content entry hidden for a vault value stays hidden: no before/after text is registered',
      { status: 'changed', registeredDiff: lineinfileBase(), diff: [{ target: CONTENT, skipped: 'secret', summary: 'content hidden: contains vault values' }] },
      [{ before_header: CONTENT, after_header: CONTENT, diff_skipped: 'secret' }, lineinfileBase()[1]],
    ],
  ])('%s', (_name, r, want) => {
    const reg = toRegistered(r);
    if (want === undefined) expect(reg).not.toHaveProperty('diff');
    else expect(reg.diff).toEqual(want);
  });

  test('the module value is not changed by registering (a loop item or a retry registers again)', () => {
    const base = lineinfileBase();
    toRegistered({ status: 'changed', registeredDiff: base, diff: [{ target: CONTENT, before: 'x', after: 'y' }] });
    expect(base).toEqual(lineinfileBase());
  });

  test('no_log results register no diff', () => {
    expect(toRegistered({ status: 'changed', censored: true, registeredDiff: { before: { path: '/s' }, after: { path: '/s' } } })).not.toHaveProperty('diff');
  });
});

describe('registered warnings', () => {
  test('a list when the module warned, absent otherwise', () => {
    expect(toRegistered({ status: 'ok', warnings: ['careful'] }).warnings).toEqual(['careful']);
    expect(toRegistered({ status: 'ok', warnings: [] })).not.toHaveProperty('warnings');
    expect(toRegistered({ status: 'ok' })).not.toHaveProperty('warnings');
  });
  test('added after the warnings a module returned as data (setup)', () => {
    expect(toRegistered({ status: 'ok', data: { warnings: ['from data'] }, warnings: ['warned'] }).warnings).toEqual(['from data', 'warned']);
  });
});
