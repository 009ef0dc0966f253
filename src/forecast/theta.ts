/**
 * The classic Theta method (Assimakopoulos & Nikolopoulos 2000), in the form shown by Hyndman & Billah (2003)
 * to be simple exponential smoothing with drift equal to half the slope of a linear trend — as `forecast::thetaf`:
 *
 * 1. If the autocorrelation at the seasonal lag is significant (90 %), divide by classical multiplicative
 *    seasonal indices (additive ones when the data are not all positive).
 * 2. Fit SES by maximum likelihood; add b/2 · (h − 1 + (1 − (1 − α)^n)/α), with b the OLS slope.
 * 3. Put the season back. Intervals are those of SES, reseasonalised.
 *
 * @example
 * const f = theta(values, 12, 18, [80, 95]);
 * f.point;  // 18 point forecasts
 */
import { acf, seasonalIndices } from './decompose.js';
import { etsAnalyticVariance } from './ets.js';
import { fitEts } from './ets-fit.js';
import { zForLevel } from './normal.js';
import type { MethodForecast } from './types.js';

/** Whether the series is seasonal at lag m by the 90 % autocorrelation test of `forecast::thetaf`. */
export function seasonalByAcf(y: readonly number[], m: number): boolean {
  const n = y.length;
  if (m <= 1 || n < 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let i = 0; i < m - 1; i++) s += r[i]! ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]!) > limit;
}

export function theta(
  y: readonly number[],
  period: number,
  horizon: number,
  levels: readonly number[],
): MethodForecast {
  const n = y.length;
  const positive = y.every((v) => v > 0);
  const seasonal = seasonalByAcf(y, period);
  const type = positive ? 'multiplicative' : 'additive';
  const idx = seasonal ? seasonalIndices(y, period, type) : [];
  const adj = seasonal
    ? y.map((v, t) => (type === 'multiplicative' ? v / idx[t % period]! : v - idx[t % period]!))
    : y.slice();
  const ses = fitEts(adj, { error: 'A', trend: 'N', season: 'N', period: 1 });
  if (!ses) throw new Error('theta: SES fit failed');
  const alpha = Math.max(1e-10, ses.params.alpha);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < n; t++) {
    sx += t;
    sy += adj[t]!;
    sxx += t * t;
    sxy += t * adj[t]!;
  }
  const slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
  const b = slope / 2;
  const level = ses.final.level;
  const driftTerm = (1 - (1 - alpha) ** n) / alpha;
  const variance = etsAnalyticVariance(ses.spec, ses.params, ses.sigma2, horizon)!;
  const season = (h: number): number => (seasonal ? idx[(n + h - 1) % period]! : type === 'multiplicative' ? 1 : 0);
  const reseason = (v: number, h: number): number => (type === 'multiplicative' ? v * season(h) : v + season(h));
  const base = Array.from({ length: horizon }, (_, i) => level + b * (i + driftTerm));
  const point = base.map((v, i) => reseason(v, i + 1));
  const intervals = levels.map((lv) => {
    const z = zForLevel(lv);
    return {
      level: lv,
      lower: base.map((v, i) => reseason(v - z * Math.sqrt(variance[i]!), i + 1)),
      upper: base.map((v, i) => reseason(v + z * Math.sqrt(variance[i]!), i + 1)),
    };
  });
  return {
    name: 'Theta',
    point,
    intervals,
    params: { alpha, drift: b, seasonal: seasonal ? 1 : 0 },
    intervalMethod: 'analytic',
  };
}
