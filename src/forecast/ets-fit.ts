/**
 * Fitting ETS models by maximum likelihood and choosing among them by AICc.
 *
 * Smoothing parameters, damping and the initial level and trend are estimated by Nelder–Mead on the
 * concentrated likelihood; the initial seasonal states come from a classical decomposition of the first
 * three years (as in `forecast::ets`'s starting values) and are counted as estimated parameters in the AICc.
 * Parameters are kept in the usual region 0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98 (a subset of the
 * admissible region of every member, so forecasts are stable), enforced by a logistic reparametrisation.
 *
 * @example
 * const best = autoEts(values, { period: 12 });
 * best.name;    // 'ETS(M,A,M)'
 * best.params;  // { alpha: 0.41, beta: 0.0012, gamma: 0.17, phi: 1 }
 */
import { seasonalIndices } from './decompose.js';
import {
  type EtsParams,
  type EtsSpec,
  type EtsState,
  etsFilter,
  etsName,
  minus2LogLik,
  type SeasonType,
  type TrendType,
} from './ets.js';
import { nelderMead } from './optimiser.js';

export interface EtsFit {
  spec: EtsSpec;
  name: string;
  params: EtsParams;
  init: EtsState;
  final: EtsState;
  n: number;
  /** Innovation variance (additive scale for A, relative for M), Σe²/(n − k). */
  sigma2: number;
  /** −2 log-likelihood up to a constant. */
  lik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Number of estimated parameters, counting initial states and σ. */
  k: number;
  fitted: number[];
  residuals: number[];
}

const LO = 1e-4;
const HI = 0.9999;
const PHI_LO = 0.8;
const PHI_HI = 0.98;

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Starting states: seasonal indices from a classical decomposition, level and trend from a line through the first points. */
export function startingState(y: ArrayLike<number>, spec: EtsSpec): EtsState {
  const n = y.length;
  const m = spec.period;
  let season: number[] = [];
  const adj = Array.from(y);
  if (spec.season !== 'N') {
    const head = Array.from(y).slice(0, Math.min(n, 3 * m));
    season = seasonalIndices(head, m, spec.season === 'M' ? 'multiplicative' : 'additive');
    for (let t = 0; t < n; t++) adj[t] = spec.season === 'M' ? adj[t]! / season[t % m]! : adj[t]! - season[t % m]!;
  }
  const k = Math.min(n, Math.max(10, 2 * m));
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < k; t++) {
    const x = t + 1;
    sx += x;
    sy += adj[t]!;
    sxx += x * x;
    sxy += x * adj[t]!;
  }
  const slope = k > 1 ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : 0;
  const intercept = (sy - slope * sx) / k;
  if (spec.trend === 'N') return { level: sy / k, trend: 0, season };
  return { level: intercept, trend: slope, season };
}

/** Number of estimated parameters: smoothing, damping, initial states and σ. */
export function parameterCount(spec: EtsSpec): number {
  let k = 1 + 1 + 1; // α, ℓ0, σ
  if (spec.trend !== 'N') k += 2; // β, b0
  if (spec.trend === 'Ad') k += 1; // φ
  if (spec.season !== 'N') k += 1 + (spec.period - 1); // γ, m − 1 free seasonal states
  return k;
}

/** Maps the optimiser's unconstrained vector to parameters and initial states. */
function decode(x: readonly number[], spec: EtsSpec, start: EtsState, scale: number): { p: EtsParams; init: EtsState } {
  let i = 0;
  const alpha = LO + (HI - LO) * logistic(x[i++]!);
  let beta = 0;
  let gamma = 0;
  let phi = 1;
  if (spec.trend !== 'N') beta = alpha * (LO + (HI - LO) * logistic(x[i++]!));
  if (spec.season !== 'N') gamma = (1 - alpha) * (LO + (HI - LO) * logistic(x[i++]!));
  if (spec.trend === 'Ad') phi = PHI_LO + (PHI_HI - PHI_LO) * logistic(x[i++]!);
  const level = start.level + scale * x[i++]!;
  const trend = spec.trend === 'N' ? 0 : start.trend + (scale / 10) * x[i++]!;
  return { p: { alpha, beta, gamma, phi }, init: { level, trend, season: start.season } };
}

export interface FitOptions {
  /** Maximum likelihood evaluations per model (default 150 × number of free parameters). */
  maxEvaluations?: number;
  /** Relative spread of the simplex's −2 log L at which the optimiser stops (default 1e-6). */
  tolerance?: number;
}

/**
 * Fits one ETS model by maximum likelihood.
 * Returns undefined when no admissible fit exists (e.g. a multiplicative model on data with zeros).
 */
export function fitEts(y: ArrayLike<number>, spec: EtsSpec, options: FitOptions = {}): EtsFit | undefined {
  const n = y.length;
  const start = startingState(y, spec);
  let spread = 0;
  const k0 = Math.min(n, Math.max(10, 2 * spec.period));
  for (let t = 1; t < k0; t++) spread += Math.abs(y[t]! - y[t - 1]!);
  const scale = Math.max(spread / Math.max(1, k0 - 1), Math.abs(start.level) * 1e-3, 1e-9);
  const x0: number[] = [logit((0.3 - LO) / (HI - LO))];
  if (spec.trend !== 'N') x0.push(logit(0.1));
  if (spec.season !== 'N') x0.push(logit(0.1));
  if (spec.trend === 'Ad') x0.push(logit((0.95 - PHI_LO) / (PHI_HI - PHI_LO)));
  x0.push(0);
  if (spec.trend !== 'N') x0.push(0);
  const objective = (x: readonly number[]): number => {
    const { p, init } = decode(x, spec, start, scale);
    return minus2LogLik(etsFilter(y, spec, p, init, false), n);
  };
  const res = nelderMead(objective, x0, {
    step: 1,
    maxEvaluations: options.maxEvaluations ?? 150 * x0.length,
    tolerance: options.tolerance ?? 1e-6,
  });
  if (!Number.isFinite(res.f)) return undefined;
  const { p, init } = decode(res.x, spec, start, scale);
  const run = etsFilter(y, spec, p, init, true);
  if (!run.ok) return undefined;
  const k = parameterCount(spec);
  const lik = minus2LogLik(run, n);
  const aic = lik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
  const bic = lik + Math.log(n) * k;
  return {
    spec,
    name: etsName(spec),
    params: p,
    init,
    final: run.final!,
    n,
    sigma2: run.sse / Math.max(1, n - k),
    lik,
    aic,
    aicc,
    bic,
    k,
    fitted: Array.from(run.fitted!),
    residuals: Array.from(run.residuals!),
  };
}

export interface AutoEtsOptions extends FitOptions {
  period: number;
  /** Restrict the candidates (default: every member that suits the data). */
  models?: readonly Pick<EtsSpec, 'error' | 'trend' | 'season'>[];
}

export interface AutoEtsResult {
  best: EtsFit;
  /** Every candidate tried, best AICc first; failed fits have aicc = Infinity. */
  candidates: { name: string; aicc: number; fit?: EtsFit }[];
}

/**
 * The candidate models for a series: multiplicative error or season only for strictly positive data,
 * seasonal members only with a period > 1 and at least three full seasons, and never an additive error
 * with a multiplicative season (numerically unstable; excluded by `forecast::ets` too).
 */
export function candidateModels(y: ArrayLike<number>, period: number): Pick<EtsSpec, 'error' | 'trend' | 'season'>[] {
  let positive = true;
  for (let t = 0; t < y.length; t++) if (!(y[t]! > 0)) positive = false;
  const seasonal = period > 1 && y.length >= 3 * period;
  const trends: TrendType[] = ['N', 'A', 'Ad'];
  const seasons: SeasonType[] = seasonal ? ['N', 'A', 'M'] : ['N'];
  const out: Pick<EtsSpec, 'error' | 'trend' | 'season'>[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const))
    for (const trend of trends)
      for (const season of seasons) {
        if (season === 'M' && (!positive || error === 'A')) continue;
        out.push({ error, trend, season });
      }
  return out;
}

/** Fits every candidate and keeps the one with the smallest AICc. */
export function autoEts(y: ArrayLike<number>, options: AutoEtsOptions): AutoEtsResult {
  if (y.length < 4) throw new Error(`autoEts: series too short (${y.length} points; need at least 4)`);
  const models = options.models ?? candidateModels(y, options.period);
  const candidates: AutoEtsResult['candidates'] = [];
  for (const mdl of models) {
    const spec: EtsSpec = { ...mdl, period: mdl.season === 'N' ? 1 : options.period };
    const fit = fitEts(y, spec, options);
    candidates.push(
      fit ? { name: fit.name, aicc: fit.aicc, fit } : { name: etsName(spec), aicc: Number.POSITIVE_INFINITY },
    );
  }
  candidates.sort((a, b) => a.aicc - b.aicc);
  const best = candidates[0]?.fit;
  if (!best) throw new Error('autoEts: no admissible model');
  return { best, candidates };
}
