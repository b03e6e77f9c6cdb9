// exec/put/get shared by the SSH and local connections, on top of "start /bin/sh -c SCRIPT".

import { posix } from 'node:path';
import { SamsError } from '../errors.js';
import type { Secret } from '../secret.js';
import { sh, raw, type ShellCommand } from '../shell/quote.js';
import type { Readable } from 'node:stream';
import { buildExecPlan } from './exec-script.js';
import { runExec, type RawProcess } from './run-exec.js';
import type { BecomeSpec, Connection, ExecOptions, ExecResult, PutOptions } from './types.js';

export abstract class BaseConnection implements Connection {
  abstract readonly kind: 'ssh' | 'local';
  #roundTrips = 0;

  constructor(
    readonly name: string,
    protected readonly becomePassword?: string | Secret,
  ) {}

  get roundTrips(): number {
    return this.#roundTrips;
  }

  /**
   * Starts `/bin/sh -c script` (one SSH channel, or one local process). `killable`: the command
   * has a timeout, so the process must be prepared for kill() to reach everything it starts.
   */
  protected abstract spawn(script: string, opts: { killable: boolean }): Promise<RawProcess>;
  abstract close(): Promise<void>;

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const plan = buildExecPlan(command, opts, this.becomePassword);
    this.#roundTrips++;
    const proc = await this.spawn(plan.script, { killable: opts.timeoutMs !== undefined });
    const result = await runExec(proc, plan, opts, this.name);
    if (result.timedOut) this.#killTree(proc.pgid(), opts.become);
    return result;
  }

  /**
   * After a timeout: TERM, then KILL, every process in the script's group and all their
   * descendants, which also reaches commands sudo started in a session of their own (use_pty).
   * Runs as the login user and, with become, also as the become user; errors are ignored.
   */
  #killTree(pgid: number | undefined, become: BecomeSpec | undefined): void {
    if (pgid === undefined) return;
    const script = killTreeScript(pgid);
    void this.exec(script).catch(() => {});
    if (become) void this.exec(script, { become }).catch(() => {});
  }

  async put(path: string, content: string | Buffer | Secret | Readable, opts: PutOptions = {}): Promise<void> {
    const script = putScript(path, opts);
    const r = await this.exec(script.text, { stdin: content, ...(opts.become && { become: opts.become }) });
    if (r.rc !== 0) {
      throw new SamsError(`cannot write ${path} on ${this.name}: ${r.stderr.trim() || `exit status ${r.rc}`}`, { host: this.name });
    }
  }

  async get(path: string, opts: { become?: BecomeSpec } = {}): Promise<Buffer> {
    const r = await this.exec(sh`cat -- ${path}`.text, opts.become ? { become: opts.become } : {});
    if (r.rc !== 0) throw new SamsError(`cannot read ${path} on ${this.name}: ${r.stderr.trim() || `exit status ${r.rc}`}`, { host: this.name });
    return r.stdoutBytes;
  }
}

/** Lists the group's processes and their descendants (ps + awk, POSIX), then TERM, wait, KILL. */
export function killTreeScript(pgid: number): string {
  const awk =
    '{ pid[NR] = $1; pp[NR] = $2; if ($3 == g) s[$1] = 1 } ' +
    'END { do { c = 0; for (i = 1; i <= NR; i++) if (!(pid[i] in s) && (pp[i] in s)) { s[pid[i]] = 1; c = 1 } } while (c); for (k in s) print k }';
  return `p=$(ps -eo pid=,ppid=,pgid= | awk -v g=${pgid} '${awk}')
[ -z "$p" ] || kill -s TERM $p 2>/dev/null
sleep 0.25
[ -z "$p" ] || kill -s KILL $p 2>/dev/null
true`;
}

/**
 * One script that streams stdin into a temp file beside the target, sets mode and owner, and
 * renames it over the target; any failure removes the temp file and leaves the target as it was.
 * Without mode/owner an existing target's are kept (as Ansible's atomic_move does; GNU
 * --reference, silently skipped elsewhere); a new file gets 0666 minus the umask.
 */
export function putScript(path: string, opts: Pick<PutOptions, 'mode' | 'owner' | 'group'>): ShellCommand {
  const dir = posix.dirname(path);
  const mode = opts.mode
    ? sh`chmod ${opts.mode} "$t"`
    : raw(`{ if [ -e "$p" ]; then chmod --reference="$p" "$t" 2>/dev/null || :; else chmod "$(printf %o $((0666 & ~$(umask))))" "$t"; fi; }`);
  const owner =
    opts.owner !== undefined
      ? sh`chown ${opts.group !== undefined ? `${opts.owner}:${opts.group}` : opts.owner} "$t"`
      : opts.group !== undefined
        ? sh`chgrp ${opts.group} "$t"`
        : raw(`{ [ ! -e "$p" ] || chown --reference="$p" "$t" 2>/dev/null || :; }`);
  return sh`p=${path} d=${dir}
if [ -d "$p" ] && [ ! -L "$p" ]; then echo "$p is a directory" >&2; exit 1; fi
t=$(mktemp "$d/.sams.XXXXXX") || exit 1
{ cat > "$t" && ${mode} && ${owner} && mv -f "$t" "$p"; } || { r=$?; rm -f "$t"; exit $r; }`;
}
