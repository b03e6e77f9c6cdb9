// Shared by the text-editing modules (lineinfile, blockinfile, replace): one probe that reads the
// file (following links, as Ansible does), where it really lives, whether its directory exists and
// what a new file would look like; and the plan tail that writes the new content atomically and
// fixes owner/group/mode, with Ansible's messages ("... and ownership, perms or SE linux context changed").

import { fileStateCommand, parseFileStates, type FileState } from '../../facts/file-state.js';
import { SamsError } from '../../errors.js';
import { Secret } from '../../secret.js';
import { quote, raw, sh } from '../../shell/quote.js';
import type { Diff, Plan, Remote, Step } from '../types.js';
import { aliased } from './arg-aliases.js';
import { zStr } from './args.js';
import { formatMode, planAttrs } from './file-attrs.js';
import { idLookupScript, parseIdLookup } from './id-lookup.js';

/** The path argument of the text modules and its aliases (Ansible's path/dest/destfile/name). */
export const TEXT_PATH = ['path', 'dest', 'destfile', 'name'] as const;
export const textPathArgs = { path: zStr().optional(), dest: zStr().optional(), destfile: zStr().optional(), name: zStr().optional() };

/** The file a text module edits (the schema requires one of TEXT_PATH). */
export function textPath(a: object): string {
  return aliased<string>(a, TEXT_PATH)!;
}

/** Files larger than this are not edited (their content travels base64 in the probe). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

export interface TextFileState {
  /** The path as given. */
  path: string;
  /** The file as `stat -L` sees it, with its content when it is a regular file. */
  file: FileState;
  /** realpath -m of the path: where the write goes (a symlink keeps pointing at the edited file). */
  realPath: string;
  /** Whether the directory of realPath exists (create: yes makes it otherwise). */
  parentExists: boolean;
  /** For a file about to be created: the umask and who would own it. */
  umask: number;
  user: { uid: number; gid: number; name: string; group: string };
}

const MARK = '@@sams-text-file@@';

/** Read everything the text modules need about `path`, in one round trip. */
export async function probeTextFile(remote: Remote, path: string): Promise<TextFileState> {
  const opts = { follow: true, content: true, maxContentBytes: MAX_TEXT_FILE_BYTES };
  const p = quote(path);
  const extra = [
    `printf '%s\\n' ${quote(MARK)}`,
    `r=$(realpath -m -- ${p})`,
    `printf 'real=%s\\n' "$r"`,
    `if [ -d "$(dirname -- "$r")" ]; then echo parent=1; else echo parent=0; fi`,
    `printf 'umask=%s\\n' "$(umask)"`,
    // Who the commands run as: a new file's owner.
    idLookupScript(undefined, undefined).text,
  ].join('\n');
  const cmd = sh`${fileStateCommand([path], opts)}
${raw(extra)}`;
  const r = await remote.exec(cmd);
  const at = r.stdout.lastIndexOf(MARK + '\n');
  if (r.rc !== 0 || at < 0) throw new SamsError(`could not read ${path}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  return parseTextFileProbe(path, r.stdout.slice(0, at), r.stdout.slice(at + MARK.length + 1));
}

/** Parse the probe's two parts. Pure. */
export function parseTextFileProbe(path: string, fileOut: string, extraOut: string): TextFileState {
  const file = parseFileStates(fileOut, [path], { follow: true, content: true })[0]!;
  const kv = new Map<string, string>();
  for (const line of extraOut.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const { me, myGroup } = parseIdLookup(extraOut, undefined, undefined);
  return {
    path,
    file,
    realPath: kv.get('real') || path,
    parentExists: kv.get('parent') === '1',
    umask: parseInt(kv.get('umask') ?? '022', 8),
    user: { uid: me?.id ?? 0, gid: myGroup?.id ?? 0, name: me?.name ?? 'root', group: myGroup?.name ?? 'root' },
  };
}

/** Ansible's first checks: a directory is refused (rc 256); a non-regular file or a huge one cannot be edited. */
export function refuseUnusable(st: TextFileState): Plan | undefined {
  if (st.file.exists && st.file.type === 'directory') return { kind: 'fail', msg: `Path ${st.path} is a directory !`, data: { rc: 256 } };
  if (st.file.exists && st.file.contentTooLarge) {
    return { kind: 'fail', msg: `${st.path} is larger than ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MiB; sams does not edit files that large`, hint: 'use copy or template for the whole file' };
  }
  if (st.file.exists && !st.file.content) return { kind: 'fail', msg: `${st.path} is not a regular file`, hint: 'lineinfile, blockinfile and replace edit regular files' };
  // An unreadable file comes back empty: never plan an edit on content we did not get.
  if (st.file.exists && st.file.size !== undefined && st.file.content!.length !== st.file.size) {
    return { kind: 'fail', msg: `could not read ${st.path} (${st.file.content!.length} of ${st.file.size} bytes)`, hint: 'is it readable by the (become) user?' };
  }
  return undefined;
}

/** The state a newly created file will have: mode 0666 minus the umask, owned by the (become) user. */
export function newFileState(st: TextFileState): FileState {
  return {
    path: st.realPath,
    exists: true,
    type: 'file',
    mode: formatMode(0o666 & ~st.umask),
    owner: st.user.name,
    group: st.user.group,
    uid: st.user.uid,
    gid: st.user.gid,
  };
}

export interface TextTarget {
  backup: boolean;
  validate?: string;
  mode?: string;
  owner?: string;
  group?: string;
}

export interface TextEdit {
  /** The result key for the backup's path: lineinfile says `backup`, blockinfile and replace `backup_file` (as ansible-playbook). */
  backupKey?: 'backup' | 'backup_file';
  /** The new content, or undefined when the content stays as it is. */
  after?: Buffer;
  /** Ansible's message for the content change ('' when none). */
  msg: string;
  /** More return values (found, rc...). */
  data?: Record<string, unknown>;
  /** Content came from a vault value: the write hides it from diffs. */
  secret?: boolean;
  /** Show an attribute diff as lineinfile/blockinfile do (replace does not). */
  attrDiff?: boolean;
}

function attrText(v: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
  return JSON.stringify(sorted, null, 4) + '\n';
}

/**
 * The plan for a text edit: an atomic write (with mkdir of a missing directory for a new file),
 * then owner/group/mode as check_file_attrs does. In check mode a file that does not exist yet
 * ends the plan before attributes, as Ansible's modules return early there.
 */
export function planTextEdit(t: TextTarget, st: TextFileState, edit: TextEdit, check: boolean): Plan {
  const exists = st.file.exists;
  const steps: Step[] = [];
  const diff: Diff[] = [];
  let msg = edit.msg;
  let changed = edit.after !== undefined;
  const data: Record<string, unknown> = { ...(edit.data ?? {}) };
  if (edit.after !== undefined) {
    if (!exists && !st.parentExists) {
      const dir = st.realPath.replace(/\/[^/]*$/, '') || '/';
      steps.push({ kind: 'run', cmd: sh`mkdir -p -- ${dir}` });
    }
    steps.push({
      kind: 'write',
      path: st.realPath,
      content: edit.secret ? Secret.derived(edit.after.toString('utf8')) : edit.after,
      mode: t.mode,
      owner: t.owner,
      group: t.group,
      validate: t.validate,
      backup: t.backup && exists,
      backupKey: edit.backupKey ?? 'backup_file',
      before: exists ? (st.file.content ?? null) : null,
      // Ansible's lineinfile/blockinfile (the modules with an attributes entry) head the content diff 'PATH (content)'.
      ...(edit.attrDiff && { diffTarget: `${st.path} (content)` }),
    });
  }
  // lineinfile/blockinfile return a content and an attributes entry, --diff or not (the content's
  // texts only come with --diff, from the shown diff; attributes as dicts when they change).
  const content = `${st.path} (content)`;
  const attrsHeader = `${st.path} (file attributes)`;
  const attrEntry: Record<string, unknown> = { before_header: attrsHeader, after_header: attrsHeader };
  if (!(check && !exists)) {
    const attrs = planAttrs(st.realPath, exists ? st.file : newFileState(st), { owner: t.owner, group: t.group, mode: t.mode });
    if (attrs.command) {
      msg = (changed ? `${msg} and ` : '') + 'ownership, perms or SE linux context changed';
      if (!changed) steps.push({ kind: 'run', cmd: attrs.command });
      if (edit.attrDiff) diff.push({ target: attrsHeader, before: attrText(attrs.before), after: attrText(attrs.after) });
      Object.assign(attrEntry, { before: { ...attrs.before }, after: { ...attrs.after } });
      changed = true;
    }
  }
  data.msg = msg;
  const reg = edit.attrDiff ? { registeredDiff: [{ before: '', after: '', before_header: content, after_header: content }, attrEntry] } : {};
  if (!changed) return { kind: 'ok', note: msg || undefined, data, ...reg };
  return { kind: 'change', steps, note: msg, data, diff: diff.length ? diff : undefined, ...reg };
}

