// --list-hosts, --list-tasks and --list-tags, printed in ansible-playbook's layout.

import { relative } from 'node:path';
import { selectHosts } from '../inventory/host-patterns.js';
import type { Inventory } from '../inventory/model.js';
import type { Block, Play, Playbook, Task, TaskNode } from '../load/model.js';
import type { Templar } from '../template/types.js';
import { renderPlayHosts, renderPlayName } from '../engine/play-name.js';
import { pyRepr } from '../template/py-repr.js';
import { effectiveTags, taskSelected, type TagSelection } from '../engine/select.js';

function tagList(tags: Iterable<string>): string {
  return `[${[...new Set(tags)].sort().join(', ')}]`;
}

/** The play's own tags: ansible-playbook joins them with a bare comma (in set order; sorted here). */
function playTagList(tags: string[]): string {
  return `[${[...new Set(tags)].sort().join(',')}]`;
}

function walk(nodes: TaskNode[], out: Task[]): void {
  for (const n of nodes) {
    if (n.kind === 'task') out.push(n);
    else walkBlock(n, out);
  }
}

/** Like ansible-playbook --list-tasks: the main part of each block (rescue and always are not listed). */
function walkBlock(b: Block, out: Task[]): void {
  walk(b.block, out);
}

/**
 * Tasks of a play in run order (handlers excluded) that the tag selection keeps. Meta tasks written
 * in the playbook are listed like any task (ansible-playbook hides only its own implicit ones).
 */
export function selectedTasks(play: Play, sel: TagSelection): Task[] {
  const all: Task[] = [];
  for (const s of [play.preTasks, play.roleTasks, play.tasks, play.postTasks]) walkBlock(s, all);
  return all.filter((t) => taskSelected(t, sel));
}

/**
 * A task as --list-tasks names it: a named task by its name (`role : name` in a role, the name
 * not templated); an unnamed one by its action as written, without the role prefix.
 */
function listedName(t: Task): string {
  if (t.name === undefined || t.name === '') return t.actionAsWritten;
  return t.role ? `${t.role.name} : ${t.name}` : t.name;
}

export function header(pb: Playbook, cwd: string = process.cwd()): string[] {
  return ['', `playbook: ${relative(cwd, pb.file) || pb.file}`];
}

export interface ListOptions {
  inventory: Inventory;
  templar: Templar;
  extraVars: Record<string, unknown>;
  limit?: string;
  sel: TagSelection;
  cwd?: string;
}

/**
 * The play's host patterns and name, templated with play and extra vars (and groups, playbook_dir) as ansible-playbook does
 * before listing. A pattern string stays one entry, as written (`web:db`, `web,!w2`); a list keeps
 * its entries.
 */
function renderedPlay(play: Play, o: Pick<ListOptions, 'templar' | 'extraVars' | 'inventory'>): { patterns: string[]; name: string } {
  const hosts = renderPlayHosts(play, o);
  const patterns = Array.isArray(hosts) ? hosts.map(String) : hosts === undefined || hosts === null ? [] : [String(hosts)];
  return { patterns, name: renderPlayName(play, o) };
}

function playLine(play: Play, i: number, r: { patterns: string[]; name: string }): string {
  return `  play #${i + 1} (${r.patterns.join(',')}): ${r.name}\tTAGS: ${playTagList(play.tags)}`;
}

/** Which listings to print; asked together, they share one section per play (as ansible-playbook). */
export interface ListWhat {
  hosts?: boolean;
  tasks?: boolean;
  tags?: boolean;
}

/**
 * --list-hosts, --list-tasks and --list-tags: per play its line, then the pattern and hosts, then
 * the tasks, then TASK TAGS (the play's own tags, always, and those of the selected tasks).
 */
export function listPlaybook(pb: Playbook, o: ListOptions, what: ListWhat): string[] {
  const lines = header(pb, o.cwd ?? process.cwd());
  pb.plays.forEach((play, i) => {
    const r = renderedPlay(play, o);
    lines.push('', playLine(play, i, r));
    if (what.hosts) {
      const hosts = selectHosts(o.inventory, r.patterns.length === 1 ? r.patterns[0]! : r.patterns, { loc: play.loc, limit: o.limit });
      lines.push(`    pattern: ${pyRepr(r.patterns)}`, `    hosts (${hosts.length}):`);
      for (const h of hosts) lines.push(`      ${h}`);
    }
    if (!what.tasks && !what.tags) return;
    const tasks = selectedTasks(play, o.sel);
    if (what.tasks) {
      lines.push('    tasks:');
      for (const t of tasks) lines.push(`      ${listedName(t)}\tTAGS: ${tagList(effectiveTags(t))}`);
    }
    if (what.tags) {
      const tags = new Set<string>(play.tags);
      for (const t of tasks) for (const tag of effectiveTags(t)) tags.add(tag);
      lines.push(`      TASK TAGS: ${tagList(tags)}`);
    }
  });
  return lines;
}
