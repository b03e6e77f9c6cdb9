// The file-state probe, run for real by /bin/sh on this machine, then parsed.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fileStateCommand, fileStateOfVariable, parseFileStates, type ProbeOptions } from '../../../src/facts/file-state.js';
import { sh } from '../../../src/shell/quote.js';

const dir = mkdtempSync(join(tmpdir(), 'sams-fstate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function probe(paths: string[], o: ProbeOptions = {}) {
  const out = execFileSync('/bin/sh', ['-c', fileStateCommand(paths, o).text], { encoding: 'utf8' });
  return parseFileStates(out, paths, o);
}

describe('file state probe', () => {
  const file = join(dir, "a file with 'quotes'");
  writeFileSync(file, 'hello\nworld\n');
  chmodSync(file, 0o640);
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  const link = join(dir, 'link');
  symlinkSync(file, link);
  const bin = join(dir, 'bin');
  writeFileSync(bin, Buffer.from([0, 1, 2, 255, 10, 0]));

  test('several paths in one command: file, directory, link, absent', () => {
    const [f, d, l, a] = probe([file, sub, link, join(dir, 'nope')]);
    expect(f).toMatchObject({ exists: true, type: 'file', mode: '0640', owner: 'root', size: 12 });
    expect(d).toMatchObject({ exists: true, type: 'directory' });
    expect(l).toMatchObject({ exists: true, type: 'link', linkTarget: file });
    expect(a).toEqual({ path: join(dir, 'nope'), exists: false });
  });

  test('checksum is the SHA-1 of the content, content is returned byte for byte', () => {
    const [f, b] = probe([file, bin], { checksum: true, content: true });
    expect(f!.checksum).toBe(execFileSync('sha1sum', [file], { encoding: 'utf8' }).split(' ')[0]);
    expect(f!.content?.toString()).toBe('hello\nworld\n');
    expect(b!.content).toEqual(Buffer.from([0, 1, 2, 255, 10, 0]));
  });

  test('follow reports the target of a link', () => {
    const [l] = probe([link], { follow: true, checksum: true });
    expect(l).toMatchObject({ type: 'file', mode: '0640', followed: true, linkTarget: file });
    expect(l!.checksum).toMatch(/^[0-9a-f]{40}$/);
  });

  test('content above the limit is not transferred', () => {
    const [f] = probe([file], { content: true, maxContentBytes: 4 });
    expect(f!.content).toBeUndefined();
    expect(f!.contentTooLarge).toBe(true);
  });

  test('a path a variable of the script holds is probed and reported under the label given', () => {
    const out = execFileSync('/bin/sh', ['-c', sh`p=${file}\n${fileStateOfVariable('p', 'the-path')}`.text], { encoding: 'utf8' });
    const [f] = parseFileStates(out, ['the-path']);
    expect(f).toMatchObject({ path: 'the-path', exists: true, type: 'file', mode: '0640', size: 12 });
  });
});
