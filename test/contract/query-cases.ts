/**
 * Answers the query layer once gave without a word, each built as a fixture in the real format and worked out
 * by hand from it — run on every engine (DuckDB, one ClickHouse node, the two-shard cluster):
 * levels summed together, a part reported as the whole, baskets on coarser data, ranges of whole years on
 * annual data, and a seasonally adjusted series read as if it were the published one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/ingest/ingest.js';
import { type QueryResult, query } from '../../src/query/engine.js';
import { type QueryParamValues, specFromParams } from '../../src/query/params.js';
import type { TradeStore } from '../../src/store/store.js';
import { writeComtradePlus } from '../fixtures/comtrade-plus.js';
import { repo, type StoreFactory } from './store-contract.js';

/** A decimal text × 10^shift, as exact base-unit text rounded half away from zero to 4 decimals (the store's). */
function scaled(text: string, shift: number): bigint {
  const [int, frac = ''] = text.trim().split('.');
  const digits = BigInt(`${int}${frac}`);
  const exp = shift - frac.length + 4; // units of 10^-4
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const div = 10n ** BigInt(-exp);
  return (digits + div / 2n) / div;
}

export function describeQueryCases(engine: string, factory: StoreFactory): void {
  describe(`query cases: ${engine}`, () => {
    let dir: string;
    let store: TradeStore;
    let stagingBase: string;
    const ask = (params: QueryParamValues) => query(store, specFromParams(params));
    const exportsRow = (r: QueryResult) => r.rows.find((x) => x.measure === 'exports')!;
    const codes = (r: QueryResult) => r.notes.map((n) => n.code);
    const text = (r: QueryResult) => r.notes.map((n) => n.message).join('\n');

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tradescope-cases-'));
      ({ store, stagingBase } = await factory.open(dir));
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // heading 8542 and its two subheadings, which add up to it: 98,402,113,200 + 55,730,345,111 = 154,132,458,311
    const HEADING = '154132458311';
    const levelsFile = () => {
      const file = join(dir, 'TradeData_levels.csv');
      writeComtradePlus(file, [
        { cmdCode: '8542', primaryValue: HEADING },
        { cmdCode: '854231', primaryValue: '98402113200' },
        { cmdCode: '854239', primaryValue: '55730345111' },
      ]);
      return file;
    };

    it('a heading beside its subheadings is read at one level: 8542 is its own figure, not twice it', async () => {
      await ingestFile(store, levelsFile(), { format: 'comtrade', stagingBase });
      const r = await ask({ reporter: 'CHN', period: '2022', product: '8542', flow: 'X' });
      expect(exportsRow(r).value).toBe(HEADING);
      expect(codes(r)).toContain('product-levels');
      expect(text(r)).toMatch(/\(854231, 854239\) are not added/);
      expect(r.provenance.productCoverage).toEqual([{ code: '8542', read: ['8542'], levels: [4] }]);
      const sub = await ask({ reporter: 'CHN', period: '2022', product: '8542.31', flow: 'X' });
      expect(exportsRow(sub).value).toBe('98402113200');
      expect(codes(sub)).not.toContain('product-levels');
    });

    it('a chapter of which only one heading is loaded: that heading, and the answer says it is only that', async () => {
      await ingestFile(store, levelsFile(), { format: 'comtrade', stagingBase });
      const r = await ask({ reporter: 'CHN', period: '2022', product: '85', flow: 'X' });
      expect(exportsRow(r).value).toBe(HEADING);
      expect(text(r)).toMatch(/chapter 85: only 8542 is in this dataset \(1 of the 48 headings of HS2022\)/);
      expect(r.provenance.productCoverage![0]).toMatchObject({ code: '85', read: ['8542'], children: { total: 48 } });
      // a second file: cement (2523) alone in chapter 25
      const cement = join(dir, 'TradeData_cement.csv');
      writeComtradePlus(cement, [{ cmdCode: '2523', primaryValue: '1523678044' }]);
      const other = await ingestFile(store, cement, { format: 'comtrade', stagingBase, dataset: 'comtrade-cement' });
      const c = await ask({ reporter: 'CHN', period: '2022', product: '25', flow: 'X', dataset: other.dataset });
      expect(exportsRow(c).value).toBe('1523678044');
      expect(text(c)).toMatch(/chapter 25: only 2523 is in this dataset/);
    });

    it('a basket on HS4 data: integrated circuits through heading 8542; unmatched basket codes are named', async () => {
      const file = join(dir, 'TradeData_hs4.csv');
      writeComtradePlus(file, [
        { cmdCode: '8542', primaryValue: HEADING },
        { cmdCode: '8541', primaryValue: '60715262500' },
      ]);
      await ingestFile(store, file, { format: 'comtrade', stagingBase });
      const ic = await ask({ reporter: 'CHN', period: '2022', product: 'integrated-circuits', flow: 'X' });
      // the basket is all five HS2022 subheadings of 8542, so the heading stands for them; 8541 is not added
      expect(exportsRow(ic).value).toBe(HEADING);
      expect(codes(ic)).toContain('basket-heading');
      expect(text(ic)).toMatch(/holds heading 8542, not its subheadings; all 5 of them are in the basket/);
      // PV cells are two of 8541's subheadings: the heading holds other goods too, so it cannot stand for them
      const pv = await ask({ reporter: 'CHN', period: '2022', product: 'new-three/pv-cells', flow: 'X' });
      expect(exportsRow(pv).value).toBeNull();
      expect(codes(pv)).toContain('basket-unmatched');
      expect(text(pv)).toMatch(/854142, 854143/);
    });

    it('a range of whole years on annual data is those years: China → USA 2018..2019 in IMF DOTS', async () => {
      const file = repo('data/china-partners/DOTS_40_China_exports_by_partner_annual_long.csv');
      await ingestFile(store, file, {
        format: 'csv',
        mapping: repo('mappings/imf-dots-china-exports.yaml'),
        stagingBase,
      });
      // independent: the file's two rows (million USD), each scaled to USD and rounded to the store's 4 decimals
      const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
      const usa = (y: string) => rows.find((x) => x.partner === 'United States' && x.year === y)!;
      const want = scaled(usa('2018').exports_fob_usd_million!, 6) + scaled(usa('2019').exports_fob_usd_million!, 6);
      expect(want).toBe(8_992_729_236_600_000n); // 480,688.674 + 418,584.24966 million USD (the file's floats)
      const r = await ask({ reporter: 'CHN', partner: 'USA', period: '2018..2019', flow: 'X' });
      expect(scaled(String(exportsRow(r).value), 0)).toBe(want);
      expect(exportsRow(r).basis).toBe('sum of years');
      const by = await ask({ reporter: 'CHN', period: '2018..2019', flow: 'X', by: 'partner', top: '3' });
      expect(by.rows.find((x) => x.partner === 'USA')?.value).toBe(exportsRow(r).value);
      expect(by.rows.find((x) => x.partner === '(rest)')?.value).not.toBeNull();
      expect(codes(by)).not.toContain('no-world-total');
    });

    it('a seasonally adjusted series says so in every answer: FRED XTEXVA01CNM667S 2019-09', async () => {
      const file = repo('data/fred/FRED_XTEXVA01CNM667S_2000-2020.csv');
      await ingestFile(store, file, {
        format: 'csv',
        mapping: repo('mappings/fred-china-exports-sa.yaml'),
        stagingBase,
      });
      const line = readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .find((l) => l.includes('"2019-09-01"'))!;
      const r = await ask({ reporter: 'CHN', period: '2019-09', flow: 'X' });
      // 205,156.676679193 million USD; GAC published 218.123 billion for the month, unadjusted
      expect(scaled(String(exportsRow(r).value), 0)).toBe(scaled(line.split(',')[2]!, 6));
      expect(r.provenance.seasonallyAdjusted).toBe(true);
      expect(codes(r)).toContain('seasonally-adjusted');
      expect(text(r)).toMatch(/not comparable with unadjusted data, a published year to date/);
    });
  });
}
