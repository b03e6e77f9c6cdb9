// Python's datetime pieces checked against real Python 3 (the interpreter ansible-core runs):
// time.strptime and datetime.strptime on a table of formats, str() of datetime and timedelta.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PyDateTime, PyTimedelta, strptime, strptimeDatetime, StrptimeError } from '../../../src/python/datetime.js';

const CASES: [string, string][] = [
  ['202001020304.05', '%Y%m%d%H%M.%S'],
  ['2021-12-31 23:59', '%Y-%m-%d %H:%M'],
  ['05 Mar 99 1:02 PM', '%d %b %y %I:%M %p'],
  ['2024-03-01 12:00:00', '%Y-%m-%d %H:%M:%S'],
  ['2020-01-02', '%Y-%m-%d'],
  ['12:30', '%I:%M'],
  ['12:30 am', '%I:%M %p'],
  ['Tuesday, 17 MARCH 1998', '%A, %d %B %Y'],
  ['june 5', '%B %d'],
  ['1-2-3', '%m-%d-%y'],
  ['69', '%y'],
  ['68', '%y'],
  ['2024 060', '%Y %j'],
  ['2023 12.5', '%Y %f'],
  ['2024-02-29', '%Y-%m-%d'],
  ['02-29', '%m-%d'],
  ['2023 2 5', '%Y %W %w'],
  ['2023 0 0', '%Y %U %w'],
  ['2024 1 1', '%G %V %u'],
  ['2020-05-06T07:08:09+0200', '%Y-%m-%dT%H:%M:%S%z'],
  ['2020-05-06 -01:30', '%Y-%m-%d %z'],
  ['2020-05-06 Z', '%Y-%m-%d %z'],
  ['Mon Jan  2 03:04:05 2023', '%c'],
  ['01/02/23 03:04:05', '%x %X'],
  ['2020 UTC', '%Y %Z'],
  ['100%', '%Y%%'],
  ['2020  5', '%Y %m'],
  [' 5 6', '%d %m'],
  ['1998 61', '%Y %S'],
  ['٢٠٢٠ 𝟗', '%Y %H'],
  // Errors Python gives.
  ['20200102', '%Y%m%d%H%M.%S'],
  ['202013020304.05', '%Y%m%d%H%M.%S'],
  ['2020x', '%Y'],
  ['2021-02-30', '%Y-%m-%d'],
  ['99', '%Y'],
  ['2020', '%Q'],
  ['2020', '%Y%'],
  ['2020 5', '%Y% m'],
  ['2020 2020', '%Y %Y'],
  ['2024 1', '%V %u'],
  ['2020-05-06 z', '%Y-%m-%d %z'],
  ['2020-05-06 +01:3000', '%Y-%m-%d %z'],
  ['202005', '%Y %m'],
];

interface PyOut {
  time?: number[];
  error?: string;
  datetime?: string;
  datetimeError?: string;
}

const PY = String.raw`
import json, sys, time, datetime
out = []
for text, fmt in json.load(sys.stdin):
    r = {}
    try:
        t = time.strptime(text, fmt)
        r['time'] = [t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_wday, t.tm_yday] + ([t.tm_gmtoff] if t.tm_gmtoff is not None else [])
    except Exception as e:
        r['error'] = str(e)
    try:
        d = datetime.datetime.strptime(text, fmt)
        r['datetime'] = str(d.replace(tzinfo=None))
    except Exception as e:
        r['datetimeError'] = str(e)
    out.append(r)
print(json.dumps(out))
`;

function python(): PyOut[] {
  return JSON.parse(execFileSync('python3', ['-c', PY], { input: JSON.stringify(CASES), encoding: 'utf8', env: { PATH: process.env.PATH!, TZ: 'UTC' } })) as PyOut[];
}

describe('strptime as Python', () => {
  const want = python();
  it.each(CASES.map((c, i) => [...c, i] as const))('%j with %j', (text, format, i) => {
    const w = want[i]!;
    if (w.error !== undefined) {
      expect(() => strptime(text, format)).toThrow(StrptimeError);
      expect(() => strptime(text, format)).toThrow(w.error);
    } else {
      const t = strptime(text, format);
      expect([t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday, t.yday, ...(t.gmtoff !== undefined ? [t.gmtoff] : [])]).toEqual(w.time);
    }
    if (w.datetimeError !== undefined) {
      expect(() => strptimeDatetime(text, format)).toThrow(w.datetimeError);
    } else {
      expect(strptimeDatetime(text, format).str()).toBe(w.datetime);
    }
  });
});

describe('str() of timedelta and datetime', () => {
  it.each([
    [0, '0:00:00'],
    [3_456, '0:00:00.003456'],
    [1_000_000, '0:00:01'],
    [3_725_500_000, '1:02:05.500000'],
    [86_400_000_000, '1 day, 0:00:00'],
    [2 * 86_400_000_000 + 1, '2 days, 0:00:00.000001'],
    [-1, '-1 day, 23:59:59.999999'],
  ])('timedelta of %s microseconds is %s', (us, text) => {
    expect(new PyTimedelta(us).str()).toBe(text);
  });

  it('datetime omits a zero fraction and pads the microseconds', () => {
    expect(PyDateTime.fromParts(2024, 1, 2, 3, 4, 5).str()).toBe('2024-01-02 03:04:05');
    expect(PyDateTime.fromParts(2024, 1, 2, 3, 4, 5, 42).str()).toBe('2024-01-02 03:04:05.000042');
  });

  it('datetime keeps years below 100 (no 1900 offset)', () => {
    expect(PyDateTime.fromParts(99, 12, 31).str()).toBe('0099-12-31 00:00:00');
  });
});
