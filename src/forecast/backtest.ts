/**
 * Rolling-origin backtests: for each origin t (every `step` months from `minTrain` on), fit on y[0..t) and
 * forecast h = 1…H; score against what happened. Scores per method and horizon:
 *
 * - **MASE**: |error| scaled by the in-sample mean absolute seasonal difference of the training data (M4 style);
 *   below 1 beats the in-sample seasonal naive.
 * - **sMAPE**: 200·|error| / (|actual| + |forecast|), in percent.
 * - **coverage**: share of actuals inside each prediction interval (80 % intervals should cover ≈ 80 %).
 *
 * @example
 * const r = backtest(values, { period: 12, horizon: 12 });
 * r.methods.find((m) => m.method === 'ets')!.mase;   // e.g. 0.93
 * r.methods.find((m) => m.method === 'snaive')!.mase; // e.g. 1.08
 */

import { UserError } from '../util/errors.js';
import { drift, naive, seasonalNaive } from './baselines.js';
import { autoEts } from './ets-fit.js';
import { combine, etsForecast } from './forecast.js';
import { theta } from './theta.js';
import type { MethodForecast } from './types.js';

export type BacktestMethod = 'ets' | 'theta' | 'combination' | 'snaive' | 'naive' | 'drift';
export const BACKTEST_METHODS: readonly BacktestMethod[] = ['ets', 'theta', 'combination', 'snaive', 'naive', 'drift'];

export interface BacktestOptions {
  period?: number;
  /** Longest horizon scored (default 12). */
  horizon?: number;
  /** First origin: number of training observations (default max(3 seasons, 36)). */
  minTrain?: number;
  /** Months between origins (default 1). */
  step?: number;
  /** Keep only the last `maxOrigins` origins (default all). */
  maxOrigins?: number;
  levels?: readonly number[];
  methods?: readonly BacktestMethod[];
  seed?: number;
  simulations?: number;
}

export interface MethodScore {
  method: BacktestMethod;
  /** Mean over origins and horizons 1…H. */
  mase: number;
  smape: number;
  /** Share of actuals inside the interval, per level ("80" → 0.79). */
  coverage: Record<string, number>;
  byHorizon: { h: number; mase: number; smape: number; coverage: Record<string, number>; count: number }[];
  /** Forecast–actual pairs scored. */
  count: number;
  /** ETS models chosen at the origins, with counts. */
  models?: Record<string, number>;
}

export interface BacktestResult {
  n: number;
  period: number;
  horizon: number;
  origins: number;
  firstOrigin: number;
  lastOrigin: number;
  levels: number[];
  methods: MethodScore[];
}

/** One origin's forecasts, by method. */
export function forecastsAt(
  train: readonly number[],
  period: number,
  horizon: number,
  levels: readonly number[],
  methods: readonly BacktestMethod[],
  seed = 1,
  simulations = 1000,
): Map<BacktestMethod, MethodForecast> {
  const out = new Map<BacktestMethod, MethodForecast>();
  const needEts = methods.includes('ets') || methods.includes('combination');
  const needTheta = methods.includes('theta') || methods.includes('combination');
  const ets = needEts ? etsForecast(autoEts(train, { period }).best, horizon, levels, seed, simulations) : undefined;
  const th = needTheta ? theta(train, period, horizon, levels) : undefined;
  for (const m of methods) {
    if (m === 'ets') out.set(m, ets!);
    else if (m === 'theta') out.set(m, th!);
    else if (m === 'combination') out.set(m, combine([ets!, th!]));
    else if (m === 'snaive') out.set(m, seasonalNaive(train, period, horizon, levels));
    else if (m === 'naive') out.set(m, naive(train, horizon, levels));
    else out.set(m, drift(train, horizon, levels));
  }
  return out;
}

/** In-sample mean absolute seasonal difference: the MASE scale. */
export function maseScale(train: readonly number[], period: number): number {
  let s = 0;
  let c = 0;
  for (let t = period; t < train.length; t++) {
    s += Math.abs(train[t]! - train[t - period]!);
    c++;
  }
  return c > 0 ? s / c : Number.NaN;
}

export function smape(actual: number, fc: number): number {
  const d = Math.abs(actual) + Math.abs(fc);
  return d === 0 ? 0 : (200 * Math.abs(actual - fc)) / d;
}

/** Rolling-origin backtest of the given methods on one series. */
export function backtest(values: readonly number[], options: BacktestOptions = {}): BacktestResult {
  const period = options.period ?? 12;
  const H = options.horizon ?? 12;
  const step = options.step ?? 1;
  const levels = [...(options.levels ?? [80, 95])];
  const methods = options.methods ?? BACKTEST_METHODS;
  const minTrain = options.minTrain ?? Math.max(3 * period, 36);
  const n = values.length;
  if (!Number.isInteger(H) || H < 1) throw new UserError(`invalid horizon: ${H} (a whole number from 1)`);
  if (!Number.isInteger(step) || step < 1) throw new UserError(`invalid step: ${step} (a whole number from 1)`);
  if (n < minTrain + 1)
    throw new UserError(
      `series too short to backtest: ${n} values (need more than ${minTrain}: three seasons to fit, then outcomes to score)`,
    );
  let origins: number[] = [];
  for (let t = minTrain; t < n; t += step) origins.push(t);
  if (options.maxOrigins !== undefined) origins = origins.slice(-options.maxOrigins);

  type Acc = { ae: number[]; sm: number[]; hit: number[][]; count: number[] };
  const acc = new Map<BacktestMethod, Acc>();
  const models: Record<string, number> = {};
  for (const m of methods)
    acc.set(m, {
      ae: new Array(H).fill(0),
      sm: new Array(H).fill(0),
      hit: levels.map(() => new Array(H).fill(0)),
      count: new Array(H).fill(0),
    });
  for (const t of origins) {
    const train = values.slice(0, t);
    const scale = maseScale(train, period);
    const h = Math.min(H, n - t);
    const fcs = forecastsAt(train, period, h, levels, methods, options.seed ?? 1, options.simulations ?? 1000);
    const etsName = fcs.get('ets')?.name;
    if (etsName) models[etsName] = (models[etsName] ?? 0) + 1;
    for (const [m, f] of fcs) {
      const a = acc.get(m)!;
      for (let i = 0; i < h; i++) {
        const actual = values[t + i]!;
        const e = Math.abs(actual - f.point[i]!);
        a.ae[i] = a.ae[i]! + (scale > 0 ? e / scale : 0);
        a.sm[i] = a.sm[i]! + smape(actual, f.point[i]!);
        levels.forEach((_, j) => {
          const iv = f.intervals[j]!;
          if (actual >= iv.lower[i]! && actual <= iv.upper[i]!) a.hit[j]![i] = a.hit[j]![i]! + 1;
        });
        a.count[i] = a.count[i]! + 1;
      }
    }
  }
  const scores: MethodScore[] = methods.map((m) => {
    const a = acc.get(m)!;
    const total = a.count.reduce((s, c) => s + c, 0);
    const sum = (xs: number[]): number => xs.reduce((s, v) => s + v, 0);
    const cov = (j: number, i?: number): number =>
      i === undefined ? sum(a.hit[j]!) / total : a.hit[j]![i]! / a.count[i]!;
    return {
      method: m,
      mase: sum(a.ae) / total,
      smape: sum(a.sm) / total,
      coverage: Object.fromEntries(levels.map((l, j) => [String(l), cov(j)])),
      byHorizon: a.count.map((c, i) => ({
        h: i + 1,
        mase: a.ae[i]! / c,
        smape: a.sm[i]! / c,
        coverage: Object.fromEntries(levels.map((l, j) => [String(l), cov(j, i)])),
        count: c,
      })),
      count: total,
      ...(m === 'ets' ? { models } : {}),
    };
  });
  return {
    n,
    period,
    horizon: H,
    origins: origins.length,
    firstOrigin: origins[0]!,
    lastOrigin: origins[origins.length - 1]!,
    levels,
    methods: scores,
  };
}
