/**
 * Benchmark: the headline queries of the analytics issue on a synthetic monthly cube of 100 million rows,
 * tradescope's query engine (with rollups, and without) against hand-written DuckDB SQL on the base tables,
 * in the same process and on the same DuckDB instance.
 *
 *   node dist/bench/query-headlines.js [--rows 100000000] [--seed 1] [--repeat 5] [--memory-limit 1GB]
 *        [--build-memory-limit 10GB] [--rollup-memory-limit 4GB] [--no-rebuild-rollups] [--only q1,q2] [--no-write]
 *
 * 1. The cube: bench/work/cube-<rows>-s<seed>.duckdb, built by `build-cube.js` (SQL only, tradescope's own star
 *    schema) as a measured child process, or reused when its .meta.json matches the parameters.
 * 2. When the store has rollups (`store.rebuildRollups()` exists), they are rebuilt once (the cube is written
 *    by SQL, not by the ingest that maintains them) and the rebuild is timed.
 * 3. Phase A: the store opened as the library opens it (rollups on). Phase B: opened with `{ rollups: false }`.
 *    In each phase every query runs through `query(store, spec)` and as hand-written SQL (`store.sql()`, the
 *    same connection), one warm-up each, then --repeat runs alternating which side goes first; the median is
 *    reported. The results of each side are normalised to exact decimal text and compared, row by row.
 * 4. Writes bench/results/query-headlines.json and the results table of bench/README.md; exits 1 when a
 *    result differs or a goal is missed.
 *
 * Goals (from the analytics issue): hand-written / tradescope-with-rollups ≥ 10 and
 * tradescope-without-rollups / hand-written ≤ 1.2, for every query.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { aggregateAreaCodes } from '../src/model/areas.js';
import type { QueryResult } from '../src/query/engine.js';
import { query } from '../src/query/engine.js';
import type { QuerySpecInput } from '../src/query/spec.js';
import { DuckDbStore, type DuckDbStoreOptions, trimDecimal } from '../src/store/duckdb/duckdb-store.js';
import { CUBE_DATASET, cubeParams, reusableCube } from './build-cube.js';
import { runMeasured } from './lib/measure.js';
import { repoRoot } from './lib/synth.js';

const GOAL_SPEEDUP = 10;
const GOAL_SLOWDOWN = 1.2;

interface Args {
  rows: number;
  seed: number;
  repeat: number;
  memoryLimit: string;
  buildMemoryLimit: string;
  rollupMemoryLimit: string;
  rebuildRollups: boolean;
  only: string[] | null;
  write: boolean;
}

function fail(msg: string, code = 1): never {
  process.stderr.write(`query-headlines: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    rows: 100_000_000,
    seed: 1,
    repeat: 5,
    memoryLimit: '1GB',
    buildMemoryLimit: '10GB',
    rollupMemoryLimit: '4GB',
    rebuildRollups: true,
    only: null,
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const next = () => argv[++i] ?? fail(`${k} needs a value`, 2);
    const num = (): number => {
      const v = Number(next().replace(/_/g, ''));
      if (!Number.isSafeInteger(v) || v <= 0) fail(`${k} needs a positive integer`, 2);
      return v;
    };
    if (k === '--rows') a.rows = num();
    else if (k === '--seed') a.seed = num();
    else if (k === '--repeat') a.repeat = num();
    else if (k === '--memory-limit') a.memoryLimit = next();
    else if (k === '--build-memory-limit') a.buildMemoryLimit = next();
    else if (k === '--rollup-memory-limit') a.rollupMemoryLimit = next();
    else if (k === '--no-rebuild-rollups') a.rebuildRollups = false;
    else if (k === '--only') a.only = next().split(',');
    else if (k === '--no-write') a.write = false;
    else
      fail(
        `unknown argument ${k} (options: --rows N --seed N --repeat N --memory-limit 1GB --build-memory-limit 10GB ` +
          '--no-rebuild-rollups --only q1,q2 --no-write)',
        2,
      );
  }
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// The headline queries: a tradescope spec, the same question in hand-written SQL, and how to compare the two

/** One comparable row: a key and exact decimal texts. */
type Line = Record<string, string | null>;

interface Headline {
  id: string;
  title: string;
  spec: QuerySpecInput;
  sql: string;
  /** Whether row order is part of the answer (ranked lists, series) or rows are compared by key. */
  ordered: boolean;
  fromTradescope(r: QueryResult): Line[];
  fromSql(rows: Record<string, unknown>[]): Line[];
  note?: string;
}

const REPORTER = 'CHN';
/** EU members on every day of 2024-01 … 2025-06 (the EU27 since 2020-02-01), as an analyst would list them. */
// biome-ignore format: a list of codes
const EU27 = [
  'AUT', 'BEL', 'BGR', 'CYP', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GRC', 'HRV', 'HUN',
  'IRL', 'ITA', 'LTU', 'LUX', 'LVA', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'SWE',
];
/** The New Three basket in HS2022 (data/baskets/new-three.yaml): 8703.80, 8507.60, 8541.42, 8541.43. */
const NEW_THREE = ['870380', '850760', '854142', '854143'];

/** The star schema joined back together, the dataset and the reporter fixed; one month's cells only. */
const BASE = `
  FROM facts f
  JOIN loads l ON l.load_id = f.load_id
  JOIN slices s ON s.slice_id = f.slice_id
  JOIN areas_dim r ON r.id = f.reporter_id
  JOIN areas_dim p ON p.id = f.partner_id
  JOIN products_dim pd ON pd.id = f.product_id
  WHERE l.dataset = '${CUBE_DATASET}' AND r.code = '${REPORTER}'
    AND s.period_start = s.period_end AND NOT s.cumulative`;

const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ');

/** `(cur − prev) / prev × 100` to 2 decimals, half away from zero, exactly (HUGEINT), as text; NULL when prev = 0. */
function pctSql(cur: string, prev: string): string {
  const n = `(CAST((${cur} - ${prev}) * 10000 AS HUGEINT) * 10000)`;
  const d = `CAST(${prev} * 10000 AS HUGEINT)`;
  const q = `((2 * abs(${n}) + abs(${d})) // (2 * abs(${d})))`;
  return `CASE WHEN ${prev} = 0 THEN NULL ELSE CAST(CAST(CASE WHEN (${n} < 0) <> (${d} < 0) THEN -${q} ELSE ${q} END
    AS DECIMAL(38,0)) * 0.01 AS VARCHAR) END`;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : trimDecimal(String(v)));

const HEADLINES: Headline[] = [
  {
    id: 'q1',
    title: 'YTD balance with the EU (members by date), ytd:2025-06',
    spec: { reporter: REPORTER, partner: 'EU', period: 'ytd:2025-06', measures: ['balance'] },
    sql: `SELECT CAST(sum(CASE s.flow WHEN 'X' THEN f.value ELSE -f.value END) AS VARCHAR) AS balance ${BASE}
      AND p.code IN (${list(EU27)}) AND s.flow IN ('X', 'M') AND s.period_start BETWEEN 202501 AND 202506`,
    ordered: true,
    fromTradescope: (r) => r.rows.map((x) => ({ key: String(x.measure), value: text(x.value) })),
    fromSql: (rows) => rows.map((x) => ({ key: 'balance', value: text(x.balance) })),
  },
  {
    id: 'q2',
    title: 'Top 10 HS4 of exports in 2025 with YoY growth (ranked by 2025 value) and the rest',
    spec: { reporter: REPORTER, flow: ['X'], period: '2025', by: ['hs4'], compare: 'yoy', top: 10 },
    note:
      "the engine's top-N ranks by value, not by growth: both sides rank HS4 by 2025 exports (ties by code) and " +
      'show their YoY growth; the rest row sums the others',
    sql: `WITH h AS (
        SELECT left(pd.code, 4) AS hs4,
          coalesce(sum(f.value) FILTER (WHERE s.period_start BETWEEN 202501 AND 202512), 0) AS cur,
          coalesce(sum(f.value) FILTER (WHERE s.period_start BETWEEN 202401 AND 202412), 0) AS prev
        ${BASE} AND p.code = 'WLD' AND s.flow = 'X' AND s.period_start BETWEEN 202401 AND 202512
        GROUP BY 1),
      ranked AS (SELECT *, row_number() OVER (ORDER BY cur DESC, hs4) AS rn FROM h),
      top AS (
        SELECT CASE WHEN rn <= 10 THEN hs4 ELSE '(rest)' END AS hs4, min(rn) AS ord, sum(cur) AS cur, sum(prev) AS prev
        FROM ranked GROUP BY 1)
      SELECT hs4, CAST(cur AS VARCHAR) AS value, CAST(prev AS VARCHAR) AS previous, ${pctSql('cur', 'prev')} AS yoy_pct
      FROM top ORDER BY ord`,
    ordered: true,
    fromTradescope: (r) =>
      r.rows.map((x) => ({
        key: String(x.product),
        value: text(x.value),
        previous: text(x.previous),
        yoy_pct: text(x.yoy_pct),
      })),
    fromSql: (rows) =>
      rows.map((x) => ({
        key: String(x.hs4),
        value: text(x.value),
        previous: text(x.previous),
        yoy_pct: text(x.yoy_pct),
      })),
  },
  {
    id: 'q3',
    title: 'Contributions to export growth by partner, ytd:2025-06 vs ytd:2024-06 (pp, largest remainder)',
    spec: {
      reporter: REPORTER,
      flow: ['X'],
      period: 'ytd:2025-06',
      by: ['partner'],
      measures: ['contribution'],
      compare: 'yoy',
    },
    note:
      'contributions in pp of the World total, rounded to 0.01 by largest remainder so that they add up to the ' +
      'rounded growth of the total (ties: larger exact magnitude, then larger value, then code)',
    sql: `WITH pt AS (
        SELECT p.code AS partner,
          coalesce(sum(f.value) FILTER (WHERE s.period_start BETWEEN 202501 AND 202506), 0) AS cur,
          coalesce(sum(f.value) FILTER (WHERE s.period_start BETWEEN 202401 AND 202406), 0) AS prev
        ${BASE} AND p.code <> 'WLD' AND s.flow = 'X'
          AND (s.period_start BETWEEN 202501 AND 202506 OR s.period_start BETWEEN 202401 AND 202406)
        GROUP BY 1),
      w AS (SELECT CAST((sum(cur) - sum(prev)) * 10000 AS HUGEINT) * 10000 AS tn, abs(CAST(sum(prev) * 10000 AS HUGEINT)) AS td FROM pt),
      x AS (
        SELECT pt.*, CAST((cur - prev) * 10000 AS HUGEINT) * 10000 AS num, w.td AS den,
          (CASE WHEN w.tn < 0 THEN -1 ELSE 1 END) * ((2 * abs(w.tn) + w.td) // (2 * w.td)) AS target
        FROM pt, w),
      fl AS (
        SELECT *, CASE WHEN num % den <> 0 AND num < 0 THEN num // den - 1 ELSE num // den END AS fl FROM x),
      rk AS (
        SELECT *, num - fl * den AS rem, target - sum(fl) OVER () AS lft,
          row_number() OVER (ORDER BY num - fl * den DESC, abs(num) DESC, cur DESC, partner) AS rn
        FROM fl)
      SELECT partner, CAST(cur AS VARCHAR) AS value, CAST(prev AS VARCHAR) AS previous, ${pctSql('cur', 'prev')} AS yoy_pct,
        CAST(CAST(fl + CASE WHEN rn <= lft THEN 1 ELSE 0 END AS DECIMAL(38,0)) * 0.01 AS VARCHAR) AS contribution_pp
      FROM rk ORDER BY cur DESC, partner`,
    ordered: false,
    fromTradescope: (r) =>
      r.rows.map((x) => ({
        key: String(x.partner),
        value: text(x.value),
        previous: text(x.previous),
        yoy_pct: text(x.yoy_pct),
        contribution_pp: text(x.contribution_pp),
      })),
    fromSql: (rows) =>
      rows.map((x) => ({
        key: String(x.partner),
        value: text(x.value),
        previous: text(x.previous),
        yoy_pct: text(x.yoy_pct),
        contribution_pp: text(x.contribution_pp),
      })),
  },
  {
    id: 'q4',
    title: 'New Three basket exports to the World, monthly 2023-01 … 2025-12',
    spec: { reporter: REPORTER, flow: ['X'], product: 'new-three', period: '2023-01..2025-12', by: ['month'] },
    sql: `SELECT s.period_start AS period, CAST(sum(f.value) AS VARCHAR) AS value
      ${BASE} AND p.code = 'WLD' AND s.flow = 'X' AND s.period_start BETWEEN 202301 AND 202512
        AND pd.code IN (${list(NEW_THREE)})
      GROUP BY 1 ORDER BY 1`,
    ordered: true,
    fromTradescope: (r) => r.rows.map((x) => ({ key: String(x.period), value: text(x.value) })),
    fromSql: (rows) =>
      rows.map((x) => {
        const p = Number(x.period);
        return { key: `${Math.floor(p / 100)}-${String(p % 100).padStart(2, '0')}`, value: text(x.value) };
      }),
  },
];

// ---------------------------------------------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const mib = (b: number) => `${Math.round(b / 1024 ** 2)} MiB`;
const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** Compares two normalised results; returns the differences (at most 10 described). */
function compare(a: Line[], b: Line[], ordered: boolean): string[] {
  const diffs: string[] = [];
  const key = (l: Line) => String(l.key);
  const sa = ordered ? a : [...a].sort((x, y) => key(x).localeCompare(key(y)));
  const sb = ordered ? b : [...b].sort((x, y) => key(x).localeCompare(key(y)));
  if (sa.length !== sb.length) diffs.push(`row count ${sa.length} vs ${sb.length}`);
  for (let i = 0; i < Math.max(sa.length, sb.length) && diffs.length < 10; i++) {
    const x = sa[i];
    const y = sb[i];
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`row ${i}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
  return diffs;
}

/** Wall time of each store method over one query (which parts of the engine the time goes to). */
function profiled(store: DuckDbStore, into: Record<string, { calls: number; ms: number }>): DuckDbStore {
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string' || prop === 'constructor') return v;
      return (...a: unknown[]) => {
        const t0 = performance.now();
        const out = (v as (...x: unknown[]) => unknown).apply(target, a);
        const done = () => {
          const e = into[prop] ?? { calls: 0, ms: 0 };
          into[prop] = e;
          e.calls++;
          e.ms += performance.now() - t0;
        };
        if (out instanceof Promise) return out.finally(done);
        done();
        return out;
      };
    },
  });
}

interface SideResult {
  runsMs: number[];
  warmupMs: number;
  medianMs: number;
  rows: number;
  answeredBy?: unknown;
}

interface PhaseQuery {
  tradescope: SideResult;
  handSql: SideResult;
  mismatches: string[];
  storeMethods: Record<string, { calls: number; ms: number }>;
  notes: string[];
}

async function runPhase(
  label: string,
  store: DuckDbStore,
  headlines: Headline[],
  repeat: number,
): Promise<Record<string, PhaseQuery>> {
  const out: Record<string, PhaseQuery> = {};
  for (const h of headlines) {
    process.stderr.write(`  ${label} ${h.id}: ${h.title}\n`);
    let lastTs: QueryResult | undefined;
    let lastSql: Record<string, unknown>[] = [];
    const ts = async () => {
      const t0 = performance.now();
      lastTs = await query(store, h.spec);
      return performance.now() - t0;
    };
    const hand = async () => {
      const t0 = performance.now();
      lastSql = await store.sql(h.sql);
      return performance.now() - t0;
    };
    const tsWarm = await ts();
    const sqlWarm = await hand();
    const tsRuns: number[] = [];
    const sqlRuns: number[] = [];
    for (let i = 0; i < repeat; i++) {
      if (i % 2 === 0) {
        tsRuns.push(await ts());
        sqlRuns.push(await hand());
      } else {
        sqlRuns.push(await hand());
        tsRuns.push(await ts());
      }
    }
    const result = lastTs!;
    const mismatches = compare(h.fromTradescope(result), h.fromSql(lastSql), h.ordered);
    // one more, untimed run through a profiling proxy: where the engine's time goes
    const storeMethods: Record<string, { calls: number; ms: number }> = {};
    await query(profiled(store, storeMethods), h.spec);
    for (const m of Object.values(storeMethods)) m.ms = round(m.ms, 1);
    const answeredBy = (result.provenance as unknown as Record<string, unknown>).answeredBy;
    out[h.id] = {
      tradescope: {
        runsMs: tsRuns.map((x) => round(x, 1)),
        warmupMs: round(tsWarm, 1),
        medianMs: round(median(tsRuns), 1),
        rows: result.rows.length,
        ...(answeredBy !== undefined ? { answeredBy } : {}),
      },
      handSql: {
        runsMs: sqlRuns.map((x) => round(x, 1)),
        warmupMs: round(sqlWarm, 1),
        medianMs: round(median(sqlRuns), 1),
        rows: lastSql.length,
      },
      mismatches,
      storeMethods,
      notes: result.notes.map((n) => `${n.code}: ${n.message}`),
    };
    process.stderr.write(
      `    tradescope ${median(tsRuns).toFixed(1)} ms, hand-written SQL ${median(sqlRuns).toFixed(1)} ms, ` +
        `${mismatches.length ? `${mismatches.length} MISMATCH(ES): ${mismatches[0]}` : 'same numbers'}\n` +
        `    answered by ${JSON.stringify(answeredBy ?? null)}; engine's store calls: ${Object.entries(storeMethods)
          .map(([k, m]) => `${k} ${m.calls}× ${m.ms} ms`)
          .join(', ')}\n`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
const root = repoRoot();
const workDir = join(root, 'bench', 'work');
const resultsDir = join(root, 'bench', 'results');
mkdirSync(workDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const headlines = HEADLINES.filter((h) => !args.only || args.only.includes(h.id));

// 1. the cube
const cubePath = join(workDir, `cube-${args.rows}-s${args.seed}.duckdb`);
const params = cubeParams(args.rows, args.seed);
let cubeMeta = reusableCube(cubePath, params);
let build: { reused: boolean; seconds?: number; peakRssBytes?: number } = { reused: true };
if (cubeMeta) {
  process.stderr.write(`reusing ${cubePath}\n`);
} else {
  process.stderr.write(`building ${cubePath} (${args.rows.toLocaleString('en')} rows) …\n`);
  const b = await runMeasured(
    process.execPath,
    [
      join(root, 'dist', 'bench', 'build-cube.js'),
      '--out',
      cubePath,
      '--rows',
      String(args.rows),
      '--seed',
      String(args.seed),
      '--memory-limit',
      args.buildMemoryLimit,
    ],
    { echoStderr: true },
  );
  if (b.exitCode !== 0) fail(`build-cube failed (exit ${b.exitCode}):\n${b.stderr}`);
  cubeMeta = reusableCube(cubePath, params);
  if (!cubeMeta) fail('build-cube finished without a matching .meta.json');
  build = { reused: false, seconds: round(b.wallSeconds, 1), peakRssBytes: b.peakRssBytes };
}

// 2. rollups
// opened as the CLI opens a store (published aggregates such as WLD kept apart by the product rollup)
const openOptions = (rollups: boolean | undefined): DuckDbStoreOptions =>
  ({
    memoryLimit: args.memoryLimit,
    rollupMemoryLimit: args.rollupMemoryLimit,
    aggregatePartners: aggregateAreaCodes(),
    ...(rollups === undefined ? {} : { rollups }),
  }) as DuckDbStoreOptions;
let store = await DuckDbStore.open(cubePath, openOptions(undefined));
// the rollup API: rebuildRollups() (as first planned) or refreshRollups() (rebuilds the stale ones)
const rollupApi = store as unknown as {
  rebuildRollups?: () => Promise<unknown>;
  refreshRollups?: () => Promise<unknown>;
};
const rebuildName =
  typeof rollupApi.rebuildRollups === 'function'
    ? 'rebuildRollups'
    : typeof rollupApi.refreshRollups === 'function'
      ? 'refreshRollups'
      : null;
const hasRollups = rebuildName !== null;
let rollupRebuild: { method: string; seconds: number; result?: unknown } | null = null;
if (rebuildName && args.rebuildRollups) {
  process.stderr.write(`${rebuildName}() …\n`);
  const t0 = performance.now();
  const r = await (rebuildName === 'rebuildRollups' ? rollupApi.rebuildRollups!() : rollupApi.refreshRollups!());
  rollupRebuild = {
    method: `store.${rebuildName}()`,
    seconds: round((performance.now() - t0) / 1000, 2),
    ...(r !== undefined ? { result: r } : {}),
  };
  process.stderr.write(`  ${rollupRebuild.seconds} s ${JSON.stringify(r)}\n`);
}
const duckdbVersion = String((await store.sql('SELECT version() AS v'))[0]?.v);
const factRows = Number((await store.sql('SELECT count(*) AS n FROM facts'))[0]?.n);

// 3. phases
const rssBefore = peakRssBytes();
process.stderr.write(
  hasRollups
    ? 'phase A: rollups on (the default)\n'
    : 'phase A: this build has no rollups (no store.rebuildRollups()): the store as it is\n',
);
const phaseA = await runPhase('A', store, headlines, args.repeat);
const rssA = peakRssBytes();
await store.close();
let phaseB: Record<string, PhaseQuery> | null = null;
let rssB: number | null = null;
if (hasRollups) {
  process.stderr.write('phase B: { rollups: false }\n');
  store = await DuckDbStore.open(cubePath, openOptions(false));
  phaseB = await runPhase('B', store, headlines, args.repeat);
  rssB = peakRssBytes();
  await store.close();
}

// 4. ratios, goals, results
const perQuery = headlines.map((h) => {
  const a = phaseA[h.id]!;
  const b = phaseB?.[h.id];
  const withRollups = hasRollups ? a : null;
  const without = hasRollups ? b! : a;
  const speedup = withRollups ? round(withRollups.handSql.medianMs / withRollups.tradescope.medianMs, 2) : null;
  const slowdown = round(without.tradescope.medianMs / without.handSql.medianMs, 2);
  return {
    id: h.id,
    title: h.title,
    spec: h.spec,
    handSql: h.sql.replace(/\s+/g, ' ').trim(),
    ...(h.note ? { note: h.note } : {}),
    withRollups,
    withoutRollups: without,
    speedupHandOverRollups: speedup,
    slowdownNoRollupsOverHand: slowdown,
    goals: {
      speedup: speedup === null ? null : speedup >= GOAL_SPEEDUP,
      slowdown: slowdown <= GOAL_SLOWDOWN,
      sameNumbers: a.mismatches.length === 0 && (b ? b.mismatches.length === 0 : true),
    },
  };
});

const gitCommit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryBytes: totalmem(),
  node: process.version,
  duckdb: duckdbVersion,
};
const pass = perQuery.every((q) => q.goals.sameNumbers && q.goals.slowdown && q.goals.speedup !== false) && hasRollups;
const result = {
  benchmark: 'query-headlines',
  date: new Date().toISOString(),
  commit: gitCommit,
  machine,
  args,
  cube: {
    path: cubePath.slice(root.length + 1),
    params,
    factRows,
    bytes: statSync(cubePath).size,
    meta: cubeMeta,
    build,
  },
  rollups: hasRollups
    ? { available: true, rebuild: rollupRebuild }
    : { available: false, note: 'no store.rebuildRollups(): phase A ran the store as it is (no rollups); no phase B' },
  memoryLimit: args.memoryLimit,
  method:
    `median of ${args.repeat} runs after 1 warm-up, tradescope and hand-written SQL alternating, same process and ` +
    'DuckDB instance; wall time of query(store, spec) / store.sql(sql) including the rows brought to JS',
  goals: { speedupHandOverRollups: `>= ${GOAL_SPEEDUP}`, slowdownNoRollupsOverHand: `<= ${GOAL_SLOWDOWN}` },
  peakRssBytes: { beforeQueries: rssBefore, afterPhaseA: rssA, afterPhaseB: rssB },
  queries: perQuery,
  pass,
};

const fmtMs = (x: number | undefined) =>
  x === undefined ? '' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
process.stdout.write(
  `\nquery-headlines: ${factRows.toLocaleString('en')} fact rows, median of ${args.repeat}, memory_limit ${args.memoryLimit}, ` +
    `${machine.cpus} CPUs, node ${machine.node}, DuckDB ${duckdbVersion}${hasRollups ? '' : ' (no rollups in this build)'}\n`,
);
for (const q of perQuery) {
  process.stdout.write(
    `${q.id}  with rollups ${fmtMs(q.withRollups?.tradescope.medianMs) || 'n/a'} (hand ${fmtMs(q.withRollups?.handSql.medianMs) || 'n/a'}, ×${q.speedupHandOverRollups ?? 'n/a'})  ` +
      `without ${fmtMs(q.withoutRollups.tradescope.medianMs)} (hand ${fmtMs(q.withoutRollups.handSql.medianMs)}, ×${q.slowdownNoRollupsOverHand})  ` +
      `${q.goals.sameNumbers ? 'same numbers' : 'MISMATCH'}\n`,
  );
}
process.stdout.write(`peak RSS ${mib(rssB ?? rssA)}\n`);

if (args.write) {
  const jsonPath = join(resultsDir, 'query-headlines.json');
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${jsonPath.slice(root.length + 1)}\n`);
  const readmePath = join(root, 'bench', 'README.md');
  const START = '<!-- results:query-headlines:start -->';
  const END = '<!-- results:query-headlines:end -->';
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a >= 0 && b > a) {
    const cell = (x: number | undefined) => (x === undefined ? 'n/a' : fmtMs(x));
    const verdict = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'pass' : '**FAIL**');
    const md = [
      `Latest run: ${result.date.slice(0, 10)}, commit ${gitCommit}; cube of ${factRows.toLocaleString('en')} fact rows ` +
        `(${mib(result.cube.bytes)} file), DuckDB memory_limit ${args.memoryLimit}, median of ${args.repeat} after a warm-up; ` +
        `${machine.cpus} × ${machine.cpuModel}, ${(machine.memoryBytes / 1024 ** 3).toFixed(0)} GiB, node ${machine.node}, DuckDB ${duckdbVersion}.` +
        (hasRollups
          ? ` Rollups ${rollupRebuild ? `built with ${rollupRebuild.method} in ${rollupRebuild.seconds} s` : 'not rebuilt in this run (--no-rebuild-rollups)'}.`
          : ' **This build has no rollups**: the "without rollups" column is the store as it is; the "with rollups" column is not measured.'),
      '',
      '| query | tradescope, rollups | hand-written SQL | hand / rollups (≥ 10) | tradescope, no rollups | hand-written SQL | no rollups / hand (≤ 1.2) | same numbers |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...perQuery.map(
        (q) =>
          `| ${q.id}: ${q.title} | ${cell(q.withRollups?.tradescope.medianMs)} | ${cell(q.withRollups?.handSql.medianMs)} | ` +
          `${q.speedupHandOverRollups ?? 'n/a'} ${verdict(q.goals.speedup)} | ${cell(q.withoutRollups.tradescope.medianMs)} | ` +
          `${cell(q.withoutRollups.handSql.medianMs)} | ${q.slowdownNoRollupsOverHand} ${verdict(q.goals.slowdown)} | ` +
          `${q.goals.sameNumbers ? 'yes' : '**NO**'} |`,
      ),
      '',
      `Peak RSS of the benchmark process: ${mib(rssB ?? rssA)}. Cube ${build.reused ? 'reused from an earlier run' : `built in ${build.seconds} s (peak RSS ${mib(build.peakRssBytes ?? 0)})`}. ` +
        'Full numbers, specs, SQL and where the engine spends its time: [results/query-headlines.json](results/query-headlines.json).',
    ].join('\n');
    writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${md}\n${readme.slice(b)}`);
    process.stdout.write(`updated ${readmePath.slice(root.length + 1)}\n`);
  }
}
if (!pass) process.exitCode = 1;
