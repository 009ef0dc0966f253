/**
 * Nelder–Mead simplex minimiser: derivative-free, small, deterministic. Enough for the 1–6 parameters of an
 * exponential-smoothing model, whose likelihood surface is smooth but has no cheap gradient.
 *
 * @example
 * const { x, f } = nelderMead(([a, b]) => (a! - 1) ** 2 + (b! + 2) ** 2, [0, 0]);
 * // x ≈ [1, -2], f ≈ 0
 */
export interface NelderMeadOptions {
  /** Initial step along each axis (default 0.5, or one per parameter). */
  step?: number | readonly number[];
  /** Maximum number of function evaluations (default 200 × dimension). */
  maxEvaluations?: number;
  /** Stop when the spread of the simplex values falls below this (relative, default 1e-8). */
  tolerance?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  evaluations: number;
}

export function nelderMead(
  fn: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = start.length;
  const maxEval = options.maxEvaluations ?? 200 * Math.max(1, n);
  const tol = options.tolerance ?? 1e-8;
  const stepOf = (i: number): number => (typeof options.step === 'number' ? options.step : (options.step?.[i] ?? 0.5));
  let evaluations = 0;
  const f = (x: readonly number[]): number => {
    evaluations++;
    const v = fn(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  if (n === 0) return { x: [], f: f([]), evaluations };

  const pts: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] = p[i]! + stepOf(i);
    pts.push(p);
  }
  const vals = pts.map(f);
  const order = (): void => {
    const idx = vals.map((_, i) => i).sort((a, b) => vals[a]! - vals[b]!);
    const p2 = idx.map((i) => pts[i]!);
    const v2 = idx.map((i) => vals[i]!);
    for (let i = 0; i <= n; i++) {
      pts[i] = p2[i]!;
      vals[i] = v2[i]!;
    }
  };
  const centroid = new Array<number>(n);
  const along = (c: readonly number[], w: readonly number[], t: number): number[] =>
    c.map((ci, i) => ci + t * (w[i]! - ci));

  while (evaluations < maxEval) {
    order();
    const best = vals[0]!;
    const worst = vals[n]!;
    if (Math.abs(worst - best) <= tol * (Math.abs(best) + tol) && Number.isFinite(worst)) break;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += pts[j]![i]!;
      centroid[i] = s / n;
    }
    const reflected = along(centroid, pts[n]!, -1);
    const fr = f(reflected);
    if (fr < vals[0]!) {
      const expanded = along(centroid, pts[n]!, -2);
      const fe = f(expanded);
      if (fe < fr) {
        pts[n] = expanded;
        vals[n] = fe;
      } else {
        pts[n] = reflected;
        vals[n] = fr;
      }
      continue;
    }
    if (fr < vals[n - 1]!) {
      pts[n] = reflected;
      vals[n] = fr;
      continue;
    }
    const outside = fr < vals[n]!;
    const contracted = along(centroid, outside ? reflected : pts[n]!, 0.5);
    const fc = f(contracted);
    if (fc < (outside ? fr : vals[n]!)) {
      pts[n] = contracted;
      vals[n] = fc;
      continue;
    }
    for (let j = 1; j <= n; j++) {
      pts[j] = along(pts[0]!, pts[j]!, 0.5);
      vals[j] = f(pts[j]!);
    }
  }
  order();
  return { x: pts[0]!, f: vals[0]!, evaluations };
}
