/**
 * The ETS state-space family (Hyndman, Koehler, Ord & Snyder 2008): error additive or multiplicative,
 * trend none, additive or additive damped, season none, additive or multiplicative.
 *
 * One recursion covers every member. With μ the one-step forecast and e the error on the additive scale
 * (e = y − μ for additive error, e = μ·ε with ε = (y − μ)/μ for multiplicative error):
 *
 *     base = ℓ + φb           (φb is 0 without trend, b for a linear trend)
 *     μ    = base, base + s, or base · s
 *     ℓ'   = base + α e / ŝ     b' = φb + β e / ŝ     s' = s + γ e / ĝ
 *
 * where ŝ = s for a multiplicative season (else 1) and ĝ = base for a multiplicative season (else 1).
 * This file holds the recursion, the likelihood, point forecasts, analytic variances and simulation;
 * fitting and selection are in `ets-fit.ts`.
 *
 * @example
 * const spec = { error: 'A', trend: 'N', season: 'N', period: 1 } as const;
 * const run = etsFilter([10, 12, 11], spec, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, { level: 10, trend: 0, season: [] });
 * run.residuals; // [0, 2, 0]   (level 10 → 11 → 11)
 */
import { fillNormal, type Random } from './prng.js';

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  readonly error: ErrorType;
  readonly trend: TrendType;
  readonly season: SeasonType;
  /** Seasonal period (12 for monthly data); 1 when season is N. */
  readonly period: number;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  /** Damping; 1 for a linear trend or none. */
  phi: number;
}

export interface EtsState {
  level: number;
  trend: number;
  /** m seasonal states; `season[t % m]` is the one used at time t (0-based), then replaced. */
  season: number[];
}

/** `ETS(M,Ad,M)` */
export function etsName(spec: Pick<EtsSpec, 'error' | 'trend' | 'season'>): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

export interface FilterRun {
  /** False when a state or a one-step forecast left the admissible region (e.g. a negative level under M). */
  ok: boolean;
  /** Σ e² with e the additive error (A) or relative error ε (M). */
  sse: number;
  /** Σ log|μ| (used by the multiplicative-error likelihood). */
  sumLogMu: number;
  /** One-step forecasts μ_t, when asked for. */
  fitted?: Float64Array;
  /** Innovations: e (A) or ε (M), when asked for. */
  residuals?: Float64Array;
  /** State after the last observation (time n), ready to forecast. */
  final?: EtsState;
}

/**
 * Runs the recursion over `y` from an initial state. `detail` keeps fitted values, residuals and the final
 * state; without it only the likelihood pieces are computed (the hot path of the optimiser).
 */
export function etsFilter(y: ArrayLike<number>, spec: EtsSpec, p: EtsParams, init: EtsState, detail = true): FilterRun {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : spec.period;
  const multErr = spec.error === 'M';
  const seasonType = spec.season;
  const trendType = spec.trend;
  const phi = trendType === 'Ad' ? p.phi : 1;
  const { alpha, beta, gamma } = p;
  let l = init.level;
  let b = trendType === 'N' ? 0 : init.trend;
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) s[i] = seasonType === 'N' ? 0 : init.season[i]!;
  const fitted = detail ? new Float64Array(n) : undefined;
  const residuals = detail ? new Float64Array(n) : undefined;
  let sse = 0;
  let sumLogMu = 0;
  let ok = true;
  for (let t = 0; t < n; t++) {
    const pos = t % m;
    const pb = trendType === 'N' ? 0 : phi * b;
    const base = l + pb;
    const st = s[pos]!;
    const mu = seasonType === 'N' ? base : seasonType === 'A' ? base + st : base * st;
    const yt = y[t]!;
    let e: number;
    let ea: number;
    if (multErr) {
      if (!(mu > 0)) {
        ok = false;
        break;
      }
      e = (yt - mu) / mu;
      ea = mu * e;
      sumLogMu += Math.log(mu);
    } else {
      e = yt - mu;
      ea = e;
    }
    sse += e * e;
    if (fitted) fitted[t] = mu;
    if (residuals) residuals[t] = e;
    if (seasonType === 'M') {
      if (!(st > 0) || !(base > 0)) {
        ok = false;
        break;
      }
      l = base + (alpha * ea) / st;
      b = pb + (beta * ea) / st;
      s[pos] = st + (gamma * ea) / base;
    } else {
      l = base + alpha * ea;
      b = pb + beta * ea;
      if (seasonType === 'A') s[pos] = st + gamma * ea;
    }
    if (multErr && !(l > 0)) {
      ok = false;
      break;
    }
  }
  const run: FilterRun = { ok, sse, sumLogMu };
  if (detail) {
    run.fitted = fitted!;
    run.residuals = residuals!;
    run.final = { level: l, trend: b, season: Array.from(s) };
  }
  return run;
}

/**
 * −2 log-likelihood up to a constant (concentrated over σ), comparable across all members of the family:
 * n·log(Σe²) for additive error, n·log(Σε²) + 2·Σlog|μ| for multiplicative error.
 */
export function minus2LogLik(run: FilterRun, n: number): number {
  if (!run.ok || !(run.sse > 0)) return Number.POSITIVE_INFINITY;
  return n * Math.log(run.sse) + 2 * run.sumLogMu;
}

/**
 * Point forecasts h = 1…horizon from the state after time n (the recursion run with zero errors).
 * @example etsPointForecast({ error: 'A', trend: 'A', season: 'N', period: 1 }, p, { level: 10, trend: 2, season: [] }, 0, 3) // [12, 14, 16]
 */
export function etsPointForecast(spec: EtsSpec, p: EtsParams, state: EtsState, n: number, horizon: number): number[] {
  const m = spec.season === 'N' ? 1 : spec.period;
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const out: number[] = [];
  let damp = 0;
  let pw = 1;
  for (let h = 1; h <= horizon; h++) {
    pw *= phi;
    damp += pw;
    const base = state.level + (spec.trend === 'N' ? 0 : damp * state.trend);
    const st = spec.season === 'N' ? 0 : state.season[(n + h - 1) % m]!;
    out.push(spec.season === 'N' ? base : spec.season === 'A' ? base + st : base * st);
  }
  return out;
}

/**
 * Analytic forecast variances for the linear homoscedastic members (additive error, season N or A):
 * v_h = σ²(1 + Σ_{j<h} c_j²), c_j = α + β(φ + … + φ^j) + γ·[j mod m = 0]. Undefined for the others.
 */
export function etsAnalyticVariance(
  spec: EtsSpec,
  p: EtsParams,
  sigma2: number,
  horizon: number,
): number[] | undefined {
  if (spec.error !== 'A' || spec.season === 'M') return undefined;
  const m = spec.season === 'N' ? 0 : spec.period;
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const out: number[] = [];
  let acc = 0;
  let damp = 0;
  let pw = 1;
  for (let h = 1; h <= horizon; h++) {
    out.push(sigma2 * (1 + acc));
    pw *= phi;
    damp += pw;
    const j = h;
    const c = p.alpha + (spec.trend === 'N' ? 0 : p.beta * damp) + (m > 0 && j % m === 0 ? p.gamma : 0);
    acc += c * c;
  }
  return out;
}

/**
 * Simulated future sample paths from the state after time n, with Gaussian innovations of variance sigma2
 * (on the additive scale for A, relative for M). `paths[i][h-1]` is path i at horizon h.
 */
export function etsSimulate(
  spec: EtsSpec,
  p: EtsParams,
  state: EtsState,
  n: number,
  sigma2: number,
  horizon: number,
  count: number,
  rng: Random,
): Float64Array[] {
  const m = spec.season === 'N' ? 1 : spec.period;
  const trended = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const season = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const multErr = spec.error === 'M';
  const { alpha, beta, gamma } = p;
  const sd = Math.sqrt(sigma2);
  const z = fillNormal(rng, new Float64Array(count * horizon));
  const paths: Float64Array[] = [];
  const s = new Float64Array(m);
  let zi = 0;
  for (let i = 0; i < count; i++) {
    let l = state.level;
    let b = trended ? state.trend : 0;
    for (let k = 0; k < m; k++) s[k] = season === 0 ? 0 : state.season[k]!;
    const path = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) {
      const pos = (n + h) % m;
      const pb = trended ? phi * b : 0;
      const base = l + pb;
      const st = s[pos]!;
      const mu = season === 0 ? base : season === 1 ? base + st : base * st;
      const e = z[zi++]! * sd;
      const ea = multErr ? mu * e : e;
      path[h] = mu + ea;
      if (season === 2) {
        const sd2 = st === 0 ? 1e-12 : st;
        const bd = base === 0 ? 1e-12 : base;
        l = base + (alpha * ea) / sd2;
        b = pb + (beta * ea) / sd2;
        s[pos] = st + (gamma * ea) / bd;
      } else {
        l = base + alpha * ea;
        b = pb + beta * ea;
        if (season === 1) s[pos] = st + gamma * ea;
      }
    }
    paths.push(path);
  }
  return paths;
}
