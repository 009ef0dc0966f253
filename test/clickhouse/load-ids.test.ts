/**
 * Two ingests into one ClickHouse database at the same time never share a load id (issue 15): they used to both
 * read `max(load_id) + 1`. Against a real `clickhouse-server`: eight reservations racing through the claim
 * protocol get eight different ids, and two `tradescope ingest` processes started together each land their whole
 * file under their own id. Expected row counts are the files' own line counts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { type ClaimTable, reserveLoadId } from '../../src/store/clickhouse/load-id.js';
import { type RunningClickHouse, startClickHouse } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const IMPCH = join(ROOT, 'data', 'fred', 'FRED_IMPCH_us_imports_from_china_monthly.csv');
const XTEX = join(ROOT, 'data', 'fred', 'FRED_XTEXVA01CNM667S_2000-2020.csv');
const run = promisify(execFile);

async function sql(port: number, db: string, query: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/?database=${db}&insert_distributed_sync=1`, {
    method: 'POST',
    body: query,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(text);
  return text.trim();
}

/** Data lines of a delimited file with a header line (blank lines not counted). */
const dataLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length - 1;

describe('ClickHouse: load ids of simultaneous writers', () => {
  let server: RunningClickHouse;
  beforeAll(async () => {
    server = await startClickHouse({ shards: 1 });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('eight reservations at once get eight different ids', async () => {
    const db = 'load_ids_race';
    await (await ClickHouseStore.open(server.url(db))).close(); // creates the tables
    const port = server.nodes[0]!.httpPort;
    const table: ClaimTable = {
      highestId: async () =>
        Number(
          await sql(
            port,
            db,
            'SELECT greatest((SELECT max(load_id) FROM load_starts), (SELECT max(load_id) FROM load_claims))',
          ),
        ),
      insertClaim: async (id, token) => {
        await sql(port, db, `INSERT INTO load_claims VALUES (${id}, '${token}', now())`);
      },
      claimsOf: async (id) =>
        (await sql(port, db, `SELECT token FROM load_claims WHERE load_id = ${id}`)).split('\n').filter(Boolean),
    };
    const ids = await Promise.all(Array.from({ length: 8 }, () => reserveLoadId(table, { settleMs: 300 })));
    expect(new Set(ids).size).toBe(8);
    // without the claim protocol, all eight would have read max = 0 and taken id 1
    expect(Math.min(...ids)).toBe(1);
  }, 120_000);

  it('two tradescope ingest processes started together land under two ids, each with its whole file', async () => {
    const db = 'load_ids_ingest';
    const url = server.url(db);
    await (await ClickHouseStore.open(url)).close();
    const ingest = (file: string, mapping: string) =>
      run(process.execPath, [CLI, 'ingest', file, '--format', 'csv', '--mapping', mapping, '--db', url, '--json'], {
        cwd: ROOT,
        maxBuffer: 1 << 24,
      });
    const [a, b] = await Promise.all([
      ingest(IMPCH, join(ROOT, 'mappings', 'fred-impch.yaml')),
      ingest(XTEX, join(ROOT, 'mappings', 'fred-china-exports-sa.yaml')),
    ]);
    const ra = JSON.parse(a.stdout) as { loadId: number; rowsLoaded: number };
    const rb = JSON.parse(b.stdout) as { loadId: number; rowsLoaded: number };
    expect(ra.loadId).not.toBe(rb.loadId);
    const port = server.nodes[0]!.httpPort;
    const perLoad = await sql(port, db, 'SELECT load_id, count() FROM facts GROUP BY load_id ORDER BY load_id');
    const want = [
      [ra.loadId, dataLines(IMPCH)],
      [rb.loadId, dataLines(XTEX)],
    ].sort((x, y) => x[0]! - y[0]!);
    expect(perLoad.split('\n').map((l) => l.split('\t').map(Number))).toEqual(want);
    expect(dataLines(IMPCH)).toBe(492);
    const store = await ClickHouseStore.open(url, { readOnly: true });
    try {
      expect((await store.loads()).map((l) => [l.loadId, l.dataset]).sort()).toEqual(
        [
          [ra.loadId, 'fred-impch'],
          [rb.loadId, 'fred-china-exports-sa'],
        ].sort(),
      );
    } finally {
      await store.close();
    }
  }, 180_000);
});
