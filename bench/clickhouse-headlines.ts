/**
 * Benchmark: the headline queries of the analytics issue (the four of `query-headlines.ts`) through tradescope's
 * query engine on three stores holding the same synthetic monthly cube — DuckDB (base tables), one ClickHouse
 * 18.16 node, and a two-shard ClickHouse cluster (two `clickhouse-server` processes on this machine) — with the
 * answers compared exactly across the three.
 *
 *   node dist/bench/clickhouse-headlines.js [--rows 20000000] [--seed 1] [--cube FILE] [--repeat 3] [--no-write]
 *
 * 1. The cube: `--cube FILE` or bench/work/cube-<rows>-s<seed>.duckdb, built by `build-cube.js` when missing.
 * 2. The servers: started with the test helper (generated configs, loopback ports), stopped by pid at the end.
 * 3. Loading: the cube's cells are exported from DuckDB as CSV (one `COPY`) and inserted into `facts` of each
 *    ClickHouse database, with its load record and the commit row — the cube is a benchmark fixture, like
 *    `build-cube.js` writes DuckDB directly; `tradescope ingest` takes the same path for files after
 *    normalizing them. Export and insert times are reported.
 * 4. Every query: one warm-up, then --repeat runs per store; the median wall time is reported. The rows of the
 *    three stores must be identical (same text, money exact); otherwise the run fails.
 *
 * Writes bench/results/clickhouse-headlines.json.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { query } from '../src/query/engine.js';
import type { QuerySpecInput } from '../src/query/spec.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { coverageInsertSql } from '../src/store/clickhouse/schema.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { TradeStore } from '../src/store/store.js';
import { startClickHouse } from '../test/clickhouse/cluster.js';
import { cubeParams, reusableCube } from './build-cube.js';
import { repoRoot } from './lib/synth.js';

/** The headline specs of `bench/query-headlines.ts` (q1 … q4), copied so that both benchmarks ask the same. */
const HEADLINES: { id: string; title: string; spec: QuerySpecInput }[] = [
  {
    id: 'q1',
    title: 'YTD balance with the EU (members by date), ytd:2025-06',
    spec: { reporter: 'CHN', partner: 'EU', period: 'ytd:2025-06', measures: ['balance'] },
  },
  {
    id: 'q2',
    title: 'Top 10 HS4 of exports in 2025 with YoY growth and the rest',
    spec: { reporter: 'CHN', flow: ['X'], period: '2025', by: ['hs4'], compare: 'yoy', top: 10 },
  },
  {
    id: 'q3',
    title: 'Contributions to export growth by partner, ytd:2025-06 vs ytd:2024-06',
    spec: {
      reporter: 'CHN',
      flow: ['X'],
      period: 'ytd:2025-06',
      by: ['partner'],
      measures: ['contribution'],
      compare: 'yoy',
    },
  },
  {
    id: 'q4',
    title: 'New Three basket exports to the World, monthly 2023-01 … 2025-12',
    spec: { reporter: 'CHN', flow: ['X'], product: 'new-three', period: '2023-01..2025-12', by: ['month'] },
  },
];

interface Args {
  rows: number;
  seed: number;
  cube: string;
  repeat: number;
  write: boolean;
}

function fail(msg: string): never {
  process.stderr.write(`clickhouse-headlines: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rows: 20_000_000, seed: 1, cube: '', repeat: 3, write: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const next = () => argv[++i] ?? fail(`${k} needs a value`);
    const num = () => {
      const v = Number(next().replace(/_/g, ''));
      if (!Number.isSafeInteger(v) || v <= 0) fail(`${k} needs a positive integer`);
      return v;
    };
    if (k === '--rows') a.rows = num();
    else if (k === '--seed') a.seed = num();
    else if (k === '--cube') a.cube = next();
    else if (k === '--repeat') a.repeat = num();
    else if (k === '--no-write') a.write = false;
    else fail(`unknown argument ${k} (options: --rows N --seed N --cube FILE --repeat N --no-write)`);
  }
  return a;
}

const log = (msg: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Exports the cube's committed cells as CSV in the column order of ClickHouse `facts`. */
async function exportCube(cube: DuckDbStore, file: string): Promise<number> {
  await cube.db.run(
    `COPY (SELECT f.load_id, l.dataset, CAST(l.vintage AS VARCHAR), l.source_file, f.reporter, f.partner, f.flow,
       f.classification, f.product, f.period_start, f.period_end, CAST(f.cumulative AS INTEGER), f.trade_mode,
       f.region, f.currency, f.value, f.net_weight_kg, f.quantity, f.quantity_unit, f.flag,
       CAST(f.seasonally_adjusted AS INTEGER), f.source_line, f.sheet
     FROM fact_cells f JOIN loads l ON l.load_id = f.load_id
     WHERE f.load_id IN (SELECT load_id FROM committed_loads))
     TO '${file.replace(/'/g, "''")}' (FORMAT csv, HEADER false, NULLSTR '\\N', QUOTE '"', ESCAPE '"')`,
  );
  return Number((await cube.db.one('SELECT count(*) AS n FROM facts'))?.n);
}

/** Writes the exported cells, the load records and their commits into a ClickHouse database. */
async function loadInto(url: string, httpOrigin: string, database: string, csv: string, cube: DuckDbStore) {
  const store = await ClickHouseStore.open(url);
  await store.close();
  const client = createClient({ url: httpOrigin, database, request_timeout: 3_600_000 });
  const settings = { insert_distributed_sync: 1 as const };
  const t0 = performance.now();
  await client.insert({ table: 'facts', values: createReadStream(csv), format: 'CSV', clickhouse_settings: settings });
  const seconds = (performance.now() - t0) / 1000;
  const loads = await cube.db.all(
    `SELECT l.*, CAST(l.vintage AS VARCHAR) AS v FROM loads l JOIN committed_loads USING (load_id) ORDER BY load_id`,
  );
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  for (const l of loads) {
    const flags = await cube.db.all('SELECT DISTINCT flag FROM slices WHERE load_id = $1 ORDER BY 1', [
      Number(l.load_id),
    ]);
    const cls = await cube.db.all('SELECT DISTINCT classification FROM fact_cells WHERE load_id = $1 ORDER BY 1', [
      Number(l.load_id),
    ]);
    const row = {
      load_id: Number(l.load_id),
      dataset: String(l.dataset),
      vintage: String(l.v),
      vintage_source: String(l.vintage_source ?? ''),
      source_file: String(l.source_file ?? ''),
      content_hash: String(l.content_hash ?? ''),
      format: String(l.format ?? ''),
      mapping: null,
      encoding: null,
      started_at: now,
      rows_read: Number(l.rows_read),
      rows_loaded: Number(l.rows_loaded),
      rows_quarantined: Number(l.rows_quarantined),
      blank_lines: Number(l.blank_lines),
      flags: flags.map((f) => String(f.flag)),
      classifications: cls.map((c) => String(c.classification)),
    };
    await client.insert({
      table: 'load_starts',
      values: [{ load_id: row.load_id, dataset: row.dataset, started_at: now }],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    await client.insert({ table: 'loads', values: [row], format: 'JSONEachRow', clickhouse_settings: settings });
    await client.insert({
      table: 'datasets',
      values: [
        {
          dataset: row.dataset,
          name: null,
          source: null,
          notes: null,
          seasonally_adjusted: 0,
          added_at: now,
          load_id: row.load_id,
        },
      ],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    await client.command({ query: coverageInsertSql(row.load_id), clickhouse_settings: settings });
    await client.insert({
      table: 'committed_loads',
      values: [{ load_id: row.load_id, committed_at: now }],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
  }
  // merge the inserted parts, as a loaded production table would be
  const t1 = performance.now();
  await client
    .command({ query: `OPTIMIZE TABLE ${url.includes('cluster=') ? 'facts_local' : 'facts'} FINAL` })
    .catch(() => {});
  const optimizeSeconds = (performance.now() - t1) / 1000;
  await client.close();
  return { insertSeconds: seconds, optimizeSeconds };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const cubePath = args.cube || join(root, 'bench', 'work', `cube-${args.rows}-s${args.seed}.duckdb`);
  if (!args.cube && !reusableCube(cubePath, cubeParams(args.rows, args.seed))) {
    mkdirSync(join(root, 'bench', 'work'), { recursive: true });
    log(`building ${cubePath}`);
    execFileSync(
      process.execPath,
      [
        join(root, 'dist', 'bench', 'build-cube.js'),
        '--out',
        cubePath,
        '--rows',
        String(args.rows),
        '--seed',
        String(args.seed),
      ],
      { stdio: 'inherit' },
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'tradescope-ch-bench-'));
  const [node, cluster] = await Promise.all([startClickHouse({ shards: 1 }), startClickHouse({ shards: 2 })]);
  const stores: Record<string, TradeStore> = {};
  try {
    const cube = await DuckDbStore.open(cubePath, {
      readOnly: true,
      rollups: false,
      memoryLimit: '4GB',
      aggregatePartners: aggregateAreaCodes(),
    });
    stores.duckdb = cube;
    const csv = join(work, 'facts.csv');
    let t = performance.now();
    const rows = await exportCube(cube, csv);
    const exportSeconds = (performance.now() - t) / 1000;
    log(
      `exported ${rows.toLocaleString('en')} cells (${(statSync(csv).size / 1e9).toFixed(2)} GB CSV) in ${exportSeconds.toFixed(1)} s`,
    );
    const loading: Record<string, unknown> = { exportSeconds, csvBytes: statSync(csv).size };
    for (const [name, srv] of [
      ['clickhouse', node],
      ['clickhouse-cluster', cluster],
    ] as const) {
      t = performance.now();
      const r = await loadInto(srv.url('bench'), `http://127.0.0.1:${srv.nodes[0]!.httpPort}`, 'bench', csv, cube);
      loading[name] = {
        ...r,
        totalSeconds: (performance.now() - t) / 1000,
        rowsPerSecond: Math.round(rows / r.insertSeconds),
      };
      log(`${name}: inserted in ${r.insertSeconds.toFixed(1)} s, merged in ${r.optimizeSeconds.toFixed(1)} s`);
      stores[name] = await ClickHouseStore.open(srv.url('bench'), { readOnly: true });
    }
    rmSync(csv, { force: true });
    const shardRows = [];
    for (const n of cluster.nodes) {
      const r = await fetch(`http://127.0.0.1:${n.httpPort}/?database=bench`, {
        method: 'POST',
        body: 'SELECT count() FROM facts_local',
      });
      shardRows.push(Number((await r.text()).trim()));
    }
    const results = [];
    let identical = true;
    for (const h of HEADLINES) {
      const times: Record<string, number> = {};
      const answers: Record<string, string> = {};
      for (const [name, store] of Object.entries(stores)) {
        const first = await query(store, h.spec);
        answers[name] = JSON.stringify(first.rows);
        const runs: number[] = [];
        for (let i = 0; i < args.repeat; i++) {
          const s = performance.now();
          await query(store, h.spec);
          runs.push((performance.now() - s) / 1000);
        }
        times[name] = median(runs);
        log(`${h.id} ${name}: ${times[name]!.toFixed(3)} s (${first.rows.length} rows)`);
      }
      const same = Object.values(answers).every((a) => a === answers.duckdb);
      if (!same) identical = false;
      results.push({
        id: h.id,
        title: h.title,
        spec: h.spec,
        medianSeconds: times,
        identicalRows: same,
        rows: JSON.parse(answers.duckdb!).length,
      });
    }
    const out = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      clickhouse: {
        version: (stores.clickhouse as ClickHouseStore).serverVersion,
        bind: (stores.clickhouse as ClickHouseStore).bindMode,
      },
      cube: { path: cubePath.replace(`${root}/`, ''), rows, seed: args.seed, shardRows },
      duckdb: { memoryLimit: '4GB', rollups: false },
      repeat: args.repeat,
      loading,
      results,
      identical,
    };
    if (args.write) {
      mkdirSync(join(root, 'bench', 'results'), { recursive: true });
      writeFileSync(join(root, 'bench', 'results', 'clickhouse-headlines.json'), `${JSON.stringify(out, null, 2)}\n`);
    }
    process.stdout.write(
      `${JSON.stringify({ identical, results: results.map((r) => ({ id: r.id, ...r.medianSeconds })) })}\n`,
    );
    if (!identical) process.exitCode = 1;
  } finally {
    for (const s of Object.values(stores)) await s.close();
    await Promise.all([node.stop(), cluster.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && /clickhouse-headlines\.js$/.test(process.argv[1])) await main();
