/**
 * Which store a command uses: `--db`, else `TRADESCOPE_DB`, else `./tradescope.duckdb`. A path means the
 * embedded DuckDB store; a `clickhouse://user@host:port/db?cluster=name` URL is the ClickHouse store
 * (see docs/clickhouse.md).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { aggregateAreaCodes } from '../model/areas.js';
import { isClickHouseUrl } from '../store/clickhouse/url.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { requestWrite } from '../store/duckdb/write-handover.js';
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
  return openDuckDb(loc, options);
}

/**
 * Opens a DuckDB store, waiting while another process holds it (up to `$TRADESCOPE_LOCK_WAIT_MS`, default 30 s).
 * A writer leaves a write request beside the store, so a `tradescope serve` holding it read-only hands it over
 * (see store/duckdb/write-handover.ts); the request is withdrawn when the store closes. A reader of a store that
 * exists opens it read-only, so several readers and a server run at once.
 */
async function openDuckDb(loc: string, options: { readOnly?: boolean }): Promise<TradeStore> {
  const path = resolve(loc);
  const readOnly = options.readOnly === true && existsSync(path);
  const waitMs = Number(process.env.TRADESCOPE_LOCK_WAIT_MS ?? 30_000);
  const deadline = Date.now() + waitMs;
  let withdraw: (() => void) | undefined;
  for (;;) {
    try {
      const store = await DuckDbStore.open(path, { readOnly, aggregatePartners: aggregateAreaCodes() });
      if (withdraw) {
        const close = store.close.bind(store);
        const done = withdraw;
        store.close = async () => {
          try {
            await close();
          } finally {
            done();
          }
        };
      }
      return store;
    } catch (e) {
      const msg = (e as Error).message;
      if (!/lock/i.test(msg)) {
        withdraw?.();
        throw new UserError(`cannot open the store ${loc}: ${msg.split('\n')[0]}`, [], { cause: e });
      }
      if (!readOnly && !withdraw) withdraw = requestWrite(path);
      if (Date.now() >= deadline) {
        withdraw?.();
        throw new UserError(
          `the store ${loc} is in use by another tradescope process: waited ${Math.round(waitMs / 1000)} s (${msg.split('\n')[0]}). ` +
            'A `tradescope serve` on it hands it over by itself; another ingest keeps it until it ends: ' +
            'wait for it (or stop it) and run this again, or give a longer wait with TRADESCOPE_LOCK_WAIT_MS',
        );
      }
      await sleep(100);
    }
  }
}
