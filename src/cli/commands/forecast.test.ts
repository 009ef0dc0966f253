/**
 * `tradescope forecast` and `tradescope backtest` on a store built from the bundled GAC tables and the US
 * Census series: what a user sees, and the errors they get.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestFile } from '../../ingest/ingest.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { backtestCommand } from './backtest.js';
import { forecastCommand } from './forecast.js';

const repo = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-forecast-cli-'));
  db = join(dir, 'store.duckdb');
  const store = await DuckDbStore.open(db);
  await ingestFile(store, repo('data/gacc/gacc_region_monthly_2024_2025.xlsx'), {
    format: 'gacc',
    mapping: repo('mappings/gacc-region-monthly.yaml'),
    stagingBase: db,
  });
  await ingestFile(store, repo('data/partner-series/usa-china-trade-data.csv'), {
    format: 'csv',
    mapping: repo('mappings/census-usa-china.yaml'),
    stagingBase: db,
  });
  await store.close();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function stdout(run: () => Promise<number>): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await run();
    return { code, text: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('tradescope forecast', () => {
  it('projects 2025 from the GAC tables through June: exports, imports and balance in CNY, and P(balance > 8e12)', async () => {
    const r = await stdout(() =>
      forecastCommand({ db, reporter: 'CHN', measure: 'balance', period: '2025', above: '8e12', currency: 'CNY' }),
    );
    expect(r.code).toBe(0);
    expect(r.text).toContain('Full-year 2025 CHN balance, CNY: 6 months published (through 2025-06), 6 simulated');
    expect(r.text).toMatch(/exports\s+published YTD\s+13,000,388,810,000/);
    expect(r.text).toMatch(/imports\s+published YTD\s+8,788,017,960,000/);
    expect(r.text).toMatch(/exports\s+full year: median\s+2\d,\d{3},/);
    expect(r.text).toMatch(/imports\s+95 % interval\s+1\d,\d{3},/);
    expect(r.text).toMatch(/balance\s+full year: median/);
    expect(r.text).toMatch(/balance\s+80 % interval/);
    expect(r.text).toMatch(/P\(full-year 2025 balance > 8,000,000,000,000 CNY\) = \d+\.\d %/);
    expect(r.text).toContain('note (short-series)');
  });

  it('--json gives the same projection as a document, and the same numbers twice', async () => {
    const a = await stdout(() =>
      forecastCommand({ db, json: true, reporter: 'CHN', flow: 'X', period: 'ytd:2025-06' }),
    );
    const b = await stdout(() =>
      forecastCommand({ db, json: true, reporter: 'CHN', flow: 'X', period: 'ytd:2025-06' }),
    );
    expect(a.text).toBe(b.text);
    const doc = JSON.parse(a.text);
    expect(doc.year).toBe(2025);
    expect(doc.flows[0].actual).toBe('13000388810000');
    expect(doc.distribution.intervals.map((i: { level: number }) => i.level)).toEqual([80, 95]);
  });

  it('monthly forecast of a long series: model, intervals, provenance', async () => {
    const r = await stdout(() =>
      forecastCommand({ db, reporter: 'USA', partner: 'CHN', flow: 'M', dataset: 'census-usa-china', horizon: '3' }),
    );
    expect(r.code).toBe(0);
    expect(r.text).toContain('USA → CHN imports, USD: 228 months of history (2001-01 … 2019-12)');
    expect(r.text).toMatch(/model: combination of ETS\(.+\) and Theta/);
    expect(r.text).toMatch(/2020-01\s+[\d,]+/);
    expect(r.text).toContain('data: census-usa-china');
  });

  it('bad flags are user errors that say what to do', async () => {
    await expect(forecastCommand({ db, reporter: 'CHN', period: '2025' })).rejects.toThrow(
      /--flow is required with --measure value/,
    );
    await expect(forecastCommand({ db, reporter: 'CHN', measure: 'surplus' })).rejects.toThrow(/--measure: surplus/);
    await expect(forecastCommand({ db, reporter: 'CHN', measure: 'balance', above: '8e12' })).rejects.toThrow(
      /--above needs --period/,
    );
    await expect(forecastCommand({ db, reporter: 'CHN', measure: 'balance', period: '2025-Q1' })).rejects.toThrow(
      /--period: 2025-Q1 \(a year/,
    );
    await expect(forecastCommand({ db, reporter: 'CHN', flow: 'X', horizon: '0' })).rejects.toThrow(/--horizon: 0/);
  });
});

describe('tradescope backtest', () => {
  it('scores the methods on a stored series against seasonal naive', async () => {
    const r = await stdout(() =>
      backtestCommand({
        db,
        reporter: 'USA',
        partner: 'CHN',
        flow: 'X',
        dataset: 'census-usa-china',
        step: '24',
        methods: 'ets,snaive',
      }),
    );
    expect(r.code).toBe(0);
    expect(r.text).toMatch(
      /census-usa-china: 228 months \(2001-01 … 2019-12\), 7 origins every 24 month\(s\) from month 60/,
    );
    expect(r.text).toMatch(/^ets\s+\d\.\d{3}/m);
    expect(r.text).toMatch(/^snaive\s+\d\.\d{3}/m);
  });

  it('the 18-month GAC series is too short, and says why', async () => {
    await expect(backtestCommand({ db, reporter: 'CHN', flow: 'X' })).rejects.toThrow(
      /series too short to backtest: 18 months in gacc-region-monthly \(2024-01 … 2025-06\)/,
    );
  });
});
