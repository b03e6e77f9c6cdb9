// group: create, renumber or remove a local group with groupadd/groupmod/groupdel, as Ansible's
// group module does on Linux.

import { z } from 'zod';
import { SamsError } from '../errors.js';
import { parseGroupLine, type GroupEntry } from '../facts/user-account.js';
import { Sections } from './lib/facts/sections.js';
import { raw, sh, quote } from '../shell/quote.js';
import { zBool, zInt, zStr } from './lib/args.js';
import { defineModule, type Plan, type Remote, type Step } from './types.js';

const args = z
  .object({
    name: zStr(),
    gid: zInt().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    system: zBool().default(false),
    local: zBool().default(false),
    non_unique: zBool().default(false),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    if (a.local) issue('local: true (lgroupadd/libuser) is not supported; groups are managed with groupadd/groupmod/groupdel', ['local']);
    if (a.non_unique && a.gid === undefined) issue('non_unique is True but all of the following are missing: gid', ['non_unique']);
    if (a.gid !== undefined && a.gid < 0) issue('gid must not be negative', ['gid']);
  });

export type GroupArgs = z.output<typeof args>;

export interface GroupState {
  group?: GroupEntry;
  /** The group that has the wanted gid already, if any. */
  byGid?: GroupEntry;
}

export function groupProbeScript(a: Pick<GroupArgs, 'name' | 'gid'>): string {
  const lines = [`printf '\\036sams:group\\n'; getent group -- ${quote(a.name)}; printf '\\n'`];
  if (a.gid !== undefined) lines.push(`printf '\\036sams:bygid\\n'; getent group -- ${a.gid}; printf '\\n'`);
  lines.push('exit 0');
  return lines.join('\n');
}

export function parseGroupProbe(out: string): GroupState {
  const sec = new Sections(out);
  const entry = (k: string) => {
    const line = (sec.raw(k) ?? '').split('\n')[0] ?? '';
    return line ? parseGroupLine(line) : undefined;
  };
  return { group: entry('group'), byGid: entry('bygid') };
}

async function probeGroup(remote: Remote, a: GroupArgs): Promise<GroupState> {
  const r = await remote.exec(sh`${raw(groupProbeScript(a))}`);
  if (r.rc !== 0) throw new SamsError(`could not read group ${a.name}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  return parseGroupProbe(r.stdout);
}

/** After groupadd without gid: read the gid the system chose. */
function readBackStep(a: GroupArgs): Step {
  return {
    kind: 'custom',
    describe: `read back group ${a.name}`,
    async apply(env) {
      const st = await probeGroup(env.remote, { ...a, gid: undefined });
      return { ok: true, data: st.group ? { gid: st.group.gid } : {} };
    },
  };
}

export function planGroup(a: GroupArgs, st: GroupState): Plan {
  const g = st.group;
  if (a.state === 'absent') {
    if (!g) return { kind: 'ok', note: `group ${a.name} does not exist`, data: { name: a.name, state: a.state } };
    return {
      kind: 'change',
      steps: [{ kind: 'run', cmd: sh`groupdel ${a.name}` }],
      note: `remove group ${a.name}`,
      diff: [{ target: `group ${a.name}`, before: `name: ${g.name}\ngid: ${g.gid}\n`, after: '' }],
      data: { name: a.name, state: a.state },
    };
  }
  const data = { name: a.name, state: a.state, system: a.system };
  // groupadd/groupmod refuse a gid another group has, unless non_unique (-o): say so before trying.
  const taken = a.gid !== undefined && st.byGid && st.byGid.name !== a.name && !a.non_unique;
  if (!g) {
    if (taken) return { kind: 'fail', msg: `groupadd: GID '${a.gid}' already exists`, hint: `group ${st.byGid!.name} has gid ${a.gid}`, data: { name: a.name } };
    const words: (string | number)[] = ['groupadd'];
    if (a.gid !== undefined) words.push('-g', a.gid, ...(a.non_unique ? ['-o'] : []));
    if (a.system) words.push('-r');
    words.push(a.name);
    return {
      kind: 'change',
      steps: [{ kind: 'run', cmd: sh`${words}` }, ...(a.gid === undefined ? [readBackStep(a)] : [])],
      note: `create group ${a.name}`,
      diff: [{ target: `group ${a.name}`, before: '', after: `name: ${a.name}\n${a.gid !== undefined ? `gid: ${a.gid}\n` : ''}` }],
      data: { ...data, ...(a.gid !== undefined ? { gid: a.gid } : {}) },
    };
  }
  if (a.gid === undefined || g.gid === a.gid) return { kind: 'ok', note: `group ${a.name} already as wanted`, data: { ...data, gid: g.gid } };
  if (taken) return { kind: 'fail', msg: `groupmod: GID '${a.gid}' already exists`, hint: `group ${st.byGid!.name} has gid ${a.gid}`, data: { name: a.name } };
  return {
    kind: 'change',
    steps: [{ kind: 'run', cmd: sh`groupmod -g ${a.gid} ${a.non_unique ? ['-o'] : []} ${a.name}` }],
    note: `change the gid of group ${a.name} from ${g.gid} to ${a.gid}`,
    diff: [{ target: `group ${a.name}`, before: `name: ${a.name}\ngid: ${g.gid}\n`, after: `name: ${a.name}\ngid: ${a.gid}\n` }],
    data: { ...data, gid: a.gid },
  };
}

export default defineModule({
  name: 'group',
  summary: 'Create, renumber or remove a local group (groupadd/groupmod/groupdel).',
  where: 'target',
  args,
  check: 'plan',
  probe: (env, a: GroupArgs) => probeGroup(env.remote, a),
  plan: (a, st) => planGroup(a, st),
});
