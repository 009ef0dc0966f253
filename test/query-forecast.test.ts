/**
 * The forecast as a measure of the query model: the same numbers as the forecasting module's own entry point,
 * deterministic, with nested intervals, and the published history it starts from named in the provenance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastQuery } from '../src/forecast/query-forecast.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { query } from '../src/query/engine.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { repo } from './contract/store-contract.js';

let dir: string;
let store: DuckDbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-qforecast-'));
  const path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  await ingestFile(store, repo('data/gacc/gacc_region_monthly_2024_2025.xlsx'), {
    format: 'gacc',
    mapping: repo('mappings/gacc-region-monthly.yaml'),
    stagingBase: path,
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('query model: forecast measure', () => {
  it('forecasts the months of the period from the history before them, as forecastQuery does', async () => {
    const spec = { reporter: 'CHN', period: '2025-07..2025-12', flow: ['X'], measures: ['forecast'] };
    const r = await query(store, spec);
    const direct = await forecastQuery(store, { reporter: 'CHN', flow: 'X', through: '2025-06', horizon: 6 });
    expect(r.rows.map((x) => x.period)).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(direct.history.months.at(-1)).toBe('2025-06');
    r.rows.forEach((row, i) => {
      expect(row.measure).toBe('forecast exports');
      expect(row.currency).toBe('CNY');
      expect(row.point).toBe(String(Math.round(direct.forecast.point[i]!)));
      const [lo95, lo80, point, hi80, hi95] = ['lo95', 'lo80', 'point', 'hi80', 'hi95'].map((k) => Number(row[k]));
      expect(lo95).toBeLessThan(lo80!);
      expect(lo80).toBeLessThan(point!);
      expect(point).toBeLessThan(hi80!);
      expect(hi80).toBeLessThan(hi95!);
    });
    expect(r.provenance.dataset).toBe('gacc-region-monthly');
    expect(r.notes.some((n) => n.code === 'forecast' && /not published figures/.test(n.message))).toBe(true);
    // deterministic
    expect((await query(store, spec)).rows).toEqual(r.rows);
  });

  it('a balance can be forecast; forecast with a drilldown or another measure is refused naming the field', async () => {
    const b = await query(store, { reporter: 'CHN', period: '2025-07..2025-09', measures: ['forecast', 'balance'] });
    expect(b.rows.map((x) => x.measure)).toEqual(['forecast balance', 'forecast balance', 'forecast balance']);
    await expect(
      query(store, { reporter: 'CHN', period: '2025-07', measures: ['forecast'], by: ['partner'] }),
    ).rejects.toMatchObject({ problems: [expect.objectContaining({ at: { field: 'by' } })] });
    await expect(query(store, { reporter: 'CHN', period: '2025-07', measures: ['forecast', 'share'] })).rejects.toThrow(
      /measures: forecast goes alone/,
    );
  });
});
