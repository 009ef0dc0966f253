/**
 * The coverage records answer `datasetsCovering` without reading the facts: the datasets they name, and the
 * cells they count, equal what the base cells say (a second method: `cells()` over the same filter, every load
 * here being the only one of its dataset).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../src/ingest/ingest.js';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { CellFilter } from '../src/store/store.js';
import { repo } from './contract/store-contract.js';

let dir: string;
let store: DuckDbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-coverage-'));
  const path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  const load = (file: string, format: 'gacc' | 'comtrade' | 'baci' | 'csv', mapping?: string) =>
    ingestFile(store, repo(file), { format, stagingBase: path, ...(mapping ? { mapping: repo(mapping) } : {}) });
  await load('data/gacc/gacc_region_monthly_2024_2025.xlsx', 'gacc', 'mappings/gacc-region-monthly.yaml');
  await load('data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', 'comtrade');
  await load('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv', 'baci');
  await load(
    'data/comtrade/china_critical_minerals_hs6_monthly.csv',
    'csv',
    'mappings/comtrade-critical-minerals.yaml',
  );
  await load(
    'data/china-partners/mart_solar_exports_full_release_monthly.csv',
    'csv',
    'mappings/ember-china-solar-exports.yaml',
  );
}, 300_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const FILTERS: CellFilter[] = [
  {},
  { reporters: ['CHN'] },
  { reporters: ['CHN'], partners: ['WLD'], regions: [''] },
  { partners: ['WLD'], classifications: ['H0', 'TOTAL'], regions: [''] },
  { reporters: ['CHN'], products: ['TOTAL'], overlapping: { start: 202401, end: 202412 } },
  { reporters: ['CHN'], flows: ['X'], products: ['854140', '854143'], overlapping: { start: 202301, end: 202412 } },
  { reporters: ['CHN'], products: ['260300'], overlapping: { start: 202001, end: 202012 } },
  { reporters: ['ZAF'], productPrefixes: ['61', '6403'], overlapping: { start: 202001, end: 202112 } },
  { reporters: ['ZAF'], productPrefixes: [''] },
  { classifications: ['H6'] },
  { reporters: ['CHN'], regions: ['330000'] },
  { reporters: ['USA'], partners: ['CHN'], flows: ['M'] },
  { reporters: ['CHN'], overlapping: { start: 202501, end: 202506 } },
];

describe('coverage records', () => {
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))(
    '%s: the same datasets and cells as the facts',
    async (_, f) => {
      const covering = await store.datasetsCovering(f);
      const cells = await store.cells(f);
      const counts = new Map<string, number>();
      for (const c of cells) counts.set(c.dataset, (counts.get(c.dataset) ?? 0) + 1);
      const expected = [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([dataset, n]) => ({ dataset, cells: n }));
      if (
        f.products?.some((p) => p !== 'TOTAL') ||
        f.productPrefixes?.some((p) => p !== '') ||
        f.classifications?.some((c) => c !== 'TOTAL')
      ) {
        // a product condition is checked per load: the datasets are the same, the cells those of the load's slices
        expect(covering.map((c) => c.dataset)).toEqual(expected.map((e) => e.dataset));
      } else expect(covering).toEqual(expected);
    },
  );
});
