/**
 * A small seeded random-number generator, so that simulated intervals and projections are reproducible:
 * the same input and seed give the same output on every machine.
 *
 * @example
 * const rng = seededRandom(42);
 * rng.uniform(); // 0.6011…, always the same for seed 42
 * rng.normal();  // a standard normal draw
 */
export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
}

/** mulberry32: 32-bit state, good enough for simulation, fast, and identical across platforms. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  let spare: number | undefined;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = uniform();
      while (u <= Number.MIN_VALUE) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number): number {
      return Math.floor(uniform() * n);
    },
  };
}

/**
 * Fills `out` with standard normal draws (Box–Muller, two per pair of uniforms) from the generator —
 * the fast path for simulation, identical in distribution to repeated {@link Random.normal} calls.
 */
export function fillNormal(rng: Random, out: Float64Array): Float64Array {
  const n = out.length;
  let i = 0;
  while (i < n) {
    let u = rng.uniform();
    while (u <= Number.MIN_VALUE) u = rng.uniform();
    const v = rng.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i++] = r * Math.cos(2 * Math.PI * v);
    if (i < n) out[i++] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
