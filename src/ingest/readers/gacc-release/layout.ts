/**
 * The parts of a release table grid: the rows above the header (title, unit line), the header block (every row
 * from the first one naming the label column — `Commodity`, `Import Source`, `商品名称` … — through the last one
 * before the data), the data rows, and the notes below them (`Note: 1. The Association of Southeast Asian
 * Nations (ASEAN) includes: …`). Columns are classified from the header block (see columns.ts).
 */
import type { MoneyUnit } from '../../../model/units.js';
import { UserError } from '../../../util/errors.js';
import { type Column, type ColumnProblem, classifyColumn, isLabelHeader } from './columns.js';
import { cellAt, type Grid, type GridRow, isBlankRow, rowTexts } from './grid.js';
import { parseUnitLine, type ReleaseTitle } from './metadata.js';

export interface TableLayout {
  unit: MoneyUnit;
  /** The unit line as printed and where. */
  unitLine: { text: string; line: number };
  headerRows: GridRow[];
  dataRows: GridRow[];
  notes: string[];
  columns: Column[];
  /** The label column's index. */
  labelColumn: number;
}

const NOTE = /^(note|notes|注|说明)\s*[:：]?/i;

/** Splits a grid into its parts and classifies its columns; a UserError names file, row and cell on failure. */
export function tableLayout(file: string, grid: Grid, title: ReleaseTitle): TableLayout {
  const at = (row: GridRow) => `${file}:${row.line}${grid.sheet ? ` (sheet ${grid.sheet})` : ''}`;
  const headerStart = grid.rows.findIndex((r) => r.cells.some((c) => !c.spanned && isLabelHeader(c.text)));
  if (headerStart < 0) {
    throw new UserError(
      `${file}: not a release table of the kind its title says (${title.kind}): no header row naming the label column (Commodity, Import Source / Export Destination, Trade Mode, 商品名称, 国别(地区) …)`,
      [{ code: 'no-header', severity: 'error', message: 'no header row', at: { file } }],
    );
  }
  let unitLine: { text: string; line: number; unit: MoneyUnit } | undefined;
  for (const row of grid.rows.slice(0, headerStart + 1)) {
    for (const text of rowTexts(row)) {
      // a unit line may share a cell with the title: look at each line of it
      for (const part of text.split(/\s{2,}|\n/)) {
        const u =
          parseUnitLine(part) ??
          parseUnitLine(part.replace(/^.*?(?=(value\s+)?unit\s*[:：]|(金额)?单位\s*[:：])/i, ''));
        if (!u) continue;
        if ('error' in u) {
          throw new UserError(
            `${at(row)}: ${u.error} (expected e.g. "Unit: CNY 100 Million", "Unit: USD1 Million", "单位：亿元")`,
            [
              {
                code: 'bad-unit-line',
                severity: 'error',
                message: u.error,
                at: { file, line: row.line, field: 'unit line' },
                value: part,
              },
            ],
          );
        }
        unitLine ??= { text: part, line: row.line, unit: u.unit };
      }
    }
  }
  if (!unitLine) {
    throw new UserError(
      `${file}: no unit line above the table (e.g. "Unit: CNY 100 Million", "单位：亿元"): the values' unit is unknown`,
      [{ code: 'no-unit-line', severity: 'error', message: 'no unit line', at: { file } }],
    );
  }
  if (title.currency && unitLine.unit.currency !== title.currency) {
    throw new UserError(
      `${file}:${unitLine.line}: the unit line "${unitLine.text}" says ${unitLine.unit.currency}, but the title says the table is in ${title.currency}`,
      [
        {
          code: 'unit-contradicts-title',
          severity: 'error',
          message: 'unit line contradicts the title',
          at: { file, line: unitLine.line, field: 'unit line' },
          value: unitLine.text,
        },
      ],
    );
  }

  // header block: from headerStart while the label column is a header word, a merge from above, or empty
  const labelColumn = grid.rows[headerStart]!.cells.findIndex((c) => isLabelHeader(c.text));
  let end = headerStart + 1;
  while (end < grid.rows.length) {
    const c = cellAt(grid.rows[end]!, labelColumn);
    if (
      c.spanned ||
      isLabelHeader(c.text) ||
      (c.text === '' && !isBlankRow(grid.rows[end]!) && !hasNumber(grid.rows[end]!))
    )
      end++;
    else break;
  }
  const headerRows = grid.rows.slice(headerStart, end);
  const dataRows: GridRow[] = [];
  const notes: string[] = [];
  for (const row of grid.rows.slice(end)) {
    const texts = rowTexts(row);
    if (!texts.length) continue;
    if (notes.length || (NOTE.test(texts[0]!) && !hasNumber(row))) notes.push(texts.join(' '));
    else dataRows.push(row);
  }

  const width = Math.max(...grid.rows.slice(headerStart).map((r) => r.cells.length));
  const columns: Column[] = [];
  const problems: ColumnProblem[] = [];
  for (let i = 0; i < width; i++) {
    const labels: string[] = [];
    for (const h of headerRows) {
      const t = cellAt(h, i).text;
      if (t && labels.at(-1) !== t) labels.push(t);
    }
    if (!labels.length && dataRows.every((r) => cellAt(r, i).text === '')) continue; // an empty trailing column
    const c = classifyColumn(i, labels, title.kind, title.period);
    if ('message' in c) problems.push(c);
    else columns.push(c);
  }
  if (problems.length) {
    const line = headerRows[0]!.line;
    throw new UserError(
      `${file}:${line}: ${problems.map((p) => `column ${p.index + 1}: ${p.message}`).join('; ')}`,
      problems.map((p) => ({
        code: 'unknown-column',
        severity: 'error' as const,
        message: p.message,
        at: { file, line, field: `column ${p.index + 1}` },
        value: p.header,
      })),
    );
  }
  return {
    unit: unitLine.unit,
    unitLine: { text: unitLine.text, line: unitLine.line },
    headerRows,
    dataRows,
    notes,
    columns,
    labelColumn,
  };
}

function hasNumber(row: GridRow): boolean {
  return row.cells.some((c) => !c.spanned && /^[+-]?\d[\d,]*(\.\d+)?$/.test(c.text) && c.text.length > 2);
}
