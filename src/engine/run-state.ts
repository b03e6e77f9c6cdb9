// State that lives for a whole `sams play` run: options, the inventory, per-host facts and
// counters, connections, and the event sink.

import type { Inventory } from '../inventory/model.js';
import type { LoadOptions } from '../load/context.js';
import type { VaultKeyring } from '../load/yaml.js';
import type { Settings } from '../settings.js';
import type { Templar } from '../template/types.js';
import type { Connection } from '../transport/types.js';
import type { Reporter } from './events.js';
import { emptyStats, type HostStats } from './result.js';

export interface RunOptions {
  check: boolean;
  diff: boolean;
  /** Parallel hosts; default: all hosts of the play up to 50. */
  forks?: number;
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  startAtTask?: string;
  verbosity: number;
  /** -b / --become and friends (defaults below play and task keywords and variables). */
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  /** -u */
  user?: string;
  forceHandlers: boolean;
  /** Discard pending handlers kept from earlier failed runs instead of running them. */
  clearPending: boolean;
  /** --show-secrets: allow diffs of vault content on tasks that set diff: true explicitly. */
  showSecrets: boolean;
}

/** One inventory host across the whole run (facts and registered values outlive plays). */
export class HostRun {
  readonly stats: HostStats = emptyStats();
  /** The 'host facts' layer: ansible_facts and the ansible_* names injected from it. */
  facts: Record<string, unknown> = {};
  /** The 'set_fact / registered' layer. */
  setFacts: Record<string, unknown> = {};
  /** The 'include_vars' layer. */
  includeVars: Record<string, unknown> = {};
  /** Set once the host could not be reached; it takes no part in later plays. */
  unreachable?: string;
  /** Set when the host takes part in a play (delegation targets alone do not appear in the recap). */
  inPlay = false;
  /** Set once a task failed on it (not rescued, not ignored); it takes no part in later plays. */
  failed = false;
  /** Connections by spec key (one per host normally; another for a different remote_user). */
  readonly connections = new Map<string, Promise<Connection>>();
  constructor(readonly name: string) {}
}

export interface RunState {
  readonly opts: RunOptions;
  readonly settings: Settings;
  readonly inventory: Inventory;
  readonly templar: Templar;
  readonly keyring?: VaultKeyring;
  readonly reporter: Reporter;
  readonly loadOptions: LoadOptions;
  readonly hosts: Map<string, HostRun>;
  /** For the recap: every task's duration per host, slowest first at the end. */
  readonly timings: { task: string; host: string; elapsedMs: number }[];
  /** Set when a task changed (or would change, in check mode) anything: for --exit-code-on-change. */
  changed: boolean;
  /** The playbook file (pending-handler state is kept per playbook). */
  readonly playbookFile: string;
}

export function hostRun(state: RunState, name: string): HostRun {
  let h = state.hosts.get(name);
  if (!h) state.hosts.set(name, (h = new HostRun(name)));
  return h;
}
