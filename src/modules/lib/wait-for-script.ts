// The POSIX sh loop wait_for runs on the target (one round trip), and the parser of its output.
// Ports are tested with nc, else bash's /dev/tcp, else (local hosts only) /proc/net/tcp*;
// connections are counted from /proc/net/tcp* as Ansible's Linux code does.

import { raw, sh, type ShellCommand } from '../../shell/quote.js';
import { fileStateOfVariable, parseFileStates } from '../../facts/file-state.js';
import { compilePy, pySearch } from '../../python/re.js';
import { EXPAND_FN } from './expand-path.js';
import { pathInfo } from './path-info.js';

export type WaitState = 'started' | 'present' | 'stopped' | 'absent' | 'drained';

export interface WaitSpec {
  host: string;
  port?: number;
  path?: string;
  searchRegex?: string;
  state: WaitState;
  timeout: number;
  delay: number;
  sleep: number;
  connectTimeout: number;
  excludeHosts?: string[];
  activeStates: string[];
}

export const CONNECTION_STATE_IDS: Record<string, string> = {
  ESTABLISHED: '01',
  SYN_SENT: '02',
  SYN_RECV: '03',
  FIN_WAIT1: '04',
  FIN_WAIT2: '05',
  TIME_WAIT: '06',
};

/** A Python regex as grep -E understands it (fallback when grep has no -P). */
export function toEre(re: string): string {
  return re
    .replace(/\(\?P<[A-Za-z_]\w*>/g, '(')
    .replace(/\(\?:/g, '(')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\D/g, '[^0-9]')
    .replace(/\\s/g, '[[:space:]]')
    .replace(/\\S/g, '[^[:space:]]')
    .replace(/\\w/g, '[[:alnum:]_]')
    .replace(/\\W/g, '[^[:alnum:]_]');
}

// awk: addresses as /proc/net/tcp* writes them (little-endian 32-bit words, upper-case hex),
// then count the connections on the port in the given states (Ansible's LinuxTCPConnectionInfo).
const COUNT_AWK = String.raw`
function pad4(s) { while (length(s) < 4) s = "0" s; return s }
function hb(n) { return sprintf("%02X", n) }
function v4hex(ip,   a) { split(ip, a, "."); return hb(a[4]) hb(a[3]) hb(a[2]) hb(a[1]) }
function v6full(ip,   q, d, head, tail, hn, tn, h, t, i, out) {
  sub(/%.*/, "", ip)
  if (ip ~ /\./) {
    match(ip, /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/)
    split(substr(ip, RSTART), q, ".")
    ip = substr(ip, 1, RSTART - 1) sprintf("%x:%x", q[1] * 256 + q[2], q[3] * 256 + q[4])
  }
  d = index(ip, "::")
  if (d) { head = substr(ip, 1, d - 1); tail = substr(ip, d + 2) } else { head = ip; tail = "" }
  hn = (head == "") ? 0 : split(head, h, ":")
  tn = (tail == "") ? 0 : split(tail, t, ":")
  out = ""
  for (i = 1; i <= hn; i++) out = out pad4(h[i])
  if (d) for (i = 0; i < 8 - hn - tn; i++) out = out "0000"
  for (i = 1; i <= tn; i++) out = out pad4(t[i])
  return toupper(out)
}
function v6hex(ip,   f, out, i, w) {
  f = v6full(ip); out = ""
  for (i = 0; i < 4; i++) { w = substr(f, i * 8 + 1, 8); out = out substr(w, 7, 2) substr(w, 5, 2) substr(w, 3, 2) substr(w, 1, 2) }
  return out
}
function add(list, A4, A6,   n, L, i, ip) {
  n = split(list, L, " ")
  for (i = 1; i <= n; i++) {
    ip = L[i]
    if (ip ~ /:/) A6[v6hex(ip)] = 1
    else { A4[v4hex(ip)] = 1; A6["0000000000000000FFFF0000" v4hex(ip)] = 1 }
  }
}
BEGIN {
  add(ips, H4, H6); add(ex, E4, E6)
  n = split(states, S0, " "); for (i = 1; i <= n; i++) S[S0[i]] = 1
  Z6 = "00000000000000000000000000000000"; M6 = "0000000000000000FFFF000000000000"
}
FNR == 1 { next }
{
  split($2, la, ":"); split($3, ra, ":")
  if (!($4 in S) || la[2] != port) next
  if (length(la[1]) == 8) {
    if (ra[1] in E4) next
    if ((la[1] in H4) || ("00000000" in H4)) c++
  } else {
    if (ra[1] in E6) next
    if ((la[1] in H6) || (Z6 in H6) || (substr(la[1], 1, 24) == "0000000000000000FFFF0000" && (M6 in H6))) c++
  }
}
END { print c + 0 }`;

const BODY = String.raw`
stamp() { date '+%s.%N'; }
now() { date +%s; }
have() { command -v "$1" >/dev/null 2>&1; }
tmo() { if have timeout; then timeout "$@"; else shift; "$@"; fi; }
islocal() { case $host in localhost|::1|0.0.0.0|::|127.*) return 0;; esac; return 1; }
resolve() {
  case $1 in *:*|[0-9]*.[0-9]*.[0-9]*.[0-9]*) printf '%s\n' "$1"; return;; esac
  getent ahosts "$1" 2>/dev/null | awk '{print $1}' | sort -u
}
count() { # $1: states (hex, space separated); prints the matching connections on $port
  awk -v ips="$ips" -v ex="$exips" -v port="$porthex" -v states="$1" "$countawk" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
portopen() {
  case $tool in
    nc) nc -z -w "$ct" "$host" "$port" >/dev/null 2>&1 ;;
    bash) tmo "$ct" bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" >/dev/null 2>&1 ;;
    *) [ "$(count 0A)" -gt 0 ] ;;
  esac
}
readport() {
  case $tool in
    nc) tmo "$ct" nc -w "$ct" "$host" "$port" </dev/null 2>/dev/null ;;
    *) tmo "$ct" bash -c 'exec 3<>"/dev/tcp/$1/$2" && cat <&3' _ "$host" "$port" 2>/dev/null ;;
  esac
  return 0
}
if printf 'x\n' | grep -q -P 'x' 2>/dev/null; then pcre=1; else pcre=; fi
grepre() { if [ -n "$pcre" ]; then grep -a -m 1 -P -e "$re"; else grep -a -m 1 -E -e "$ere"; fi; }
echo "start=$(stamp)"
tool=
if [ -n "$port" ] && [ "$state" != drained ]; then
  # nc, else bash's /dev/tcp; a listening socket in /proc/net/tcp* answers only for this host.
  if have nc; then tool=nc; elif have bash; then tool=bash
  elif [ -z "$re" ] && islocal && [ -r /proc/net/tcp ]; then ips=$(resolve "$host" | tr '\n' ' '); exips=; tool=proc
  else echo 'result=notool'; echo "end=$(stamp)"; exit 0; fi
fi
deadline=$(( $(now) + timeout ))
[ "$delay" -gt 0 ] && sleep "$delay"
# path is a type=path argument: expanduser(expandvars()) on the target.
[ -n "$path" ] && { xv "$path"; path=$R; }
result=timeout
line=
if [ -z "$port" ] && [ -z "$path" ] && [ "$state" != drained ]; then
  sleep "$timeout"; result=ok
elif [ "$state" = absent ] || [ "$state" = stopped ]; then
  while [ "$(now)" -lt "$deadline" ]; do
    if [ -n "$path" ]; then
      if [ ! -e "$path" ] && [ ! -L "$path" ]; then result=ok; break; fi
    elif ! portopen; then result=ok; break; fi
    sleep "$sleep"
  done
elif [ "$state" = drained ]; then
  ips=$(resolve "$host" | tr '\n' ' ')
  exips=; for h in $exclude; do exips="$exips $(resolve "$h" | tr '\n' ' ')"; done
  while [ "$(now)" -lt "$deadline" ]; do
    if [ "$(count "$states")" -eq 0 ]; then result=ok; break; fi
    sleep "$sleep"
  done
else
  while [ "$(now)" -lt "$deadline" ]; do
    if [ -n "$path" ]; then
      if [ -e "$path" ]; then
        if [ -z "$re" ]; then result=ok; break; fi
        if line=$(grepre < "$path" 2>/dev/null); then result=ok; break; fi
      else
        # Ansible keeps waiting only while the file is missing; any other stat error fails.
        d=$(dirname -- "$path")
        if [ -d "$d" ] && [ ! -x "$d" ]; then echo 'result=staterror'; echo "end=$(stamp)"; exit 0; fi
      fi
    elif [ -n "$re" ]; then
      data=$(readport)
      if line=$(printf '%s\n' "$data" | grepre); then result=ok; break; fi
    elif portopen; then result=ok; break; fi
    sleep "$sleep"
  done
fi
echo "result=$result"
echo "end=$(stamp)"
`;

// Ansible adds the file's attributes to any result with an existing path (add_path_info); the
// matched line comes last.
const TAIL = sh`if [ -n "$path" ]; then echo '--pathinfo--'
${fileStateOfVariable('path', 'path')}
fi
if [ "$result" = ok ] && [ -n "$line" ]; then echo '--match--'; printf '%s\\n' "$line"; fi`;

/** The script for one wait_for task. */
export function waitForScript(w: WaitSpec): ShellCommand {
  const states = w.state === 'drained' ? w.activeStates.map((s) => CONNECTION_STATE_IDS[s]!).join(' ') : '';
  const porthex = w.port === undefined ? '' : w.port.toString(16).toUpperCase().padStart(4, '0');
  const re = w.searchRegex ?? '';
  return sh`host=${w.host}
port=${w.port === undefined ? '' : String(w.port)}
porthex=${porthex}
path=${w.path ?? ''}
re=${re}
ere=${re === '' ? '' : toEre(re)}
state=${w.state}
timeout=${w.timeout}
delay=${w.delay}
sleep=${w.sleep}
ct=${w.connectTimeout}
exclude=${(w.excludeHosts ?? []).join(' ')}
states=${states}
countawk=${COUNT_AWK}
${raw(EXPAND_FN)}
${raw(BODY)}
${TAIL}`;
}

export type WaitOutcome =
  | { kind: 'ok'; elapsed: number; matchGroups: (string | null)[]; matchGroupdict: Record<string, string | null>; pathInfo: Record<string, unknown> }
  | { kind: 'timeout' | 'notool' | 'staterror'; elapsed: number };

function stampSeconds(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^(\d+)(?:\.(\d+))?/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]) + (m[2] ? Number(`0.${m[2]}`) : 0);
}

/** Parse the script's output; the matched text (if any) is searched again here for the groups. */
export function parseWaitOutput(stdout: string, searchRegex: string | undefined): WaitOutcome {
  const [head = '', ...rest] = stdout.split('\n--match--\n');
  const [status = '', pathState] = head.split('\n--pathinfo--\n');
  const kv: Record<string, string> = {};
  for (const line of status.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1);
  }
  const t0 = stampSeconds(kv.start);
  const t1 = stampSeconds(kv.end);
  // Ansible reports timedelta.seconds: whole seconds, rounded down.
  const elapsed = t0 !== undefined && t1 !== undefined ? Math.max(0, Math.floor(t1 - t0)) : 0;
  const result = kv.result ?? 'timeout';
  if (result !== 'ok') return { kind: result === 'notool' || result === 'staterror' ? result : 'timeout', elapsed };
  let matchGroups: (string | null)[] = [];
  let matchGroupdict: Record<string, string | null> = {};
  const text = rest.join('\n--match--\n').replace(/\n$/, '');
  if (searchRegex !== undefined && text !== '') {
    try {
      const m = pySearch(compilePy(searchRegex, { multiline: true }), text);
      if (m) {
        matchGroups = m.slice(1).map((g) => g ?? null);
        if (m.groups) matchGroupdict = Object.fromEntries(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]));
      }
    } catch {
      // A Python-only construct: the wait succeeded, the groups stay empty.
    }
  }
  const pathInfoOf = pathState === undefined ? {} : pathInfo(parseFileStates(pathState, ['path'])[0]);
  return { kind: 'ok', elapsed, matchGroups, matchGroupdict, pathInfo: pathInfoOf };
}
