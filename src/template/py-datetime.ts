// Python's naive datetime/timedelta, as far as templates use them: now(), to_datetime, strftime,
// and subtracting two dates to get .days / .seconds / .total_seconds().

import { TemplateFault } from './fault.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** A naive date and time; `ms` counts milliseconds as if the wall clock were UTC. */
export class PyDateTime {
  constructor(
    readonly ms: number,
    readonly micro = 0,
  ) {}
  static fromParts(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): PyDateTime {
    return new PyDateTime(Date.UTC(y, mo - 1, d, h, mi, s), us);
  }
  /** The local wall-clock time now (Python's datetime.now()). */
  static now(utc = false): PyDateTime {
    const t = new Date();
    if (utc) return new PyDateTime(t.getTime() - t.getUTCMilliseconds(), t.getUTCMilliseconds() * 1000);
    return PyDateTime.fromParts(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds(), t.getMilliseconds() * 1000);
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
      yday: Math.floor((Date.UTC(this.year, this.month - 1, this.day) - Date.UTC(this.year, 0, 1)) / 86400000) + 1,
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

/** datetime.strptime for the common directives. */
export function strptime(text: string, fmt: string): PyDateTime {
  let re = '^';
  const fields: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === '%' && i + 1 < fmt.length) {
      const c = fmt[++i]!;
      const pat: Record<string, string> = {
        Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})',
        f: '(\\d{1,6})', y: '(\\d{2})', b: '([A-Za-z]{3})', B: '([A-Za-z]+)', p: '(AM|PM|am|pm)', I: '(\\d{1,2})',
        j: '(\\d{1,3})', a: '[A-Za-z]{3}', A: '[A-Za-z]+', z: '([+-]\\d{4}|Z)', Z: '[A-Za-z]*', '%': '%',
      };
      const p = pat[c];
      if (!p) throw new TemplateFault(`'${c}' is a bad directive in format '${fmt}'`);
      re += p;
      if (p.startsWith('(')) fields.push(c);
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/, '\\s+');
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) throw new TemplateFault(`time data '${text}' does not match format '${fmt}'`);
  let y = 1900, mo = 1, d = 1, h = 0, mi = 0, s = 0, us = 0;
  let pm: boolean | undefined;
  fields.forEach((f, i) => {
    const v = m[i + 1]!;
    switch (f) {
      case 'Y': y = Number(v); break;
      case 'y': y = Number(v) + (Number(v) < 69 ? 2000 : 1900); break;
      case 'm': mo = Number(v); break;
      case 'd': d = Number(v); break;
      case 'H': case 'I': h = Number(v); break;
      case 'M': mi = Number(v); break;
      case 'S': s = Number(v); break;
      case 'f': us = Number(v.padEnd(6, '0')); break;
      case 'b': case 'B': mo = MONTHS.findIndex((n) => n.toLowerCase().startsWith(v.toLowerCase().slice(0, 3))) + 1; break;
      case 'p': pm = v.toLowerCase() === 'pm'; break;
      case 'j': { const dt = new Date(Date.UTC(y, 0, Number(v))); mo = dt.getUTCMonth() + 1; d = dt.getUTCDate(); break; }
    }
  });
  if (pm !== undefined) h = (h % 12) + (pm ? 12 : 0);
  return PyDateTime.fromParts(y, mo, d, h, mi, s, us);
}
