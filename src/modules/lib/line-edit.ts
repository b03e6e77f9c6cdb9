// lineinfile's editing rules, ported line for line from ansible-core 2.14's lineinfile.py
// (present() and absent()). Works on byte strings (one char per byte) as the module works on bytes,
// with its regexes compiled as Python bytes patterns.

import { expandTemplate, parseTemplate, pySearch, type PyPattern } from '../../python/re.js';

export interface LinePresentSpec {
  /** Byte strings (toByteString) from here on. */
  line: string;
  regexp?: PyPattern;
  searchString?: string;
  /** After the 'EOF' default is applied: at most one of them is set. */
  insertafter?: string;
  insertbefore?: string;
  /** Compiled insertafter/insertbefore when it is a regex (not EOF/BOF as Ansible reads them). */
  insertRe?: PyPattern;
  backrefs: boolean;
  firstmatch: boolean;
}

export interface LineAbsentSpec {
  line?: string;
  regexp?: PyPattern;
  searchString?: string;
}

export interface LineEditResult {
  lines: string[];
  changed: boolean;
  msg: string;
}

/** file.readlines(): split after every '\n'. */
export function readlines(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** bytes.rstrip(b'\r\n') */
function rstripNl(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === '\r')) end--;
  return s.slice(0, end);
}

function endsWithNl(s: string): boolean {
  const c = s.slice(-1);
  return c === '\n' || c === '\r';
}

/** The line to write: with backrefs, `line` is a template expanded with the match (Match.expand). */
function newLineFor(spec: LinePresentSpec, match: RegExpExecArray | true | null): string {
  if (spec.backrefs && match && match !== true) return expandTemplate(parseTemplate(spec.line, spec.regexp!), match);
  return spec.line;
}

/** lineinfile state=present on the file's lines (a copy is edited). */
export function linePresent(input: readonly string[], spec: LinePresentSpec): LineEditResult {
  const lines = [...input];
  const { line, insertafter, insertbefore, firstmatch } = spec;
  const nl = '\n';
  // index0: the line the regexp/search_string (or the exact line) was found on; index1: where to insert.
  let index0 = -1;
  let index1 = -1;
  let match: RegExpExecArray | true | null = null;
  let exactLineMatch = false;

  if (spec.regexp) {
    for (let i = 0; i < lines.length; i++) {
      const m = pySearch(spec.regexp, lines[i]!);
      if (m) {
        index0 = i;
        match = m;
        if (firstmatch) break;
      }
    }
  }
  if (spec.searchString !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(spec.searchString)) {
        index0 = i;
        match = true;
        if (firstmatch) break;
      }
    }
  }
  // No regexp/search_string match: look for the exact line, and for the insertafter/insertbefore line.
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (line === rstripNl(lines[i]!)) {
        index0 = i;
        exactLineMatch = true;
      } else if (spec.insertRe && pySearch(spec.insertRe, lines[i]!)) {
        if (insertafter) {
          index1 = i + 1;
          if (firstmatch) break;
        }
        if (insertbefore) {
          index1 = i;
          if (firstmatch) break;
        }
      }
    }
  }

  let msg = '';
  let changed = false;
  const added = () => {
    msg = 'line added';
    changed = true;
  };
  if (index0 !== -1) {
    // Ansible has an insertion branch here for "no regexp, no search_string, no exact line", which
    // cannot be reached (index0 is only set by one of those), so it is left out.
    let newLine = newLineFor(spec, match);
    if (!newLine.endsWith(nl)) newLine += nl;
    if (lines[index0] !== newLine) {
      lines[index0] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (spec.backrefs) {
    // Without a match there is nothing to fill the backreferences with: leave the file alone.
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(line + nl);
    added();
  } else if (insertafter === 'EOF' || index1 === -1) {
    if (lines.length && !endsWithNl(lines[lines.length - 1]!)) lines.push(nl);
    lines.push(line + nl);
    added();
  } else if (insertafter && index1 !== -1) {
    if (lines.length === index1) {
      if (rstripNl(lines[index1 - 1]!) !== line) {
        lines.push(line + nl);
        added();
      }
    } else if (line !== rstripNl(lines[index1]!)) {
      lines.splice(index1, 0, line + nl);
      added();
    }
  } else {
    lines.splice(index1, 0, line + nl);
    added();
  }
  return { lines, changed, msg };
}

/** lineinfile state=absent: drop every line the regexp / search_string / exact line matches. */
export function lineAbsent(input: readonly string[], spec: LineAbsentSpec): LineEditResult & { found: number } {
  let found = 0;
  const lines = input.filter((l) => {
    let hit: boolean;
    if (spec.regexp) hit = pySearch(spec.regexp, l) !== null;
    else if (spec.searchString !== undefined) hit = l.includes(spec.searchString);
    else hit = spec.line === rstripNl(l);
    if (hit) found++;
    return !hit;
  });
  return { lines, changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
