// Templating: a Jinja2 (Ansible 2.14) Templar on nunjucks. See templar.ts.

import { InternalError } from '../errors.js';
import type { VaultKeyring } from '../load/yaml.js';
import type { RenderOptions, Templar, Vars } from './types.js';
import { NunjucksTemplar } from './templar.js';
import { lookupNames } from './lookups.js';

export type { Templar, RenderOptions, Vars } from './types.js';

/** A Templar; `keyring` decrypts vaulted files read by lookup('file'). */
export function createTemplar(opts: { keyring?: VaultKeyring } = {}): Templar {
  return new NunjucksTemplar(opts);
}

/**
 * Run a lookup plugin as query() does (always a list), for `with_<name>:` loops: `terms` are the
 * rendered value of the with_ keyword (a list is passed as the terms, anything else as one term).
 */
export function queryLookup(templar: Templar, name: string, terms: unknown, vars: Vars, opts: RenderOptions = {}): unknown[] {
  if (!(templar instanceof NunjucksTemplar)) throw new InternalError('queryLookup needs a templar made by createTemplar');
  return templar.query(name, Array.isArray(terms) ? terms : [terms], vars, opts);
}

/** The lookup plugins sams has (for validating `with_<name>:` keywords at load time). */
export { lookupNames };
