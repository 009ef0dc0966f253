/**
 * The scale-out store: tradescope's cube in ClickHouse (one node, or a cluster of shards), behind the same
 * {@link TradeStore} interface and with the same answers as the embedded DuckDB store.
 *
 * Loading: files are staged and normalized exactly as for DuckDB — the store keeps a local DuckDB
 * ({@link ClickHouseStore.localStaging}) in which the ingest stages a file and the DuckDB store's own
 * `writeLoad` validates, maps, quarantines and de-duplicates it. The normalized cells, rates, quarantine and
 * codes are then copied to ClickHouse as CSV in batches of {@link ClickHouseStoreOptions.batchRows} rows, the
 * load record is written, and one row in `committed_loads` makes the whole load visible. Across shards there is
 * no atomic swap: an interrupted load leaves rows that no read can see (every read filters on
 * `committed_loads`), and {@link ClickHouseStore.removeUncommitted} deletes them later.
 *
 * Reading: every method compiles its request to ClickHouse SQL ({@link ./dialect.ts}) with values bound by a
 * {@link Binder} — literals on 18.16, server-side parameters on 20.1 and later — and reads TabSeparated text,
 * so decimals arrive exactly.
 *
 * @example
 *   const store = await ClickHouseStore.open('clickhouse://default@127.0.0.1:8123/tradescope');
 *   await ingestFile(store, 'TradeData.csv', { format: 'comtrade', stagingBase: '/tmp/x' });
 *   await store.cells({ reporters: ['CHN'], partners: ['WLD'] });
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { periodLabel } from '../../model/period.js';
import { type Problem, UserError } from '../../util/errors.js';
import type { DuckDb } from '../duckdb/duckdb-connection.js';
import { DuckDbStore, trimDecimal } from '../duckdb/duckdb-store.js';
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
import { Binder, identifier, quoteString, supportsServerParameters } from './binder.js';
import {
  aggregateSql,
  CELL_KEY,
  COMMITTED,
  cellsSql,
  datasetsCoveringSql,
  loadsSql,
  productCodesSql,
  quarantineSql,
  ratesSql,
  sumCellsSql,
} from './dialect.js';
import { reserveLoadId } from './load-id.js';
import { cleanupSql, coverageInsertSql, schemaDdl } from './schema.js';
import { parseTsvWithNames } from './tsv.js';
import { type ClickHouseLocation, parseClickHouseUrl, redact } from './url.js';

type TsvRow = Record<string, string | null>;

export interface ClickHouseStoreOptions {
  /** Skip creating the schema (read-only commands). */
  readOnly?: boolean;
  /** Rows per insert batch when copying a load (default 500,000, or `TRADESCOPE_CLICKHOUSE_BATCH_ROWS`). */
  batchRows?: number;
  /** Force literal binding even on servers with query parameters (tests of the 18.16 path). */
  bind?: 'literal' | 'server' | 'auto';
  /** Memory limit of the local DuckDB that normalizes loads (default 2GB). */
  localMemoryLimit?: string;
}

/** Columns of `facts` in insert order. */
const FACT_COLUMNS = [
  'load_id',
  'dataset',
  'vintage',
  'source_file',
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
  'value',
  'net_weight_kg',
  'quantity',
  'quantity_unit',
  'flag',
  'seasonally_adjusted',
  'source_line',
  'sheet',
] as const;

export class ClickHouseStore implements TradeStore {
  readonly engine = 'clickhouse' as const;
  readonly location: string;
  private batchRows: number;
  private writeCounter = 0;

  private constructor(
    readonly target: ClickHouseLocation,
    private readonly client: ClickHouseClient,
    private readonly shardClients: ClickHouseClient[],
    /** The local DuckDB store in which loads are staged and normalized (and fx series kept). */
    private readonly local: DuckDbStore,
    private readonly localDir: string | undefined,
    readonly serverVersion: string,
    readonly bindMode: 'literal' | 'server',
    location: string,
    options: ClickHouseStoreOptions,
  ) {
    this.location = location;
    const env = Number(process.env.TRADESCOPE_CLICKHOUSE_BATCH_ROWS);
    this.batchRows = options.batchRows ?? (Number.isSafeInteger(env) && env > 0 ? env : 500_000);
  }

  get localStaging(): DuckDb {
    return this.local.db;
  }

  /** Connects, checks the server, creates the database and schema (unless read-only). */
  static async open(url: string, options: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
    const target = parseClickHouseUrl(url);
    const clientFor = (origin: string, database: string) =>
      createClient({
        url: origin,
        username: target.username,
        password: target.password,
        database,
        log: { level: ClickHouseLogLevel.OFF },
        request_timeout: 600_000,
      });
    const boot = clientFor(target.url, 'default');
    let version: string;
    try {
      version = (await queryRows(boot, 'SELECT version() AS v', new Binder('literal')))[0]?.v ?? '';
    } catch (e) {
      await boot.close();
      throw new UserError(
        `cannot reach ClickHouse at ${redact(url)}: ${(e as Error).message.split('\n')[0]} (is the server running, and is the port its HTTP port?)`,
      );
    }
    const shardClients = (target.shards ?? []).map((s) => clientFor(s, 'default'));
    try {
      if (!options.readOnly) await createSchema(target, boot, shardClients);
      else {
        const r = await queryRows(
          boot,
          `SELECT count() AS n FROM system.tables WHERE database = ${quoteString(target.database)} AND name = 'facts'`,
          new Binder('literal'),
        );
        if (Number(r[0]?.n) === 0) {
          throw new UserError(
            `no tradescope schema in database ${target.database} at ${redact(url)} (ingest a file first, which creates it)`,
          );
        }
      }
    } finally {
      await boot.close();
    }
    const mode =
      options.bind === 'literal' || options.bind === 'server'
        ? options.bind
        : supportsServerParameters(version)
          ? 'server'
          : 'literal';
    const localDir = target.local ? undefined : mkdtempSync(join(tmpdir(), 'tradescope-ch-local-'));
    const local = await DuckDbStore.open(target.local ?? join(localDir!, 'local.duckdb'), {
      memoryLimit: options.localMemoryLimit ?? '2GB',
      rollups: false,
    });
    const client = clientFor(target.url, target.database);
    if (!options.readOnly) await backfillCoverage(client);
    return new ClickHouseStore(target, client, shardClients, local, localDir, version, mode, redact(url), options);
  }

  async close(): Promise<void> {
    await this.client.close();
    for (const c of this.shardClients) await c.close();
    await this.local.close();
    if (this.localDir) rmSync(this.localDir, { recursive: true, force: true });
  }

  private binder(): Binder {
    return new Binder(this.bindMode);
  }

  /** Runs a query built with `b` and returns its rows as text. */
  private async rows(sql: string, b: Binder): Promise<TsvRow[]> {
    return queryRows(this.client, sql, b);
  }

  // ── loads ────────────────────────────────────────────────────────────────────────────────────────────────

  async findCommittedLoad(dataset: string, contentHash: string, vintage?: string): Promise<LoadRecord | undefined> {
    const row = (await this.loadRecords({ dataset, contentHash, ...(vintage ? { vintage } : {}) }))[0];
    if (!row) return undefined;
    const { flags: _f, classifications: _c, ...l } = row;
    return l;
  }

  async loads(dataset?: string): Promise<LoadRecord[]> {
    const rows = await this.loadRecords(dataset === undefined ? {} : { dataset });
    return rows.map(({ flags: _f, classifications: _c, ...l }) => l);
  }

  private async loadRecords(where: { dataset?: string; contentHash?: string; vintage?: string }) {
    const b = this.binder();
    const rows = await this.rows(loadsSql(b, where), b);
    if (!rows.length) return [];
    const cb = this.binder();
    const committed = await this.rows(
      `SELECT load_id, committed_at FROM committed_loads WHERE load_id IN (${cb.ints(rows.map((r) => Number(r.load_id)))})`,
      cb,
    );
    const at = new Map(committed.map((c) => [Number(c.load_id), String(c.committed_at)]));
    return rows.map((r) => this.toLoadRecord(r, at.get(Number(r.load_id)) ?? ''));
  }

  private toLoadRecord(r: TsvRow, committedAt: string): LoadRecord & { flags: string[]; classifications: string[] } {
    return {
      loadId: Number(r.load_id),
      dataset: String(r.dataset),
      vintage: String(r.vintage),
      vintageSource: String(r.vintage_source ?? ''),
      sourceFile: String(r.source_file ?? ''),
      contentHash: String(r.content_hash ?? ''),
      format: String(r.format ?? ''),
      mapping: r.mapping === null ? undefined : String(r.mapping),
      encoding: r.encoding === null ? undefined : String(r.encoding),
      committedAt,
      rowsRead: Number(r.rows_read),
      rowsLoaded: Number(r.rows_loaded),
      rowsQuarantined: Number(r.rows_quarantined),
      blankLines: Number(r.blank_lines),
      flags: splitArray(r.flags),
      classifications: splitArray(r.classifications),
    };
  }

  /**
   * Writes a staged file as one load: normalized in the local DuckDB by the DuckDB store's own rules, copied to
   * ClickHouse in batches, made visible by one row in `committed_loads`. On failure nothing becomes visible and
   * the rows already written are deleted (best effort; {@link removeUncommitted} finishes the job).
   */
  async writeLoad(
    meta: LoadMeta,
    staging: StagingArea,
    options: WriteOptions = {},
  ): Promise<{ loadId: LoadId; warnings: Problem[] } & LoadCounts> {
    const phase = options.onPhase ?? (() => {});
    const db = this.local.db;
    // rows of loads killed more than a day ago (no load runs that long) are deleted first
    await this.removeUncommitted(24 * 3600).catch(() => {});
    // reserve an id no concurrent writer gets (claimed, see load-id.ts); an id once started is never given again
    const loadId = await reserveLoadId({
      highestId: async () => {
        const b = this.binder();
        const r = await this.rows(
          'SELECT greatest((SELECT max(load_id) FROM load_starts), (SELECT max(load_id) FROM load_claims)) AS m',
          b,
        );
        return Number(r[0]?.m ?? 0);
      },
      insertClaim: (id, token) =>
        this.insertValues('load_claims', ['load_id', 'token', 'claimed_at'], [[id, token, nowText()]]),
      claimsOf: async (id) => {
        const b = this.binder();
        return (await this.rows(`SELECT token FROM load_claims WHERE load_id = ${b.int(id)}`, b)).map((r) =>
          String(r.token),
        );
      },
    });
    await this.insertValues('load_starts', ['load_id', 'dataset', 'started_at'], [[loadId, meta.dataset, nowText()]]);
    let localId: number | undefined;
    // whether any row of the load reached ClickHouse (a failure before that needs no deletion: on 18.16 an
    // ALTER … DELETE rewrites every part it scans)
    let wrote = false;
    const work = mkdtempSync(join(tmpdir(), 'tradescope-ch-load-'));
    try {
      const local = await this.local.writeLoad(meta, staging, options);
      localId = local.loadId;
      const counts: LoadCounts = {
        rowsRead: local.rowsRead,
        rowsLoaded: local.rowsLoaded,
        rowsQuarantined: local.rowsQuarantined,
        blankLines: local.blankLines,
      };
      const lid = String(localId);
      await db.run(
        `CREATE OR REPLACE TEMP TABLE ch_out AS
         SELECT row_number() OVER () AS rn, ${loadId} AS load_id, f.reporter, f.partner, f.flow, f.classification,
           f.product, f.period_start, f.period_end, CAST(f.cumulative AS INTEGER) AS cumulative, f.trade_mode,
           f.region, f.currency, f.value, f.net_weight_kg, f.quantity, f.quantity_unit, f.flag,
           CAST(f.seasonally_adjusted AS INTEGER) AS seasonally_adjusted, f.source_line, f.sheet
         FROM fact_cells f WHERE f.load_id = ${lid}`,
      );
      await db.run(
        'CREATE OR REPLACE TEMP TABLE ch_partdup (rn BIGINT, line BIGINT, sheet VARCHAR, v VARCHAR, first_value VARCHAR, first_line BIGINT)',
      );
      if (staging.layout !== 'baci') {
        phase('checking other parts of the release');
        await this.checkOtherParts(meta, work);
      }
      const conflicts = Number((await db.one('SELECT count(DISTINCT rn) AS n FROM ch_partdup'))?.n ?? 0);
      if (conflicts) {
        counts.rowsLoaded -= conflicts;
        counts.rowsQuarantined += conflicts;
        if (counts.rowsLoaded === 0 && options.rollbackIfEmpty) {
          throw new UserError(
            `no loadable record in ${meta.sourceFile}: ${counts.rowsRead} read, all rejected; the store is unchanged. ` +
              'Every cell is already loaded in the same release with a different value.',
          );
        }
      }
      const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
      const fileCols = `${quote(meta.dataset)} AS dataset, CAST(${quote(meta.vintage)} AS DATE) AS vintage, ${quote(meta.sourceFile)} AS source_file`;
      phase('copying to ClickHouse');
      wrote = true;
      const total = Number((await db.one('SELECT max(rn) AS n FROM ch_out'))?.n ?? 0);
      for (let start = 0; start < total; start += this.batchRows) {
        await this.copyFromLocal(
          work,
          'facts',
          FACT_COLUMNS,
          `SELECT load_id, ${fileCols}, reporter, partner, flow, classification, product, period_start, period_end,
             cumulative, trade_mode, region, currency, value, net_weight_kg, quantity, quantity_unit, flag,
             seasonally_adjusted, source_line, sheet
           FROM ch_out WHERE rn > ${start} AND rn <= ${start + this.batchRows}
             AND rn NOT IN (SELECT rn FROM ch_partdup)`,
        );
      }
      await this.client.command({
        query: coverageInsertSql(loadId),
        clickhouse_settings: { insert_distributed_sync: 1 },
      });
      await this.copyFromLocal(
        work,
        'rates',
        [
          'load_id',
          'dataset',
          'vintage',
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
          'rate',
          'note',
          'source_line',
          'sheet',
        ],
        `SELECT ${loadId}, ${quote(meta.dataset)}, CAST(${quote(meta.vintage)} AS DATE), reporter, partner, flow,
           classification, product, period_start, period_end, CAST(cumulative AS INTEGER), trade_mode, region, rate,
           note, source_line, sheet
         FROM rates WHERE load_id = ${lid}`,
      );
      await this.copyFromLocal(
        work,
        'quarantine',
        [
          'load_id',
          'dataset',
          'vintage',
          'source_file',
          'line',
          'sheet',
          'field',
          'raw_value',
          'code',
          'reason',
          'raw_line',
        ],
        `SELECT ${loadId}, ${fileCols}, line, sheet, field, raw_value, code, reason, raw_line
         FROM quarantine WHERE load_id = ${lid}
         UNION ALL
         SELECT ${loadId}, ${fileCols}, line, sheet, 'value', v, 'conflicting-part',
           'cell already loaded in the same release with a different value: ' || v || ' here, ' || first_value
             || ' line ' || first_line || ' (kept)', NULL
         FROM ch_partdup`,
      );
      await this.copyFromLocal(
        work,
        'load_codes',
        ['load_id', 'scheme', 'raw', 'code'],
        `SELECT ${loadId}, scheme, raw, code FROM load_codes WHERE load_id = ${lid}`,
      );
      const profile = await db.one(
        `SELECT list(DISTINCT flag ORDER BY flag) AS flags, list(DISTINCT classification ORDER BY classification) AS cls
         FROM ch_out WHERE rn NOT IN (SELECT rn FROM ch_partdup)`,
      );
      const info = meta.datasetInfo ?? {};
      await this.insertValues(
        'datasets',
        ['dataset', 'name', 'source', 'notes', 'seasonally_adjusted', 'added_at', 'load_id'],
        [
          [
            meta.dataset,
            info.name ?? null,
            info.source ?? null,
            info.notes ?? null,
            info.seasonallyAdjusted ? 1 : 0,
            nowText(),
            loadId,
          ],
        ],
      );
      phase('committing');
      await this.insertValues(
        'loads',
        [
          'load_id',
          'dataset',
          'vintage',
          'vintage_source',
          'source_file',
          'content_hash',
          'format',
          'mapping',
          'encoding',
          'started_at',
          'rows_read',
          'rows_loaded',
          'rows_quarantined',
          'blank_lines',
          'flags',
          'classifications',
        ],
        [
          [
            loadId,
            meta.dataset,
            meta.vintage,
            meta.vintageSource,
            meta.sourceFile,
            meta.contentHash,
            meta.format,
            meta.mapping ?? null,
            meta.encoding ?? null,
            nowText(),
            counts.rowsRead,
            counts.rowsLoaded,
            counts.rowsQuarantined,
            counts.blankLines,
            parseDuckList(profile?.flags),
            parseDuckList(profile?.cls),
          ],
        ],
      );
      // the commit: one row, one insert, after every other row of the load is in place
      await this.insertValues('committed_loads', ['load_id', 'committed_at'], [[loadId, nowText()]]);
      return { loadId, ...counts, warnings: local.warnings };
    } catch (e) {
      if (wrote) await this.removeLoads([loadId]).catch(() => {});
      else await this.markRemoved([loadId]).catch(() => {});
      throw e;
    } finally {
      rmSync(work, { recursive: true, force: true });
      for (const t of ['ch_out', 'ch_partdup', 'ch_parts'])
        await db.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => {});
      if (localId !== undefined) await this.forgetLocalLoad(localId).catch(() => {});
    }
  }

  /**
   * Cells of this load that another committed part (file) of the same release (dataset + vintage) already holds
   * with a different value: quarantined as `conflicting-part`, the first value kept — the DuckDB store's rule,
   * checked here against the parts in ClickHouse. Fills `ch_partdup`.
   */
  private async checkOtherParts(meta: LoadMeta, work: string): Promise<void> {
    const b = this.binder();
    const parts = await this.rows(
      `SELECT load_id FROM loads WHERE ${COMMITTED} AND dataset = ${b.str(meta.dataset)} AND vintage = ${b.date(meta.vintage)}`,
      b,
    );
    if (!parts.length) return;
    const pb = this.binder();
    const keyCols = CELL_KEY.join(', ');
    const csv = await this.client.query({
      query: `SELECT ${keyCols}, value, source_line, source_file FROM facts
              WHERE load_id IN (${pb.ints(parts.map((p) => Number(p.load_id)))})`,
      format: 'CSVWithNames',
      ...(pb.mode === 'server' ? { query_params: pb.params } : {}),
    });
    const file = join(work, 'parts.csv');
    writeFileSync(file, await csv.text());
    const types: Record<string, string> = {
      reporter: 'VARCHAR',
      partner: 'VARCHAR',
      flow: 'VARCHAR',
      classification: 'VARCHAR',
      product: 'VARCHAR',
      period_start: 'INTEGER',
      period_end: 'INTEGER',
      cumulative: 'INTEGER',
      trade_mode: 'VARCHAR',
      region: 'VARCHAR',
      currency: 'VARCHAR',
      seasonally_adjusted: 'INTEGER',
      value: 'DECIMAL(38,4)',
      source_line: 'BIGINT',
      source_file: 'VARCHAR',
    };
    const columns = Object.entries(types)
      .map(([k, v]) => `'${k}': '${v}'`)
      .join(', ');
    const db = this.local.db;
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ch_parts AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}',
         header = true, nullstr = '\\N', quote = '"', escape = '"', columns = {${columns}})`,
    );
    const on = CELL_KEY.map(
      (k) => `coalesce(CAST(o.${k} AS VARCHAR), '') = coalesce(CAST(p.${k} AS VARCHAR), '')`,
    ).join(' AND ');
    await db.run(
      `INSERT INTO ch_partdup
       SELECT o.rn, o.source_line, o.sheet, CAST(o.value AS VARCHAR), CAST(p.value AS VARCHAR) || ' in ' || p.source_file,
              p.source_line
       FROM ch_out o JOIN ch_parts p ON ${on}
       WHERE o.value <> p.value`,
    );
  }

  /** Removes a load from the local normalizing DuckDB once it is in ClickHouse (or failed). */
  private async forgetLocalLoad(localId: number): Promise<void> {
    const db = this.local.db;
    await db.run('BEGIN TRANSACTION');
    try {
      for (const t of ['facts', 'slices', 'rates', 'quarantine', 'load_codes', 'committed_loads', 'loads']) {
        await db.run(`DELETE FROM ${t} WHERE load_id = $1`, [localId]);
      }
      await db.run('COMMIT');
    } catch (e) {
      await db.run('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  /** Copies the rows of a local DuckDB query into a ClickHouse table, as one CSV insert. */
  private async copyFromLocal(work: string, table: string, columns: readonly string[], select: string): Promise<void> {
    const file = join(work, `${table}-${++this.writeCounter}.csv`);
    await this.local.db.run(
      `COPY (${select}) TO '${file.replace(/'/g, "''")}' (FORMAT csv, HEADER false, NULLSTR '\\N', QUOTE '"', ESCAPE '"')`,
    );
    await this.client.insert({
      table: identifier(table),
      values: createReadStream(file),
      format: 'CSV',
      columns: columns as [string, ...string[]],
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
    rmSync(file, { force: true });
  }

  /** Inserts a few rows given as JS values (TabSeparated, escaped here). */
  private async insertValues(table: string, columns: string[], rows: unknown[][]): Promise<void> {
    const text = rows.map((r) => r.map(tsvField).join('\t')).join('\n');
    await this.client.insert({
      table: identifier(table),
      values: streamOf(`${text}\n`),
      format: 'TabSeparated',
      columns: columns as [string, ...string[]],
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
  }

  /**
   * Deletes every row of loads that never committed (an interrupted or failed ingest), on every shard.
   * Only loads started at least `olderThanSeconds` ago are touched, so a load in progress elsewhere is left alone.
   * @returns the load ids removed.
   */
  async removeUncommitted(olderThanSeconds = 3600): Promise<number[]> {
    const b = this.binder();
    const rows = await this.rows(
      `SELECT load_id FROM load_starts WHERE NOT (${COMMITTED})
         AND load_id GLOBAL NOT IN (SELECT load_id FROM removed_loads)
         AND started_at <= now() - ${b.int(Math.max(0, Math.trunc(olderThanSeconds)))} ORDER BY load_id`,
      b,
    );
    const ids = rows.map((r) => Number(r.load_id));
    await this.removeLoads(ids);
    return ids;
  }

  private async removeLoads(ids: number[]): Promise<void> {
    if (!ids.length) return;
    const t = this.target;
    const statements = cleanupSql({ database: t.database, ...(t.cluster ? { cluster: t.cluster } : {}) }, ids);
    const targets = t.cluster ? this.shardClients : [this.client];
    if (t.cluster && !targets.length) {
      // no shard list: distributed DDL
      const on = cleanupSql({ database: t.database, cluster: t.cluster, onCluster: true }, ids);
      for (const s of on) await this.client.command({ query: s });
    } else {
      for (const c of targets) for (const s of statements) await c.command({ query: s });
    }
    await this.markRemoved(ids);
  }

  /** Records loads as removed (never committed, rows deleted or never written). */
  private async markRemoved(ids: number[]): Promise<void> {
    await this.insertValues(
      'removed_loads',
      ['load_id', 'removed_at'],
      ids.map((id) => [id, nowText()]),
    );
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────────────────────

  async quarantine(filter: { dataset?: string; loadId?: LoadId; limit?: number } = {}): Promise<QuarantineRow[]> {
    const b = this.binder();
    const rows = await this.rows(quarantineSql(b, filter), b);
    return rows.map((r) => ({
      loadId: Number(r.load_id),
      dataset: String(r.dataset),
      vintage: String(r.vintage),
      sourceFile: String(r.source_file),
      line: r.line === null ? null : Number(r.line),
      sheet: opt(r.sheet),
      field: opt(r.field),
      rawValue: opt(r.raw_value),
      code: String(r.code),
      reason: String(r.reason),
      rawLine: opt(r.raw_line),
    }));
  }

  async cells(filter: CellFilter): Promise<CellRow[]> {
    const b = this.binder();
    return (await this.rows(cellsSql(filter, b), b)).map(toCellRow);
  }

  async sumCells(filter: CellFilter): Promise<(CellRow & { cells: number })[]> {
    const b = this.binder();
    const rows = await this.rows(sumCellsSql(filter, b), b);
    return rows.map((r) => ({
      ...toCellRow({
        ...r,
        vintage: opt(r.vintage_max),
        partner: '*',
        classification: '*',
        product: '*',
        value: opt(r.value_sum),
        flag: opt(r.flags),
        source_file: opt(r.files),
        source_line: null,
        load_id: '0',
        seasonally_adjusted: opt(r.sa),
      }),
      cells: Number(r.cells),
    }));
  }

  async aggregate(request: AggregateRequest): Promise<AggregateRow[]> {
    if (request.windows.length === 0) return [];
    const b = this.binder();
    const single = await this.singleLoad(request.filter);
    const rows = await this.rows(aggregateSql(request, b, single), b);
    const dec = (v: string | null | undefined) => (v === null || v === undefined ? null : trimDecimal(v));
    return rows.map((r) => {
      const key: Partial<Record<AggregateDimension, string>> = {};
      request.groupBy.forEach((d, i) => {
        key[d] = String(r[`k${i}`]);
      });
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
        quantityUnits: r.qty_units ? String(r.qty_units).split(',') : [],
        source: 'fact_cells',
      };
    });
  }

  /** True when every dataset the filter reads has exactly one committed load (and no as-of reading). */
  private async singleLoad(filter: CellFilter): Promise<boolean> {
    if (filter.asOf || filter.vintage || !filter.datasets?.length) return false;
    const b = this.binder();
    const rows = await this.rows(
      `SELECT dataset, count() AS n FROM loads WHERE ${COMMITTED} AND dataset IN (${b.strs(filter.datasets)}) GROUP BY dataset`,
      b,
    );
    return rows.length === new Set(filter.datasets).size && rows.every((r) => Number(r.n) === 1);
  }

  async rates(filter: CellFilter): Promise<RateRow[]> {
    const b = this.binder();
    const rows = await this.rows(ratesSql(filter, b), b);
    return rows.map((r) => ({
      dataset: String(r.dataset),
      vintage: String(r.vintage),
      reporter: String(r.reporter),
      partner: String(r.partner),
      flow: String(r.flow),
      product: String(r.product),
      period: periodLabel(Number(r.period_start), Number(r.period_end), r.cumulative === '1'),
      periodStart: Number(r.period_start),
      periodEnd: Number(r.period_end),
      cumulative: r.cumulative === '1',
      region: String(r.region),
      rate: trimDecimal(String(r.rate)),
      note: opt(r.note),
    }));
  }

  async datasets(): Promise<DatasetSummary[]> {
    const loads = await this.loads();
    if (!loads.length) return [];
    const b = this.binder();
    const infos = await this.rows(
      `SELECT dataset,
         argMin(tuple(ifNull(name, ''), isNull(name), ifNull(source, ''), isNull(source), seasonally_adjusted), load_id) AS t,
         if(t.2 = 1, NULL, t.1) AS info_name, if(t.4 = 1, NULL, t.3) AS info_source, t.5 AS info_sa
       FROM datasets WHERE ${COMMITTED} GROUP BY dataset`,
      b,
    );
    const cov = await this.rows(
      `SELECT dataset, count() AS n, min(period_start) AS pmin, max(period_end) AS pmax,
         arrayStringConcat(arraySort(groupUniqArray(reporter)), '\\t') AS reporters, uniqExact(partner) AS partners,
         arrayStringConcat(arraySort(groupUniqArrayIf(region, region != '')), '\\t') AS regions,
         arrayStringConcat(arraySort(groupUniqArray(flow)), '\\t') AS flows,
         arrayStringConcat(arraySort(groupUniqArray(classification)), '\\t') AS classifications,
         arrayStringConcat(arraySort(groupUniqArray(currency)), '\\t') AS currencies,
         arrayStringConcat(arraySort(groupUniqArray(flag)), '\\t') AS flags, max(seasonally_adjusted) AS sa
       FROM facts WHERE ${COMMITTED} GROUP BY dataset`,
      b,
    );
    const quarantined = await this.rows(
      `SELECT dataset, count() AS n FROM quarantine WHERE ${COMMITTED} GROUP BY dataset`,
      b,
    );
    const names = [...new Set(loads.map((l) => l.dataset))].sort();
    const tabs = (s: string | null | undefined) => (s ? s.split('\t') : []);
    return names.map((ds) => {
      const info = infos.find((i) => i.dataset === ds);
      const c = cov.find((x) => x.dataset === ds);
      const month = (v: string | null | undefined) =>
        v === null || v === undefined
          ? null
          : `${Math.floor(Number(v) / 100)}-${String(Number(v) % 100).padStart(2, '0')}`;
      return {
        dataset: ds,
        name: opt(info?.info_name),
        source: opt(info?.info_source),
        vintages: vintagesOf(loads.filter((l) => l.dataset === ds)),
        rows: Number(c?.n ?? 0),
        quarantined: Number(quarantined.find((q) => q.dataset === ds)?.n ?? 0),
        firstPeriod: c ? month(c.pmin) : null,
        lastPeriod: c ? month(c.pmax) : null,
        reporters: tabs(c?.reporters),
        partners: Number(c?.partners ?? 0),
        regions: tabs(c?.regions),
        flows: tabs(c?.flows),
        classifications: tabs(c?.classifications),
        currencies: tabs(c?.currencies),
        seasonallyAdjusted: c ? c.sa === '1' : info?.info_sa === '1',
        flags: tabs(c?.flags),
      };
    });
  }

  async datasetProfile(dataset: string, _options: { classifications?: boolean } = {}) {
    const loads = (await this.loadRecords({ dataset })) as (LoadRecord & {
      flags: string[];
      classifications: string[];
    })[];
    if (!loads.length) return { vintages: [], flags: [], classifications: [], seasonallyAdjusted: false };
    const union = (pick: (l: (typeof loads)[number]) => string[]) => [...new Set(loads.flatMap(pick))].sort();
    return {
      vintages: vintagesOf(loads),
      flags: union((l) => l.flags),
      classifications: union((l) => l.classifications),
      seasonallyAdjusted: (await this.datasets()).find((d) => d.dataset === dataset)?.seasonallyAdjusted ?? false,
    };
  }

  async productCodes(dataset: string, prefixes: readonly string[]): Promise<string[]> {
    if (!prefixes.length) return [];
    const b = this.binder();
    const rows = await this.rows(productCodesSql(dataset, prefixes, b), b);
    return rows.map((r) => String(r.product));
  }

  async datasetsCovering(filter: CellFilter): Promise<{ dataset: string; cells: number }[]> {
    const b = this.binder();
    const rows = await this.rows(datasetsCoveringSql(filter, b), b);
    return rows.map((r) => ({ dataset: String(r.dataset), cells: Number(r.cells) }));
  }

  async precedence(): Promise<string[]> {
    const rows = await this.rows('SELECT version, rank, dataset FROM precedence', this.binder());
    if (!rows.length) return [];
    const latest = rows.reduce((m, r) => (BigInt(String(r.version)) > m ? BigInt(String(r.version)) : m), 0n);
    return rows
      .filter((r) => BigInt(String(r.version)) === latest && r.dataset !== '')
      .sort((a, c) => Number(a.rank) - Number(c.rank))
      .map((r) => String(r.dataset));
  }

  /** A new version of the precedence list (ClickHouse rows are not updated in place); reads take the newest. */
  async setPrecedence(datasets: string[]): Promise<void> {
    const rows = await this.rows('SELECT max(version) AS v FROM precedence', this.binder());
    const version = BigInt(Math.max(Date.now(), Number(rows[0]?.v ?? 0) + 1));
    const list = datasets.length ? datasets : [''];
    await this.insertValues(
      'precedence',
      ['version', 'rank', 'dataset'],
      list.map((d, i) => [version, i, d]),
    );
  }

  /** Runs a read-only SQL statement (tests and benchmarks; never with user text). */
  async sql(sql: string): Promise<TsvRow[]> {
    return this.rows(sql, new Binder('literal'));
  }
}

/** Creates the database and tables: on the node, on each listed shard, or with ON CLUSTER. */
async function createSchema(
  target: ClickHouseLocation,
  boot: ClickHouseClient,
  shardClients: ClickHouseClient[],
): Promise<void> {
  const base = { database: target.database, ...(target.cluster ? { cluster: target.cluster } : {}) };
  if (!target.cluster) {
    for (const s of schemaDdl(base)) await boot.command({ query: s });
    return;
  }
  const b = new Binder('literal');
  const known = await queryRows(
    boot,
    `SELECT count() AS n FROM system.clusters WHERE cluster = ${b.str(target.cluster)}`,
    b,
  );
  if (Number(known[0]?.n) === 0) {
    throw new UserError(
      `the ClickHouse server has no cluster ${target.cluster} in its remote_servers configuration (check cluster= in the URL; SELECT DISTINCT cluster FROM system.clusters lists them)`,
    );
  }
  if (shardClients.length) {
    for (const c of shardClients) for (const s of schemaDdl(base)) await c.command({ query: s });
    return;
  }
  try {
    for (const s of schemaDdl({ ...base, onCluster: true })) await boot.command({ query: s });
  } catch (e) {
    throw new UserError(
      `cannot create the schema with ON CLUSTER ${target.cluster}: ${(e as Error).message.split('\n')[0]} ` +
        "(distributed DDL needs ZooKeeper or ClickHouse Keeper; otherwise list the shards' HTTP endpoints with &shards=host:port,host:port)",
    );
  }
}

/** Coverage records for committed loads written before the store kept them (databases of an earlier version). */
async function backfillCoverage(client: ClickHouseClient): Promise<void> {
  const missing = await queryRows(
    client,
    `SELECT load_id FROM loads WHERE ${COMMITTED} AND rows_loaded > 0
       AND load_id GLOBAL NOT IN (SELECT DISTINCT load_id FROM coverage) ORDER BY load_id`,
    new Binder('literal'),
  );
  for (const r of missing) {
    await client.command({
      query: coverageInsertSql(Number(r.load_id)),
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
  }
}

async function queryRows(client: ClickHouseClient, sql: string, b: Binder): Promise<TsvRow[]> {
  const r = await client.query({
    query: sql,
    format: 'TabSeparatedWithNames',
    ...(b.mode === 'server' ? { query_params: b.params } : {}),
  });
  return parseTsvWithNames(await r.text());
}

function toCellRow(r: TsvRow): CellRow {
  const cumulative = r.cumulative === '1';
  return {
    dataset: String(r.dataset),
    vintage: String(r.vintage),
    reporter: String(r.reporter),
    partner: String(r.partner),
    flow: String(r.flow),
    classification: String(r.classification),
    product: String(r.product),
    period: periodLabel(Number(r.period_start), Number(r.period_end), cumulative),
    periodStart: Number(r.period_start),
    periodEnd: Number(r.period_end),
    cumulative,
    tradeMode: String(r.trade_mode),
    region: String(r.region),
    value: trimDecimal(String(r.value)),
    currency: String(r.currency),
    flag: String(r.flag),
    seasonallyAdjusted: r.seasonally_adjusted === '1',
    sourceFile: String(r.source_file),
    sourceLine: r.source_line === null || r.source_line === undefined ? null : Number(r.source_line),
    loadId: Number(r.load_id),
  };
}

function vintagesOf(loads: LoadRecord[]): DatasetSummary['vintages'] {
  const byVintage = new Map<string, DatasetSummary['vintages'][number]>();
  for (const l of [...loads].sort((a, b) => a.loadId - b.loadId)) {
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
  return [...byVintage.values()].sort((a, b) => (a.vintage < b.vintage ? -1 : a.vintage > b.vintage ? 1 : 0));
}

/** ClickHouse arrays printed in TabSeparated: `['a','b']`. */
function splitArray(v: string | null | undefined): string[] {
  if (!v || v === '[]') return [];
  return v
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((x) => x.replace(/^'|'$/g, ''));
}

/** A DuckDB list printed as text: `[a, b]`. */
function parseDuckList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const s = String(v).trim();
  if (s === '[]' || s === '') return [];
  return s
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((x) => x.trim().replace(/^'|'$/g, ''))
    .filter((x) => x !== '' && x !== 'NULL');
}

function nowText(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/** A value as one TabSeparated field (strings escaped, arrays as ClickHouse array literals, null as \N). */
function tsvField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Array.isArray(v))
    return `[${v.map((x) => quoteString(String(x))).join(',')}]`
      .replace(/\\/g, '\\\\')
      .replace(/\t/g, '\\t')
      .replace(/\n/g, '\\n');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A one-chunk readable stream (the client takes raw formats as streams). */
function streamOf(text: string): Readable {
  return Readable.from([Buffer.from(text)], { objectMode: false });
}

/** A nullable text field. */
function opt(v: string | null | undefined): string | null {
  return v ?? null;
}
