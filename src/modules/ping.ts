// ping: prove the host is reachable and runs sh: runs `printf` there and returns ping: <data>.

import { z } from 'zod';
import { sh } from '../shell/quote.js';
import { zStr } from './lib/args.js';
import { defineModule } from './types.js';

const args = z.object({ data: zStr().default('pong') }).strict();

export type PingArgs = z.output<typeof args>;

export default defineModule({
  name: 'ping',
  summary: 'Check that the host is reachable and can run commands; returns ping: pong.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: PingArgs): Promise<{ rc: number; stdout: string; stderr: string }> {
    const r = await env.remote.exec(sh`printf '%s' ${a.data}`);
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  },
  plan(a, r) {
    // Ansible's ping raises on data=crash, to test error handling.
    if (a.data === 'crash') {
      return { kind: 'fail', msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', data: { module_stdout: '', module_stderr: 'Exception: boom\n', exception: 'Exception: boom', rc: 1 } };
    }
    if (r.rc !== 0 || r.stdout !== a.data) {
      return { kind: 'fail', msg: `the host could not run a shell command (rc ${r.rc})${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}` };
    }
    return { kind: 'ok', data: { ping: r.stdout } };
  },
});
