// Owner and group names resolved on the target (getent), so plans know uids/gids for results and
// diffs, and a missing user fails before anything is written (Ansible: "failed to look up user").

import { sh, type ShellCommand } from '../../shell/quote.js';

export interface Principal {
  name: string;
  id: number;
}

export interface IdLookup {
  /** undefined: not asked; null: not found on the host. */
  owner?: Principal | null;
  group?: Principal | null;
  /** The user and primary group commands run as (after become): who owns what a plan creates. */
  me?: Principal;
  myGroup?: Principal;
}

/** Prints `u=NAME:UID` and `g=NAME:GID` lines for what exists, and `me=`/`mg=` for the running user. */
export function idLookupScript(owner: string | undefined, group: string | undefined): ShellCommand {
  const u = owner === undefined ? sh`:` : sh`getent passwd -- ${owner} | head -n1 | cut -d: -f1,3 | sed 's/^/u=/'`;
  const g = group === undefined ? sh`:` : sh`getent group -- ${group} | head -n1 | cut -d: -f1,3 | sed 's/^/g=/'`;
  return sh`${u}; ${g}; printf 'me=%s:%s\nmg=%s:%s\n' "$(id -un)" "$(id -u)" "$(id -gn)" "$(id -g)"; :`;
}

export function parseIdLookup(out: string, owner: string | undefined, group: string | undefined): IdLookup {
  const res: IdLookup = {};
  if (owner !== undefined) res.owner = null;
  if (group !== undefined) res.group = null;
  for (const line of out.split('\n')) {
    const m = /^(u|g|me|mg)=(.*):(\d+)$/.exec(line);
    if (!m) continue;
    const p = { name: m[2]!, id: Number(m[3]) };
    if (m[1] === 'u') res.owner = p;
    else if (m[1] === 'g') res.group = p;
    else if (m[1] === 'me') res.me = p;
    else res.myGroup = p;
  }
  // A numeric id without a name is still a valid owner (chown 5000 works), as in Ansible.
  if (res.owner === null && /^\d+$/.test(owner!)) res.owner = { name: owner!, id: Number(owner) };
  if (res.group === null && /^\d+$/.test(group!)) res.group = { name: group!, id: Number(group) };
  return res;
}

/** The failure Ansible gives for an unknown owner/group (at apply time), or undefined. */
export function missingPrincipal(ids: IdLookup, owner: string | undefined, group: string | undefined): string | undefined {
  if (owner !== undefined && ids.owner === null) return `chown failed: failed to look up user ${owner}`;
  if (group !== undefined && ids.group === null) return `chgrp failed: failed to look up group ${group}`;
  return undefined;
}

/** Ansible's check-mode warning for the same (a user created earlier in a real run may exist by then). */
export function missingPrincipalWarning(ids: IdLookup, owner: string | undefined, group: string | undefined): string | undefined {
  if (owner !== undefined && ids.owner === null) {
    return `failed to look up user ${owner}. Create user up to this point in real play`;
  }
  if (group !== undefined && ids.group === null) {
    return `failed to look up group ${group}. Create group up to this point in real play`;
  }
  return undefined;
}
