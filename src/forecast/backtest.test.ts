import { describe, expect, it } from 'vitest';
import { backtest, maseScale, smape } from './backtest.js';

describe('rolling-origin backtest', () => {
  it('MASE of seasonal naive and naive on a straight line, worked by hand', () => {
    // y_t = t, period 4: seasonal naive misses by 4 at h = 1…4, naive by h; the scale |y_t − y_{t−4}| is 4
    const y = Array.from({ length: 60 }, (_, t) => t);
    const r = backtest(y, { period: 4, horizon: 4, minTrain: 40, methods: ['snaive', 'naive'] });
    const sn = r.methods.find((m) => m.method === 'snaive')!;
    const nv = r.methods.find((m) => m.method === 'naive')!;
    // origins 40…59; the last three have fewer than 4 months left: 17·4 + 3 + 2 + 1 pairs
    expect(r.origins).toBe(20);
    expect(sn.count).toBe(74);
    expect(sn.mase).toBeCloseTo(1, 12);
    // naive errors at origin t: 1…min(4, 60 − t); mean of h/4 over every pair
    const pairs: number[] = [];
    for (let t = 40; t < 60; t++) for (let h = 1; h <= Math.min(4, 60 - t); h++) pairs.push(h / 4);
    expect(nv.mase).toBeCloseTo(pairs.reduce((a, b) => a + b, 0) / pairs.length, 12);
    expect(nv.byHorizon[0]!.mase).toBeCloseTo(0.25, 12);
  });

  it('sMAPE and the MASE scale', () => {
    expect(smape(100, 90)).toBeCloseTo((200 * 10) / 190, 12);
    expect(smape(0, 0)).toBe(0);
    expect(maseScale([1, 2, 3, 5, 8], 2)).toBeCloseTo((2 + 3 + 5) / 3, 12);
  });

  it('refuses a series too short to score, saying how long it must be', () => {
    expect(() =>
      backtest(
        Array.from({ length: 18 }, (_, i) => i + 1),
        { period: 12 },
      ),
    ).toThrow(/series too short to backtest: 18 values \(need more than 36/);
  });
});
