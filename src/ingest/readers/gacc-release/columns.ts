/**
 * Columns of a release table, found by their header labels, never by position. A column's labels are the
 * header cells above it (merged cells count for every column they cover): `Export & Import` over `1- to-2`,
 * `1-4 Total, Year-On-Year(%)` over `Quantity`, `出口` over `1-7月`. From them come the column's flow, measure
 * (level or printed YoY), quantity or value, and window: the table's month (`4`, `May`, `7月`, `当月`), the year
 * to date (`1-to-2`, `1- to-3`, `1-4 Total`, `Jan-May in Total`, `1-7月`, `累计`) or the prior year's year to
 * date (`1-4 Total,2024`, `Jan-May 2018 in Total`, `去年同期`). A header a label cannot be read from is an error
 * naming the column.
 */
import { monthFromName } from '../../../model/period.js';
import type { ReleasePeriod, TableKind } from './metadata.js';

export type FlowLabel = 'X' | 'M' | 'total' | 'balance';
/** `row`: the window is the row's own label (table (1), whose rows are months and years to date). */
export type Window = 'month' | 'ytd' | 'prior-ytd' | 'row';

export interface DataColumn {
  role: 'data';
  flow?: FlowLabel;
  measure: 'level' | 'yoy';
  quantity: boolean;
  window: Window;
  /** The window's last month and year (the prior year for `prior-ytd`). */
  month: number;
  year: number;
}

export type ColumnRole = { role: 'label' } | { role: 'unit' } | { role: 'period' } | DataColumn;

export interface Column {
  index: number;
  /** The header labels, joined: `1-4 Total, Year-On-Year(%) / Quantity`. */
  header: string;
  role: ColumnRole;
}

export interface ColumnProblem {
  index: number;
  header: string;
  message: string;
}

const LABEL_COLUMN =
  /^(commodity|commodities|import source|export destination|country\s*\/?\s*region|countries?( and regions?)?|trade mode|trade modes|item|month|year and month|period|商品名称|商品|国别[（(]?地区[)）]?|国家[（(]?地区[)）]?|贸易方式|项目|年月|时间)$/i;
/** Header words of the label column (any row of the header block). */
export function isLabelHeader(text: string): boolean {
  return LABEL_COLUMN.test(text.normalize('NFKC').trim());
}

const UNIT_COLUMN = /^(quantity unit|qty\.? unit|unit|计量单位|数量单位|单位)$/i;
const PERIOD_ROWS = /^(month|year and month|period|年月|时间)$/i;

/**
 * Reads one column's labels. `labels` are the header cells above the column, top first (duplicates from a merge
 * removed). Returns the column's role, or a problem naming what could not be read.
 */
export function classifyColumn(
  index: number,
  labels: string[],
  kind: TableKind,
  period: ReleasePeriod,
): Column | ColumnProblem {
  const header = labels.join(' / ');
  const texts = labels.map((l) => l.normalize('NFKC').trim());
  if (texts.length === 0 || texts.every((t) => t === ''))
    return { index, header, message: 'a column without a header' };
  if (texts.some((t) => PERIOD_ROWS.test(t)) && kind === 'totals') return { index, header, role: { role: 'period' } };
  if (texts.some((t) => LABEL_COLUMN.test(t))) return { index, header, role: { role: 'label' } };
  if (texts.some((t) => UNIT_COLUMN.test(t))) return { index, header, role: { role: 'unit' } };

  let rest = ` ${texts.join(' ; ').toLowerCase()} `;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.replace(re, ' ');
    return m;
  };
  const yoy = !!take(/year[\s-]*on[\s-]*year|\byoy\b|同比|比去年同期|[±+-]?\s*%|\(\s*[±+]?\s*\)/g);
  let flow: FlowLabel | undefined;
  if (take(/export\s*&\s*import|exports?\s+and\s+imports?|imports?\s+and\s+exports?|进出口/g)) flow = 'total';
  else if (take(/trade\s+balance|\bbalance\b|贸易差额|差额/g)) flow = 'balance';
  else if (take(/\bexports?\b|出口/g)) flow = 'X';
  else if (take(/\bimports?\b|进口/g)) flow = 'M';
  const quantity = !!take(/\bquantity\b|\bqty\b|数量/g);
  const value = !!take(/\bvalue\b|金额/g);
  if (quantity && value) return { index, header, message: `reads as both quantity and value: ${header}` };

  // the window
  let ytdMonth: number | undefined;
  let monthOnly: number | undefined;
  let year: number | undefined;
  let prior = !!take(/去年同期|上年同期|same period (of )?last year|prior year/g);
  let m = take(/(?:^|[\s;(])1\s*-\s*(?:to\s*-?\s*)?(\d{1,2})(?!\d)(?:\s*月)?/);
  if (m) ytdMonth = Number(m[1]);
  if (ytdMonth === undefined) {
    m = take(/\bjan(?:uary)?\.?\s*[-–~]\s*([a-z]{3,9})\.?/);
    if (m) ytdMonth = monthFromName(m[1]!);
  }
  if (ytdMonth === undefined) {
    m = take(/1\s*[至~—–]\s*(\d{1,2})\s*月/);
    if (m) ytdMonth = Number(m[1]);
  }
  if (ytdMonth === undefined && take(/累计|年初至今|year to date|\bytd\b/g)) ytdMonth = period.month;
  m = take(/\b((?:19|20|21)\d{2})\s*年?/);
  if (m) year = Number(m[1]);
  take(/\b(in\s+)?total\b|\bin\b|合计|总计/g);
  if (ytdMonth === undefined) {
    m = take(/(?:^|[\s;])(\d{1,2})\s*月?(?=[\s;]|$)/);
    if (m) monthOnly = Number(m[1]);
    else {
      m = take(/\b([a-z]{3,9})\.?(?=[\s;,]|$)/);
      if (m) {
        const mo = monthFromName(m[1]!);
        if (mo) monthOnly = mo;
        else rest = `${rest} ${m[1]}`;
      } else if (take(/当月|本月/g)) monthOnly = period.month;
    }
  }
  const leftover = rest.replace(/[\s;,.:()（）·*/\\\-±]+/g, '');
  if (leftover)
    return { index, header, message: `unknown column: ${JSON.stringify(header)} (cannot read "${leftover}")` };
  if (ytdMonth === undefined && monthOnly === undefined && kind === 'totals' && !prior) {
    if (!flow) return { index, header, message: `unknown column: ${JSON.stringify(header)} (no flow)` };
    return {
      index,
      header,
      role: {
        role: 'data',
        flow,
        measure: yoy ? 'yoy' : 'level',
        quantity: false,
        window: 'row',
        month: period.month,
        year: period.year,
      },
    };
  }
  if (ytdMonth === undefined && monthOnly === undefined) {
    return { index, header, message: `unknown column: ${JSON.stringify(header)} (no month or year-to-date label)` };
  }
  const wantMonth = period.month;
  const seen = ytdMonth ?? monthOnly!;
  if (seen !== wantMonth) {
    return {
      index,
      header,
      message: `column ${JSON.stringify(header)} is for month ${seen}, but the table is for ${period.year}-${String(wantMonth).padStart(2, '0')}`,
    };
  }
  if (year !== undefined && year !== period.year) prior = true;
  let window: Window = ytdMonth !== undefined || period.janFeb ? 'ytd' : 'month';
  if (prior) window = 'prior-ytd';
  if (kind === 'exports' || kind === 'imports') {
    if (!quantity && !value)
      return { index, header, message: `unknown column: ${JSON.stringify(header)} (neither quantity nor value)` };
  } else if (!flow && kind !== 'totals') {
    return {
      index,
      header,
      message: `unknown column: ${JSON.stringify(header)} (no flow: export, import or export & import)`,
    };
  }
  return {
    index,
    header,
    role: {
      role: 'data',
      ...(flow ? { flow } : {}),
      measure: yoy ? 'yoy' : 'level',
      quantity,
      window,
      month: wantMonth,
      year: window === 'prior-ytd' ? period.year - 1 : period.year,
    },
  };
}

/** The printed year of a prior-year column's header, when it is not the year before the period (May 2026's "2024"). */
export function printedPriorYear(header: string): number | undefined {
  const m = /\b((?:19|20|21)\d{2})\b/.exec(header);
  return m ? Number(m[1]) : undefined;
}
