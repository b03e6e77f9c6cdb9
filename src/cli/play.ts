// `sams play`: flags -> options; load and validate everything; list, check syntax, or run.

import { Command, Option } from 'commander';
import { z } from 'zod';
import { ErrorList, ExitCode, SamsError } from '../errors.js';
import { loadInventory } from '../inventory/read-inventory.js';
import { selectHosts } from '../inventory/host-patterns.js';
import { inventoryLayers } from '../inventory/inventory-layers.js';
import type { Inventory } from '../inventory/model.js';
import type { VaultKeyring } from '../load/yaml.js';
import { loadPlaybook, resolvePlaybookPath } from '../load/playbook.js';
import type { Playbook } from '../load/model.js';
import { loadSettings } from '../settings.js';
import { createTemplar } from '../template/index.js';
import { loadKeyring } from '../vault/password-sources.js';
import { closeConnections, runPlaybook } from '../engine/run-playbook.js';
import { resolveVarsPrompts } from '../engine/vars-prompt.js';
import type { RunState } from '../engine/run-state.js';
import { fanOut } from '../engine/events.js';
import { createLogFileReporter, createReporter } from '../report/index.js';
import { parseExtraVars } from './extra-vars.js';
import { header, listPlaybook } from './list-playbook.js';
import { ExitRequest } from './exit.js';

const collect = (v: string, prev: string[]) => [...prev, v];
const commaList = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** The flags, as commander hands them over, checked into a typed shape. */
const flagsSchema = z.object({
  inventory: z.array(z.string()).default([]),
  limit: z.string().optional(),
  tags: z.array(z.string()).default([]),
  skipTags: z.array(z.string()).default([]),
  extraVars: z.array(z.string()).default([]),
  check: z.boolean().default(false),
  diff: z.boolean().default(false),
  forks: z.coerce.number().int().positive().optional(),
  user: z.string().optional(),
  become: z.boolean().optional(),
  becomeUser: z.string().optional(),
  becomeMethod: z.string().optional(),
  syntaxCheck: z.boolean().default(false),
  listHosts: z.boolean().default(false),
  listTasks: z.boolean().default(false),
  listTags: z.boolean().default(false),
  startAtTask: z.string().optional(),
  verbose: z.number().default(0),
  json: z.boolean().default(false),
  forceHandlers: z.boolean().default(false),
  clearPending: z.boolean().default(false),
  exitCodeOnChange: z.boolean().default(false),
  vaultId: z.array(z.string()).default([]),
  vaultPasswordFile: z.array(z.string()).default([]),
  askVaultPass: z.boolean().default(false),
  showSecrets: z.boolean().default(false),
  logFile: z.string().optional(),
  color: z.boolean().optional(),
});
export type PlayFlags = z.infer<typeof flagsSchema>;

export function registerPlayCommand(program: Command): void {
  program
    .command('play')
    .description('run playbooks (Ansible syntax) on the hosts of an inventory')
    .argument('<playbook...>', 'playbook files; a bare name is also looked up in the project playbooks/ directory')
    .option('-i, --inventory <path>', 'inventory file or directory (repeatable)', collect, [])
    .option('-l, --limit <pattern>', 'further limit the hosts with a pattern')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated, repeatable)', commaList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', commaList, [])
    .option('-e, --extra-vars <vars>', 'k=v, @file.yml or JSON; highest precedence (repeatable)', collect, [])
    .option('-C, --check', 'plan every task without changing anything')
    .option('-D, --diff', 'show the changes made (or that would be made)')
    .option('-f, --forks <n>', 'hosts in parallel (default: all hosts of the play, up to 50)')
    .option('-u, --user <user>', 'connect as this user (below remote_user and ansible_user)')
    .option('-b, --become', 'run tasks with privilege escalation (sudo)')
    .option('--become-user <user>', 'user to become (default root)')
    .option('--become-method <method>', 'sudo or su')
    .option('--syntax-check', 'load and validate the playbooks, then stop')
    .option('--list-hosts', 'list the hosts each play would run on')
    .option('--list-tasks', 'list the tasks that would run')
    .option('--list-tags', 'list the tags of the tasks that would run')
    .option('--start-at-task <name>', 'start at the first task with this name (glob)')
    .option('-v, --verbose', 'more detail (repeat up to -vvvv)', (_v: string, prev: number) => prev + 1, 0)
    .option('--json', 'write a stream of JSON lines instead of text')
    .option('--force-handlers', 'run notified handlers even on hosts that failed')
    .option('--clear-pending', 'discard handlers kept from an earlier failed run instead of running them')
    .option('--exit-code-on-change', 'with --check: exit 3 when something would change (drift detection)')
    .option('--vault-id <id>', 'vault password source, label@file or label@prompt (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file or executable (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .option('--show-secrets', 'allow diffs of vault content on tasks that set diff: true')
    .option('--log-file <file>', 'also write plain output to this file')
    .addOption(new Option('--no-color', 'no colours even on a terminal'))
    .action(async (playbooks: string[], raw: Record<string, unknown>) => {
      const parsed = flagsSchema.safeParse({ ...raw, color: raw.color === false ? false : undefined });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const flag = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new SamsError(`${flag}: ${issue.path[0] === 'forks' ? 'expected a whole number of hosts above 0' : issue.message}`, { hint: 'sams play --help lists the options' });
      }
      const flags = parsed.data;
      const code = await play(playbooks, flags);
      if (code !== 0) throw new ExitRequest(code);
    });
}

function preflightVarsFiles(pb: Playbook, inventory: Inventory, root: string, keyring: VaultKeyring | undefined, limit: string | undefined): void {
  const seen = new Set<string>();
  for (const play of pb.plays) {
    const pattern = Array.isArray(play.hosts) ? play.hosts.map(String) : String(play.hosts);
    if (typeof pattern === 'string' && /\{\{|\{%/.test(pattern)) continue;
    for (const h of selectHosts(inventory, pattern, { loc: play.loc, limit })) {
      const key = `${play.dir}|${h}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inventoryLayers(inventory, h, { playbookDir: play.dir, projectRoot: root, keyring });
    }
  }
}

/** Everything `sams play` does; returns the exit code. */
export async function play(playbookNames: string[], flags: PlayFlags): Promise<number> {
  const settings = loadSettings();
  const keyring = await loadKeyring({
    vaultIds: [...flags.vaultId, ...settings.vaultIds],
    vaultPasswordFiles: flags.vaultPasswordFile,
    askVaultPass: flags.askVaultPass,
  });
  const extraVars = parseExtraVars(flags.extraVars, keyring);
  const templar = createTemplar({ keyring });
  const loadOptions = { root: settings.root, rolesPath: settings.rolesPath, keyring, extraVars, templar };

  // Load every playbook before reporting, so all problems show at once.
  const errors = new ErrorList();
  const books: Playbook[] = [];
  for (const name of playbookNames) {
    const pb = errors.collect(() => loadPlaybook(resolvePlaybookPath(name, settings.root), loadOptions));
    if (pb) books.push(pb);
  }
  const inventory = errors.collect(() => loadInventory(flags.inventory.length ? flags.inventory : settings.inventory, { keyring }));
  errors.throwIfAny();
  // As ansible-playbook: a --limit that leaves no host (a typo in a cron line) is an error, not an empty run.
  if (flags.limit !== undefined && selectHosts(inventory!, 'all', { limit: flags.limit }).length === 0) {
    throw new SamsError(`--limit ${flags.limit} leaves no host of the inventory to run on`, { hint: 'check the name with: sams inventory --graph' });
  }
  const sel = { only: flags.tags, skip: flags.skipTags };
  const out = (lines: string[]) => process.stdout.write(lines.join('\n') + '\n');

  // As ansible-playbook: --syntax-check prints only each playbook's name, even with a listing asked.
  if (flags.syntaxCheck || flags.listHosts || flags.listTasks || flags.listTags) {
    for (const pb of books) {
      if (flags.syntaxCheck) out(header(pb));
      else out(listPlaybook(pb, { inventory: inventory!, templar, extraVars, limit: flags.limit, sel }, { hosts: flags.listHosts, tasks: flags.listTasks, tags: flags.listTags }));
    }
    return ExitCode.ok;
  }
  // Read every group_vars/host_vars file the plays will use now, so a broken or wrongly
  // encrypted one stops the run before anything connects.
  for (const pb of books) errors.collect(() => preflightVarsFiles(pb, inventory!, settings.root, keyring, flags.limit));
  errors.throwIfAny();
  if (flags.exitCodeOnChange && !flags.check) {
    throw new SamsError('--exit-code-on-change only makes sense with --check', { hint: 'add --check (-C)' });
  }

  const tty = process.stdout.isTTY === true;
  const screen = createReporter({
    format: flags.json ? 'json' : tty ? 'tty' : 'plain',
    out: process.stdout,
    err: process.stderr,
    verbosity: flags.verbose,
    diff: flags.diff,
    check: flags.check,
    color: flags.color ?? (tty && !flags.json),
    cwd: process.cwd(),
  });
  const logFile = flags.logFile ?? settings.logFile;
  const reporter = logFile ? fanOut(screen, createLogFileReporter(logFile, { verbosity: flags.verbose, diff: flags.diff, check: flags.check, cwd: process.cwd() })) : screen;

  let exitCode: number = ExitCode.ok;
  for (const pb of books) {
    const prompts = await resolveVarsPrompts(pb, extraVars);
    const state: RunState = {
      opts: {
        check: flags.check,
        diff: flags.diff,
        forks: flags.forks ?? settings.forks,
        limit: flags.limit,
        tags: flags.tags,
        skipTags: flags.skipTags,
        extraVars,
        startAtTask: flags.startAtTask,
        verbosity: flags.verbose,
        become: flags.become,
        becomeUser: flags.becomeUser,
        becomeMethod: flags.becomeMethod,
        user: flags.user ?? settings.remoteUser,
        forceHandlers: flags.forceHandlers,
        clearPending: flags.clearPending,
        showSecrets: flags.showSecrets,
      },
      settings,
      inventory: inventory!,
      templar,
      keyring,
      reporter,
      loadOptions,
      hosts: new Map(),
      timings: [],
      changed: false,
      playbookFile: pb.file,
    };
    try {
      const summary = await runPlaybook(pb, state, prompts);
      if (summary.exitCode > exitCode) exitCode = summary.exitCode;
      if (flags.exitCodeOnChange && summary.changed && exitCode === ExitCode.ok) exitCode = ExitCode.changed;
    } finally {
      await closeConnections(state);
    }
    if (exitCode !== ExitCode.ok && exitCode !== ExitCode.changed) break;
  }
  await reporter.close?.();
  return exitCode;
}
