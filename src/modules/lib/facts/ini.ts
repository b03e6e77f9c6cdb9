// Python configparser (as Ansible reads an INI local fact): sections of key = value / key: value,
// keys lower-cased, indented continuation lines, # and ; comments, DEFAULT merged into sections.

/** Parse INI text; undefined where configparser raises (no section header, duplicates). */
export function parseIni(text: string): Record<string, Record<string, string>> | undefined {
  const sections = new Map<string, Map<string, string>>();
  const defaults = new Map<string, string>();
  let cur: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const stripped = rawLine.trim();
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      if (stripped === '') lastKey = undefined;
      continue;
    }
    if (/^\s/.test(rawLine) && cur && lastKey !== undefined) {
      cur.set(lastKey, `${cur.get(lastKey)}\n${stripped}`);
      continue;
    }
    const sect = /^\[([^\]]+)\]/.exec(stripped);
    if (sect) {
      const name = sect[1]!;
      if (name === 'DEFAULT') cur = defaults;
      else {
        if (sections.has(name)) return undefined;
        cur = new Map();
        sections.set(name, cur);
      }
      lastKey = undefined;
      continue;
    }
    if (!cur) return undefined;
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (!m) return undefined;
    const key = m[1]!.toLowerCase();
    if (cur.has(key)) return undefined;
    cur.set(key, m[2]!);
    lastKey = key;
  }
  const out: Record<string, Record<string, string>> = {};
  for (const [name, opts] of sections) {
    out[name] = {};
    for (const [k, v] of defaults) out[name]![k] = v;
    for (const [k, v] of opts) out[name]![k] = v;
  }
  return out;
}
