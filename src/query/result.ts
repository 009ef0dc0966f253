import type { Period } from '../model/period.js';
import type { Problem } from '../util/errors.js';
import type { FxDescription } from './currency.js';
import type { ProductCoverage } from './product-levels.js';
import type { QuerySpec } from './spec.js';

export type Cell = string | number | null;

/** A spec as answered: its period is the one asked, or the latest in the data when none was. */
export type AnsweredSpec = QuerySpec & { period: string };

export interface QueryResult {
  spec: AnsweredSpec;
  provenance: {
    dataset: string;
    datasetNote: string | null;
    currency: string;
    sourceCurrency: string;
    fx?: FxDescription;
    base: QuerySpec['base'];
    /** The tables that answered: `fact_cells` (the base cells) or a rollup. */
    answeredBy?: string[];
    /** The dataset's releases read (the latest value of each cell among them, or up to `asOf`). */
    vintages?: { vintage: string; source: string; files: string[] }[];
    /** Flags of the dataset's values (reported, estimated, converted …). */
    flags?: string[];
    conversions?: string[];
    windows: { id: string; period: string; start: string; end: string }[];
    aggregateRows: number;
    /** True when the dataset's values are seasonally adjusted (not the figures as published). */
    seasonallyAdjusted?: boolean;
    /** For a product asked: the codes read for it (one level per code path) and what the dataset holds of it. */
    productCoverage?: ProductCoverage[];
    /** For the forecast measure: the model chosen, the alternatives considered and the months of history. */
    forecast?: { model: unknown; alternatives: unknown; history: number };
  };
  columns: string[];
  rows: Record<string, Cell>[];
  notes: Problem[];
}

export interface Window {
  id: string;
  period: Period;
}

/**
 * How a window's value was found: a published cumulative figure for exactly the window, a value published for
 * exactly it, the sum of its months (or of its whole years, for annual data); `derived` for balances, totals and remainders; `revised` for a month on the
 * revised base; `no trade` for a member without cells in a window the selection covers; `mixed` when the members
 * summed were found in different ways.
 */
export type Basis =
  | 'published cumulative'
  | 'published for the period'
  | 'sum of months'
  | 'sum of years'
  | 'derived'
  | 'revised'
  | 'no trade'
  | 'missing'
  | 'mixed';
