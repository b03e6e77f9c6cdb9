// YAML (and JSON) inventories in Ansible's shape (plugins/inventory/yaml.py):
// all: {hosts: {h: {vars}}, children: {g: {...}}, vars: {...}}, nested to any depth.

import { SamsError, didYouMean, type SourceLoc } from '../errors.js';
import { keyLoc, locOf, valueLoc } from '../load/yaml.js';
import { expandHostPattern } from './host-range.js';
import type { InventoryBuilder } from './model.js';

const SHAPE_HINT = 'a YAML inventory looks like  all: {hosts: {web1: {ansible_host: 10.0.0.1}}, children: {web: {hosts: {web1: {}}}}, vars: {x: 1}}';
const GROUP_KEYS = ['hosts', 'children', 'vars'];

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'nothing';
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

/** Parse a YAML inventory document (already loaded with positions) into the builder. */
export function parseYamlInventory(doc: unknown, file: string, inv: InventoryBuilder): void {
  const fileLoc: SourceLoc = { file, line: 1, col: 1 };
  if (doc === null || doc === undefined) return; // an empty file is an empty inventory (Ansible's ini plugin accepts it)
  if (!isMapping(doc)) {
    throw new SamsError(`a YAML inventory must be a mapping of group names, found ${kindOf(doc)}`, { loc: locOf(doc) ?? fileLoc, hint: SHAPE_HINT });
  }
  if ('plugin' in doc) {
    throw new SamsError('inventory plugin configuration files are not supported', {
      loc: keyLoc(doc, 'plugin') ?? fileLoc,
      hint: 'list the hosts in a static INI or YAML inventory',
    });
  }
  for (const name of Object.keys(doc)) parseGroup(name, doc[name], keyLoc(doc, name) ?? locOf(doc) ?? fileLoc, doc);

  function parseGroup(group: string, data: unknown, loc: SourceLoc, parent: unknown): string {
    if (data !== null && !isMapping(data)) {
      throw new SamsError(`group ${group} must be a mapping with hosts, children and vars, found ${kindOf(data)}`, {
        loc: valueLoc(parent, group) ?? loc,
        hint: SHAPE_HINT,
      });
    }
    inv.addGroup(group, loc);
    if (data === null) return group;
    for (const key of Object.keys(data)) {
      const kLoc = keyLoc(data, key) ?? loc;
      if (!GROUP_KEYS.includes(key)) {
        const guess = didYouMean(key, GROUP_KEYS);
        throw new SamsError(`unknown key '${key}' in group ${group}`, {
          loc: kLoc,
          hint: guess ? `did you mean ${guess}?` : `a group has only hosts, children and vars; put host names under hosts:`,
        });
      }
      let section = data[key];
      if (typeof section === 'string') section = { [section]: null }; // Ansible accepts a single name as a string
      if (section === null) continue;
      if (!isMapping(section)) {
        throw new SamsError(`'${key}' of group ${group} must be a mapping, found ${kindOf(section)}`, {
          loc: valueLoc(data, key) ?? kLoc,
          hint: key === 'hosts' ? 'write hosts as  hosts: {web1: {}, web2: {}}  (a mapping, not a list)' : SHAPE_HINT,
        });
      }
      const secLoc = (k: string) => (section === data[key] ? keyLoc(section, k) : undefined) ?? kLoc;
      if (key === 'vars') {
        for (const [k, v] of Object.entries(section)) inv.setGroupVar(group, k, v, file, secLoc(k));
      } else if (key === 'children') {
        for (const [child, childData] of Object.entries(section)) {
          const cLoc = secLoc(child);
          parseGroup(child, childData, cLoc, section);
          inv.addChild(group, child, cLoc);
        }
      } else {
        for (const [pattern, hostData] of Object.entries(section)) {
          const hLoc = secLoc(pattern);
          if (hostData !== null && !isMapping(hostData)) {
            throw new SamsError(`host ${pattern} in group ${group} must map to its variables, found ${kindOf(hostData)}`, {
              loc: section === data[key] ? valueLoc(section, pattern) ?? hLoc : hLoc,
              hint: `write  ${pattern}: {name: value}  or leave it empty:  ${pattern}:`,
            });
          }
          const { hostnames, port } = expandHostPattern(pattern, hLoc);
          for (const h of hostnames) {
            inv.addHost(h, file, { group, port, loc: hLoc });
            for (const [k, v] of Object.entries(hostData ?? {})) inv.setHostVar(h, k, v, file);
          }
        }
      }
    }
    return group;
  }
}
