/**
 * The staging area: a scratch DuckDB file beside the store where a source file is landed before it is
 * validated, mapped and written to the store in one step.
 *
 * JS readers append {@link StagedRow}s through a DuckDB appender; the BACI reader lands its file with
 * DuckDB's parallel CSV reader. Unreadable rows go to `problems`. Code and region maps for the distinct
 * codes of the file are resolved in TypeScript and written to `code_map` / `region_map`, so the store
 * joins instead of parsing. A crash leaves only this scratch file, removed on the next ingest.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBAppender } from '@duckdb/node-api';
import { type Period, tryParsePeriod } from '../model/period.js';
import { parseMoneyUnit, weightExponent } from '../model/units.js';
import { DuckDb } from '../store/duckdb/duckdb-connection.js';
import type { RowProblem, StagedRow } from './staged-row.js';

export const STAGED_COLUMNS = `
  line BIGINT, sheet VARCHAR,
  reporter VARCHAR, reporter_scheme VARCHAR, partner VARCHAR, partner_scheme VARCHAR,
  flow VARCHAR, classification VARCHAR, product VARCHAR,
  period VARCHAR, period_start INTEGER, period_end INTEGER, measure VARCHAR,
  trade_mode VARCHAR, region VARCHAR,
  value VARCHAR, currency VARCHAR, exponent INTEGER,
  net_weight VARCHAR, weight_exp INTEGER, quantity VARCHAR, quantity_unit VARCHAR,
  flag VARCHAR, sa BOOLEAN, note VARCHAR,
  pre_code VARCHAR, pre_field VARCHAR, pre_reason VARCHAR, pre_value VARCHAR,
  fields VARCHAR`;

const STAGING_TABLES = ['staged', 'problems', 'code_map', 'region_map', 'line_segments', 'settings'];

const PROBLEM_COLUMNS = `line BIGINT, sheet VARCHAR, field VARCHAR, raw_value VARCHAR, code VARCHAR, reason VARCHAR, raw_line VARCHAR`;

/** Removes staging files left by ingests that died (their process is gone). */
export function removeStaleStaging(storePath: string): void {
  const dir = dirname(storePath);
  const prefix = `${basename(storePath)}.staging-`;
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(prefix)) continue;
    const pid = Number(f.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dir, f), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class Staging {
  /** The staging file, or '' when staging in the store's own connection (temporary tables). */
  readonly path: string;
  /** Catalog holding the staging tables: `main` of the staging file, or `temp` of the store's connection. */
  readonly catalog: 'main' | 'temp';
  private appender?: DuckDBAppender;
  private problemAppender?: DuckDBAppender;
  private periodCache = new Map<string, Period | string>();
  private unitCache = new Map<string, { currency: string; exponent: number } | string>();
  rowsStaged = 0;
  problems = 0;
  blankLines = 0;

  private constructor(
    readonly db: DuckDb,
    path: string,
    catalog: 'main' | 'temp',
  ) {
    this.path = path;
    this.catalog = catalog;
  }

  /**
   * Stages in the store's own DuckDB connection, as temporary tables: nothing is written to disk unless
   * memory runs short (DuckDB then spills to its temp directory), and the store reads them in place.
   */
  static async inConnection(db: DuckDb): Promise<Staging> {
    const s = new Staging(db, '', 'temp');
    await s.createTables('TEMP ');
    return s;
  }

  private async createTables(kind: string): Promise<void> {
    const db = this.db;
    for (const t of STAGING_TABLES) await db.run(`DROP TABLE IF EXISTS ${this.catalog}.${t}`);
    await db.run(`CREATE ${kind}TABLE staged (${STAGED_COLUMNS})`);
    await db.run(`CREATE ${kind}TABLE problems (${PROBLEM_COLUMNS})`);
    await db.run(`CREATE ${kind}TABLE code_map (scheme VARCHAR, raw VARCHAR, code VARCHAR, note VARCHAR)`);
    await db.run(`CREATE ${kind}TABLE region_map (raw VARCHAR, code VARCHAR)`);
    await db.run(`CREATE ${kind}TABLE line_segments (a BIGINT, s BIGINT)`);
    await db.run(`CREATE ${kind}TABLE settings (key VARCHAR, value VARCHAR)`);
  }

  /** Creates an appender on a staging table. */
  appender_(table: string): Promise<DuckDBAppender> {
    return this.db.connection.createAppender(table, 'main', this.catalog);
  }

  /** Creates a fresh staging file for a store at `storePath` (in the same folder, or in the OS temp dir). */
  static async create(storePath: string): Promise<Staging> {
    const path = `${storePath}.staging-${process.pid}.duckdb`;
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const db = await DuckDb.open(path, { memory_limit: '1GB', preserve_insertion_order: 'true' });
    const s = new Staging(db, path, 'main');
    await s.createTables('');
    return s;
  }

  /** Appends one staged cell. Period and unit are checked here (cheap, cached); the rest in SQL. */
  async addRow(r: StagedRow): Promise<void> {
    if (!this.appender) this.appender = await this.appender_('staged');
    const a = this.appender;
    let pre: { code: string; field: string; reason: string; value: string } | undefined;

    let period = this.periodCache.get(r.period);
    if (period === undefined) {
      period = tryParsePeriod(r.period);
      this.periodCache.set(r.period, period);
    }
    if (typeof period === 'string') {
      pre = { code: 'bad-period', field: r.fieldNames?.period ?? 'period', reason: period, value: r.period };
    }
    let unit = this.unitCache.get(r.unit);
    if (unit === undefined) {
      if (r.unit === 'ratio') unit = { currency: '', exponent: 0 };
      else {
        try {
          unit = parseMoneyUnit(r.unit);
        } catch (e) {
          unit = (e as Error).message;
        }
      }
      this.unitCache.set(r.unit, unit);
    }
    if (typeof unit === 'string' && !pre) pre = { code: 'bad-unit', field: 'unit', reason: unit, value: r.unit };
    let weightExp: number | null = null;
    if (r.netWeight !== '') {
      try {
        weightExp = weightExponent(r.weightUnit || 'kg');
      } catch (e) {
        if (!pre) pre = { code: 'bad-unit', field: 'weight unit', reason: (e as Error).message, value: r.weightUnit };
      }
    }

    a.appendBigInt(BigInt(r.line));
    appendText(a, r.sheet);
    a.appendVarchar(r.reporter);
    a.appendVarchar(r.reporterScheme);
    a.appendVarchar(r.partner);
    a.appendVarchar(r.partnerScheme);
    a.appendVarchar(r.flow);
    a.appendVarchar(r.classification.trim().toUpperCase());
    a.appendVarchar(r.product);
    a.appendVarchar(typeof period === 'string' ? r.period : period.label);
    if (typeof period === 'string') {
      a.appendNull();
      a.appendNull();
    } else {
      a.appendInteger(period.start);
      a.appendInteger(period.end);
    }
    a.appendVarchar(r.measure);
    a.appendVarchar(r.tradeMode);
    a.appendVarchar(r.region);
    a.appendVarchar(r.value);
    if (typeof unit === 'string') {
      a.appendNull();
      a.appendNull();
    } else {
      a.appendVarchar(unit.currency);
      a.appendInteger(unit.exponent);
    }
    appendText(a, r.netWeight === '' ? undefined : r.netWeight);
    if (weightExp === null) a.appendNull();
    else a.appendInteger(weightExp);
    appendText(a, r.quantity === '' ? undefined : r.quantity);
    a.appendVarchar(r.quantityUnit);
    a.appendVarchar(r.flag);
    a.appendBoolean(r.seasonallyAdjusted);
    appendText(a, r.note);
    appendText(a, pre?.code);
    appendText(a, pre?.field);
    appendText(a, pre?.reason);
    appendText(a, pre?.value);
    appendText(a, r.fieldNames ? JSON.stringify(r.fieldNames) : undefined);
    a.endRow();
    this.rowsStaged++;
  }

  async addProblem(p: RowProblem): Promise<void> {
    if (!this.problemAppender) this.problemAppender = await this.appender_('problems');
    const a = this.problemAppender;
    a.appendBigInt(BigInt(p.at.line));
    appendText(a, p.at.sheet);
    appendText(a, p.at.field);
    appendText(a, p.value);
    a.appendVarchar(p.code);
    a.appendVarchar(p.message);
    appendText(a, p.raw);
    a.endRow();
    this.problems++;
  }

  /** Flushes appenders; after this the staged relation can be queried. */
  finishAppending(): void {
    this.appender?.closeSync();
    this.problemAppender?.closeSync();
    this.appender = undefined;
    this.problemAppender = undefined;
  }

  /** Closes the staging database so that the store can attach the file (no-op for temp staging). */
  close(): void {
    this.finishAppending();
    if (this.path) this.db.close();
  }

  /** Deletes the staging file, or drops the temporary tables. */
  async remove(): Promise<void> {
    if (this.path) {
      rmSync(this.path, { force: true });
      rmSync(`${this.path}.wal`, { force: true });
      return;
    }
    this.finishAppending();
    for (const t of [...STAGING_TABLES, 'baci']) await this.db.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => {});
  }
}

function appendText(a: DuckDBAppender, v: string | undefined): void {
  if (v === undefined) a.appendNull();
  else a.appendVarchar(v);
}
