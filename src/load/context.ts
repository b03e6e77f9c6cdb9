// State shared while one playbook is loaded: collected errors and warnings, search paths, caches.

import { ErrorList, type SourceLoc } from '../errors.js';
import type { Templar } from '../template/types.js';
import type { VaultKeyring } from './yaml.js';

export interface LoadOptions {
  /** Project root (sams.yml's directory). */
  root: string;
  /** Configured role paths (sams.yml roles_path / ansible.cfg roles_path). */
  rolesPath: string[];
  keyring?: VaultKeyring;
  /** Extra vars: they may be used in static import paths and play `hosts:`. */
  extraVars: Record<string, unknown>;
  /** Used to render static import file names that contain templates. */
  templar?: Templar;
}

export class LoadContext {
  readonly errors = new ErrorList();
  readonly warnings: { message: string; loc?: SourceLoc }[] = [];
  private nextId = 0;
  /** Task files already parsed (for include_tasks validation at load time and reuse at run time). */
  readonly fileCache = new Map<string, unknown>();

  constructor(readonly opts: LoadOptions) {}

  warn(message: string, loc?: SourceLoc): void {
    if (!this.warnings.some((w) => w.message === message && w.loc?.file === loc?.file && w.loc?.line === loc?.line))
      this.warnings.push({ message, loc });
  }

  /** A run-unique, stable id: file:line:col plus a counter for tasks loaded twice (roles run twice). */
  taskId(loc: SourceLoc): string {
    return `${loc.file}:${loc.line}:${loc.col}#${this.nextId++}`;
  }
}
