/**
 * Seasonal ARIMA(p,d,q)(P,D,Q)m with automatic order selection, as a member of the default combination.
 *
 * - Differencing: one seasonal difference when the series is seasonal by the 90 % autocorrelation test that
 *   Theta uses (and has three seasons); then one ordinary difference when the KPSS level test (5 %) rejects
 *   stationarity of the result. A mean is estimated when nothing is differenced, a drift when one difference is
 *   taken (as `forecast::auto.arima`), nothing after two.
 * - Estimation: conditional sum of squares by Nelder–Mead, with the AR and MA parts kept stationary and
 *   invertible by the partial-autocorrelation reparametrisation (Jones 1980); every candidate is conditioned on
 *   the same first observations so that their AIC compare.
 * - Orders: p, q ∈ {0, 1, 2} and (P, Q) ∈ {(0, 1), (1, 0)} for seasonal data, (0, 0) otherwise — chosen by AIC.
 * - Strictly positive series are modelled in logs (trade values grow multiplicatively); the point forecast is
 *   the back-transformed mean (the median of the forecast distribution), the intervals the back-transformed
 *   bounds.
 *
 * @example
 * const f = autoArima(values, 12, 18, [80, 95]);
 * f.name; // 'ARIMA(0,1,1)(0,1,1)[12] on logs'
 */
import { nelderMead } from './optimiser.js';
import { seasonalByAcf } from './theta.js';
import { zForLevel } from './normal.js';
import type { MethodForecast } from './types.js';

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  period: number;
}

export interface ArimaFit {
  order: ArimaOrder;
  phi: number[];
  theta: number[];
  Phi: number[];
  Theta: number[];
  /** Mean (no differencing) or drift (one difference) of the differenced series. */
  mean: number;
  sigma2: number;
  aic: number;
  /** Residuals of the conditional sum of squares from the conditioning point on. */
  residuals: number[];
  /** The AR and MA polynomials (seasonal factors multiplied in), constant first. */
  ar: number[];
  ma: number[];
}

/** (1 + Σ a_k B^k)(1 + Σ b_k B^k), coefficient arrays with the constant first. */
function polyMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) for (let j = 0; j < b.length; j++) out[i + j] += a[i]! * b[j]!;
  return out;
}

/** Coefficients of Σ c_k B^k from one factor 1 + s·Σ coef_k B^{k·lag}. */
function factor(coef: readonly number[], lag: number, sign: number): number[] {
  const out = new Array(coef.length * lag + 1).fill(0);
  out[0] = 1;
  coef.forEach((c, k) => {
    out[(k + 1) * lag] = sign * c;
  });
  return out;
}

/** Partial autocorrelations in (−0.98, 0.98) → coefficients of a stationary AR polynomial (Durbin–Levinson). */
function fromPacf(x: readonly number[]): number[] {
  let phi: number[] = [];
  for (let k = 0; k < x.length; k++) {
    const r = 0.98 * Math.tanh(x[k]!);
    const next = phi.map((p, j) => p - r * phi[k - 1 - j]!);
    next.push(r);
    phi = next;
  }
  return phi;
}

/** (1 − B)^d (1 − B^m)^D. */
export function differencePoly(d: number, D: number, m: number): number[] {
  let poly = [1];
  for (let i = 0; i < d; i++) poly = polyMul(poly, [1, -1]);
  for (let i = 0; i < D; i++) poly = polyMul(poly, factor([1], m, -1));
  return poly;
}

/** Applies a polynomial (constant first) to y: out[t] = Σ c_k y[t+deg−k], t = 0 … n − deg − 1. */
function applyPoly(y: readonly number[], c: readonly number[]): number[] {
  const deg = c.length - 1;
  const out: number[] = [];
  for (let t = deg; t < y.length; t++) {
    let s = 0;
    for (let k = 0; k <= deg; k++) if (c[k] !== 0) s += c[k]! * y[t - k]!;
    out.push(s);
  }
  return out;
}

/** KPSS level-stationarity statistic with the short Newey–West lag (Kwiatkowski et al. 1992). */
export function kpss(x: readonly number[]): number {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const e = x.map((v) => v - mean);
  let s = 0;
  let num = 0;
  for (const v of e) {
    s += v;
    num += s * s;
  }
  const lag = Math.floor(3 * Math.sqrt(n) / 13);
  let s2 = e.reduce((a, v) => a + v * v, 0) / n;
  for (let l = 1; l <= lag; l++) {
    let g = 0;
    for (let t = l; t < n; t++) g += e[t]! * e[t - l]!;
    s2 += (2 * (1 - l / (lag + 1)) * g) / n;
  }
  return s2 > 0 ? num / (n * n * s2) : 0;
}

interface Model {
  ar: number[];
  ma: number[];
}

function model(order: ArimaOrder, x: readonly number[]): Model & Pick<ArimaFit, 'phi' | 'theta' | 'Phi' | 'Theta'> {
  let i = 0;
  const take = (k: number): number[] => x.slice(i, (i += k));
  const phi = fromPacf(take(order.p));
  const theta = fromPacf(take(order.q)).map((v) => -v);
  const Phi = fromPacf(take(order.P));
  const Theta = fromPacf(take(order.Q)).map((v) => -v);
  const ar = polyMul(factor(phi, 1, -1), factor(Phi, order.period, -1));
  const ma = polyMul(factor(theta, 1, 1), factor(Theta, order.period, 1));
  return { ar, ma, phi, theta, Phi, Theta };
}

/** CSS residuals of z (demeaned, differenced) from t0 on; earlier errors are taken as zero. */
function cssResiduals(z: readonly number[], m: Model, t0: number, out: Float64Array): number {
  const { ar, ma } = m;
  const e = out;
  e.fill(0);
  let sse = 0;
  for (let t = t0; t < z.length; t++) {
    let v = z[t]!;
    for (let k = 1; k < ar.length; k++) if (ar[k] !== 0) v += ar[k]! * z[t - k]!;
    for (let k = 1; k < ma.length && k <= t; k++) if (ma[k] !== 0) v -= ma[k]! * e[t - k]!;
    e[t] = v;
    sse += v * v;
  }
  return sse;
}

/** Fits one order by conditional sum of squares from observation t0 of the differenced series. */
export function fitArima(y: readonly number[], order: ArimaOrder, t0: number): ArimaFit | undefined {
  const w = applyPoly(y, differencePoly(order.d, order.D, order.period));
  if (w.length - t0 < 10) return undefined;
  const withMean = order.d + order.D < 2;
  const mean = withMean ? w.reduce((a, b) => a + b, 0) / w.length : 0;
  const z = w.map((v) => v - mean);
  const k = order.p + order.q + order.P + order.Q;
  const buf = new Float64Array(z.length);
  const res =
    k === 0
      ? { x: [] as number[], f: cssResiduals(z, { ar: [1], ma: [1] }, t0, buf) }
      : nelderMead((x) => cssResiduals(z, model(order, x), t0, buf), new Array(k).fill(0), {
          step: 0.5,
          maxEvaluations: 100 * k,
          tolerance: 1e-7,
        });
  const m = model(order, res.x);
  const sse = cssResiduals(z, m, t0, buf);
  const count = z.length - t0;
  const sigma2 = sse / count;
  if (!(sigma2 > 0)) return undefined;
  const aic = count * Math.log(sigma2) + 2 * (k + (withMean ? 1 : 0) + 1);
  return {
    order,
    phi: m.phi,
    theta: m.theta,
    Phi: m.Phi,
    Theta: m.Theta,
    mean,
    sigma2: sse / Math.max(1, count - k),
    aic,
    residuals: Array.from(buf.subarray(t0)),
    ar: m.ar,
    ma: m.ma,
  };
}

/** Point forecasts and forecast variances of a fitted model, on the scale it was fitted on. */
export function arimaPredict(y: readonly number[], fit: ArimaFit, horizon: number): { point: number[]; variance: number[] } {
  const { order } = fit;
  const delta = differencePoly(order.d, order.D, order.period);
  const w = applyPoly(y, delta);
  const z = w.map((v) => v - fit.mean);
  const m: Model = { ar: fit.ar, ma: fit.ma };
  // residuals over the whole differenced series (zero before the AR lags are available)
  const e = new Float64Array(z.length + horizon);
  const zz = z.slice();
  const t0 = m.ar.length - 1;
  for (let t = t0; t < z.length; t++) {
    let v = z[t]!;
    for (let k = 1; k < m.ar.length; k++) v += m.ar[k]! * z[t - k]!;
    for (let k = 1; k < m.ma.length && k <= t; k++) v -= m.ma[k]! * e[t - k]!;
    e[t] = v;
  }
  for (let h = 0; h < horizon; h++) {
    const t = z.length + h;
    let v = 0;
    for (let k = 1; k < m.ar.length; k++) v -= m.ar[k]! * (zz[t - k] ?? 0);
    for (let k = 1; k < m.ma.length; k++) if (t - k < z.length) v += m.ma[k]! * e[t - k]!;
    zz.push(v);
  }
  const yy = y.slice();
  for (let h = 0; h < horizon; h++) {
    const t = y.length + h;
    let v = zz[z.length + h]! + fit.mean;
    for (let k = 1; k < delta.length; k++) v -= delta[k]! * yy[t - k]!;
    yy.push(v);
  }
  // ψ weights of the full model (AR × differencing)
  const g = polyMul(m.ar, delta);
  const psi = [1];
  for (let j = 1; j < horizon; j++) {
    let v = m.ma[j] ?? 0;
    for (let k = 1; k <= j && k < g.length; k++) v -= g[k]! * psi[j - k]!;
    psi.push(v);
  }
  const variance: number[] = [];
  let acc = 0;
  for (let h = 0; h < horizon; h++) {
    acc += psi[h]! ** 2;
    variance.push(fit.sigma2 * acc);
  }
  return { point: yy.slice(y.length), variance };
}

export interface AutoArimaResult {
  best: ArimaFit;
  log: boolean;
  candidates: { name: string; aic: number }[];
}

export function arimaName(o: ArimaOrder, log: boolean): string {
  const s = o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${o.period}]` : '';
  return `ARIMA(${o.p},${o.d},${o.q})${s}${log ? ' on logs' : ''}`;
}

/** Differencing by the tests above, then the order with the smallest AIC. */
export function autoArimaFit(values: readonly number[], period: number): AutoArimaResult | undefined {
  const log = values.every((v) => v > 0);
  const y = log ? values.map(Math.log) : values.slice();
  const seasonal = period > 1 && y.length >= 3 * period && seasonalByAcf(y, period);
  const D = seasonal ? 1 : 0;
  const sd = applyPoly(y, differencePoly(0, D, period));
  const d = sd.length > 10 && kpss(sd) > 0.463 ? 1 : 0;
  const seasonalOrders: [number, number][] = seasonal ? [[0, 1], [1, 0]] : [[0, 0]];
  const t0 = 2 + (seasonal ? period : 0);
  const candidates: AutoArimaResult['candidates'] = [];
  let best: ArimaFit | undefined;
  for (const [P, Q] of seasonalOrders)
    for (let p = 0; p <= 2; p++)
      for (let q = 0; q <= 2; q++) {
        const order = { p, d, q, P, D, Q, period };
        const fit = fitArima(y, order, t0);
        candidates.push({ name: arimaName(order, log), aic: fit?.aic ?? Number.POSITIVE_INFINITY });
        if (fit && (!best || fit.aic < best.aic)) best = fit;
      }
  if (!best) return undefined;
  candidates.sort((a, b) => a.aic - b.aic);
  return { best, log, candidates };
}

/** Forecasts with the automatically chosen seasonal ARIMA; undefined when no order can be fitted. */
export function autoArima(
  values: readonly number[],
  period: number,
  horizon: number,
  levels: readonly number[],
): MethodForecast | undefined {
  const auto = autoArimaFit(values, period);
  if (!auto) return undefined;
  const { best, log } = auto;
  const y = log ? values.map(Math.log) : values.slice();
  const { point, variance } = arimaPredict(y, best, horizon);
  const back = (v: number): number => (log ? Math.exp(v) : v);
  const o = best.order;
  return {
    name: arimaName(o, log),
    point: point.map(back),
    intervals: levels.map((level) => {
      const z = zForLevel(level);
      return {
        level,
        lower: point.map((p, i) => back(p - z * Math.sqrt(variance[i]!))),
        upper: point.map((p, i) => back(p + z * Math.sqrt(variance[i]!))),
      };
    }),
    params: {
      ...Object.fromEntries(best.phi.map((v, i) => [`ar${i + 1}`, v])),
      ...Object.fromEntries(best.theta.map((v, i) => [`ma${i + 1}`, v])),
      ...Object.fromEntries(best.Phi.map((v, i) => [`sar${i + 1}`, v])),
      ...Object.fromEntries(best.Theta.map((v, i) => [`sma${i + 1}`, v])),
      ...(o.d + o.D < 2 ? { [o.d + o.D === 0 ? 'mean' : 'drift']: best.mean } : {}),
      sigma: Math.sqrt(best.sigma2),
    },
    intervalMethod: 'analytic',
  };
}
