// group planning: groupadd/groupmod/groupdel command lines and results from fixture states, the
// probe's parser, and argument errors.

import { describe, expect, test } from 'vitest';
import groupModule, { groupProbeScript, parseGroupProbe, planGroup, type GroupState } from '../../../src/modules/group.js';
import type { Plan } from '../../../src/modules/types.js';
import { argError, args } from './env.js';

const g = (name: string, gid: number) => ({ name, gid, members: [] });

function commands(p: Plan): string[] {
  return p.kind === 'change' ? p.steps.filter((s) => s.kind === 'run').map((s) => (s.kind === 'run' ? s.cmd.text : '')) : [];
}

const CASES: [string, Record<string, unknown>, GroupState, Plan['kind'], string[], Record<string, unknown>][] = [
  ['create with a gid', { name: 'vmail', gid: 5000 }, {}, 'change', ['groupadd -g 5000 vmail'], { name: 'vmail', state: 'present', system: false, gid: 5000 }],
  ['create a system group', { name: 'pg', system: true }, {}, 'change', ['groupadd -r pg'], { name: 'pg', state: 'present', system: true }],
  ['create with a shared gid', { name: 'alias', gid: 5000, non_unique: true }, { byGid: g('vmail', 5000) }, 'change', ['groupadd -g 5000 -o alias'], { gid: 5000 }],
  ['exists with that gid', { name: 'vmail', gid: 5000 }, { group: g('vmail', 5000), byGid: g('vmail', 5000) }, 'ok', [], { name: 'vmail', state: 'present', system: false, gid: 5000 }],
  ['exists, no gid asked', { name: 'vmail' }, { group: g('vmail', 5001) }, 'ok', [], { gid: 5001 }],
  ['exists with another gid', { name: 'vmail', gid: 5000 }, { group: g('vmail', 5001) }, 'change', ['groupmod -g 5000  vmail'], { gid: 5000 }],
  ['remove', { name: 'vmail', state: 'absent' }, { group: g('vmail', 5000) }, 'change', ['groupdel vmail'], { name: 'vmail', state: 'absent' }],
  ['remove a missing group', { name: 'vmail', state: 'absent' }, {}, 'ok', [], { name: 'vmail', state: 'absent' }],
];

describe('group plans', () => {
  test.each(CASES)('%s', (_t, raw, st, kind, cmds, data) => {
    const p = planGroup(args(groupModule, raw), st);
    expect(p.kind).toBe(kind);
    expect(commands(p)).toEqual(cmds);
    expect(p.kind !== 'fail' && p.data).toMatchObject(data);
  });

  test('a gid another group has fails before trying, as groupadd/groupmod would', () => {
    expect(planGroup(args(groupModule, { name: 'x', gid: 5000 }), { byGid: g('vmail', 5000) })).toMatchObject({ kind: 'fail', msg: "groupadd: GID '5000' already exists" });
    expect(planGroup(args(groupModule, { name: 'x', gid: 5000 }), { group: g('x', 7), byGid: g('vmail', 5000) })).toMatchObject({ kind: 'fail', msg: "groupmod: GID '5000' already exists" });
  });

  test('a new group without gid reads the chosen gid back after groupadd', () => {
    const p = planGroup(args(groupModule, { name: 'x' }), {});
    expect(p.kind === 'change' && p.steps.map((s) => s.kind)).toEqual(['run', 'custom']);
  });

  test('diff shows the gid change', () => {
    const p = planGroup(args(groupModule, { name: 'x', gid: 9 }), { group: g('x', 7) });
    expect(p.kind === 'change' && p.diff).toEqual([{ target: 'group x', before: 'name: x\ngid: 7\n', after: 'name: x\ngid: 9\n' }]);
  });
});

describe('probe', () => {
  test('the script looks the group up by name, and by gid when one is given', () => {
    expect(groupProbeScript({ name: 'vmail' })).toContain("getent group -- vmail");
    expect(groupProbeScript({ name: 'vmail', gid: 5000 })).toContain('getent group -- 5000');
  });

  test('parses getent output', () => {
    const out = '\x1esams:group\nvmail:x:5000:a,b\n\n\x1esams:bygid\n\n';
    expect(parseGroupProbe(out)).toEqual({ group: { name: 'vmail', gid: 5000, members: ['a', 'b'] }, byGid: undefined });
  });
});

describe('arguments', () => {
  test.each([
    [{ name: 'x', local: true }, 'local: true'],
    [{ name: 'x', non_unique: true }, 'non_unique is True but all of the following are missing: gid'],
    [{ name: 'x', gid: 'abc' }, "argument 'gid'"],
    [{ name: 'x', state: 'gone' }, 'must be one of'],
    [{ gid: 5 }, "missing required argument 'name'"],
    [{ name: 'x', members: ['a'] }, "unknown argument 'members'"],
  ])('%j is rejected', (raw, msg) => {
    expect(argError(groupModule, raw)).toContain(msg);
  });
});
