/**
 * The canonical cube's tables in DuckDB.
 *
 * - `loads`: one row per ingested file (a part of a release = dataset + vintage), with its counts.
 * - `committed_loads`: the visibility table. A read sees a load's rows only when its id is here.
 * - `facts`: one row per cell value. Money in base units of `currency` (DECIMAL(38,4)), weight in kg.
 *   `cumulative` rows are published year-to-date figures (period `ytd:YYYY-MM`).
 * - `rates`: published growth rates, as published (ratios).
 * - `quarantine`: every rejected record with file line, field, raw value and reason.
 * - `datasets`, `precedence`: dataset descriptions and the declared precedence for overlapping datasets.
 */
export const SCHEMA_VERSION = '1';

export const DUCKDB_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS loads (
     load_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, vintage DATE NOT NULL, vintage_source VARCHAR,
     source_file VARCHAR, content_hash VARCHAR, format VARCHAR, mapping VARCHAR, encoding VARCHAR,
     started_at TIMESTAMP, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, blank_lines BIGINT)`,
  `CREATE TABLE IF NOT EXISTS committed_loads (load_id INTEGER PRIMARY KEY, committed_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS datasets (
     dataset VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, notes VARCHAR, seasonally_adjusted BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS precedence (rank INTEGER, dataset VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS facts (
     load_id INTEGER, reporter VARCHAR, partner VARCHAR, flow VARCHAR, classification VARCHAR, product VARCHAR,
     period VARCHAR, period_start INTEGER, period_end INTEGER, cumulative BOOLEAN,
     trade_mode VARCHAR, region VARCHAR,
     value DECIMAL(38,4), currency VARCHAR, net_weight_kg DECIMAL(38,4), quantity DECIMAL(38,4), quantity_unit VARCHAR,
     flag VARCHAR, seasonally_adjusted BOOLEAN, reporter_src VARCHAR, partner_src VARCHAR,
     source_line BIGINT, sheet VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS rates (
     load_id INTEGER, reporter VARCHAR, partner VARCHAR, flow VARCHAR, classification VARCHAR, product VARCHAR,
     period VARCHAR, period_start INTEGER, period_end INTEGER, cumulative BOOLEAN,
     trade_mode VARCHAR, region VARCHAR, rate DECIMAL(38,18), note VARCHAR, source_line BIGINT, sheet VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS quarantine (
     load_id INTEGER, line BIGINT, sheet VARCHAR, field VARCHAR, raw_value VARCHAR, code VARCHAR,
     reason VARCHAR, raw_line VARCHAR)`,
];

/** Columns that identify a cell (with the dataset): a newer vintage replaces the value of the same key. */
export const CELL_KEY = [
  'reporter',
  'partner',
  'flow',
  'classification',
  'product',
  'period_start',
  'period_end',
  'cumulative',
  'trade_mode',
  'region',
  'currency',
  'seasonally_adjusted',
] as const;
