/**
 * Simulated future sample paths for the default method, used where a distribution of a *sum* over months is
 * needed (full-year projections, derived balances): pointwise intervals cannot be added up, paths can.
 *
 * ETS paths come from the fitted model's own simulation; for the combination they are the ETS paths shifted by
 * the difference between the combination's and ETS's point forecasts, which keeps ETS's dependence across
 * horizons around the more accurate centre.
 *
 * @example
 * const { paths, name } = samplePaths(values, { period: 12, horizon: 6, count: 5000, seed: 1 });
 * paths[0].length; // 6
 */
import { etsSimulate } from './ets.js';
import { autoEts } from './ets-fit.js';
import { DEFAULT_METHOD, forecast } from './forecast.js';
import { seededRandom } from './prng.js';

export interface PathOptions {
  period: number;
  horizon: number;
  count: number;
  seed: number;
}

export function samplePaths(
  values: readonly number[],
  o: PathOptions,
): { paths: Float64Array[]; name: string; point: number[] } {
  const { best } = autoEts(values, { period: o.period });
  const paths = etsSimulate(
    best.spec,
    best.params,
    best.final,
    best.n,
    best.sigma2,
    o.horizon,
    o.count,
    seededRandom(o.seed),
  );
  if (DEFAULT_METHOD === 'ets') {
    const f = forecast(values, {
      period: o.period,
      horizon: o.horizon,
      method: 'ets',
      skipBreakCheck: true,
      simulations: 10,
    });
    return { paths, name: best.name, point: f.point };
  }
  const ets = forecast(values, {
    period: o.period,
    horizon: o.horizon,
    method: 'ets',
    skipBreakCheck: true,
    simulations: 10,
  });
  const main = forecast(values, {
    period: o.period,
    horizon: o.horizon,
    method: DEFAULT_METHOD,
    skipBreakCheck: true,
    simulations: 10,
  });
  const shift = main.point.map((p, i) => p - ets.point[i]!);
  for (const path of paths) for (let h = 0; h < o.horizon; h++) path[h] = path[h]! + shift[h]!;
  return { paths, name: main.model.name, point: main.point };
}
