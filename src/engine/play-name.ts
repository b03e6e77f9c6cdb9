// A play's name and host patterns as Ansible templates them before the play (post_validate with
// the play's vars, extra vars, groups and playbook_dir; no host): for the PLAY banner and listings.

import { SamsError } from '../errors.js';
import { groupsVar } from '../inventory/groups.js';
import type { Inventory } from '../inventory/model.js';
import type { Play } from '../load/model.js';
import type { Templar } from '../template/types.js';

export interface PlayTemplating {
  templar: Templar;
  extraVars: Record<string, unknown>;
  inventory: Inventory;
}

/** A Python str repr, as Ansible prints the items of a list. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t') + q;
}

/** The variables a play's name and hosts are templated with. */
export function playTemplateVars(play: Play, o: PlayTemplating): Record<string, unknown> {
  return { groups: groupsVar(o.inventory), playbook_dir: play.dir, ...play.vars, ...o.extraVars };
}

/**
 * The play's name, templated. It is a string field: a template giving a list shows as Python
 * prints one. A name whose template fails (an undefined variable, such as a host's) is shown as
 * written, as Ansible keeps an unrenderable `name`.
 */
export function renderPlayName(play: Play, o: PlayTemplating): string {
  let name: unknown;
  try {
    name = o.templar.render(play.name, playTemplateVars(play, o), { loc: play.loc, what: 'play name' });
  } catch (e) {
    if (e instanceof SamsError) return play.name;
    throw e;
  }
  return Array.isArray(name) ? `[${name.map((x) => pyRepr(String(x))).join(', ')}]` : String(name);
}
