// Python's time.strptime for the directives timestamps use (file's modification_time with
// modification_time_format, default '%Y%m%d%H%M.%S'): a wall-clock time, zone left to the target.

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAYS_LONG = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export class StrptimeError extends Error {}

/** Parse `text` with a Python strptime `format`. Throws StrptimeError with Python's wording. */
export function strptime(text: string, format: string): WallTime {
  const t: WallTime = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let i = 0;
  const fail = (): never => {
    throw new StrptimeError(`time data '${text}' does not match format '${format}'`);
  };
  // Python allows 1..N digits for numeric fields (greedy up to N).
  const num = (max: number): number => {
    const m = new RegExp(`^\\d{1,${max}}`).exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
    return Number(m![0]);
  };
  const word = (names: string[]): number => {
    const rest = text.slice(i).toLowerCase();
    // Longest first so 'june' is not read as 'jun' + 'e'.
    const order = names.map((n, k) => [n, k] as const).sort((a, b) => b[0].length - a[0].length);
    for (const [n, k] of order) {
      if (rest.startsWith(n)) {
        i += n.length;
        return k;
      }
    }
    return fail();
  };
  for (let f = 0; f < format.length; f++) {
    const c = format[f]!;
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (i < text.length && /\s/.test(text[i]!)) i++;
        continue;
      }
      if (text[i] !== c) fail();
      i++;
      continue;
    }
    const d = format[++f];
    switch (d) {
      case 'Y':
        t.year = num(4);
        break;
      case 'y': {
        const y = num(2);
        t.year = y < 69 ? 2000 + y : 1900 + y;
        break;
      }
      case 'm':
        t.month = num(2);
        break;
      case 'd':
        t.day = num(2);
        break;
      case 'H':
        t.hour = num(2);
        break;
      case 'I':
        hour12 = num(2);
        break;
      case 'M':
        t.minute = num(2);
        break;
      case 'S':
        t.second = num(2);
        break;
      case 'p': {
        const k = word(['am', 'pm']);
        pm = k === 1;
        break;
      }
      case 'b':
      case 'h':
        t.month = word(MONTHS) + 1;
        break;
      case 'B':
        t.month = word(MONTHS_LONG) + 1;
        break;
      case 'a':
        word(DAYS);
        break;
      case 'A':
        word(DAYS_LONG);
        break;
      case '%':
        if (text[i] !== '%') fail();
        i++;
        break;
      default:
        throw new StrptimeError(`'${d ?? ''}' is a bad directive in format '%${d ?? ''}'`);
    }
  }
  if (i !== text.length) throw new StrptimeError(`unconverted data remains: ${text.slice(i)}`);
  if (hour12 !== undefined) t.hour = (hour12 % 12) + (pm ? 12 : 0);
  const daysIn = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysIn || t.hour > 23 || t.minute > 59 || t.second > 61) fail();
  return t;
}

/** 'YYYY-MM-DD HH:MM:SS', which GNU date/touch -d read as local time on the target. */
export function wallTimeText(t: WallTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}
