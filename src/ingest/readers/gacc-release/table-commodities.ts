/**
 * Tables (5) major exports and (6) major imports: one row per GAC commodity line, with quantity and value for the
 * month, the year to date and the prior year's year to date, and the printed YoY of both. Lines are GAC's own
 * classification (`GACC-LINE`, data/gacc-lines): a printed name in any year's spelling is the line's id (reading
 * the source's own vocabulary, as flows are read); a name the classification does not know is a quarantined row
 * naming it. One staged cell per line and window holds the value and the quantity; the value YoY is staged as a
 * rate with the quantity YoY in its note.
 *
 * Pages without quantity-unit cells (April 2025, USD: every data row one cell short, the last column empty) are
 * read with the data shifted into place, and the unit taken from the classification, which the warnings say.
 */
import {
  GACC_LINE_CLASSIFICATION,
  gaccLineByName,
  gaccLineUnit,
  normaliseLineName,
} from '../../../classify/gacc-lines.js';
import type { ReaderItem } from '../../staged-row.js';
import { type Column, type DataColumn, printedPriorYear } from './columns.js';
import {
  columnName,
  dataColumns,
  isProblem,
  numberAt,
  percentToRatio,
  periodOf,
  readPrinted,
  rowProblem,
  stagedRow,
  type TableContext,
} from './emit.js';
import { cellAt, type GridRow } from './grid.js';

/** True when the data rows lack the unit cell: each row's last column is empty and its unit cell holds a number. */
function unitCellsMissing(ctx: TableContext, unitCol: Column | undefined): boolean {
  if (!unitCol) return false;
  const last = Math.max(...ctx.layout.columns.map((c) => c.index));
  const rows = ctx.layout.dataRows.filter((r) => cellAt(r, ctx.layout.labelColumn).text);
  return (
    rows.length > 0 &&
    rows.every((r) => cellAt(r, last).text === '') &&
    rows.every((r) => {
      const u = readPrinted(cellAt(r, unitCol.index).text);
      return u !== 'bad';
    })
  );
}

const sameUnit = (a: string, b: string) =>
  a.toLowerCase().replace(/[\s,]/g, '') === b.toLowerCase().replace(/[\s,]/g, '');

/** Reads the rows of a table (5) or (6). */
export function* commodityRows(ctx: TableContext): Generator<ReaderItem> {
  const { layout, title, file } = ctx;
  const flow = title.kind === 'exports' ? 'X' : 'M';
  const cols = dataColumns(layout);
  const unitCol = layout.columns.find((c) => c.role.role === 'unit');
  const shifted = unitCellsMissing(ctx, unitCol);
  if (shifted)
    ctx.warn({
      code: 'no-unit-cells',
      severity: 'warning',
      message: `the page has no quantity-unit cells (the "${unitCol!.header}" column is empty in every row): quantities take their unit from the GAC line classification`,
      at: { file },
    });
  const cell = (row: GridRow, c: Column) =>
    cellAt(row, shifted && unitCol && c.index > unitCol.index ? c.index - 1 : c.index).text;
  const windows = new Map<
    string,
    { value?: Column & { role: DataColumn }; quantity?: Column & { role: DataColumn } }
  >();
  const yoys = new Map<string, { value?: Column & { role: DataColumn }; quantity?: Column & { role: DataColumn } }>();
  for (const c of cols) {
    const k = `${c.role.window}|${c.role.year}`;
    const map = c.role.measure === 'yoy' ? yoys : windows;
    const slot = map.get(k) ?? {};
    slot[c.role.quantity ? 'quantity' : 'value'] = c;
    map.set(k, slot);
  }
  // the prior year's columns: a header whose year is not the year before the table's (May 2026's "2024")
  for (const [, slot] of windows) {
    const c = slot.value ?? slot.quantity;
    if (c?.role.window !== 'prior-ytd') continue;
    const printed = printedPriorYear(c.header);
    if (printed !== undefined && printed !== title.period.year - 1)
      ctx.warn({
        code: 'prior-year-header',
        severity: 'warning',
        message: `${columnName(c)} says ${printed}, but the table is for ${title.period.year}: read as ${title.period.year - 1}'s year to date (the year its YoY column compares with; checked below)`,
        at: { file, line: layout.headerRows[0]?.line ?? 0, field: c.header },
      });
  }
  let yoyChecked = 0;
  const yoyDiffs: string[] = [];
  const yoyRounding: string[] = [];
  for (const row of layout.dataRows) {
    const name = cellAt(row, layout.labelColumn).text;
    if (!name) continue;
    const line = gaccLineByName(name);
    if (!line) {
      yield rowProblem(
        ctx,
        row,
        'unknown-line',
        `unknown commodity line: ${JSON.stringify(name)} (not in data/gacc-lines/gacc-lines.yaml)`,
        'Commodity',
        name,
      );
      continue;
    }
    const printedUnit = unitCol && !shifted ? cellAt(row, unitCol.index).text : '';
    const known = gaccLineUnit(line, title.period.year)?.en ?? '';
    const hasUnit = printedUnit !== '' && readPrinted(printedUnit) !== 'none';
    const quantityUnit = hasUnit ? printedUnit : known;
    if (hasUnit && known && !sameUnit(printedUnit, known))
      ctx.warn({
        code: 'unit-differs',
        severity: 'info',
        message: `${name}: the page prints the quantity unit "${printedUnit}", the classification has "${known}" for ${title.period.year} (the page's is kept)`,
        at: { file, line: row.line },
      });
    const levels = new Map<string, string>();
    for (const [k, slot] of windows) {
      const vCol = slot.value;
      if (!vCol) continue;
      const v = numberAt(ctx, row, vCol, `line "${name}"`, cell(row, vCol));
      if (isProblem(v)) {
        yield v;
        continue;
      }
      if (v === 'none') continue;
      levels.set(k, v.value);
      const q = slot.quantity ? readPrinted(cell(row, slot.quantity)) : 'none';
      if (q === 'bad') {
        const qText = cell(row, slot.quantity!);
        yield rowProblem(
          ctx,
          row,
          'bad-number',
          `not a number in ${columnName(slot.quantity!)}: ${JSON.stringify(qText)} (line "${name}")`,
          slot.quantity!.header,
          qText,
        );
        continue;
      }
      const { period } = periodOf(vCol.role, title);
      yield stagedRow(ctx, row, {
        partner: 'WLD',
        partnerScheme: 'canonical',
        flow,
        classification: GACC_LINE_CLASSIFICATION,
        product: line.id,
        period,
        measure: period.startsWith('ytd:') ? 'cumulative' : 'value',
        value: v.value,
        unit: layout.unit.label,
        ...(q !== 'none' ? { quantity: q.value, quantityUnit } : {}),
        field: vCol.header,
        ...(normaliseLineName(name) !== normaliseLineName(line.name.en) ? { note: `printed as "${name}"` } : {}),
      });
    }
    for (const [k, slot] of yoys) {
      const vCol = slot.value;
      if (!vCol) continue;
      const v = numberAt(ctx, row, vCol, `line "${name}"`, cell(row, vCol));
      if (isProblem(v)) {
        yield v;
        continue;
      }
      if (v === 'none') continue;
      const q = slot.quantity ? readPrinted(cell(row, slot.quantity)) : 'none';
      const { period } = periodOf(vCol.role, title);
      // the printed YoY against the one the printed levels give
      const cur = levels.get(`ytd|${title.period.year}`);
      const prior = levels.get(`prior-ytd|${title.period.year - 1}`);
      let check = '';
      if (vCol.role.window === 'ytd' && cur && prior) {
        const r = yoyFromLevels(cur, prior);
        if (r) {
          yoyChecked++;
          check = `; from the printed levels ${r.computed.toFixed(1)} %`;
          // the printed levels are rounded: any rate within their rounding (and the rate's own) agrees
          const printed = Number(v.value);
          if (printed < r.lo - 0.05 - 1e-9 || printed > r.hi + 0.05 + 1e-9) {
            yoyDiffs.push(`${name} ${v.value} vs ${r.computed.toFixed(1)}`);
            check +=
              ' (differs beyond the rounding of the printed levels: GAC compares with revised prior-year figures)';
          } else if (Math.abs(r.computed - printed) > 0.05 + 1e-9) {
            yoyRounding.push(`${name} ${v.value} vs ${r.computed.toFixed(1)}`);
            check += ' (within the rounding of the printed levels)';
          }
        }
      }
      yield stagedRow(ctx, row, {
        partner: 'WLD',
        partnerScheme: 'canonical',
        flow,
        classification: GACC_LINE_CLASSIFICATION,
        product: line.id,
        period,
        measure: 'yoy',
        value: percentToRatio(v.value),
        unit: 'ratio',
        field: vCol.header,
        note: `printed value YoY ${v.value} %${q !== 'none' && q !== 'bad' ? `, quantity YoY ${q.value} %` : ''}${check}`,
      });
      void k;
    }
  }
  if (yoyChecked)
    ctx.warn({
      code: 'yoy-check',
      severity: yoyDiffs.length ? 'warning' : 'info',
      message:
        `printed YoY against the YoY of the printed year-to-date levels: ${yoyChecked - yoyDiffs.length - yoyRounding.length} of ${yoyChecked} lines agree to the printed 0.1 point` +
        (yoyRounding.length
          ? `; ${yoyRounding.length} within the rounding of the printed levels (${yoyRounding.join('; ')})`
          : '') +
        (yoyDiffs.length
          ? `; ${yoyDiffs.length} differ beyond it, as GAC compares with revised prior-year figures (${yoyDiffs.join('; ')})`
          : ''),
      at: { file },
    });
}

/** The YoY (%) two printed levels give, and its range over the rounding of their last printed digit. */
export function yoyFromLevels(cur: string, prior: string): { computed: number; lo: number; hi: number } | undefined {
  const c = Number(cur);
  const p = Number(prior);
  const half = (t: string) => 0.5 * 10 ** -(/\.(\d+)/.exec(t)?.[1]?.length ?? 0);
  const hc = half(cur);
  const hp = half(prior);
  if (!(p - hp > 0)) return undefined;
  const pct = (x: number) => (x - 1) * 100;
  return { computed: Math.round(pct(c / p) * 10) / 10, lo: pct((c - hc) / (p + hp)), hi: pct((c + hc) / (p - hp)) };
}
