/**
 * The same files, the same questions, three stores: DuckDB, one ClickHouse node and a two-shard ClickHouse
 * cluster must give identical answers — the same rows, the same exact decimal text — for every store read
 * and for the query model's headline questions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/ingest/ingest.js';
import { aggregateAreaCodes } from '../../src/model/areas.js';
import { query } from '../../src/query/engine.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { AggregateRequest, CellFilter, TradeStore } from '../../src/store/store.js';
import { repo } from '../contract/store-contract.js';
import { type RunningClickHouse, startClickHouse } from './cluster.js';

const FILES: [string, 'comtrade' | 'gacc' | 'baci' | 'csv', string?][] = [
  ['data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', 'comtrade'],
  ['data/gacc/gacc_region_monthly_2024_2025.xlsx', 'gacc', 'mappings/gacc-region-monthly.yaml'],
  ['data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv', 'baci'],
  ['data/partner-series/usa-china-trade-data.csv', 'csv', 'mappings/census-usa-china.yaml'],
  ['data/fred/FRED_IMPCH_us_imports_from_china_monthly.csv', 'csv', 'mappings/fred-impch.yaml'],
  ['data/comtrade/china_critical_minerals_hs6_monthly.csv', 'csv', 'mappings/comtrade-critical-minerals.yaml'],
];

const FILTERS: CellFilter[] = [
  {},
  { reporters: ['CHN'], partners: ['WLD'] },
  { datasets: ['baci-hs92'], productPrefixes: ['85', '0813'], excludePartners: ['WLD'] },
  { reporters: ['CHN'], monthsWithin: { start: 202501, end: 202506 }, flows: ['X'] },
  { reporters: ['CHN'], windows: [{ start: 202501, end: 202506, cumulative: true }] },
  { reporters: ['CHN'], partnerIntervals: [{ partner: 'USA', start: 202201, end: 202212 }], partners: ['DEU'] },
  { reporters: ['USA'], partners: ['CHN'], flows: ['M'], overlapping: { start: 201901, end: 201912 } },
  { reporters: ['CHN'], asOf: '2024-12-31' },
  { datasets: ['comtrade-critical-minerals', 'no-such-dataset'], vintage: '2030-01-01' },
  { reporters: ['CHN'], products: ['TOTAL'], overlapping: { start: 202401, end: 202506 } },
];

const AGGREGATES: AggregateRequest[] = [
  {
    filter: { reporters: ['CHN'], partners: ['WLD'] },
    groupBy: ['flow', 'region'],
    windows: [
      { id: '2024', start: 202401, end: 202412 },
      { id: 'ytd', start: 202501, end: 202506 },
      { id: 'janfeb', start: 202501, end: 202502 },
      { id: 'mar', start: 202503, end: 202503 },
    ],
  },
  {
    filter: { datasets: ['baci-hs92'], reporters: ['ZAF'], excludePartners: ['WLD'] },
    groupBy: ['partner', 'product'],
    productDigits: 2,
    windows: [{ id: '2021', start: 202101, end: 202112 }],
  },
  {
    filter: { reporters: ['CHN'], flows: ['X'] },
    groupBy: ['partner', 'product'],
    productDigits: 6,
    windows: [
      { id: '2023', start: 202301, end: 202312 },
      { id: '2024', start: 202401, end: 202412 },
    ],
  },
];

const SPECS = [
  { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 },
  {
    reporter: 'CHN',
    period: 'ytd:2025-06',
    by: ['region'],
    measures: ['value', 'contribution'],
    compare: 'yoy',
    dataset: 'gacc-region-monthly',
  },
  { reporter: 'ZAF', period: '2021', flow: ['X'], by: ['hs2'], measures: ['value', 'share'], top: 8 },
  { reporter: 'ZAF', partner: 'EU', period: '2021', flow: ['X'], product: '85' },
  {
    reporter: 'CHN',
    period: '2024',
    flow: ['X'],
    by: ['partner', 'hs6'],
    measures: ['unit_value'],
    compare: 'yoy',
    dataset: 'comtrade-critical-minerals',
  },
  {
    reporter: 'CHN',
    period: '2025-01..2025-06',
    by: ['month'],
    measures: ['value', 'total'],
    compare: 'yoy',
    dataset: 'gacc-region-monthly',
  },
  { reporter: 'CHN', period: '2024', flow: ['X'], currency: 'USD', dataset: 'gacc-region-monthly' },
  {
    reporter: 'CHN',
    period: '2024',
    flow: ['X'],
    by: ['partner'],
    measures: ['value', 'contribution'],
    compare: 'yoy',
    dataset: 'comtrade-critical-minerals',
  },
  { reporter: 'USA', partner: 'CHN', period: '2019', dataset: 'fred-impch', flow: ['M'] },
] as const;

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('identical answers on DuckDB, one ClickHouse node and a two-shard cluster', () => {
  let node: RunningClickHouse;
  let cluster: RunningClickHouse;
  let dir: string;
  const stores: Record<string, TradeStore> = {};

  beforeAll(async () => {
    [node, cluster] = await Promise.all([startClickHouse({ shards: 1 }), startClickHouse({ shards: 2 })]);
    dir = mkdtempSync(join(tmpdir(), 'tradescope-identical-'));
    stores.duckdb = await DuckDbStore.open(join(dir, 'store.duckdb'), { aggregatePartners: aggregateAreaCodes() });
    stores.node = await ClickHouseStore.open(node.url('identical'));
    stores.cluster = await ClickHouseStore.open(cluster.url('identical'));
    for (const store of Object.values(stores)) {
      for (const [file, format, mapping] of FILES) {
        await ingestFile(store, repo(file), {
          format,
          stagingBase: join(dir, 'staging.duckdb'),
          ...(mapping ? { mapping: repo(mapping) } : {}),
        });
      }
    }
  }, 600_000);
  afterAll(async () => {
    for (const s of Object.values(stores)) await s.close();
    await Promise.all([node?.stop(), cluster?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const each = async <T>(read: (s: TradeStore) => Promise<T>) => {
    const [d, n, c] = await Promise.all([read(stores.duckdb!), read(stores.node!), read(stores.cluster!)]);
    expect(n).toEqual(d);
    expect(c).toEqual(d);
    return d;
  };

  it('loads, datasets, quarantine, precedence', async () => {
    const loads = await each(async (s) => (await s.loads()).map(({ committedAt: _c, ...l }) => l));
    expect(loads).toHaveLength(FILES.length);
    const datasets = await each((s) => s.datasets());
    expect(datasets.map((d) => d.dataset)).toContain('baci-hs92');
    await each((s) => s.quarantine());
    for (const d of datasets) await each((s) => s.datasetProfile(d.dataset));
    for (const s of Object.values(stores)) await s.setPrecedence(['census-usa-china', 'fred-impch']);
    expect(await each((s) => s.precedence())).toEqual(['census-usa-china', 'fred-impch']);
  });

  it('cells, sums, rates and coverage for every kind of filter', async () => {
    let total = 0;
    for (const f of FILTERS) {
      const cells = await each(async (s) => sorted(await s.cells(f)));
      total += cells.length;
      await each(async (s) => sorted(await s.sumCells(f)));
      await each(async (s) => sorted(await s.rates(f)));
      // which datasets cover a filter (the cell counts are the engine's estimate of overlap)
      await each(async (s) => (await s.datasetsCovering(f)).map((d) => d.dataset));
      // ClickHouse: the coverage records count what counting the facts counts (a prefix '' forces the facts)
      for (const s of f.productPrefixes ? [] : [stores.node!, stores.cluster!]) {
        expect(await s.datasetsCovering(f)).toEqual(await s.datasetsCovering({ ...f, productPrefixes: [''] }));
      }
    }
    expect(total).toBeGreaterThan(71_192);
    // ClickHouse only: coverage records by classification and region against the facts
    for (const s of [stores.node!, stores.cluster!]) {
      const f: CellFilter = { partners: ['WLD'], classifications: ['H0', 'TOTAL'], regions: [''] };
      const covered = await s.datasetsCovering(f);
      expect(covered.map((d) => d.dataset)).toEqual(['gacc-region-monthly']);
      expect(covered).toEqual(await s.datasetsCovering({ ...f, productPrefixes: [''] }));
    }
  });

  it('aggregates: cumulative, exact and monthly sums, cells, weights and quantities', async () => {
    const toggle = stores.duckdb as unknown as { rollupsEnabled: boolean };
    toggle.rollupsEnabled = false;
    try {
      for (const r of AGGREGATES) {
        const rows = await each(async (s) => sorted(await s.aggregate(r)));
        expect(rows.length).toBeGreaterThan(0);
      }
    } finally {
      toggle.rollupsEnabled = true;
    }
  });

  it('query model: the same rows for the headline questions', async () => {
    for (const spec of SPECS) await each(async (s) => (await query(s, spec)).rows);
  });
});
