/**
 * The contract between readers and the ingest pipeline.
 *
 * A reader turns one source file into a stream of {@link StagedRow}s (one per cell it found) and
 * {@link RowProblem}s (one per source row it could not read at all: wrong column count, bytes invalid in
 * the file's encoding …). Readers do not map codes or scale units: they keep the source's text and name its
 * code scheme and unit, and the pipeline validates, maps and scales in SQL, so that every reader gets the
 * same checks and the same quarantine. A row the reader cannot judge is staged as it is; the validator
 * decides.
 */
import type { Problem } from '../util/errors.js';

/** Code schemes the pipeline can map to canonical codes. */
export type CodeScheme =
  | 'canonical' // ISO 3166 alpha-3 or tradescope's own codes (WLD, EUU, S19 …)
  | 'iso3'
  | 'iso2'
  | 'iso-numeric'
  | 'm49'
  | 'comtrade' // UN Comtrade numeric area codes (842 USA, 490 Other Asia nes, 0 World)
  | 'baci' // CEPII BACI numeric codes (release dictionary given with --codes, ISO numeric fallback)
  | 'eurostat' // Eurostat's codes (GEONOM): ISO alpha-2 with EL, UK and special areas (QR, QS, QV … XC, XL)
  | 'name'; // English (or Chinese) names, informal ones included: "USA", "South Korea", "美国"

export type Flow = 'X' | 'M' | 'RX' | 'RM';

export type RowFlag = 'reported' | 'mirror' | 'estimated' | 'converted' | 'derived';

/**
 * What a row's value is:
 * - `value`: the trade value of the period (month, quarter, year …);
 * - `cumulative`: a published year-to-date figure (period is `ytd:YYYY-MM`);
 * - `yoy`: a published growth rate as a ratio (0.0718 = +7.18 %), for the period (month or ytd).
 */
export type RowMeasure = 'value' | 'cumulative' | 'yoy';

export interface StagedRow {
  /** Physical line of the source file (1-based), or the sheet row for workbooks. */
  line: number;
  /** Worksheet name for workbooks, else undefined. */
  sheet?: string;
  reporter: string;
  reporterScheme: CodeScheme;
  partner: string;
  partnerScheme: CodeScheme;
  /** X, M, RX or RM (readers map their source's labels; the mapping file says how). */
  flow: string;
  /** Product classification (HS, H0 … H6, CN8, SITC3 …) or `TOTAL` for all products. */
  classification: string;
  /** Product code as in the source (digits kept as text); `TOTAL` for all products. */
  product: string;
  /** Period text in the period grammar: `2025-06`, `2025-01+02`, `2024`, `ytd:2025-06`. */
  period: string;
  measure: RowMeasure;
  /** Trade mode code or label, '' when the source has none. */
  tradeMode: string;
  /** Sub-national region: an administrative code (330000) or a name (浙江省); '' for the whole reporter. */
  region: string;
  /** Decimal text of the value in `unit` (thousands separators already removed), or '' when missing. */
  value: string;
  /** Money unit label understood by `parseMoneyUnit`: `USD`, `CNY*1e4`, `USD*1e3`. Ratio rows: 'ratio'. */
  unit: string;
  /** Net weight as decimal text, '' when none. */
  netWeight: string;
  /** `kg` or `t`. */
  weightUnit: string;
  /** Quantity as decimal text, '' when none. */
  quantity: string;
  /** Quantity unit as in the source (kg, u, m2 …), '' when none. */
  quantityUnit: string;
  flag: RowFlag;
  seasonallyAdjusted: boolean;
  /** Optional note for the row (e.g. how a published rate was derived). */
  note?: string;
  /**
   * Source column names of the fields, for quarantine messages (`primaryValue`, `Exports`, `出口_当月`).
   * A field left out is reported under its canonical name.
   */
  fieldNames?: Partial<
    Record<
      'reporter' | 'partner' | 'flow' | 'product' | 'period' | 'region' | 'value' | 'netWeight' | 'quantity',
      string
    >
  >;
}

/** A source row the reader could not turn into cells; it goes to quarantine as it is. */
export interface RowProblem extends Problem {
  at: { file: string; line: number; field?: string; sheet?: string };
  /** The raw source line (or cells joined), for the quarantine. */
  raw: string;
}

/** What a reader yields: cells, unreadable rows, and blank lines (counted, not quarantined). */
export type ReaderItem =
  | { kind: 'row'; row: StagedRow }
  | { kind: 'problem'; problem: RowProblem }
  | { kind: 'blank'; line: number }
  | { kind: 'progress'; bytesRead: number; bytesTotal: number };

/** Facts a reader learns about its file while reading (shown in the ingest report). */
export interface SourceInfo {
  /** Encoding detected or declared (utf-8, latin-1 …). */
  encoding?: string;
  /** Vintage stated by the source (ISO date), when it states one. */
  vintage?: string;
  vintageSource?: string;
  /** Default dataset id the source suggests (e.g. `comtrade`, `baci-hs92`). */
  dataset?: string;
  /** Source rows (records) read: every non-blank data line or sheet row, loaded or not. */
  rowsRead?: number;
  warnings: Problem[];
}

/** A reader: opened on one file with its options; yields items; fills `info` as it goes. */
export interface Reader {
  readonly info: SourceInfo;
  read(): AsyncIterable<ReaderItem>;
}
