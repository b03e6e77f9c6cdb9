// key=value arguments are parsed as Ansible's parse_kv does, escapes included (content="x\n" is two
// bytes): compared with ansible-core's own parse_kv, run by the system Python.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKv } from '../../../src/load/free-form.js';

const PY = '/usr/bin/python3';
const hasAnsible = existsSync(PY) && (() => {
  try {
    execFileSync(PY, ['-c', 'import ansible.parsing.splitter'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const CASES = [
  'content="x\\n" dest=/tmp/f',
  'line=a\\tb path=/etc/x',
  'msg="it\\"s" other=\'single \\\' quote\'',
  'u=\\u00e9 x=\\x41 o=\\101 big=\\U0001F600',
  'regexp=^\\s*foo replace=\'\\1 bar\'',
  'path=C:\\\\temp\\\\new mode=0644',
  'a="" b=\'\' c=plain',
];

describe.skipIf(!hasAnsible)('parse_kv (skipped when ansible-core is not installed for /usr/bin/python3)', () => {
  it.each(CASES)('%s', (text) => {
    const ansible = JSON.parse(
      execFileSync(PY, ['-c', 'import json,sys; from ansible.parsing.splitter import parse_kv; print(json.dumps(parse_kv(sys.argv[1])))', text], { encoding: 'utf8' }),
    );
    expect(parseKv(text, false)).toEqual(ansible);
  });
});
