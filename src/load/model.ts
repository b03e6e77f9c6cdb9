// The loaded playbook: plays, roles, blocks, tasks and handlers, with their source positions.
// Values that may hold templates are kept raw here and rendered per host at run time.

import type { SourceLoc } from '../errors.js';

/** Keywords a node sets itself; children inherit the ones their parents set. Raw (unrendered) values. */
export interface Keywords {
  become?: unknown;
  become_user?: unknown;
  become_method?: unknown;
  become_flags?: unknown;
  become_exe?: unknown;
  environment?: unknown;
  check_mode?: unknown;
  diff?: unknown;
  no_log?: unknown;
  ignore_errors?: unknown;
  ignore_unreachable?: unknown;
  any_errors_fatal?: unknown;
  delegate_to?: unknown;
  delegate_facts?: unknown;
  run_once?: unknown;
  remote_user?: unknown;
  connection?: unknown;
  port?: unknown;
  timeout?: unknown;
}

/** A `when:` condition with the place it is written (conditions accumulate from parents). */
export interface Condition {
  expr: unknown;
  loc?: SourceLoc;
}

interface NodeBase {
  name?: string;
  loc: SourceLoc;
  kw: Keywords;
  /** This node's own tags (inherited ones are added by effectiveTags). */
  tags: string[];
  /** This node's own conditions. */
  when: Condition[];
  /** This node's own `vars:`. */
  vars: Record<string, unknown>;
  /** The enclosing block (every task has one), role, and play. */
  parent?: Block;
  role?: RoleInstance;
  play: Play;
}

export interface Block extends NodeBase {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  /** Set when the block stands for an import (import_tasks / import_role) or a role's task list. */
  origin?: 'import_tasks' | 'import_role' | 'role' | 'include' | 'section';
  /** Blocks may carry notify (applies to their tasks) in Ansible; kept for tasks to inherit. */
  notify?: string[];
}

export interface LoopSpec {
  /** `loop` (a list, maybe a template) or `with_<lookup>` (lookup name and its terms). */
  kind: 'loop' | 'with';
  lookup?: string;
  value: unknown;
  loc?: SourceLoc;
}

export interface LoopControl {
  loop_var?: string;
  index_var?: string;
  label?: unknown;
  pause?: unknown;
  extended?: unknown;
}

export interface Task extends NodeBase {
  kind: 'task';
  /** Canonical module name (registry name) or a directive (include_tasks, include_role, meta). */
  action: string;
  /** The name as written (ansible.builtin.copy), for messages. */
  actionAsWritten: string;
  /** Arguments: a mapping whose values may be templates. */
  args: Record<string, unknown>;
  /** Where the arguments are written (for zod issues, map paths through locAtPath(args,...)). */
  argsLoc: SourceLoc;
  loop?: LoopSpec;
  loopControl?: LoopControl;
  register?: string;
  changedWhen?: Condition[];
  failedWhen?: Condition[];
  until?: Condition[];
  retries?: unknown;
  delay?: unknown;
  notify: string[];
  notifyLoc?: SourceLoc;
  /** Handlers only: topics this handler listens to. */
  listen?: string[];
  isHandler: boolean;
  /** Stable id for this task within the run (for pending handlers, --start-at-task, events). */
  id: string;
}

export type TaskNode = Task | Block;

export interface RoleInstance {
  name: string;
  /** Directory of the role. */
  path: string;
  /** Where the role was named (roles: entry, import_role, include_role, meta dependency). */
  loc: SourceLoc;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  /** Role params: non-keyword keys and `vars:` of the role entry. */
  params: Record<string, unknown>;
  /** The role's tasks wrapped in one block carrying the entry's keywords. */
  tasks?: Block;
  handlers: Task[];
  /** Dependencies from meta/main.yml, in order (they run before this role). */
  deps: RoleInstance[];
  /** The role this one is a dependency of (its vars are visible to this role). */
  parentRole?: RoleInstance;
  /**
   * meta's allow_duplicates (import_role/include_role: their own, default true): repeats run again.
   * On a first instance, the value of the last load of that identity (Ansible's shared Role object).
   */
  allowDuplicates: boolean;
  /**
   * Set when this instance repeats an earlier one of the same play with the same identity (role,
   * params, entry when/tags/vars, *_from, import/include or not): Ansible's one Role object. A host
   * skips a repeat's tasks once that role ran there (a task of it ran, not skipped) and completed.
   */
  repeatOf?: RoleInstance;
  /** Roles in `roles:`, import_role: their defaults and vars are visible play-wide (Ansible's public roles). */
  public: boolean;
  /** Files from the role's defaults and vars (for --explain). */
  defaultsSource?: string;
  varsSource?: string;
}

export interface VarsPrompt {
  name: string;
  prompt: string;
  private: boolean;
  confirm: boolean;
  default?: unknown;
  encrypt?: string;
  salt_size?: number;
  salt?: string;
  unsafe?: boolean;
  loc: SourceLoc;
}

export interface Play {
  name: string;
  loc: SourceLoc;
  /** The playbook file this play is in, and its directory (playbook_dir). */
  file: string;
  dir: string;
  hosts: unknown;
  kw: Keywords;
  vars: Record<string, unknown>;
  varsFiles: { value: unknown; loc: SourceLoc }[];
  varsPrompt: VarsPrompt[];
  tags: string[];
  /** Roles listed in `roles:` and those pulled in by import_role (public ones), in load order. */
  roles: RoleInstance[];
  /** The four sections, each one block; `roles` tasks run between pre_tasks and tasks. */
  preTasks: Block;
  roleTasks: Block;
  tasks: Block;
  postTasks: Block;
  /** Handlers in run order: roles' (dependencies first) then the play's own. */
  handlers: Task[];
  /** Handlers of roles named by include_role with a literal name: notify may target them. */
  includableHandlers: Task[];
  gatherFacts: unknown;
  gatherSubset?: unknown;
  serial?: unknown;
  strategy: string;
  maxFailPercentage?: unknown;
  forceHandlers: boolean;
  anyErrorsFatal?: unknown;
  /** The when: of the import_playbook(s) this play came from: on every task section and on fact gathering. */
  includedWhen: Condition[];
}

export interface Playbook {
  /** The top-level file. */
  file: string;
  dir: string;
  /** Plays in run order, import_playbook expanded. */
  plays: Play[];
  /** Warnings found while loading (ignored keywords...). */
  warnings: { message: string; loc?: SourceLoc }[];
}

/**
 * Roles whose defaults and vars a play shows play-wide: its public roles and their dependencies,
 * dependencies first. A repeat (and its dependencies, repeats too) shows what its first instance shows.
 */
export function publicRoles(play: Play): RoleInstance[] {
  const out: RoleInstance[] = [];
  const visit = (r: RoleInstance) => {
    if (r.repeatOf) return;
    r.deps.forEach(visit);
    if (!out.includes(r)) out.push(r);
  };
  play.roles.filter((r) => r.public).forEach(visit);
  return out;
}
