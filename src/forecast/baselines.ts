/**
 * Benchmark methods: naive, seasonal naive and drift, with the usual normal prediction intervals
 * (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §5.5).
 *
 * @example
 * seasonalNaive([1, 2, 3, 4, 5, 6], 3, 4, [80]).point // [4, 5, 6, 4]
 * naive([1, 2, 4], 2, [80]).point                    // [4, 4]
 * drift([1, 2, 4], 2, [80]).point                    // [5.5, 7]
 */
import { zForLevel } from './normal.js';
import type { MethodForecast, PredictionInterval } from './types.js';

function intervals(point: number[], sd: number[], levels: readonly number[]): PredictionInterval[] {
  return levels.map((level) => {
    const z = zForLevel(level);
    return { level, lower: point.map((p, i) => p - z * sd[i]!), upper: point.map((p, i) => p + z * sd[i]!) };
  });
}

function meanSquare(r: number[], dof: number): number {
  let s = 0;
  for (const v of r) s += v * v;
  return r.length > dof ? s / (r.length - dof) : 0;
}

/** Last value carried forward; variance σ²h with σ² from first differences. */
export function naive(y: readonly number[], horizon: number, levels: readonly number[]): MethodForecast {
  const last = y[y.length - 1]!;
  const r: number[] = [];
  for (let t = 1; t < y.length; t++) r.push(y[t]! - y[t - 1]!);
  const s2 = meanSquare(r, 0);
  const point = Array.from({ length: horizon }, () => last);
  const sd = point.map((_, i) => Math.sqrt(s2 * (i + 1)));
  return { name: 'naive', point, intervals: intervals(point, sd, levels), params: {}, intervalMethod: 'analytic' };
}

/** Same month last year; variance σ²(⌊(h−1)/m⌋ + 1) with σ² from seasonal differences. */
export function seasonalNaive(
  y: readonly number[],
  period: number,
  horizon: number,
  levels: readonly number[],
): MethodForecast {
  const n = y.length;
  if (n < period) return { ...naive(y, horizon, levels), name: 'naive (series shorter than one season)' };
  const r: number[] = [];
  for (let t = period; t < n; t++) r.push(y[t]! - y[t - period]!);
  const s2 = meanSquare(r, 0);
  const point = Array.from({ length: horizon }, (_, i) => y[n - period + (i % period)]!);
  const sd = point.map((_, i) => Math.sqrt(s2 * (Math.floor(i / period) + 1)));
  return {
    name: 'seasonal naive',
    point,
    intervals: intervals(point, sd, levels),
    params: {},
    intervalMethod: 'analytic',
  };
}

/** Line through the first and last observations; variance σ²h(1 + h/(n−1)). */
export function drift(y: readonly number[], horizon: number, levels: readonly number[]): MethodForecast {
  const n = y.length;
  const slope = n > 1 ? (y[n - 1]! - y[0]!) / (n - 1) : 0;
  const r: number[] = [];
  for (let t = 1; t < n; t++) r.push(y[t]! - y[t - 1]! - slope);
  const s2 = meanSquare(r, 1);
  const point = Array.from({ length: horizon }, (_, i) => y[n - 1]! + slope * (i + 1));
  const sd = point.map((_, i) => Math.sqrt(s2 * (i + 1) * (1 + (i + 1) / Math.max(1, n - 1))));
  return {
    name: 'drift',
    point,
    intervals: intervals(point, sd, levels),
    params: { slope },
    intervalMethod: 'analytic',
  };
}
