// Reading inventory sources (-i): files (INI or YAML, as Ansible tells them apart), directories of
// them (Ansible's ignore rules), `a,b,` host lists; several sources merge into one Inventory.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { SamsError } from '../errors.js';
import { isVaultText } from '../load/vars-file.js';
import { parseYaml, readTextFile, rememberSource, type VaultKeyring } from '../load/yaml.js';
import { parseAddress } from './host-range.js';
import { parseIniInventory } from './ini-inventory.js';
import { InventoryBuilder, type Inventory } from './model.js';
import { parseYamlInventory } from './yaml-inventory.js';

export interface LoadInventoryOptions {
  keyring?: VaultKeyring;
  /** Relative source paths are resolved here (default: the current directory). */
  cwd?: string;
}

const YAML_EXTS = ['.yml', '.yaml', '.json'];
// Ansible's INVENTORY_IGNORE_EXTS (REJECT_EXTS + .orig .ini .cfg .retry) and IGNORED_ALWAYS: in a
// directory source these are skipped, so hosts.ini next to hosts.yml is not read twice.
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_NAMES = ['host_vars', 'group_vars', 'vars_plugins'];

/** True when Ansible skips this entry of an inventory directory. */
export function isIgnoredInventoryEntry(name: string): boolean {
  return name.startsWith('.') || IGNORED_NAMES.includes(name) || IGNORED_EXTS.some((e) => name.endsWith(e));
}

/**
 * Read inventory sources into one Inventory. No sources give an empty inventory (only the
 * implicit localhost then matches). A path that does not exist is an error unless it is a
 * comma-separated host list (`-i web1,web2,`).
 */
export function loadInventory(paths: readonly string[], opts: LoadInventoryOptions = {}): Inventory {
  const inv = new InventoryBuilder();
  const cwd = opts.cwd ?? process.cwd();
  for (const p of paths) {
    if (!p) continue;
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) {
      if (p.includes(',')) {
        inv.sources.push(p);
        readHostList(p, inv);
        continue;
      }
      throw new SamsError(`inventory ${p} does not exist`, { hint: `check the -i path (resolved to ${abs}), or the inventory setting in sams.yml / ansible.cfg` });
    }
    inv.sources.push(abs);
    readSource(abs, inv, opts.keyring);
  }
  return inv.finish();
}

function readSource(path: string, inv: InventoryBuilder, keyring: VaultKeyring | undefined): void {
  if (statSync(path).isDirectory()) {
    const entries = readdirSync(path).sort();
    let any = false;
    for (const name of entries) {
      if (isIgnoredInventoryEntry(name)) continue;
      any = true;
      readSource(join(path, name), inv, keyring);
    }
    if (!any) inv.warnings.push(`Unable to parse ${path} as an inventory source: the directory holds no inventory files`);
    return;
  }
  readFile(path, inv, keyring);
}

function readFile(file: string, inv: InventoryBuilder, keyring: VaultKeyring | undefined): void {
  const ext = extname(basename(file)).toLowerCase();
  let text = readTextFile(file);
  if (ext === '.toml') {
    throw new SamsError(`TOML inventories are not supported: ${file}`, { loc: { file, line: 1, col: 1 }, hint: 'write the inventory as INI or YAML' });
  }
  if (text.startsWith('#!') && (statSync(file).mode & 0o111) !== 0) {
    throw new SamsError(`inventory scripts are not supported: ${file} is executable`, {
      loc: { file, line: 1, col: 1 },
      hint: 'save the script output as a static inventory, or chmod -x the file if it is not a script',
    });
  }
  let secret = false;
  if (isVaultText(text)) {
    if (!keyring) {
      throw new SamsError(`${file} is vault-encrypted and no vault password was given`, {
        hint: 'pass --vault-password-file FILE or --ask-vault-pass, or set vault_password_file in sams.yml',
      });
    }
    text = keyring.decrypt(text, file);
    rememberSource(file, text);
    secret = true;
  }
  inv.files.push(file);
  if (YAML_EXTS.includes(ext)) {
    parseYamlInventory(parseYaml(text, file, { keyring, secret }), file, inv);
    return;
  }
  if (ext === '') {
    // Ansible tries the YAML plugin first for files without an extension, then the INI one.
    const doc = sniffYaml(text, file, keyring, secret);
    if (doc !== undefined) {
      parseYamlInventory(doc, file, inv);
      return;
    }
  }
  parseIniInventory(text, file, inv, { secret });
}

/** The YAML document when the text is a YAML mapping (so a YAML inventory), else undefined. */
function sniffYaml(text: string, file: string, keyring: VaultKeyring | undefined, secret: boolean): unknown {
  let doc: unknown;
  try {
    doc = parseYaml(text, file, { keyring, secret });
  } catch (e) {
    if (e instanceof SamsError) return undefined; // not YAML: read it as INI
    throw e;
  }
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : undefined;
}

/** `-i host1,host2:2222,` : Ansible's host_list plugin; the hosts go to ungrouped. */
function readHostList(list: string, inv: InventoryBuilder): void {
  for (const item of list.split(',')) {
    const h = item.trim();
    if (!h) continue;
    const addr = parseAddress(h, false);
    inv.addHost(addr?.host ?? h, list, { group: 'ungrouped', port: addr?.port });
  }
}
