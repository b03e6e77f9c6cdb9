// Loading a small project written into a fresh directory, as `sams play` loads it before
// connecting, and the user errors it reports (the list and the text the CLI prints).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderErrors } from '../../src/cli/render-error.js';
import { isUserError, SamsErrors, type SamsError } from '../../src/errors.js';
import { loadPlaybook } from '../../src/load/playbook.js';
import { createTemplar } from '../../src/template/index.js';

/** Writes `files` into a new directory under `root`; returns it. */
export function writeProject(root: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export interface LoadFailure {
  list: SamsError[];
  /** As the CLI prints it, without colour, paths relative to the project. */
  text: string;
}

export interface TryLoadOptions {
  playbook?: string;
  /** Load with a templar, so templates are checked and import_playbook names rendered. */
  templar?: boolean;
}

/** Loads the project's playbook; the user errors it reports, or undefined when it loads. */
export function tryLoad(dir: string, o: TryLoadOptions = {}): LoadFailure | undefined {
  try {
    loadPlaybook(join(dir, o.playbook ?? 'site.yml'), { root: dir, rolesPath: [], extraVars: {}, ...(o.templar ? { templar: createTemplar() } : {}) });
    return undefined;
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { list: e instanceof SamsErrors ? e.errors : [e as SamsError], text: renderErrors(e, { color: false, cwd: dir }) };
  }
}
