/**
 * tradescope's tables in ClickHouse, for one node or for a cluster.
 *
 * ClickHouse reads wide rows fastest, so the cube is denormalized: `facts` carries each cell's codes, its
 * load's dataset, vintage and file, the value as `Decimal128(4)` (base units, exactly like DuckDB's
 * DECIMAL(38,4)) and net weight / quantity as `Decimal128(3)`. It is a MergeTree ordered for the query
 * patterns (dataset, reporter, flow, months, partner, product) and partitioned by year.
 *
 * Loads become visible through `committed_loads`, which every read filters on: a load writes `load_starts`
 * (reserving its id), its facts, rates, quarantine and codes in batches, its `loads` record, and finally one
 * row in `committed_loads`. A load that stops half-way leaves rows no read can see; they are removed later
 * ({@link cleanupSql}).
 *
 * On a cluster every table is `<name>_local` (MergeTree) on each shard, with `<name>` a `Distributed` table over
 * them: facts are spread by `cityHash64(reporter, partner, product)`, so every version of a cell lives on one
 * shard; small tables by `load_id` or at random. Reads and writes always name the `Distributed` table.
 *
 * Written for ClickHouse 18.16 (Debian's package) and valid on current releases.
 */
import { identifier } from './binder.js';

export const CLICKHOUSE_SCHEMA_VERSION = '1';

interface TableDef {
  name: string;
  columns: string;
  /** MergeTree clauses after `ENGINE = MergeTree`. */
  engine: string;
  /** Sharding key of the Distributed table. */
  shardKey: string;
}

export const TABLES: readonly TableDef[] = [
  {
    name: 'meta',
    columns: 'key String, value String',
    engine: 'ORDER BY key',
    shardKey: 'rand()',
  },
  {
    name: 'load_starts',
    columns: 'load_id UInt32, dataset String, started_at DateTime',
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    // claims of load ids by writers (see load-id.ts): an id is a writer's once its claim is the first
    name: 'load_claims',
    columns: 'load_id UInt32, token String, claimed_at DateTime',
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    name: 'removed_loads',
    columns: 'load_id UInt32, removed_at DateTime',
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    name: 'loads',
    columns: `load_id UInt32, dataset String, vintage Date, vintage_source String, source_file String,
      content_hash String, format String, mapping Nullable(String), encoding Nullable(String), started_at DateTime,
      rows_read UInt64, rows_loaded UInt64, rows_quarantined UInt64, blank_lines UInt64,
      flags Array(String), classifications Array(String)`,
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    name: 'committed_loads',
    columns: 'load_id UInt32, committed_at DateTime',
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    name: 'datasets',
    columns: `dataset String, name Nullable(String), source Nullable(String), notes Nullable(String),
      seasonally_adjusted UInt8, added_at DateTime, load_id UInt32`,
    engine: 'ORDER BY dataset',
    shardKey: 'rand()',
  },
  {
    name: 'precedence',
    columns: 'version UInt64, rank UInt32, dataset String',
    engine: 'ORDER BY (version, rank)',
    shardKey: 'rand()',
  },
  {
    name: 'facts',
    columns: `load_id UInt32, dataset String, vintage Date, source_file String,
      reporter String, partner String, flow String, classification String, product String,
      period_start UInt32, period_end UInt32, cumulative UInt8, trade_mode String, region String, currency String,
      value Decimal128(4), net_weight_kg Nullable(Decimal128(3)), quantity Nullable(Decimal128(3)),
      quantity_unit Nullable(String), flag String, seasonally_adjusted UInt8,
      source_line Nullable(Int64), sheet Nullable(String)`,
    engine:
      'PARTITION BY intDiv(period_start, 100) ORDER BY (dataset, reporter, flow, period_start, period_end, partner, product)',
    shardKey: 'cityHash64(reporter, partner, product)',
  },
  {
    // how many cells each load has per reporter, partner, flow, window … (all products together, TOTAL apart):
    // answers datasetsCovering() without reading facts
    name: 'coverage',
    columns: `load_id UInt32, dataset String, vintage Date, reporter String, partner String, flow String,
      classification String, period_start UInt32, period_end UInt32, cumulative UInt8, trade_mode String,
      region String, currency String, total UInt8, cells UInt64`,
    engine: 'ORDER BY (dataset, reporter, partner, flow, period_start, period_end)',
    shardKey: 'cityHash64(reporter, partner)',
  },
  {
    name: 'rates',
    columns: `load_id UInt32, dataset String, vintage Date, reporter String, partner String, flow String,
      classification String, product String, period_start UInt32, period_end UInt32, cumulative UInt8,
      trade_mode String, region String, rate Decimal128(18), note Nullable(String), source_line Nullable(Int64),
      sheet Nullable(String)`,
    engine: 'ORDER BY (dataset, reporter, flow, period_start, period_end, partner, product)',
    shardKey: 'cityHash64(reporter, partner, product)',
  },
  {
    name: 'quarantine',
    columns: `load_id UInt32, dataset String, vintage Date, source_file String, line Nullable(Int64),
      sheet Nullable(String), field Nullable(String), raw_value Nullable(String), code String, reason String,
      raw_line Nullable(String)`,
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
  {
    name: 'load_codes',
    columns: 'load_id UInt32, scheme String, raw String, code Nullable(String)',
    engine: 'ORDER BY load_id',
    shardKey: 'load_id',
  },
];

/** Tables whose rows belong to a load (removed when a load never committed). */
export const LOAD_TABLES = ['facts', 'coverage', 'rates', 'quarantine', 'load_codes', 'loads', 'datasets'] as const;

export interface SchemaTarget {
  database: string;
  /** Cluster name: local + Distributed tables. */
  cluster?: string;
  /** Emit `ON CLUSTER` (distributed DDL) instead of running the statements on each shard. */
  onCluster?: boolean;
}

/** The DDL statements, in order, for one node (or for each shard of a cluster). */
export function schemaDdl(target: SchemaTarget): string[] {
  const db = identifier(target.database, 'database name');
  const cluster = target.cluster ? identifier(target.cluster, 'cluster name') : undefined;
  const on = cluster && target.onCluster ? ` ON CLUSTER ${cluster}` : '';
  const out = [`CREATE DATABASE IF NOT EXISTS ${db}${on}`];
  for (const t of TABLES) {
    const local = cluster ? `${t.name}_local` : t.name;
    out.push(`CREATE TABLE IF NOT EXISTS ${db}.${local}${on} (${t.columns}) ENGINE = MergeTree ${t.engine}`);
    if (cluster) {
      out.push(
        `CREATE TABLE IF NOT EXISTS ${db}.${t.name}${on} AS ${db}.${local}
         ENGINE = Distributed(${cluster}, ${db}, ${local}, ${t.shardKey})`,
      );
    }
  }
  return out;
}

/** `ALTER … DELETE` statements removing the rows of loads that never committed (one node or each shard). */
export function cleanupSql(target: SchemaTarget, loadIds: readonly number[]): string[] {
  if (!loadIds.length) return [];
  const db = identifier(target.database, 'database name');
  const ids = loadIds.map((id) => {
    if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`invalid load id ${id}`);
    return String(id);
  });
  const on = target.cluster && target.onCluster ? ` ON CLUSTER ${identifier(target.cluster, 'cluster name')}` : '';
  // load_starts keeps the ids: a removed load's id is never given again (its deletion may still be running)
  return LOAD_TABLES.map(
    (t) => `ALTER TABLE ${db}.${target.cluster ? `${t}_local` : t}${on} DELETE WHERE load_id IN (${ids.join(', ')})`,
  );
}

/** The INSERT that writes a load's coverage records from its facts (run after the facts, before the commit). */
export function coverageInsertSql(loadId: number): string {
  if (!Number.isSafeInteger(loadId) || loadId < 0) throw new TypeError(`invalid load id ${loadId}`);
  const key = `load_id, dataset, vintage, reporter, partner, flow, classification, period_start, period_end, cumulative,
    trade_mode, region, currency`;
  return `INSERT INTO coverage (${key}, total, cells)
    SELECT ${key}, product = 'TOTAL' AS total, count() AS cells FROM facts WHERE load_id = ${loadId}
    GROUP BY ${key}, total`;
}
