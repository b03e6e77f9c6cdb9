// find: select files by name (glob or Python regex), age, size, type and content, in one remote
// command however many files there are (GNU find), with ansible-core 2.14's selection rules
// (lib/find-walk.ts) applied on the control node. Read-only.

import { z } from 'zod';
import { SamsError } from '../errors.js';
import { zBool, zInt, zList, zStr } from './lib/args.js';
import { aliased, checkAliases, checkRegexArg } from './lib/arg-aliases.js';
import { findCommand, parseFindOutput, type FindListing, type FindScriptSpec } from './lib/find-script.js';
import { parseAge, parseSize, selectFiles, type FindSpec } from './lib/find-walk.js';
import { findNameSuperset } from '../python/fnmatch.js';
import { pyToPcre } from '../python/re.js';
import { defineModule, type Plan } from './types.js';

const PATHS = ['paths', 'path', 'name'] as const;
const PATTERNS = ['patterns', 'pattern'] as const;
const EXCLUDES = ['excludes', 'exclude'] as const;

const args = z
  .object({
    paths: zList(zStr()).optional(),
    path: zList(zStr()).optional(),
    name: zList(zStr()).optional(),
    patterns: zList(zStr()).optional(),
    pattern: zList(zStr()).optional(),
    excludes: zList(zStr()).optional(),
    exclude: zList(zStr()).optional(),
    contains: zStr().optional(),
    read_whole_file: zBool().default(false),
    file_type: z.enum(['any', 'directory', 'file', 'link']).default('file'),
    age: zStr()
      .refine((s) => parseAge(s) !== undefined, 'failed to process age: write a number with an optional unit s, m, h, d or w (7d, -2h)')
      .optional(),
    age_stamp: z.enum(['atime', 'ctime', 'mtime']).default('mtime'),
    size: zStr()
      .refine((s) => parseSize(s) !== undefined, 'failed to process size: write a number with an optional unit b, k, m, g or t (50m, -1k)')
      .optional(),
    recurse: zBool().default(false),
    hidden: zBool().default(false),
    follow: zBool().default(false),
    get_checksum: zBool().default(false),
    use_regex: zBool().default(false),
    depth: zInt().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkAliases(a, PATHS, ctx, true);
    checkAliases(a, PATTERNS, ctx, false);
    checkAliases(a, EXCLUDES, ctx, false);
    const regexes: [string, string][] = [];
    if (a.use_regex) {
      for (const key of [...PATTERNS, ...EXCLUDES]) for (const p of a[key] ?? []) regexes.push([key, p]);
    }
    if (a.contains !== undefined) regexes.push(['contains', a.contains]);
    for (const [key, p] of regexes) checkRegexArg(ctx, key, p);
  });

export type FindArgs = z.output<typeof args>;

/** Ansible's parameters after its defaults (patterns default to * or .*). */
export function findSpec(a: FindArgs): FindSpec {
  const patterns = aliased<string[]>(a, PATTERNS) ?? [];
  return {
    patterns: patterns.length ? patterns : [a.use_regex ? '.*' : '*'],
    excludes: aliased<string[]>(a, EXCLUDES),
    useRegex: a.use_regex,
    contains: a.contains,
    fileType: a.file_type,
    age: a.age === undefined ? undefined : parseAge(a.age),
    ageStamp: a.age_stamp,
    size: a.size === undefined ? undefined : parseSize(a.size),
    recurse: a.recurse,
    hidden: a.hidden,
    follow: a.follow,
    getChecksum: a.get_checksum,
    depth: a.depth,
  };
}

/** What the target must list: every entry of every directory os.walk would visit. */
export function findScriptSpec(a: FindArgs): FindScriptSpec {
  const spec = findSpec(a);
  // os.walk still lists the directories one level below `depth` (it counts them in `examined`).
  const listDepth = !spec.recurse ? 1 : spec.depth ? Math.max(spec.depth, 0) + 1 : undefined;
  const maxdepth = !spec.recurse ? 1 : spec.depth ? Math.max(spec.depth, 0) : undefined;
  const size = spec.size;
  return {
    paths: aliased<string[]>(a, PATHS)!,
    follow: spec.follow,
    listDepth,
    candidates: {
      maxdepth,
      names: spec.useRegex ? undefined : spec.patterns.map(findNameSuperset),
      hidden: spec.hidden,
      minSize: size !== undefined && size >= 0 ? size : undefined,
      maxSize: size !== undefined && size < 0 ? -size : undefined,
    },
    checksum: spec.getChecksum && (spec.fileType === 'file' || spec.fileType === 'any'),
    contains: spec.fileType === 'file' && spec.contains !== undefined ? { pcre: pyToPcre(spec.contains, { anchored: !a.read_whole_file }), wholeFile: a.read_whole_file } : undefined,
  };
}

/** The selection from the listing. Pure. */
export function planFind(a: FindArgs, listing: FindListing): Plan {
  if (listing.grepError !== undefined) {
    return { kind: 'fail', msg: `grep -P cannot use the contains pattern on this host: ${listing.grepError.trim()}`, hint: 'find with contains needs GNU grep built with PCRE on the target' };
  }
  const out = selectFiles(listing.roots, findSpec(a), listing.now);
  return { kind: 'ok', note: `${out.matched} of ${out.examined} matched`, data: { ...out, changed: false } };
}

export default defineModule({
  name: 'find',
  summary: 'Find files by name, age, size, type and content (read-only).',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a) {
    const r = await env.remote.exec(findCommand(findScriptSpec(a)));
    if (r.rc !== 0) throw new SamsError(`find could not list the files: ${r.stderr.trim() || `rc ${r.rc}`}`);
    const listing = parseFindOutput(r.stdout);
    for (const root of listing.roots) {
      if (!root.isDir) env.warn(`Skipped '${root.path}' path due to this access issue: '${root.path}' is not a directory`);
    }
    for (const line of r.stderr.split('\n')) if (line.trim()) env.warn(line.trim());
    return listing;
  },
  plan: (a, listing) => planFind(a, listing),
});
