// Python's str() of datetime and timedelta values, which Ansible puts in results (start, end, delta).

/** str(datetime): 'YYYY-MM-DD HH:MM:SS' plus '.ffffff' unless the microseconds are 0. */
export function pyDatetimeText(wall: string, micros: number): string {
  return micros === 0 ? wall : `${wall}.${String(micros).padStart(6, '0')}`;
}

/** str(timedelta) of a duration in microseconds: 'H:MM:SS[.ffffff]', with 'N day(s), ' in front. */
export function pyTimedeltaText(micros: bigint): string {
  const DAY = 86_400_000_000n;
  // Python normalises to days (possibly negative) plus a non-negative remainder.
  let days = micros / DAY;
  let rem = micros % DAY;
  if (rem < 0n) {
    rem += DAY;
    days -= 1n;
  }
  const us = Number(rem % 1_000_000n);
  const secs = Number(rem / 1_000_000n);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  let out = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (us) out += `.${String(us).padStart(6, '0')}`;
  if (days !== 0n) out = `${days} day${days === 1n || days === -1n ? '' : 's'}, ${out}`;
  return out;
}

/** datetime.now() as str() gives it, in the control node's local time. */
export function pyNowText(d: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const wall = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return pyDatetimeText(wall, d.getMilliseconds() * 1000);
}
