/**
 * `tradescope serve`: the HTTP API and the dashboard over a store.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { handoverStore } from '../../server/handover-store.js';
import { isClickHouseUrl } from '../../store/clickhouse/url.js';
import type { TradeStore } from '../../store/store.js';
import { UserError } from '../../util/errors.js';
import { common, type Run } from '../common.js';
import { openStore, storeLocation } from '../open-store.js';

export interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
  token?: string;
  maxRows?: string;
  timeout?: string;
  quiet?: boolean;
}

export function registerServe(program: Command, run: Run): void {
  common(
    program
      .command('serve')
      .description('serve the HTTP API (/api/…, /openapi.json) and the dashboard (/) over a store')
      .option('--port <n>', 'port (0 for any free port)', '8080')
      .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', '127.0.0.1')
      .option('--token <token>', 'bearer token for admin endpoints (default $TRADESCOPE_TOKEN; none: admin off)')
      .option('--max-rows <n>', 'most rows a query may return (413 above)', '10000')
      .option('--timeout <ms>', 'longest a query may run in milliseconds (408 after)', '15000')
      .option('--quiet', 'no request logs')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope serve                       # http://127.0.0.1:8080/ on ./tradescope.duckdb\n  tradescope serve --db data.duckdb --port 9000\n  curl "http://127.0.0.1:8080/api/query?reporter=CHN&period=ytd:2025-06&compare=yoy"\n\nRequest logs are JSON lines on stderr. SIGTERM or Ctrl-C finishes requests in flight, then exits.\n',
      ),
  ).action((o: ServeOptions) => run(serveCommand(o)));
}

function positive(flag: string, text: string | undefined, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${flag}: ${text} (give a whole number ≥ ${min})`);
  return n;
}

export async function serveCommand(o: ServeOptions): Promise<number> {
  const port = positive('--port', o.port ?? '8080', 0);
  if (port > 65535) throw new UserError(`--port: ${port} (give 0–65535)`);
  const maxRows = positive('--max-rows', o.maxRows ?? '10000', 1);
  const queryTimeoutMs = positive('--timeout', o.timeout ?? '15000', 1);
  const store = await serveStore(o.db);
  const { startServer } = await import('../../server/serve.js');
  const token = o.token ?? process.env.TRADESCOPE_TOKEN;
  const server = await startServer(store, {
    port,
    host: o.host ?? '127.0.0.1',
    handleSignals: true,
    warmUp: true,
    limits: { maxRows, queryTimeoutMs },
    ...(token ? { adminToken: token } : {}),
    ...(o.quiet ? { log: null } : {}),
  }).catch(async (e: NodeJS.ErrnoException) => {
    await store.close();
    if (e.code === 'EADDRINUSE') throw new UserError(`--port: ${port} is in use (choose another with --port)`);
    throw e;
  });
  process.stderr.write(
    `tradescope serving ${store.location}\n  dashboard ${server.url}/\n  API       ${server.url}/openapi.json\n`,
  );
  await new Promise<never>(() => {});
  return 0;
}

/**
 * The store a server holds: a DuckDB file that exists is opened read-only and handed over to a writer on request
 * (`tradescope ingest` and the other commands then work beside the server); a new file or ClickHouse, as is.
 */
async function serveStore(db: string | undefined): Promise<TradeStore> {
  const loc = storeLocation(db);
  if (isClickHouseUrl(loc) || !existsSync(resolve(loc))) return openStore(db);
  const open = () => openStore(db, { readOnly: true });
  return handoverStore(open, resolve(loc), await open());
}
