// One play on one batch of hosts: the variable layers of each host (Ansible's precedence), the
// magic variables, and connections.

import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SamsError } from '../errors.js';
import { groupNames, groupsVar, inventoryHostnameShort, isImplicitLocalhost } from '../inventory/groups.js';
import { inventoryLayers } from '../inventory/inventory-layers.js';
import { publicRoles, type Block, type Play, type RoleInstance, type Task } from '../load/model.js';
import { readVarsFile } from '../load/vars-file.js';
import { toBool } from '../modules/lib/args.js';
import type { VarLayer } from '../vars/layers.js';
import { VarScope, type MagicVars } from '../vars/scope.js';
import { connect } from '../transport/connect.js';
import { resolveConnectSpec } from '../transport/resolve-spec.js';
import { UnreachableError, type Connection } from '../transport/types.js';
import { blockVars, effectiveKeyword } from './select.js';
import { hostRun, type HostRun, type RunState } from './run-state.js';

const ANSIBLE_VERSION = { full: '2.14.0', major: 2, minor: 14, revision: 0, string: '2.14.0 (sams)' };

/** The role and the roles it is a dependency of, outermost first. */
function roleChain(role: RoleInstance | undefined): RoleInstance[] {
  const chain: RoleInstance[] = [];
  for (let r = role; r; r = r.parentRole) chain.unshift(r);
  return chain;
}

function roleLayer(kind: 'role defaults' | 'role vars' | 'role params', r: RoleInstance): VarLayer {
  const vars = kind === 'role defaults' ? r.defaults : kind === 'role vars' ? r.vars : r.params;
  const source = kind === 'role defaults' ? (r.defaultsSource ?? `role ${r.name} defaults`) : kind === 'role vars' ? (r.varsSource ?? `role ${r.name} vars`) : `role ${r.name} entry (${r.loc.file}:${r.loc.line})`;
  return { kind, source, vars };
}

export class PlayRun {
  /** Hosts of the play (all batches) and of this batch. */
  readonly playHosts: string[];
  readonly batch: string[];
  /** vars_prompt answers (same for every host). */
  readonly promptVars: Record<string, unknown>;
  private readonly invLayers = new Map<string, VarLayer[]>();
  private readonly varsFiles = new Map<string, VarLayer[]>();
  private readonly playScopes = new Map<string, VarScope>();
  private readonly roles: RoleInstance[];
  private groupsCache?: Record<string, string[]>;
  private readonly includeCache = new Map<string, Block>();
  /**
   * The `vars:` of the include_tasks / include_role task behind each block it included: Ansible's
   * include params, above set_fact and role params for every task of the included file or role.
   */
  readonly includeParams = new WeakMap<Block, Record<string, unknown>>();
  /** Handlers of roles brought in by include_role at run time. */
  readonly dynamicHandlers: Task[] = [];
  readonly hostvarsProxy: Record<string, unknown>;

  constructor(
    readonly state: RunState,
    readonly play: Play,
    playHosts: string[],
    batch: string[],
    promptVars: Record<string, unknown>,
    /** Hosts of the batch that failed or were unreachable in an earlier play: they do not run this play. */
    readonly outBefore: ReadonlySet<string> = new Set(),
  ) {
    this.playHosts = playHosts;
    this.batch = batch;
    this.promptVars = promptVars;
    this.roles = publicRoles(play);
    const self = this;
    const names = () => [...new Set([...state.inventory.hosts.keys(), ...playHosts])];
    this.hostvarsProxy = new Proxy(Object.create(null) as Record<string, unknown>, {
      get: (_t, k) => (typeof k === 'string' && (state.inventory.hosts.has(k) || playHosts.includes(k)) ? self.playScope(k).proxy : undefined),
      has: (_t, k) => typeof k === 'string' && (state.inventory.hosts.has(k) || playHosts.includes(k)),
      ownKeys: () => names(),
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === 'string' && names().includes(k) ? { enumerable: true, configurable: true, value: self.playScope(k).proxy } : undefined,
    });
  }

  /** Included task blocks, shared by hosts that include the same file with the same values (so they run together). */
  cachedInclude(key: string, load: () => Block): Block {
    let b = this.includeCache.get(key);
    if (!b) this.includeCache.set(key, (b = load()));
    return b;
  }

  addDynamicHandlers(handlers: Task[]): void {
    for (const h of handlers) if (!this.dynamicHandlers.includes(h)) this.dynamicHandlers.push(h);
  }

  host(name: string): HostRun {
    return hostRun(this.state, name);
  }

  /** Hosts still in the play (not failed, not unreachable). */
  activeHosts(list: string[] = this.playHosts): string[] {
    return list.filter((h) => {
      const r = this.state.hosts.get(h);
      return !this.outBefore.has(h) && (!r || (!r.failed && !r.unreachable));
    });
  }

  private inventoryLayersFor(host: string): VarLayer[] {
    let l = this.invLayers.get(host);
    if (!l) {
      l = inventoryLayers(this.state.inventory, host, { playbookDir: this.play.dir, projectRoot: this.state.settings.root, keyring: this.state.keyring });
      if (isImplicitLocalhost(this.state.inventory, host) && !l.some((x) => 'ansible_connection' in x.vars)) {
        l = [{ kind: 'inventory file host vars', source: 'implicit localhost', vars: { ansible_connection: 'local' } }, ...l];
      }
      this.invLayers.set(host, l);
    }
    return l;
  }

  /** vars_files for a host: names may use inventory vars; a list entry means the first that exists. */
  private varsFilesFor(host: string): VarLayer[] {
    let l = this.varsFiles.get(host);
    if (l) return l;
    l = [];
    this.varsFiles.set(host, l);
    const base = this.baseScope(host, []);
    for (const entry of this.play.varsFiles) {
      const names = Array.isArray(entry.value) ? entry.value : [entry.value];
      const tried: string[] = [];
      let found: string | undefined;
      for (const n of names) {
        const rendered = String(base.render(n, 'vars_files entry', entry.loc));
        const p = isAbsolute(rendered) ? rendered : join(this.play.dir, rendered);
        tried.push(p);
        if (existsSync(p)) {
          found = p;
          break;
        }
      }
      if (!found) {
        throw new SamsError(`vars_files: ${tried.length > 1 ? 'none of ' + tried.join(', ') + ' exists' : `${tried[0]} not found`}`, { loc: entry.loc, host });
      }
      l.push({ kind: 'play vars_files', source: found, vars: readVarsFile(found, { keyring: this.state.keyring, loc: entry.loc }) });
    }
    return l;
  }

  /**
   * Every layer for `host` (and `task`, if given), lowest first, as Ansible's VariableManager
   * stacks them. `overlays` are added at their own kinds (loop item vars go as task vars).
   */
  layers(host: string, task?: Task, withVarsFiles = true): VarLayer[] {
    const hr = this.host(host);
    const L: VarLayer[] = [];
    for (const r of this.roles) L.push(roleLayer('role defaults', r));
    for (const r of roleChain(task?.role)) if (!this.roles.includes(r.repeatOf ?? r)) L.push(roleLayer('role defaults', r));
    if (task?.role) L.push(roleLayer('role defaults', task.role)); // the task's own role sees its defaults above others'
    L.push(...this.inventoryLayersFor(host));
    L.push({ kind: 'host facts', source: 'gathered facts', vars: hr.facts });
    L.push({ kind: 'play vars', source: `play '${this.play.name}' (${this.play.loc.file}:${this.play.loc.line})`, vars: this.play.vars });
    L.push({ kind: 'play vars_prompt', source: 'vars_prompt', vars: this.promptVars });
    if (withVarsFiles) L.push(...this.varsFilesFor(host));
    for (const r of this.roles) L.push(roleLayer('role vars', r));
    for (const r of roleChain(task?.role)) L.push(roleLayer('role vars', r));
    if (task) {
      for (const v of blockVars(task)) L.push({ kind: 'block vars', source: 'block vars', vars: v });
      L.push({ kind: 'task vars', source: `task at ${task.loc.file}:${task.loc.line}`, vars: task.vars });
    }
    L.push({ kind: 'include_vars', source: 'include_vars', vars: hr.includeVars });
    L.push({ kind: 'set_fact / registered', source: 'set_fact / register', vars: hr.setFacts });
    for (const r of roleChain(task?.role)) L.push(roleLayer('role params', r));
    if (task) L.push(...this.includeParamLayers(task));
    L.push({ kind: 'extra vars', source: '-e', vars: this.state.opts.extraVars });
    return L;
  }

  /** Include params of the includes around a task, outermost first (an inner include wins). */
  private includeParamLayers(task: Task): VarLayer[] {
    const out: VarLayer[] = [];
    for (let b: Block | undefined = task.parent; b; b = b.parent) {
      const params = this.includeParams.get(b);
      if (params && Object.keys(params).length) out.unshift({ kind: 'include params', source: `include at ${b.loc.file}:${b.loc.line}`, vars: params });
    }
    return out;
  }

  private baseScope(host: string, extra: VarLayer[]): VarScope {
    const L = this.layers(host, undefined, false);
    return new VarScope([...L, ...extra].map((l) => l.vars), this.state.templar, this.magic(host, undefined), { host, loc: this.play.loc });
  }

  /** Play-level scope of a host (what hostvars[host] shows). */
  playScope(host: string): VarScope {
    let s = this.playScopes.get(host);
    if (!s) {
      s = new VarScope(this.layers(host).map((l) => l.vars), this.state.templar, this.magic(host, undefined), { host, loc: this.play.loc });
      this.playScopes.set(host, s);
    }
    return s;
  }

  /** The scope a task sees on a host; overlays (loop vars, registered result) go on top. */
  taskScope(host: string, task: Task, overlays: Record<string, unknown>[] = []): VarScope {
    const layers = this.layers(host, task);
    // Loop variables sit with the task vars, below set_fact and extra vars.
    const at = layers.findIndex((l) => l.kind === 'include_vars');
    const L = layers.map((l) => l.vars);
    const merged = [...L.slice(0, at), ...overlays, ...L.slice(at)];
    return new VarScope(merged, this.state.templar, this.magic(host, task), { host, loc: task.loc });
  }

  /** Magic variables for a host (and task). */
  magic(host: string, task: Task | undefined): MagicVars {
    const st = this.state;
    return (name) => {
      switch (name) {
        case 'inventory_hostname':
          return { value: host };
        case 'inventory_hostname_short':
          return { value: inventoryHostnameShort(host) };
        case 'group_names':
          return { value: groupNames(st.inventory, host) };
        case 'groups':
          return { value: (this.groupsCache ??= groupsVar(st.inventory)) };
        case 'hostvars':
          return { value: this.hostvarsProxy };
        case 'playbook_dir':
          return { value: this.play.dir };
        case 'role_path':
          return task?.role ? { value: task.role.path } : undefined;
        case 'role_name':
          return task?.role ? { value: task.role.name } : undefined;
        case 'role_names':
        case 'ansible_role_names':
        case 'ansible_play_role_names':
          return { value: this.roles.map((r) => r.name) };
        case 'ansible_parent_role_names':
          return task?.role?.parentRole ? { value: roleChain(task.role.parentRole).reverse().map((r) => r.name) } : undefined;
        case 'ansible_check_mode':
          // The run's --check, even inside a check_mode: false task (as Ansible reports it).
          return { value: st.opts.check };
        case 'ansible_diff_mode':
          return { value: st.opts.diff };
        case 'ansible_play_hosts':
          return { value: this.activeHosts() };
        case 'ansible_play_hosts_all':
          return { value: [...this.playHosts] };
        case 'ansible_play_batch':
        case 'play_hosts':
          return { value: this.activeHosts(this.batch) };
        case 'ansible_play_name':
          return { value: this.play.name };
        case 'ansible_version':
          return { value: ANSIBLE_VERSION };
        case 'ansible_run_tags':
          return { value: st.opts.tags.length ? st.opts.tags : ['all'] };
        case 'ansible_skip_tags':
          return { value: st.opts.skipTags };
        case 'ansible_verbosity':
          return { value: st.opts.verbosity };
        case 'ansible_forks':
          return { value: this.forks() };
        case 'ansible_config_file':
          return st.settings.file ? { value: st.settings.file } : undefined;
        case 'inventory_file': {
          const h = st.inventory.hosts.get(host);
          return h ? { value: h.file } : undefined;
        }
        case 'inventory_dir': {
          const h = st.inventory.hosts.get(host);
          return h ? { value: h.file.replace(/\/[^/]*$/, '') } : undefined;
        }
        case 'omit':
          return { value: st.templar.omitToken };
        default:
          return undefined;
      }
    };
  }

  forks(): number {
    return this.state.opts.forks ?? Math.min(Math.max(this.batch.length, 1), 50);
  }

  /** check_mode keyword (rendered) wins over --check. */
  checkMode(task: Task, scope?: VarScope): boolean {
    const kw = effectiveKeyword(task, 'check_mode');
    if (kw === undefined || kw === null) return this.state.opts.check;
    const v = scope ? scope.render(kw, 'check_mode') : kw;
    return toBool(v) ?? this.state.opts.check;
  }

  /**
   * The connection for `target` (the host itself or a delegate), opened on first use and reused.
   * Connection variables are the target's own (hostvars[target]), as Ansible uses them.
   */
  connection(target: string, kw: { remoteUser?: string; connection?: string; port?: string } = {}): Promise<Connection> {
    const hr = this.host(target);
    const scope = this.playScope(target);
    const vars: Record<string, unknown> = {};
    for (const name of scope.names()) {
      if (/^(ansible|sams)_(host|port|user|ssh_|private_key_file|password|connection|become_pass|become_password|timeout|host_key_checking|ssh_host|ssh_port|ssh_user)/.test(name)) {
        vars[name] = scope.get(name);
      }
    }
    // The connection and port keywords apply where no variable sets them (variables win, as in Ansible).
    const unset = (k: string) => vars[`ansible_${k}`] === undefined && vars[`sams_${k}`] === undefined;
    if (kw.connection && unset('connection')) vars.ansible_connection = kw.connection;
    if (kw.port && unset('port')) vars.ansible_port = kw.port;
    const spec = resolveConnectSpec(target, vars, { ...this.state.settings }, { user: this.state.opts.user, remoteUser: kw.remoteUser });
    const key = `${spec.connection}|${spec.user ?? ''}@${spec.host}:${spec.port ?? ''}`;
    let c = hr.connections.get(key);
    if (!c) {
      if (spec.ignoredSshArgs?.length) {
        this.state.reporter.emit({
          type: 'warning',
          host: target,
          message: `ignored ssh option(s) ${spec.ignoredSshArgs.join(' ')}: sams does not use them (see README, "Where sams differs")`,
        });
      }
      // A changed host key accepted with host key checking off is said in the run's output.
      spec.onWarning = (message) => this.state.reporter.emit({ type: 'warning', host: target, message });
      c = connect(spec);
      // Keep the rejection observed so an unused failed connection does not crash the process.
      c.catch(() => undefined);
      hr.connections.set(key, c);
    }
    return c;
  }
}

export { UnreachableError };
