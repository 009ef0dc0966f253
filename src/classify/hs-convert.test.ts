import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, ingestReader } from '../ingest/ingest.js';
import { fixedText, toFixed } from '../model/decimal.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import {
  allocate,
  conversionHash,
  convertDataset,
  convertedReader,
  convertRows,
  type WeightSet,
} from './hs-convert.js';

const BACI = fileURLToPath(new URL('../../data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv', import.meta.url));

describe('allocate (largest remainder)', () => {
  it('splits exactly, remainder units to the largest fractional shares', () => {
    expect(allocate(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(allocate(10n, [200n, 100n, 0n])).toEqual([7n, 3n, 0n]); // 6.67, 3.33, 0 → 6 + 1, 3, 0
    expect(allocate(-10n, [1n, 1n, 1n])).toEqual([-4n, -3n, -3n]);
    expect(allocate(0n, [5n, 1n])).toEqual([0n, 0n]);
    expect(() => allocate(1n, [0n, 0n])).toThrow(/positive sum/);
  });

  it('preserves the total and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const parts = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((p, i) => {
            const exact = total * weights[i]!; // p × sum must be within one sum of it
            const d = p * sum - exact;
            expect(d < 0n ? -d : d).toBeLessThan(sum);
          });
        },
      ),
    );
  });
});

describe('convertRows', () => {
  // HS2017 0802.90 (other nuts) was split by HS2022 into 0802.91, 0802.92 and 0802.99: a pure 1:n link
  const row = (value: string, period = '2021') => ({
    reporter: 'CHN',
    partner: 'USA',
    flow: 'X',
    period,
    product: '080290',
    value,
  });
  const weights: WeightSet = {
    dataset: 'comtrade-h6',
    byPeriod: new Map([
      [
        '2021',
        new Map([
          ['080291', toFixed('200')],
          ['080292', toFixed('100')],
          ['080299', 0n],
        ]),
      ],
    ]),
  };

  it('splits a 1:n code with equal weights when no weights are named (remainder to the first)', () => {
    const r = convertRows([row('0.001')], { from: 'HS2017', to: 'HS2022' });
    expect(r.rows.map((x) => [x.product, x.value, x.method])).toEqual([
      ['080291', '0.0004', '1:n equal weights'],
      ['080292', '0.0003', '1:n equal weights'],
      ['080299', '0.0003', '1:n equal weights'],
    ]);
    expect(r.rows.every((x) => x.flag === 'converted' && x.table.startsWith('UNSD HS2022-HS2017'))).toBe(true);
    expect(r.rows[0]).toMatchObject({
      reporter: 'CHN',
      partner: 'USA',
      flow: 'X',
      period: '2021',
      sources: ['080290'],
    });
  });

  it('splits by trade-value weights of the same period when given', () => {
    // 200 : 100 : 0 → 100 × 2/3 = 66.6666|67, 100 × 1/3 = 33.3333|33: the last unit goes to the larger remainder
    const r = convertRows([row('100'), row('0.001')], { from: 'HS2017', to: 'HS2022', weights });
    expect(r.rows.map((x) => [x.product, x.value, x.method])).toEqual([
      ['080291', '66.6674', '1:n trade-value weights from comtrade-h6'],
      ['080292', '33.3336', '1:n trade-value weights from comtrade-h6'],
    ]);
    // separately: 100 → 66.6667 + 33.3333; 0.001 → 0.0007 + 0.0003; summed per target
    const one = convertRows([row('100')], { from: 'HS2017', to: 'HS2022', weights });
    expect(one.rows.map((x) => x.value)).toEqual(['66.6667', '33.3333']);
  });

  it('falls back to equal weights for a period the weights do not cover, or when they are all zero', () => {
    const other = convertRows([row('3', '2020')], { from: 'HS2017', to: 'HS2022', weights });
    expect(other.rows.map((x) => [x.product, x.value, x.method])).toEqual([
      ['080291', '1', '1:n equal weights'],
      ['080292', '1', '1:n equal weights'],
      ['080299', '1', '1:n equal weights'],
    ]);
    const zero: WeightSet = { dataset: 'z', byPeriod: new Map([['', new Map([['080291', 0n]])]]) };
    const r = convertRows([row('3')], { from: 'HS2017', to: 'HS2022', weights: zero });
    expect(r.methods).toEqual({ '1:n equal weights': 1 });
  });

  it('merges n:1 exactly, keeps 1:1, TOTAL and unknown codes (with a problem)', () => {
    const r = convertRows(
      [
        { reporter: 'CHN', product: '854142', value: '10' },
        { reporter: 'CHN', product: '854143', value: '5.5' },
        { reporter: 'CHN', product: '010121', value: '7' },
        { reporter: 'CHN', product: 'TOTAL', value: '22.5' },
        { reporter: 'CHN', product: '999998', value: '1' },
      ],
      { from: 'HS2022', to: 'HS2017' },
    );
    expect(r.rows.map((x) => [x.product, x.value, x.method, x.sources])).toEqual([
      ['854140', '15.5', 'n:1 (merged)', ['854142', '854143']],
      ['010121', '7', '1:1', ['010121']],
      ['TOTAL', '22.5', 'unchanged (TOTAL)', ['TOTAL']],
      ['999998', '1', 'unmapped (kept as is)', ['999998']],
    ]);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'unmapped-product', value: '999998' })]);
  });
});

describe('converting the BACI sample (HS1992) to HS2022', () => {
  let dir: string;
  let store: DuckDbStore;
  let dataset: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-convert-'));
    store = await DuckDbStore.open(join(dir, 'store.duckdb'));
    dataset = (await ingestFile(store, BACI, { format: 'baci', stagingBase: join(dir, 'store.duckdb') })).dataset;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const totals = (rows: { reporter: string; partner: string; flow: string; period: string; value: string }[]) => {
    const m = new Map<string, bigint>();
    for (const r of rows) {
      const k = `${r.reporter}|${r.partner}|${r.flow}|${r.period}`;
      m.set(k, (m.get(k) ?? 0n) + toFixed(r.value));
    }
    return new Map([...m].map(([k, v]) => [k, fixedText(v)]));
  };

  it('preserves every reporter × partner × flow × period total to the last unit, rows flagged', async () => {
    const cells = await store.cells({ datasets: [dataset] });
    expect(new Set(cells.map((c) => c.classification))).toEqual(new Set(['H0']));
    const conv = await convertDataset(store, { dataset, to: 'HS2022' });
    expect(conv.from).toBe('HS1992');
    expect(conv.cellsRead).toBe(cells.length);
    expect(conv.problems).toEqual([]);
    const before = totals(cells);
    expect(before.size).toBeGreaterThan(200);
    expect(totals(conv.rows)).toEqual(before);
    expect(conv.rows.every((r) => r.flag === 'converted' && r.method !== '' && r.classification === 'H6')).toBe(true);
    expect(Object.keys(conv.methods)).toEqual(expect.arrayContaining(['1:1', 'n:1 (merged)', '1:n equal weights']));
    expect(conv.table).toMatch(/^UNSD HS1996-HS1992, .*HS2022-HS2017 correlation/);

    // loaded back through the ingest pipeline as a dataset of its own: same totals, flag converted
    const report = await ingestReader(
      store,
      { reader: convertedReader(conv), sourceFile: `convert ${dataset} → HS2022`, contentHash: conversionHash(conv) },
      { dataset: 'baci-as-hs22', stagingBase: join(dir, 'store.duckdb') },
    );
    expect(report.rowsQuarantined).toBe(0);
    expect(report.rowsLoaded).toBe(conv.rows.length);
    const stored = await store.cells({ datasets: ['baci-as-hs22'] });
    expect(totals(stored)).toEqual(before);
    expect(new Set(stored.map((c) => c.flag))).toEqual(new Set(['converted']));
    expect(new Set(stored.map((c) => c.classification))).toEqual(new Set(['H6']));
  }, 300_000);
});
