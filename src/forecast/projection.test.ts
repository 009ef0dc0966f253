/**
 * Projections and store-backed forecasts on the bundled real data: the GAC national tables (18 months, CNY)
 * and the US Census series of US trade with China (2001–2019, USD).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../ingest/ingest.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { projectFullYear } from './projection.js';
import { forecastQuery } from './query-forecast.js';
import { storeSeries } from './store-series.js';

const repo = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
let dir: string;
let store: DuckDbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-forecast-'));
  const path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path);
  await ingestFile(store, repo('data/gacc/gacc_region_monthly_2024_2025.xlsx'), {
    format: 'gacc',
    mapping: repo('mappings/gacc-region-monthly.yaml'),
    stagingBase: path,
  });
  await ingestFile(store, repo('data/partner-series/usa-china-trade-data.csv'), {
    format: 'csv',
    mapping: repo('mappings/census-usa-china.yaml'),
    stagingBase: path,
  });
});
afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('full-year projection from the GAC tables through June 2025', () => {
  it('balance in CNY: the published half exactly, the rest simulated, P(balance > 8 trillion)', async () => {
    const p = await projectFullYear(store, {
      reporter: 'CHN',
      measure: 'balance',
      year: 2025,
      currency: 'CNY',
      above: 8e12,
    });
    expect(p.currency).toBe('CNY');
    expect(p.through).toBe('2025-06');
    expect(p.monthsActual).toBe(6);
    expect(p.monthsSimulated).toBe(6);
    // GAC's published Jan–Jun 2025 cumulative: exports 13,000,388,810,000 and imports 8,788,017,960,000 CNY
    expect(p.flows.map((f) => f.actual)).toEqual(['13000388810000', '8788017960000']);
    expect(p.actual).toBe('4212370850000');
    expect(p.flows[0]!.actualBasis).toBe('published cumulative');
    const [i80, i95] = p.distribution.intervals;
    expect(i95!.lower).toBeLessThan(i80!.lower);
    expect(i80!.lower).toBeLessThan(p.distribution.median);
    expect(p.distribution.median).toBeLessThan(i80!.upper);
    expect(i80!.upper).toBeLessThan(i95!.upper);
    // the full year contains the published half year and more
    expect(i95!.lower).toBeGreaterThan(4.212e12);
    expect(p.probabilityAbove!.threshold).toBe(8e12);
    expect(p.probabilityAbove!.p).toBeGreaterThan(0);
    expect(p.probabilityAbove!.p).toBeLessThan(1);
    expect(p.warnings.map((w) => w.code)).toContain('short-series');
    expect(p.provenance.datasets).toEqual(['gacc-region-monthly']);
  });

  it('is deterministic for a seed and moves with it', async () => {
    const spec = { reporter: 'CHN', measure: 'value', flow: 'X', year: 2025, above: 26e12, simulations: 2000 } as const;
    const a = await projectFullYear(store, spec);
    const b = await projectFullYear(store, spec);
    const c = await projectFullYear(store, { ...spec, seed: 2 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.distribution.median).not.toBe(a.distribution.median);
    // 2024 exports were 25.45 trillion CNY; the H1 2025 growth (+7.2 %) puts the projection above that
    expect(a.distribution.median).toBeGreaterThan(25.45e12);
    expect(a.distribution.median).toBeLessThan(30e12);
  });

  it('bad specs are UserErrors naming the field', async () => {
    await expect(projectFullYear(store, { reporter: 'CHN', measure: 'value', year: 2025 })).rejects.toThrow(
      /flow: needed/,
    );
    await expect(projectFullYear(store, { reporter: 'CHN', measure: 'balance', year: 2026 })).rejects.toThrow(
      /no month of 2026 is published/,
    );
    await expect(
      projectFullYear(store, { reporter: 'CHN', measure: 'balance', year: 2025, dataset: 'nope' }),
    ).rejects.toThrow(/unknown dataset: nope/);
  });
});

describe('projection of a long series, checked against what happened', () => {
  it('US imports from China 2019 from January–June 2019: the outcome lies in the 95 % interval', async () => {
    const s = await storeSeries(store, { reporter: 'USA', partner: 'CHN', flow: 'M', dataset: 'census-usa-china' });
    const actual2019 = s.values.slice(-12).reduce((a, b) => a + b, 0);
    const p = await projectFullYear(store, {
      reporter: 'USA',
      partner: 'CHN',
      measure: 'value',
      flow: 'M',
      year: 2019,
      through: '2019-06',
      dataset: 'census-usa-china',
      simulations: 2000,
    });
    expect(p.monthsActual).toBe(6);
    expect(p.method).toMatch(/simulated paths/);
    const i95 = p.distribution.intervals[1]!;
    expect(actual2019).toBeGreaterThan(i95.lower);
    expect(actual2019).toBeLessThan(i95.upper);
  });
});

describe('forecastQuery: the forecast measure for the query model', () => {
  it('GAC exports: 18 months of history, the short-series method, months after June 2025, provenance', async () => {
    const f = await forecastQuery(store, { reporter: 'CHN', flow: 'X', horizon: 6 });
    expect(f.history.months).toHaveLength(18);
    expect(f.history.exact[0]).toBe('2186228340000'); // January 2024 exports as first published, CNY
    expect(f.forecast.months).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(f.model.method).toBe('short');
    expect(f.warnings.map((w) => w.code)).toContain('short-series');
    expect(f.provenance.datasets).toEqual(['gacc-region-monthly']);
    expect(f.provenance.historyQueries.length).toBeGreaterThan(0);
    expect(f.forecast.intervals.map((i) => i.level)).toEqual([80, 95]);
  });

  it('US–China balance (negative) derived from the two flows', async () => {
    const f = await forecastQuery(store, {
      reporter: 'USA',
      partner: 'CHN',
      measure: 'balance',
      dataset: 'census-usa-china',
      horizon: 3,
    });
    expect(f.history.values.every((v) => v < 0)).toBe(true);
    expect(f.model.flows).toBeDefined();
    expect(f.forecast.point.every((v) => v < 0)).toBe(true);
    const iv = f.forecast.intervals[0]!;
    for (let h = 0; h < 3; h++) {
      expect(iv.lower[h]!).toBeLessThan(f.forecast.point[h]!);
      expect(iv.upper[h]!).toBeGreaterThan(f.forecast.point[h]!);
    }
  });
});
