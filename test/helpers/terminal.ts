// Runs a command on a real pseudo-terminal (Python's pty) and answers its prompts, for tests of
// interactive input (hidden passwords, vars_prompt).

import { spawnSync } from 'node:child_process';

const DRIVER = `
import os, pty, select, sys, time, json
steps = json.loads(os.environ['DIALOGUE'])
argv = json.loads(os.environ['ARGV'])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''; seen = 0; deadline = time.time() + 30
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    while steps and steps[0][0].encode() in out[seen:]:
        seen = out.index(steps[0][0].encode(), seen) + len(steps[0][0])
        time.sleep(0.1)
        os.write(fd, steps.pop(0)[1].encode())
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Run argv on a terminal; each [prompt, answer] pair answers the prompt when it appears. Output has \n line ends. */
export function onTerminal(cwd: string, argv: string[], dialogue: Array<[string, string]>, env: Record<string, string>): { out: string; status: number | null } {
  const r = spawnSync('/usr/bin/python3', ['-c', DRIVER], {
    cwd,
    env: { ...env, DIALOGUE: JSON.stringify(dialogue), ARGV: JSON.stringify(argv) },
    encoding: 'utf8',
    timeout: 40_000,
  });
  return { out: r.stdout.replace(/\r\n/g, '\n'), status: r.status };
}
