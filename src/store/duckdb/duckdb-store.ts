/**
 * The embedded default store: one DuckDB file.
 *
 * A load runs in one transaction (attach the staging file, validate and map in SQL, write facts,
 * quarantine and the load record, commit), so a crash or `kill -9` leaves the file as it was. Reads
 * filter on `committed_loads` like every engine, and pick the latest vintage of each cell.
 */
import { existsSync } from 'node:fs';
import { periodLabel } from '../../model/period.js';
import { type Problem, UserError } from '../../util/errors.js';
import type {
  AggregateDimension,
  AggregateRequest,
  AggregateRow,
  CellFilter,
  CellRow,
  DatasetSummary,
  LoadCounts,
  LoadId,
  LoadMeta,
  LoadRecord,
  QuarantineRow,
  RateRow,
  StagingArea,
  TradeStore,
  WriteOptions,
} from '../store.js';
import { DuckDb, placeholders, type Row, type SqlValue, sqlString } from './duckdb-connection.js';
import { roundedWarnings, supersedeEarlierReadings } from './load-checks.js';
import { baciNormalizedSql, baciProblemDetail, GENERIC_PROBLEM_DETAIL, genericNormalizedSql } from './normalize-sql.js';
import { CELL_KEY, COVERAGE_SQL, DUCKDB_SCHEMA, SCHEMA_VERSION } from './schema.js';

export interface DuckDbStoreOptions {
  /** DuckDB memory limit, e.g. '1GB'. */
  memoryLimit?: string;
  /**
   * DuckDB memory limit while rollups are rebuilt (default 4GB): summing a large dataset to chapters and sorting
   * the result holds more than a query does. Restored afterwards.
   */
  rollupMemoryLimit?: string;
  readOnly?: boolean;
  /** Let `aggregate()` answer from rollup tables when they answer exactly (default true). */
  rollups?: boolean;
  /** Partner codes that are published aggregates, kept apart by the product rollup (default: none → no product rollup). */
  aggregatePartners?: string[];
}

export class DuckDbStore implements TradeStore {
  readonly engine = 'duckdb' as const;
  get localStaging(): DuckDb {
    return this.db;
  }
  /** Whether `aggregate()` may answer from rollups. */
  rollupsEnabled = true;
  /**
   * Partner codes that are published aggregates (World, EU, ASEAN …): the product rollup keeps them apart
   * and sums only the others (countries). Set from the code lists when the store opens.
   */
  aggregatePartners: string[] = [];

  private memoryLimit = '1GB';
  private rollupMemoryLimit = '4GB';
  /** Opened read-only: rollups and coverage are read when present, never written. */
  readOnly = false;
  /** Datasets whose rollups are known to be current (cleared by every load this store writes). */
  private freshRollups = new Set<string>();
  /** Answers about what the store holds (coverage, dataset profiles), kept until the next write. */
  private metaCache = new Map<string, unknown>();
  /** Whether every committed load has its coverage recorded (undefined: not checked since the last load). */
  private coverageComplete: boolean | undefined;
  /** Committed loads per dataset, read once per store generation. */
  private loadCounts: Map<string, number> | undefined;

  private constructor(
    readonly db: DuckDb,
    readonly location: string,
  ) {}

  /** Forgets what this store knows about its loads, rollups and coverage (after a write). */
  private invalidate(): void {
    this.freshRollups.clear();
    this.coverageComplete = undefined;
    this.loadCounts = undefined;
    this.classificationCache.clear();
    this.metaCache.clear();
  }

  /** Stops the statement running on the store's connection (it fails with an interrupt error); a no-op when idle. */
  interrupt(): void {
    this.db.connection.interrupt();
  }

  /** Opens or creates the store file and its schema. */
  static async open(path: string, options: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    const fresh = !existsSync(path);
    const db = await DuckDb.open(path, {
      memory_limit: options.memoryLimit ?? '1GB',
      preserve_insertion_order: 'true',
      ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
    });
    const store = new DuckDbStore(db, path);
    store.rollupsEnabled = options.rollups ?? true;
    store.readOnly = options.readOnly ?? false;
    store.memoryLimit = options.memoryLimit ?? '1GB';
    store.rollupMemoryLimit = options.rollupMemoryLimit ?? '4GB';
    store.aggregatePartners = options.aggregatePartners ?? [];
    const version = fresh
      ? SCHEMA_VERSION
      : await db
          .one(`SELECT value FROM meta WHERE key = 'schema_version'`)
          .then((r) => (r ? String(r.value) : null))
          .catch(() => null);
    if (!options.readOnly) {
      for (const ddl of DUCKDB_SCHEMA) await db.run(ddl);
      if (version !== SCHEMA_VERSION) {
        // written by an earlier layout: its rollups lack tables of this one, so they are rebuilt on first use
        await db.run('DELETE FROM rollup_state');
        await db.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', $1)`, [SCHEMA_VERSION]);
      }
    } else if (version !== SCHEMA_VERSION) {
      // read-only and of an earlier layout: answer from the base cells
      store.rollupsEnabled = false;
    }
    return store;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async findCommittedLoad(dataset: string, contentHash: string, vintage?: string): Promise<LoadRecord | undefined> {
    const rows = await this.loadRows(
      `l.dataset = $1 AND l.content_hash = $2${vintage ? ' AND l.vintage = CAST($3 AS DATE)' : ''}`,
      vintage ? [dataset, contentHash, vintage] : [dataset, contentHash],
    );
    return rows[0];
  }

  async loads(dataset?: string): Promise<LoadRecord[]> {
    return dataset ? this.loadRows('l.dataset = $1', [dataset]) : this.loadRows('true', []);
  }

  async supersededLoads(dataset?: string): Promise<(LoadRecord & { supersededBy: LoadId; supersededAt: string })[]> {
    const rows = await this.db
      .all(
        `SELECT l.*, CAST(l.vintage AS VARCHAR) AS vintage_text, CAST(c.committed_at AS VARCHAR) AS committed_text,
         s.by_load, CAST(s.superseded_at AS VARCHAR) AS superseded_text
       FROM loads l JOIN superseded_loads s ON s.load_id = l.load_id
       JOIN committed_loads c ON c.load_id = s.by_load
       WHERE ${dataset ? 'l.dataset = $1' : 'true'} ORDER BY l.load_id`,
        dataset ? [dataset] : [],
      )
      .catch((e: Error) => {
        // a store written before superseding existed, opened read-only, has no such table: nothing was superseded
        if (/superseded_loads/.test(e.message)) return [];
        throw e;
      });
    return rows.map((r) => ({
      ...loadRecord(r),
      committedAt: '',
      supersededBy: Number(r.by_load),
      supersededAt: String(r.superseded_text),
    }));
  }

  private async loadRows(where: string, values: SqlValue[]): Promise<LoadRecord[]> {
    const rows = await this.db.all(
      `SELECT l.*, CAST(l.vintage AS VARCHAR) AS vintage_text, CAST(c.committed_at AS VARCHAR) AS committed_text
       FROM loads l JOIN committed_loads c ON c.load_id = l.load_id WHERE ${where} ORDER BY l.load_id`,
      values,
    );
    return rows.map(loadRecord);
  }

  async writeLoad(
    meta: LoadMeta,
    staging: StagingArea,
    options: WriteOptions = {},
  ): Promise<{ loadId: LoadId; warnings: Problem[] } & LoadCounts> {
    const db = this.db;
    const phase = options.onPhase ?? (() => {});
    const stg = staging.catalog ?? 'stg';
    if (!staging.catalog) await db.run(`ATTACH ${sqlString(staging.path)} AS stg (READ_ONLY)`);
    let began = false;
    try {
      await db.run('BEGIN TRANSACTION');
      began = true;
      const idRow = await db.one('SELECT coalesce(max(load_id), 0) + 1 AS id FROM loads');
      const loadId = Number(idRow?.id);
      const warnings: Problem[] = [];
      await db.run(`INSERT INTO loads VALUES ($1, $2, CAST($3 AS DATE), $4, $5, $6, $7, $8, $9, now(), 0, 0, 0, 0)`, [
        loadId,
        meta.dataset,
        meta.vintage,
        meta.vintageSource,
        meta.sourceFile,
        meta.contentHash,
        meta.format,
        meta.mapping ?? null,
        meta.encoding ?? null,
      ]);
      await db.run('INSERT OR REPLACE INTO load_files VALUES ($1, $2)', [loadId, meta.fileHash ?? meta.contentHash]);
      warnings.push(...(await supersedeEarlierReadings(db, loadId, meta)));
      const info = meta.datasetInfo ?? {};
      await db.run(`INSERT OR IGNORE INTO datasets VALUES ($1, $2, $3, $4, $5)`, [
        meta.dataset,
        info.name ?? null,
        info.source ?? null,
        info.notes ?? null,
        info.seasonallyAdjusted ?? false,
      ]);

      phase('validating');
      const baci = staging.layout === 'baci';
      let staged: number;
      let good: number;
      if (baci) {
        ({ staged, good } = await this.writeBaci(stg, loadId, phase));
      } else {
        ({ staged, good } = await this.writeGeneric(stg, loadId, meta, phase));
      }
      if (!baci) warnings.push(...(await roundedWarnings(db)));
      const unreadable = Number((await db.one(`SELECT count(*) AS n FROM ${stg}.problems`))?.n);
      const result: LoadCounts = {
        rowsRead: staged + unreadable,
        rowsLoaded: good,
        rowsQuarantined: staged - good + unreadable,
        blankLines: staging.blankLines,
      };
      if (good === 0 && options.rollbackIfEmpty) {
        const sample = await db.all(
          `SELECT line, sheet, field, raw_value, reason FROM quarantine WHERE load_id = $1 ORDER BY line LIMIT 10`,
          [loadId],
        );
        const problems: Problem[] = sample.map((r) => ({
          code: 'rejected',
          severity: 'error',
          message: String(r.reason),
          at: {
            file: meta.sourceFile,
            ...(r.line === null ? {} : { line: Number(r.line) }),
            ...(r.field === null ? {} : { field: String(r.field) }),
            ...(r.sheet === null ? {} : { sheet: String(r.sheet) }),
          },
          ...(r.raw_value === null ? {} : { value: String(r.raw_value) }),
        }));
        throw new UserError(
          `no loadable record in ${meta.sourceFile}: ${result.rowsRead} read, all rejected; the store is unchanged. ` +
            'Check the format, the mapping and the code lists; the first problems follow.',
          problems,
        );
      }
      await db.run(
        `UPDATE loads SET rows_read = $2, rows_loaded = $3, rows_quarantined = $4, blank_lines = $5 WHERE load_id = $1`,
        [loadId, result.rowsRead, result.rowsLoaded, result.rowsQuarantined, result.blankLines],
      );
      phase('recording coverage');
      for (const sql of COVERAGE_SQL) await db.run(sql, [loadId]);
      await db.run('INSERT INTO committed_loads VALUES ($1, now())', [loadId]);
      phase('committing');
      await db.run('COMMIT');
      began = false;
      this.invalidate();
      return { loadId, ...result, warnings };
    } catch (e) {
      if (began) await db.run('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      await db.run('DROP TABLE IF EXISTS temp.norm').catch(() => {});
      if (!staging.catalog) await db.run('DETACH stg').catch(() => {});
    }
  }

  /** Generic layout: validate into a temp table, quarantine, then write facts and rates. */
  private async writeGeneric(
    stg: string,
    loadId: LoadId,
    meta: LoadMeta,
    phase: (p: string) => void,
  ): Promise<{ staged: number; good: number }> {
    const db = this.db;
    await db.run(`CREATE OR REPLACE TEMP TABLE norm AS ${genericNormalizedSql(stg)}`);
    await db.run(
      `INSERT INTO quarantine SELECT $1, line, sheet, p_field, p_value, problem, p_reason, NULL
       FROM (SELECT *, ${GENERIC_PROBLEM_DETAIL} FROM norm WHERE problem IS NOT NULL)`,
      [loadId],
    );
    await this.quarantineReaderProblems(stg, loadId);
    phase('checking duplicates');
    await this.quarantineConflicts(loadId, meta, false);
    phase('writing');
    await this.addDimensions(stg);
    const good = 'problem IS NULL AND NOT conflict';
    await db.run(
      `INSERT INTO products_dim
       SELECT (SELECT coalesce(max(id), 0) FROM products_dim) + row_number() OVER (ORDER BY classification, code),
              classification, code
       FROM (SELECT DISTINCT classification, product_code AS code FROM norm WHERE ${good} AND measure <> 'yoy'
             EXCEPT SELECT classification, code FROM products_dim)`,
    );
    const sliceCols = `flow, period_start, period_end, cumulative, trade_mode, region, currency, flag, sa, qunit, sheet`;
    await db.run(
      `CREATE OR REPLACE TEMP TABLE nslice AS
       SELECT (SELECT coalesce(max(slice_id), 0) FROM slices) + row_number() OVER (ORDER BY ${sliceCols}) AS slice_id, *
       FROM (SELECT DISTINCT flow, period_start, period_end, measure = 'cumulative' AS cumulative, trade_mode,
               region_code AS region, currency, flag, sa, coalesce(quantity_unit, '') AS qunit, sheet
             FROM norm WHERE ${good} AND measure <> 'yoy')`,
    );
    await db.run(
      `INSERT INTO slices SELECT slice_id, $1, ${sliceCols.replace('qunit', "nullif(qunit, '')")} FROM nslice`,
      [loadId],
    );
    // rows find their slice by a hash of the slice columns (a few hundred slices: collisions are checked below)
    const sliceHash = (alias: string) =>
      alias === 'n'
        ? `hash(n.flow, n.period_start, n.period_end, n.measure = 'cumulative', n.trade_mode, n.region_code, n.currency,
             n.flag, n.sa, coalesce(n.quantity_unit, ''), n.sheet)`
        : `hash(${sliceCols
            .split(', ')
            .map((c) => `${alias}.${c}`)
            .join(', ')})`;
    const collisions = await db.one(`SELECT count(*) - count(DISTINCT ${sliceHash('s')}) AS n FROM nslice s`);
    if (Number(collisions?.n) !== 0) throw new Error('slice hash collision: report this with the file');
    await db.run(
      `INSERT INTO facts
       SELECT $1, s.slice_id, ra.id, pa.id, pd.id, CAST(n.vbase AS DECIMAL(38,4)), CAST(n.wbase AS DECIMAL(18,3)),
              CAST(n.q12 AS DECIMAL(18,3)), n.line
       FROM norm n
       JOIN nslice s ON ${sliceHash('n')} = ${sliceHash('s')}
       JOIN areas_dim ra ON ra.code = n.reporter_code
       JOIN areas_dim pa ON pa.code = n.partner_code
       JOIN products_dim pd ON pd.classification = n.classification AND pd.code = n.product_code
       WHERE n.${good.replace(' AND NOT', ' AND NOT n.')} AND n.measure <> 'yoy'`,
      [loadId],
    );
    await db.run(
      `INSERT INTO rates SELECT $1, reporter_code, partner_code, flow, classification, product_code,
         period_start, period_end, starts_with(period, 'ytd:'), trade_mode, region_code,
         CAST(v12 AS DECIMAL(38,18)), note, line, sheet
       FROM norm WHERE ${good} AND measure = 'yoy'`,
      [loadId],
    );
    await db.run(`INSERT INTO load_codes SELECT $1, scheme, raw, code FROM ${stg}.code_map`, [loadId]);
    await db.run('DROP TABLE IF EXISTS temp.nslice');
    const c = await db.one(`SELECT count(*) AS staged, count(*) FILTER (WHERE ${good}) AS good FROM norm`);
    return { staged: Number(c?.staged), good: Number(c?.good) };
  }

  /** Adds the canonical area codes of a staged file to `areas_dim`. */
  private async addDimensions(stg: string): Promise<void> {
    await this.db.run(
      `INSERT INTO areas_dim
       SELECT (SELECT coalesce(max(id), 0) FROM areas_dim) + row_number() OVER (ORDER BY code), code
       FROM (SELECT DISTINCT code FROM ${stg}.code_map WHERE code IS NOT NULL
             EXCEPT SELECT code FROM areas_dim)`,
    );
  }

  /**
   * BACI layout (millions of rows): no intermediate table. Problems are found by cheap filters on the
   * staged columns, duplicates by grouping on a hash of the key, and the facts are written in one pass.
   */
  private async writeBaci(
    stg: string,
    loadId: LoadId,
    phase: (p: string) => void,
  ): Promise<{ staged: number; good: number }> {
    const db = this.db;
    const seg = await db.one(`SELECT count(*) AS n FROM ${stg}.line_segments`);
    const clsRow = await db.one(`SELECT value FROM ${stg}.settings WHERE key = 'classification'`);
    const cls = String(clsRow?.value ?? 'H0');
    // small maps: BACI code → area id, k → product id, t → slice id
    await this.addDimensions(stg);
    await db.run(
      `CREATE OR REPLACE TEMP TABLE bmap AS SELECT CAST(cm.raw AS INTEGER) AS c, a.id
       FROM ${stg}.code_map cm JOIN areas_dim a ON a.code = cm.code WHERE cm.scheme = 'baci'`,
    );
    const setting = async (key: string) =>
      String((await db.one(`SELECT value FROM ${stg}.settings WHERE key = $1`, [key]))?.value ?? '');
    const products = (await setting('products')).split(',').filter(Boolean).map(Number);
    const years = (await setting('years')).split(',').filter(Boolean).map(Number);
    await db.run('CREATE OR REPLACE TEMP TABLE kset (k INTEGER)');
    await db.run('CREATE OR REPLACE TEMP TABLE tset (t INTEGER)');
    await this.appendInts(
      'kset',
      products.filter((k) => k >= 0 && k <= 999999),
    );
    await this.appendInts('tset', years);
    await db.run(
      `INSERT INTO products_dim
       SELECT (SELECT coalesce(max(id), 0) FROM products_dim) + row_number() OVER (ORDER BY code), $1, code
       FROM (SELECT lpad(CAST(k AS VARCHAR), 6, '0') AS code FROM temp.kset
             EXCEPT SELECT code FROM products_dim WHERE classification = $1)`,
      [cls],
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE pmap AS SELECT ks.k, pd.id FROM temp.kset ks
       JOIN products_dim pd ON pd.classification = $1 AND pd.code = lpad(CAST(ks.k AS VARCHAR), 6, '0')`,
      [cls],
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE smap AS
       SELECT t, (SELECT coalesce(max(slice_id), 0) FROM slices) + row_number() OVER (ORDER BY t) AS slice_id
       FROM temp.tset WHERE t BETWEEN 1900 AND 2199`,
    );
    await db.run(
      `INSERT INTO slices SELECT slice_id, $1, 'X', t * 100 + 1, t * 100 + 12, false, '', '', 'USD', 'estimated',
         false, NULL, NULL FROM temp.smap`,
      [loadId],
    );
    const normalized = baciNormalizedSql(stg, Number(seg?.n) > 0);
    // problems are possible only with unmapped codes, bad years or products, or missing/negative values
    const gaps = await db.one(
      `SELECT (SELECT count(*) FROM ${stg}.code_map WHERE code IS NULL) AS codes,
              (SELECT count(*) FROM temp.tset WHERE t NOT BETWEEN 1900 AND 2199) AS years,
              (SELECT count(*) FROM temp.kset WHERE k NOT IN (SELECT k FROM temp.pmap)) AS products`,
    );
    const possible =
      Number(gaps?.codes) + Number(gaps?.years) + Number(gaps?.products) + Number(await setting('bad_values')) > 0 ||
      products.some((k) => k < 0 || k > 999999);
    if (possible) {
      await db.run(
        `INSERT INTO quarantine SELECT $1, line, NULL, p_field, p_value, problem, p_reason, NULL
         FROM (SELECT *, ${baciProblemDetail(stg)} FROM (${normalized}) WHERE problem IS NOT NULL)`,
        [loadId],
      );
    }
    const invalid = Number((await db.one('SELECT count(*) AS n FROM quarantine WHERE load_id = $1', [loadId]))?.n);
    await this.quarantineReaderProblems(stg, loadId);
    phase('checking duplicates');
    // keys repeat only if the staged distinct-key count says so; then find them by hash and check exactly
    const repeats = Number(await setting('distinct_keys')) < Number(await setting('rows'));
    await db.run(
      `CREATE OR REPLACE TEMP TABLE dup AS
       WITH h AS (SELECT hash(i, j, k, t) AS h FROM ${stg}.baci WHERE ${repeats} GROUP BY 1 HAVING count(*) > 1),
       c AS (SELECT n.* FROM (${normalized}) n WHERE problem IS NULL AND hash(i, j, k, t) IN (SELECT h FROM h)),
       g AS (SELECT rid, pid, prod_id, slice_id, min(line) AS first_line, arg_min(v, line) AS first_value
             FROM c GROUP BY ALL)
       SELECT c.line, CAST(c.v AS VARCHAR) AS v, g.first_line, CAST(g.first_value AS VARCHAR) AS first_value
       FROM c JOIN g USING (rid, pid, prod_id, slice_id)
       WHERE c.line <> g.first_line${repeats ? '' : ' AND false'}`,
    );
    await db.run(
      `INSERT INTO quarantine SELECT $1, line, NULL, 'v', v,
         CASE WHEN v IS DISTINCT FROM first_value THEN 'conflicting-duplicate' ELSE 'duplicate-cell' END,
         CASE WHEN v IS DISTINCT FROM first_value
           THEN 'cell repeated with a different value: ' || v || ' here, ' || first_value || ' at line ' || first_line || ' (kept)'
           ELSE 'cell repeated with the same value as line ' || first_line || ' (kept once)' END,
         NULL FROM dup`,
      [loadId],
    );
    const dups = Number((await db.one('SELECT count(*) AS n FROM dup'))?.n);
    phase('writing');
    await db.run(
      `INSERT INTO facts SELECT $1, slice_id, rid, pid, prod_id, CAST(v * 1000 AS DECIMAL(38,4)),
         CAST(q * 1000 AS DECIMAL(18,3)), NULL, line
       FROM (${normalized}) WHERE problem IS NULL${dups ? ' AND line NOT IN (SELECT line FROM dup)' : ''}`,
      [loadId],
    );
    await db.run(`INSERT INTO load_codes SELECT $1, scheme, raw, code FROM ${stg}.code_map`, [loadId]);
    for (const t of ['bmap', 'kset', 'tset', 'pmap', 'smap', 'dup']) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
    const staged = Number((await db.one(`SELECT count(*) AS n FROM ${stg}.baci`))?.n);
    return { staged, good: staged - invalid - dups };
  }

  private async appendInts(table: string, values: number[]): Promise<void> {
    const a = await this.db.connection.createAppender(table, 'main', 'temp');
    for (const v of values) {
      a.appendInteger(v);
      a.endRow();
    }
    a.closeSync();
  }

  private async quarantineReaderProblems(stg: string, loadId: LoadId): Promise<void> {
    await this.db.run(
      `INSERT INTO quarantine SELECT $1, line, sheet, field, raw_value, code, reason, raw_line FROM ${stg}.problems`,
      [loadId],
    );
  }

  /**
   * Marks rows that repeat a cell with a different value — within this file, or against another part of the
   * same release (dataset + vintage) — as conflicts, and quarantines them showing both values. The first
   * value seen stays. Identical repeats are harmless (reads take one value per cell).
   */
  private async quarantineConflicts(loadId: LoadId, meta: LoadMeta, baci: boolean): Promise<void> {
    const db = this.db;
    await db.run('ALTER TABLE norm ADD COLUMN conflict BOOLEAN DEFAULT false');
    const key = baci
      ? ['reporter_code', 'partner_code', 'product_code', 't']
      : [
          'reporter_code',
          'partner_code',
          'flow',
          'classification',
          'product_code',
          'period_start',
          'period_end',
          'measure',
          'period',
          'trade_mode',
          'region_code',
          'currency',
          'sa',
        ];
    const val = (alias: string) => (baci ? `${alias}.v` : `coalesce(${alias}.vbase, ${alias}.v12)`);
    const eq = key.map((k, i) => `n.${k} IS NOT DISTINCT FROM g.k${i}`).join(' AND ');
    const keyAs = key.map((k, i) => `${k} AS k${i}`).join(', ');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE dup AS
       WITH g AS (
         SELECT ${keyAs}, min(rowid) AS first_rid, arg_min(line, rowid) AS first_line,
                arg_min(${val('norm')}, rowid) AS first_value
         FROM norm WHERE problem IS NULL GROUP BY ALL HAVING count(*) > 1)
       SELECT n.rowid AS rid, n.line, ${baci ? 'NULL' : 'n.sheet'} AS sheet, CAST(${val('n')} AS VARCHAR) AS v,
              g.first_line, CAST(g.first_value AS VARCHAR) AS first_value,
              CASE WHEN ${val('n')} IS DISTINCT FROM g.first_value THEN 'file' ELSE 'same' END AS kind
       FROM norm n JOIN g ON ${eq}
       WHERE n.problem IS NULL AND n.rowid <> g.first_rid`,
    );
    // other parts (files) of the same release
    const parts = await db.all(
      `SELECT l.load_id FROM loads l JOIN committed_loads c USING (load_id)
       WHERE l.dataset = $1 AND l.vintage = CAST($2 AS DATE)`,
      [meta.dataset, meta.vintage],
    );
    if (parts.length > 0 && !baci) {
      const ids = parts.map((p) => Number(p.load_id));
      await db.run(
        `INSERT INTO dup
         SELECT n.rowid, n.line, n.sheet, CAST(CAST(n.vbase AS DECIMAL(38,4)) AS VARCHAR), f.source_line,
                CAST(f.value AS VARCHAR) || ' in ' || l.source_file, 'part'
         FROM norm n JOIN fact_cells f ON f.load_id IN (${placeholders(ids.length, 0)})
           AND f.reporter = n.reporter_code AND f.partner = n.partner_code AND f.flow = n.flow
           AND f.classification = n.classification AND f.product = n.product_code
           AND f.period_start = n.period_start AND f.period_end = n.period_end
           AND f.cumulative = (n.measure = 'cumulative') AND f.trade_mode = n.trade_mode AND f.region = n.region_code
           AND f.currency = n.currency AND f.seasonally_adjusted = n.sa
         JOIN loads l ON l.load_id = f.load_id
         WHERE n.problem IS NULL AND n.measure <> 'yoy' AND f.value <> CAST(n.vbase AS DECIMAL(38,4))
           AND n.rowid NOT IN (SELECT rid FROM dup)`,
        ids,
      );
    }
    await db.run(
      `INSERT INTO quarantine SELECT $1, line, sheet, 'value', v,
         CASE kind WHEN 'file' THEN 'conflicting-duplicate' WHEN 'same' THEN 'duplicate-cell' ELSE 'conflicting-part' END,
         CASE kind
           WHEN 'file' THEN 'cell repeated with a different value: ' || v || ' here, ' || first_value
                            || ' at line ' || first_line || ' (kept)'
           WHEN 'same' THEN 'cell repeated with the same value as line ' || first_line || ' (kept once)'
           ELSE 'cell already loaded in the same release with a different value: ' || v || ' here, '
                || first_value || ' line ' || first_line || ' (kept)' END,
         NULL FROM dup`,
      [loadId],
    );
    await db.run('UPDATE norm SET conflict = true WHERE rowid IN (SELECT rid FROM dup)');
    await db.run('DROP TABLE IF EXISTS temp.dup');
  }

  async quarantine(filter: { dataset?: string; loadId?: LoadId; limit?: number } = {}): Promise<QuarantineRow[]> {
    const where: string[] = ['true'];
    const values: SqlValue[] = [];
    if (filter.dataset) {
      values.push(filter.dataset);
      where.push(`l.dataset = $${values.length}`);
    }
    if (filter.loadId !== undefined) {
      values.push(filter.loadId);
      where.push(`q.load_id = $${values.length}`);
    }
    values.push(filter.limit ?? 1_000_000);
    const rows = await this.db.all(
      `SELECT q.*, l.dataset, CAST(l.vintage AS VARCHAR) AS vintage, l.source_file
       FROM quarantine q JOIN loads l ON l.load_id = q.load_id JOIN committed_loads c ON c.load_id = q.load_id
       WHERE ${where.join(' AND ')} ORDER BY q.load_id, q.sheet NULLS FIRST, q.line LIMIT $${values.length}`,
      values,
    );
    return rows.map((r) => ({
      loadId: Number(r.load_id),
      dataset: String(r.dataset),
      vintage: String(r.vintage),
      sourceFile: String(r.source_file),
      line: r.line === null ? null : Number(r.line),
      sheet: r.sheet === null ? null : String(r.sheet),
      field: r.field === null ? null : String(r.field),
      rawValue: r.raw_value === null ? null : String(r.raw_value),
      code: String(r.code),
      reason: String(r.reason),
      rawLine: r.raw_line === null ? null : String(r.raw_line),
    }));
  }

  async datasets(): Promise<DatasetSummary[]> {
    const db = this.db;
    // from the coverage records when every load has them (a summary of the facts), else from the facts
    const covered = await this.ensureCoverage();
    const cells = covered
      ? `(SELECT cc.load_id, r.code AS reporter, p.code AS partner, s.flow, s.period_start, s.period_end, s.region,
            s.currency, s.flag, s.seasonally_adjusted
          FROM cell_coverage cc JOIN slices s ON s.slice_id = cc.slice_id
          JOIN areas_dim r ON r.id = cc.reporter_id JOIN areas_dim p ON p.id = cc.partner_id)`
      : 'fact_cells';
    const base = await db.all(
      `SELECT d.dataset, d.name, d.source, d.seasonally_adjusted,
         (SELECT ${covered ? 'coalesce(sum(f.cells), 0)' : 'count(*)'} FROM ${covered ? 'cell_coverage' : 'facts'} f
            JOIN committed_loads c USING (load_id) JOIN loads l USING (load_id)
            WHERE l.dataset = d.dataset) AS rows,
         (SELECT count(*) FROM quarantine q JOIN committed_loads c USING (load_id) JOIN loads l USING (load_id)
            WHERE l.dataset = d.dataset) AS quarantined
       FROM datasets d WHERE d.dataset IN (SELECT dataset FROM loads JOIN committed_loads USING (load_id))
       ORDER BY d.dataset`,
    );
    const out: DatasetSummary[] = [];
    for (const b of base) {
      const ds = String(b.dataset);
      const vintages = await db.all(
        `SELECT CAST(l.vintage AS VARCHAR) AS vintage, any_value(l.vintage_source) AS vsrc, count(*) AS loads,
           sum(l.rows_loaded) AS rows, CAST(to_json(list(l.source_file ORDER BY l.load_id)) AS VARCHAR) AS files
         FROM loads l JOIN committed_loads c USING (load_id) WHERE l.dataset = $1 GROUP BY 1 ORDER BY 1`,
        [ds],
      );
      const cov = await db.one(
        `SELECT min(f.period_start) AS pmin, max(f.period_end) AS pmax,
           list(DISTINCT f.reporter ORDER BY f.reporter) AS reporters, count(DISTINCT f.partner) AS partners,
           list(DISTINCT f.region ORDER BY f.region) FILTER (WHERE f.region <> '') AS regions,
           list(DISTINCT f.flow ORDER BY f.flow) AS flows,
           list(DISTINCT f.currency ORDER BY f.currency) AS currencies,
           list(DISTINCT f.flag ORDER BY f.flag) AS flags, bool_or(f.seasonally_adjusted) AS sa
         FROM ${cells} f JOIN committed_loads c USING (load_id) JOIN loads l USING (load_id) WHERE l.dataset = $1`,
        [ds],
      );
      const classes = await db.one(
        `SELECT list(DISTINCT pd.classification ORDER BY pd.classification) AS classifications
         FROM ${covered ? 'product_coverage' : 'facts'} f JOIN products_dim pd ON pd.id = f.product_id
         JOIN committed_loads c USING (load_id) JOIN loads l USING (load_id) WHERE l.dataset = $1`,
        [ds],
      );
      out.push({
        dataset: ds,
        name: b.name === null ? null : String(b.name),
        source: b.source === null ? null : String(b.source),
        vintages: vintages.map((v) => ({
          vintage: String(v.vintage),
          vintageSource: String(v.vsrc ?? ''),
          loads: Number(v.loads),
          rows: Number(v.rows),
          // as JSON: a file name may hold commas and quotes (`trade, part 1.csv`, `it's.csv`)
          files: JSON.parse(String(v.files ?? '[]')) as string[],
        })),
        rows: Number(b.rows),
        quarantined: Number(b.quarantined),
        firstPeriod: cov?.pmin === null || cov?.pmin === undefined ? null : monthText(Number(cov.pmin)),
        lastPeriod: cov?.pmax === null || cov?.pmax === undefined ? null : monthText(Number(cov.pmax)),
        reporters: parseList(cov?.reporters),
        partners: Number(cov?.partners ?? 0),
        regions: parseList(cov?.regions),
        flows: parseList(cov?.flows),
        classifications: parseList(classes?.classifications),
        currencies: parseList(cov?.currencies),
        seasonallyAdjusted: Boolean(cov?.sa ?? b.seasonally_adjusted),
        flags: parseList(cov?.flags),
      });
    }
    return out;
  }

  /** WHERE clause over `f` (facts) and `l` (loads) for a filter, with its bound values. */
  private filterSql(filter: CellFilter, values: SqlValue[], rollup = false): string {
    // rollups hold committed, latest cells only, with the dataset on each row
    const where: string[] = rollup ? ['true'] : ['f.load_id IN (SELECT load_id FROM committed_loads)'];
    const inList = (col: string, list: readonly string[] | undefined) => {
      if (!list) return;
      if (list.length === 0) {
        where.push('false');
        return;
      }
      where.push(`${col} IN (${placeholders(list.length, values.length)})`);
      values.push(...list);
    };
    inList(rollup ? 'f.dataset' : 'l.dataset', filter.datasets);
    inList('f.reporter', filter.reporters);
    if (filter.partnerIntervals) {
      const alts: string[] = [];
      if (filter.partners?.length) {
        alts.push(`f.partner IN (${placeholders(filter.partners.length, values.length)})`);
        values.push(...filter.partners);
      }
      for (const p of filter.partnerIntervals) {
        values.push(p.partner, p.start, p.end);
        const n = values.length;
        alts.push(`(f.partner = $${n - 2} AND f.period_start >= $${n - 1} AND f.period_end <= $${n})`);
      }
      where.push(alts.length ? `(${alts.join(' OR ')})` : 'false');
    } else inList('f.partner', filter.partners);
    if (filter.excludePartners?.length) {
      where.push(`f.partner NOT IN (${placeholders(filter.excludePartners.length, values.length)})`);
      values.push(...filter.excludePartners);
    }
    inList('f.flow', filter.flows);
    inList('f.classification', filter.classifications);
    inList('f.product', filter.products);
    if (filter.productPrefixes && !filter.productPrefixes.includes('')) {
      where.push(prefixCondition('f.product', filter.productPrefixes, values));
    }
    inList('f.region', filter.regions);
    inList('f.trade_mode', filter.tradeModes);
    inList('f.currency', filter.currencies);
    const windows: string[] = [];
    for (const w of filter.windows ?? []) {
      values.push(w.start, w.end);
      let cond = `(f.period_start = $${values.length - 1} AND f.period_end = $${values.length}`;
      if (w.cumulative !== undefined) {
        values.push(w.cumulative);
        cond += ` AND f.cumulative = $${values.length}`;
      }
      windows.push(`${cond})`);
    }
    if (filter.monthsWithin) {
      values.push(filter.monthsWithin.start, filter.monthsWithin.end);
      windows.push(
        `(f.period_start = f.period_end AND NOT f.cumulative AND f.period_start BETWEEN $${values.length - 1} AND $${values.length})`,
      );
    }
    if (filter.windows || filter.monthsWithin) where.push(windows.length ? `(${windows.join(' OR ')})` : 'false');
    if (filter.within) {
      values.push(filter.within.start, filter.within.end);
      where.push(`f.period_start >= $${values.length - 1} AND f.period_end <= $${values.length}`);
    }
    if (filter.overlapping) {
      values.push(filter.overlapping.end, filter.overlapping.start);
      where.push(`f.period_start <= $${values.length - 1} AND f.period_end >= $${values.length}`);
    }
    if (filter.asOf) {
      values.push(filter.asOf);
      where.push(`l.vintage <= CAST($${values.length} AS DATE)`);
    }
    if (filter.vintage) {
      values.push(filter.vintage);
      where.push(`l.vintage = CAST($${values.length} AS DATE)`);
    }
    return where.join(' AND ');
  }

  /** The latest visible version of each matching cell (one row per dataset and cell key), as SQL. */
  private latestCellsSql(filter: CellFilter, values: SqlValue[], singleLoad = false): string {
    const where = this.filterSql(filter, values);
    if (singleLoad) {
      // one committed load per dataset and no duplicate cells within a load (the ingest keeps one of each):
      // every cell is already the latest
      return `SELECT l.dataset, CAST(l.vintage AS VARCHAR) AS vintage, l.source_file, f.*
         FROM fact_cells f JOIN loads l ON l.load_id = f.load_id WHERE ${where}`;
    }
    const partition = ['l.dataset', ...CELL_KEY.map((k) => `f.${k}`)].join(', ');
    return `SELECT * EXCLUDE (rn) FROM (
         SELECT l.dataset, CAST(l.vintage AS VARCHAR) AS vintage, l.source_file, f.*,
           row_number() OVER (PARTITION BY ${partition} ORDER BY l.vintage DESC, f.load_id DESC, f.source_line DESC) AS rn
         FROM fact_cells f JOIN loads l ON l.load_id = f.load_id WHERE ${where})
       WHERE rn = 1`;
  }

  async cells(filter: CellFilter): Promise<CellRow[]> {
    const values: SqlValue[] = [];
    const rows = await this.db.all(
      `SELECT *, CAST(value AS VARCHAR) AS value_text FROM (${this.latestCellsSql(filter, values)})
       ORDER BY dataset, reporter, partner, flow, product, region, period_start, period_end, cumulative`,
      values,
    );
    return rows.map((r) => toCellRow(r));
  }

  async sumCells(filter: CellFilter): Promise<(CellRow & { cells: number })[]> {
    const values: SqlValue[] = [];
    const rows = await this.db.all(
      `SELECT dataset, max(vintage) AS vintage, reporter, '*' AS partner, flow, '*' AS classification, '*' AS product,
         period_start, period_end, cumulative, trade_mode, region, currency,
         bool_or(seasonally_adjusted) AS seasonally_adjusted, CAST(sum(value) AS VARCHAR) AS value_text,
         count(*) AS cells, string_agg(DISTINCT flag, ',') AS flag, string_agg(DISTINCT source_file, ', ') AS source_file,
         NULL AS source_line, 0 AS load_id
       FROM (${this.latestCellsSql(filter, values)})
       GROUP BY dataset, reporter, flow, period_start, period_end, cumulative, trade_mode, region, currency
       ORDER BY dataset, reporter, flow, region, period_start, period_end, cumulative`,
      values,
    );
    return rows.map((r) => ({ ...toCellRow(r), cells: Number(r.cells) }));
  }

  async aggregate(request: AggregateRequest): Promise<AggregateRow[]> {
    const values: SqlValue[] = [];
    if (request.windows.length === 0) return [];
    let filter = request.filter;
    const rollup = this.rollupsEnabled ? await this.rollupFor(request) : undefined;
    if (rollup === 'rollup_product' && filter.excludePartners?.length) {
      // the countries' sum is the rollup's partner '*'
      const { excludePartners: _x, ...rest } = filter;
      filter = { ...rest, partners: ['*'] };
    }
    // read only the months the windows cover
    filter = {
      ...filter,
      within: {
        start: Math.min(...request.windows.map((w) => w.start)),
        end: Math.max(...request.windows.map((w) => w.end)),
      },
    };
    const latest = rollup
      ? `SELECT * FROM ${rollup} f WHERE ${this.filterSql(filter, values, true)}`
      : this.latestCellsSql(filter, values, await this.singleLoad(filter));
    // each window as the (start, end) pairs of the cells it reads: its months, Jan+Feb combined, and itself;
    // an equi-join on them instead of a range join
    const pairs: string[] = [];
    for (const w of request.windows) {
      for (const [ps, pe] of windowCellPeriods(w.start, w.end)) {
        values.push(w.id, w.start, w.end, ps, pe);
        const n = values.length;
        pairs.push(
          `($${n - 4}, CAST($${n - 3} AS INTEGER), CAST($${n - 2} AS INTEGER), CAST($${n - 1} AS INTEGER), CAST($${n} AS INTEGER))`,
        );
      }
    }
    const digits = Math.max(1, Math.min(12, Math.trunc(request.productDigits ?? 6)));
    const keyExpr: Record<AggregateDimension, string> = {
      reporter: 'c.reporter',
      partner: 'c.partner',
      flow: 'c.flow',
      product: `CASE WHEN c.product = 'TOTAL' THEN 'TOTAL' ELSE left(c.product, ${digits}) END`,
      region: 'c.region',
      tradeMode: 'c.trade_mode',
    };
    const keys = request.groupBy.map((d, i) => `${keyExpr[d]} AS k${i}`);
    // the coverage rows (every member of the window and flow together), in the same scan
    const flowIndex = request.groupBy.indexOf('flow');
    const coverage = request.coverageByFlow === true && flowIndex >= 0 && request.groupBy.length > 1;
    // two levels: sums per window, group and cell period first (one pass over the cells, no DISTINCT), then the
    // window's figures from those few rows
    const inner = rollup
      ? {
          cells: 'sum(c.cells)',
          weight: 'sum(c.net_weight_kg) FILTER (WHERE c.net_weight_kg <> 0)',
          weightValue: 'sum(c.weight_value) FILTER (WHERE c.net_weight_kg IS NOT NULL AND c.net_weight_kg <> 0)',
          qty: 'sum(c.quantity) FILTER (WHERE c.quantity IS NOT NULL AND c.quantity <> 0)',
          qtyValue: 'sum(c.quantity_value) FILTER (WHERE c.quantity IS NOT NULL AND c.quantity <> 0)',
        }
      : {
          cells: 'count(*)',
          weight: 'sum(c.net_weight_kg) FILTER (WHERE c.net_weight_kg <> 0)',
          weightValue: 'sum(c.value) FILTER (WHERE c.net_weight_kg IS NOT NULL AND c.net_weight_kg <> 0)',
          qty: 'sum(c.quantity) FILTER (WHERE c.quantity IS NOT NULL AND c.quantity <> 0)',
          qtyValue: 'sum(c.value) FILTER (WHERE c.quantity IS NOT NULL AND c.quantity <> 0)',
        };
    const outerKeys = request.groupBy.map((_, i) => `g.k${i}`);
    const outerCols = ['g.id', 'g.currency', ...outerKeys];
    const grouping = coverage
      ? `GROUPING SETS ((${outerCols.join(', ')}), (g.id, g.currency, g.k${flowIndex}))`
      : outerCols.join(', ');
    const inMonth = `NOT g.cum AND g.ps = g.pe`;
    const janFeb = `NOT g.cum AND g.ps % 100 = 1 AND g.pe = g.ps + 1`;
    const exactW = `g.ps = g.s AND g.pe = g.e`;
    const measured = `((${inMonth}) OR ${exactW})`;
    const sql = `
      WITH c AS (${latest}), w(id, s, e, ps, pe) AS (VALUES ${pairs.join(', ')}),
      g AS (
        SELECT w.id, w.s, w.e, c.currency${keys.length ? `, ${keys.join(', ')}` : ''},
          c.period_start AS ps, c.period_end AS pe, c.cumulative AS cum, c.quantity_unit AS qu,
          sum(c.value) AS v, ${inner.cells} AS n, ${inner.weight} AS wkg, ${inner.weightValue} AS wv,
          ${inner.qty} AS q, ${inner.qtyValue} AS qv
        FROM c JOIN w ON c.period_start = w.ps AND c.period_end = w.pe
        GROUP BY ALL)
      SELECT g.id AS window_id, g.currency${outerKeys.length ? `, ${outerKeys.map((k, i) => `${k} AS k${i}`).join(', ')}` : ''},
        ${coverage ? `GROUPING(${outerKeys.join(', ')}) <> 0` : 'false'} AS coverage_row,
        CAST(sum(g.v) FILTER (WHERE g.cum AND ${exactW}) AS VARCHAR) AS cum,
        coalesce(sum(g.n) FILTER (WHERE g.cum AND ${exactW}), 0) AS cum_cells,
        CAST(sum(g.v) FILTER (WHERE NOT g.cum AND ${exactW} AND g.ps <> g.pe) AS VARCHAR) AS exact,
        coalesce(sum(g.n) FILTER (WHERE NOT g.cum AND ${exactW} AND g.ps <> g.pe), 0) AS exact_cells,
        CAST(sum(g.v) FILTER (WHERE (${inMonth}) OR (${janFeb} AND g.s <> g.e)) AS VARCHAR) AS months,
        count(DISTINCT g.ps) FILTER (WHERE ${inMonth})
          + 2 * count(DISTINCT g.ps) FILTER (WHERE ${janFeb} AND g.s <> g.e) AS months_found,
        sum(g.n) AS cells,
        CAST(sum(g.wkg) FILTER (WHERE ${measured}) AS VARCHAR) AS weight,
        CAST(sum(g.wv) FILTER (WHERE ${measured}) AS VARCHAR) AS weight_value,
        CAST(sum(g.q) FILTER (WHERE ${measured}) AS VARCHAR) AS qty,
        CAST(sum(g.qv) FILTER (WHERE ${measured}) AS VARCHAR) AS qty_value,
        string_agg(DISTINCT g.qu, ',') AS qty_units
      FROM g
      GROUP BY ${grouping}
      ORDER BY ${outerCols.join(', ')}`;
    const rows = await this.db.all(sql, values);
    return rows.map((r) => {
      const key: Partial<Record<AggregateDimension, string>> = {};
      const coverageRow = r.coverage_row === true;
      request.groupBy.forEach((d, i) => {
        if (!coverageRow || i === flowIndex) key[d] = String(r[`k${i}`]);
      });
      const dec = (v: unknown) => (v === null || v === undefined ? null : trimDecimal(String(v)));
      return {
        window: String(r.window_id),
        key,
        currency: String(r.currency),
        cumulative: dec(r.cum),
        cumulativeCells: Number(r.cum_cells),
        exact: dec(r.exact),
        exactCells: Number(r.exact_cells),
        months: dec(r.months),
        monthsFound: Number(r.months_found),
        cells: Number(r.cells),
        netWeightKg: dec(r.weight),
        weightValue: dec(r.weight_value),
        quantity: dec(r.qty),
        quantityValue: dec(r.qty_value),
        quantityUnits: r.qty_units === null ? [] : String(r.qty_units).split(','),
        source: rollup ?? 'fact_cells',
        ...(coverageRow ? { coverage: true } : {}),
      };
    });
  }

  /** The smallest rollup that answers a request exactly (and is current), if any. */
  answeringTable(request: AggregateRequest): string {
    if (!this.rollupsEnabled) return 'fact_cells';
    if (totalRollupAnswers(request)) return 'rollup_total';
    if (rollupAnswers(request)) return 'rollup_hs2';
    if (this.aggregatePartners.length && productRollupAnswers(request, this.aggregatePartners)) return 'rollup_product';
    return 'fact_cells';
  }

  private async rollupFor(request: AggregateRequest): Promise<string | undefined> {
    let table: string | undefined;
    if (totalRollupAnswers(request)) table = 'rollup_total';
    else if (rollupAnswers(request)) table = 'rollup_hs2';
    else if (this.aggregatePartners.length && productRollupAnswers(request, this.aggregatePartners))
      table = 'rollup_product';
    if (!table) return undefined;
    return (await this.rollupsCurrent(request.filter.datasets)) ? table : undefined;
  }

  /**
   * True when the rollups of these datasets (all datasets when none named) hold their latest loads; a writable
   * store rebuilds stale ones first, a read-only one answers from the base cells instead.
   */
  private async rollupsCurrent(datasets: string[] | undefined): Promise<boolean> {
    if (datasets?.length && datasets.every((d) => this.freshRollups.has(d))) return true;
    const stale = await this.staleRollups(datasets);
    if (stale.length === 0) {
      for (const d of datasets ?? []) this.freshRollups.add(d);
      return true;
    }
    if (this.readOnly) return false;
    await this.refreshRollups(datasets);
    for (const d of datasets ?? []) this.freshRollups.add(d);
    return true;
  }

  private async staleRollups(datasets?: string[]): Promise<{ dataset: string; last: number }[]> {
    const rows = await this.db.all(
      `SELECT l.dataset, max(l.load_id) AS last FROM loads l JOIN committed_loads c USING (load_id)
       LEFT JOIN rollup_state s ON s.dataset = l.dataset
       ${datasets?.length ? `WHERE l.dataset IN (${placeholders(datasets.length, 0)})` : ''}
       GROUP BY l.dataset HAVING max(l.load_id) IS DISTINCT FROM any_value(s.built_after_load)`,
      datasets ?? [],
    );
    return rows.map((r) => ({ dataset: String(r.dataset), last: Number(r.last) }));
  }

  /**
   * Rebuilds the rollups (and any missing coverage records) of datasets whose latest committed load is newer
   * than their rollups (all datasets, or the ones named). `tradescope ingest` calls it after each load; a query
   * that finds them stale calls it first.
   */
  async refreshRollups(datasets?: string[], onProgress?: (dataset: string) => void): Promise<string[]> {
    const db = this.db;
    await this.ensureCoverage();
    const rebuilt: string[] = [];
    const stale = await this.staleRollups(datasets);
    if (stale.length) await db.run(`SET memory_limit = ${sqlString(this.rollupMemoryLimit)}`);
    try {
      await this.rebuildRollupsOf(stale, rebuilt, onProgress);
    } finally {
      if (stale.length) await db.run(`SET memory_limit = ${sqlString(this.memoryLimit)}`).catch(() => {});
    }
    return rebuilt;
  }

  private async rebuildRollupsOf(
    stale: { dataset: string; last: number }[],
    rebuilt: string[],
    onProgress?: (dataset: string) => void,
  ): Promise<void> {
    const db = this.db;
    for (const s of stale) {
      const ds = s.dataset;
      onProgress?.(ds);
      const single = await this.singleLoad({ datasets: [ds] });
      const order = 'ORDER BY 2, 4, 3, 5, 6, 7'; // reporter, flow, partner, product, window: what queries filter on
      await db.run('BEGIN TRANSACTION');
      try {
        for (const t of ['rollup_hs2', 'rollup_total', 'rollup_product'])
          await db.run(`DELETE FROM ${t} WHERE dataset = $1`, [ds]);
        if (single) {
          // one load: every cell is the latest; sum on the narrow integer facts first, then name the groups
          await db.run(
            singleLoadRollupSql(
              'rollup_hs2',
              "CASE WHEN pd.code = 'TOTAL' THEN 'TOTAL' ELSE left(pd.code, 2) END",
              'f.partner_id',
              order,
            ),
            [ds],
          );
        } else {
          const v1: SqlValue[] = [];
          const latest1 = this.latestCellsSql({ datasets: [ds] }, v1, single);
          v1.push(ds);
          await db.run(
            rollupInsertSql(
              'rollup_hs2',
              `$${v1.length}`,
              'partner',
              "CASE WHEN product = 'TOTAL' THEN 'TOTAL' ELSE left(product, 2) END",
              latest1,
              order,
            ),
            v1,
          );
        }
        // totals by partner from the chapters: the same sums, read from a far smaller table
        await db.run(
          `INSERT INTO rollup_total
             SELECT dataset, reporter, partner, flow, CASE WHEN product = 'TOTAL' THEN 'TOTAL' ELSE '*' END AS product,
               period_start, period_end, cumulative, trade_mode, region, currency,
               sum(value), sum(cells), sum(net_weight_kg), sum(weight_value), sum(quantity), sum(quantity_value),
               quantity_unit
             FROM rollup_hs2 WHERE dataset = $1
             GROUP BY dataset, reporter, partner, flow, 5, period_start, period_end, cumulative, trade_mode, region,
               currency, quantity_unit
             ${order}`,
          [ds],
        );
        if (this.aggregatePartners.length && single) {
          const agg = placeholders(this.aggregatePartners.length, 1);
          await db.run(
            singleLoadRollupSql(
              'rollup_product',
              'pd.code',
              `CASE WHEN f.partner_id IN (SELECT id FROM areas_dim WHERE code IN (${agg})) THEN f.partner_id ELSE -1 END`,
              order,
            ),
            [ds, ...this.aggregatePartners],
          );
        } else if (this.aggregatePartners.length) {
          const v2: SqlValue[] = [];
          const latest2 = this.latestCellsSql({ datasets: [ds] }, v2, single);
          const agg = placeholders(this.aggregatePartners.length, v2.length);
          v2.push(...this.aggregatePartners, ds);
          await db.run(
            rollupInsertSql(
              'rollup_product',
              `$${v2.length}`,
              `CASE WHEN partner IN (${agg}) THEN partner ELSE '*' END`,
              'product',
              latest2,
              order,
            ),
            v2,
          );
        }
        await db.run('INSERT OR REPLACE INTO rollup_state VALUES ($1, $2, now())', [ds, s.last]);
        await db.run('COMMIT');
      } catch (e) {
        await db.run('ROLLBACK').catch(() => {});
        throw e;
      }
      this.freshRollups.add(ds);
      rebuilt.push(ds);
    }
  }

  /** Records the coverage of committed loads that have none (stores written before coverage existed). */
  private async ensureCoverage(): Promise<boolean> {
    if (this.coverageComplete !== undefined) return this.coverageComplete;
    let missing: Row[];
    try {
      missing = await this.db.all(
        `SELECT load_id FROM committed_loads WHERE load_id NOT IN (SELECT load_id FROM coverage_loads) ORDER BY 1`,
      );
    } catch (e) {
      // a read-only store of an older schema: no coverage tables
      if (!this.readOnly) throw e;
      this.coverageComplete = false;
      return false;
    }
    if (missing.length && !this.readOnly) {
      await this.db.run('BEGIN TRANSACTION');
      try {
        for (const m of missing) for (const sql of COVERAGE_SQL) await this.db.run(sql, [Number(m.load_id)]);
        await this.db.run('COMMIT');
      } catch (e) {
        await this.db.run('ROLLBACK').catch(() => {});
        throw e;
      }
      this.coverageComplete = true;
    } else this.coverageComplete = missing.length === 0;
    return this.coverageComplete;
  }

  async rates(filter: CellFilter): Promise<RateRow[]> {
    const values: SqlValue[] = [];
    const where = this.filterSql({ ...filter, currencies: undefined }, values);
    const rows = await this.db.all(
      `SELECT * FROM (
         SELECT l.dataset, CAST(l.vintage AS VARCHAR) AS vintage, f.*, CAST(f.rate AS VARCHAR) AS rate_text,
           row_number() OVER (PARTITION BY l.dataset, f.reporter, f.partner, f.flow, f.classification, f.product,
             f.period_start, f.period_end, f.cumulative, f.trade_mode, f.region
             ORDER BY l.vintage DESC, f.load_id DESC) AS rn
         FROM rates f JOIN loads l ON l.load_id = f.load_id WHERE ${where})
       WHERE rn = 1 ORDER BY dataset, reporter, partner, flow, region, period_start, period_end`,
      values,
    );
    return rows.map((r) => ({
      dataset: String(r.dataset),
      vintage: String(r.vintage),
      reporter: String(r.reporter),
      partner: String(r.partner),
      flow: String(r.flow),
      product: String(r.product),
      period: periodLabel(Number(r.period_start), Number(r.period_end), Boolean(r.cumulative)),
      periodStart: Number(r.period_start),
      periodEnd: Number(r.period_end),
      cumulative: Boolean(r.cumulative),
      region: String(r.region),
      rate: trimDecimal(String(r.rate_text)),
      note: r.note === null ? null : String(r.note),
    }));
  }

  /** True when every dataset the filter reads has exactly one committed load (and no as-of reading). */
  private async singleLoad(filter: CellFilter): Promise<boolean> {
    if (filter.asOf || filter.vintage || !filter.datasets?.length) return false;
    if (!this.loadCounts) {
      const rows = await this.db.all(
        `SELECT l.dataset, count(*) AS n FROM loads l JOIN committed_loads c USING (load_id) GROUP BY 1`,
      );
      this.loadCounts = new Map(rows.map((r) => [String(r.dataset), Number(r.n)]));
    }
    return filter.datasets.every((d) => this.loadCounts!.get(d) === 1);
  }

  async datasetProfile(
    dataset: string,
    options: { classifications?: boolean } = {},
  ): Promise<{
    vintages: DatasetSummary['vintages'];
    flags: string[];
    classifications: string[];
    seasonallyAdjusted: boolean;
  }> {
    const key = `profile ${dataset} ${options.classifications !== false}`;
    const known = this.metaCache.get(key) as Awaited<ReturnType<DuckDbStore['datasetProfile']>> | undefined;
    if (known) return structuredClone(known);
    const found = await this.datasetProfileUncached(dataset, options);
    this.metaCache.set(key, found);
    return structuredClone(found);
  }

  private async datasetProfileUncached(dataset: string, options: { classifications?: boolean }) {
    const summary = await this.loads(dataset);
    const byVintage = new Map<
      string,
      { vintage: string; vintageSource: string; loads: number; rows: number; files: string[] }
    >();
    for (const l of summary) {
      const v = byVintage.get(l.vintage) ?? {
        vintage: l.vintage,
        vintageSource: l.vintageSource,
        loads: 0,
        rows: 0,
        files: [],
      };
      v.loads++;
      v.rows += l.rowsLoaded;
      v.files.push(l.sourceFile);
      byVintage.set(l.vintage, v);
    }
    const ids = summary.map((l) => l.loadId);
    if (!ids.length) return { vintages: [], flags: [], classifications: [], seasonallyAdjusted: false };
    const flags = await this.db.all(
      `SELECT DISTINCT flag, seasonally_adjusted FROM slices WHERE load_id IN (${placeholders(ids.length, 0)}) ORDER BY 1`,
      ids,
    );
    const key = `${dataset}|${ids.join(',')}`;
    let classes = this.classificationCache.get(key);
    if (!classes && options.classifications !== false) {
      // from the coverage records when every load has them, else from the facts
      const from = (await this.ensureCoverage()) ? 'product_coverage' : 'facts';
      const rows = await this.db.all(
        `SELECT DISTINCT pd.classification FROM products_dim pd
         WHERE pd.id IN (SELECT DISTINCT product_id FROM ${from} WHERE load_id IN (${placeholders(ids.length, 0)}))
         ORDER BY 1`,
        ids,
      );
      classes = rows.map((r) => String(r.classification));
      this.classificationCache.set(key, classes);
    }
    return {
      vintages: [...byVintage.values()],
      flags: [...new Set(flags.map((f) => String(f.flag)))],
      classifications: classes ?? [],
      seasonallyAdjusted: flags.some((f) => Boolean(f.seasonally_adjusted)),
    };
  }

  private classificationCache = new Map<string, string[]>();

  async productCodes(dataset: string, prefixes: readonly string[]): Promise<string[]> {
    if (!prefixes.length) return [];
    // cached until the next write (every write clears the metadata cache)
    const key = `products ${dataset}|${[...prefixes].sort().join(',')}`;
    const known = this.metaCache.get(key) as string[] | undefined;
    if (known) return [...known];
    const ids = (await this.loads(dataset)).map((l) => l.loadId);
    if (!ids.length) return [];
    const values: SqlValue[] = [...ids];
    const from = (await this.ensureCoverage()) ? 'product_coverage' : 'facts';
    const cond = prefixes.includes('') ? 'true' : prefixCondition('pd.code', prefixes, values);
    const rows = await this.db.all(
      `SELECT DISTINCT pd.code FROM products_dim pd
       WHERE pd.id IN (SELECT DISTINCT product_id FROM ${from} WHERE load_id IN (${placeholders(ids.length, 0)}))
         AND pd.code <> 'TOTAL' AND ${cond}
       ORDER BY 1`,
      values,
    );
    const codes = rows.map((r) => String(r.code));
    this.metaCache.set(key, codes);
    return [...codes];
  }

  /**
   * Datasets holding matching cells, from the coverage records (per load, slice, reporter and partner; a
   * product condition is checked against the products the load holds over the months asked). Without
   * coverage records (a read-only store written by an older version), the base cells are counted.
   */
  async datasetsCovering(filter: CellFilter): Promise<{ dataset: string; cells: number }[]> {
    // what the store holds changes only with a load: answers are kept until the next one
    const key = `covering ${JSON.stringify(filter)}`;
    const known = this.metaCache.get(key) as { dataset: string; cells: number }[] | undefined;
    if (known) return known.map((c) => ({ ...c }));
    const found = await this.datasetsCoveringUncached(filter);
    this.metaCache.set(key, found);
    return found.map((c) => ({ ...c }));
  }

  private async datasetsCoveringUncached(filter: CellFilter): Promise<{ dataset: string; cells: number }[]> {
    const values: SqlValue[] = [];
    if (await this.ensureCoverage()) {
      const { products, productPrefixes, classifications, ...rest } = filter;
      const where = [this.filterSql(rest, values)];
      const productConds: string[] = [];
      const wantTotal = products?.includes('TOTAL') ?? false;
      const codes = products?.filter((p) => p !== 'TOTAL');
      const inLoad = (cond: string) => {
        const period = filter.overlapping
          ? (() => {
              values.push(filter.overlapping!.end, filter.overlapping!.start);
              return ` AND pc.period_start <= $${values.length - 1} AND pc.period_end >= $${values.length}`;
            })()
          : '';
        return `EXISTS (SELECT 1 FROM product_coverage pc JOIN products_dim pd ON pd.id = pc.product_id
                WHERE pc.load_id = f.load_id AND (pd.code = 'TOTAL') = f.total AND ${cond}${period})`;
      };
      if (products) {
        if (wantTotal) productConds.push('f.total');
        if (codes?.length) {
          // the codes' values first, then the months inLoad binds after them
          const cond = `pd.code IN (${placeholders(codes.length, values.length)})`;
          values.push(...codes);
          productConds.push(inLoad(cond));
        }
        where.push(productConds.length ? `(${productConds.join(' OR ')})` : 'false');
      }
      if (productPrefixes && !productPrefixes.includes('')) {
        where.push(productPrefixes.length ? inLoad(prefixCondition('pd.code', productPrefixes, values)) : 'false');
      }
      if (classifications) {
        // checked per load, among the load's totals or its detailed products as the coverage row holds
        if (classifications.length) {
          const cond = `pd.classification IN (${placeholders(classifications.length, values.length)})`;
          values.push(...classifications);
          where.push(inLoad(cond));
        } else where.push('false');
      }
      const rows = await this.db.all(
        `WITH f AS (
           SELECT cc.load_id, cc.total, cc.cells, r.code AS reporter, p.code AS partner, s.flow, s.period_start,
             s.period_end, s.cumulative, s.trade_mode, s.region, s.currency, '' AS product, '' AS classification
           FROM cell_coverage cc JOIN slices s ON s.slice_id = cc.slice_id
           JOIN areas_dim r ON r.id = cc.reporter_id JOIN areas_dim p ON p.id = cc.partner_id)
         SELECT l.dataset, sum(f.cells) AS cells FROM f JOIN loads l ON l.load_id = f.load_id
         WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
        values,
      );
      return rows.map((r) => ({ dataset: String(r.dataset), cells: Number(r.cells) }));
    }
    const where = this.filterSql(filter, values);
    const rows = await this.db.all(
      `SELECT l.dataset, count(*) AS cells FROM fact_cells f JOIN loads l ON l.load_id = f.load_id
       WHERE ${where} GROUP BY 1 ORDER BY 1`,
      values,
    );
    return rows.map((r) => ({ dataset: String(r.dataset), cells: Number(r.cells) }));
  }

  async precedence(): Promise<string[]> {
    const rows = await this.db.all('SELECT dataset FROM precedence ORDER BY rank');
    return rows.map((r) => String(r.dataset));
  }

  async setPrecedence(datasets: string[]): Promise<void> {
    await this.db.run('BEGIN TRANSACTION');
    await this.db.run('DELETE FROM precedence');
    for (const [i, d] of datasets.entries()) await this.db.run('INSERT INTO precedence VALUES ($1, $2)', [i, d]);
    await this.db.run('COMMIT');
  }

  /** Runs a read-only SQL statement (for tests and benchmarks; never with user text). */
  async sql(sql: string, values: SqlValue[] = []): Promise<Row[]> {
    return this.db.all(sql, values);
  }
}

/** The INSERT that sums the latest cells of a dataset into a rollup (partner and product as given). */
function rollupInsertSql(
  table: string,
  dataset: string,
  partner: string,
  product: string,
  latest: string,
  order: string,
): string {
  return `INSERT INTO ${table}
    SELECT ${dataset}, reporter, ${partner}, flow, ${product},
      period_start, period_end, cumulative, trade_mode, region, currency,
      sum(value), count(*),
      sum(net_weight_kg) FILTER (WHERE net_weight_kg <> 0),
      sum(value) FILTER (WHERE net_weight_kg IS NOT NULL AND net_weight_kg <> 0),
      sum(quantity) FILTER (WHERE quantity IS NOT NULL AND quantity <> 0),
      sum(value) FILTER (WHERE quantity IS NOT NULL AND quantity <> 0),
      quantity_unit
    FROM (${latest})
    GROUP BY ALL
    ${order}`;
}

/**
 * The INSERT that sums a single-load dataset ($1) into a rollup: grouped on the integer facts by slice, reporter,
 * partner (an id, or -1 for the countries' sum '*') and product (an expression over `pd`), then named.
 */
function singleLoadRollupSql(table: string, product: string, partner: string, order: string): string {
  return `INSERT INTO ${table}
    SELECT $1, r.code, coalesce(p.code, '*'), s.flow, g.product, s.period_start, s.period_end, s.cumulative,
      s.trade_mode, s.region, s.currency, sum(g.v), sum(g.n), sum(g.wkg), sum(g.wv), sum(g.q), sum(g.qv), s.quantity_unit
    FROM (
      SELECT f.slice_id, f.reporter_id, ${partner} AS partner_id, ${product} AS product,
        sum(f.value) AS v, count(*) AS n,
        sum(f.net_weight_kg) FILTER (WHERE f.net_weight_kg <> 0) AS wkg,
        sum(f.value) FILTER (WHERE f.net_weight_kg IS NOT NULL AND f.net_weight_kg <> 0) AS wv,
        sum(f.quantity) FILTER (WHERE f.quantity IS NOT NULL AND f.quantity <> 0) AS q,
        sum(f.value) FILTER (WHERE f.quantity IS NOT NULL AND f.quantity <> 0) AS qv
      FROM facts f JOIN products_dim pd ON pd.id = f.product_id
      WHERE f.load_id IN (SELECT l.load_id FROM loads l JOIN committed_loads c ON c.load_id = l.load_id
                          WHERE l.dataset = $1)
      GROUP BY ALL) g
    JOIN slices s ON s.slice_id = g.slice_id
    JOIN areas_dim r ON r.id = g.reporter_id
    LEFT JOIN areas_dim p ON p.id = g.partner_id
    GROUP BY r.code, p.code, s.flow, g.product, s.period_start, s.period_end, s.cumulative, s.trade_mode, s.region,
      s.currency, s.quantity_unit
    ${order}`;
}

/**
 * Codes starting with any of the prefixes, as one IN list per prefix length (`left(code, 4) IN (…)`): a basket
 * of hundreds of headings stays a handful of conditions (a chain of OR would exceed the engine's expression depth).
 */
function prefixCondition(column: string, prefixes: readonly string[], values: SqlValue[]): string {
  if (prefixes.length === 0) return 'false';
  const byLength = new Map<number, string[]>();
  for (const p of new Set(prefixes)) byLength.set(p.length, [...(byLength.get(p.length) ?? []), p]);
  const alts = [...byLength].map(([len, list]) => {
    const cond = `left(${column}, ${len}) IN (${placeholders(list.length, values.length)})`;
    values.push(...list);
    return cond;
  });
  return `(${alts.join(' OR ')})`;
}

/**
 * The (start, end) periods of the cells a window reads: its single months, Jan+Feb combined when the window
 * spans both, and the window itself (a published cumulative or a value for exactly the window).
 */
function windowCellPeriods(start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  for (let m = start; m <= end; m = m % 100 === 12 ? m + 89 : m + 1) {
    out.push([m, m]);
    if (m % 100 === 1 && start !== end && m + 1 <= end) out.push([m, m + 1]);
  }
  if (start !== end) out.push([start, end]);
  return out.filter(([s, e], i) => out.findIndex(([s2, e2]) => s2 === s && e2 === e) === i);
}

/** True when the totals rollup answers exactly: all products (published totals, or the sum of the products). */
function totalRollupAnswers(request: AggregateRequest): boolean {
  const f = request.filter;
  if (!rollupAnswers(request)) return false;
  if (request.groupBy.includes('product')) return false;
  const totals = f.products?.length === 1 && f.products[0] === 'TOTAL' && !f.productPrefixes;
  const everything = !f.products && f.productPrefixes?.length === 1 && f.productPrefixes[0] === '';
  return totals || everything;
}

/** True when the HS2 rollup answers an aggregate exactly (same cells, latest vintage, chapters or totals). */
function rollupAnswers(request: AggregateRequest): boolean {
  const f = request.filter;
  if (f.asOf || f.vintage || f.windows || f.monthsWithin || f.classifications || f.overlapping) return false;
  if (f.products && !(f.products.length === 1 && f.products[0] === 'TOTAL')) return false;
  if (f.productPrefixes?.some((p) => p.length > 2)) return false;
  if (request.groupBy.includes('product') && (request.productDigits ?? 6) > 2) return false;
  return true;
}

/**
 * True when the product rollup answers exactly: no partner drilldown, and the partners asked are either the
 * countries' sum (published aggregates excluded) or one published aggregate (World …).
 */
function productRollupAnswers(request: AggregateRequest, aggregates: string[]): boolean {
  const f = request.filter;
  if (f.asOf || f.vintage || f.windows || f.monthsWithin || f.classifications || f.overlapping) return false;
  if (f.partnerIntervals || request.groupBy.includes('partner')) return false;
  if (f.excludePartners?.length) {
    // exactly the aggregate list: what is left are the countries the rollup summed
    const set = new Set(aggregates);
    return f.excludePartners.length === set.size && f.excludePartners.every((p) => set.has(p)) && !f.partners;
  }
  return !!f.partners && f.partners.length > 0 && f.partners.every((p) => aggregates.includes(p));
}

function toCellRow(r: Row): CellRow {
  return {
    dataset: String(r.dataset),
    vintage: String(r.vintage),
    reporter: String(r.reporter),
    partner: String(r.partner),
    flow: String(r.flow),
    classification: String(r.classification),
    product: String(r.product),
    period: periodLabel(Number(r.period_start), Number(r.period_end), Boolean(r.cumulative)),
    periodStart: Number(r.period_start),
    periodEnd: Number(r.period_end),
    cumulative: Boolean(r.cumulative),
    tradeMode: String(r.trade_mode),
    region: String(r.region),
    value: trimDecimal(String(r.value_text)),
    currency: String(r.currency),
    flag: String(r.flag),
    seasonallyAdjusted: Boolean(r.seasonally_adjusted),
    sourceFile: String(r.source_file),
    sourceLine: r.source_line === null ? null : Number(r.source_line),
    loadId: Number(r.load_id),
  };
}

function parseList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const s = String(v).trim();
  if (s === '[]' || s === '') return [];
  return s
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((x) => x.trim().replace(/^'|'$/g, ''))
    .filter((x) => x !== '' && x !== 'NULL');
}

function monthText(m: number): string {
  return `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`;
}

/** `123.4500` → `123.45`, `100.0000` → `100`. */
export function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** A `loads` row (with `vintage_text` and `committed_text`) as a {@link LoadRecord}. */
function loadRecord(r: Row): LoadRecord {
  return {
    loadId: Number(r.load_id),
    dataset: String(r.dataset),
    vintage: String(r.vintage_text),
    vintageSource: String(r.vintage_source ?? ''),
    sourceFile: String(r.source_file ?? ''),
    contentHash: String(r.content_hash ?? ''),
    format: String(r.format ?? ''),
    mapping: r.mapping === null ? undefined : String(r.mapping),
    encoding: r.encoding === null ? undefined : String(r.encoding),
    committedAt: String(r.committed_text),
    rowsRead: Number(r.rows_read),
    rowsLoaded: Number(r.rows_loaded),
    rowsQuarantined: Number(r.rows_quarantined),
    blankLines: Number(r.blank_lines),
  };
}
