// A JSON-safe deep copy of a value with every string and key passed through redact(): for output
// that serialises values (debug dumps, --json), where escaping would hide a secret containing
// quotes, backslashes or newlines from a redact() run on the finished text.

import { isSecret, redact, SECRET_MASK } from '../secret.js';

export function redactedJsonValue(v: unknown, opts: { sortKeys?: boolean } = {}, ancestors: object[] = []): unknown {
  if (typeof v === 'string') return redact(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return undefined; // undefined, functions, symbols: left out as JSON does
  if (isSecret(v)) return SECRET_MASK;
  if (Buffer.isBuffer(v)) return `<${v.length} bytes of binary data>`;
  if (v instanceof Date) return v.toISOString();
  if (ancestors.includes(v)) return '[Circular]';
  const inner = [...ancestors, v];
  if (Array.isArray(v) || v instanceof Set) return [...v].map((x) => redactedJsonValue(x, opts, inner) ?? null);
  let entries: [string, unknown][] = v instanceof Map ? [...v.entries()].map(([k, x]): [string, unknown] => [String(k), x]) : Object.entries(v);
  if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    const safe = redactedJsonValue(x, opts, inner);
    if (safe !== undefined) out[redact(k)] = safe;
  }
  return out;
}
