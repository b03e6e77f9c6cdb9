// command, shell and raw: arguments, the creates/removes/chdir probe (run with the real sh),
// the plan, and the timed run wrapper (run with the real sh).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import commandModule, { commandSpec } from '../../../src/modules/command.js';
import rawModule from '../../../src/modules/raw.js';
import shellModule, { shellSpec } from '../../../src/modules/shell.js';
import { commandProbeScript, parseCommandProbe, planCommand, splitTimedStderr, timedScript, type CommandSpec } from '../../../src/modules/lib/run-command.js';
import type { PlanEnv } from '../../../src/modules/types.js';
import { argError, args } from './env.js';

const REAL: PlanEnv = { host: 'h1', check: false, diff: false };
const CHECK: PlanEnv = { host: 'h1', check: true, diff: false };

function sh(script: string, opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync('sh', ['-c', script], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  return { rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('command arguments', () => {
  it('takes the command line as cmd (the free-form text) or argv', () => {
    expect(args(commandModule, { cmd: 'ls -l' }).cmd).toBe('ls -l');
    expect(args(commandModule, { argv: ['ls', '-l'] }).argv).toEqual(['ls', '-l']);
  });
  it.each([
    [{}, /no command given/],
    [{ cmd: '  ' }, /no command given/],
    [{ cmd: 'ls', argv: ['ls'] }, /only command or argv/],
    [{ cmd: "echo 'open" }, /No closing quotation/],
    [{ cmd: 'ls', warn: false }, /unknown argument 'warn'/],
    [{ cmd: 'ls', executable: '/bin/bash' }, /unknown argument 'executable'/],
    [{ cmd: 'ls', creates: ['a'] }, /creates/],
  ])('rejects %j', (raw, msg) => {
    expect(argError(commandModule, raw)).toMatch(msg);
  });
  it('coerces yes/no and defaults as Ansible', () => {
    const a = args(commandModule, { cmd: 'cat', stdin_add_newline: 'no' });
    expect(a.stdin_add_newline).toBe(false);
    expect(a.strip_empty_ends).toBe(true);
  });
  it('declares the check-mode stance: predictable only with creates or removes', () => {
    const stance = commandModule.check as (a: unknown) => string | undefined;
    expect(stance(args(commandModule, { cmd: 'ls' }))).toBe('command cannot predict its effect in check mode; add creates: or removes:');
    expect(stance(args(commandModule, { cmd: 'ls', creates: '/x' }))).toBeUndefined();
    expect(stance(args(commandModule, { cmd: 'ls', removes: '/x' }))).toBeUndefined();
  });
});

describe('shell and raw arguments', () => {
  it('shell takes executable; raw takes only its text and executable', () => {
    expect(args(shellModule, { cmd: 'echo $HOME', executable: '/bin/bash' }).executable).toBe('/bin/bash');
    expect(argError(shellModule, { cmd: 'ls', argv: ['ls'] })).toMatch(/unknown argument 'argv'/);
    expect(argError(rawModule, { free_form: 'ls', creates: '/x' })).toMatch(/unknown argument 'creates'/);
    expect(argError(rawModule, {})).toMatch(/free_form/);
  });
  it('raw is skipped in check mode, whatever its arguments', () => {
    const stance = rawModule.check as (a: unknown) => string | undefined;
    expect(stance(args(rawModule, { free_form: 'true' }))).toBeTruthy();
  });
  it('raw plans one reported run step with the text as it is', () => {
    const plan = rawModule.plan(args(rawModule, { free_form: 'echo "$((1+2))" | tr 3 x' }), undefined, REAL);
    expect(plan.kind).toBe('change');
    const step = plan.kind === 'change' ? plan.steps[0]! : undefined;
    expect(step?.kind === 'run' && step.report).toBe(true);
    expect(step?.kind === 'run' && sh(step.cmd.text).stdout).toBe('x\n');
  });
});

describe('the creates/removes/chdir probe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sams-cmd-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'made-1.txt'), '');
  writeFileSync(join(dir, 'plain'), '');
  const home = mkdtempSync(join(tmpdir(), 'sams-home-'));
  writeFileSync(join(home, 'marker'), '');

  const probe = (spec: Partial<CommandSpec>) => {
    const script = commandProbeScript(spec as CommandSpec);
    return script ? parseCommandProbe(sh(script.text, { env: { HOME: home } }).stdout, spec.chdir) : {};
  };

  it('needs no round trip without chdir, creates or removes', () => {
    expect(commandProbeScript({})).toBeUndefined();
  });
  it('matches creates as a glob, relative to chdir', () => {
    expect(probe({ chdir: dir, creates: 'sub/made-*.txt' })).toEqual({ cwd: dir, createsExists: true });
    expect(probe({ chdir: dir, creates: 'sub/none-*.txt' })).toEqual({ cwd: dir, createsExists: false });
    expect(probe({ creates: join(dir, 'sub', 'made-[0-9].txt') }).createsExists).toBe(true);
  });
  it('expands ~ and $VAR as Ansible does for paths', () => {
    expect(probe({ removes: '$HOME/marker' }).removesExists).toBe(true);
    expect(probe({ removes: '~/marker' }).removesExists).toBe(true);
    expect(probe({ removes: '~/absent' }).removesExists).toBe(false);
  });
  it('reports a chdir that cannot be entered with Ansible errno text', () => {
    expect(probe({ chdir: join(dir, 'nope') }).chdirError).toBe(`[Errno 2] No such file or directory: b'${join(dir, 'nope')}'`);
    expect(probe({ chdir: join(dir, 'plain'), creates: 'x' }).chdirError).toBe(`[Errno 20] Not a directory: b'${join(dir, 'plain')}'`);
  });
});

describe('planCommand', () => {
  const spec = commandSpec(args(commandModule, { cmd: 'touch /tmp/x', creates: '/tmp/x', removes: '/tmp/y' }));
  it('skips when creates exists, with the keys Ansible returns', () => {
    expect(planCommand(spec, { createsExists: true }, REAL)).toEqual({
      kind: 'ok',
      note: "Did not run command since '/tmp/x' exists",
      data: {
        cmd: ['touch', '/tmp/x'],
        rc: 0,
        stdout: 'skipped, since /tmp/x exists',
        stdout_lines: ['skipped, since /tmp/x exists'],
        stderr: '',
        stderr_lines: [],
        start: null,
        end: null,
        delta: null,
        msg: "Did not run command since '/tmp/x' exists",
      },
    });
  });
  it('skips when removes is missing ("Would" in check mode)', () => {
    const p = planCommand(spec, { createsExists: false, removesExists: false }, CHECK);
    expect(p.kind).toBe('ok');
    expect(p.data?.msg).toBe("Would not run command since '/tmp/y' does not exist");
    expect(p.data?.stdout).toBe('skipped, since /tmp/y does not exist');
  });
  it('runs otherwise: one step; in check mode Ansible’s message', () => {
    const real = planCommand(spec, { createsExists: false, removesExists: true }, REAL);
    expect(real.kind === 'change' && real.steps.length).toBe(1);
    expect(real.data).toBeUndefined();
    const check = planCommand(spec, { createsExists: false, removesExists: true }, CHECK);
    expect(check.kind).toBe('change');
    expect(check.data).toMatchObject({ msg: 'Command would have run if not in check mode', rc: 0 });
  });
  it('fails when chdir fails', () => {
    const p = planCommand(spec, { chdirError: "[Errno 2] No such file or directory: '/nope'" }, REAL);
    expect(p).toMatchObject({ kind: 'fail', msg: "Unable to change directory before execution: [Errno 2] No such file or directory: '/nope'" });
  });
});

describe('the timed run wrapper', () => {
  const run = (spec: CommandSpec, input = '', env: Record<string, string> = {}) => {
    const r = sh(timedScript(spec).text, { input, env });
    return { ...r, ...splitTimedStderr(r.stderr) };
  };

  it('keeps stdout and stderr apart from the time stamps and reports Python-style times', () => {
    const r = run(shellSpec(args(shellModule, { cmd: 'echo out; echo err >&2; sleep 0.2; exit 3' })));
    expect(r.rc).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(r.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(r.end).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(r.delta).toMatch(/^0:00:00\.[2-9]\d{5}$/);
    expect(r.notFound).toBe(false);
  });
  it('runs the program, not a shell builtin of the same name, with every word quoted', () => {
    const r = run(commandSpec(args(commandModule, { cmd: `echo -e 'a\\tb' ';' '*' '|' '\`x\`'` })));
    // /bin/echo (GNU) understands -e; no shell syntax takes effect.
    expect(r.stdout).toBe('a\tb ; * | `x`\n');
  });
  it('expands $VAR, ${VAR} and a leading ~ in each word, as Ansible’s run_command does', () => {
    const r = run(commandSpec(args(commandModule, { argv: ['printf', '%s|', '$SAMS_T', '${SAMS_T}x', '$NOPE_SAMS', '${NOPE_SAMS}', '~', '~/d', '~root', 'a~', '$', '${', 'a$SAMS_T.b'] })), '', { SAMS_T: 'v a l', HOME: '/home/t' });
    expect(r.stdout).toBe('v a l|v a lx|$NOPE_SAMS|${NOPE_SAMS}|/home/t|/home/t/d|/root|a~|$|${|av a l.b|');
  });
  it('reports a program missing from PATH as Ansible does (errno 2)', () => {
    const r = run(commandSpec(args(commandModule, { cmd: 'no-such-program-sams --x' })));
    expect(r.notFound).toBe(true);
    expect(r.rc).toBe(2);
    expect(r.stderr).toBe('');
  });
  it('passes stdin through to the command', () => {
    const r = run(commandSpec(args(commandModule, { argv: ['cat'] })), 'fed\n');
    expect(r.stdout).toBe('fed\n');
  });
  it('shell runs through /bin/sh -c, or the executable given', () => {
    expect(run(shellSpec(args(shellModule, { cmd: 'echo $((2*21)) | tr 4 X' }))).stdout).toBe('X2\n');
    const bash = execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    expect(run(shellSpec(args(shellModule, { cmd: 'echo ${BASH_VERSION:+bash}', executable: bash }))).stdout).toBe('bash\n');
  });
});
