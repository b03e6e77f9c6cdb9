// A play's name and host patterns as Ansible templates them before the play (post_validate with
// the play's vars, extra vars, groups and playbook_dir; no host): for the PLAY banner and listings.

import { SamsError } from '../errors.js';
import { groupsVar } from '../inventory/groups.js';
import type { Inventory } from '../inventory/model.js';
import type { Play } from '../load/model.js';
import { pyRepr } from '../template/py-repr.js';
import type { Templar } from '../template/types.js';

export interface PlayTemplating {
  templar: Templar;
  extraVars: Record<string, unknown>;
  inventory: Inventory;
}

/** The variables a play's name and hosts are templated with. */
function playTemplateVars(play: Play, o: PlayTemplating): Record<string, unknown> {
  return { groups: groupsVar(o.inventory), playbook_dir: play.dir, ...play.vars, ...o.extraVars };
}

/** The play's `hosts:`, templated: a pattern string or a list of them, as the template gives. */
export function renderPlayHosts(play: Play, o: PlayTemplating): unknown {
  return o.templar.render(play.hosts, playTemplateVars(play, o), { loc: play.loc, what: 'hosts' });
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
  return Array.isArray(name) ? pyRepr(name.map(String)) : String(name);
}
