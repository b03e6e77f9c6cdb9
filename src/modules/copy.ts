// copy: put a file or a directory tree from the control node (or, with remote_src, from elsewhere on
// the target), or given content, at dest; only what differs (by SHA-1) is sent. As Ansible's copy.

import { z } from 'zod';
import { fileStateCommand, parseFileStates, type FileState } from '../facts/file-state.js';
import { containsSecret, isSecret, Secret } from '../secret.js';
import { raw, sh } from '../shell/quote.js';
import { jsonDump } from '../template/py-json.js';
import { zBool, zMode, zStr, zValidate, fileAttrArgs } from './lib/args.js';
import { copyProbeSections, parseCopyProbe, planCopy, probeCopy, type CopyFile, type CopyOptions, type CopyProbe, type CopySpec } from './lib/copy-plan.js';
import { missingPrincipalWarning } from './lib/id-lookup.js';
import { contentSource, localSource, type LocalSource, type SourceFile } from './lib/local-source.js';
import { runSections, type ProbeSection } from './lib/probe-sections.js';
import { pyBasename, pyJoin } from '../python/posixpath.js';
import { parseResolvedTreeListing, resolvedTreeListingScript } from './lib/tree-listing.js';
import { defineModule, type Plan, type PlanEnv, type TaskEnv } from './types.js';

const args = z
  .object({
    src: zStr().optional(),
    content: z.unknown().optional(),
    dest: zStr(),
    backup: zBool().default(false),
    force: zBool().default(true),
    validate: zValidate().optional(),
    remote_src: zBool().default(false),
    directory_mode: zMode().optional(),
    ...fileAttrArgs(),
    follow: zBool().default(false),
    local_follow: zBool().default(true),
    checksum: zStr().optional(),
    /** false: a vault-encrypted src is copied as it is (still encrypted). */
    decrypt: zBool().default(true),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    const hasContent = a.content !== undefined && a.content !== null;
    if (a.src === undefined && !hasContent) issue('src (or content) is required', []);
    if (a.src !== undefined && hasContent) issue('src and content are mutually exclusive', ['content']);
    if (a.src === '') issue('src must not be empty', ['src']);
    if (a.dest === '') issue('dest must not be empty', ['dest']);
    if (hasContent && a.dest.endsWith('/')) issue('can not use content with a dir as dest', ['dest']);
    if (a.directory_mode === 'preserve') issue("directory_mode cannot be 'preserve'", ['directory_mode']);
    if (a.checksum !== undefined && !/^[0-9a-fA-F]{40}$/.test(a.checksum)) issue('checksum must be a SHA-1 (40 hex digits)', ['checksum']);
    if (hasContent && typeof a.content === 'object' && !isSecret(a.content) && !Array.isArray(a.content) && Object.getPrototypeOf(a.content) !== Object.prototype) {
      issue('content must be a string (or a list/mapping, written as JSON)', ['content']);
    }
  });

export type CopyArgs = z.output<typeof args>;

/** content: as the bytes Ansible writes: strings as they are, lists/mappings as JSON, True/False as Python prints them. */
export function contentText(v: unknown): string | Secret {
  if (isSecret(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  const text = jsonDump(v);
  return containsSecret(v) ? Secret.derived(text) : text;
}

/** The write options from copy's arguments; template passes its own, which lack directory_mode and checksum. */
export function copyOptions(
  a: Pick<CopyArgs, 'dest' | 'force' | 'backup' | 'validate' | 'mode' | 'owner' | 'group' | 'follow'> & Partial<Pick<CopyArgs, 'directory_mode' | 'checksum'>>,
): CopyOptions {
  return {
    dest: a.dest,
    force: a.force,
    backup: a.backup,
    validate: a.validate,
    mode: a.mode,
    owner: a.owner,
    group: a.group,
    directoryMode: a.directory_mode,
    follow: a.follow,
    checksum: a.checksum?.toLowerCase(),
  };
}

export function specFromLocal(s: LocalSource): CopySpec {
  const file = (f: SourceFile): CopyFile => ({ rel: f.rel, checksum: f.checksum, md5: f.md5, size: f.size, mode: f.localMode, from: { content: f.content } });
  return { kind: s.kind, label: s.label, files: s.files.map(file), dirs: s.dirs, links: s.links };
}

export interface CopyState {
  spec: CopySpec;
  options: CopyOptions;
  probe: CopyProbe;
  /** remote_src: the source is missing or not a file/directory. */
  sourceError?: string;
}

// ---- remote_src: the source is on the target; its type decides single vs tree in the same round trip ----

function prefixed(prefix: string, cond: string, sections: ProbeSection[]): ProbeSection[] {
  return sections.map((s) => ({ name: `${prefix}${s.name}`, script: sh`if ${raw(cond)}; then\n${s.script}\nfi` }));
}

async function probeRemoteSrc(env: TaskEnv, a: CopyArgs): Promise<CopyState> {
  const src = a.src!;
  const trailingSlash = src.endsWith('/') && src.replace(/\/+$/, '') !== '';
  const srcPath = trailingSlash ? src.replace(/\/+$/, '') : src;
  const options = copyOptions(a);
  const base = pyBasename(srcPath);
  const single: CopySpec = { kind: 'single', label: src, files: [{ rel: base, checksum: '', size: 0, from: { remotePath: srcPath } }], dirs: [], links: [] };
  const dir: CopySpec = { kind: 'dir', label: src, files: [{ rel: base, checksum: '', size: 0, from: { remotePath: srcPath } }], dirs: [], links: [] };
  const isDir = sh`[ -d ${srcPath} ]`.text;
  const sections: ProbeSection[] = [
    { name: 'src', script: fileStateCommand([srcPath], { follow: true, checksum: true }) },
    { name: 'srctree', script: resolvedTreeListingScript(srcPath, { checksum: true }) },
    ...prefixed('s.', `! ${isDir}`, copyProbeSections(single, options, false)),
    ...prefixed('d.', isDir, copyProbeSections(dir, options, false)),
  ];
  const out = await runSections(env.remote, sections);
  const [st] = parseFileStates(out.get('src')!.stdout, [srcPath], { follow: true, checksum: true }) as [FileState];
  const pick = (prefix: string) => new Map([...out].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  if (!st.exists) return { spec: single, options, probe: emptyProbe(), sourceError: `Source ${src} not found` };
  if (st.type === 'directory') {
    const entries = parseResolvedTreeListing(out.get('srctree')!.stdout);
    const relOf = (r: string) => (trailingSlash ? r : `${base}/${r}`);
    const spec: CopySpec = {
      kind: 'dir',
      label: src,
      files: entries
        .filter((e) => e.type === 'file')
        .map((e) => ({ rel: relOf(e.rel), checksum: e.checksum ?? '', size: e.size, mode: e.mode, keepMode: true, from: { remotePath: pyJoin(srcPath, e.rel) } })),
      dirs: entries.filter((e) => e.type === 'directory').map((e) => relOf(e.rel)),
      links: entries.filter((e) => e.type === 'link').map((e) => ({ rel: relOf(e.rel), target: e.linkTarget ?? '' })),
      remoteTree: {
        dirModes: Object.fromEntries([
          ...entries.filter((e) => e.type === 'directory').map((e) => [relOf(e.rel), e.mode]),
          ...(trailingSlash ? [] : [[base, st.mode ?? '0755']]),
        ]),
        top: trailingSlash ? '' : base,
        srcBase: pyBasename(src),
      },
    };
    return { spec, options, probe: parseCopyProbe(spec, options, pick('d.')) };
  }
  if (st.type !== 'file') return { spec: single, options, probe: emptyProbe(), sourceError: `Cannot copy invalid source '${src}': not a file` };
  const spec: CopySpec = { ...single, files: [{ rel: base, checksum: st.checksum ?? '', size: st.size ?? 0, mode: st.mode, from: { remotePath: srcPath } }] };
  return { spec, options, probe: parseCopyProbe(spec, options, pick('s.')) };
}

function emptyProbe(): CopyProbe {
  return { lstat: {}, stat: {}, realpath: {}, dirs: {}, ids: {} };
}

async function probeLocal(env: TaskEnv, a: CopyArgs): Promise<CopyState> {
  const options = copyOptions(a);
  let spec: CopySpec;
  if (a.content !== undefined && a.content !== null) {
    // Ansible writes content to a mkstemp file first: mode: preserve then means 0600.
    const f = contentSource(pyBasename(a.dest), contentText(a.content), '0600');
    spec = { kind: 'single', fromContent: true, files: [{ rel: f.rel, checksum: f.checksum, md5: f.md5, size: f.size, mode: f.localMode, from: { content: f.content } }], dirs: [], links: [] };
  } else {
    spec = specFromLocal(await localSource(env, a.src!, a.local_follow, { decrypt: a.decrypt }));
  }
  if (spec.kind === 'dir' && !options.dest.endsWith('/')) options.dest = `${options.dest}/`;
  return { spec, options, probe: await probeCopy(env, spec, options) };
}

export function planCopyModule(_a: CopyArgs, s: CopyState, env: PlanEnv): Plan {
  if (s.sourceError) return { kind: 'fail', msg: s.sourceError };
  return planCopy(s.spec, s.options, s.probe, env);
}

export default defineModule({
  name: 'copy',
  summary: 'Copy a file or directory tree (or given content) to the host; only files whose SHA-1 differs are sent.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: CopyArgs): Promise<CopyState> {
    const s = a.remote_src && a.src !== undefined ? await probeRemoteSrc(env, a) : await probeLocal(env, a);
    if (env.check) {
      const w = missingPrincipalWarning(s.probe.ids, a.owner, a.group);
      if (w) env.warn(w);
    }
    return s;
  },
  plan: planCopyModule,
});

