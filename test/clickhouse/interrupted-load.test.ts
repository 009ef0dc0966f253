/**
 * A load killed half-way leaves nothing visible on a two-shard cluster.
 *
 * `tradescope ingest --db clickhouse://…?cluster=…` copies the BACI sample (71,192 rows) in batches of 1,000 rows;
 * the process is SIGKILLed once some batches are on the shards but before the commit. Then: no load, cell,
 * quarantine row or dataset is visible, although the shards hold the partial rows; `removeUncommitted`
 * deletes them; the same ingest then runs to completion with every row.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { type RunningClickHouse, startClickHouse } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const BACI = join(ROOT, 'data', 'baci', 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
const run = promisify(execFile);

async function sql(port: number, db: string, query: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/?database=${db}`, { method: 'POST', body: query });
  const text = await r.text();
  if (!r.ok) throw new Error(text);
  return text.trim();
}

describe('ClickHouse cluster: an interrupted load', () => {
  let cluster: RunningClickHouse;
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
      await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT });
    }
    cluster = await startClickHouse({ shards: 2 });
    dir = mkdtempSync(join(tmpdir(), 'tradescope-ch-kill-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no partial rows visible, is cleaned up, and loads completely afterwards', async () => {
    const db = 'interrupted';
    const url = cluster.url(db);
    const [n1, n2] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const args = [CLI, 'ingest', '--format', 'baci', BACI, '--db', url, '--json'];
    // TMPDIR: the killed process cannot remove its scratch files; they go into this test's folder
    const env = { ...process.env, TRADESCOPE_CLICKHOUSE_BATCH_ROWS: '1000', TMPDIR: dir };
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // kill once at least three batches are on the shards (the schema is created by the child)
    let partial = 0;
    for (let i = 0; i < 3000; i++) {
      partial = Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts').catch(() => '0'));
      if (partial >= 3000) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(null);
    expect(partial).toBeGreaterThanOrEqual(3000);
    // rows are on the shards (both of them), none committed
    const raw = Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts'));
    expect(raw).toBeGreaterThanOrEqual(3000);
    expect(raw).toBeLessThan(71_192);
    expect(Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts_local'))).toBeGreaterThan(0);
    expect(Number(await sql(n2.httpPort, db, 'SELECT count() FROM facts_local'))).toBeGreaterThan(0);
    expect(await sql(n1.httpPort, db, 'SELECT count() FROM committed_loads')).toBe('0');

    const store = await ClickHouseStore.open(url);
    try {
      expect(await store.loads()).toEqual([]);
      expect(await store.cells({})).toEqual([]);
      expect(await store.cells({ reporters: ['ZAF'] })).toEqual([]);
      expect(await store.sumCells({})).toEqual([]);
      expect(await store.quarantine()).toEqual([]);
      expect(await store.datasets()).toEqual([]);
      expect(await store.datasetsCovering({})).toEqual([]);
      expect(
        await store.aggregate({
          filter: {},
          groupBy: ['reporter'],
          windows: [{ id: '2021', start: 202101, end: 202112 }],
        }),
      ).toEqual([]);
      // clean-up of loads that never committed
      expect(await store.removeUncommitted(0)).toEqual([1]);
      for (let i = 0; i < 200; i++) {
        if (Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts')) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts'))).toBe(0);
    } finally {
      await store.close();
    }

    // the same ingest, uninterrupted
    const { stdout } = await run(process.execPath, args, { cwd: dir, env, maxBuffer: 1 << 24 });
    const report = JSON.parse(stdout) as { files?: { status: string; rowsLoaded: number }[] } & Record<string, unknown>;
    const first = (Array.isArray(report.files) ? report.files[0] : report) as { status: string; rowsLoaded: number };
    expect(first.status).toBe('loaded');
    expect(first.rowsLoaded).toBe(71_192);
    const after = await ClickHouseStore.open(url);
    try {
      const loads = await after.loads();
      expect(loads.map((l) => [l.loadId, l.rowsLoaded])).toEqual([[2, 71_192]]);
      expect((await after.cells({})).length).toBe(71_192);
      expect(Number(await sql(n1.httpPort, db, 'SELECT count() FROM facts'))).toBe(71_192);
    } finally {
      await after.close();
    }
  });
});
