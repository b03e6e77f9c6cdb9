import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { coalesceRuns } from '../../../src/engine/apply-steps.js';
import { sh } from '../../../src/shell/quote.js';
import type { Step } from '../../../src/modules/types.js';

const run = (cmd: ReturnType<typeof sh>): Step => ({ kind: 'run', cmd });

describe('coalesceRuns', () => {
  it('merges consecutive plain commands into one and keeps steps with stdin or a report apart', () => {
    const steps: Step[] = [
      run(sh`true`),
      run(sh`echo a || echo b`),
      { kind: 'run', cmd: sh`cat`, stdin: 'x' },
      run(sh`true`),
      { kind: 'run', cmd: sh`ls`, report: true },
    ];
    const out = coalesceRuns(steps);
    expect(out.map((s) => s.kind === 'run' && s.cmd.display)).toEqual(['true && echo a || echo b', 'cat', 'true', 'ls']);
  });

  it('the merged command stops at the first failure, and one command`s || stays inside it (real /bin/sh)', () => {
    const [merged] = coalesceRuns([run(sh`false || echo one`), run(sh`false`), run(sh`echo never`)]);
    const r = spawnSync('/bin/sh', ['-c', (merged as Extract<Step, { kind: 'run' }>).cmd.text], { encoding: 'utf8' });
    expect(r.stdout).toBe('one\n');
    expect(r.status).toBe(1);
    const [ok] = coalesceRuns([run(sh`echo a`), run(sh`echo b; echo c`)]);
    expect(execFileSync('/bin/sh', ['-c', (ok as Extract<Step, { kind: 'run' }>).cmd.text], { encoding: 'utf8' })).toBe('a\nb\nc\n');
  });
});
