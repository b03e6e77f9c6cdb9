// What Ansible's file-like modules say about a path: its state name (file/directory/link/hard),
// the path info every result carries (uid, gid, owner, group, mode, state, size), the state a path
// will have once owner/group/mode are applied, and dict diffs serialised as Ansible's callback does.

import type { FileState } from '../../facts/file-state.js';
import { jsonDump } from '../../template/py-json.js';
import type { Diff } from '../types.js';
import { formatMode, wantedMode, type WantedAttrs } from './file-attrs.js';
import type { IdLookup } from './id-lookup.js';

export type AnsibleFileState = 'absent' | 'file' | 'directory' | 'link' | 'hard';

/** Ansible's get_state(): a regular file (or fifo...) with more than one link is 'hard'. */
export function ansibleState(st: FileState | undefined): AnsibleFileState {
  if (!st || !st.exists) return 'absent';
  if (st.type === 'link' && !st.followed) return 'link';
  if (st.type === 'directory') return 'directory';
  if ((st.nlink ?? 1) > 1) return 'hard';
  return 'file';
}

/** Ansible's mode text in results: '0%03o' ('0644', '01777'). */
export function modeText(mode: string | undefined): string | undefined {
  return mode === undefined ? undefined : formatMode(parseInt(mode, 8));
}

/** The keys Ansible's add_path_info() adds to a result for an existing path (unknown ones left out). */
export function pathInfo(st: FileState | undefined): Record<string, unknown> {
  if (!st || !st.exists) return {};
  const info: Record<string, unknown> = {
    uid: st.uid,
    gid: st.gid,
    owner: st.owner,
    group: st.group,
    mode: modeText(st.mode),
    state: ansibleState(st),
    size: st.size,
  };
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k];
  return info;
}

/** The state after owner/group/mode are applied (links keep their own mode). Pure. */
export function withAttrs(st: FileState, want: WantedAttrs, ids: IdLookup): FileState {
  const out: FileState = { ...st };
  if (want.owner !== undefined && ids.owner) {
    out.owner = ids.owner.name;
    out.uid = ids.owner.id;
  }
  if (want.group !== undefined && ids.group) {
    out.group = ids.group.name;
    out.gid = ids.group.id;
  }
  if (!(st.type === 'link' && !st.followed)) {
    const cur = st.mode !== undefined ? parseInt(st.mode, 8) : undefined;
    const m = wantedMode(want.mode, cur, st.type === 'directory');
    if (m !== undefined) out.mode = formatMode(m);
  }
  return out;
}

/**
 * A new path's state as it will be created: mode from a 022 umask (0644 files, 0755 directories)
 * unless a mode is given, owned by the wanted owner/group or else by the user running commands.
 * A new directory's size depends on the file system: left out.
 */
export function newPathState(path: string, type: 'file' | 'directory', want: WantedAttrs, ids: IdLookup, size?: number): FileState {
  const base: FileState = {
    path,
    exists: true,
    type,
    mode: type === 'directory' ? '0755' : '0644',
    size: type === 'file' ? (size ?? 0) : undefined,
    nlink: 1,
    owner: ids.me?.name,
    uid: ids.me?.id,
    group: ids.myGroup?.name,
    gid: ids.myGroup?.id,
  };
  return withAttrs(base, want, ids);
}

/** Ansible's file-module diff for dict before/after (JSON, sorted keys, indent 4, as the callback prints it). */
export function dictDiff(target: string, before: Record<string, unknown>, after: Record<string, unknown>): Diff {
  const dump = (v: Record<string, unknown>) => jsonDump(v, { sortKeys: true, indent: 4, separators: [',', ': '] }) + '\n';
  return { target, before: dump(before), after: dump(after) };
}

/** The owner/group/mode entries of a file-module diff (uids and gids as numbers, as Ansible records them). */
export function attrDiff(before: FileState, after: FileState): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  if (after.uid !== undefined && before.uid !== after.uid) {
    b.owner = before.uid;
    a.owner = after.uid;
  }
  if (after.gid !== undefined && before.gid !== after.gid) {
    b.group = before.gid;
    a.group = after.gid;
  }
  if (before.mode !== after.mode) {
    b.mode = modeText(before.mode);
    a.mode = modeText(after.mode);
  }
  return { before: b, after: a };
}
