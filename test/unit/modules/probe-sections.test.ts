// Batched probes: sections split back apart, and a command that failed before any section ran
// (a become that did not happen) reports what the host said on stderr and on stdout.

import { describe, expect, test } from 'vitest';
import { parseSections, runSections, sectionsScript } from '../../../src/modules/lib/probe-sections.js';
import type { Remote } from '../../../src/modules/types.js';
import { sh } from '../../../src/shell/quote.js';
import { spawnSync } from 'node:child_process';

const remote = (rc: number, stdout: string, stderr: string): Remote => ({ exec: async () => ({ rc, stdout, stderr, stdoutBytes: Buffer.from(stdout) }), get: async () => Buffer.alloc(0) });

describe('probe sections', () => {
  test('each section comes back with its output and exit status', () => {
    const script = sectionsScript([
      { name: 'a', script: sh`echo one` },
      { name: 'b', script: sh`echo two; exit 3` },
    ]);
    const out = spawnSync('sh', ['-c', script.text], { encoding: 'utf8' }).stdout;
    expect([...parseSections(out, ['a', 'b'])]).toEqual([
      ['a', { stdout: 'one\n', rc: 0 }],
      ['b', { stdout: 'two\n', rc: 3 }],
    ]);
  });

  test('a failure before the script ran keeps stdout in the message (su to a nologin account)', async () => {
    await expect(runSections(remote(1, 'This account is currently not available.\n', ''), [{ name: 'a', script: sh`true` }])).rejects.toThrow(
      "could not read the host's state: This account is currently not available.",
    );
    await expect(runSections(remote(1, 'out\n', 'su: Authentication failure\n'), [{ name: 'a', script: sh`true` }])).rejects.toThrow('su: Authentication failure\nout');
    await expect(runSections(remote(7, '', ''), [{ name: 'a', script: sh`true` }])).rejects.toThrow("could not read the host's state: rc 7");
  });
});
