/**
 * `kill -9` during an ingest leaves the store exactly as it was.
 *
 * A ~3M-row synthetic BACI file (the bench generator) is ingested by the CLI into a store that already holds
 * one load; the process is SIGKILLed early (reading the file), in the middle, and late (while DuckDB writes
 * the facts to the store file, before the commit). After each kill the store must open, hold exactly the
 * baseline, and have no stray files. Then the ingest runs to completion, and a second run of the same file
 * changes nothing.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cube, writeBaci } from '../bench/lib/synth.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const SMALL = join(ROOT, 'data', 'baci', 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
const BIG_ROWS = 3_000_000;
const BIG_NAME = 'BACI_HS92_Y2021_V202401_synthetic.csv';
const run = promisify(execFile);

function ensureBuilt(): Promise<unknown> | undefined {
  if (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) return undefined;
  return run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT });
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Everything a reader of the store can see, plus the raw table sizes. */
async function storeState(path: string) {
  const store = await DuckDbStore.open(path);
  try {
    const count = async (t: string) => Number((await store.sql(`SELECT count(*) AS n FROM ${t}`))[0]?.n);
    return {
      loads: (await store.loads()).map(({ committedAt: _c, ...l }) => l),
      loadsTable: await count('loads'),
      committed: await count('committed_loads'),
      facts: await count('facts'),
      slices: await count('slices'),
      quarantine: await count('quarantine'),
      loadCodes: await count('load_codes'),
      areas: await count('areas_dim'),
      products: await count('products_dim'),
      datasets: (await store.datasets()).map((d) => ({
        dataset: d.dataset,
        rows: d.rows,
        quarantined: d.quarantined,
        vintages: d.vintages.map((v) => [v.vintage, v.rows]),
      })),
      byReporter: await store.sql(
        `SELECT reporter, count(*) AS n, CAST(sum(value) AS VARCHAR) AS total FROM fact_cells
         WHERE load_id IN (SELECT load_id FROM committed_loads) GROUP BY 1 ORDER BY 1`,
      ),
      zafCells: (await store.cells({ reporters: ['ZAF'], partners: ['AFG'] })).map((c) => [c.product, c.value]),
    };
  } finally {
    await store.close();
  }
}

/** When to kill: given the time since the spawn and whether the store file has been written since. */
type Trigger = (elapsedMs: number, storeWritten: boolean) => boolean;

function fileSignature(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Spawns the CLI ingest and SIGKILLs it when `trigger` fires; fails if the process ended first. */
async function ingestAndKill(store: string, big: string, trigger: Trigger): Promise<number> {
  const signature = fileSignature(store);
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'ingest', big, '--format', 'baci', '--db', store, '--json'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  const started = Date.now();
  let done = false;
  void exited.then(() => {
    done = true;
  });
  let killedAt = -1;
  while (!done) {
    const t = Date.now() - started;
    if (trigger(t, fileSignature(store) !== signature)) {
      killedAt = t;
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const { code, signal } = await exited;
  expect({ code, signal, stderr }, `the ingest ended before the kill (after ${Date.now() - started} ms)`).toEqual({
    code: null,
    signal: 'SIGKILL',
    stderr: expect.any(String),
  });
  return killedAt;
}

function strayFiles(dir: string): string[] {
  // allowed: the input, the store, and a WAL that DuckDB replays on open
  return readdirSync(dir).filter((f) => f !== BIG_NAME && f !== 'store.duckdb' && f !== 'store.duckdb.wal');
}

describe('kill -9 during an ingest', () => {
  let dir: string;
  let scratchDir: string;
  let big: string;
  let store: string;
  let baseline: Awaited<ReturnType<typeof storeState>>;
  let expectedAfter: Awaited<ReturnType<typeof storeState>>;
  let fullMs: number;

  beforeAll(async () => {
    const building = ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'tradescope-kill9-'));
    scratchDir = mkdtempSync(join(tmpdir(), 'tradescope-kill9-scratch-'));
    big = join(dir, BIG_NAME);
    store = join(dir, 'store.duckdb');
    const cube = new Cube({ rows: BIG_ROWS, year: 2021, seed: 7, countries: 200, reporters: [] });
    const gen = await writeBaci(cube, big, BIG_ROWS);
    expect(gen.rows).toBe(BIG_ROWS);
    await building;

    const small = await cli(['ingest', SMALL, '--format', 'baci', '--db', store, '--json']);
    expect(small.code, small.stderr).toBe(0);
    expect(JSON.parse(small.stdout)).toMatchObject({ status: 'loaded', rowsLoaded: 71_192 });
    baseline = await storeState(store);

    // calibrate: one full ingest into a copy of the baseline store
    const scratch = join(scratchDir, 'store.duckdb');
    copyFileSync(store, scratch);
    if (existsSync(`${store}.wal`)) copyFileSync(`${store}.wal`, `${scratch}.wal`);
    const t0 = Date.now();
    const full = await cli(['ingest', big, '--format', 'baci', '--db', scratch, '--json']);
    fullMs = Date.now() - t0;
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ status: 'loaded', rowsRead: BIG_ROWS, rowsLoaded: BIG_ROWS });
    expectedAfter = await storeState(scratch);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  });

  it('the baseline and the calibration run are what they should be', () => {
    expect(baseline.loads).toHaveLength(1);
    expect(baseline.facts).toBe(71_192);
    expect(expectedAfter.loads).toHaveLength(2);
    expect(expectedAfter.facts).toBe(71_192 + BIG_ROWS);
    expect(expectedAfter.loads[0]).toEqual(baseline.loads[0]);
  });

  /**
   * Kill points. Each also fires as soon as the store file is written to: DuckDB writes a large insert's row
   * groups to the file before the commit, so that is the last moment before the commit we can observe.
   */
  const points: [string, Trigger][] = [
    [
      'early (store open, the file being read)',
      (t, w) => w || (existsSync(`${store}.wal`) && t > 100) || t > fullMs * 0.15,
    ],
    ['in the middle (40 % of a full run)', (t, w) => w || t > fullMs * 0.4],
    ['late (facts being written to the store file, before the commit)', (t, w) => w || t > fullMs * 0.9],
  ];

  for (const [when, trigger] of points) {
    it(`killed ${when}: the store is exactly as before`, async () => {
      await ingestAndKill(store, big, trigger);
      expect(strayFiles(dir)).toEqual([]);
      expect(await storeState(store)).toEqual(baseline);
      // opening replayed and checkpointed any WAL; nothing is left beside the store
      expect(strayFiles(dir)).toEqual([]);
    });
  }

  it('a later run loads the file completely; the same file again changes nothing and says unchanged', async () => {
    const full = await cli(['ingest', big, '--format', 'baci', '--db', store, '--json']);
    expect(full.code, full.stderr).toBe(0);
    const report = JSON.parse(full.stdout);
    expect(report).toMatchObject({
      status: 'loaded',
      dataset: 'baci-hs92',
      vintage: '2024-01-01',
      rowsRead: BIG_ROWS,
      rowsLoaded: BIG_ROWS,
      rowsQuarantined: 0,
      blankLines: 0,
    });
    const after = await storeState(store);
    expect(after).toEqual(expectedAfter);
    expect(strayFiles(dir)).toEqual([]);

    const again = await cli(['ingest', big, '--format', 'baci', '--db', store]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
    expect(await storeState(store)).toEqual(after);

    const smallAgain = await cli(['ingest', SMALL, '--format', 'baci', '--db', store, '--json']);
    expect(smallAgain.code).toBe(0);
    expect(JSON.parse(smallAgain.stdout)).toMatchObject({ status: 'unchanged', loadId: baseline.loads[0]!.loadId });
    expect(await storeState(store)).toEqual(after);
  });
});
