// The tree listing below a directory reached through its resolved path, run by the real sh on a
// real tree: entries relative to the root, checksums on the right entries even when one name is
// a suffix of another, and nothing for a path that is not a directory.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResolvedTreeListing, resolvedTreeListingScript } from '../../../src/modules/lib/tree-listing.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-tree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'real/b'), { recursive: true });
writeFileSync(join(dir, 'real/c'), 'top\n');
writeFileSync(join(dir, 'real/b/c'), 'nested\n');
symlinkSync('real', join(dir, 'via-link'));
writeFileSync(join(dir, 'plain'), 'x');

const sha1 = (f: string) => execFileSync('sha1sum', [f], { encoding: 'utf8' }).split(' ')[0];
const list = (path: string, checksum: boolean) => parseResolvedTreeListing(execFileSync('/bin/sh', ['-c', resolvedTreeListingScript(path, { checksum }).text], { encoding: 'utf8' }));

describe('resolved tree listing', () => {
  it('lists below the resolved directory, each checksum on its own entry', () => {
    const byRel = Object.fromEntries(list(join(dir, 'via-link'), true).map((e) => [e.rel, e]));
    expect(Object.keys(byRel).sort()).toEqual(['b', 'b/c', 'c']);
    expect(byRel.c!.checksum).toBe(sha1(join(dir, 'real/c')));
    expect(byRel['b/c']!.checksum).toBe(sha1(join(dir, 'real/b/c')));
    expect(byRel.b!.type).toBe('directory');
    expect(byRel.b!.checksum).toBeUndefined();
  });

  it('gives nothing for a file or a missing path', () => {
    expect(list(join(dir, 'plain'), true)).toEqual([]);
    expect(list(join(dir, 'missing'), false)).toEqual([]);
  });
});
