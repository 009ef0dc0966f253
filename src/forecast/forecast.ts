/**
 * `forecast(values, options)`: point forecasts, prediction intervals and the model chosen, for any monthly
 * (or other periodic) numeric series.
 *
 * Methods: `ets` (the ETS family chosen by AICc), `theta`, `combination` (the mean of ETS and Theta; intervals
 * ETS's, re-centred on the mean), `snaive`, `naive`, `drift`, and `short` (seasonal naive scaled by the
 * year-on-year growth of the latest months, with intervals calibrated on long series) for series shorter
 * than three seasons. The default, {@link DEFAULT_METHOD}, is the method that was most accurate in the
 * committed backtests on real trade series (docs/backtests.md).
 *
 * @example
 * import { forecast } from 'tradescope';
 * const f = forecast(values, { period: 12, horizon: 18, levels: [80, 95] });
 * f.model.name;          // 'ETS(M,Ad,M)'
 * f.point[0];            // next month
 * f.intervals[0].lower;  // 80 % lower bounds
 */

import { UserError } from '../util/errors.js';
import { drift, naive, seasonalNaive } from './baselines.js';
import { cusumBreak, recentShift } from './breaks.js';
import { etsAnalyticVariance, etsPointForecast, etsSimulate } from './ets.js';
import { type AutoEtsResult, autoEts, type EtsFit } from './ets-fit.js';
import { averageJanFeb } from './lunar-new-year.js';
import { zForLevel } from './normal.js';
import { seededRandom } from './prng.js';
import { shortSeriesForecast } from './short-series.js';
import { theta } from './theta.js';
import type { ForecastWarning, MethodForecast, PredictionInterval } from './types.js';

export type ForecastMethod = 'auto' | 'ets' | 'theta' | 'combination' | 'snaive' | 'naive' | 'drift' | 'short';

/** The method `auto` uses on series of three seasons or more: the best on MASE in docs/backtests.md. */
export const DEFAULT_METHOD: Exclude<ForecastMethod, 'auto' | 'short'> = 'combination';

export interface ForecastOptions {
  /** Seasonal period (12 for monthly data; 1 for none). Default 12. */
  period?: number;
  /** Number of periods to forecast. Default 12. */
  horizon?: number;
  /** Interval levels in percent. Default [80, 95]. */
  levels?: readonly number[];
  /** Default `auto`: {@link DEFAULT_METHOD} on series of three seasons or more, else `short`. */
  method?: ForecastMethod;
  /** Seed of the simulation used for intervals that have no closed form. Default 1. */
  seed?: number;
  /** Number of simulated paths for such intervals. Default 2000. */
  simulations?: number;
  /** Skip the structural-break check (saves one pass; the backtests do). */
  skipBreakCheck?: boolean;
  /**
   * Lunar New Year: `combined` fits on a series whose January and February are each half their sum (the
   * comparable unit), so the Jan and Feb forecasts are halves of a Jan+Feb forecast. Needs `firstMonth`.
   * Default `separate`. See docs/backtests.md for which is better on which series.
   */
  janFeb?: 'separate' | 'combined';
  /** Calendar month (1–12) of `values[0]`; needed for `janFeb: 'combined'`. */
  firstMonth?: number;
  /** `YYYY-MM` of `values[0]`, so that warnings can name months instead of observation numbers. */
  start?: string;
}

export interface ModelAlternative {
  name: string;
  /** AICc for ETS candidates (comparable among them only). */
  aicc?: number;
}

export interface ForecastOutput {
  method: Exclude<ForecastMethod, 'auto'>;
  model: {
    /** `ETS(M,Ad,M)`, `Theta`, `combination of ETS(M,Ad,M) and Theta` … */
    name: string;
    params: Record<string, number>;
    intervalMethod: MethodForecast['intervalMethod'];
    /** Members of a combination. */
    members?: { name: string; params: Record<string, number> }[];
  };
  point: number[];
  intervals: PredictionInterval[];
  /** ETS candidates with their AICc, and the other methods that could have been used. */
  alternatives: ModelAlternative[];
  warnings: ForecastWarning[];
  /** Number of observations used. */
  n: number;
}

interface Normalised {
  period: number;
  horizon: number;
  levels: number[];
  method: ForecastMethod;
  seed: number;
  simulations: number;
  skipBreakCheck: boolean;
  janFeb: 'separate' | 'combined';
  firstMonth: number;
}

function normalise(values: readonly number[], o: ForecastOptions): Normalised {
  const period = o.period ?? 12;
  const horizon = o.horizon ?? 12;
  const levels = [...(o.levels ?? [80, 95])];
  if (!Number.isInteger(period) || period < 1 || period > 366)
    throw new UserError(`invalid period: ${period} (a whole number of observations per season, e.g. 12 for monthly)`);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 120)
    throw new UserError(`invalid horizon: ${horizon} (a whole number from 1 to 120)`);
  for (const l of levels)
    if (!(l > 0 && l < 100))
      throw new UserError(`invalid interval level: ${l} (a percentage between 0 and 100, e.g. 80)`);
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0)
    throw new UserError(
      `invalid value at index ${bad}: ${String(values[bad])} (every value must be a finite number; fill or drop gaps first)`,
    );
  if (values.length < 4) throw new UserError(`series too short: ${values.length} values (need at least 4)`);
  const method = o.method ?? 'auto';
  const known: ForecastMethod[] = ['auto', 'ets', 'theta', 'combination', 'snaive', 'naive', 'drift', 'short'];
  if (!known.includes(method)) throw new UserError(`unknown method: ${String(method)} (use ${known.join(', ')})`);
  const janFeb = o.janFeb ?? 'separate';
  if (janFeb !== 'separate' && janFeb !== 'combined')
    throw new UserError(`invalid janFeb: ${String(janFeb)} (use separate or combined)`);
  if (
    janFeb === 'combined' &&
    (period !== 12 || !Number.isInteger(o.firstMonth) || o.firstMonth! < 1 || o.firstMonth! > 12)
  )
    throw new UserError(
      'janFeb combined needs monthly data (period 12) and firstMonth, the calendar month of the first value (1–12)',
    );
  return {
    janFeb,
    firstMonth: o.firstMonth ?? 1,
    period,
    horizon,
    levels,
    method,
    seed: o.seed ?? 1,
    simulations: o.simulations ?? 2000,
    skipBreakCheck: o.skipBreakCheck ?? false,
  };
}

/** Intervals for a fitted ETS model: analytic when the model is linear, else by simulation. */
export function etsForecast(
  fit: EtsFit,
  horizon: number,
  levels: readonly number[],
  seed: number,
  simulations: number,
): MethodForecast {
  const point = etsPointForecast(fit.spec, fit.params, fit.final, fit.n, horizon);
  const variance = etsAnalyticVariance(fit.spec, fit.params, fit.sigma2, horizon);
  const params = etsParams(fit);
  if (variance) {
    const intervals = levels.map((level) => {
      const z = zForLevel(level);
      return {
        level,
        lower: point.map((p, i) => p - z * Math.sqrt(variance[i]!)),
        upper: point.map((p, i) => p + z * Math.sqrt(variance[i]!)),
      };
    });
    return { name: fit.name, point, intervals, params, intervalMethod: 'analytic' };
  }
  const paths = etsSimulate(
    fit.spec,
    fit.params,
    fit.final,
    fit.n,
    fit.sigma2,
    horizon,
    simulations,
    seededRandom(seed),
  );
  return {
    name: fit.name,
    point,
    intervals: pathIntervals(paths, horizon, levels),
    params,
    intervalMethod: 'simulation',
  };
}

/** Pointwise quantile intervals of simulated paths (type-7 quantiles found by selection, not a full sort). */
export function pathIntervals(
  paths: readonly Float64Array[],
  horizon: number,
  levels: readonly number[],
): PredictionInterval[] {
  const out = levels.map((level) => ({ level, lower: [] as number[], upper: [] as number[] }));
  const col = new Float64Array(paths.length);
  for (let h = 0; h < horizon; h++) {
    for (let i = 0; i < paths.length; i++) col[i] = paths[i]![h]!;
    levels.forEach((level, j) => {
      out[j]!.lower.push(selectQuantile(col, 0.5 - level / 200));
      out[j]!.upper.push(selectQuantile(col, 0.5 + level / 200));
    });
  }
  return out;
}

/** Type-7 quantile of `xs` by quickselect (reorders `xs`). Same value as sorting and interpolating. */
export function selectQuantile(xs: Float64Array, p: number): number {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const a = select(xs, lo);
  if (h === lo || lo + 1 >= xs.length) return a;
  // the next order statistic is the minimum of the part above lo
  let b = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < xs.length; i++) if (xs[i]! < b) b = xs[i]!;
  return a + (h - lo) * (b - a);
}

function select(xs: Float64Array, k: number): number {
  let left = 0;
  let right = xs.length - 1;
  while (right > left) {
    const pivot = xs[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return xs[k]!;
  }
  return xs[k]!;
}

function etsParams(fit: EtsFit): Record<string, number> {
  const p: Record<string, number> = { alpha: fit.params.alpha };
  if (fit.spec.trend !== 'N') p.beta = fit.params.beta;
  if (fit.spec.trend === 'Ad') p.phi = fit.params.phi;
  if (fit.spec.season !== 'N') p.gamma = fit.params.gamma;
  p.sigma = Math.sqrt(fit.sigma2);
  p.aicc = fit.aicc;
  return p;
}

/**
 * The mean of several forecasts. Intervals: the first member's (ETS's) distances from its own point,
 * re-centred on the combined point. Averaging the members' bounds instead let Theta's SES intervals, which
 * cover far too little (63.8 % for 80 % in the committed backtests), pull the combination's coverage down.
 */
export function combine(members: readonly MethodForecast[]): MethodForecast {
  const k = members.length;
  const first = members[0]!;
  const point = first.point.map((_, i) => members.reduce((s, m) => s + m.point[i]!, 0) / k);
  return {
    name: `combination of ${members.map((m) => m.name).join(' and ')}`,
    point,
    intervals: first.intervals.map((iv) => ({
      level: iv.level,
      lower: point.map((p, i) => p + iv.lower[i]! - first.point[i]!),
      upper: point.map((p, i) => p + iv.upper[i]! - first.point[i]!),
    })),
    params: {},
    intervalMethod: `${first.name} intervals re-centred`,
  };
}

/** Soft problems with the data: zeros, negatives, constant series, too short for a seasonal model. */
export function seriesWarnings(values: readonly number[], period: number): ForecastWarning[] {
  const w: ForecastWarning[] = [];
  const zeros = values.filter((v) => v === 0).length;
  if (zeros > 0)
    w.push(
      zeros / values.length > 0.25
        ? {
            code: 'intermittent',
            message: `${zeros} of ${values.length} values are zero: the series is intermittent; intervals assume a continuous distribution and may include negative values`,
          }
        : {
            code: 'zeros',
            message: `${zeros} of ${values.length} values are zero: multiplicative models are not considered`,
          },
    );
  if (values.some((v) => v < 0))
    w.push({
      code: 'negative-values',
      message: 'the series has negative values (e.g. a balance): only additive models are considered',
    });
  if (values.every((v) => v === values[0]))
    w.push({
      code: 'constant-series',
      message: 'the series is constant: every method forecasts the same value and accuracy ratios are undefined',
    });
  if (period > 1 && values.length < 3 * period)
    w.push({
      code: 'short-series',
      message: `${values.length} observations are fewer than three seasons (${3 * period}): too short to estimate a seasonal model of its own; the short-series method (last year's months scaled by recent year-on-year growth, intervals calibrated on long series) is used`,
    });
  return w;
}

/**
 * Forecasts a numeric series. Validates its input (a {@link UserError} names the bad field), then fits.
 * Deterministic: the same values and options give the same output.
 */
export function forecast(values: readonly number[], options: ForecastOptions = {}): ForecastOutput {
  const o = normalise(values, options);
  const y = o.janFeb === 'combined' ? averageJanFeb(values, o.firstMonth) : values.slice();
  const warnings = seriesWarnings(y, o.period);
  const short = o.period > 1 && y.length < 3 * o.period;
  let method: Exclude<ForecastMethod, 'auto'> = o.method === 'auto' ? (short ? 'short' : DEFAULT_METHOD) : o.method;
  if (short && (method === 'ets' || method === 'theta' || method === 'combination')) method = 'short';
  if (method === 'short' && y.length < o.period + 1) {
    warnings.push({
      code: 'short-series',
      message: `${y.length} observations are less than one season plus one: naive forecast`,
    });
    method = 'naive';
  }
  const alternatives: ModelAlternative[] = [];
  let result: MethodForecast;
  let members: ForecastOutput['model']['members'];
  let auto: AutoEtsResult | undefined;
  switch (method) {
    case 'snaive':
      result = seasonalNaive(y, o.period, o.horizon, o.levels);
      break;
    case 'naive':
      result = naive(y, o.horizon, o.levels);
      break;
    case 'drift':
      result = drift(y, o.horizon, o.levels);
      break;
    case 'short':
      result = shortSeriesForecast(y, o.period, o.horizon, o.levels);
      break;
    case 'theta':
      result = theta(y, o.period, o.horizon, o.levels);
      break;
    case 'ets':
    case 'combination': {
      auto = autoEts(y, { period: o.period });
      const ets = etsForecast(auto.best, o.horizon, o.levels, o.seed, o.simulations);
      if (method === 'ets') result = ets;
      else {
        const th = theta(y, o.period, o.horizon, o.levels);
        result = combine([ets, th]);
        members = [
          { name: ets.name, params: ets.params },
          { name: th.name, params: th.params },
        ];
      }
      break;
    }
  }
  if (auto) {
    for (const c of auto.candidates) alternatives.push({ name: c.name, aicc: c.aicc });
    if (!o.skipBreakCheck) {
      const at = (i: number): string => {
        const m = options.start ? /^(\d{4})-(\d{2})$/.exec(options.start) : null;
        if (!m) return `observation ${i + 1} of ${y.length}`;
        const idx = Number(m[1]) * 12 + Number(m[2]) - 1 + i;
        return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
      };
      const b = cusumBreak(auto.best.residuals, Math.sqrt(auto.best.sigma2), o.period);
      if (b)
        warnings.push({
          code: 'structural-break',
          message: `the one-step errors of ${auto.best.name} drift beyond the 5 % CUSUM boundary at ${at(b.index)} (shift starting near ${at(b.start)}): the series may have changed regime; treat intervals as too narrow`,
        });
      const r = recentShift(auto.best.residuals, Math.sqrt(auto.best.sigma2), o.period);
      if (r)
        warnings.push({
          code: 'structural-break',
          message: `the last ${o.period} observations sit ${r.mean < 0 ? 'below' : 'above'} what ${auto.best.name} expected by ${Math.abs(r.mean).toFixed(2)} standard errors on average (1 % test): a recent break; the model is still adapting and its forecasts may lag the new level`,
        });
    }
  }
  if (o.janFeb === 'combined') {
    // forecasts of a January and the February after it become halves of their sum, bounds likewise
    const monthAt = (h: number): number => ((o.firstMonth - 1 + y.length + h) % 12) + 1;
    const halve = (xs: number[]): void => {
      for (let h = 0; h + 1 < xs.length; h++)
        if (monthAt(h) === 1) {
          const mean = (xs[h]! + xs[h + 1]!) / 2;
          xs[h] = mean;
          xs[h + 1] = mean;
        }
    };
    halve(result.point);
    for (const iv of result.intervals) {
      halve(iv.lower);
      halve(iv.upper);
    }
    warnings.push({
      code: 'lunar-new-year',
      message:
        'January and February were fitted as halves of their sum (Lunar New Year): read their forecasts as one Jan+Feb total',
    });
  }
  for (const name of ['theta', 'combination', 'snaive', 'naive', 'drift'] as const)
    if (name !== method && !(short && (name === 'theta' || name === 'combination'))) alternatives.push({ name });
  return {
    method,
    model: {
      name: result.name,
      params: result.params,
      intervalMethod: result.intervalMethod,
      ...(members ? { members } : {}),
    },
    point: result.point,
    intervals: result.intervals,
    alternatives,
    warnings,
    n: y.length,
  };
}
