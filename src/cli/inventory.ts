// `sams inventory`: show the inventory as ansible-inventory does (--list, --graph, --host), and
// explain where a host variable's value comes from (--host NAME --explain VAR).

import { relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { SamsError } from '../errors.js';
import {
  ansibleJson,
  inventoryHostVars,
  inventoryGraph,
  inventoryLayers,
  inventoryListJson,
  loadInventory,
  selectHosts,
  type Inventory,
  type InventoryLayerOptions,
} from '../inventory/index.js';
import { redact } from '../secret.js';
import { loadSettings } from '../settings.js';
import { explainVar, type VarLayer } from '../vars/layers.js';
import { loadKeyring } from '../vault/password-sources.js';

interface InventoryFlags {
  inventory?: string[];
  playbookDir?: string;
  list?: boolean;
  graph?: boolean | string;
  host?: string;
  explain?: string;
  vars?: boolean;
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerInventoryCommand(program: Command): void {
  program
    .command('inventory')
    .description('show the inventory as ansible-inventory does: groups, hosts and their merged variables')
    .option('-i, --inventory <path>', 'an inventory file, directory or host list (repeatable; default: the inventory setting)', collect)
    .option('--playbook-dir <dir>', "also read group_vars/ and host_vars/ beside this playbook directory")
    .option('--list', 'all groups and hosts with their variables, as JSON')
    .option('--graph [group]', 'the group tree from GROUP (default all)')
    .option('--host <name>', "one host's merged variables, as JSON")
    .option('--explain <var>', 'with --host: which file gives VAR its value, and what it overrides')
    .option('--vars', 'with --graph: show variables too')
    .option('--vault-id <label@source>', 'a vault password with its label (repeatable)', collect)
    .option('--vault-password-file <file>', 'a file holding the vault password, or a script printing it (repeatable)', collect)
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .addOption(new Option('--ask-vault-password').hideHelp())
    .action(async (flags: InventoryFlags & { askVaultPassword?: boolean }) => {
      const actions = [flags.list, flags.graph, flags.host].filter((x) => x !== undefined && x !== false).length;
      if (actions !== 1) {
        throw new SamsError(actions === 0 ? 'say what to show: --list, --graph or --host NAME' : 'use only one of --list, --graph and --host');
      }
      if (flags.explain !== undefined && flags.host === undefined) throw new SamsError('--explain VAR needs --host NAME');

      const cwd = process.cwd();
      const settings = loadSettings(cwd);
      const keyring = await loadKeyring({
        vaultIds: [...(flags.vaultId ?? []), ...(flags.vaultPasswordFile ?? []).map((f) => `default@${f}`), ...settings.vaultIds],
        askVaultPass: flags.askVaultPass === true || flags.askVaultPassword === true,
        cwd,
        warn,
      });
      const paths = flags.inventory?.length ? flags.inventory.map((p) => (p.includes(',') ? p : resolve(cwd, p))) : settings.inventory;
      const inv = loadInventory(paths, { keyring, cwd });
      for (const w of inv.warnings) warn(w);
      const layerOpts: InventoryLayerOptions = {
        keyring,
        projectRoot: settings.root,
        playbookDir: flags.playbookDir !== undefined ? resolve(cwd, flags.playbookDir) : undefined,
      };

      let out: string;
      if (flags.list) {
        out = ansibleJson(inventoryListJson(inv, layerOpts));
      } else if (flags.graph !== undefined && flags.graph !== false) {
        const group = typeof flags.graph === 'string' ? flags.graph : 'all';
        if (!inv.groups.has(group)) throw new SamsError(`--graph needs a group name; there is no group ${group}`, { hint: `groups: ${[...inv.groups.keys()].join(', ')}` });
        out = inventoryGraph(inv, group, { ...layerOpts, vars: flags.vars === true }).join('\n');
      } else {
        const host = singleHost(inv, flags.host!);
        out = flags.explain !== undefined ? explainText(host, flags.explain, inventoryLayers(inv, host, layerOpts), cwd) : ansibleJson(inventoryHostVars(inv, host, layerOpts));
      }
      process.stdout.write(redact(out) + '\n');
    });
}

function warn(message: string): void {
  process.stderr.write(redact(`sams: warning: ${message}`) + '\n');
}

function singleHost(inv: Inventory, name: string): string {
  const hosts = selectHosts(inv, name);
  if (hosts.length !== 1) {
    throw new SamsError(hosts.length === 0 ? `no host matches ${name}` : `--host needs a single host; ${name} matches ${hosts.length}: ${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ', ...' : ''}`, {
      hint: 'give one host name as it is written in the inventory',
    });
  }
  return hosts[0]!;
}

/** Which layer gives VAR its value, and the lower layers it overrides. */
function explainText(host: string, name: string, layers: VarLayer[], cwd: string): string {
  const ex = explainVar(layers, name);
  const show = (p: string) => p.replace(/(^|\s)(\/\S+)/g, (_m, pre: string, path: string) => {
    const rel = relative(cwd, path);
    return pre + (rel && !rel.startsWith('..') ? rel : path);
  });
  if (!ex.winner) return `${host}: ${name} is not set by the inventory (${layers.length} layers checked)`;
  const lines = [`${host}: ${name} = ${showValue(ex.winner.value)}`, `  from ${ex.winner.layer.kind}: ${show(ex.winner.layer.source)}`];
  if (ex.overridden.length) {
    lines.push('  overriding:');
    for (const o of ex.overridden) lines.push(`    ${showValue(o.value)} from ${o.layer.kind}: ${show(o.layer.source)}`);
  }
  return lines.join('\n');
}

function showValue(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}
