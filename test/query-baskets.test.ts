/**
 * A basket of hundreds of HS6 codes (labour-intensive products, 949 codes in HS1992) through the query model on
 * BACI: the value equals the sum of the file's rows for those codes, added here from the CSV with BigInt.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProduct } from '../src/classify/baskets.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { query } from '../src/query/engine.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { repo } from './contract/store-contract.js';

const BACI = repo('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
let dir: string;
let store: DuckDbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-baskets-'));
  const path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  await ingestFile(store, BACI, { format: 'baci', stagingBase: path });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('query model: a large basket', () => {
  it('South Africa 2021 exports of labour-intensive products equal the sum of the CSV rows of its codes', async () => {
    const codes = new Set(resolveProduct('labour-intensive', 'HS1992').codes);
    expect(codes.size).toBeGreaterThan(500);
    // v in thousand USD with three decimals: sum in USD as BigInt
    let usd = 0n;
    for (const line of readFileSync(BACI, 'utf8').split('\n').slice(1)) {
      const [, i, , k, v] = line.split(',');
      if (i !== '710' || !codes.has(k!)) continue;
      const [int, frac = ''] = v!.split('.');
      usd += BigInt(int!) * 1000n + BigInt(frac.padEnd(3, '0').slice(0, 3));
    }
    expect(usd).toBeGreaterThan(0n);
    for (const rollups of [true, false]) {
      store.rollupsEnabled = rollups;
      const r = await query(store, {
        reporter: 'ZAF',
        period: '2021',
        flow: ['X'],
        product: 'labour-intensive',
        measures: ['value'],
      });
      expect(r.rows[0]!.value, `rollups ${rollups}`).toBe(String(usd));
    }
    store.rollupsEnabled = true;
  });
});
