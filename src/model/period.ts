/**
 * Periods: the one grammar every period flag of tradescope accepts.
 *
 * A period is a contiguous window of calendar months with a start and an end month.
 * Months are carried as "month ids" `yyyy * 100 + mm` (202506) so that SQL on any engine
 * can compare them as integers.
 *
 * | text              | kind     | window                         |
 * |-------------------|----------|--------------------------------|
 * | `2025`            | year     | 2025-01 … 2025-12              |
 * | `2025-06`         | month    | 2025-06                        |
 * | `2025-Q1`         | quarter  | 2025-01 … 2025-03              |
 * | `2025-H1`         | half     | 2025-01 … 2025-06              |
 * | `2025-01+02`      | janfeb   | 2025-01 … 2025-02 (published combined) |
 * | `2025-01..2025-06`| range    | 2025-01 … 2025-06              |
 * | `2017..2024`      | range    | 2017-01 … 2024-12              |
 * | `ytd:2025-06`     | ytd      | 2025-01 … 2025-06              |
 * | `r12:2025-06`     | rolling12| 2024-07 … 2025-06              |
 */
import { UserError } from '../util/errors.js';

export type PeriodKind = 'month' | 'janfeb' | 'quarter' | 'half' | 'year' | 'range' | 'ytd' | 'rolling12';

/** A month id: yyyy * 100 + mm, e.g. 202506. */
export type MonthId = number & { readonly __month: unique symbol };

export interface Period {
  readonly kind: PeriodKind;
  /** Canonical text in the period grammar. */
  readonly label: string;
  readonly start: MonthId;
  readonly end: MonthId;
}

const YEAR_MIN = 1900;
const YEAR_MAX = 2199;

/**
 * Makes a month id, checking its range.
 * @example monthId(2025, 6) // 202506
 */
export function monthId(year: number, month: number): MonthId {
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new Error(`invalid year: ${year}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new Error(`invalid month: ${month}`);
  return (year * 100 + month) as MonthId;
}

export const yearOf = (m: MonthId): number => Math.floor(m / 100);
export const monthOf = (m: MonthId): number => m % 100;

/** Adds `n` months (negative to go back). */
export function addMonths(m: MonthId, n: number): MonthId {
  const idx = yearOf(m) * 12 + (monthOf(m) - 1) + n;
  return monthId(Math.floor(idx / 12), (idx % 12) + 1);
}

/** Number of months in the window start…end inclusive. */
export function monthCount(start: MonthId, end: MonthId): number {
  return (yearOf(end) - yearOf(start)) * 12 + monthOf(end) - monthOf(start) + 1;
}

/** `2025-06` */
export function formatMonth(m: MonthId): string {
  return `${yearOf(m)}-${String(monthOf(m)).padStart(2, '0')}`;
}

function make(kind: PeriodKind, label: string, start: MonthId, end: MonthId): Period {
  return { kind, label, start, end };
}

export const monthPeriod = (m: MonthId): Period => make('month', formatMonth(m), m, m);
export const yearPeriod = (y: number): Period => make('year', String(y), monthId(y, 1), monthId(y, 12));
export const ytdPeriod = (m: MonthId): Period => make('ytd', `ytd:${formatMonth(m)}`, monthId(yearOf(m), 1), m);
export const janFebPeriod = (y: number): Period => make('janfeb', `${y}-01+02`, monthId(y, 1), monthId(y, 2));
export const rolling12Period = (m: MonthId): Period => make('rolling12', `r12:${formatMonth(m)}`, addMonths(m, -11), m);
export const quarterPeriod = (y: number, q: number): Period =>
  make('quarter', `${y}-Q${q}`, monthId(y, q * 3 - 2), monthId(y, q * 3));
export const halfPeriod = (y: number, h: number): Period =>
  make('half', `${y}-H${h}`, monthId(y, h * 6 - 5), monthId(y, h * 6));

export function rangePeriod(start: MonthId, end: MonthId): Period {
  if (end < start) throw new Error(`range ends before it starts: ${formatMonth(start)}..${formatMonth(end)}`);
  return make('range', `${formatMonth(start)}..${formatMonth(end)}`, start, end);
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

function parseMonthText(text: string): MonthId | undefined {
  const m = MONTH_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12) return undefined;
  return monthId(year, month);
}

const GRAMMAR_HELP =
  'expected one of 2025, 2025-06, 2025-Q1, 2025-H1, 2025-01..2025-06, ytd:2025-06, r12:2025-06, 2025-01+02';

/**
 * Parses a period in the tradescope grammar, or returns a problem message.
 * @example tryParsePeriod('ytd:2025-06') // { kind: 'ytd', start: 202501, end: 202506, … }
 */
export function tryParsePeriod(input: string): Period | string {
  const text = input.trim();
  if (/^\d{4}$/.test(text)) {
    const y = Number(text);
    if (y < YEAR_MIN || y > YEAR_MAX) return `invalid period: ${input} (year out of range)`;
    return yearPeriod(y);
  }
  const month = parseMonthText(text);
  if (month !== undefined) return monthPeriod(month);
  const quarter = /^(\d{4})-[Qq]([1-4])$/.exec(text);
  if (quarter) return quarterPeriod(Number(quarter[1]), Number(quarter[2]));
  const half = /^(\d{4})-[Hh]([12])$/.exec(text);
  if (half) return halfPeriod(Number(half[1]), Number(half[2]));
  const janFeb = /^(\d{4})-01\+02$/.exec(text);
  if (janFeb) return janFebPeriod(Number(janFeb[1]));
  const prefixed = /^(ytd|r12):(.+)$/i.exec(text);
  if (prefixed) {
    const end = parseMonthText(prefixed[2]!);
    const kind = prefixed[1]!.toLowerCase();
    if (end === undefined) return `invalid period: ${input} (${kind}: needs a month such as 2025-06)`;
    return kind === 'ytd' ? ytdPeriod(end) : rolling12Period(end);
  }
  const years = /^(\d{4})\.\.(\d{4})$/.exec(text);
  if (years) {
    const [a, b] = [Number(years[1]), Number(years[2])];
    if (a < YEAR_MIN || b > YEAR_MAX || b < a) return `invalid period: ${input} (years out of order or range)`;
    return rangePeriod(monthId(a, 1), monthId(b, 12));
  }
  const range = /^(.+)\.\.(.+)$/.exec(text);
  if (range) {
    const s = parseMonthText(range[1]!);
    const e = parseMonthText(range[2]!);
    if (s === undefined || e === undefined)
      return `invalid period: ${input} (a range joins two months: 2025-01..2025-06)`;
    if (e < s) return `invalid period: ${input} (the range ends before it starts)`;
    return rangePeriod(s, e);
  }
  return `invalid period: ${input} (${GRAMMAR_HELP})`;
}

/** Parses a period or throws a {@link UserError} naming the flag. */
export function parsePeriod(input: string, flag = '--period'): Period {
  const p = tryParsePeriod(input);
  if (typeof p === 'string') throw new UserError(`${flag}: ${p}`);
  return p;
}

/** The same window one year earlier, with the same kind (used for YoY). */
export function shiftYears(p: Period, years: number): Period {
  const s = addMonths(p.start, years * 12);
  const e = addMonths(p.end, years * 12);
  switch (p.kind) {
    case 'year':
      return yearPeriod(yearOf(s));
    case 'month':
      return monthPeriod(s);
    case 'quarter':
      return quarterPeriod(yearOf(s), Math.ceil(monthOf(e) / 3));
    case 'half':
      return halfPeriod(yearOf(s), Math.ceil(monthOf(e) / 6));
    case 'janfeb':
      return janFebPeriod(yearOf(s));
    case 'ytd':
      return ytdPeriod(e);
    case 'rolling12':
      return rolling12Period(e);
    case 'range':
      return rangePeriod(s, e);
  }
}

/** True when the window runs January through some month of one year (a year-to-date window). */
export function isYearToDate(p: Period): boolean {
  return monthOf(p.start) === 1 && yearOf(p.start) === yearOf(p.end);
}

/** Every month of the window, in order. */
export function monthsOf(p: Period): MonthId[] {
  const out: MonthId[] = [];
  for (let m = p.start; m <= p.end; m = addMonths(m, 1)) out.push(m);
  return out;
}

/**
 * The canonical label of a stored window: a published cumulative window is `ytd:…`; otherwise a month,
 * Jan+Feb combined, a quarter, a half, a year, or a range.
 * @example periodLabel(202501, 202506, true) // 'ytd:2025-06'
 * @example periodLabel(202501, 202502, false) // '2025-01+02'
 */
export function periodLabel(start: number, end: number, cumulative: boolean): string {
  const s = start as MonthId;
  const e = end as MonthId;
  if (cumulative && monthOf(s) === 1 && yearOf(s) === yearOf(e)) return ytdPeriod(e).label;
  if (s === e) return formatMonth(s);
  const n = monthCount(s, e);
  if (yearOf(s) === yearOf(e)) {
    const m = monthOf(s);
    if (m === 1 && n === 2) return janFebPeriod(yearOf(s)).label;
    if (n === 12) return String(yearOf(s));
    if (n === 3 && m % 3 === 1) return quarterPeriod(yearOf(s), (m + 2) / 3).label;
    if (n === 6 && m % 6 === 1) return halfPeriod(yearOf(s), (m + 5) / 6).label;
  }
  return `${formatMonth(s)}..${formatMonth(e)}`;
}

/** English month names, January first. */
export const MONTH_NAMES_EN = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/**
 * The month number of an English month name, full or abbreviated to three letters (`Sept` too),
 * case-insensitive; undefined otherwise. With `form`, only that form is accepted.
 * @example monthFromName('January') // 1
 * @example monthFromName('sept') // 9
 */
export function monthFromName(word: string, form?: 'full' | 'short'): number | undefined {
  const w = word.trim().toLowerCase();
  if (form !== 'short') {
    const i = MONTH_NAMES_EN.indexOf(w as (typeof MONTH_NAMES_EN)[number]);
    if (i >= 0) return i + 1;
  }
  if (form !== 'full') {
    if (w === 'sept') return 9;
    const i = MONTH_NAMES_EN.findIndex((m) => m.slice(0, 3) === w);
    if (i >= 0) return i + 1;
  }
  return undefined;
}
