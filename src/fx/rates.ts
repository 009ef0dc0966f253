/**
 * Exchange-rate series: one model for the bundled Fed H.10 rates and for series users load.
 *
 * Every rate is held as exact decimal text in one quotation: **units of the currency per 1 USD** (CNY 7.1707,
 * EUR 0.9175). A file that quotes USD per unit (EUR 1.0899) is inverted on the way in by {@link invertRate}:
 * 10^k ÷ rate, rounded half-even to {@link INVERT_DIGITS} significant digits (never more than 12 decimals, the
 * store's DECIMAL(38,12)). A daily series is averaged per month by {@link monthlyMean}: the arithmetic mean of
 * the days that have an observation, rounded half-even to 12 decimals, with the number of days kept. A month
 * without an observation has no rate: never zero, never carried forward.
 *
 * The bundled files (`data/fx/`, from datasets/exchange-rates, which scrapes FRED) are **already** in units per
 * USD for every currency: its script inverts FRED's USD-per-unit series (EXUSAL, EXUSEU, EXUSIR, EXUSNZ,
 * EXUSUK) with `round(1 / x, 4)` before writing. Inverting them again would be wrong; those five currencies
 * carry the 4-decimal rounding of an inverse (about ±0.00005 per USD), which `note` says.
 */

import { readFileSync } from 'node:fs';
import { decText, divHalfEven, parseDec } from '../model/exact.js';
import type { MonthId } from '../model/period.js';
import type { DuckDb } from '../store/duckdb/duckdb-connection.js';
import { readStoredSeries, storedSeriesList } from '../store/duckdb/fx-store.js';
import { UserError, userError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';

export type RateFrequency = 'daily' | 'monthly' | 'annual';
/** How a source file quotes a currency. Series in memory are always `per-usd`. */
export type Quotation = 'per-usd' | 'usd-per-unit';

/** Where a series comes from. */
export interface RateSource {
  /** Publisher and series, e.g. `Federal Reserve H.10 via FRED (datasets/exchange-rates)`. */
  name: string;
  url?: string;
  /** The file read (bundled path relative to the package, or the user's path). */
  file: string;
  /** How the values were derived on the way in (inversions, means). */
  note?: string;
}

/** One rate: units of the currency per 1 USD, exact decimal text. */
export interface RatePoint {
  value: string;
  /** For a monthly mean of a daily series: the number of days averaged. */
  days?: number;
}

/** A rate series: per currency (ISO 4217), per period key. */
export interface RateSeries {
  id: string;
  name: string;
  source: RateSource;
  frequency: RateFrequency;
  /** Always `per-usd` in memory: see the module comment. */
  quotation: 'per-usd';
  /**
   * Currency → period key → rate. Keys: yyyymmdd (daily), yyyymm (monthly), yyyy (annual).
   */
  rates: Map<string, Map<number, RatePoint>>;
  /** Set when the series was loaded by a user into a store. */
  loadedAt?: string;
}

/** The rate of one currency for one month, with how it was obtained. */
export interface MonthRate {
  month: MonthId;
  currency: string;
  /** Units of `currency` per 1 USD. */
  perUsd: string;
  /** `monthly` (a monthly value of the series), `annual` (the year's average), `daily-mean`. */
  basis: 'monthly' | 'annual' | 'daily-mean' | 'usd';
  /** Days averaged (daily-mean only). */
  days?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Exact decimals with any number of decimals (money uses model/decimal.ts; rates need more than 4 decimals)

export type { Dec } from '../model/exact.js';
export { decText, divHalfEven, parseDec } from '../model/exact.js';

/** Significant digits kept when a rate is inverted or a cross rate is shown. */
export const INVERT_DIGITS = 12;
/** Most decimals a stored rate has (DECIMAL(38,12)). */
export const RATE_SCALE = 12;

/**
 * `num / den` (positive) as decimal text with `digits` significant digits, half-even, at most
 * {@link RATE_SCALE} decimals.
 */
export function ratioSignificant(num: bigint, den: bigint, digits = INVERT_DIGITS): string {
  if (num <= 0n || den <= 0n) throw new Error(`ratio of non-positive values: ${num}/${den}`);
  // number of integer digits of num/den decides how many decimals give `digits` significant digits
  let scale = digits - (num / den).toString().length;
  if (num < den) {
    // leading zeros after the point: 0.00xyz needs more decimals
    let k = 0;
    while (num * 10n ** BigInt(k + 1) < den) k++;
    scale = digits + k;
  }
  scale = Math.min(Math.max(scale, 0), RATE_SCALE);
  const q = divHalfEven(num * 10n ** BigInt(scale), den);
  return decText({ units: q, scale });
}

/**
 * Inverts a quote: USD per unit → units per USD (or back), to {@link INVERT_DIGITS} significant digits,
 * half-even.
 * @example invertRate('1.0821') // '0.92412900841' (0.924129008410: 12 significant digits)
 */
export function invertRate(text: string): string {
  const d = parseDec(text);
  if (!d || d.units <= 0n) throw new Error(`not a positive rate: ${text}`);
  return ratioSignificant(10n ** BigInt(d.scale), d.units);
}

/**
 * Monthly mean of daily values: Σ values ÷ days, rounded half-even to {@link RATE_SCALE} decimals.
 * @example monthlyMean(['7.1', '7.2', '7.4']) // '7.233333333333'
 */
export function monthlyMean(values: readonly string[]): string {
  if (values.length === 0) throw new Error('mean of no values');
  const decs = values.map((v) => {
    const d = parseDec(v);
    if (!d) throw new Error(`not a decimal: ${v}`);
    return d;
  });
  const scale = Math.max(...decs.map((d) => d.scale));
  const sum = decs.reduce((s, d) => s + d.units * 10n ** BigInt(scale - d.scale), 0n);
  const q = divHalfEven(sum * 10n ** BigInt(RATE_SCALE), BigInt(values.length) * 10n ** BigInt(scale));
  return decText({ units: q, scale: RATE_SCALE });
}

// ---------------------------------------------------------------------------------------------------------
// Looking rates up

const dailyMeans = new WeakMap<RateSeries, Map<string, Map<number, RatePoint>>>();

/** Monthly means of a daily series per currency (computed once per series object). */
export function monthlyMeans(series: RateSeries, currency: string): Map<number, RatePoint> {
  let byCurrency = dailyMeans.get(series);
  if (!byCurrency) {
    byCurrency = new Map();
    dailyMeans.set(series, byCurrency);
  }
  const cached = byCurrency.get(currency);
  if (cached) return cached;
  const groups = new Map<number, string[]>();
  for (const [day, p] of series.rates.get(currency) ?? []) {
    const month = Math.floor(day / 100);
    let g = groups.get(month);
    if (!g) {
      g = [];
      groups.set(month, g);
    }
    g.push(p.value);
  }
  const out = new Map<number, RatePoint>();
  for (const [month, vals] of [...groups].sort((a, b) => a[0] - b[0])) {
    out.set(month, { value: monthlyMean(vals), days: vals.length });
  }
  byCurrency.set(currency, out);
  return out;
}

/**
 * The rate of `currency` for `month` in `series`, or undefined when the series has none. USD is 1.
 * A monthly series gives its month, an annual series its year's average, a daily series the mean of the
 * month's days.
 */
export function rateFor(series: RateSeries, currency: string, month: MonthId): MonthRate | undefined {
  const cur = currency.toUpperCase();
  if (cur === 'USD') return { month, currency: cur, perUsd: '1', basis: 'usd' };
  if (series.frequency === 'monthly') {
    const p = series.rates.get(cur)?.get(month);
    return p ? { month, currency: cur, perUsd: p.value, basis: 'monthly' } : undefined;
  }
  if (series.frequency === 'annual') {
    const p = series.rates.get(cur)?.get(Math.floor(month / 100));
    return p ? { month, currency: cur, perUsd: p.value, basis: 'annual' } : undefined;
  }
  const p = monthlyMeans(series, cur).get(month);
  return p
    ? { month, currency: cur, perUsd: p.value, basis: 'daily-mean', ...(p.days ? { days: p.days } : {}) }
    : undefined;
}

/** Currencies of a series (ISO 4217), sorted. */
export function seriesCurrencies(series: RateSeries): string[] {
  return [...series.rates.keys()].sort();
}

/** First and last period key of a series over all currencies. */
export function seriesRange(series: RateSeries): { first: number; last: number } | undefined {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const m of series.rates.values()) {
    for (const k of m.keys()) {
      if (k < first) first = k;
      if (k > last) last = k;
    }
  }
  return Number.isFinite(first) ? { first, last } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The bundled Fed H.10 series

/**
 * Country names of the bundled files → ISO 4217. Legacy euro-area currencies end in 2001-12 in the file.
 * Venezuela's bolívar was redenominated (2008, 2018, 2021) and the file does not mark it: the code is the
 * current VES, and its values are not comparable across those dates.
 */
export const H10_CURRENCIES: Readonly<Record<string, string>> = {
  Australia: 'AUD',
  Austria: 'ATS',
  Belgium: 'BEF',
  Brazil: 'BRL',
  Canada: 'CAD',
  China: 'CNY',
  Denmark: 'DKK',
  Euro: 'EUR',
  Finland: 'FIM',
  France: 'FRF',
  Germany: 'DEM',
  Greece: 'GRD',
  'Hong Kong': 'HKD',
  India: 'INR',
  Ireland: 'IEP',
  Italy: 'ITL',
  Japan: 'JPY',
  Malaysia: 'MYR',
  Mexico: 'MXN',
  Netherlands: 'NLG',
  'New Zealand': 'NZD',
  Norway: 'NOK',
  Portugal: 'PTE',
  Singapore: 'SGD',
  'South Africa': 'ZAR',
  'South Korea': 'KRW',
  Spain: 'ESP',
  'Sri Lanka': 'LKR',
  Sweden: 'SEK',
  Switzerland: 'CHF',
  Taiwan: 'TWD',
  Thailand: 'THB',
  'United Kingdom': 'GBP',
  Venezuela: 'VES',
};

/** The five currencies FRED quotes in USD per unit; the bundled file holds them already inverted. */
export const H10_INVERTED_AT_SOURCE: readonly string[] = ['AUD', 'EUR', 'IEP', 'NZD', 'GBP'];

export const BUNDLED_SERIES_IDS = ['fed-h10-monthly', 'fed-h10-annual'] as const;
export type BundledSeriesId = (typeof BUNDLED_SERIES_IDS)[number];

const H10_NOTE =
  'currency per USD for all currencies: the source script (datasets/exchange-rates scripts/main.py) already ' +
  'inverted the USD-per-unit FRED series of AUD, EUR, IEP, NZD and GBP with round(1/x, 4), so those carry ' +
  'the 4-decimal rounding of an inverse; tradescope reads every value as it stands';

const BUNDLED: Record<BundledSeriesId, { file: string; name: string; frequency: RateFrequency; url: string }> = {
  'fed-h10-monthly': {
    file: 'exchange-rates-monthly.csv',
    name: 'Federal Reserve H.10, monthly averages (via FRED)',
    frequency: 'monthly',
    url: 'https://fred.stlouisfed.org (series EX..US / EXUS..), scraped by github.com/datasets/exchange-rates',
  },
  'fed-h10-annual': {
    file: 'exchange-rates-yearly.csv',
    name: 'Federal Reserve H.10, annual averages (via FRED)',
    frequency: 'annual',
    url: 'https://fred.stlouisfed.org (series AEX..US / AEXUS..), scraped by github.com/datasets/exchange-rates',
  },
};

const bundledCache = new Map<string, RateSeries>();

/** True for the ids of the series shipped in `data/fx`. */
export function isBundledSeries(id: string): id is BundledSeriesId {
  return (BUNDLED_SERIES_IDS as readonly string[]).includes(id);
}

/**
 * Reads a bundled series from `data/fx` (once per process).
 * @example rateFor(bundledSeries('fed-h10-monthly'), 'CNY', 202401 as MonthId)?.perUsd // '7.1707'
 */
export function bundledSeries(id: BundledSeriesId): RateSeries {
  const hit = bundledCache.get(id);
  if (hit) return hit;
  const spec = BUNDLED[id];
  const series = parseH10(readFileSync(dataPath('fx', spec.file), 'utf8'), {
    id,
    name: spec.name,
    frequency: spec.frequency,
    source: { name: spec.name, url: spec.url, file: `data/fx/${spec.file}`, note: H10_NOTE },
  });
  bundledCache.set(id, series);
  return series;
}

/**
 * Parses the long layout of the bundled files: `Date,Country,<value>` with dates `yyyy-mm-01`, one row per
 * country and period; empty values are gaps. Unknown countries and malformed rows are broken invariants of a
 * bundled file, so they throw.
 */
export function parseH10(
  text: string,
  meta: { id: string; name: string; frequency: RateFrequency; source: RateSource },
): RateSeries {
  const rates = new Map<string, Map<number, RatePoint>>();
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const [date, country, value] = line.split(',');
    const m = /^(\d{4})-(\d{2})-01$/.exec(date ?? '');
    const code = H10_CURRENCIES[country ?? ''];
    if (!m || !code) throw new Error(`${meta.source.file}:${i + 1}: unexpected row: ${line}`);
    if (!value) continue;
    const d = parseDec(value);
    if (!d || d.units <= 0n) throw new Error(`${meta.source.file}:${i + 1}: bad rate: ${value}`);
    const key = meta.frequency === 'annual' ? Number(m[1]) : Number(m[1]) * 100 + Number(m[2]);
    let byPeriod = rates.get(code);
    if (!byPeriod) {
      byPeriod = new Map();
      rates.set(code, byPeriod);
    }
    byPeriod.set(key, { value });
  }
  return { ...meta, quotation: 'per-usd', rates };
}

// ---------------------------------------------------------------------------------------------------------
// The catalogue: bundled series plus those stored by `tradescope fx load`

/** One line of `tradescope fx series`. */
export interface SeriesSummary {
  id: string;
  name: string;
  source: string;
  file: string;
  frequency: RateFrequency;
  /** `bundled` (data/fx) or `stored` (loaded into the store). */
  origin: 'bundled' | 'stored';
  currencies: string[];
  first?: number;
  last?: number;
  loadedAt?: string;
}

function summary(s: RateSeries, origin: 'bundled' | 'stored'): SeriesSummary {
  const range = seriesRange(s);
  return {
    id: s.id,
    name: s.name,
    source: s.source.name,
    file: s.source.file,
    frequency: s.frequency,
    origin,
    currencies: seriesCurrencies(s),
    ...(range ? { first: range.first, last: range.last } : {}),
    ...(s.loadedAt ? { loadedAt: s.loadedAt } : {}),
  };
}

/**
 * Lists the bundled series and, given the store's connection, the stored ones.
 * @example (await fxSeries()).map((s) => s.id) // ['fed-h10-monthly', 'fed-h10-annual']
 */
export async function fxSeries(db?: DuckDb): Promise<SeriesSummary[]> {
  const out = BUNDLED_SERIES_IDS.map((id) => summary(bundledSeries(id), 'bundled'));
  if (db) {
    for (const info of await storedSeriesList(db)) {
      const s = await readStoredSeries(db, info.id);
      if (s) out.push(summary(s, 'stored'));
    }
  }
  return out;
}

/**
 * Finds a series by id: a bundled one, else one stored in `db`. Throws a {@link UserError} naming the
 * known ids when there is none.
 */
export async function findSeries(id: string, db?: DuckDb): Promise<RateSeries> {
  if (isBundledSeries(id)) return bundledSeries(id);
  const stored = db ? await readStoredSeries(db, id) : undefined;
  if (stored) return stored;
  const known = (await fxSeries(db)).map((s) => s.id).join(', ');
  throw userError(
    'unknown-rate-series',
    `unknown rate series: ${id} (known: ${known}; load one with \`tradescope fx load\`)`,
    { series: id },
    { field: 'fxSeries' },
    id,
  );
}
