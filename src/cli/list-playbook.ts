// --list-hosts, --list-tasks and --list-tags, printed in ansible-playbook's layout.

import { relative } from 'node:path';
import { selectHosts } from '../inventory/host-patterns.js';
import type { Inventory } from '../inventory/model.js';
import type { Block, Play, Playbook, Task, TaskNode } from '../load/model.js';
import type { Templar } from '../template/types.js';
import { taskInfo } from '../engine/run-task.js';
import { effectiveTags, taskSelected, type TagSelection } from '../engine/select.js';

function tagList(tags: Iterable<string>): string {
  return `[${[...new Set(tags)].sort().join(', ')}]`;
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

/** Tasks of a play in run order (handlers and meta excluded) that the tag selection keeps. */
export function selectedTasks(play: Play, sel: TagSelection): Task[] {
  const all: Task[] = [];
  for (const s of [play.preTasks, play.roleTasks, play.tasks, play.postTasks]) walkBlock(s, all);
  return all.filter((t) => t.action !== 'meta' && taskSelected(t, sel));
}

export function header(pb: Playbook, cwd: string = process.cwd()): string[] {
  return ['', `playbook: ${relative(cwd, pb.file) || pb.file}`];
}

function playLine(play: Play, i: number): string {
  const pattern = Array.isArray(play.hosts) ? play.hosts.join(',') : String(play.hosts);
  return `  play #${i + 1} (${pattern}): ${play.name}\tTAGS: ${tagList(play.tags)}`;
}

export interface ListOptions {
  inventory: Inventory;
  templar: Templar;
  extraVars: Record<string, unknown>;
  limit?: string;
  sel: TagSelection;
  cwd?: string;
}

export function listHosts(pb: Playbook, o: ListOptions): string[] {
  const lines = header(pb, o.cwd ?? process.cwd());
  pb.plays.forEach((play, i) => {
    const pattern = o.templar.render(play.hosts, { ...play.vars, ...o.extraVars }, { loc: play.loc, what: 'hosts' });
    const patterns = Array.isArray(pattern) ? pattern.map(String) : String(pattern).split(/[,:](?![^[]*\])/).filter(Boolean);
    const hosts = selectHosts(o.inventory, Array.isArray(pattern) ? pattern.map(String) : String(pattern), { loc: play.loc, limit: o.limit });
    lines.push('', playLine(play, i), `    pattern: [${patterns.map((p) => `'${p}'`).join(', ')}]`, `    hosts (${hosts.length}):`);
    for (const h of hosts) lines.push(`      ${h}`);
  });
  return lines;
}

export function listTasks(pb: Playbook, o: Pick<ListOptions, 'sel' | 'cwd'>): string[] {
  const lines = header(pb, o.cwd ?? process.cwd());
  pb.plays.forEach((play, i) => {
    lines.push('', playLine(play, i), '    tasks:');
    for (const t of selectedTasks(play, o.sel)) lines.push(`      ${taskInfo(t).name}\tTAGS: ${tagList(effectiveTags(t))}`);
  });
  return lines;
}

export function listTags(pb: Playbook, o: Pick<ListOptions, 'sel' | 'cwd'>): string[] {
  const lines = header(pb, o.cwd ?? process.cwd());
  pb.plays.forEach((play, i) => {
    const tags = new Set<string>();
    for (const t of selectedTasks(play, o.sel)) for (const tag of effectiveTags(t)) tags.add(tag);
    lines.push('', playLine(play, i), `      TASK TAGS: ${tagList(tags)}`);
  });
  return lines;
}
