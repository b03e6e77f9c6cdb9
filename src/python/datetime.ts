// Python's naive datetime/timedelta as far as sams needs them: str() of the start/end/delta that
// modules report, and for templates now(), to_datetime, strftime and date arithmetic (.days,
// .seconds, .total_seconds()); time.strptime / datetime.strptime with _strptime's own rules, for
// to_datetime and file's modification_time/access_time.

import { compilePy, pyEscape, pyMatch, PyRegexError } from './re.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** Milliseconds of a wall-clock time read as UTC; years 0-99 stay themselves (Date.UTC would add 1900). */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

/** A naive date and time; `ms` counts milliseconds as if the wall clock were UTC. */
export class PyDateTime {
  constructor(
    readonly ms: number,
    readonly micro = 0,
  ) {}
  static fromParts(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): PyDateTime {
    return new PyDateTime(utcMs(y, mo, d, h, mi, s), us);
  }
  /** The control node's local wall-clock time of `t` (what datetime.now() gives at that moment). */
  static fromLocal(t: Date): PyDateTime {
    return PyDateTime.fromParts(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds(), t.getMilliseconds() * 1000);
  }
  /** The local wall-clock time now (Python's datetime.now()), or UTC (datetime.utcnow()). */
  static now(utc = false): PyDateTime {
    const t = new Date();
    if (utc) return new PyDateTime(t.getTime() - t.getUTCMilliseconds(), t.getUTCMilliseconds() * 1000);
    return PyDateTime.fromLocal(t);
  }
  private get d(): Date {
    return new Date(this.ms);
  }
  get year(): number {
    return this.d.getUTCFullYear();
  }
  get month(): number {
    return this.d.getUTCMonth() + 1;
  }
  get day(): number {
    return this.d.getUTCDate();
  }
  get hour(): number {
    return this.d.getUTCHours();
  }
  get minute(): number {
    return this.d.getUTCMinutes();
  }
  get second(): number {
    return this.d.getUTCSeconds();
  }
  get microsecond(): number {
    return this.micro;
  }
  weekday(): number {
    return (this.d.getUTCDay() + 6) % 7;
  }
  isoformat(): string {
    const base = `${this.year.toString().padStart(4, '0')}-${p2(this.month)}-${p2(this.day)}T${p2(this.hour)}:${p2(this.minute)}:${p2(this.second)}`;
    return this.micro ? `${base}.${String(this.micro).padStart(6, '0')}` : base;
  }
  str(): string {
    return this.isoformat().replace('T', ' ');
  }
  repr(): string {
    const parts = [this.year, this.month, this.day, this.hour, this.minute, this.second];
    if (this.micro) parts.push(this.micro);
    else while (parts.length > 3 && parts[parts.length - 1] === 0) parts.pop();
    return `datetime.datetime(${parts.join(', ')})`;
  }
  /** Seconds since the epoch, the wall clock read as local time (Python's timestamp() of a naive datetime). */
  timestamp(): number {
    const local = new Date(this.year, this.month - 1, this.day, this.hour, this.minute, this.second);
    return local.getTime() / 1000 + this.micro / 1e6;
  }
  strftime(fmt: string): string {
    return strftimeParts(fmt, {
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      micro: this.micro,
      weekday: this.weekday(),
      yday: Math.floor((utcMs(this.year, this.month, this.day) - utcMs(this.year, 1, 1)) / 86400000) + 1,
      epoch: Math.floor(this.timestamp()),
      offsetMin: undefined,
    });
  }
  toString(): string {
    return this.str();
  }
}

export class PyTimedelta {
  /** Total microseconds. */
  constructor(readonly us: number) {}
  get days(): number {
    return Math.floor(this.us / 86400e6);
  }
  get seconds(): number {
    return Math.floor((this.us - this.days * 86400e6) / 1e6);
  }
  get microseconds(): number {
    return this.us - this.days * 86400e6 - this.seconds * 1e6;
  }
  total_seconds(): number {
    return this.us / 1e6;
  }
  str(): string {
    const d = this.days;
    const s = this.seconds;
    const hms = `${Math.floor(s / 3600)}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
    const frac = this.microseconds ? `.${String(this.microseconds).padStart(6, '0')}` : '';
    return d ? `${d} day${Math.abs(d) === 1 ? '' : 's'}, ${hms}${frac}` : `${hms}${frac}`;
  }
  toString(): string {
    return this.str();
  }
}

export function subtractDates(a: PyDateTime, b: PyDateTime): PyTimedelta {
  return new PyTimedelta((a.ms - b.ms) * 1000 + (a.micro - b.micro));
}

interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  weekday: number; // Monday = 0
  yday: number;
  epoch: number;
  offsetMin: number | undefined;
}

/** time.strftime for epoch seconds, local time or UTC (Ansible's strftime filter). */
export function strftimeEpoch(fmt: string, seconds: number, utc: boolean): string {
  const d = new Date(seconds * 1000);
  const get = utc
    ? { y: d.getUTCFullYear(), mo: d.getUTCMonth(), dd: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), wd: d.getUTCDay() }
    : { y: d.getFullYear(), mo: d.getMonth(), dd: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds(), wd: d.getDay() };
  return strftimeParts(fmt, {
    year: get.y,
    month: get.mo + 1,
    day: get.dd,
    hour: get.h,
    minute: get.mi,
    second: get.s,
    micro: 0,
    weekday: (get.wd + 6) % 7,
    yday: Math.floor((Date.UTC(get.y, get.mo, get.dd) - Date.UTC(get.y, 0, 1)) / 86400000) + 1,
    epoch: Math.floor(seconds),
    offsetMin: utc ? 0 : -d.getTimezoneOffset(),
  });
}

function strftimeParts(fmt: string, t: TimeParts): string {
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'Y':
        return String(t.year);
      case 'y':
        return p2(t.year % 100);
      case 'm':
        return p2(t.month);
      case 'd':
        return p2(t.day);
      case 'e':
        return String(t.day).padStart(2, ' ');
      case 'H':
        return p2(t.hour);
      case 'I':
        return p2(t.hour % 12 || 12);
      case 'p':
        return t.hour < 12 ? 'AM' : 'PM';
      case 'M':
        return p2(t.minute);
      case 'S':
        return p2(t.second);
      case 'f':
        return String(t.micro).padStart(6, '0');
      case 'j':
        return String(t.yday).padStart(3, '0');
      case 'a':
        return DAYS[t.weekday]!.slice(0, 3);
      case 'A':
        return DAYS[t.weekday]!;
      case 'w':
        return String((t.weekday + 1) % 7);
      case 'u':
        return String(t.weekday + 1);
      case 'b':
      case 'h':
        return MONTHS[t.month - 1]!.slice(0, 3);
      case 'B':
        return MONTHS[t.month - 1]!;
      case 's':
        return String(t.epoch);
      case 'F':
        return `${t.year}-${p2(t.month)}-${p2(t.day)}`;
      case 'T':
        return `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
      case 'D':
        return `${p2(t.month)}/${p2(t.day)}/${p2(t.year % 100)}`;
      case 'z': {
        if (t.offsetMin === undefined) return '';
        const o = Math.abs(t.offsetMin);
        return `${t.offsetMin < 0 ? '-' : '+'}${p2(Math.floor(o / 60))}${p2(o % 60)}`;
      }
      case 'Z':
        return t.offsetMin === 0 ? 'UTC' : '';
      case '%':
        return '%';
      default:
        return m;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// strptime: Python 3.11's _strptime (C locale), one Python regex per format as TimeRE builds it.

/** ValueError of time.strptime / datetime.strptime, with Python's message. */
export class StrptimeError extends Error {}

/** What time.strptime gives (struct_time), plus the fraction %f read (microseconds). */
export interface StructTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Monday = 0. */
  weekday: number;
  /** Day of the year, 1-based. */
  yday: number;
  micro: number;
  /** %z: the offset from UTC in seconds, when given. */
  gmtoff?: number;
  /** %Z: the zone name as written, when given. */
  tzname?: string;
}

const WEEKDAYS_LOWER = DAYS.map((d) => d.toLowerCase());
const MONTHS_LOWER = MONTHS.map((m) => m.toLowerCase());

/** __seqToRE: the longest names first, so 'june' is not read as 'jun'. */
function choice(names: readonly string[], directive: string): string {
  const sorted = [...names].sort((a, b) => b.length - a.length);
  return `(?P<${directive}>${sorted.map(pyEscape).join('|')})`;
}

/** The zone names %Z accepts: utc, gmt and the local zone's abbreviations (time.tzname). */
function zoneNames(): string[] {
  const names = new Set(['utc', 'gmt']);
  const year = new Date().getFullYear();
  for (const month of [0, 6]) {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date(year, month, 1)).find((x) => x.type === 'timeZoneName');
    if (part && /^[A-Za-z]+$/.test(part.value)) names.add(part.value.toLowerCase());
  }
  return [...names];
}

// TimeRE's table, as Python writes it (\d takes the digits of every script; pyInt reads them as int() does).
const DIRECTIVES: Record<string, string | (() => string)> = {
  d: '(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])',
  f: '(?P<f>[0-9]{1,6})',
  H: '(?P<H>2[0-3]|[0-1]\\d|\\d)',
  I: '(?P<I>1[0-2]|0[1-9]|[1-9])',
  G: '(?P<G>\\d\\d\\d\\d)',
  j: '(?P<j>36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(?P<m>1[0-2]|0[1-9]|[1-9])',
  M: '(?P<M>[0-5]\\d|\\d)',
  S: '(?P<S>6[0-1]|[0-5]\\d|\\d)',
  U: '(?P<U>5[0-3]|[0-4]\\d|\\d)',
  W: '(?P<W>5[0-3]|[0-4]\\d|\\d)',
  w: '(?P<w>[0-6])',
  u: '(?P<u>[1-7])',
  V: '(?P<V>5[0-3]|0[1-9]|[1-4]\\d|\\d)',
  y: '(?P<y>\\d\\d)',
  Y: '(?P<Y>\\d\\d\\d\\d)',
  // Python writes the 'Z' case-sensitively, (?-i:Z), which a JS pattern cannot scope: checked after the match.
  z: '(?P<z>[+-]\\d\\d:?[0-5]\\d(:?[0-5]\\d(\\.\\d{1,6})?)?|Z)',
  A: choice(WEEKDAYS_LOWER, 'A'),
  a: choice(WEEKDAYS_LOWER.map((d) => d.slice(0, 3)), 'a'),
  B: choice(MONTHS_LOWER, 'B'),
  b: choice(MONTHS_LOWER.map((m) => m.slice(0, 3)), 'b'),
  p: choice(['am', 'pm'], 'p'),
  Z: () => choice(zoneNames(), 'Z'),
  '%': '%',
  // The C locale's %c, %x and %X.
  c: () => formatPattern('%a %b %d %H:%M:%S %Y'),
  x: () => formatPattern('%m/%d/%y'),
  X: () => formatPattern('%H:%M:%S'),
};

/** TimeRE.pattern: the format's regex metacharacters escaped, white space as \s+, directives expanded. */
function formatPattern(format: string): string {
  let f = format.replace(/([\\.^$*+?(){}[\]|])/g, '\\$1').replace(/\s+/g, '\\s+');
  let out = '';
  for (let i = f.indexOf('%'); i >= 0; i = f.indexOf('%')) {
    if (i + 1 >= f.length) throw new RangeError('stray %');
    const d = f[i + 1]!;
    const re = DIRECTIVES[d];
    if (re === undefined) throw new BadDirective(d);
    out += f.slice(0, i) + (typeof re === 'string' ? re : re());
    f = f.slice(i + 2);
  }
  return out + f;
}

class BadDirective extends Error {
  constructor(readonly directive: string) {
    super(directive);
  }
}

/** int() of a string of decimal digits of any script (Unicode keeps each script's 0-9 contiguous). */
function pyInt(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    let zero = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    n = n * 10 + ((cp - zero) % 10);
  }
  return n;
}

/** Days from 0001-01-01 (ordinal 1), proleptic Gregorian as Python's date.toordinal(). */
function toOrdinal(y: number, m: number, d: number): number {
  return Math.round((utcMs(y, m, d) - utcMs(1, 1, 1)) / 86_400_000) + 1;
}

function fromOrdinal(n: number): [number, number, number] {
  const t = new Date(utcMs(1, 1, 1) + (n - 1) * 86_400_000);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function checkDate(y: number, m: number, d: number): void {
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (y < 1 || y > 9999) throw new StrptimeError(`year ${y} is out of range`);
  if (d < 1 || d > days) throw new StrptimeError('day is out of range for month');
}

/** Monday = 0, as date.weekday(). */
function weekdayOf(y: number, m: number, d: number): number {
  return (toOrdinal(y, m, d) + 6) % 7;
}

/** time.strptime(text, format), with the %f fraction, %z offset and %Z name kept. Throws StrptimeError. */
export function strptime(text: string, format: string): StructTime {
  let pattern: string;
  try {
    pattern = formatPattern(format);
  } catch (e) {
    if (e instanceof BadDirective) throw new StrptimeError(`'${e.directive === '\\' ? '%' : e.directive}' is a bad directive in format '${format}'`);
    if (e instanceof RangeError) throw new StrptimeError(`stray % in format '${format}'`);
    throw e;
  }
  let found: RegExpExecArray | null;
  try {
    found = pyMatch(compilePy(pattern, { ignorecase: true }), text);
  } catch (e) {
    // A directive given twice: Python's re.error about the group name.
    if (e instanceof PyRegexError) throw new StrptimeError(e.message);
    throw e;
  }
  if (!found || found.groups?.z === 'z') throw new StrptimeError(`time data '${text}' does not match format '${format}'`);
  if (found[0].length !== text.length) throw new StrptimeError(`unconverted data remains: ${text.slice(found[0].length)}`);

  const g = found.groups ?? {};
  let year: number | undefined;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micro = 0;
  let gmtoff: number | undefined;
  let isoYear: number | undefined;
  let isoWeek: number | undefined;
  let weekOfYear: number | undefined;
  let weekStartsMonday = false;
  let weekday: number | undefined;
  let julian: number | undefined;
  // In the order the format names them: a later %Y wins over an earlier %y, as in Python.
  for (const [key, v] of Object.entries(g)) {
    if (v === undefined) continue;
    switch (key) {
      case 'y':
        year = pyInt(v) + (pyInt(v) <= 68 ? 2000 : 1900);
        break;
      case 'Y':
        year = pyInt(v);
        break;
      case 'G':
        isoYear = pyInt(v);
        break;
      case 'm':
        month = pyInt(v);
        break;
      case 'B':
        month = MONTHS_LOWER.indexOf(v.toLowerCase()) + 1;
        break;
      case 'b':
        month = MONTHS_LOWER.findIndex((m) => m.slice(0, 3) === v.toLowerCase()) + 1;
        break;
      case 'd':
        day = pyInt(v);
        break;
      case 'H':
        hour = pyInt(v);
        break;
      case 'I': {
        hour = pyInt(v);
        // No AM/PM: read as AM.
        const pm = (g.p ?? '').toLowerCase() === 'pm';
        if (!pm && hour === 12) hour = 0;
        else if (pm && hour !== 12) hour += 12;
        break;
      }
      case 'M':
        minute = pyInt(v);
        break;
      case 'S':
        second = pyInt(v);
        break;
      case 'f':
        micro = pyInt(v.padEnd(6, '0'));
        break;
      case 'A':
        weekday = WEEKDAYS_LOWER.indexOf(v.toLowerCase());
        break;
      case 'a':
        weekday = WEEKDAYS_LOWER.findIndex((d) => d.slice(0, 3) === v.toLowerCase());
        break;
      case 'w':
        weekday = pyInt(v) === 0 ? 6 : pyInt(v) - 1;
        break;
      case 'u':
        weekday = pyInt(v) - 1;
        break;
      case 'j':
        julian = pyInt(v);
        break;
      case 'U':
      case 'W':
        weekOfYear = pyInt(v);
        weekStartsMonday = key === 'W';
        break;
      case 'V':
        isoWeek = pyInt(v);
        break;
      case 'z':
        gmtoff = offsetSeconds(v);
        break;
    }
  }
  if (year === undefined && isoYear !== undefined) {
    if (isoWeek === undefined || weekday === undefined) {
      throw new StrptimeError("ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u').");
    }
    if (julian !== undefined) throw new StrptimeError("Day of the year directive '%j' is not compatible with ISO year directive '%G'. Use '%Y' instead.");
  } else if (isoWeek !== undefined) {
    if (year === undefined || weekday === undefined) {
      throw new StrptimeError("ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive ('%A', '%a', '%w', or '%u').");
    }
    throw new StrptimeError("ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead.");
  }
  // No year but February 29th: compute in a leap year, then report 1900 as Python does.
  const leapYearFix = year === undefined && month === 2 && day === 29;
  let y = year ?? (leapYearFix ? 1904 : 1900);
  if (julian === undefined && weekday !== undefined) {
    if (weekOfYear !== undefined) julian = julianFromWeek(y, weekOfYear, weekday, weekStartsMonday);
    else if (isoYear !== undefined && isoWeek !== undefined) [y, julian] = julianFromIsoWeek(isoYear, isoWeek, weekday + 1);
    if (julian !== undefined && julian <= 0) {
      y -= 1;
      julian += isLeap(y) ? 366 : 365;
    }
  }
  if (julian === undefined) {
    checkDate(y, month, day);
    julian = toOrdinal(y, month, day) - toOrdinal(y, 1, 1) + 1;
  } else {
    checkDate(y, 1, 1);
    [y, month, day] = fromOrdinal(julian - 1 + toOrdinal(y, 1, 1));
  }
  if (weekday === undefined) weekday = weekdayOf(y, month, day);
  return {
    year: leapYearFix ? 1900 : y,
    month,
    day,
    hour,
    minute,
    second,
    weekday,
    yday: julian,
    micro,
    ...(gmtoff !== undefined ? { gmtoff } : {}),
    ...(g.Z !== undefined ? { tzname: g.Z } : {}),
  };
}

/** %z: 'Z', or ±HH[:]MM[[:]SS[.ffffff]] in seconds (the fraction dropped). */
function offsetSeconds(z: string): number {
  if (z === 'Z') return 0;
  let t = z;
  if (t[3] === ':') {
    t = t.slice(0, 3) + t.slice(4);
    if (t.length > 5) {
      if (t[5] !== ':') throw new StrptimeError(`Inconsistent use of : in ${z}`);
      t = t.slice(0, 5) + t.slice(6);
    }
  }
  const secs = pyInt(t.slice(1, 3)) * 3600 + pyInt(t.slice(3, 5)) * 60 + pyInt(t.slice(5, 7) || '0');
  return t.startsWith('-') ? -secs : secs;
}

/** _calc_julian_from_U_or_W. */
function julianFromWeek(year: number, week: number, dayOfWeek: number, weekStartsMonday: boolean): number {
  let first = weekdayOf(year, 1, 1);
  let dow = dayOfWeek;
  if (!weekStartsMonday) {
    first = (first + 1) % 7;
    dow = (dow + 1) % 7;
  }
  const week0Length = (7 - first) % 7;
  if (week === 0) return 1 + dow - first;
  return 1 + week0Length + 7 * (week - 1) + dow;
}

/** _calc_julian_from_V: [year, day of that year] of an ISO year, week and weekday (Monday = 1). */
function julianFromIsoWeek(isoYear: number, isoWeek: number, isoWeekday: number): [number, number] {
  const correction = weekdayOf(isoYear, 1, 4) + 1 + 3;
  let ordinal = isoWeek * 7 + isoWeekday - correction;
  let y = isoYear;
  if (ordinal < 1) {
    ordinal += toOrdinal(y, 1, 1);
    y -= 1;
    ordinal -= toOrdinal(y, 1, 1);
  }
  return [y, ordinal];
}

/** datetime.strptime(text, format): a naive datetime (an offset %z reads is not kept). Throws StrptimeError. */
export function strptimeDatetime(text: string, format: string): PyDateTime {
  const t = strptime(text, format);
  // datetime() refuses what time.strptime lets through: February 29th of 1900, leap seconds.
  checkDate(t.year, t.month, t.day);
  if (t.second > 59) throw new StrptimeError('second must be in 0..59');
  return PyDateTime.fromParts(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro);
}
