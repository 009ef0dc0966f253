/**
 * Parameter recovery: series simulated from known ETS models (240 months, 30 seeds per class) are fitted with
 * model selection; the selected class must be right, or in the stated equivalence set, in at least 80 % of
 * seeds, and each smoothing parameter within its tolerance of the truth in at least 80 % of seeds.
 *
 * Equivalence sets (observationally near-identical, stated rather than hidden):
 * - additive vs multiplicative *error* when the level moves little relative to its size: the two likelihoods
 *   differ only through Σ log μ, which is then almost constant;
 * - additive vs multiplicative *season* when the level does not trend (a fixed scale makes them the same model);
 * - a damped trend with φ ≥ 0.9 vs a linear trend.
 */
import { describe, expect, it } from 'vitest';
import {
  type EtsParams,
  type EtsSpec,
  type EtsState,
  etsAnalyticVariance,
  etsFilter,
  etsPointForecast,
  etsSimulate,
} from './ets.js';
import { autoEts, fitEts } from './ets-fit.js';
import { seededRandom } from './prng.js';

const SEEDS = 30;
const N = 240;
const shape = [0.9, 0.8, 1.0, 1.05, 1.1, 1.05, 1.0, 1.02, 1.05, 1.08, 1.1, 0.85];
const meanShape = shape.reduce((a, b) => a + b, 0) / 12;
const mult = shape.map((v) => v / meanShape);
const add = mult.map((v) => (v - 1) * 30);

interface Case {
  label: string;
  spec: EtsSpec;
  p: EtsParams;
  s: EtsState;
  sigma2: number;
  accept: string[];
  tol: Partial<Record<'alpha' | 'beta' | 'gamma', number>>;
}

const cases: Case[] = [
  {
    label: 'ETS(A,N,N)',
    spec: { error: 'A', trend: 'N', season: 'N', period: 1 },
    p: { alpha: 0.3, beta: 0, gamma: 0, phi: 1 },
    s: { level: 100, trend: 0, season: [] },
    sigma2: 4,
    accept: ['ETS(A,N,N)', 'ETS(M,N,N)'],
    tol: { alpha: 0.1 },
  },
  {
    label: 'ETS(A,A,N)',
    spec: { error: 'A', trend: 'A', season: 'N', period: 1 },
    p: { alpha: 0.5, beta: 0.1, gamma: 0, phi: 1 },
    s: { level: 100, trend: 1, season: [] },
    sigma2: 4,
    accept: ['ETS(A,A,N)', 'ETS(A,Ad,N)', 'ETS(M,A,N)', 'ETS(M,Ad,N)'],
    tol: { alpha: 0.1, beta: 0.05 },
  },
  {
    label: 'ETS(A,N,A)',
    spec: { error: 'A', trend: 'N', season: 'A', period: 12 },
    p: { alpha: 0.3, beta: 0, gamma: 0.1, phi: 1 },
    s: { level: 100, trend: 0, season: add },
    sigma2: 4,
    accept: ['ETS(A,N,A)', 'ETS(M,N,A)', 'ETS(M,N,M)'],
    tol: { alpha: 0.1, gamma: 0.1 },
  },
  {
    label: 'ETS(A,A,A)',
    spec: { error: 'A', trend: 'A', season: 'A', period: 12 },
    p: { alpha: 0.4, beta: 0.05, gamma: 0.1, phi: 1 },
    s: { level: 100, trend: 0.5, season: add },
    sigma2: 4,
    accept: ['ETS(A,A,A)', 'ETS(A,Ad,A)', 'ETS(M,A,A)', 'ETS(M,Ad,A)'],
    tol: { alpha: 0.1, beta: 0.05, gamma: 0.1 },
  },
  {
    label: 'ETS(M,A,M)',
    spec: { error: 'M', trend: 'A', season: 'M', period: 12 },
    p: { alpha: 0.3, beta: 0.01, gamma: 0.1, phi: 1 },
    s: { level: 100, trend: 2, season: mult },
    sigma2: 0.0009,
    accept: ['ETS(M,A,M)', 'ETS(M,Ad,M)'],
    tol: { alpha: 0.1, beta: 0.02, gamma: 0.1 },
  },
  {
    label: 'ETS(M,Ad,N)',
    spec: { error: 'M', trend: 'Ad', season: 'N', period: 1 },
    p: { alpha: 0.5, beta: 0.2, gamma: 0, phi: 0.9 },
    s: { level: 100, trend: 5, season: [] },
    sigma2: 0.0004,
    accept: ['ETS(M,Ad,N)', 'ETS(A,Ad,N)', 'ETS(M,A,N)', 'ETS(A,A,N)'],
    tol: { alpha: 0.1, beta: 0.1 },
  },
];

describe('ETS parameter recovery over many seeds', () => {
  for (const c of cases) {
    it(`${c.label}: class and smoothing parameters recovered in ≥ 80 % of ${SEEDS} seeds`, () => {
      let classOk = 0;
      const within: Record<string, number> = {};
      for (let seed = 1; seed <= SEEDS; seed++) {
        const y = Array.from(etsSimulate(c.spec, c.p, c.s, 0, c.sigma2, N, 1, seededRandom(1000 * seed + 7))[0]!);
        const { best } = autoEts(y, { period: 12 });
        if (c.accept.includes(best.name)) classOk++;
        // parameters are judged on the true model's own fit, so that a selection miss does not hide an estimation bias
        const own = fitEts(y, c.spec)!;
        for (const [k, tol] of Object.entries(c.tol)) {
          const est = own.params[k as keyof EtsParams];
          const truth = c.p[k as keyof EtsParams];
          if (Math.abs(est - truth) <= tol!) within[k] = (within[k] ?? 0) + 1;
        }
      }
      expect(classOk / SEEDS).toBeGreaterThanOrEqual(0.8);
      for (const k of Object.keys(c.tol)) expect((within[k] ?? 0) / SEEDS, k).toBeGreaterThanOrEqual(0.8);
    });
  }
});

describe('ETS recursion and forecasts (worked by hand)', () => {
  it('simple exponential smoothing: level 10, α = 0.5', () => {
    const run = etsFilter(
      [10, 12, 11],
      { error: 'A', trend: 'N', season: 'N', period: 1 },
      { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
      { level: 10, trend: 0, season: [] },
    );
    // μ = 10, 10, 11; e = 0, 2, 0; level 10 → 10 → 11 → 11
    expect(Array.from(run.residuals!)).toEqual([0, 2, 0]);
    expect(run.final!.level).toBe(11);
    expect(run.sse).toBe(4);
  });

  it('multiplicative season: μ = ℓ·s and relative errors', () => {
    const spec: EtsSpec = { error: 'M', trend: 'N', season: 'M', period: 2 };
    const run = etsFilter(
      [12, 8],
      spec,
      { alpha: 0.5, beta: 0, gamma: 0.5, phi: 1 },
      { level: 10, trend: 0, season: [1.2, 0.8] },
    );
    expect(Array.from(run.residuals!)).toEqual([0, 0]);
    const run2 = etsFilter(
      [13.2],
      spec,
      { alpha: 0.5, beta: 0, gamma: 0.5, phi: 1 },
      { level: 10, trend: 0, season: [1.2, 0.8] },
    );
    // μ = 12, ε = 0.1; ℓ = 10·(1 + 0.05) = 10.5; s = 1.2·(1 + 0.05) = 1.26
    expect(run2.residuals![0]).toBeCloseTo(0.1, 12);
    expect(run2.final!.level).toBeCloseTo(10.5, 12);
    expect(run2.final!.season[0]).toBeCloseTo(1.26, 12);
  });

  it('damped trend point forecasts: ℓ + (φ + … + φ^h)·b', () => {
    const f = etsPointForecast(
      { error: 'A', trend: 'Ad', season: 'N', period: 1 },
      { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 },
      { level: 100, trend: 10, season: [] },
      0,
      3,
    );
    expect(f[0]).toBeCloseTo(109, 10);
    expect(f[1]).toBeCloseTo(117.1, 10);
    expect(f[2]).toBeCloseTo(124.39, 10);
  });

  it('analytic variance of ETS(A,A,N): σ²(1 + Σ (α + βj)²)', () => {
    const v = etsAnalyticVariance(
      { error: 'A', trend: 'A', season: 'N', period: 1 },
      { alpha: 0.5, beta: 0.1, gamma: 0, phi: 1 },
      2,
      3,
    )!;
    // c1 = 0.6, c2 = 0.7 → 2, 2·1.36, 2·1.85
    expect(v[0]).toBeCloseTo(2, 12);
    expect(v[1]).toBeCloseTo(2.72, 12);
    expect(v[2]).toBeCloseTo(3.7, 12);
  });

  it('simulated variance agrees with the analytic one (second method)', () => {
    const spec: EtsSpec = { error: 'A', trend: 'A', season: 'N', period: 1 };
    const p = { alpha: 0.5, beta: 0.1, gamma: 0, phi: 1 };
    const paths = etsSimulate(spec, p, { level: 100, trend: 1, season: [] }, 0, 2, 3, 20000, seededRandom(3));
    const h3 = paths.map((x) => x[2]!);
    const mean = h3.reduce((a, b) => a + b, 0) / h3.length;
    const variance = h3.reduce((a, b) => a + (b - mean) ** 2, 0) / (h3.length - 1);
    expect(mean).toBeCloseTo(103, 1);
    expect(variance / 3.7).toBeGreaterThan(0.95);
    expect(variance / 3.7).toBeLessThan(1.05);
  });
});
