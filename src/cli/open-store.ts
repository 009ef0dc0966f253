/**
 * Which store a command uses: `--db`, else `TRADESCOPE_DB`, else `./tradescope.duckdb`. A path means the
 * embedded DuckDB store; a `clickhouse://user@host:port/db?cluster=name` URL is the ClickHouse store
 * (see docs/clickhouse.md).
 */
import { resolve } from 'node:path';
import { aggregateAreaCodes } from '../model/areas.js';
import { isClickHouseUrl } from '../store/clickhouse/url.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';

export const DEFAULT_DB = './tradescope.duckdb';

export function storeLocation(db: string | undefined): string {
  return db ?? process.env.TRADESCOPE_DB ?? DEFAULT_DB;
}

export async function openStore(db: string | undefined, options: { readOnly?: boolean } = {}): Promise<TradeStore> {
  const loc = storeLocation(db);
  if (isClickHouseUrl(loc)) {
    // loaded only when asked for: every command starts faster without the ClickHouse client
    const { ClickHouseStore } = await import('../store/clickhouse/clickhouse-store.js');
    return ClickHouseStore.open(loc, { readOnly: options.readOnly ?? false });
  }
  if (/^[a-z]+:\/\//i.test(loc)) {
    throw new UserError(`unknown store URL: ${loc} (give a DuckDB file path or clickhouse://user@host:8123/db)`);
  }
  try {
    return await DuckDbStore.open(resolve(loc), { ...options, aggregatePartners: aggregateAreaCodes() });
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg)) {
      throw new UserError(`the store ${loc} is in use by another tradescope process (${msg.split('\n')[0]})`);
    }
    throw new UserError(`cannot open the store ${loc}: ${msg.split('\n')[0]}`, [], { cause: e });
  }
}
