/**
 * Classical seasonal decomposition (centred moving average), used for ETS starting states and by the
 * Theta method.
 *
 * @example
 * seasonalIndices([1, 3, 1, 3, 1, 3, 1, 3], 2, 'additive') // [-1, 1]
 */
export type DecompositionType = 'additive' | 'multiplicative';

/** Seasonal indices for positions 0…m−1 of `y` (position i is observations i, i+m, …), normalised. */
export function seasonalIndices(y: ArrayLike<number>, m: number, type: DecompositionType): number[] {
  const n = y.length;
  const trend = centredMovingAverage(y, m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = 0; t < n; t++) {
    const tr = trend[t];
    if (tr === undefined || Number.isNaN(tr)) continue;
    if (type === 'multiplicative' && !(tr > 0)) continue;
    sums[t % m]! += type === 'additive' ? y[t]! - tr : y[t]! / tr;
    counts[t % m]!++;
  }
  const raw = sums.map((s, i) => (counts[i]! > 0 ? s / counts[i]! : type === 'additive' ? 0 : 1));
  const mean = raw.reduce((a, b) => a + b, 0) / m;
  return raw.map((v) => (type === 'additive' ? v - mean : v / mean));
}

/** Centred moving average of order m (2×m when m is even); NaN where the window does not fit. */
export function centredMovingAverage(y: ArrayLike<number>, m: number): number[] {
  const n = y.length;
  const out = new Array<number>(n).fill(Number.NaN);
  if (m <= 1) {
    for (let t = 0; t < n; t++) out[t] = y[t]!;
    return out;
  }
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s += 0.5 * y[t - half]! + 0.5 * y[t + half]!;
      for (let k = t - half + 1; k < t + half; k++) s += y[k]!;
    } else {
      for (let k = t - half; k <= t + half; k++) s += y[k]!;
    }
    out[t] = s / m;
  }
  return out;
}

/** Autocorrelation of `y` at lags 1…maxLag. */
export function acf(y: ArrayLike<number>, maxLag: number): number[] {
  const n = y.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t]!;
  mean /= n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (y[t]! - mean) ** 2;
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += (y[t]! - mean) * (y[t - k]! - mean);
    out.push(c0 > 0 ? c / c0 : 0);
  }
  return out;
}
