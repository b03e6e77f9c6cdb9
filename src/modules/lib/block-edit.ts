// blockinfile's editing rules, ported from ansible-core 2.14's blockinfile.py main(). Works on
// byte strings (one char per byte) as the module works on bytes.

import { newlinesInDecodedPrefix } from './py-text.js';
import { compilePy, parseTemplate, pySearch, pySubn, PyRegexError, type PyPattern } from '../../python/re.js';

export interface BlockSpec {
  present: boolean;
  /** Byte strings (toByteString). */
  block: string;
  marker: string;
  /** six.b(): Latin-1 bytes, so here the strings as given (checked to be Latin-1). */
  markerBegin: string;
  markerEnd: string;
  /** After the 'EOF' default is applied: at most one of them is set. */
  insertafter?: string;
  insertbefore?: string;
  /** Compiled insertafter/insertbefore when it is a regex (not EOF/BOF as blockinfile reads them). */
  insertRe?: PyPattern;
}

export interface BlockEditResult {
  result: string;
  changed: boolean;
  msg: string;
}

/** bytes.splitlines(True): lines end at \n, \r\n or \r. */
export function splitlinesKeep(s: string): string[] {
  return s.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** A case where Ansible's module itself raises (it fails the task there too). */
export class BlockEditError extends Error {}

const MARK = compilePy('{mark}', { bytes: true });

/** re.sub(b'{mark}', value, marker): the value is a replacement template, as in Ansible. */
function markerLine(marker: string, value: string): string {
  if (/[^\x00-\xff]/.test(value)) throw new BlockEditError(`marker_begin/marker_end must be Latin-1 text (blockinfile encodes them with six.b): ${JSON.stringify(value)}`);
  return pySubn(MARK, parseTemplate(value, MARK), marker)[0] + '\n';
}

/** The markers' lines as blockinfile builds them. */
export function blockMarkers(spec: Pick<BlockSpec, 'marker' | 'markerBegin' | 'markerEnd'>): [string, string] {
  return [markerLine(spec.marker, spec.markerBegin), markerLine(spec.marker, spec.markerEnd)];
}

/**
 * The new content for `original` (null: the file does not exist yet). Throws BlockEditError (or
 * PyRegexError for a bad marker template) where Ansible's module itself raises.
 */
export function editBlock(original: string | null, spec: BlockSpec): BlockEditResult {
  const lines = original === null ? [] : splitlinesKeep(original);
  const [marker0, marker1] = blockMarkers(spec);
  let blocklines: string[] = [];
  if (spec.present && spec.block) {
    const block = spec.block.endsWith('\n') ? spec.block : spec.block + '\n';
    blocklines = [marker0, block, marker1];
  }

  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });

  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (spec.insertRe) {
      if (spec.insertRe.flags.multiline) {
        // Ansible searches the whole file and counts newlines in the decoded text up to the match.
        const text = original ?? '';
        const m = pySearch(spec.insertRe, text);
        if (m) {
          const bytes = Buffer.from(text, 'latin1');
          if (spec.insertafter) n0 = newlinesInDecodedPrefix(bytes, m.index + m[0].length);
          else if (spec.insertbefore) n0 = newlinesInDecodedPrefix(bytes, m.index);
        }
      } else {
        lines.forEach((line, i) => {
          if (pySearch(spec.insertRe!, line)) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (spec.insertafter !== undefined) n0 += 1;
    } else if (spec.insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 + 1 - n0);
  } else {
    lines.splice(n1, n0 + 1 - n1);
    n0 = n1;
  }

  // A line separator before the block.
  if (n0 > 0) {
    if (n0 - 1 >= lines.length) throw new BlockEditError('list index out of range: the insertafter match ends after the last line (Ansible fails here too)');
    if (!lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  }
  lines.splice(n0, 0, ...blocklines);
  const result = lines.join('');

  if (original === result) return { result, changed: false, msg: '' };
  if (original === null) return { result, changed: true, msg: 'File created' };
  if (blocklines.length === 0) return { result, changed: true, msg: 'Block removed' };
  return { result, changed: true, msg: 'Block inserted' };
}
