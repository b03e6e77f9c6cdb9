// wait_for: wait on the target for a port to open/close/drain, a file to appear/disappear or to
// contain a pattern, or just for some time; one command loops there until done or timed out.

import { z } from 'zod';
import { zInt, zList, zStr } from './lib/args.js';
import { compilePy } from '../python/re.js';
import { CONNECTION_STATE_IDS, parseWaitOutput, waitForScript, type WaitSpec } from './lib/wait-for-script.js';
import { defineModule, type Plan } from './types.js';

const STATES = ['started', 'present', 'stopped', 'absent', 'drained'] as const;

const args = z
  .object({
    host: zStr().default('127.0.0.1'),
    port: zInt().optional(),
    path: zStr().optional(),
    search_regex: zStr().optional(),
    state: z.enum(STATES).default('started'),
    timeout: zInt().default(300),
    delay: zInt().default(0),
    sleep: zInt().default(1),
    connect_timeout: zInt().default(5),
    msg: zStr().optional(),
    exclude_hosts: zList(zStr()).optional(),
    active_connection_states: zList(zStr()).default(['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT']),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    if (a.port !== undefined && a.path !== undefined) issue('port and path parameter can not both be passed to wait_for', ['path']);
    if (a.path !== undefined && a.state === 'stopped') issue('state=stopped should only be used for checking a port in the wait_for module', ['state']);
    if (a.path !== undefined && a.state === 'drained') issue('state=drained should only be used for checking a port in the wait_for module', ['state']);
    if (a.state === 'drained' && a.port === undefined) issue('state=drained needs a port', ['state']);
    if (a.exclude_hosts !== undefined && a.state !== 'drained') issue('exclude_hosts should only be with state=drained', ['exclude_hosts']);
    for (const s of a.active_connection_states) {
      if (!(s in CONNECTION_STATE_IDS)) issue(`unknown active_connection_state (${s}) defined`, ['active_connection_states']);
    }
    if (a.port !== undefined && (a.port < 1 || a.port > 65535)) issue('port must be between 1 and 65535', ['port']);
    for (const k of ['timeout', 'delay', 'sleep', 'connect_timeout'] as const) if (a[k] < 0) issue(`${k} must not be negative`, [k]);
    if (a.search_regex !== undefined) {
      try {
        compilePy(a.search_regex, { multiline: true });
      } catch (e) {
        issue(`Invalid regular expression: ${(e as Error).message}`, ['search_regex']);
      }
    }
  });

export type WaitForArgs = z.output<typeof args>;

export function waitSpec(a: WaitForArgs): WaitSpec {
  return {
    host: a.host,
    port: a.port,
    path: a.path,
    searchRegex: a.search_regex,
    state: a.state,
    timeout: a.timeout,
    delay: a.delay,
    sleep: a.sleep,
    connectTimeout: a.connect_timeout,
    excludeHosts: a.exclude_hosts,
    activeStates: a.active_connection_states,
  };
}

/** Ansible's "Timeout when waiting for ..." message for what was awaited. */
export function timeoutMessage(a: WaitForArgs): string {
  if (a.msg !== undefined) return a.msg;
  const hp = `${a.host}:${a.port}`;
  switch (a.state) {
    case 'drained':
      return `Timeout when waiting for ${hp} to drain`;
    case 'stopped':
    case 'absent':
      return a.port !== undefined ? `Timeout when waiting for ${hp} to stop.` : `Timeout when waiting for ${a.path} to be absent.`;
    default:
      if (a.port !== undefined) return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${hp}` : `Timeout when waiting for ${hp}`;
      return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
  }
}

export function planWaitFor(a: WaitForArgs, out: { rc: number; stdout: string; stderr: string }): Plan {
  if (out.rc !== 0) return { kind: 'fail', msg: `wait_for could not run on the target (rc ${out.rc})${out.stderr.trim() ? `: ${out.stderr.trim()}` : ''}` };
  const r = parseWaitOutput(out.stdout, a.search_regex);
  switch (r.kind) {
    case 'ok':
      return {
        kind: 'ok',
        data: {
          state: a.state,
          port: a.port ?? null,
          search_regex: a.search_regex ?? null,
          match_groups: r.matchGroups,
          match_groupdict: r.matchGroupdict,
          path: a.path ?? null,
          elapsed: r.elapsed,
          // Ansible's add_path_info: attributes of an existing path (and its state, e.g. 'file').
          ...r.pathInfo,
        },
      };
    case 'timeout':
      return { kind: 'fail', msg: timeoutMessage(a), data: { elapsed: r.elapsed } };
    case 'staterror':
      return { kind: 'fail', msg: a.msg ?? `Failed to stat ${a.path}, Permission denied`, data: { elapsed: r.elapsed } };
    case 'notool':
      return {
        kind: 'fail',
        msg: `cannot test ${a.host}:${a.port} from the target: neither nc nor bash is installed there`,
        hint: 'install netcat (nc) on the target; without it only ports of the target itself can be checked, and only without search_regex',
        data: { elapsed: r.elapsed },
      };
  }
}

export default defineModule({
  name: 'wait_for',
  summary: 'Wait for a port or a file (or its content) to reach a state, or for a number of seconds.',
  where: 'target',
  args,
  // Ansible's wait_for does not support check mode (it is skipped there).
  check: () => 'wait_for does not support check mode',
  async probe(env, a: WaitForArgs) {
    const limit = (a.delay + a.timeout + 2 * a.connect_timeout + 60) * 1000;
    const r = await env.remote.exec(waitForScript(waitSpec(a)), { timeoutMs: limit });
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  },
  plan: (a, out) => planWaitFor(a, out),
});
