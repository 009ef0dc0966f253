/**
 * The engine-neutral store contract.
 *
 * Every engine (embedded DuckDB, and ClickHouse for scale-out) implements {@link TradeStore}. Visibility of a load
 * is decided by the `committed_loads` table, which every read filters on: a load's rows can be written in
 * pieces (as a sharded engine must) and become visible only when its id is committed. DuckDB additionally
 * wraps the whole load in one transaction, so a crash leaves no trace at all.
 *
 * The store never sees user text as SQL: reads take typed {@link CellFilter}s whose values are bound.
 */
import type { Period } from '../model/period.js';
import type { Problem } from '../util/errors.js';
import type { DuckDb } from './duckdb/duckdb-connection.js';

export type LoadId = number;

/** What the ingest pipeline knows about a load before it writes it. */
export interface LoadMeta {
  dataset: string;
  /** ISO date of the release. */
  vintage: string;
  /** How the vintage was chosen: `--vintage`, `source: …` or `ingest date`. */
  vintageSource: string;
  sourceFile: string;
  /** The load's identity: the file's hash, combined with the mapping's and options' when there are any. */
  contentHash: string;
  /**
   * The hash of the file's bytes alone (when it differs from `contentHash`): a new load of the same bytes with
   * another identity — the file read again with a corrected mapping — supersedes the earlier loads of them.
   */
  fileHash?: string;
  format: string;
  mapping?: string;
  encoding?: string;
  /** Dataset description (name, source, notes) from the mapping or reader, kept on first load. */
  datasetInfo?: { name?: string; source?: string; notes?: string; seasonallyAdjusted?: boolean };
}

export interface LoadCounts {
  /** Records read from the source (cells staged + unreadable rows). */
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  blankLines: number;
}

export interface LoadRecord extends LoadMeta, LoadCounts {
  loadId: LoadId;
  committedAt: string;
}

/** Quarantined row as stored. */
export interface QuarantineRow {
  loadId: LoadId;
  dataset: string;
  vintage: string;
  sourceFile: string;
  line: number | null;
  sheet: string | null;
  field: string | null;
  rawValue: string | null;
  code: string;
  reason: string;
  rawLine: string | null;
}

/** Summary of a dataset's releases and coverage. */
export interface DatasetSummary {
  dataset: string;
  name: string | null;
  source: string | null;
  vintages: { vintage: string; vintageSource: string; loads: number; rows: number; files: string[] }[];
  rows: number;
  quarantined: number;
  firstPeriod: string | null;
  lastPeriod: string | null;
  reporters: string[];
  partners: number;
  regions: string[];
  flows: string[];
  /** Product classifications of the cells: TOTAL, H0 … H6, HS, CN8 … */
  classifications: string[];
  currencies: string[];
  seasonallyAdjusted: boolean;
  flags: string[];
}

/**
 * Which cells a read covers. Every field is a list of allowed values (already canonical); absent = any.
 * Periods are given as windows: a cell matches when its own window equals one of them (exact match),
 * or, with `within`, when it is a single month inside the window.
 */
export interface CellFilter {
  datasets?: string[];
  reporters?: string[];
  partners?: string[];
  flows?: string[];
  classifications?: string[];
  products?: string[];
  regions?: string[];
  tradeModes?: string[];
  currencies?: string[];
  /** Cells whose window is exactly one of these. */
  windows?: { start: number; end: number; cumulative?: boolean }[];
  /** Partners to leave out (published aggregates such as WLD or EUU when summing countries). */
  excludePartners?: string[];
  /** Products whose code starts with one of these (an HS chapter `85`, a heading `8541` …). */
  productPrefixes?: string[];
  /**
   * Partners valid only within a window of months (group membership over time): a cell matches when its
   * partner is listed and its window lies within the partner's months. Combined with `partners` by OR.
   */
  partnerIntervals?: { partner: string; start: number; end: number }[];
  /** Cells whose window lies within these months (start…end inclusive): prunes what a query reads. */
  within?: { start: number; end: number };
  /** Cells whose window overlaps these months (start…end inclusive). */
  overlapping?: { start: number; end: number };
  /** Monthly (single-month, non-cumulative) cells between these months inclusive. */
  monthsWithin?: { start: number; end: number };
  /** Only cells of releases up to this ISO date. */
  asOf?: string;
  /** Exactly this vintage of each dataset. */
  vintage?: string;
}

/** A cell as read back: the latest value for its key (per dataset) among visible loads. */
export interface CellRow {
  dataset: string;
  vintage: string;
  reporter: string;
  partner: string;
  flow: string;
  classification: string;
  product: string;
  period: string;
  periodStart: number;
  periodEnd: number;
  cumulative: boolean;
  tradeMode: string;
  region: string;
  /** Exact decimal text in base units of `currency`. */
  value: string;
  currency: string;
  flag: string;
  seasonallyAdjusted: boolean;
  sourceFile: string;
  sourceLine: number | null;
  loadId: LoadId;
}

/** A published growth rate, as published. */
export interface RateRow {
  dataset: string;
  vintage: string;
  reporter: string;
  partner: string;
  flow: string;
  product: string;
  period: string;
  periodStart: number;
  periodEnd: number;
  cumulative: boolean;
  region: string;
  /** Exact decimal text of the ratio (0.0718 = +7.18 %). */
  rate: string;
  note: string | null;
}

/** A staged, not yet normalized file: where the pipeline left it for the store to take. */
export interface StagingArea {
  /** DuckDB file holding the staged relation and the reader's problems; '' when staged in the store's own connection. */
  path: string;
  /** Catalog of the staging tables when staged in the store's own DuckDB connection (`temp`). */
  catalog?: 'temp';
  /** How the staged relation is laid out: generic (StagedRow columns) or baci (typed t,i,j,k,v,q). */
  layout: 'generic' | 'baci';
  /** Blank lines the reader skipped (counted, not quarantined). */
  blankLines: number;
}

/** Dimensions an aggregate can group by. `product` groups by the first `productDigits` characters. */
export type AggregateDimension = 'reporter' | 'partner' | 'flow' | 'product' | 'region' | 'tradeMode';

/**
 * Sums of the latest cells per group and window, with what the query layer needs to pick a window's value by
 * the YTD rules: published cumulative figures for exactly the window, values published for exactly the window,
 * and the single months inside it (Jan+Feb combined counted as two months).
 */
export interface AggregateRequest {
  filter: CellFilter;
  groupBy: AggregateDimension[];
  /** With `product` in groupBy: group by this many leading characters (2 chapter, 4 heading, 6 subheading). */
  productDigits?: number;
  windows: { id: string; start: number; end: number }[];
  /**
   * Also return, in the same pass, one row per window and flow over every member together (`coverage: true`,
   * key holding only the flow): which months the whole selection has data for. Needs `flow` in `groupBy`.
   * An engine may ignore it (no coverage rows come back); the caller then asks with `groupBy: ['flow']`.
   */
  coverageByFlow?: boolean;
}

export interface AggregateRow {
  window: string;
  key: Partial<Record<AggregateDimension, string>>;
  currency: string;
  /** Sum of published cumulative cells for exactly the window, and how many cells. */
  cumulative: string | null;
  cumulativeCells: number;
  /** Sum of non-cumulative cells for exactly the window (a year, a quarter, Jan+Feb …). */
  exact: string | null;
  exactCells: number;
  /** Sum of single-month cells (and Jan+Feb combined cells) inside the window. */
  months: string | null;
  /** Distinct months covered by those cells. */
  monthsFound: number;
  /** Distinct base cells (before grouping) contributing to `months`, `exact`, `cumulative`. */
  cells: number;
  /** Net weight (kg) and quantity summed over the cells that have them, with the value of those cells. */
  netWeightKg: string | null;
  /** Value of the cells that have a net weight. */
  weightValue: string | null;
  quantity: string | null;
  quantityValue: string | null;
  quantityUnits: string[];
  /** The table that answered: `fact_cells` (base) or a rollup. */
  source: string;
  /** A row over every member of the window and flow (see {@link AggregateRequest.coverageByFlow}). */
  coverage?: boolean;
}

export interface TradeStore {
  readonly engine: 'duckdb' | 'clickhouse';
  /** Human-readable location (path or URL without password). */
  readonly location: string;
  /**
   * A DuckDB connection in which the ingest may stage files as temporary tables, read in place by
   * {@link writeLoad}. Engines without one get a staging file the store attaches or streams.
   */
  readonly localStaging?: DuckDb;
  close(): Promise<void>;

  /**
   * Loads superseded by a later load of the same file read another way (see {@link LoadMeta.fileHash}): no
   * longer visible, listed so that `datasets` shows both. Engines that do not supersede leave it out.
   */
  supersededLoads?(dataset?: string): Promise<(LoadRecord & { supersededBy: LoadId; supersededAt: string })[]>;
  /** A committed load of this dataset with this content hash (and vintage, when given). */
  findCommittedLoad(dataset: string, contentHash: string, vintage?: string): Promise<LoadRecord | undefined>;
  /**
   * Writes a staged file as one load and makes it visible at once; on any failure nothing becomes visible.
   * Returns the load id and counts.
   */
  writeLoad(
    meta: LoadMeta,
    staging: StagingArea,
    options?: WriteOptions,
  ): Promise<{ loadId: LoadId; warnings: Problem[] } & LoadCounts>;

  loads(dataset?: string): Promise<LoadRecord[]>;
  datasets(): Promise<DatasetSummary[]>;
  quarantine(filter?: { dataset?: string; loadId?: LoadId; limit?: number }): Promise<QuarantineRow[]>;
  /** Latest visible value of each matching cell, one row per (dataset, cell). */
  cells(filter: CellFilter): Promise<CellRow[]>;
  /** Published rates matching the filter (latest vintage of each). */
  rates(filter: CellFilter): Promise<RateRow[]>;
  /**
   * The latest value of each matching cell, summed over partners and products: one row per dataset,
   * reporter, flow, window, cumulative, region and currency (partner `*`, product `*`, `cells` counted).
   */
  sumCells(filter: CellFilter): Promise<(CellRow & { cells: number })[]>;
  /**
   * The table that would answer an aggregate request (a rollup, or the base cells), without reading anything:
   * what a query plan shows. Engines without rollups leave it out (the base cells answer).
   */
  answeringTable?(request: AggregateRequest): string;
  /** Sums per group and window (see {@link AggregateRequest}); never materialises the base cells. */
  aggregate(request: AggregateRequest): Promise<AggregateRow[]>;
  /** What a dataset is made of, cheaply: its releases, flags and product classifications. */
  datasetProfile(
    dataset: string,
    options?: { classifications?: boolean },
  ): Promise<{
    vintages: DatasetSummary['vintages'];
    flags: string[];
    classifications: string[];
    /** True when the dataset's values are seasonally adjusted. */
    seasonallyAdjusted: boolean;
  }>;
  /**
   * The detailed product codes a dataset holds under these prefixes (`''` for all), in any reporter, partner or
   * period, sorted; never `TOTAL`. The query layer reads one level per code path from them.
   */
  productCodes(dataset: string, prefixes: readonly string[]): Promise<string[]>;
  /** Datasets that hold any matching cell, with how many cells each (overlap detection). */
  datasetsCovering(filter: CellFilter): Promise<{ dataset: string; cells: number }[]>;
  /**
   * Brings the pre-aggregated tables (rollups) of these datasets (all when none named) up to date with their
   * latest loads; returns the datasets rebuilt. Engines without rollups leave it out.
   */
  refreshRollups?(datasets?: string[]): Promise<string[]>;
  /** Declared precedence among datasets (first wins), kept in the store. */
  precedence(): Promise<string[]>;
  setPrecedence(datasets: string[]): Promise<void>;
}

export interface WriteOptions {
  /** Called with a short phase name as the load proceeds (for progress output). */
  onPhase?: (phase: string) => void;
  /**
   * When no record of the file is loadable, roll back and throw a UserError listing the first problems,
   * so the store stays as it was (the run exits non-zero).
   */
  rollbackIfEmpty?: boolean;
}

export type { Period };
