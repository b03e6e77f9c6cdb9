// Templated tags (`tags: "{{ my_tag }}"`) rendered when loading, as Ansible renders them for tag
// selection: with the play's vars, its roles' defaults and vars, and extra vars; no host, so
// inventory vars and facts are not visible (Ansible fails on them the same way).

import { SamsError } from '../errors.js';
import type { LoadContext } from './context.js';
import { publicRoles, type Block, type Play, type RoleInstance, type TaskNode } from './model.js';

/** The variables tags are rendered with (Ansible's get_vars(play=play), without a host). */
function tagVars(play: Play, ctx: LoadContext): Record<string, unknown> {
  const roles = publicRoles(play);
  return Object.assign(
    {},
    ...roles.map((r) => r.defaults),
    play.vars,
    ...roles.map((r) => r.vars),
    ctx.opts.extraVars,
    { playbook_dir: play.dir, ansible_play_name: play.name, role_names: roles.map((r) => r.name) },
  ) as Record<string, unknown>;
}

function renderList(tags: string[], where: { loc: Block['loc'] }, vars: () => Record<string, unknown>, ctx: LoadContext): string[] {
  const t = ctx.opts.templar;
  if (!t || !tags.some((x) => t.isTemplate(x))) return tags;
  const out: string[] = [];
  for (const tag of tags) {
    if (!t.isTemplate(tag)) {
      out.push(tag);
      continue;
    }
    const v = ctx.errors.collect(() => {
      try {
        return t.render(tag, vars(), { loc: where.loc, what: 'tags' });
      } catch (e) {
        if (e instanceof SamsError && /^undefined variable/.test(e.message)) {
          throw new SamsError(e.message, {
            loc: e.loc ?? where.loc,
            hint: 'tags are rendered before any host is known: only play vars, role vars and defaults, and extra vars (-e) are visible',
          });
        }
        throw e;
      }
    });
    if (v === undefined) continue;
    // As Ansible's evaluate_tags: a list result adds each item, anything else is one tag.
    for (const x of Array.isArray(v) ? v : [v]) if (x !== null && x !== undefined && String(x) !== '') out.push(String(x));
  }
  return out;
}

/** Render the templated tags of `nodes` (and their children) in place. */
export function renderTemplatedTags(nodes: TaskNode[], play: Play, ctx: LoadContext): void {
  let vars: Record<string, unknown> | undefined;
  const lazyVars = () => (vars ??= tagVars(play, ctx));
  const walk = (n: TaskNode) => {
    n.tags = renderList(n.tags, n, lazyVars, ctx);
    if (n.kind === 'block') [...n.block, ...n.rescue, ...n.always].forEach(walk);
  };
  nodes.forEach(walk);
}

/** Render the play's own tags and the templated tags of all its tasks, handlers and roles. */
export function renderPlayTags(play: Play, ctx: LoadContext): void {
  let vars: Record<string, unknown> | undefined;
  play.tags = renderList(play.tags, play, () => (vars ??= tagVars(play, ctx)), ctx);
  renderTemplatedTags([play.preTasks, play.roleTasks, play.tasks, play.postTasks, ...play.handlers], play, ctx);
  // Role handler blocks are not under the sections; their tags hang off the handlers' parents.
  const seen = new Set<Block>();
  for (const h of play.handlers) {
    for (let b = h.parent; b && !seen.has(b); b = b.parent) {
      seen.add(b);
      b.tags = renderList(b.tags, b, () => (vars ??= tagVars(play, ctx)), ctx);
    }
  }
}
