/**
 * Builds a synthetic monthly trade cube directly in a tradescope DuckDB store, in tradescope's own star schema
 * (loads, committed_loads, datasets, areas_dim, products_dim, slices, facts), with SQL only: every row comes from
 * generate_series / range and DuckDB's hash() as a deterministic pseudo-random source (no JS loop over rows).
 * This is a loader for benchmarks, not the product's ingest: `tradescope ingest` of a 100-million-row CSV would
 * take far longer than the queries it is meant to exercise.
 *
 *   node dist/bench/build-cube.js --out bench/work/cube-100000000-s1.duckdb [--rows 100000000] [--seed 1]
 *        [--memory-limit 10GB]
 *
 * The cube: dataset `bench-monthly`, one load (one vintage), 36 months 2023-01 … 2025-12, flows X and M, USD,
 * flag `reported`; 200 partner areas (the 196 countries of data/codes/areas.csv and HKG, MAC, PRI, GRL), the 40
 * largest of them as reporters; the 5,613 HS2022 subheadings (classification H6). Area sizes are Zipf by rank
 * (a fixed ranking of the largest traders, then the rest in hash order) × lognormal noise; product weights
 * lognormal. A (reporter, partner, product, flow) series exists with probability min(1, C · size_r^0.8 ·
 * size_p^0.7 · weight_k) — C solved so that the cube has about --rows rows — and is present in a month with a
 * probability rising with that same score. Values: amplitude (gravity × lognormal σ 2) × seasonal profile ×
 * the series' own yearly growth × monthly lognormal noise, in USD with cents (DECIMAL(38,4) base units); net
 * weight from a per-product unit value, missing for ~3 % of cells. Each reporter's World (`WLD`) rows are the
 * sums of its partner rows per product, flow and month, as reporters publish them: the query engine reads
 * partner WLD for questions without a partner. No all-product (`TOTAL`) rows: totals are sums of HS6 cells.
 *
 * Prints one JSON line (rows, series, seconds, file size) on stdout and writes `<out>.meta.json` last, so a
 * half-built file is never reused.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { repoRoot } from './lib/synth.js';

/** Bumped whenever the cells produced for given parameters change. */
export const CUBE_VERSION = 2;
export const CUBE_DATASET = 'bench-monthly';
export const CUBE_MONTHS = 36;
export const CUBE_START_YEAR = 2023;
export const CUBE_REPORTERS = 40;

/** The largest traders first (roughly by goods trade); every EU27 member is here. */
const RANKED = (
  'CHN USA DEU NLD JPN KOR HKG ITA FRA BEL GBR MEX CAN SGP IND ESP TWN CHE POL VNM RUS AUS BRA THA MYS SAU ARE ' +
  'IRL IDN AUT CZE SWE TUR DNK HUN NOR ZAF PHL ISR CHL SVK ROU PRT FIN ARG KAZ QAT NGA COL GRC EGY PER SVN LTU ' +
  'BGR IRQ KWT UKR NZL BGD PAK HRV MAR DZA LUX EST OMN LVA ECU CYP MLT'
).split(' ');
const EXTRA_TERRITORIES = ['HKG', 'MAC', 'PRI', 'GRL'];

export interface CubeParams {
  version: number;
  rows: number;
  seed: number;
  months: number;
  reporters: number;
}

interface Args {
  out: string;
  rows: number;
  seed: number;
  memoryLimit: string;
}

function fail(msg: string, code = 1): never {
  process.stderr.write(`build-cube: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { out: '', rows: 100_000_000, seed: 1, memoryLimit: '10GB' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const next = () => argv[++i] ?? fail(`${k} needs a value`, 2);
    const num = (): number => {
      const v = Number(next().replace(/_/g, ''));
      if (!Number.isSafeInteger(v) || v <= 0) fail(`${k} needs a positive integer`, 2);
      return v;
    };
    if (k === '--out') a.out = resolve(next());
    else if (k === '--rows') a.rows = num();
    else if (k === '--seed') a.seed = num();
    else if (k === '--memory-limit') a.memoryLimit = next();
    else fail(`unknown argument ${k} (options: --out FILE --rows N --seed N --memory-limit 10GB)`, 2);
  }
  if (!a.out) fail('--out FILE is required', 2);
  return a;
}

/** A uniform double in [0, 1) from DuckDB's hash of the seed and the given SQL expressions. */
function u(seed: number, ...parts: (string | number)[]): string {
  return `((hash(${seed}, ${parts.join(', ')}) >> 11)::DOUBLE / 9007199254740992.0)`;
}

/** A standard normal (Box–Muller) from two hash uniforms. */
function normal(seed: number, ...parts: (string | number)[]): string {
  return `(sqrt(-2 * ln(greatest(${u(seed, ...parts, "'n1'")}, 1e-12))) * cos(2 * pi() * ${u(seed, ...parts, "'n2'")}))`;
}

export function cubeParams(rows: number, seed: number): CubeParams {
  return { version: CUBE_VERSION, rows, seed, months: CUBE_MONTHS, reporters: CUBE_REPORTERS };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const t0 = performance.now();
  const log = (msg: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${msg}\n`);
  for (const f of [args.out, `${args.out}.wal`, `${args.out}.meta.json`]) if (existsSync(f)) rmSync(f);
  const store = await DuckDbStore.open(args.out, { memoryLimit: args.memoryLimit });
  const db = store.db;
  const S = args.seed;
  const areasCsv = join(root, 'data', 'codes', 'areas.csv').replace(/'/g, "''");
  const hsCsv = join(root, 'data', 'hs', 'hs2022.csv').replace(/'/g, "''");

  // areas: 200 partners ranked (the listed traders, then the rest in hash order), sizes Zipf × lognormal
  const ranked = RANKED.map((c, i) => `('${c}', ${i + 1})`).join(', ');
  await db.run(`CREATE TEMP TABLE ranked AS SELECT * FROM (VALUES ${ranked}) v(code, r)`);
  await db.run(
    `CREATE TEMP TABLE area_u AS
     WITH src AS (
       SELECT code FROM read_csv('${areasCsv}', all_varchar = true)
       WHERE kind = 'country' OR code IN (${EXTRA_TERRITORIES.map((c) => `'${c}'`).join(', ')})),
     ordered AS (
       SELECT s.code, row_number() OVER (ORDER BY coalesce(r.r, 100000), hash(${S}, s.code), s.code) AS rank
       FROM src s LEFT JOIN temp.ranked r USING (code))
     SELECT code, rank, pow(rank, -1.05) * exp(0.25 * ${normal(S, 'code', "'size'")}) AS size
     FROM ordered WHERE rank <= 200`,
  );
  const nAreas = Number((await db.one('SELECT count(*) AS n FROM temp.area_u'))?.n);
  if (nAreas !== 200) fail(`expected 200 areas, found ${nAreas}`);
  await db.run(`INSERT INTO areas_dim SELECT row_number() OVER (ORDER BY rank), code FROM temp.area_u ORDER BY rank`);
  await db.run(`INSERT INTO areas_dim VALUES (201, 'WLD'), (202, 'EUU')`);
  await db.run(
    `CREATE TEMP TABLE area AS SELECT a.id, u.code, u.rank, u.size / max(u.size) OVER () AS s
     FROM temp.area_u u JOIN areas_dim a USING (code)`,
  );

  // products: the HS2022 subheadings, lognormal weights (mean 1), a unit value (USD/kg) each
  await db.run(
    `INSERT INTO products_dim
     SELECT row_number() OVER (ORDER BY code), 'H6', code
     FROM read_csv('${hsCsv}', all_varchar = true) WHERE level = '6' ORDER BY code`,
  );
  await db.run(
    `CREATE TEMP TABLE product AS
     WITH w AS (SELECT id, code, exp(1.3 * ${normal(S, 'code', "'w'")}) AS w,
                  greatest(0.05, exp(1.5 + 1.5 * ${normal(S, 'code', "'uv'")})) AS uv FROM products_dim)
     SELECT id, code, w / avg(w) OVER () AS w, uv FROM w`,
  );
  const nProducts = Number((await db.one('SELECT count(*) AS n FROM temp.product'))?.n);

  // (reporter, partner, flow) pairs with their gravity score
  await db.run(
    `CREATE TEMP TABLE pair AS
     SELECT r.id AS r_id, r.rank AS r_rank, p.id AS p_id, f.flow,
       pow(r.s, 0.8) * pow(p.s, 0.7) * (CASE f.flow WHEN 'X' THEN 1.0 ELSE 0.85 END)
         * exp(0.3 * ${normal(S, 'r.code', 'p.code', 'f.flow', "'pair'")}) AS g
     FROM temp.area r CROSS JOIN temp.area p CROSS JOIN (VALUES ('X'), ('M')) f(flow)
     WHERE r.rank <= ${CUBE_REPORTERS} AND p.id <> r.id`,
  );
  // expected rows for a constant C: partner rows Σ π · months · q and World rows Σ months · (1 − Π (1 − π·q)) over
  // (reporter, product, flow), with π = min(1, C·g·w) and q = min(0.97, 0.25 + 0.75·π^0.35); C by bisection
  // (a bisection on the eighth of the products whose hash is 0 mod 8, then secant steps on all of them)
  const expected = async (c: number, sampled: boolean): Promise<number> => {
    const r = await db.one(
      `SELECT (sum(n_p) + sum(n_w)) * ${sampled ? 8 : 1} AS n FROM (
         SELECT sum(pi * q) * ${CUBE_MONTHS} AS n_p, ${CUBE_MONTHS} * (1 - exp(sum(ln(1 - least(0.999999, pi * q))))) AS n_w
         FROM (SELECT p.r_id, p.flow, k.id, pi, least(0.97, 0.25 + 0.75 * pow(pi, 0.35)) AS q
               FROM (SELECT p.r_id, p.flow, k.id, least(1.0, ${c} * p.g * k.w) AS pi
                     FROM temp.pair p CROSS JOIN temp.product k
                     ${sampled ? `WHERE hash(${S}, k.code, 'calib') % 8 = 0` : ''}) p JOIN temp.product k USING (id))
         GROUP BY r_id, id, flow)`,
    );
    return Number(r?.n);
  };
  let lo = 1e-4;
  let hi = 1e3;
  for (let i = 0; i < 40 && hi / lo > 1.001; i++) {
    const mid = Math.sqrt(lo * hi);
    if ((await expected(mid, true)) < args.rows) lo = mid;
    else hi = mid;
  }
  let c0 = Math.sqrt(lo * hi);
  let n0 = await expected(c0, false);
  let c1 = c0 * 1.05;
  let n1 = await expected(c1, false);
  for (let i = 0; i < 4 && Math.abs(n1 / args.rows - 1) > 0.002; i++) {
    const c2 = Math.exp(
      Math.log(c1) +
        ((Math.log(args.rows) - Math.log(n1)) * (Math.log(c1) - Math.log(c0))) / (Math.log(n1) - Math.log(n0)),
    );
    [c0, n0] = [c1, n1];
    c1 = c2;
    n1 = await expected(c1, false);
  }
  const C = c1;
  log(`areas ${nAreas}, products ${nProducts}, pairs ready; C = ${C.toPrecision(6)}`);

  // series: (reporter, partner, product, flow) that trade at all, with amplitude, growth and monthly presence
  await db.run(
    `CREATE TEMP TABLE series AS
     SELECT p.r_id, p.r_rank, p.p_id, k.id AS k_id, p.flow, k.uv,
       least(0.97, 0.25 + 0.75 * pow(least(1.0, ${C} * p.g * k.w), 0.35)) AS q,
       4.0e5 * pow(p.g * k.w, 0.6) * exp(2.0 * ${normal(S, 'p.r_id', 'p.p_id', 'k.id', 'p.flow', "'amp'")}) AS amp,
       greatest(-0.6, 0.04 + 0.12 * ${normal(S, 'p.r_id', 'p.p_id', 'k.id', 'p.flow', "'g'")}) AS growth,
       hash(${S}, p.r_id, p.p_id, k.id, p.flow, 'sid') AS sid
     FROM temp.pair p CROSS JOIN temp.product k
     WHERE ${u(S, 'p.r_id', 'p.p_id', 'k.id', 'p.flow', "'exists'")} < least(1.0, ${C} * p.g * k.w)`,
  );
  const nSeries = Number((await db.one('SELECT count(*) AS n FROM temp.series'))?.n);
  log(`${nSeries.toLocaleString('en')} series`);

  // slices: flow × month; slice ids 1–36 exports, 37–72 imports
  await db.run(
    `CREATE TEMP TABLE month AS
     SELECT i, (${CUBE_START_YEAR} + i // 12) * 100 + i % 12 + 1 AS period, i % 12 + 1 AS moy
     FROM range(${CUBE_MONTHS}) t(i)`,
  );
  await db.run(
    `INSERT INTO slices
     SELECT CASE f.flow WHEN 'X' THEN 1 ELSE ${CUBE_MONTHS + 1} END + m.i, 1, f.flow, m.period, m.period, false,
       '', '', 'USD', 'reported', false, NULL, NULL
     FROM temp.month m CROSS JOIN (VALUES ('X'), ('M')) f(flow) ORDER BY 1`,
  );

  // facts, one reporter at a time (rows clustered by reporter, then partner, product, flow, month)
  const season =
    'CASE m.moy WHEN 1 THEN 0.97 WHEN 2 THEN 0.78 WHEN 3 THEN 1.0 WHEN 4 THEN 0.98 WHEN 5 THEN 1.01 WHEN 6 THEN 1.02 ' +
    'WHEN 7 THEN 1.03 WHEN 8 THEN 1.01 WHEN 9 THEN 1.03 WHEN 10 THEN 0.97 WHEN 11 THEN 1.04 ELSE 1.1 END';
  const reporters = await db.all(`SELECT id, code, rank FROM temp.area WHERE rank <= ${CUBE_REPORTERS} ORDER BY rank`);
  let done = 0;
  for (const r of reporters) {
    const rid = Number(r.id);
    await db.run(
      `INSERT INTO facts
       SELECT 1, CASE s.flow WHEN 'X' THEN 1 ELSE ${CUBE_MONTHS + 1} END + s.i, s.r_id, s.p_id, s.k_id,
         CAST(round(s.v, 2) AS DECIMAL(38,4)),
         CASE WHEN ${u(S, 's.sid', 's.i', "'nw'")} < 0.03 THEN NULL
              ELSE CAST(round(s.v / (s.uv * exp(0.3 * ${normal(S, 's.sid', 's.i', "'uvn'")})), 3) AS DECIMAL(18,3)) END,
         NULL, s.r_rank * 100000000000 + ((s.p_id * 8192 + s.k_id) * 2 + (s.flow = 'M')::INTEGER) * 64 + s.i
       FROM (
         SELECT s.r_id, s.r_rank, s.p_id, s.k_id, s.flow, s.uv, s.sid, m.i,
           least(5.0e10, greatest(1.0, s.amp * (${season}) * pow(1 + s.growth, m.i / 12.0)
             * exp(0.35 * ${normal(S, 's.sid', 'm.i', "'v'")}))) AS v
         FROM temp.series s CROSS JOIN temp.month m
         WHERE s.r_id = ${rid} AND ${u(S, 's.sid', 'm.i', "'on'")} < s.q
       ) s
       ORDER BY s.p_id, s.k_id, s.flow, s.i`,
    );
    // the reporter's World rows: sums over its partners, as published
    await db.run(
      `INSERT INTO facts
       SELECT 1, slice_id, reporter_id, 201, product_id, sum(value), sum(net_weight_kg), NULL,
         ${Number(r.rank)} * 100000000000 + 90000000000 + product_id * 128 + slice_id
       FROM facts WHERE reporter_id = ${rid} AND partner_id <> 201
       GROUP BY slice_id, reporter_id, product_id ORDER BY product_id, slice_id`,
    );
    done++;
    if (done % 5 === 0 || done === reporters.length) log(`reporters ${done}/${reporters.length}`);
  }

  const counts = await db.one(`SELECT count(*) AS n, count(*) FILTER (WHERE partner_id = 201) AS world FROM facts`);
  const nRows = Number(counts?.n);
  await db.run(
    `INSERT INTO datasets VALUES ('${CUBE_DATASET}', 'Synthetic monthly trade cube (benchmark)',
       'tradescope bench/build-cube.ts', 'seeded synthetic data for benchmarks; not real trade', false)`,
  );
  await db.run(
    `INSERT INTO loads VALUES (1, '${CUBE_DATASET}', DATE '2026-01-15', 'benchmark', 'bench/build-cube.ts',
       'cube-v${CUBE_VERSION}-rows${args.rows}-seed${S}', 'bench-sql', NULL, NULL, now(), ${nRows}, ${nRows}, 0, 0)`,
  );
  await db.run('INSERT INTO committed_loads VALUES (1, now())');
  await db.run('CHECKPOINT');
  await store.close();
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    out: args.out,
    params: cubeParams(args.rows, S),
    rows: nRows,
    worldRows: Number(counts?.world),
    partnerRows: nRows - Number(counts?.world),
    series: nSeries,
    areas: nAreas,
    products: nProducts,
    constant: C,
    seconds: Math.round(seconds * 10) / 10,
    bytes: statSync(args.out).size,
  };
  writeFileSync(`${args.out}.meta.json`, `${JSON.stringify(summary, null, 2)}\n`);
  log(`done: ${nRows.toLocaleString('en')} rows`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** The meta of an existing cube file when it was built with these parameters. */
export function reusableCube(path: string, params: CubeParams): Record<string, unknown> | undefined {
  try {
    const meta = JSON.parse(readFileSync(`${path}.meta.json`, 'utf8')) as { params: unknown; bytes: number };
    if (JSON.stringify(meta.params) !== JSON.stringify(params)) return undefined;
    if (!existsSync(path)) return undefined;
    return meta as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && /build-cube\.js$/.test(process.argv[1])) await main();
