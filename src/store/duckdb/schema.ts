/**
 * The canonical cube's tables in DuckDB: a star schema.
 *
 * - `loads`: one row per ingested file (a part of a release = dataset + vintage), with its counts.
 * - `committed_loads`: the visibility table. A read sees a load's rows only when its id is here.
 * - `areas_dim`, `products_dim`: canonical area codes and (classification, product code) pairs with small
 *   integer ids, assigned as new codes arrive.
 * - `slices`: what the cells of a load share — flow, period window, cumulative or not, trade mode, region,
 *   currency, flag, seasonal adjustment, quantity unit, worksheet. A BACI file is one slice per year;
 *   a GAC workbook a few hundred.
 * - `facts`: one row per cell: load, slice, reporter, partner, product, value (exact DECIMAL(38,4) in base
 *   units of the slice's currency), net weight (kg), quantity, source line.
 * - `fact_cells`: the view that joins them back into readable cells; every read goes through it.
 * - `rates`: published growth rates, as published (ratios).
 * - `quarantine`: every rejected record with file line, field, raw value and reason.
 * - `load_codes`: the source codes of each load and the canonical codes they were mapped to.
 * - `datasets`, `precedence`: dataset descriptions and the declared precedence for overlapping datasets.
 *
 * Narrow integer facts keep a 10-million-row load fast; the view keeps reads simple.
 */
/**
 * Version of the tables' layout. 3: totals rollup and coverage records (rollups of stores written before are
 * rebuilt on open, coverage recorded on first use).
 */
export const SCHEMA_VERSION = '3';

export const FLOWS = ['X', 'M', 'RX', 'RM'] as const;
export const FLAGS = ['reported', 'mirror', 'estimated', 'converted', 'derived'] as const;

export const DUCKDB_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS loads (
     load_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, vintage DATE NOT NULL, vintage_source VARCHAR,
     source_file VARCHAR, content_hash VARCHAR, format VARCHAR, mapping VARCHAR, encoding VARCHAR,
     started_at TIMESTAMP, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, blank_lines BIGINT)`,
  `CREATE TABLE IF NOT EXISTS committed_loads (load_id INTEGER PRIMARY KEY, committed_at TIMESTAMP)`,
  // the hash of a load's file bytes, when its identity (content_hash) also covers the mapping it was read with
  `CREATE TABLE IF NOT EXISTS load_files (load_id INTEGER PRIMARY KEY, file_hash VARCHAR)`,
  // loads taken out of committed_loads because the same file was loaded again read another way (a fixed mapping)
  `CREATE TABLE IF NOT EXISTS superseded_loads (load_id INTEGER PRIMARY KEY, by_load INTEGER, superseded_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS datasets (
     dataset VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, notes VARCHAR, seasonally_adjusted BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS precedence (rank INTEGER, dataset VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS areas_dim (id INTEGER PRIMARY KEY, code VARCHAR UNIQUE)`,
  `CREATE TABLE IF NOT EXISTS products_dim (id INTEGER PRIMARY KEY, classification VARCHAR, code VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS slices (
     slice_id INTEGER PRIMARY KEY, load_id INTEGER, flow VARCHAR, period_start INTEGER, period_end INTEGER,
     cumulative BOOLEAN, trade_mode VARCHAR, region VARCHAR, currency VARCHAR, flag VARCHAR,
     seasonally_adjusted BOOLEAN, quantity_unit VARCHAR, sheet VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS facts (
     load_id INTEGER, slice_id INTEGER, reporter_id INTEGER, partner_id INTEGER, product_id INTEGER,
     value DECIMAL(38,4), net_weight_kg DECIMAL(18,3), quantity DECIMAL(18,3), source_line BIGINT)`,
  `CREATE OR REPLACE VIEW fact_cells AS
     SELECT f.load_id, r.code AS reporter, p.code AS partner, s.flow, pd.classification, pd.code AS product,
       s.period_start, s.period_end, s.cumulative, s.trade_mode, s.region, f.value, s.currency,
       f.net_weight_kg, f.quantity, s.quantity_unit, s.flag, s.seasonally_adjusted, f.source_line, s.sheet
     FROM facts f
     JOIN slices s ON s.slice_id = f.slice_id
     JOIN areas_dim r ON r.id = f.reporter_id
     JOIN areas_dim p ON p.id = f.partner_id
     JOIN products_dim pd ON pd.id = f.product_id`,
  `CREATE TABLE IF NOT EXISTS rates (
     load_id INTEGER, reporter VARCHAR, partner VARCHAR, flow VARCHAR, classification VARCHAR, product VARCHAR,
     period_start INTEGER, period_end INTEGER, cumulative BOOLEAN,
     trade_mode VARCHAR, region VARCHAR, rate DECIMAL(38,18), note VARCHAR, source_line BIGINT, sheet VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS quarantine (
     load_id INTEGER, line BIGINT, sheet VARCHAR, field VARCHAR, raw_value VARCHAR, code VARCHAR,
     reason VARCHAR, raw_line VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS load_codes (load_id INTEGER, scheme VARCHAR, raw VARCHAR, code VARCHAR)`,
  // rollup: the latest cells of each dataset summed to HS chapters (or TOTAL), by reporter, partner, flow and window
  `CREATE TABLE IF NOT EXISTS rollup_hs2 (
     dataset VARCHAR, reporter VARCHAR, partner VARCHAR, flow VARCHAR, product VARCHAR,
     period_start INTEGER, period_end INTEGER, cumulative BOOLEAN, trade_mode VARCHAR, region VARCHAR, currency VARCHAR,
     value DECIMAL(38,4), cells BIGINT, net_weight_kg DECIMAL(38,3), weight_value DECIMAL(38,4),
     quantity DECIMAL(38,3), quantity_value DECIMAL(38,4), quantity_unit VARCHAR)`,
  // rollup: the latest cells summed over partner countries (partner '*'; published aggregates kept apart), by product
  `CREATE TABLE IF NOT EXISTS rollup_product (
     dataset VARCHAR, reporter VARCHAR, partner VARCHAR, flow VARCHAR, product VARCHAR,
     period_start INTEGER, period_end INTEGER, cumulative BOOLEAN, trade_mode VARCHAR, region VARCHAR, currency VARCHAR,
     value DECIMAL(38,4), cells BIGINT, net_weight_kg DECIMAL(38,3), weight_value DECIMAL(38,4),
     quantity DECIMAL(38,3), quantity_value DECIMAL(38,4), quantity_unit VARCHAR)`,
  // rollup: the latest cells summed over products (product 'TOTAL' for published totals, '*' for the sum of the
  // detailed products), by reporter, partner, flow and window — what totals by partner and partner groups read
  `CREATE TABLE IF NOT EXISTS rollup_total (
     dataset VARCHAR, reporter VARCHAR, partner VARCHAR, flow VARCHAR, product VARCHAR,
     period_start INTEGER, period_end INTEGER, cumulative BOOLEAN, trade_mode VARCHAR, region VARCHAR, currency VARCHAR,
     value DECIMAL(38,4), cells BIGINT, net_weight_kg DECIMAL(38,3), weight_value DECIMAL(38,4),
     quantity DECIMAL(38,3), quantity_value DECIMAL(38,4), quantity_unit VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS rollup_state (dataset VARCHAR PRIMARY KEY, built_after_load INTEGER, built_at TIMESTAMP)`,
  // coverage: what each load holds, per slice (flow, window, region, trade mode, currency), reporter and partner,
  // with and without all-product totals; and which products it holds over which months. Written with the load
  // (loads never change), read to decide which dataset answers a query without scanning the facts.
  `CREATE TABLE IF NOT EXISTS cell_coverage (
     load_id INTEGER, slice_id INTEGER, reporter_id INTEGER, partner_id INTEGER, total BOOLEAN, cells BIGINT)`,
  `CREATE TABLE IF NOT EXISTS product_coverage (
     load_id INTEGER, product_id INTEGER, period_start INTEGER, period_end INTEGER)`,
  `CREATE TABLE IF NOT EXISTS coverage_loads (load_id INTEGER PRIMARY KEY)`,
];

/** The statements that record a load's coverage (bound value $1: the load id). */
export const COVERAGE_SQL: readonly string[] = [
  `INSERT INTO cell_coverage
     SELECT f.load_id, f.slice_id, f.reporter_id, f.partner_id,
       f.product_id IN (SELECT id FROM products_dim WHERE code = 'TOTAL') AS total, count(*)
     FROM facts f WHERE f.load_id = $1 GROUP BY ALL`,
  `INSERT INTO product_coverage
     SELECT f.load_id, f.product_id, min(s.period_start), max(s.period_end)
     FROM facts f JOIN slices s ON s.slice_id = f.slice_id WHERE f.load_id = $1 GROUP BY ALL`,
  `INSERT OR IGNORE INTO coverage_loads VALUES ($1)`,
];

/** Columns of `fact_cells` that identify a cell (with the dataset): a newer vintage replaces the same key. */
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
