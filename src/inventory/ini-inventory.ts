// INI inventories in Ansible's format (plugins/inventory/ini.py): [group], [group:children],
// [group:vars], inline host vars read as Python literals, ranges, ports, comments.

import { SamsError, type SourceLoc } from '../errors.js';
import { Secret } from '../secret.js';
import { expandHostPattern } from './host-range.js';
import type { InventoryBuilder } from './model.js';
import { iniValue } from './py-literal.js';
import { ShlexError, shlexSplitWords } from '../shell/shlex.js';

const SECTION_RE = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME_RE = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  col: number;
  state: 'vars' | 'children';
  parents: string[];
}

/**
 * Parse INI inventory text into the builder. `secret` marks every string value as a Secret
 * (the file was vault-encrypted), and hides source lines in errors.
 */
export function parseIniInventory(text: string, file: string, inv: InventoryBuilder, opts: { secret?: boolean } = {}): void {
  const showSource = !opts.secret;
  const at = (line: number, col: number): SourceLoc => ({ file, line, col });
  const value = (raw: string): unknown => {
    const v = iniValue(raw);
    return opts.secret && typeof v === 'string' ? new Secret(v) : v;
  };
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  const addPendingChildren = (child: string): void => {
    const p = pending.get(child)!;
    for (const parent of p.parents) {
      inv.addChild(parent, child, at(p.line, p.col));
      const pp = pending.get(parent);
      if (pp && pp.state === 'children') addPendingChildren(parent);
    }
    pending.delete(child);
  };

  for (let n = 1; n <= lines.length; n++) {
    const rawLine = lines[n - 1]!;
    const indent = rawLine.length - rawLine.trimStart().length;
    const line = rawLine.trim();
    if (!line || line[0] === '#' || line[0] === ';') continue;

    const section = SECTION_RE.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        throw new SamsError(`section [${group}:${kind}] has unknown type '${kind}'`, {
          loc: at(n, indent + group.length + 3),
          hint: 'a section is [group], [group:children] or [group:vars]',
          showSource,
        });
      }
      state = kind;
      if (!inv.hasGroup(group)) {
        // [g:vars] alone does not declare g; it must be declared somewhere in this file.
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: n, col: indent + 1, state: 'vars', parents: [] });
        inv.addGroup(group, at(n, indent + 2));
      }
      if (pending.has(group) && state !== 'vars') {
        if (pending.get(group)!.state === 'children') addPendingChildren(group);
        else pending.delete(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new SamsError(`invalid section header ${line}`, {
        loc: at(n, indent + 1),
        hint: 'write [group], [group:children] or [group:vars], with no spaces inside the brackets',
        showSource,
      });
    }

    if (state === 'hosts') {
      parseHostLine(line, n, indent);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) {
        throw new SamsError(`expected key=value in [${group}:vars], got: ${line}`, { loc: at(n, indent + 1), hint: 'write one variable per line as  name=value', showSource });
      }
      const key = line.slice(0, eq).trim();
      if (!key) throw new SamsError(`a variable name is missing before '=' in [${group}:vars]`, { loc: at(n, indent + 1), hint: 'write name=value', showSource });
      inv.setGroupVar(group, key, value(line.slice(eq + 1).trim()), file, at(n, indent + 1));
    } else {
      const m = GROUP_NAME_RE.exec(line);
      if (!m) {
        throw new SamsError(`expected a group name in [${group}:children], got: ${line}`, {
          loc: at(n, indent + 1),
          hint: 'list one child group per line; hosts go in a [group] section',
          showSource,
        });
      }
      const child = m[1]!;
      if (!inv.hasGroup(child)) {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: n, col: indent + 1, state: 'children', parents: [group] });
      } else {
        inv.addChild(group, child, at(n, indent + 1));
      }
    }
  }

  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new SamsError(`section [${name}:vars] is for a group that is not defined`, {
        loc: at(p.line, p.col),
        hint: `declare the group with a [${name}] or [${name}:children] section, or list it under another group's :children`,
        showSource,
      });
    }
    throw new SamsError(`[${p.parents[p.parents.length - 1]}:children] names ${name}, which is not a group`, {
      loc: at(p.line, p.col),
      hint: `declare it with a [${name}] section in this file or an earlier inventory source`,
      showSource,
    });
  }

  function parseHostLine(line: string, n: number, indent: number): void {
    let words;
    try {
      words = shlexSplitWords(line, { comments: true });
    } catch (e) {
      if (!(e instanceof ShlexError)) throw e;
      throw new SamsError(`cannot parse host line: ${e.message.toLowerCase()}`, { loc: at(n, indent + e.index + 1), hint: 'close every quote you open', showSource });
    }
    if (words.length === 0) return;
    const first = words[0]!;
    const hostLoc = at(n, indent + first.start + 1);
    if (first.text === '---') {
      throw new SamsError(`'---' is not a host name`, { loc: hostLoc, hint: 'this looks like a YAML file: name it .yml so it is read as YAML', showSource });
    }
    const { hostnames, port } = expandHostPattern(first.text, hostLoc);
    if (first.text.trim().endsWith(':') && port === undefined) {
      throw new SamsError(`invalid host '${first.text}': a trailing ':' is reserved for a port`, { loc: hostLoc, hint: 'write host:PORT, or drop the colon', showSource });
    }
    const vars: [string, unknown][] = [];
    for (const w of words.slice(1)) {
      const eq = w.text.indexOf('=');
      const wLoc = at(n, indent + w.start + 1);
      if (eq < 0) {
        throw new SamsError(`expected key=value after the host name, got: ${w.text}`, {
          loc: wLoc,
          hint: 'host variables are written  host name=value name2="a value with spaces"',
          showSource,
        });
      }
      if (eq === 0) throw new SamsError(`a variable name is missing before '=' in ${w.text}`, { loc: wLoc, hint: 'write name=value', showSource });
      vars.push([w.text.slice(0, eq), value(w.text.slice(eq + 1))]);
    }
    for (const h of hostnames) {
      inv.addHost(h, file, { group, port, loc: hostLoc });
      for (const [k, v] of vars) inv.setHostVar(h, k, v, file);
    }
  }
}
