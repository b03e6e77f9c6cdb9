// A host's walk through a play: blocks with rescue/always, dynamic includes, handler flushes,
// tag selection and --start-at-task. Written as a generator: it yields the next task to run
// (with its position, so a strategy can keep hosts in step) and receives the outcome.

import picomatch from 'picomatch';
import type { Block, RoleInstance, Task, TaskNode } from '../load/model.js';
import { handlerKeys } from '../load/playbook.js';
import type { PlayRun } from './play-run.js';
import { tally, toRegistered } from './result.js';
import type { TaskOutcome } from './run-task.js';
import { taskInfo } from './run-task.js';
import { tagsSelect, taskSelected, type TagSelection } from './select.js';

/** A task to run, at a position comparable across hosts (lexicographic). */
export interface CursorStep {
  task: Task;
  path: number[];
}

/** How a walk ended (or a part of it). */
export type Flow = 'ok' | 'failed' | 'unreachable' | 'end_host' | 'end_play' | 'end_batch';

/** Shared by all hosts of a play: --start-at-task is reached once for everyone. */
export interface StartAt {
  pattern?: string;
  reached: boolean;
}

export type CursorGen = Generator<CursorStep, Flow, TaskOutcome>;

const FLUSH_PART = 9;

export class HostCursor {
  /** Handlers notified and not yet run. */
  readonly notified = new Set<Task>();
  /** Handler names carried over from an earlier failed run, run at the first flush that takes them. */
  private carried: string[];
  /** Set once a host that failed under force_handlers has run its flush (run-playbook retries the others). */
  forcedFlushDone = false;
  /** Handlers that failed in this run: kept pending for the next run, not retried in this one. */
  private readonly failedHandlers = new Set<Task>();
  private readonly matchStart?: (name: string) => boolean;

  constructor(
    readonly pr: PlayRun,
    readonly host: string,
    private readonly sel: TagSelection,
    private readonly startAt: StartAt,
    carriedHandlers: string[],
  ) {
    this.carried = [...carriedHandlers];
    if (startAt.pattern) this.matchStart = picomatch(startAt.pattern);
  }

  /** True while the host runs a rescue section (any_errors_fatal does not stop such a host). */
  inRescue = 0;

  /** Roles (by identity) of which a task ran on this host: ok, changed or failed, not skipped (Ansible's _had_task_run). */
  private readonly rolesRan = new Set<RoleInstance>();
  /** Roles that ran and whose task list this host then finished (Ansible's _completed, set by role_complete). */
  private readonly rolesDone = new Set<RoleInstance>();

  /** Handler names still pending (notified, or carried over and not yet run). */
  pendingHandlerNames(): string[] {
    return [...new Set([...this.carried, ...[...this.notified].map(handlerId)])];
  }

  /**
   * The whole play: gather facts, pre_tasks, roles, tasks, post_tasks, with Ansible's implicit
   * flushes. Carried-over handlers join the first flush that ends a section with tasks (the one
   * after empty pre_tasks is not one), a `meta: flush_handlers`, or the last flush. Under
   * force_handlers a host that fails in a section still runs the flush that ends it, together
   * with the other hosts (Ansible wraps each section in a block whose `always` flushes).
   */
  *run(gather: Task | undefined): CursorGen {
    const play = this.pr.play;
    const flush = (takesCarried: boolean) => ({ flush: true as const, takesCarried });
    const sections: (Task | Block | ReturnType<typeof flush>)[] = [
      ...(gather ? [gather] : []),
      play.preTasks,
      flush(play.preTasks.block.length > 0),
      play.roleTasks,
      play.tasks,
      flush(play.roleTasks.block.length > 0 || play.tasks.block.length > 0),
      play.postTasks,
      flush(true),
    ];
    const forced = this.pr.state.opts.forceHandlers || play.forceHandlers;
    for (let i = 0; i < sections.length; i++) {
      const s = sections[i]!;
      if ('flush' in s) {
        const flow = yield* this.flush([i], s.takesCarried);
        if (flow !== 'ok') return flow;
        continue;
      }
      const flow = s.kind === 'task' ? yield* this.task(s, [i], false) : yield* this.block(s, [i], false);
      if (flow === 'failed' && forced && s !== gather) {
        const j = sections.findIndex((x, k) => k > i && 'flush' in x);
        yield* this.flush([j], true);
        this.forcedFlushDone = true;
      }
      if (flow !== 'ok') return flow;
    }
    return 'ok';
  }

  private *nodes(nodes: TaskNode[], path: number[], rescuable: boolean): CursorGen {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const flow = n.kind === 'task' ? yield* this.task(n, [...path, i], rescuable) : yield* this.block(n, [...path, i], rescuable);
      if (flow !== 'ok') return flow;
    }
    return 'ok';
  }

  private *block(b: Block, path: number[], rescuable: boolean): CursorGen {
    if (b.origin === 'role' && b.role) {
      const flow = yield* this.nodes(b.block, [...path, 0], rescuable);
      // Ansible's implicit role_complete (tagged always) after each copy of a role's tasks.
      if (flow === 'ok' && tagsSelect(new Set(['always']), this.sel) && this.rolesRan.has(roleIdentity(b.role))) this.rolesDone.add(roleIdentity(b.role));
      return flow;
    }
    let flow = yield* this.nodes(b.block, [...path, 0], rescuable || b.rescue.length > 0);
    if (flow === 'failed' && b.rescue.length > 0) {
      const hr = this.pr.host(this.host);
      this.inRescue++;
      try {
        flow = yield* this.nodes(b.rescue, [...path, 1], rescuable);
      } finally {
        this.inRescue--;
      }
      if (flow === 'ok') hr.failed = false;
    }
    if (flow === 'ok' || flow === 'failed') {
      const after = yield* this.nodes(b.always, [...path, 2], rescuable);
      if (after !== 'ok') flow = after;
    }
    return flow;
  }

  private selected(task: Task): boolean {
    if (!taskSelected(task, this.sel)) return false;
    if (this.matchStart && !this.startAt.reached) {
      const name = taskInfo(task).name;
      if (this.matchStart(name) || (task.name !== undefined && this.matchStart(task.name))) this.startAt.reached = true;
      else return false;
    }
    return true;
  }

  /** Ansible's Role.has_run: the task's role already ran and completed on this host, and repeats are not allowed. */
  private roleHasRun(task: Task): boolean {
    if (task.role === undefined || task.isHandler) return false;
    const id = roleIdentity(task.role);
    return !id.allowDuplicates && this.rolesDone.has(id);
  }

  private *task(task: Task, path: number[], rescuable: boolean): CursorGen {
    if (!this.selected(task)) return 'ok';
    // Skipped without a word (no banner, not counted), as Ansible's strategies do.
    if (this.roleHasRun(task)) return 'ok';
    const out: TaskOutcome = yield { task, path };
    return yield* this.settle(task, out, path, rescuable);
  }

  /** Count the outcome, record notifications and failures, and follow includes and meta actions. */
  private *settle(task: Task, out: TaskOutcome, path: number[], rescuable: boolean): CursorGen {
    const hr = this.pr.host(this.host);
    const r = out.result;
    // meta tasks are never counted, even when skipped (Ansible).
    if (!out.silent && task.action !== 'meta') {
      // An include that ran counts ok once per task file it included (per loop item), an
      // include_role not at all (Ansible counts includes when it loads the file, not the task).
      const included = (task.action === 'include_tasks' || task.action === 'include_role') && (r.status === 'ok' || r.status === 'changed');
      if (!included) tally(hr.stats, r, rescuable);
      else if (task.action === 'include_tasks') hr.stats.ok += out.includes?.length ?? 0;
    }
    // Meta tasks do not count (Ansible handles them outside its result processing), nor a run_once copy.
    if (task.role && !out.silent && task.action !== 'meta' && (r.status === 'ok' || r.status === 'changed' || r.status === 'failed')) this.rolesRan.add(roleIdentity(task.role));
    if (out.notify && r.status !== 'failed') this.notify(out.notify);
    if (r.status === 'unreachable' && !r.ignored) {
      hr.unreachable = r.msg ?? 'unreachable';
      return 'unreachable';
    }
    if (r.status === 'failed' && !r.ignored) {
      hr.failed = true;
      if (rescuable) {
        // Ansible exposes the serialized task: an unnamed task has name ''.
        hr.setFacts.ansible_failed_task = { name: task.name ?? '', action: task.action, args: task.args, tags: task.tags, register: task.register };
        hr.setFacts.ansible_failed_result = toRegistered(r);
      }
      return 'failed';
    }
    if (out.includes) {
      for (let i = 0; i < out.includes.length; i++) {
        const flow = yield* this.block(out.includes[i]!, [...path, 3, i], rescuable);
        if (flow !== 'ok') return flow;
      }
    }
    switch (out.meta) {
      case undefined:
      case 'noop':
      case 'refresh_inventory':
        return 'ok';
      case 'flush_handlers':
        return yield* this.flush([...path, FLUSH_PART], true);
      case 'end_host':
        return 'end_host';
      case 'end_play':
        return 'end_play';
      case 'end_batch':
        return 'end_batch';
      case 'clear_host_errors':
        // Every host of the batch, also those that already failed (Ansible): they stay out of
        // this play but take part in the next ones.
        for (const h of new Set([...this.pr.batch, this.host])) this.pr.host(h).failed = false;
        return 'ok';
      case 'clear_facts':
        hr.facts = {};
        return 'ok';
      case 'reset_connection': {
        const conns = [...hr.connections.values()];
        hr.connections.clear();
        for (const c of conns) c.then((x) => x.close()).catch(() => undefined);
        return 'ok';
      }
      default: {
        const never: never = out.meta;
        throw new Error(`unknown meta ${String(never)}`);
      }
    }
  }

  private handlers(): Task[] {
    return [...this.pr.play.handlers, ...this.pr.dynamicHandlers];
  }

  /** Add handlers by name or listen topic. */
  notify(names: string[]): void {
    const handlers = this.handlers();
    for (const n of names) {
      const hits = notifiedBy(n, handlers);
      for (const h of hits) this.notified.add(h);
      if (!hits.length) this.pr.state.reporter.emit({ type: 'warning', host: this.host, message: `notify: no handler named '${n}' (it may come from an include_role that did not run)` });
    }
  }

  /**
   * Run notified handlers in the order they are defined. A handler notified by another handler
   * runs in the same flush (a later pass if it is defined earlier). Carried-over handlers from a
   * failed earlier run join the flush when `takesCarried`; each handler runs at most once per pass.
   * The path depends only on where the flush is, so hosts flushing there run each handler together.
   */
  *flush(path: number[], takesCarried: boolean): CursorGen {
    if (takesCarried && this.carried.length) {
      this.notify(this.carried.filter((n) => this.handlers().some((h) => handlerKeys(h).includes(n))));
      this.carried = [];
    }
    const due = (h: Task) => this.notified.has(h) && !this.failedHandlers.has(h);
    for (let pass = 0; pass < 10 && [...this.notified].some(due); pass++) {
      const handlers = this.handlers();
      for (let i = 0; i < handlers.length; i++) {
        const h = handlers[i]!;
        if (!due(h)) continue;
        const out: TaskOutcome = yield { task: h, path: [...path, pass, i] };
        // Forgotten only once it ran: a walk stopped at the yield (any_errors_fatal) keeps it pending.
        this.notified.delete(h);
        const flow = yield* this.settle(h, out, [...path, pass, i], false);
        if (flow !== 'ok') {
          // The failing handler stays pending so the next run retries it.
          if (flow === 'failed') {
            this.notified.add(h);
            this.failedHandlers.add(h);
          }
          return flow;
        }
      }
    }
    return 'ok';
  }
}

/**
 * The handlers a notification reaches, as Ansible 2.14's strategy finds them: by name only one,
 * the last loaded with that name (groups, i.e. the play's handlers and each role's, searched last
 * first, each from its first handler); by listen topic every listener.
 */
function notifiedBy(n: string, handlers: Task[]): Task[] {
  const groups: Task[][] = [];
  for (const h of handlers) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.role === h.role) last.push(h);
    else groups.push([h]);
  }
  const named = groups
    .reverse()
    .map((g) => g.find((h) => h.name !== undefined && (h.name === n || (h.role !== undefined && `${h.role.name} : ${h.name}` === n))))
    .find((h) => h !== undefined);
  const listeners = handlers.filter((h) => h.listen?.includes(n));
  return named && !listeners.includes(named) ? [named, ...listeners] : listeners;
}

/** The name a pending handler is remembered by: `role : name` for role handlers, else its name or first listen topic. */
export function handlerId(h: Task): string {
  if (h.name) return h.role ? `${h.role.name} : ${h.name}` : h.name;
  return h.listen?.[0] ?? h.actionAsWritten;
}

/** A role instance's identity: the first instance it repeats, or itself. */
function roleIdentity(r: RoleInstance): RoleInstance {
  return r.repeatOf ?? r;
}

/** Compare two positions lexicographically (shorter prefix first). */
export function comparePaths(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
