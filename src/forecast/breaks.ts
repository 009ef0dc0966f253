/**
 * Structural-break check: a CUSUM test (Brown, Durbin & Evans 1975) on the standardised one-step innovations
 * of the fitted model. Under a stable model the cumulative sum wanders like a random walk; crossing the 5 %
 * boundary ±0.948·√T·(1 + 2t/T) says the model's errors have drifted one way, i.e. the series changed regime.
 * The first season of innovations is skipped (starting-state transients).
 *
 * @example
 * cusumBreak([0.1, -0.2, …], 1.0, 12) // undefined, or { index: 187, statistic: 3.1, boundary: 2.9 }
 */
export interface BreakFinding {
  /** Index into the series where the CUSUM first crossed its 5 % boundary. */
  index: number;
  /** Index where the cumulative sum moved fastest towards the crossing: the likely start of the shift. */
  start: number;
}

export function cusumBreak(residuals: readonly number[], sigma: number, skip: number): BreakFinding | undefined {
  const r = residuals.slice(skip);
  const T = r.length;
  if (T < 24 || !(sigma > 0)) return undefined;
  const a = 0.948;
  let w = 0;
  let minW = 0;
  let maxW = 0;
  let minAt = 0;
  let maxAt = 0;
  for (let t = 0; t < T; t++) {
    w += r[t]! / sigma;
    if (w < minW) {
      minW = w;
      minAt = t;
    }
    if (w > maxW) {
      maxW = w;
      maxAt = t;
    }
    const bound = a * Math.sqrt(T) * (1 + (2 * (t + 1)) / T);
    if (Math.abs(w) > bound) {
      const start = w > 0 ? minAt : maxAt;
      return { index: t + skip, start: start + skip };
    }
  }
  return undefined;
}

/**
 * Recent shift: whether the last `window` one-step innovations lean one way more than chance allows
 * (|mean z|·√window > 2.58, a 1 % two-sided test). Catches a break near the end of the series, where the
 * CUSUM has had no time to cross, e.g. a tariff shock in the final year.
 *
 * @example
 * recentShift([…, -2.1, -1.8, -2.5, …], 1.0, 12) // { mean: -1.9 }
 */
export function recentShift(residuals: readonly number[], sigma: number, window: number): { mean: number } | undefined {
  if (residuals.length < 3 * window || !(sigma > 0)) return undefined;
  const tail = residuals.slice(-window);
  const mean = tail.reduce((a, b) => a + b, 0) / window / sigma;
  return Math.abs(mean) * Math.sqrt(window) > 2.58 ? { mean } : undefined;
}
