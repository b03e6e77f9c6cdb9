// The module contract: a module declares its arguments (zod), reads state (probe), decides what
// would change (plan, pure), and leaves applying its steps to the engine.

import type { z } from 'zod';
import type { SourceLoc } from '../errors.js';
import type { Secret } from '../secret.js';
import type { ShellCommand } from '../shell/quote.js';
import type { Templar, Vars } from '../template/types.js';
import type { ExecOptions, ExecResult } from '../transport/types.js';

/** A file on the control node, streamed to the host instead of read into memory (large copies). */
export class LocalFile {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {}
}

/** A before/after pair for --diff. File diffs are built by the engine from write steps. */
export type Diff =
  | { target: string; before: string; after: string; /** The registered after_header when not target (cron's removed file: /dev/null). */ afterTarget?: string }
  | { target: string; skipped: 'binary' | 'too large' | 'secret'; summary?: string };

/** One change a module asks the engine to make. */
export type Step =
  | {
      kind: 'run';
      cmd: ShellCommand;
      stdin?: string | Buffer | Secret;
      cwd?: string;
      timeoutMs?: number;
      /** Return codes that count as success (default [0]). */
      okRc?: number[];
      /** Put this command's rc/stdout/stderr into the task result (command, shell). */
      report?: boolean;
    }
  | {
      kind: 'write';
      path: string;
      content: string | Buffer | Secret | LocalFile;
      mode?: string;
      owner?: string;
      group?: string;
      /** Command run on the temp file before the rename; `%s` is its path. Non-zero rc fails the task, target untouched. */
      validate?: string;
      /** Keep a timestamped copy of the old file (Ansible's name: PATH.PID.YYYY-MM-DD@HH:MM:SS~). */
      backup?: boolean;
      /** Result key for the backup's path: Ansible's copy/template say backup_file, lineinfile & co. backup. */
      backupKey?: 'backup_file' | 'backup';
      /** Current content (null: file absent), for --diff. Undefined when the module did not read it. */
      before?: string | Buffer | null;
      /** The diff's header when it is not the path (lineinfile/blockinfile: 'PATH (content)'). */
      diffTarget?: string;
    }
  | {
      /** For changes that are neither a command nor a file (sql through pg). */
      kind: 'custom';
      describe: string;
      apply(env: TaskEnv): Promise<StepOutcome>;
    };

export interface StepOutcome {
  ok: boolean;
  /** False when the step turned out to change nothing (a command that could not start). Default true. */
  changed?: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  data?: Record<string, unknown>;
}

/**
 * The `diff` value Ansible's module returns whether or not --diff is on (file: a dict of
 * before/after dicts; lineinfile: a content and an attributes entry; copy: [] for new content).
 * It holds no file content: the engine puts the --diff entries (masked as shown) into it, see
 * registeredDiff() in engine/result.ts.
 */
export type RegisteredDiff = Record<string, unknown> | Record<string, unknown>[];

/** What a module decided, before anything is applied. Pure data. */
export type Plan =
  | { kind: 'ok'; note?: string; data?: Record<string, unknown>; registeredDiff?: RegisteredDiff }
  | { kind: 'change'; steps: Step[]; note?: string; diff?: Diff[]; data?: Record<string, unknown>; registeredDiff?: RegisteredDiff }
  | { kind: 'fail'; msg: string; hint?: string; data?: Record<string, unknown> }
  | { kind: 'skip'; reason: string; data?: Record<string, unknown> };

/** The outcome of a module that runs on the control node (debug, set_fact, assert...). */
export interface ModuleOutcome {
  status: 'ok' | 'changed' | 'failed' | 'skipped';
  msg?: string;
  hint?: string;
  /** Keys merged into the registered result (Ansible's module return values). */
  data?: Record<string, unknown>;
  /** set_fact: variables to set on the host (set_fact/registered layer). */
  facts?: Record<string, unknown>;
  /** Which variable layer `facts` go to (default set_fact; include_vars for include_vars). */
  factsLayer?: 'set_fact' | 'include_vars';
  diff?: Diff[];
}

/** Commands on the task's host, with the task's become, environment and connection applied. */
export interface Remote {
  exec(cmd: ShellCommand | string, opts?: Omit<ExecOptions, 'become' | 'env'> & { env?: Record<string, string> }): Promise<ExecResult>;
  get(path: string): Promise<Buffer>;
}

/** What a module sees of the run. Handed in explicitly: there is no global host. */
export interface TaskEnv {
  /** Inventory hostname. */
  host: string;
  check: boolean;
  diff: boolean;
  remote: Remote;
  vars: Vars;
  templar: Templar;
  /** The task's location, for errors. */
  loc?: SourceLoc;
  /**
   * Find a file on the control node the way Ansible does for `src`: role `files/` or `templates/`
   * (then the role's own dir), then the playbook dir; an absolute path as is. Throws a SamsError.
   */
  findFile(kind: 'files' | 'templates' | 'vars' | 'tasks', name: string): string;
  /** The run's vault keyring, if any (for modules that read vaulted files themselves). */
  keyring?: import('../load/yaml.js').VaultKeyring;
  /** Read a control-node file; a vault-encrypted file is decrypted in memory and comes back a Secret. */
  readLocalFile(path: string): Buffer | Secret;
  warn(msg: string): void;
  /** Verbose detail, shown at -v levels >= level. */
  debug(level: number, msg: string): void;
}

/** Context for plan(): everything it may read besides args and state. No I/O. */
export interface PlanEnv {
  host: string;
  check: boolean;
  diff: boolean;
}

interface ModuleBase<A> {
  /** Short name as written in tasks. */
  name: string;
  /** Other names that resolve to this module (ansible.builtin.NAME is added automatically). */
  aliases?: string[];
  /** One line for docs and `sams modules`. */
  summary: string;
  /** Argument schema; `.strict()` so an unknown argument is a load-time error. */
  args: z.ZodType<A>;
  /** Name of the argument that takes free-form text (`command: ls -l` -> args[freeForm]). */
  freeForm?: string;
  /**
   * Check-mode stance: 'plan' means plan() predicts exactly what apply does; a function returns
   * the reason the module cannot predict for these args (reported as skipped), or undefined.
   */
  check: 'plan' | ((args: A) => string | undefined);
  /** What Ansible registers when the module is skipped in check mode, when more than the reason (command, shell). */
  checkSkipped?: (args: A) => CheckSkippedResult;
}

/** A registered result of a module skipped in check mode (merged over the engine's skipped result). */
export interface CheckSkippedResult {
  msg: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  data?: Record<string, unknown>;
}

/** Reads the host, plans, and lets the engine apply. */
export interface TargetModule<A = any, S = any> extends ModuleBase<A> {
  where: 'target';
  probe(env: TaskEnv, args: A): Promise<S>;
  plan(args: A, state: S, env: PlanEnv): Plan;
}

/** Runs on the control node with the task's variables (debug, set_fact, assert, fail, pause...). */
export interface ControllerModule<A = any> extends ModuleBase<A> {
  where: 'controller';
  run(env: TaskEnv, args: A): Promise<ModuleOutcome> | ModuleOutcome;
}

export type ModuleDef<A = any, S = any> = TargetModule<A, S> | ControllerModule<A>;

export function defineModule<A, S>(m: TargetModule<A, S>): TargetModule<A, S>;
export function defineModule<A>(m: ControllerModule<A>): ControllerModule<A>;
export function defineModule(m: ModuleDef): ModuleDef {
  return m;
}
