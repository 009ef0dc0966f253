/**
 * User exchange-rate series in the DuckDB store.
 *
 * - `fx_series`: one row per loaded series (id, name, source, frequency, the file's quotation, load time, file).
 * - `fx_rates`: its rates in units per USD, exact DECIMAL(38,12). `period_start` is an integer key: yyyymmdd
 *   for a daily series, yyyymm for monthly, yyyy for annual. `days` is set for monthly means of daily data.
 * - `fx_quarantine`: every rejected row of the file: line, field, raw value, reason.
 *
 * Tables are created on first use. A load replaces a series of the same id in one transaction: a failure
 * leaves the previous state. Bundled series are never stored (they are read from `data/fx`).
 */
import type { RateFrequency, RatePoint, RateSeries } from '../../fx/rates.js';
import { type DuckDb, placeholders, type SqlValue } from './duckdb-connection.js';

const FX_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS fx_series (
     series_id VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, url VARCHAR, note VARCHAR, frequency VARCHAR,
     quotation VARCHAR, loaded_at TIMESTAMP, file VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS fx_rates (
     series_id VARCHAR, currency VARCHAR, period_start INTEGER, value DECIMAL(38,12), days INTEGER)`,
  `CREATE TABLE IF NOT EXISTS fx_quarantine (
     series_id VARCHAR, line BIGINT, field VARCHAR, raw_value VARCHAR, reason VARCHAR)`,
];

/** A rejected row (or field) of a rate file. */
export interface FxQuarantineRow {
  line: number;
  field: string;
  rawValue: string;
  reason: string;
}

/** What `fx_series` says about a stored series. */
export interface StoredSeriesInfo {
  id: string;
  name: string;
  source: string;
  url?: string;
  note?: string;
  frequency: RateFrequency;
  /** How the file quoted its values (`per-usd`, `usd-per-unit`, or per currency `EUR:usd-per-unit,…`). */
  quotation: string;
  loadedAt: string;
  file: string;
}

/** Creates the fx tables if they do not exist. */
export async function ensureFxTables(db: DuckDb): Promise<void> {
  for (const ddl of FX_SCHEMA) await db.run(ddl);
}

const CHUNK = 300;

/**
 * Stores a series with its quarantine, replacing a stored series of the same id, all or nothing.
 * @returns whether a series of that id was replaced.
 */
export async function saveRateSeries(
  db: DuckDb,
  series: RateSeries,
  fileQuotation: string,
  quarantine: readonly FxQuarantineRow[],
): Promise<{ replaced: boolean }> {
  await ensureFxTables(db);
  await db.run('BEGIN TRANSACTION');
  try {
    const old = await db.one('SELECT count(*) AS n FROM fx_series WHERE series_id = $1', [series.id]);
    const replaced = Number(old?.n ?? 0) > 0;
    for (const t of ['fx_series', 'fx_rates', 'fx_quarantine']) {
      await db.run(`DELETE FROM ${t} WHERE series_id = $1`, [series.id]);
    }
    await db.run('INSERT INTO fx_series VALUES ($1, $2, $3, $4, $5, $6, $7, current_timestamp, $8)', [
      series.id,
      series.name,
      series.source.name,
      series.source.url ?? null,
      series.source.note ?? null,
      series.frequency,
      fileQuotation,
      series.source.file,
    ]);
    const rows: SqlValue[][] = [];
    for (const [currency, byPeriod] of series.rates) {
      for (const [key, p] of byPeriod) rows.push([series.id, currency, key, p.value, p.days ?? null]);
    }
    await insertChunks(
      db,
      'fx_rates',
      rows,
      5,
      (o) => `($${o + 1}, $${o + 2}, $${o + 3}, CAST($${o + 4} AS DECIMAL(38,12)), $${o + 5})`,
    );
    const q = quarantine.map((r) => [series.id, r.line, r.field, r.rawValue, r.reason] as SqlValue[]);
    await insertChunks(db, 'fx_quarantine', q, 5, (o) => `(${placeholders(5, o)})`);
    await db.run('COMMIT');
    return { replaced };
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

async function insertChunks(
  db: DuckDb,
  table: string,
  rows: readonly SqlValue[][],
  width: number,
  tuple: (offset: number) => string,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const sql = `INSERT INTO ${table} VALUES ${chunk.map((_, j) => tuple(j * width)).join(', ')}`;
    await db.run(sql, chunk.flat());
  }
}

async function hasFxTables(db: DuckDb): Promise<boolean> {
  const r = await db.one(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'fx_series' AND table_schema = 'main'`,
  );
  return Number(r?.n ?? 0) > 0;
}

/** The stored series, by id. */
export async function storedSeriesList(db: DuckDb): Promise<StoredSeriesInfo[]> {
  if (!(await hasFxTables(db))) return [];
  const rows = await db.all('SELECT *, CAST(loaded_at AS VARCHAR) AS loaded_text FROM fx_series ORDER BY series_id');
  return rows.map((r) => ({
    id: String(r.series_id),
    name: String(r.name ?? ''),
    source: String(r.source ?? ''),
    ...(r.url ? { url: String(r.url) } : {}),
    ...(r.note ? { note: String(r.note) } : {}),
    frequency: String(r.frequency) as RateFrequency,
    quotation: String(r.quotation ?? ''),
    loadedAt: String(r.loaded_text ?? ''),
    file: String(r.file ?? ''),
  }));
}

/** Reads a stored series back into memory, or undefined when there is none of that id. */
export async function readStoredSeries(db: DuckDb, id: string): Promise<RateSeries | undefined> {
  const info = (await storedSeriesList(db)).find((s) => s.id === id);
  if (!info) return undefined;
  const rows = await db.all(
    `SELECT currency, period_start, CAST(value AS VARCHAR) AS value_text, days FROM fx_rates
     WHERE series_id = $1 ORDER BY currency, period_start`,
    [id],
  );
  const rates = new Map<string, Map<number, RatePoint>>();
  for (const r of rows) {
    const cur = String(r.currency);
    let m = rates.get(cur);
    if (!m) {
      m = new Map();
      rates.set(cur, m);
    }
    const days = r.days === null ? undefined : Number(r.days);
    m.set(Number(r.period_start), { value: trimZeros(String(r.value_text)), ...(days ? { days } : {}) });
  }
  return {
    id: info.id,
    name: info.name,
    source: {
      name: info.source,
      file: info.file,
      ...(info.url ? { url: info.url } : {}),
      ...(info.note ? { note: info.note } : {}),
    },
    frequency: info.frequency,
    quotation: 'per-usd',
    rates,
    loadedAt: info.loadedAt,
  };
}

/** The quarantined rows of a stored series (all series when no id), in file order. */
export async function fxQuarantine(db: DuckDb, id?: string): Promise<(FxQuarantineRow & { seriesId: string })[]> {
  if (!(await hasFxTables(db))) return [];
  const rows = await db.all(
    `SELECT * FROM fx_quarantine ${id ? 'WHERE series_id = $1' : ''} ORDER BY series_id, line, field`,
    id ? [id] : [],
  );
  return rows.map((r) => ({
    seriesId: String(r.series_id),
    line: Number(r.line),
    field: String(r.field),
    rawValue: String(r.raw_value ?? ''),
    reason: String(r.reason),
  }));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
