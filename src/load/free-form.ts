// Free-form task arguments: `copy: src=a dest=b` and `command: ls -l chdir=/tmp`, parsed as
// Ansible's split_args/parse_kv do (quotes and {{ }} kept together, key=value pairs extracted).

/** Split on whitespace, keeping quoted strings and Jinja blocks whole (Ansible's split_args). */
export function splitArgs(text: string): string[] {
  return splitArgSpans(text).map((s) => s.text);
}

interface Span {
  text: string;
  start: number;
  end: number;
}

function splitArgSpans(text: string): Span[] {
  const out: Span[] = [];
  let cur = '';
  let begin = 0;
  let quote: string | null = null;
  let depth = 0; // inside {{ }}, {% %} or {# #}
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (quote) {
      cur += c;
      if (c === '\\' && i + 1 < text.length) {
        cur += text[++i];
        continue;
      }
      if (c === quote) quote = null;
      continue;
    }
    if (two === '{{' || two === '{%' || two === '{#') {
      if (!started) begin = i;
      depth++;
      cur += two;
      i++;
      started = true;
      continue;
    }
    if (depth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      depth--;
      cur += two;
      i++;
      continue;
    }
    if (depth === 0 && /\s/.test(c)) {
      if (started) out.push({ text: cur, start: begin, end: i });
      cur = '';
      started = false;
      continue;
    }
    if (depth === 0 && (c === '"' || c === "'")) quote = c;
    if (!started) begin = i;
    cur += c;
    started = true;
  }
  if (started) out.push({ text: cur, start: begin, end: text.length });
  return out;
}

/** Ansible's unquote: one level of matching surrounding quotes, unless the last one is escaped. */
export function unquote(s: string): string {
  const quoted = s.length > 1 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] && s[s.length - 2] !== '\\';
  return quoted ? s.slice(1, -1) : s;
}

// No octal escapes: ansible-core 2.14 leaves \101 and \1 as written (checked against its parse_kv).
const ESCAPE = /\\U[0-9A-Fa-f]{8}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[\\'"abfnrtv]/g;
const SINGLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Ansible's _decode_escapes, applied to key=value words before they are split (\n, \t, \x41, \u00e9 ...). */
export function decodeEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => {
    const c = m[1]!;
    if (c === 'U' || c === 'u' || c === 'x') return String.fromCodePoint(parseInt(m.slice(2), 16));
    return SINGLE[c]!;
  });
}

/** Keys command/shell take out of their free-form text (Ansible's RAW_PARAM_MODULES behaviour). */
const RAW_MODULE_KEYS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'argv', 'cmd']);

/** Find the `=` of a key=value token (not inside quotes or a Jinja block), or -1. */
function kvSplitIndex(token: string): number {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token);
  return m ? m[1]!.length : -1;
}

/**
 * Parse free-form text into arguments. With `rawModule`, only the keys command/shell know are
 * taken out and the rest stays the command text (`_raw_params`); otherwise every token must be
 * key=value and anything else is returned in `_raw_params` for the caller to reject.
 */
export function parseKv(text: string, rawModule: boolean): Record<string, string> {
  const args: Record<string, string> = {};
  const kept: Span[] = [];
  const removed: Span[] = [];
  for (const span of splitArgSpans(text)) {
    const i = kvSplitIndex(span.text);
    if (i > 0) {
      const key = span.text.slice(0, i);
      if (!rawModule || RAW_MODULE_KEYS.has(key)) {
        args[key] = unquote(decodeEscapes(span.text.slice(i + 1)).trim());
        removed.push(span);
        continue;
      }
    }
    kept.push(span);
  }
  // Command text keeps its own newlines (a `shell: |` block ends with one, as in Ansible); only the
  // blanks left where key=value words were taken out are trimmed.
  if (kept.length > 0) args._raw_params = rawModule ? (removed.length ? withoutSpans(text, removed).replace(/^[ \t]+|[ \t]+$/g, '') : text) : kept.map((s) => s.text).join(' ');
  return args;
}

/** The text with the given spans (and the blanks after each) cut out; newlines and spacing elsewhere kept. */
function withoutSpans(text: string, spans: Span[]): string {
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start);
    pos = s.end;
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  }
  return out + text.slice(pos);
}
