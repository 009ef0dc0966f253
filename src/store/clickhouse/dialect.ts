/**
 * The ClickHouse dialect: the SQL of every store read, compiled from the same typed requests the DuckDB store
 * answers (cell filters, aggregate requests), for ClickHouse 18.16 and later.
 *
 * What differs from the DuckDB SQL, and why:
 * - no window functions in 18.16: the latest version of each cell is `argMax(tuple(…), (vintage, load_id,
 *   source_line))` grouped by the cell key, instead of `row_number() OVER (…)`;
 * - no `FILTER (WHERE …)`: `sumIf`, `countIf`, `uniqExactIf`; `sumIf` over no rows is 0, so sums are
 *   `NULL` unless their count is positive, as in DuckDB;
 * - no `VALUES` table: a query's windows are an `ARRAY JOIN` of `(id, start, end)` tuples;
 * - no joins at all: `facts` carries its load's dataset, vintage and file; visibility is
 *   `load_id GLOBAL IN (SELECT load_id FROM committed_loads)`, which also works over `Distributed` tables;
 * - `toString(Decimal128)` is wrong above 2^64 in 18.16, so decimals are never cast to text in SQL: they are
 *   read from the TabSeparated output, which prints them exactly.
 *
 * Every value goes through a {@link Binder}; table and column names are fixed text in this file.
 *
 * @example
 *   const b = new Binder('literal');
 *   cellsSql({ reporters: ['CHN'], partners: ['WLD'] }, b) // SELECT … FROM (SELECT … argMax(…) … GROUP BY …) ORDER BY …
 */

import { CELL_KEY } from '../duckdb/schema.js';
import type { AggregateDimension, AggregateRequest, CellFilter } from '../store.js';
import type { Binder } from './binder.js';

/** The cell key (with the dataset): a newer vintage replaces the same key — one definition for both engines. */
export { CELL_KEY };

/** Columns of a latest-cells row besides the key, in tuple order. */
const CELL_VALUES = [
  'load_id',
  'vintage',
  'source_file',
  'value',
  'net_weight_kg',
  'quantity',
  'quantity_unit',
  'flag',
  'source_line',
  'sheet',
] as const;

export const COMMITTED = 'load_id GLOBAL IN (SELECT load_id FROM committed_loads)';

/** WHERE clause over `facts` (or `rates`) for a filter: committed loads only, values bound. */
export function filterSql(filter: CellFilter, b: Binder): string {
  const where: string[] = [COMMITTED];
  const inList = (col: string, list: readonly string[] | undefined) => {
    if (!list) return;
    where.push(list.length ? `${col} IN (${b.strs(list)})` : '0');
  };
  inList('dataset', filter.datasets);
  inList('reporter', filter.reporters);
  if (filter.partnerIntervals) {
    const alts: string[] = [];
    if (filter.partners?.length) alts.push(`partner IN (${b.strs(filter.partners)})`);
    for (const p of filter.partnerIntervals) {
      alts.push(
        `(partner = ${b.str(p.partner)} AND period_start >= ${b.int(p.start)} AND period_end <= ${b.int(p.end)})`,
      );
    }
    where.push(alts.length ? `(${alts.join(' OR ')})` : '0');
  } else inList('partner', filter.partners);
  if (filter.excludePartners?.length) where.push(`partner NOT IN (${b.strs(filter.excludePartners)})`);
  inList('flow', filter.flows);
  inList('classification', filter.classifications);
  inList('product', filter.products);
  if (filter.productPrefixes) {
    const alts = filter.productPrefixes.map((p) => `startsWith(product, ${b.str(p)})`);
    where.push(alts.length ? `(${alts.join(' OR ')})` : '0');
  }
  inList('region', filter.regions);
  inList('trade_mode', filter.tradeModes);
  inList('currency', filter.currencies);
  const windows: string[] = [];
  for (const w of filter.windows ?? []) {
    let cond = `(period_start = ${b.int(w.start)} AND period_end = ${b.int(w.end)}`;
    if (w.cumulative !== undefined) cond += ` AND cumulative = ${b.bool(w.cumulative)}`;
    windows.push(`${cond})`);
  }
  if (filter.monthsWithin) {
    windows.push(
      `(period_start = period_end AND cumulative = 0 AND period_start >= ${b.int(filter.monthsWithin.start)} AND period_start <= ${b.int(filter.monthsWithin.end)})`,
    );
  }
  if (filter.windows || filter.monthsWithin) where.push(windows.length ? `(${windows.join(' OR ')})` : '0');
  if (filter.within) {
    where.push(`period_start >= ${b.int(filter.within.start)} AND period_end <= ${b.int(filter.within.end)}`);
  }
  if (filter.overlapping) {
    where.push(`period_start <= ${b.int(filter.overlapping.end)} AND period_end >= ${b.int(filter.overlapping.start)}`);
  }
  if (filter.asOf) where.push(`vintage <= ${b.date(filter.asOf)}`);
  if (filter.vintage) where.push(`vintage = ${b.date(filter.vintage)}`);
  return where.join(' AND ');
}

/** Every column of a latest-cells row, in this order. */
export const CELL_COLUMNS = ['dataset', ...CELL_KEY, ...CELL_VALUES] as const;

/**
 * The latest visible version of each matching cell, one row per dataset and cell key. With `singleLoad`
 * (every dataset read has one committed load, no as-of reading) each cell is already the latest.
 */
export function latestCellsSql(filter: CellFilter, b: Binder, singleLoad = false): string {
  const where = filterSql(filter, b);
  if (singleLoad) return `SELECT ${CELL_COLUMNS.join(', ')} FROM facts WHERE ${where}`;
  const key = ['dataset', ...CELL_KEY];
  // 18.16 crashes shipping argMax states of tuples with Nullable members between shards: nullable columns
  // travel as (value or a default, is-null flag) pairs and are rebuilt outside
  const members: string[] = [];
  const pick: string[] = [];
  for (const c of CELL_VALUES) {
    const nullDefault = NULLABLE[c];
    if (nullDefault === undefined) {
      members.push(c);
      pick.push(`t.${members.length} AS ${c}`);
    } else {
      members.push(`ifNull(${c}, ${nullDefault})`, `isNull(${c})`);
      pick.push(`if(t.${members.length} = 1, NULL, t.${members.length - 1}) AS ${c}`);
    }
  }
  return `SELECT ${key.join(', ')}, ${pick.join(', ')} FROM (
    SELECT ${key.join(', ')},
      argMax(tuple(${members.join(', ')}), tuple(vintage, load_id, ifNull(source_line, -1))) AS t
    FROM facts WHERE ${where}
    GROUP BY ${key.join(', ')})`;
}

/** Nullable columns of `facts` and the default that stands in for NULL inside aggregate states. */
const NULLABLE: Record<string, string | undefined> = {
  net_weight_kg: 'toDecimal128(0, 3)',
  quantity: 'toDecimal128(0, 3)',
  quantity_unit: "''",
  source_line: 'toInt64(0)',
  sheet: "''",
};

/** `cells()`: latest cells, ordered like the DuckDB store. */
export function cellsSql(filter: CellFilter, b: Binder): string {
  return `SELECT ${CELL_COLUMNS.join(', ')} FROM (${latestCellsSql(filter, b)})
    ORDER BY dataset, reporter, partner, flow, product, region, period_start, period_end, cumulative`;
}

/** `sumCells()`: latest cells summed over partners and products. */
export function sumCellsSql(filter: CellFilter, b: Binder): string {
  return `SELECT dataset, max(vintage) AS vintage_max, reporter, flow, period_start, period_end, cumulative,
      trade_mode, region, currency, max(seasonally_adjusted) AS sa, sum(value) AS value_sum, count() AS cells,
      arrayStringConcat(arraySort(groupUniqArray(flag)), ',') AS flags,
      arrayStringConcat(arraySort(groupUniqArray(source_file)), ', ') AS files
    FROM (${latestCellsSql(filter, b)})
    GROUP BY dataset, reporter, flow, period_start, period_end, cumulative, trade_mode, region, currency
    ORDER BY dataset, reporter, flow, region, period_start, period_end, cumulative`;
}

/**
 * `aggregate()`: sums per group and window; columns window_id, currency, k0…, then the sums. A window reads the
 * cells of its single months, of Jan+Feb combined (when it spans both) and of exactly itself — the cells that
 * can contribute — so `cells` counts exactly those.
 */
export function aggregateSql(request: AggregateRequest, b: Binder, singleLoad: boolean): string {
  const filter: CellFilter = {
    ...request.filter,
    within: {
      start: Math.min(...request.windows.map((w) => w.start)),
      end: Math.max(...request.windows.map((w) => w.end)),
    },
  };
  const latest = latestCellsSql(filter, b, singleLoad);
  const windows = request.windows.map((w) => `(${b.str(w.id)}, toInt64(${b.int(w.start)}), toInt64(${b.int(w.end)}))`);
  const digits = Math.max(1, Math.min(12, Math.trunc(request.productDigits ?? 6)));
  const keyExpr: Record<AggregateDimension, string> = {
    reporter: 'reporter',
    partner: 'partner',
    flow: 'flow',
    product: `if(product = 'TOTAL', 'TOTAL', substring(product, 1, ${digits}))`,
    region: 'region',
    tradeMode: 'trade_mode',
  };
  const keys = request.groupBy.map((d, i) => `${keyExpr[d]} AS k${i}`);
  const groupCols = ['window_id', 'currency', ...request.groupBy.map((_, i) => `k${i}`)];
  const inMonth = '(cumulative = 0 AND period_start = period_end)';
  const janFeb = '(cumulative = 0 AND period_start % 100 = 1 AND period_end = period_start + 1)';
  const exactW = '(period_start = w.2 AND period_end = w.3)';
  const cum = `cumulative = 1 AND ${exactW}`;
  const exact = `cumulative = 0 AND ${exactW} AND period_start != period_end`;
  const months = `${inMonth} OR (${janFeb} AND w.2 != w.3)`;
  const weightCond = `ifNull(net_weight_kg, toDecimal128(0, 3)) != 0 AND (${inMonth} OR ${exactW})`;
  const qtyCond = `ifNull(quantity, toDecimal128(0, 3)) != 0 AND (${inMonth} OR ${exactW})`;
  const nullableSum = (expr: string, cond: string) => `if(countIf(${cond}) = 0, NULL, sumIf(${expr}, ${cond}))`;
  return `SELECT w.1 AS window_id, currency${keys.length ? `, ${keys.join(', ')}` : ''},
      ${nullableSum('value', cum)} AS cum,
      countIf(${cum}) AS cum_cells,
      ${nullableSum('value', exact)} AS exact,
      countIf(${exact}) AS exact_cells,
      ${nullableSum('value', months)} AS months,
      uniqExactIf(period_start, ${inMonth}) + 2 * uniqExactIf(period_start, ${janFeb} AND w.2 != w.3) AS months_found,
      count() AS cells,
      ${nullableSum('ifNull(net_weight_kg, toDecimal128(0, 3))', weightCond)} AS weight,
      ${nullableSum('value', weightCond)} AS weight_value,
      ${nullableSum('ifNull(quantity, toDecimal128(0, 3))', qtyCond)} AS qty,
      ${nullableSum('value', qtyCond)} AS qty_value,
      arrayStringConcat(arraySort(groupUniqArrayIf(ifNull(quantity_unit, ''), isNotNull(quantity_unit))), ',') AS qty_units
    FROM (${latest})
    ARRAY JOIN [${windows.join(', ')}] AS w
    WHERE period_start >= w.2 AND period_end <= w.3
      AND (period_start = period_end OR (period_start % 100 = 1 AND period_end = period_start + 1 AND w.2 != w.3)
        OR (period_start = w.2 AND period_end = w.3))
    GROUP BY ${groupCols.join(', ')}
    ORDER BY ${groupCols.join(', ')}`;
}

/** `rates()`: the latest vintage of each published rate. */
export function ratesSql(filter: CellFilter, b: Binder): string {
  const where = filterSql({ ...filter, currencies: undefined }, b);
  const key = [
    'dataset',
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
  ];
  return `SELECT ${key.join(', ')}, t.1 AS vintage, t.2 AS rate, if(t.4 = 1, NULL, t.3) AS note FROM (
      SELECT ${key.join(', ')}, argMax(tuple(vintage, rate, ifNull(note, ''), isNull(note)), tuple(vintage, load_id)) AS t
      FROM rates WHERE ${where} GROUP BY ${key.join(', ')})
    ORDER BY dataset, reporter, partner, flow, region, period_start, period_end`;
}

/**
 * `datasetsCovering()`: datasets with any matching cell, and how many cells (every version). Filters without
 * product codes (or asking for the published totals only) are answered from the coverage records, which hold
 * the same counts per reporter, partner, flow and window; others count `facts`.
 */
export function datasetsCoveringSql(filter: CellFilter, b: Binder): string {
  const totalsOnly = filter.products?.length === 1 && filter.products[0] === 'TOTAL';
  if (!filter.productPrefixes && (!filter.products || totalsOnly)) {
    const where = filterSql({ ...filter, products: undefined }, b);
    return `SELECT dataset, sum(cells) AS cells FROM coverage WHERE ${where}${totalsOnly ? ' AND total = 1' : ''}
      GROUP BY dataset ORDER BY dataset`;
  }
  return `SELECT dataset, count() AS cells FROM facts WHERE ${filterSql(filter, b)} GROUP BY dataset ORDER BY dataset`;
}

/** Committed loads, optionally of one dataset / content hash / vintage. */
export function loadsSql(b: Binder, where: { dataset?: string; contentHash?: string; vintage?: string } = {}): string {
  const cond = [COMMITTED];
  if (where.dataset !== undefined) cond.push(`dataset = ${b.str(where.dataset)}`);
  if (where.contentHash !== undefined) cond.push(`content_hash = ${b.str(where.contentHash)}`);
  if (where.vintage !== undefined) cond.push(`vintage = ${b.date(where.vintage)}`);
  return `SELECT load_id, dataset, vintage, vintage_source, source_file, content_hash, format, mapping, encoding,
      rows_read, rows_loaded, rows_quarantined, blank_lines, flags, classifications
    FROM loads WHERE ${cond.join(' AND ')} ORDER BY load_id`;
}

/** Quarantined rows of committed loads. */
export function quarantineSql(b: Binder, filter: { dataset?: string; loadId?: number; limit?: number }): string {
  const cond = [COMMITTED];
  if (filter.dataset !== undefined) cond.push(`dataset = ${b.str(filter.dataset)}`);
  if (filter.loadId !== undefined) cond.push(`load_id = ${b.int(filter.loadId)}`);
  return `SELECT load_id, dataset, vintage, source_file, line, sheet, field, raw_value, code, reason, raw_line
    FROM quarantine WHERE ${cond.join(' AND ')}
    ORDER BY load_id, sheet NULLS FIRST, line LIMIT ${b.int(filter.limit ?? 1_000_000)}`;
}

/** The detailed product codes a dataset holds under these prefixes (`''` for all), never `TOTAL`, sorted. */
export function productCodesSql(dataset: string, prefixes: readonly string[], b: Binder): string {
  const where = filterSql(
    { datasets: [dataset], ...(prefixes.includes('') ? {} : { productPrefixes: [...prefixes] }) },
    b,
  );
  return `SELECT DISTINCT product FROM facts WHERE ${where} AND product != 'TOTAL' ORDER BY product`;
}
