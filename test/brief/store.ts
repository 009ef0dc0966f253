/**
 * Stores for the brief tests: a temporary DuckDB file loaded with some of the bundled datasets (the same
 * files and mappings `tradescope demo` loads), so each detector is tested on data that has its dimension.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED } from '../../src/cli/commands/demo.js';
import { openStore } from '../../src/cli/open-store.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { TradeStore } from '../../src/store/store.js';
import { dataPath, mappingPath } from '../../src/util/paths.js';

/** Bundled files by the dataset they load (the demo's list). */
export const FILES = {
  gacc: 'gacc_region_monthly_2024_2025.xlsx',
  dots: 'DOTS_40_China_exports_by_partner_annual_long.csv',
  solar: 'mart_solar_exports_full_release_monthly.csv',
  comtrade: 'TradeData_2022_CHN_DEU_USA_by_partner.csv',
  minerals: 'china_critical_minerals_hs6_monthly.csv',
} as const;

export interface TestStore {
  store: TradeStore;
  path: string;
  close(): Promise<void>;
}

/**
 * A store with the named bundled files loaded (`'all'`: every file the demo loads).
 * @example const t = await storeWith(['gacc']); …; await t.close();
 */
export async function storeWith(files: (keyof typeof FILES)[] | 'all'): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tradescope-brief-'));
  const path = join(dir, 'store.duckdb');
  const store = await openStore(path);
  const wanted = files === 'all' ? undefined : new Set(files.map((f) => FILES[f]));
  for (const b of BUNDLED) {
    if (wanted && !wanted.has(b.file.at(-1) as (typeof FILES)[keyof typeof FILES])) continue;
    await ingestFile(store, dataPath(...b.file), {
      format: b.format,
      ...(b.mapping ? { mapping: mappingPath(b.mapping) } : {}),
      stagingBase: path,
    });
  }
  return {
    store,
    path,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
