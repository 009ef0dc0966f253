/**
 * The data of a brief: key points whose sentences carry numbers, each number tied to the query cell it came
 * from, and the sources (query specs, datasets, releases, conversions) those cells were read from.
 */
import type { EChartsOption } from 'echarts';
import type { Lang } from '../i18n/format.js';
import type { QuerySpecInput } from '../query/spec.js';

export type { Lang };

/** Text in both languages. */
export type Bilingual = Record<Lang, string>;

/** Where a number was read: a row of a source's result (matched on these columns) and one column of it. */
export interface CellRef {
  /** Index into {@link Brief.sources}. */
  source: number;
  match: Record<string, string>;
  column: string;
}

/** How a number is written. `pct` cells are percentages (7.18 = 7.18 %); `pp` percentage points. */
export type NumKind = 'money' | 'pct' | 'pp' | 'month' | 'count';

/**
 * One number of a brief. `value` is exact decimal text: the cell's value, or `cell − minus` when `minus` is
 * given, made positive when `abs` is set (the sentence then says the direction in words).
 */
export interface NumRef {
  kind: NumKind;
  value: string;
  cell: CellRef;
  minus?: CellRef;
  abs?: boolean;
  /** A regular expression whose first group picks the number out of a text cell ("4 increases in a row"). */
  extract?: string;
  currency?: string;
  signed?: boolean;
  digits?: number;
}

/** A chart of a key point: the dashboard's option builder and its input, per language. */
export interface BriefChart {
  id: string;
  title: Bilingual;
  /** What the chart is of, when its title alone does not say (shown under the chart). */
  caption?: Bilingual;
  option: Record<Lang, EChartsOption>;
}

/** One key point: a sentence in each language with `{name}` placeholders for its numbers. */
export interface KeyPoint {
  /** Stable id, e.g. `headline.exports`, `regions.top-contributor`. */
  id: string;
  detector: string;
  /** Newsworthiness (see docs/briefs.md); the headline is pinned first whatever its score. */
  score: number;
  /** Why it scored so (for `--explain` and the docs). */
  why: string;
  text: Bilingual;
  nums: Record<string, NumRef>;
  /** Marked preliminary or uncertain in the text. */
  preliminary?: boolean;
  chart?: BriefChart;
}

/** Something a detector could not say, and why (missing data, too short a history). */
export interface Missing {
  detector: string;
  text: Bilingual;
}

/**
 * One query a brief ran, with what the result says about its data. `kind: 'projection'` is a full-year
 * projection (`tradescope forecast --period`), whose spec is a projection spec rather than a query spec.
 */
export interface Source {
  kind?: 'query' | 'projection';
  spec: QuerySpecInput;
  dataset: string;
  currency: string;
  vintages: { vintage: string; source: string; files: string[] }[];
  conversions: string[];
  flags: string[];
  notes: string[];
}

/** What a brief is about. */
export interface BriefRequest {
  reporter: string;
  period: string;
  partner?: string;
  /** Keep this many key points after the headline (default 8). */
  top?: number;
  /** Compare with the data as released up to this vintage (`--since`). */
  since?: string;
}

/** A brief: ranked key points, what could not be said, sources and charts. */
export interface Brief {
  request: BriefRequest;
  title: Bilingual;
  points: KeyPoint[];
  /** Points found but not kept (below the top N), for `--explain`. */
  dropped: KeyPoint[];
  missing: Missing[];
  changes: KeyPoint[];
  sources: Source[];
  charts: BriefChart[];
}
