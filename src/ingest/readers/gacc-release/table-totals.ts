/**
 * Table (1), total values: one row per period (the months of the year so far, January–February combined, and the
 * year to date), columns by flow (Export & Import, Export, Import, Trade Balance) with their YoY. A row's label
 * is its window: `2025.01-02`, `2025.03`, `March 2025`, `2025年3月` (a month, or January–February), `1-to-3`,
 * `1-3 Total`, `Jan-Mar 2025`, `1-3月` (the year to date). Export and Import are staged (partner World, all
 * products); Export & Import and the balance are checked against them.
 */
import type { ReaderItem } from '../../staged-row.js';
import { parseGaccPeriod } from '../gacc-reader.js';
import {
  checkSum,
  dataColumns,
  isProblem,
  numberAt,
  percentToRatio,
  rowProblem,
  stagedRow,
  type TableContext,
} from './emit.js';
import { cellAt, type GridRow } from './grid.js';

/** The window a row label names: a month (or Jan+Feb) as `2025-03` / `ytd:2025-02`, or a year to date. */
function rowWindow(label: string, year: number): { period: string; cumulative: boolean } | undefined {
  const t = label.normalize('NFKC').trim();
  const ytd =
    /^1\s*-\s*(?:to\s*-?\s*)?(\d{1,2})(?:\s*total)?$/i.exec(t) ??
    /^1\s*[至\-~]\s*(\d{1,2})\s*月\s*(?:累计)?$/.exec(t) ??
    /^(?:(\d{4})\s*年\s*)?1\s*[至~]\s*(\d{1,2})\s*月$/.exec(t);
  if (ytd) {
    const m = Number(ytd[2] ?? ytd[1]);
    const y = ytd[2] && ytd[1] ? Number(ytd[1]) : year;
    if (m >= 1 && m <= 12) return { period: `ytd:${y}-${String(m).padStart(2, '0')}`, cumulative: true };
  }
  const dotted = /^(\d{4})\.(\d{1,2})(?:\s*-\s*(\d{1,2}))?$/.exec(t);
  const p = dotted
    ? dotted[3]
      ? Number(dotted[2]) === 1 && Number(dotted[3]) === 2
        ? ({ kind: 'janfeb', year: Number(dotted[1]), month: 2 } as const)
        : undefined
      : ({ kind: 'month', year: Number(dotted[1]), month: Number(dotted[2]) } as const)
    : parseGaccPeriod(t, year);
  if (!p || p.kind === 'year' || p.month < 1 || p.month > 12) return undefined;
  const mm = String(p.month).padStart(2, '0');
  // January–February published together is the year to date through February
  return p.kind === 'janfeb'
    ? { period: `ytd:${p.year}-02`, cumulative: true }
    : { period: `${p.year}-${mm}`, cumulative: false };
}

/** Reads the rows of a table (1). */
export function* totalRows(ctx: TableContext): Generator<ReaderItem> {
  const { layout, title, file } = ctx;
  const cols = dataColumns(layout);
  const periodCol = layout.columns.find((c) => c.role.role === 'period' || c.role.role === 'label');
  for (const row of layout.dataRows as GridRow[]) {
    const label = cellAt(row, periodCol?.index ?? layout.labelColumn).text;
    if (!label) continue;
    const w = rowWindow(label, title.period.year);
    if (!w) {
      yield rowProblem(
        ctx,
        row,
        'bad-period',
        `not a period: ${JSON.stringify(label)}`,
        periodCol?.header ?? 'Month',
        label,
      );
      continue;
    }
    const values = new Map<string, { value: string; decimals: number }>();
    for (const c of cols) {
      const p = numberAt(ctx, row, c, `row "${label}"`);
      if (isProblem(p)) {
        yield p;
        continue;
      }
      if (p === 'none') continue;
      values.set(`${c.role.flow}|${c.role.measure}`, p);
      if (c.role.flow !== 'X' && c.role.flow !== 'M') continue;
      const yoy = c.role.measure === 'yoy';
      yield stagedRow(ctx, row, {
        partner: 'WLD',
        partnerScheme: 'canonical',
        flow: c.role.flow,
        classification: 'TOTAL',
        product: 'TOTAL',
        period: w.period,
        measure: yoy ? 'yoy' : w.cumulative ? 'cumulative' : 'value',
        value: yoy ? percentToRatio(p.value) : p.value,
        unit: yoy ? 'ratio' : layout.unit.label,
        field: c.header,
        ...(yoy ? { note: `printed YoY ${p.value} %` } : {}),
      });
    }
    const total = values.get('total|level');
    const x = values.get('X|level');
    const m = values.get('M|level');
    if (total && x && m) {
      const bad = checkSum(total, [x, m], `${label}: Export & Import ≠ Export + Import`);
      if (bad) ctx.warn({ code: 'sum-mismatch', severity: 'warning', message: bad, at: { file, line: row.line } });
    }
    const balance = values.get('balance|level');
    if (balance && x && m) {
      const bad = checkSum(x, [balance, m], `${label}: Trade Balance ≠ Export − Import`);
      if (bad) ctx.warn({ code: 'balance-mismatch', severity: 'warning', message: bad, at: { file, line: row.line } });
    }
  }
}
