/**
 * Forecasts for series too short for a seasonal model of their own (fewer than three seasons, e.g. the 18
 * months of a GAC table): last year's same month scaled by the year-on-year growth of the latest months.
 *
 *     ŷ(n+h) = y(n+h−m) · g,   g = Σ last k months / Σ the same k months a year earlier,  k = min(m, n − m)
 *
 * (for h > m the forecast of a year earlier is used instead of y). Such a series cannot tell us how wrong this
 * will be, so the intervals come from the same method's errors on the long real series (FRED, partner series),
 * measured by `npm run backtest:series` and kept in `short-calibration.ts`: quantiles of the error scaled by
 * the mean absolute level of the last season, per horizon.
 *
 * @example
 * shortSeriesPoint([10, 20, 30, 11, 22], 3, 2) // g = 33/30 = 1.1 → [33, 12.1]
 */
import { quantileSorted } from './normal.js';
import { SHORT_CALIBRATION } from './short-calibration.js';
import type { MethodForecast } from './types.js';

/** Growth ratio of the latest k months over the same months a year earlier (1 when undefined). */
export function yoyGrowth(y: readonly number[], m: number, k = Math.min(m, y.length - m)): number {
  const n = y.length;
  let now = 0;
  let before = 0;
  for (let t = n - k; t < n; t++) {
    now += y[t]!;
    before += y[t - m]!;
  }
  return before > 0 && now > 0 ? now / before : 1;
}

export function shortSeriesPoint(y: readonly number[], m: number, horizon: number): number[] {
  const g = yoyGrowth(y, m);
  const ext = y.slice();
  for (let h = 0; h < horizon; h++) ext.push(ext[ext.length - m]! * g);
  return ext.slice(y.length);
}

/** Mean absolute value of the last season: the scale of the calibrated errors. */
export function recentScale(y: readonly number[], m: number): number {
  const tail = y.slice(-m);
  return tail.reduce((s, v) => s + Math.abs(v), 0) / tail.length;
}

export function shortSeriesForecast(
  y: readonly number[],
  m: number,
  horizon: number,
  levels: readonly number[],
): MethodForecast {
  const point = shortSeriesPoint(y, m, horizon);
  const scale = recentScale(y, m);
  const table = SHORT_CALIBRATION.horizonErrors;
  const intervals = levels.map((level) => ({
    level,
    lower: point.map((p, i) => p + scale * quantileSorted(table[Math.min(i, table.length - 1)]!, 0.5 - level / 200)),
    upper: point.map((p, i) => p + scale * quantileSorted(table[Math.min(i, table.length - 1)]!, 0.5 + level / 200)),
  }));
  return {
    name: 'seasonal naive × YoY growth (short series)',
    point,
    intervals,
    params: { growth: yoyGrowth(y, m) },
    intervalMethod: 'calibrated on long series',
  };
}
