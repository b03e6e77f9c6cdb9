// stat: facts about one path on the target (Ansible's `stat` dictionary: type, mode, owner, times,
// link target, checksum, MIME type, attributes, access for the user commands run as). Read-only.

import { z } from 'zod';
import { zBool, zStr } from './lib/args.js';
import { parseStat, statScript, type ChecksumAlgorithm, type StatOptions } from './lib/stat-script.js';
import { defineModule, type Plan } from './types.js';

const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

/** Ansible's aliases, by canonical name. */
const ALIASES = {
  path: ['dest', 'name'],
  checksum_algorithm: ['checksum', 'checksum_algo'],
  get_mime: ['mime', 'mime_type', 'mime-type'],
  get_attributes: ['attr', 'attributes'],
} as const;

const args = z
  .object({
    path: zStr().optional(),
    dest: zStr().optional(),
    name: zStr().optional(),
    follow: zBool().default(false),
    get_checksum: zBool().default(true),
    get_md5: zBool().default(false),
    checksum_algorithm: z.enum(ALGORITHMS).optional(),
    checksum: z.enum(ALGORITHMS).optional(),
    checksum_algo: z.enum(ALGORITHMS).optional(),
    get_mime: zBool().optional(),
    mime: zBool().optional(),
    mime_type: zBool().optional(),
    'mime-type': zBool().optional(),
    get_attributes: zBool().optional(),
    attr: zBool().optional(),
    attributes: zBool().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    for (const [canon, aliases] of Object.entries(ALIASES)) {
      const given = [canon, ...aliases].filter((k) => a[k as keyof typeof a] !== undefined);
      if (given.length > 1) ctx.addIssue({ code: 'custom', message: `${given.join(', ')} are the same argument: give only one`, path: [given[1]!] });
    }
    if (a.path === undefined && a.dest === undefined && a.name === undefined) ctx.addIssue({ code: 'custom', message: 'missing required argument: path', path: [] });
  });

export type StatArgs = z.output<typeof args>;

export function statPath(a: StatArgs): string {
  return a.path ?? a.dest ?? a.name ?? '';
}

export function statOptions(a: StatArgs): StatOptions {
  const algo: ChecksumAlgorithm = a.checksum_algorithm ?? a.checksum ?? a.checksum_algo ?? 'sha1';
  return {
    follow: a.follow,
    checksum: a.get_checksum ? algo : undefined,
    md5: a.get_md5,
    mime: a.get_mime ?? a.mime ?? a.mime_type ?? a['mime-type'] ?? true,
    attributes: a.get_attributes ?? a.attr ?? a.attributes ?? true,
  };
}

export interface StatProbe {
  rc: number;
  stdout: string;
  stderr: string;
}

export function planStat(a: StatArgs, p: StatProbe): Plan {
  if (p.rc !== 0) return { kind: 'fail', msg: p.stderr.trim().replace(/^stat: cannot statx? '.*?': /, '') || `stat failed (rc ${p.rc})` };
  return { kind: 'ok', data: { stat: parseStat(statPath(a), p.stdout, statOptions(a)) } };
}

export default defineModule({
  name: 'stat',
  summary: "Read a path's type, mode, owner, times, checksum and MIME type into the `stat` dictionary.",
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: StatArgs): Promise<StatProbe> {
    const r = await env.remote.exec(statScript(statPath(a), statOptions(a)));
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  },
  plan: planStat,
});
