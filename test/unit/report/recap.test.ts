// The PLAY RECAP against lines captured from real ansible-playbook (test/fixtures/report/README.md).

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { HostStats } from '../../../src/engine/result.js';
import { stripColor } from '../../../src/report/color.js';
import { createReporter, recapLine } from '../../../src/report/index.js';
import { renderAnsibleRecap } from '../../../src/report/render-recap.js';
import { RecordingStream, recap, stats } from './events.js';

const execFileAsync = promisify(execFile);
const FIX = join(import.meta.dirname, '../../fixtures/report');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');

/** The tallies ansible-playbook printed for recap-playbook.yml (see the fixture). */
const FIXTURE_STATS: Record<string, HostStats> = {
  unreach: stats({ unreachable: 1 }),
  okhost: stats({ ok: 1, skipped: 4 }),
  'a-very-long-hostname-here.example.com': stats({ ok: 3, changed: 2, skipped: 2, ignored: 1 }),
  failhost: stats({ ok: 1, failed: 1, skipped: 3 }),
  changedhost: stats({ ok: 2, changed: 1, skipped: 3 }),
  rescuehost: stats({ ok: 2, skipped: 3, rescued: 1 }),
};

/** The recap block as Ansible prints it: from the banner to the blank line after the hosts. */
function recapSection(text: string): string {
  return text.slice(text.indexOf('PLAY RECAP'));
}

describe('recap lines match ansible-playbook byte for byte', () => {
  const plain = fixture('ansible-recap.txt').split('\n');
  const colored = fixture('ansible-recap-color.txt').split('\n');
  it.each(Object.keys(FIXTURE_STATS))('%s without colour', (host) => {
    expect(recapLine(host, FIXTURE_STATS[host]!, false)).toBe(plain.find((l) => l.startsWith(`${host} `)));
  });
  it.each(Object.keys(FIXTURE_STATS))('%s with colour', (host) => {
    expect(recapLine(host, FIXTURE_STATS[host]!, true)).toBe(colored.find((l) => stripColor(l).startsWith(`${host} `)));
  });
});

describe('the recap block (banner, hosts sorted, blank line)', () => {
  it('matches the plain fixture', () => {
    expect(renderAnsibleRecap(FIXTURE_STATS, 80, false).slice(1).join('\n') + '\n').toBe(fixture('ansible-recap.txt'));
  });
  it('matches the colour fixture', () => {
    expect(renderAnsibleRecap(FIXTURE_STATS, 80, true).slice(1).join('\n') + '\n').toBe(fixture('ansible-recap-color.txt'));
  });
  it('is what the plain reporter writes', () => {
    const out = new RecordingStream();
    createReporter({ format: 'plain', out, verbosity: 0, diff: false, check: false }).emit(recap({ stats: FIXTURE_STATS }));
    expect(out.text).toContain('\n' + fixture('ansible-recap.txt'));
  });
  it('is what the tty reporter writes on an 80-column terminal', () => {
    const out = new RecordingStream({ tty: true, columns: 80 });
    createReporter({ format: 'tty', out, verbosity: 0, diff: false, check: false, color: true }).emit(recap({ stats: FIXTURE_STATS }));
    expect(out.text).toContain('\n' + fixture('ansible-recap-color.txt'));
  });
});

function hasAnsible(): boolean {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Run the fixture playbook with these extra env vars; its stdout (rc 4 is expected: the unreachable host). */
async function runFixturePlaybook(env: Record<string, string>): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'sams-recap-'));
  try {
    const args = ['-i', join(FIX, 'recap-inventory.ini'), join(FIX, 'recap-playbook.yml')];
    const fullEnv = { PATH: process.env.PATH, HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_HOST_KEY_CHECKING: 'False', ...env };
    try {
      return (await execFileAsync('ansible-playbook', args, { env: fullEnv, encoding: 'utf8' })).stdout;
    } catch (e) {
      return (e as { stdout: string }).stdout;
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe.skipIf(!hasAnsible())('the fixtures (skipped when ansible-playbook is not installed)', () => {
  it('are what ansible-playbook prints today, with and without colour', async () => {
    const [plain, colored] = await Promise.all([runFixturePlaybook({ ANSIBLE_NOCOLOR: '1' }), runFixturePlaybook({ ANSIBLE_FORCE_COLOR: '1' })]);
    expect(recapSection(plain)).toBe(fixture('ansible-recap.txt'));
    expect(recapSection(colored)).toBe(fixture('ansible-recap-color.txt'));
  });
});
