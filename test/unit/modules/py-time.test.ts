// Python's str() of datetime and timedelta, which start/end/delta use.

import { describe, expect, it } from 'vitest';
import { pyDatetimeText, pyTimedeltaText } from '../../../src/modules/lib/py-time.js';

describe('pyTimedeltaText', () => {
  it.each([
    [0n, '0:00:00'],
    [3_456n, '0:00:00.003456'],
    [1_000_000n, '0:00:01'],
    [3_725_500_000n, '1:02:05.500000'],
    [86_400_000_000n, '1 day, 0:00:00'],
    [2n * 86_400_000_000n + 1n, '2 days, 0:00:00.000001'],
    [-1n, '-1 day, 23:59:59.999999'],
  ])('%s microseconds is %s', (us, text) => {
    expect(pyTimedeltaText(us)).toBe(text);
  });
});

describe('pyDatetimeText', () => {
  it('omits a zero fraction and pads the microseconds', () => {
    expect(pyDatetimeText('2024-01-02 03:04:05', 0)).toBe('2024-01-02 03:04:05');
    expect(pyDatetimeText('2024-01-02 03:04:05', 42)).toBe('2024-01-02 03:04:05.000042');
  });
});
