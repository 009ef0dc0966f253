/**
 * What the table readers share: reading a printed number, naming periods, building {@link StagedRow}s and
 * problems with the file, row and column they come from.
 */
import { scaleDecimalText } from '../../../model/units.js';
import type { Problem, ProblemCode } from '../../../util/errors.js';
import type { CodeScheme, ReaderItem, SourceInfo, StagedRow } from '../../staged-row.js';
import { parseNumberText } from '../gacc-reader.js';
import type { Column, DataColumn } from './columns.js';
import { cellAt, type GridRow } from './grid.js';
import type { TableLayout } from './layout.js';
import type { ReleaseTitle } from './metadata.js';

/** Cell texts that mean "nothing published" in GAC's tables. */
const NONE = new Set(['', '-', '—', '–', '--', '——', '/']);

export type Printed = { value: string; decimals: number } | 'none' | 'bad';

/** Reads a printed number: `65,363.6`, `-1.2`, `892`; `-` / `—` / empty mean none; other text is bad. */
export function readPrinted(text: string): Printed {
  const t = text.trim();
  if (NONE.has(t)) return 'none';
  const n = parseNumberText(t);
  if (!n) return 'bad';
  const decimals = /\.(\d+)/.exec(t)?.[1]?.length ?? 0;
  return { value: n.value, decimals };
}

/** A printed percentage (7.18) as a ratio in text (0.0718). */
export function percentToRatio(value: string): string {
  return scaleDecimalText(value, -2);
}

/** The period text of a data column's window. */
export function periodOf(col: DataColumn, title: ReleaseTitle): { period: string; cumulative: boolean } {
  const mm = String(col.month).padStart(2, '0');
  if (col.window === 'month' && !title.period.janFeb) return { period: `${col.year}-${mm}`, cumulative: false };
  return { period: `ytd:${col.year}-${mm}`, cumulative: true };
}

/** What a table reader needs from the reader. */
export interface TableContext {
  file: string;
  sheet?: string;
  title: ReleaseTitle;
  layout: TableLayout;
  info: SourceInfo;
  warn(p: Problem): void;
}

/** The columns of a role, by index. */
export function dataColumns(layout: TableLayout): (Column & { role: DataColumn })[] {
  return layout.columns.filter((c): c is Column & { role: DataColumn } => c.role.role === 'data');
}

/** A staged cell with the release's defaults (reporter China, no trade mode, no region, reported). */
export function stagedRow(
  ctx: TableContext,
  row: GridRow,
  o: {
    partner: string;
    partnerScheme: CodeScheme;
    flow: string;
    classification: string;
    product: string;
    period: string;
    measure: StagedRow['measure'];
    value: string;
    unit: string;
    tradeMode?: string;
    quantity?: string;
    quantityUnit?: string;
    note?: string;
    field: string;
    partnerField?: string;
  },
): ReaderItem {
  return {
    kind: 'row',
    row: {
      line: row.line,
      ...(ctx.sheet ? { sheet: ctx.sheet } : {}),
      reporter: 'CHN',
      reporterScheme: 'canonical',
      partner: o.partner,
      partnerScheme: o.partnerScheme,
      flow: o.flow,
      classification: o.classification,
      product: o.product,
      period: o.period,
      measure: o.measure,
      tradeMode: o.tradeMode ?? '',
      region: '',
      value: o.value,
      unit: o.unit,
      netWeight: '',
      weightUnit: '',
      quantity: o.quantity ?? '',
      quantityUnit: o.quantity ? (o.quantityUnit ?? '') : '',
      flag: 'reported',
      seasonallyAdjusted: false,
      ...(o.note ? { note: o.note } : {}),
      fieldNames: { value: o.field, ...(o.partnerField ? { partner: o.partnerField } : {}) },
    },
  };
}

/** A source row that cannot be read, for the quarantine: the cells joined, the column named. */
export function rowProblem(
  ctx: TableContext,
  row: GridRow,
  code: ProblemCode,
  message: string,
  field: string,
  value: string,
): ReaderItem {
  return {
    kind: 'problem',
    problem: {
      code,
      severity: 'error',
      message,
      at: { file: ctx.file, line: row.line, field, ...(ctx.sheet ? { sheet: ctx.sheet } : {}) },
      value,
      raw: row.cells
        .filter((c) => !c.spanned)
        .map((c) => c.text)
        .join(' | '),
    },
  };
}

/** `column 3 "Export / 1-to-2"`: how a column is named in messages and quarantine fields. */
export function columnName(c: Column): string {
  return `column ${c.index + 1} "${c.header}"`;
}

/** The text of a row's cell in a column. */
export function textAt(row: GridRow, col: Column | number): string {
  return cellAt(row, typeof col === 'number' ? col : col.index).text;
}

/** Checks `total ≈ x + y` to ±1 in the last printed digit; returns the message when it fails. */
export function checkSum(
  total: { value: string; decimals: number },
  parts: { value: string; decimals: number }[],
  what: string,
): string | undefined {
  const d = Math.max(total.decimals, ...parts.map((p) => p.decimals));
  const units = (v: string) => BigInt(scaleDecimalText(v, d).split('.')[0]!);
  const sum = parts.reduce((s, p) => s + units(p.value), 0n);
  const diff = units(total.value) - sum;
  if (diff <= 1n && diff >= -1n) return undefined;
  return `${what}: ${total.value} ≠ ${parts.map((p) => p.value).join(' + ')} (off by more than 1 in the last printed digit)`;
}

/**
 * A column's printed number in a row, or — when the cell is not a number — the quarantine problem naming the
 * column, the cell and the row (`what`: `row "Total"`, `line "Footwear"`).
 */
export function numberAt(
  ctx: TableContext,
  row: GridRow,
  col: Column,
  what: string,
  text: string = textAt(row, col),
): Exclude<Printed, 'bad'> | ReaderItem {
  const p = readPrinted(text);
  if (p !== 'bad') return p;
  return rowProblem(
    ctx,
    row,
    'bad-number',
    `not a number in ${columnName(col)}: ${JSON.stringify(text)} (${what})`,
    col.header,
    text,
  );
}

/** True for the problem {@link numberAt} gives instead of a number. */
export function isProblem(p: Exclude<Printed, 'bad'> | ReaderItem): p is ReaderItem {
  return typeof p === 'object' && 'kind' in p;
}
