// -e / --extra-vars: `k=v k2=v2`, `@file.yml`, or inline YAML/JSON (`{"a": 1}`), later wins.

import { resolve } from 'node:path';
import { SamsError } from '../errors.js';
import { parseKv } from '../load/free-form.js';
import { readVarsFile } from '../load/vars-file.js';
import { parseYaml, type VaultKeyring } from '../load/yaml.js';

export function parseExtraVars(values: string[], keyring: VaultKeyring | undefined, cwd = process.cwd()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of values) {
    const v = raw.trim();
    if (v.startsWith('@')) {
      Object.assign(out, readVarsFile(resolve(cwd, v.slice(1)), { keyring }));
    } else if (v.startsWith('{') || v.startsWith('[')) {
      const doc = parseYaml(v, '(-e)', { keyring });
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        throw new SamsError(`-e ${raw}: extra vars must be a mapping`, { hint: `write -e '{"name": "value"}' or -e name=value` });
      }
      Object.assign(out, doc);
    } else if (v !== '') {
      const kv = parseKv(v, false);
      if (kv._raw_params !== undefined) {
        throw new SamsError(`-e ${raw}: expected name=value pairs, found '${kv._raw_params}'`, { hint: 'write -e name=value, -e @file.yml, or -e \'{"name": "value"}\'' });
      }
      Object.assign(out, kv);
    }
  }
  return out;
}
