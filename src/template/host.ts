// What the template runtime needs from the templar that runs it (lookups, omit, nested renders).

import type { VaultKeyring } from '../load/yaml.js';
import type { Secret } from '../secret.js';
import type { RenderOptions, Vars } from './types.js';

export interface TemplarHost {
  readonly omitToken: string;
  readonly keyring?: VaultKeyring;
  /** Render a template file (lookup('template')): the text of `path` with `vars`. */
  renderFile(path: string, vars: Vars, opts: RenderOptions): string | Secret;
}
