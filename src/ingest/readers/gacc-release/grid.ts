/**
 * A release table as a grid of cells, whatever it was read from (an HTML page, a BIFF or XLSX workbook): merged
 * cells are copied into every position they cover (marked `spanned`), so that a column's header labels are the
 * cells above it. Each cell keeps its text as printed, its indentation and where it stood in the source.
 */

export interface GridCell {
  /** Text as printed: non-breaking and ideographic spaces made plain, runs of white space collapsed, trimmed. */
  text: string;
  /** Leading indentation: non-breaking/ideographic spaces (HTML), or leading spaces and the indent level (workbooks). */
  indent: number;
  /** True for a position covered by a merged cell that starts elsewhere (above or to the left). */
  spanned: boolean;
  /** Images inside the cell (their `src`), for telling an image-only table apart. */
  images?: string[];
}

export interface GridRow {
  /** Where the row stands in the source: the line of its `<tr>` in a page, its row number in a sheet. */
  line: number;
  /** 1-based row number within the table. */
  row: number;
  cells: GridCell[];
}

export interface Grid {
  rows: GridRow[];
  /** Worksheet name when read from a workbook. */
  sheet?: string;
}

/** U+0003, which some saved pages carry in their footers. */
const ETX = String.fromCharCode(3);

/** Normalises printed text: NBSP, ideographic and other spaces become plain spaces; runs collapse; trimmed. */
export function cleanText(text: string): string {
  return text
    .replaceAll(ETX, ' ')
    .replace(/[\u00a0\u3000\u2002-\u200b\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Counts the indentation at the start of a raw HTML cell text: non-breaking and ideographic spaces only. */
export function htmlIndent(raw: string): number {
  const lead = /^[\s\u00a0\u3000]*/.exec(raw)?.[0] ?? '';
  let n = 0;
  for (const ch of lead)
    if (ch === '\u00a0') n++;
    else if (ch === '\u3000') n += 2;
  return n;
}

/** The cell at (row, col), or an empty one. */
export function cellAt(row: GridRow, col: number): GridCell {
  return row.cells[col] ?? { text: '', indent: 0, spanned: false };
}

/** True when every cell of the row is empty. */
export function isBlankRow(row: GridRow): boolean {
  return row.cells.every((c) => c.text === '');
}

/** The distinct texts of a row, left to right (merged cells counted once). */
export function rowTexts(row: GridRow): string[] {
  const out: string[] = [];
  for (const c of row.cells) if (c.text && !c.spanned && !out.includes(c.text)) out.push(c.text);
  return out;
}
