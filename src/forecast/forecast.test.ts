import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors.js';
import { DEFAULT_METHOD, forecast } from './forecast.js';
import { shortSeriesPoint, yoyGrowth } from './short-series.js';

const repo = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const impch = readFileSync(repo('data/fred/FRED_IMPCH_us_imports_from_china_monthly.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => Number(l.split(',')[1]));
const usa = readFileSync(repo('data/partner-series/usa-china-trade-data.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(';').map((c) => Number(c.replace(/,/g, ''))));

describe('forecast() on real series', () => {
  it('US imports from China: 18 months, 80 % inside 95 %, the model and the alternatives named', () => {
    const f = forecast(impch.slice(0, 300), { period: 12, horizon: 18, levels: [80, 95] });
    expect(f.method).toBe(DEFAULT_METHOD);
    expect(f.point).toHaveLength(18);
    expect(f.model.name).toMatch(/ETS\(|Theta/);
    expect(f.alternatives.some((a) => a.aicc !== undefined)).toBe(true);
    const [i80, i95] = f.intervals;
    for (let h = 0; h < 18; h++) {
      expect(i95!.lower[h]!).toBeLessThanOrEqual(i80!.lower[h]!);
      expect(i80!.lower[h]!).toBeLessThanOrEqual(f.point[h]!);
      expect(f.point[h]!).toBeLessThanOrEqual(i80!.upper[h]!);
      expect(i80!.upper[h]!).toBeLessThanOrEqual(i95!.upper[h]!);
    }
    // intervals widen with the horizon
    expect(i95!.upper[17]! - i95!.lower[17]!).toBeGreaterThan(i95!.upper[0]! - i95!.lower[0]!);
  });

  it('is deterministic: the same input gives the same output, simulation included', () => {
    const a = forecast(impch.slice(0, 240), { horizon: 12, method: 'ets' });
    const b = forecast(impch.slice(0, 240), { horizon: 12, method: 'ets' });
    expect(a.model.intervalMethod).toBe('simulation'); // a multiplicative model is chosen on this series
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('a balance that changes sign: only additive models, and a warning saying so', () => {
    const balance = usa.map((r) => r[1]! - r[2]!); // US exports − imports with China: negative
    const f = forecast(balance, { horizon: 6, method: 'ets' });
    expect(f.model.name).toMatch(/^ETS\(A,/);
    expect(f.alternatives.every((a) => !a.name.startsWith('ETS(M'))).toBe(true);
    expect(f.warnings.map((w) => w.code)).toContain('negative-values');
    expect(f.point.every((v) => v < 0)).toBe(true);
  });

  it('an 18-month series is too short for a seasonal model: the short-series method, with a warning', () => {
    const y = impch.slice(-18);
    const f = forecast(y, { horizon: 6 });
    expect(f.method).toBe('short');
    expect(f.warnings.find((w) => w.code === 'short-series')?.message).toMatch(/fewer than three seasons/);
    expect(f.model.intervalMethod).toBe('calibrated on long series');
    // point: last year's month × growth of the latest 6 months over the same months a year earlier
    const g = y.slice(12).reduce((a, b) => a + b, 0) / y.slice(0, 6).reduce((a, b) => a + b, 0);
    expect(f.point[0]).toBeCloseTo(y[6]! * g, 6);
    expect(f.intervals[0]!.lower[0]!).toBeLessThan(f.point[0]!);
    expect(f.intervals[0]!.upper[0]!).toBeGreaterThan(f.point[0]!);
  });

  it('zeros rule out multiplicative models', () => {
    const y = impch.slice(0, 120).map((v, i) => (i % 17 === 0 ? 0 : v));
    const f = forecast(y, { horizon: 3, method: 'ets' });
    expect(f.warnings.map((w) => w.code)).toContain('zeros');
    expect(f.alternatives.every((a) => !a.name.startsWith('ETS(M'))).toBe(true);
  });

  it('bad input: a UserError naming the field and what to do', () => {
    expect(() => forecast([1, 2, Number.NaN, 4, 5])).toThrow(/invalid value at index 2: NaN/);
    expect(() => forecast([1, 2, 3])).toThrow(UserError);
    expect(() => forecast(impch, { horizon: 0 })).toThrow(/invalid horizon: 0/);
    expect(() => forecast(impch, { levels: [80, 120] })).toThrow(/invalid interval level: 120/);
    expect(() => forecast(impch, { method: 'arima' as never })).toThrow(/unknown method: arima/);
  });
});

describe('short-series method (worked by hand)', () => {
  it('last year × YoY growth of the latest months', () => {
    // k = min(3, 5 − 3) = 2: (11 + 22) / (10 + 20) = 1.1
    expect(yoyGrowth([10, 20, 30, 11, 22], 3)).toBeCloseTo(1.1, 12);
    const p = shortSeriesPoint([10, 20, 30, 11, 22], 3, 2);
    expect(p[0]).toBeCloseTo(33, 12);
    expect(p[1]).toBeCloseTo(12.1, 12);
  });
});

describe('the default method is the most accurate in the committed backtests', () => {
  it('DEFAULT_METHOD has the lowest average MASE among the modelled methods in bench/results/backtests.json', () => {
    const doc = JSON.parse(readFileSync(repo('bench/results/backtests.json'), 'utf8')) as {
      averages: { method: string; mase: number; coverage80: number }[];
      bestMethod: string;
    };
    const best = doc.averages.reduce((a, b) => (b.mase < a.mase ? b : a));
    expect(best.method).toBe(DEFAULT_METHOD);
    expect(doc.bestMethod).toBe(DEFAULT_METHOD);
    const def = doc.averages.find((a) => a.method === DEFAULT_METHOD)!;
    const snaive = doc.averages.find((a) => a.method === 'snaive')!;
    expect(def.mase).toBeLessThan(snaive.mase);
    expect(def.coverage80).toBeGreaterThanOrEqual(0.75);
    expect(def.coverage80).toBeLessThanOrEqual(0.85);
  });
});

describe('Lunar New Year option', () => {
  it('combined: January and February forecast as equal halves of one Jan+Feb total', () => {
    const y = impch.slice(0, 240); // 1985-01 … 2004-12
    const f = forecast(y, { horizon: 3, method: 'ets', janFeb: 'combined', firstMonth: 1 });
    expect(f.point[0]).toBeCloseTo(f.point[1]!, 6);
    expect(f.warnings.map((w) => w.code)).toContain('lunar-new-year');
    expect(() => forecast(y, { janFeb: 'combined' })).toThrow(/needs monthly data \(period 12\) and firstMonth/);
  });
});

describe('structural breaks are reported, not fitted through silently', () => {
  it('US imports from China through 2025-12: the 2025 tariff drop is flagged as a recent break', () => {
    const f = forecast(impch, { horizon: 6, method: 'ets', start: '1985-01' });
    const breaks = f.warnings.filter((w) => w.code === 'structural-break').map((w) => w.message);
    expect(breaks.some((m) => /the last 12 observations sit below/.test(m))).toBe(true);
  });

  it('the same series through 2017-12 shows no recent break', () => {
    const f = forecast(impch.slice(0, 396), { horizon: 6, method: 'ets', start: '1985-01' });
    expect(f.warnings.some((w) => /the last 12 observations/.test(w.message))).toBe(false);
  });
});
