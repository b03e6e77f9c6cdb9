// debug, set_fact, assert, fail, pause and ping's plan: arguments and results as Ansible's, with
// the real templar.

import { describe, expect, it } from 'vitest';
import assertModule, { runAssert } from '../../../src/modules/assert.js';
import debugModule, { runDebug } from '../../../src/modules/debug.js';
import failModule from '../../../src/modules/fail.js';
import pauseModule, { pyRound2, runPause } from '../../../src/modules/pause.js';
import pingModule from '../../../src/modules/ping.js';
import setFactModule, { runSetFact } from '../../../src/modules/set_fact.js';
import type { ControllerModule } from '../../../src/modules/types.js';
import { argError, args, controllerEnv } from './env.js';

const VARS = { name: 'web', n: 3, list: [1, 2], nested: { a: { b: 'deep' } }, flag: true };

describe('debug', () => {
  const env = controllerEnv({ vars: VARS });
  it('shows msg, or Hello world! without one', () => {
    expect(runDebug(env, args(debugModule, { msg: 'hi web' }))).toEqual({ status: 'ok', msg: 'hi web', data: { msg: 'hi web' } });
    expect(runDebug(env, args(debugModule, {}))).toMatchObject({ status: 'ok', data: { msg: 'Hello world!' } });
    expect(runDebug(env, args(debugModule, { msg: [1, 'two'] }))).toEqual({ status: 'ok', msg: undefined, data: { msg: [1, 'two'] } });
  });
  it('shows var under its own name: a variable or an expression', () => {
    expect(runDebug(env, args(debugModule, { var: 'n' })).data).toEqual({ n: 3 });
    expect(runDebug(env, args(debugModule, { var: 'nested.a.b' })).data).toEqual({ 'nested.a.b': 'deep' });
    expect(runDebug(env, args(debugModule, { var: 'list | length' })).data).toEqual({ 'list | length': 2 });
  });
  it('says VARIABLE IS NOT DEFINED! for an undefined one (with the reason at -v)', () => {
    expect(runDebug(env, args(debugModule, { var: 'nope' })).data).toEqual({ nope: 'VARIABLE IS NOT DEFINED!' });
    expect(runDebug(env, args(debugModule, { var: 'nested.zz' })).data).toEqual({ 'nested.zz': 'VARIABLE IS NOT DEFINED!' });
    const v = controllerEnv({ vars: { ...VARS, ansible_verbosity: 1 } });
    expect(String(runDebug(v, args(debugModule, { var: 'nope' })).data?.nope)).toMatch(/^VARIABLE IS NOT DEFINED!: .*nope/);
  });
  it('keys an already templated list or dict by its Python type', () => {
    expect(runDebug(env, args(debugModule, { var: [1, 2] })).data).toEqual({ "<class 'list'>": [1, 2] });
  });
  it('is skipped when verbosity is above the run’s', () => {
    expect(runDebug(env, args(debugModule, { msg: 'x', verbosity: 2 }))).toEqual({ status: 'skipped', data: { skipped_reason: 'Verbosity threshold not met.' } });
    const v2 = controllerEnv({ vars: { ansible_verbosity: 2 } });
    expect(runDebug(v2, args(debugModule, { msg: 'x', verbosity: 2 })).status).toBe('ok');
  });
  it('rejects msg with var, and unknown arguments', () => {
    expect(argError(debugModule, { msg: 'a', var: 'b' })).toContain("'msg' and 'var' are incompatible options");
    expect(argError(debugModule, { mesage: 'a' })).toContain("unknown argument 'mesage'");
  });
});

describe('set_fact', () => {
  const env = controllerEnv({ vars: VARS });
  it('returns the facts for the set_fact layer and in ansible_facts; not changed', () => {
    const out = runSetFact(env, args(setFactModule, { a: 1, b: [1, { c: 2 }] }));
    expect(out).toEqual({ status: 'ok', facts: { a: 1, b: [1, { c: 2 }] }, factsLayer: 'set_fact', data: { ansible_facts: { a: 1, b: [1, { c: 2 }] } } });
  });
  it('turns the strings yes/no/true/false into booleans, as Ansible does', () => {
    expect(runSetFact(env, args(setFactModule, { a: 'yes', b: 'False', c: 'y', d: 'no thanks' })).facts).toEqual({ a: true, b: false, c: 'y', d: 'no thanks' });
  });
  it('takes cacheable and does not set it as a variable', () => {
    expect(runSetFact(env, args(setFactModule, { a: 1, cacheable: 'yes' })).facts).toEqual({ a: 1 });
  });
  it('renders templated variable names', () => {
    expect(runSetFact(env, args(setFactModule, { '{{ name }}_port': 80 })).facts).toEqual({ web_port: 80 });
  });
  it('rejects names that are not identifiers, and no names at all', () => {
    expect(argError(setFactModule, { '1abc': 1 })).toContain("The variable name '1abc' is not valid");
    expect(argError(setFactModule, { 'a-b': 1 })).toContain('is not valid');
    expect(argError(setFactModule, { class: 1 })).toContain('is not valid');
    expect(argError(setFactModule, { cacheable: true })).toContain('No key/value pairs provided');
  });
});

describe('assert', () => {
  const env = controllerEnv({ vars: VARS });
  it('passes with Ansible’s message', () => {
    expect(runAssert(env, args(assertModule, { that: ['n == 3', 'flag', "name is match('w')"] }))).toEqual({ status: 'ok', msg: 'All assertions passed', data: { msg: 'All assertions passed' } });
  });
  it('fails on the first false condition with assertion and evaluated_to', () => {
    expect(runAssert(env, args(assertModule, { that: ['n == 3', 'n > 5', 'nope'] }))).toEqual({
      status: 'failed',
      msg: 'Assertion failed',
      data: { assertion: 'n > 5', evaluated_to: false, msg: 'Assertion failed' },
    });
  });
  it('uses fail_msg (or msg) and success_msg; quiet keeps the message out of the output', () => {
    expect(runAssert(env, args(assertModule, { that: 'n == 4', msg: 'bad n' })).msg).toBe('bad n');
    expect(runAssert(env, args(assertModule, { that: 'n == 4', fail_msg: 'bad', msg: 'ignored' })).msg).toBe('bad');
    expect(runAssert(env, args(assertModule, { that: 'n == 3', success_msg: 'good', quiet: true }))).toEqual({ status: 'ok', msg: undefined, data: { msg: 'good' } });
  });
  it('accepts a condition already rendered to a boolean', () => {
    expect(runAssert(env, args(assertModule, { that: true })).status).toBe('ok');
    expect(runAssert(env, args(assertModule, { that: [false] })).status).toBe('failed');
  });
  it('an undefined variable in a condition is an error, as in Ansible', () => {
    expect(() => runAssert(env, args(assertModule, { that: 'nope == 1' }))).toThrow(/undefined variable 'nope'/);
  });
  it('requires that:', () => {
    expect(argError(assertModule, { msg: 'x' })).toContain('conditional required in "that" string');
  });
});

describe('fail', () => {
  const run = (raw: Record<string, unknown>) => (failModule as ControllerModule).run(controllerEnv(), args(failModule, raw));
  it('fails with Ansible’s default message or the one given', async () => {
    expect(await run({})).toEqual({ status: 'failed', msg: 'Failed as requested from task', data: { msg: 'Failed as requested from task' } });
    expect(await run({ msg: 'stop here' })).toMatchObject({ status: 'failed', msg: 'stop here' });
  });
});

describe('pause', () => {
  it('rejects minutes with seconds; truncates floats as int() does', () => {
    expect(argError(pauseModule, { minutes: 1, seconds: 2 })).toContain('mutually exclusive: minutes|seconds');
    expect(args(pauseModule, { seconds: 1.9 }).seconds).toBe(1);
  });
  it('waits the seconds given and reports Ansible’s keys', async () => {
    const env = controllerEnv();
    const t0 = Date.now();
    const out = await runPause(env, args(pauseModule, { seconds: 1, prompt: 'wait a bit' }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(out.status).toBe('ok');
    expect(out.data).toMatchObject({ rc: 0, stderr: '', delta: 1, echo: true, user_input: '' });
    expect(out.data?.stdout).toMatch(/^Paused for 1\.0\d? seconds$/);
    expect(out.data?.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(out.data?.stop).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  });
  it('without seconds and without a terminal, does not wait (Ansible’s warning)', async () => {
    const env = controllerEnv();
    const t0 = Date.now();
    const out = await runPause(env, args(pauseModule, { prompt: 'Continue?' }));
    expect(Date.now() - t0).toBeLessThan(500);
    expect(env.warnings).toEqual(['Not waiting for response to prompt as stdin is not interactive']);
    expect(out.data).toMatchObject({ stdout: 'Paused for 0.0 minutes', delta: 0, user_input: '' });
  });
  it('formats durations as Python prints round(x, 2)', () => {
    expect(pyRound2(1.00012)).toBe('1.0');
    expect(pyRound2(0.0167)).toBe('0.02');
    expect(pyRound2(5.1)).toBe('5.1');
  });
});

describe('ping', () => {
  const plan = (data: string, out: { rc: number; stdout: string; stderr: string }) => pingModule.plan(args(pingModule, { data }), out, { host: 'h', check: false, diff: false });
  it('returns ping: pong (or the data given) when the host echoes it', () => {
    expect(plan('pong', { rc: 0, stdout: 'pong', stderr: '' })).toEqual({ kind: 'ok', data: { ping: 'pong' } });
  });
  it('data=crash fails as Ansible’s module does', () => {
    expect(plan('crash', { rc: 0, stdout: 'crash', stderr: '' })).toMatchObject({ kind: 'fail', msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error' });
  });
  it('a shell that cannot run printf fails', () => {
    expect(plan('pong', { rc: 127, stdout: '', stderr: 'printf: not found' })).toMatchObject({ kind: 'fail' });
  });
});
