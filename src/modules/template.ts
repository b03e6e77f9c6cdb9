// template: render a Jinja template from the control node (role templates/, then the playbook dir)
// with the task's variables plus Ansible's template_* and ansible_managed, and put the result at
// dest as copy does (SHA-1 comparison, owner/group/mode, validate, backup).

import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { z } from 'zod';
import { SamsError } from '../errors.js';
import { isSecret, reveal, Secret } from '../secret.js';
import { overlayVars } from '../template/lookups.js';
import { PyDateTime } from '../python/datetime.js';
import type { Vars } from '../template/types.js';
import { zBool, zMode, zStr, zValidate } from './lib/args.js';
import { copyOptions } from './copy.js';
import { planCopy, probeCopy, type CopyOptions, type CopySpec } from './lib/copy-plan.js';
import { missingPrincipalWarning } from './lib/id-lookup.js';
import { contentSource } from './lib/local-source.js';
import type { CopyProbe } from './lib/copy-plan.js';
import { defineModule, type Plan, type PlanEnv, type TaskEnv } from './types.js';

/** Ansible's DEFAULT_MANAGED_STR (ansible.cfg `ansible_managed`), which sams does not read. */
export const ANSIBLE_MANAGED = 'Ansible managed';

const NEWLINES: Record<string, string> = { '\n': '\n', '\r': '\r', '\r\n': '\r\n', '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

const args = z
  .object({
    src: zStr(),
    dest: zStr(),
    backup: zBool().default(false),
    validate: zValidate().optional(),
    owner: zStr().optional(),
    group: zStr().optional(),
    mode: zMode().optional(),
    newline_sequence: zStr().default('\n'),
    trim_blocks: zBool().default(true),
    lstrip_blocks: zBool().default(false),
    force: zBool().default(true),
    follow: zBool().default(false),
    output_encoding: zStr().default('utf-8'),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    if (a.src === '') issue('src must not be empty', ['src']);
    if (a.dest === '') issue('dest must not be empty', ['dest']);
    if (!(a.newline_sequence in NEWLINES)) issue('newline_sequence needs to be one of: \\n, \\r or \\r\\n', ['newline_sequence']);
    if (!/^utf-?8$/i.test(a.output_encoding)) issue(`sams writes templates as utf-8 only, got '${a.output_encoding}'`, ['output_encoding']);
  });

export type TemplateArgs = z.output<typeof args>;

function ownerName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[2] === String(uid)) return f[0]!;
    }
  } catch {
    // No passwd file: the number, as Ansible falls back to.
  }
  return String(uid);
}

/** Ansible's generate_ansible_template_vars(): template_* and ansible_managed. */
export function templateVars(src: string, fullpath: string, dest: string, now: Date = new Date()): Record<string, unknown> {
  const st = statSync(fullpath);
  return {
    template_host: hostname(),
    template_path: src,
    template_mtime: PyDateTime.fromLocal(st.mtime),
    template_uid: ownerName(st.uid),
    template_run_date: PyDateTime.fromLocal(now),
    template_destpath: dest,
    template_fullpath: fullpath,
    ansible_managed: ANSIBLE_MANAGED,
  };
}

/** Render the template file at `path` as the template module does. Template errors name the file and line. */
export function renderTemplateFile(env: Pick<TaskEnv, 'templar' | 'readLocalFile' | 'host'>, a: TemplateArgs, path: string, vars: Vars): string | Secret {
  const raw = env.readLocalFile(path);
  let text: string;
  if (isSecret(raw)) text = reveal(raw);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new SamsError(`Template source files must be utf-8 encoded: ${path}`);
    }
  }
  let out: string | Secret;
  try {
    out = env.templar.renderText(text, vars, {
      trimBlocks: a.trim_blocks,
      lstripBlocks: a.lstrip_blocks,
      templateFile: path,
      host: env.host,
      what: `template ${a.src}`,
    });
  } catch (e) {
    // The task's failure shows the message only: put the template's file:line:col in front of it.
    if (e instanceof SamsError && e.loc && !e.message.startsWith(e.loc.file)) {
      throw new SamsError(`${e.loc.file}:${e.loc.line}:${e.loc.col}: ${e.message}`, { loc: e.loc, hint: e.hint, host: e.host });
    }
    throw e;
  }
  const nl = NEWLINES[a.newline_sequence]!;
  const plain = reveal(out);
  const converted = nl === '\n' ? plain : plain.replace(/\r\n|\r|\n/g, nl);
  // A vaulted template, or a value from the vault in the output: the result is a Secret (diff hidden).
  return isSecret(out) || isSecret(raw) ? Secret.derived(converted) : converted;
}

export interface TemplateState {
  spec: CopySpec;
  options: CopyOptions;
  probe: CopyProbe;
}

export function planTemplate(_a: TemplateArgs, s: TemplateState, env: PlanEnv): Plan {
  return planCopy(s.spec, s.options, s.probe, env);
}

export default defineModule({
  name: 'template',
  summary: 'Render a Jinja template on the control node and put the result on the host (only when it differs).',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: TemplateArgs): Promise<TemplateState> {
    const path = env.findFile('templates', a.src);
    const vars = overlayVars(env.vars, templateVars(a.src, path, a.dest));
    const content = renderTemplateFile(env, a, path, vars);
    const mode = '0' + (statSync(path).mode & 0o7777).toString(8).padStart(3, '0');
    const f = contentSource(basename(path), content, mode);
    const spec: CopySpec = {
      kind: 'single',
      label: path,
      files: [{ rel: f.rel, checksum: f.checksum, md5: f.md5, size: f.size, mode: f.localMode, from: { content: f.content } }],
      dirs: [],
      links: [],
    };
    const options = copyOptions(a);
    const probe = await probeCopy(env, spec, options);
    if (env.check) {
      const w = missingPrincipalWarning(probe.ids, a.owner, a.group);
      if (w) env.warn(w);
    }
    return { spec, options, probe };
  },
  plan: planTemplate,
});
