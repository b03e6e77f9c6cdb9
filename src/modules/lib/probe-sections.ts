// Several read-only shell fragments run as one remote command (one round trip), each one's output
// and exit status returned separately: how file-like modules batch their probes.

import { SamsError } from '../../errors.js';
import { raw, sh, type ShellCommand } from '../../shell/quote.js';
import type { Remote } from '../types.js';

export interface ProbeSection {
  /** Key for the output; [A-Za-z0-9_.-]+. */
  name: string;
  script: ShellCommand;
}

export interface SectionOutput {
  stdout: string;
  rc: number;
}

const START = '\x1esams-section:';
const END = '\x1esams-rc:';

/** One script printing each section between markers; a section cannot end the whole script early. */
export function sectionsScript(sections: ProbeSection[]): ShellCommand {
  const parts = sections.map((s) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(s.name)) throw new Error(`bad probe section name ${s.name}`);
    // A subshell, so a fragment's `exit` or `set` cannot leak into the next one.
    return `printf '\\036sams-section:%s\\n' ${s.name}\n(\n${s.script.text}\n) </dev/null\nprintf '\\n\\036sams-rc:%s\\n' "$?"`;
  });
  return sh`${raw(parts.join('\n'))}`;
}

/** Split the combined output back into sections. Pure. */
export function parseSections(out: string, names: string[]): Map<string, SectionOutput> {
  const res = new Map<string, SectionOutput>();
  let at = 0;
  for (;;) {
    const s = out.indexOf(START, at);
    if (s < 0) break;
    const nl = out.indexOf('\n', s);
    const name = out.slice(s + START.length, nl);
    const e = out.indexOf(END, nl);
    if (e < 0) break;
    const eol = out.indexOf('\n', e);
    const rc = Number(out.slice(e + END.length, eol < 0 ? undefined : eol));
    // The script adds one newline before the rc marker.
    res.set(name, { stdout: out.slice(nl + 1, e - 1), rc });
    at = eol < 0 ? out.length : eol;
  }
  for (const n of names) if (!res.has(n)) throw new SamsError(`could not read the host's state (section ${n} missing from the probe output)`);
  return res;
}

/** Run every section in one remote command. */
export async function runSections(remote: Remote, sections: ProbeSection[]): Promise<Map<string, SectionOutput>> {
  if (sections.length === 0) return new Map();
  const r = await remote.exec(sectionsScript(sections));
  if (r.rc !== 0 && !r.stdout.includes(START)) {
    // What failed before the script ran (su to a nologin account prints on stdout) says why.
    const said = [r.stderr.trim(), r.stdout.trim().slice(0, 2000)].filter(Boolean).join('\n');
    throw new SamsError(`could not read the host's state: ${said || `rc ${r.rc}`}`);
  }
  return parseSections(r.stdout, sections.map((s) => s.name));
}
