/**
 * A store written by an earlier layout (version 2: no totals rollup, no coverage records) answers exactly as a
 * fresh one once opened by this version: its rollups are rebuilt and its loads' coverage recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../src/ingest/ingest.js';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { query } from '../src/query/engine.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { repo } from './contract/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tradescope-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open = (path: string, readOnly = false) =>
  DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes(), readOnly });
const spec = { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 };

describe('a store of the earlier layout', () => {
  it('rebuilds its rollups and records coverage on open, with the same answers', async () => {
    const path = join(dir, 'old.duckdb');
    let store = await open(path);
    await ingestFile(store, repo('data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv'), {
      format: 'comtrade',
      stagingBase: path,
    });
    const fresh = await query(store, spec);
    expect(fresh.provenance.answeredBy).toEqual(['rollup_total']);
    expect(fresh.rows[0]).toMatchObject({ partner: 'USA', value: '582756110047', share_pct: '16.22' });
    // as version 2 left it: rollups marked current, but no totals rollup and no coverage records
    for (const sql of [
      'DELETE FROM rollup_total',
      'DELETE FROM cell_coverage',
      'DELETE FROM product_coverage',
      'DELETE FROM coverage_loads',
      `UPDATE meta SET value = '2' WHERE key = 'schema_version'`,
    ])
      await store.sql(sql);
    await store.close();

    // read-only: the base cells answer
    store = await open(path, true);
    const readOnly = await query(store, spec);
    expect(readOnly.rows).toEqual(fresh.rows);
    expect(readOnly.provenance.answeredBy).toEqual(['fact_cells']);
    await store.close();

    // writable: rollups rebuilt, coverage recorded, the same numbers from the rollup
    store = await open(path);
    const upgraded = await query(store, spec);
    expect(upgraded.rows).toEqual(fresh.rows);
    expect(upgraded.provenance.answeredBy).toEqual(['rollup_total']);
    expect(Number((await store.sql('SELECT count(*) AS n FROM coverage_loads'))[0]!.n)).toBe(1);
    await store.close();
  });
});
