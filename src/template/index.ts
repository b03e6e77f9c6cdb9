// Templating: a Jinja2 (Ansible 2.14) Templar on nunjucks. See templar.ts.

import type { VaultKeyring } from '../load/yaml.js';
import type { Templar } from './types.js';
import { NunjucksTemplar } from './templar.js';

export type { Templar, RenderOptions, Vars } from './types.js';

/** A Templar; `keyring` decrypts vaulted files read by lookup('file'). */
export function createTemplar(opts: { keyring?: VaultKeyring } = {}): Templar {
  return new NunjucksTemplar(opts);
}
