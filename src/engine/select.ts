// Which tasks run: tag selection (--tags/--skip-tags with always/never/tagged/untagged/all) and
// the keyword inheritance it relies on. Pure; shared by the engine and --list-tasks.

import type { Block, Condition, Keywords, Task } from '../load/model.js';

/** The nearest value of an inherited keyword: task, then its blocks (roles included), then the play. */
export function effectiveKeyword<K extends keyof Keywords>(task: Task, key: K): Keywords[K] {
  if (task.kw[key] !== undefined) return task.kw[key];
  for (let b: Block | undefined = task.parent; b; b = b.parent) if (b.kw[key] !== undefined) return b.kw[key];
  return task.play.kw[key];
}

/** Tags of the task and everything around it (blocks, role entries, imports, play). */
export function effectiveTags(task: Task): Set<string> {
  const tags = new Set(task.tags);
  for (let b: Block | undefined = task.parent; b; b = b.parent) for (const t of b.tags) tags.add(t);
  for (const t of task.play.tags) tags.add(t);
  return tags;
}

/** Conditions of the enclosing blocks (outermost first) then the task's own. */
export function effectiveConditions(task: Task): Condition[] {
  const chain: Condition[][] = [task.when];
  for (let b: Block | undefined = task.parent; b; b = b.parent) chain.push(b.when);
  return chain.reverse().flat();
}

/** `vars:` of the enclosing blocks, outermost first (the block vars layer). */
export function blockVars(task: Task): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  for (let b: Block | undefined = task.parent; b; b = b.parent) if (Object.keys(b.vars).length) chain.push(b.vars);
  return chain.reverse();
}

/** Notify names of the task and of blocks around it (Ansible lets blocks carry notify). */
export function effectiveNotify(task: Task): string[] {
  const out = [...task.notify];
  for (let b: Block | undefined = task.parent; b; b = b.parent) if (b.notify) out.push(...b.notify);
  return out;
}

export interface TagSelection {
  /** --tags; empty means all. */
  only: string[];
  /** --skip-tags. */
  skip: string[];
}

/** Ansible's Taggable.evaluate_tags. */
export function tagsSelect(tagsIn: Set<string>, sel: TagSelection): boolean {
  const tags = tagsIn.size ? tagsIn : new Set(['untagged']);
  const only = sel.only.length ? sel.only : ['all'];
  const onlySet = new Set(only);
  const untaggedOnly = tags.size === 1 && tags.has('untagged');
  let run = true;
  if (onlySet.size) {
    run = false;
    if (tags.has('always')) run = true;
    else if (onlySet.has('all') && !tags.has('never')) run = true;
    else if ([...tags].some((t) => onlySet.has(t))) run = true;
    else if (onlySet.has('tagged') && !untaggedOnly && !tags.has('never')) run = true;
  }
  if (run && sel.skip.length) {
    const skip = new Set(sel.skip);
    if (skip.has('all')) {
      if (!tags.has('always') || skip.has('always')) run = false;
    } else if ([...tags].some((t) => skip.has(t))) run = false;
    else if (skip.has('tagged') && !untaggedOnly) run = false;
  }
  return run;
}

export function taskSelected(task: Task, sel: TagSelection): boolean {
  return tagsSelect(effectiveTags(task), sel);
}
