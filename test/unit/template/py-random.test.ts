// PyRandom against CPython 3.11's random.Random: the numbers below were printed by
//   r = random.Random(seed); [r.randrange(0, 59) for _ in range(3)], r.randrange(0, 10**15),
//   r.randrange(5, 100, 7), r.choice('abcde'), r.shuffle(list(range(10))), r.getrandbits(70)

import { describe, expect, it } from 'vitest';
import { PyRandom } from '../../../src/template/py-random.js';

const PYTHON: [string | number | bigint, number[], number, number, string, number[], string][] = [
  ['web1', [52, 20, 16], 383449381648695, 5, 'd', [1, 8, 4, 5, 3, 6, 0, 7, 9, 2], '498870901123446669179'],
  ['mail.example.com', [44, 45, 46], 964408999524724, 26, 'a', [7, 6, 3, 5, 1, 9, 2, 8, 0, 4], '326977231902027683448'],
  ['db-02', [38, 35, 42], 794796153033494, 5, 'e', [4, 6, 7, 9, 3, 8, 0, 1, 2, 5], '458192242565807658298'],
  ['', [29, 38, 13], 973172536294480, 82, 'b', [6, 7, 1, 4, 3, 8, 2, 9, 0, 5], '593402964818561085220'],
  ['ünï', [35, 35, 53], 932718446453058, 75, 'a', [9, 1, 3, 7, 5, 2, 0, 6, 8, 4], '138931201331364899142'],
  [42, [40, 7, 1], 309657442074875, 26, 'b', [7, 9, 5, 6, 0, 3, 4, 8, 1, 2], '710298434458174335512'],
  [0, [54, 24, 48], 473523967952514, 5, 'c', [1, 0, 4, 5, 3, 2, 9, 6, 7, 8], '334610539797860788342'],
  [2 ** 40, [6, 22, 42], 480366604282872, 5, 'd', [0, 4, 7, 2, 3, 9, 5, 1, 8, 6], '497842807003367506348'],
  [123456789012345678901234567890n, [46, 14, 10], 13300744141774, 61, 'c', [7, 5, 4, 9, 0, 6, 2, 3, 1, 8], '592810680710853234564'],
];

describe("PyRandom gives CPython's numbers", () => {
  it.each(PYTHON)('seed %s', (seed, first, big, stepped, choice, shuffled, bits) => {
    const r = new PyRandom(seed);
    expect([r.randrange(0, 59), r.randrange(0, 59), r.randrange(0, 59)]).toEqual(first);
    expect(r.randrange(0, 10 ** 15)).toBe(big);
    expect(r.randrange(5, 100, 7)).toBe(stepped);
    expect(r.choice(['a', 'b', 'c', 'd', 'e'])).toBe(choice);
    expect(r.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual(shuffled);
    expect(r.getrandbits(70).toString()).toBe(bits);
  });

  it('rejects an empty range as Python does', () => {
    expect(() => new PyRandom(1).randrange(5, 5)).toThrow(/empty range/);
  });
});
