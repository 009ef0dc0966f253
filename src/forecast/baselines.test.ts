import { describe, expect, it } from 'vitest';
import { drift, naive, seasonalNaive } from './baselines.js';
import { averageJanFeb, lunarNewYear } from './lunar-new-year.js';
import { zForLevel } from './normal.js';
import { nelderMead } from './optimiser.js';
import { theta } from './theta.js';

describe('baselines (worked by hand)', () => {
  it('seasonal naive repeats the last season; σ² from seasonal differences', () => {
    // seasonal differences: 4−1, 6−2, 5−3 = 3, 4, 2 → σ² = (9 + 16 + 4)/3 = 29/3
    const f = seasonalNaive([1, 2, 3, 4, 6, 5], 3, 4, [80]);
    expect(f.point).toEqual([4, 6, 5, 4]);
    const z = zForLevel(80);
    expect(f.intervals[0]!.upper[0]).toBeCloseTo(4 + z * Math.sqrt(29 / 3), 10);
    // second year ahead: variance doubles
    expect(f.intervals[0]!.upper[3]).toBeCloseTo(4 + z * Math.sqrt((2 * 29) / 3), 10);
  });

  it('naive: last value, variance σ²h', () => {
    // differences 1, 2 → σ² = 5/2
    const f = naive([1, 2, 4], 2, [95]);
    expect(f.point).toEqual([4, 4]);
    expect(f.intervals[0]!.lower[1]).toBeCloseTo(4 - 1.959963985 * Math.sqrt(5), 6);
  });

  it('drift: the line through the first and last values', () => {
    const f = drift([1, 2, 4], 2, [80]);
    expect(f.point).toEqual([5.5, 7]);
    expect(f.params.slope).toBe(1.5);
  });

  it('z for 80 % and 95 % intervals', () => {
    expect(zForLevel(80)).toBeCloseTo(1.2815516, 6);
    expect(zForLevel(95)).toBeCloseTo(1.959964, 6);
  });
});

describe('Theta method', () => {
  it('on a straight line: SES follows the last value (α → 1) and adds half the slope per month', () => {
    const y = Array.from({ length: 40 }, (_, t) => 10 + 2 * t);
    const f = theta(y, 1, 3, [80]);
    // the classic Theta forecast continues with half the trend: y_n + b/2·h with b = 2
    expect(f.params.alpha).toBeGreaterThan(0.99);
    expect(f.point[0]).toBeCloseTo(88 + 1, 1);
    expect(f.point[2]).toBeCloseTo(88 + 3, 1);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const { x, f } = nelderMead(([a, b]) => (a! - 1) ** 2 + 3 * (b! + 2) ** 2, [0, 0], {
      maxEvaluations: 1000,
      tolerance: 1e-14,
    });
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(-2, 4);
    expect(f).toBeLessThan(1e-8);
  });
});

describe('Lunar New Year', () => {
  it('knows the holiday dates', () => {
    expect(lunarNewYear(2024)).toBe('2024-02-10');
    expect(lunarNewYear(2025)).toBe('2025-01-29');
    expect(lunarNewYear(2020)).toBe('2020-01-25');
    expect(lunarNewYear(1979)).toBeUndefined();
  });

  it('averages January and February, keeping their sum', () => {
    expect(averageJanFeb([10, 30, 5, 1], 1)).toEqual([20, 20, 5, 1]);
    // series starting in December: Jan and Feb are positions 1 and 2
    expect(averageJanFeb([7, 10, 30, 5], 12)).toEqual([7, 20, 20, 5]);
    // a trailing January without its February is left alone
    expect(averageJanFeb([5, 9], 12)).toEqual([5, 9]);
  });
});

describe('quantiles by selection', () => {
  it('equal the sorted type-7 quantiles (second method)', async () => {
    const { selectQuantile } = await import('./forecast.js');
    const { quantileSorted } = await import('./normal.js');
    const { seededRandom } = await import('./prng.js');
    const rng = seededRandom(9);
    for (const n of [1, 2, 7, 1000, 2001]) {
      const xs = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 10));
      const sorted = Float64Array.from(xs).sort();
      for (const p of [0.025, 0.1, 0.5, 0.9, 0.975])
        expect(selectQuantile(Float64Array.from(xs), p)).toBeCloseTo(quantileSorted(sorted, p), 12);
    }
  });
});
