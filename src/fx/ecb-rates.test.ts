/**
 * A rate file quoted per EUR, as the ECB's reference rates are (`eurofxref-hist.csv`: `Date,USD,JPY,…,` with a
 * trailing comma, `N/A` where a currency has no rate, newest day first), loaded with `base: EUR` and used to show a
 * Comext value (EUR) in CNY. The sample below is in that layout with made-up rates; the expectations are
 * computed here with floating point, independently of the exact code under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monthRows, writeComextArchive } from '../../test/fixtures/comext/make-comext.js';
import { ingestFile } from '../ingest/ingest.js';
import type { MonthId } from '../model/period.js';
import { query } from '../query/engine.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { saveRateSeries } from '../store/duckdb/fx-store.js';
import { parseRateFile } from './load-rates.js';
import { rateFor } from './rates.js';

const ECB = `Date,USD,JPY,CYP,CNY,
2025-11-28,1.1590,181.13,N/A,8.2110,
2025-11-27,1.1600,180.90,N/A,8.2050,
2025-11-26,1.1570,181.40,N/A,8.1990,
2025-10-31,1.1540,177.80,N/A,8.2200,
`;

const parseEcb = () =>
  parseRateFile(
    ECB,
    { base: 'EUR', missing: ['N/A'], name: 'ECB euro reference rates' },
    { id: 'ecb', file: 'eurofxref-hist.csv' },
  );

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('rates per EUR (the ECB reference rates)', () => {
  it('become rates per USD: EUR per USD = 1 / USD per EUR, CNY per USD = CNY per EUR / USD per EUR', () => {
    const p = parseEcb();
    expect(p.fileQuotation).toBe('per-eur');
    expect([...p.series.rates.keys()].sort()).toEqual(['CNY', 'CYP', 'EUR', 'JPY']);
    expect(p.series.rates.get('CYP')!.size).toBe(0); // N/A everywhere: gaps, not errors
    expect(p.counts.rowsQuarantined).toBe(0);
    const nov = (c: string) => Number(rateFor(p.series, c, 202511 as MonthId)!.perUsd);
    expect(nov('EUR')).toBeCloseTo(mean([1 / 1.159, 1 / 1.16, 1 / 1.157]), 10);
    expect(nov('CNY')).toBeCloseTo(mean([8.211 / 1.159, 8.205 / 1.16, 8.199 / 1.157]), 9);
    expect(nov('JPY')).toBeCloseTo(mean([181.13 / 1.159, 180.9 / 1.16, 181.4 / 1.157]), 8);
    expect(p.series.source.note).toMatch(/quoted per EUR/);
  });

  it('needs the USD column, and refuses base together with quotation', () => {
    expect(() => parseRateFile('Date,JPY\n2025-11-28,181.13\n', { base: 'EUR' }, { id: 'x', file: 'x.csv' })).toThrow(
      /need a USD column/,
    );
    expect(() =>
      parseRateFile(ECB, { base: 'EUR', quotation: 'per-usd', missing: ['N/A'] }, { id: 'x', file: 'x.csv' }),
    ).toThrow(/base or quotation/);
  });

  it('converts a Comext value from EUR to CNY with the loaded series, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradescope-ecb-'));
    const path = join(dir, 'store.duckdb');
    const store = await DuckDbStore.open(path);
    try {
      const rows = monthRows('202511');
      await ingestFile(store, writeComextArchive(dir, '202511', rows), { format: 'comext', stagingBase: path });
      const p = parseEcb();
      await saveRateSeries(store.localStaging!, p.series, p.fileQuotation, p.quarantine);
      const r = await query(store, {
        reporter: 'DEU',
        partner: 'CN',
        flow: ['M'],
        period: '2025-11',
        dataset: 'comext',
        currency: 'CNY',
        fxSeries: 'ecb',
      });
      const eur = rows
        .filter((x) => x.reporter === 'DE' && x.partner === 'CN' && x.flow === '1' && x.product === '000TOTAL')
        .reduce((s, x) => s + Number(x.value), 0);
      const cnyPerEur = mean([8.211 / 1.159, 8.205 / 1.16, 8.199 / 1.157]) / mean([1 / 1.159, 1 / 1.16, 1 / 1.157]);
      expect(Number(r.rows[0]!.value)).toBeCloseTo(eur * cnyPerEur, 2);
      expect(r.provenance.fx?.series).toBe('ecb');
      expect(r.provenance.fx?.seriesName).toBe('ECB euro reference rates');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
