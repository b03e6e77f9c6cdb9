// vars_prompt: asked before anything connects. A value given with -e is not asked; without a
// terminal (cron) and without a value the run stops, naming every variable that is missing.

import { randomBytes } from 'node:crypto';
import { encrypt as cryptEncrypt } from 'unixcrypt';
import { ErrorList } from '../errors.js';
import type { Play, Playbook, VarsPrompt } from '../load/model.js';
import { isInteractive, promptLine } from '../cli/prompt.js';
import { Secret } from '../secret.js';

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function salt(size: number): string {
  const bytes = randomBytes(size);
  return [...bytes].map((b) => SALT_CHARS[b % SALT_CHARS.length]).join('');
}

/** crypt(3) hash as Ansible's vars_prompt `encrypt:` makes it. */
export function cryptHash(value: string, scheme: string, saltValue?: string, saltSize = 16): string {
  const id = scheme === 'sha512_crypt' ? '6' : scheme === 'sha256_crypt' ? '5' : '1';
  if (id === '1') throw new Error('md5_crypt is not available');
  return cryptEncrypt(value, `$${id}$${saltValue ?? salt(saltSize)}`);
}

export type Ask = (p: VarsPrompt) => Promise<string>;

async function askOnTerminal(p: VarsPrompt): Promise<string> {
  const dflt = p.default === undefined || p.default === null ? undefined : String(p.default);
  const question = `${p.prompt}: `;
  for (;;) {
    const first = await promptLine(question, { hidden: p.private, default: dflt });
    if (!p.confirm) return first;
    const second = await promptLine(`confirm ${p.prompt}: `, { hidden: p.private, default: dflt });
    if (first === second) return first;
    process.stderr.write('***** VALUES ENTERED DO NOT MATCH ****\n');
  }
}

/** Answers for every play's vars_prompt, asked in play order. Private answers are Secrets. */
export async function resolveVarsPrompts(pb: Playbook, extraVars: Record<string, unknown>, ask: Ask = askOnTerminal, interactive = isInteractive()): Promise<Map<Play, Record<string, unknown>>> {
  const out = new Map<Play, Record<string, unknown>>();
  const errors = new ErrorList();
  for (const play of pb.plays) {
    const vars: Record<string, unknown> = {};
    for (const p of play.varsPrompt) {
      if (p.name in extraVars) continue;
      if (!interactive && p.default !== undefined && p.default !== null) {
        // No terminal but a default: use it, as there is nobody to ask.
        let v = String(p.default);
        if (p.encrypt) v = cryptHash(v, p.encrypt, p.salt, p.salt_size);
        vars[p.name] = p.private ? new Secret(v) : v;
        continue;
      }
      if (!interactive) {
        errors.add(`vars_prompt '${p.name}' needs an answer and there is no terminal to ask on`, {
          loc: p.loc,
          hint: `give it on the command line: -e ${p.name}=VALUE (or -e @answers.yml)`,
        });
        continue;
      }
      let value = await ask(p);
      if (p.encrypt) value = cryptHash(value, p.encrypt, p.salt, p.salt_size);
      vars[p.name] = p.private ? new Secret(value) : value;
    }
    out.set(play, vars);
  }
  errors.throwIfAny();
  return out;
}
