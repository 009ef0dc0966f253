/**
 * A release's `.xls` attachment as a {@link Grid}: BIFF (Excel 97–2003, what GAC attaches) or XLSX, read with
 * SheetJS (`@e965/xlsx`, public API only: `read`, `utils.decode_range`, `utils.encode_cell`, `!merges`,
 * `set_cptable` for the code pages of older BIFF files). The table is the first sheet that has cells. Each cell
 * keeps the text as Excel displays it (`w`, the formatted text: its printed precision is what the ±1 checks use),
 * or the stored value when a cell has no format. Leading spaces and the cell's indent level are its indentation.
 * An HTML table saved with an `.xls` name is not a workbook: the reader sends it to the page reader first.
 */
import * as XLSX from '@e965/xlsx';
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs';
import { UserError } from '../../../util/errors.js';
import { numberToDecimalText } from '../gacc-reader.js';
import { cleanText, type Grid, type GridCell, type GridRow } from './grid.js';

XLSX.set_cptable(cptable);

/** True for the bytes of a BIFF (OLE compound file) or XLSX (zip) workbook. */
export function looksLikeWorkbook(bytes: Buffer): boolean {
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  return ole || zip;
}

/** Reads the first non-empty sheet of a workbook as a grid. */
export function readWorkbookGrid(file: string, bytes: Buffer): Grid {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellStyles: true, cellDates: false, dense: false });
  } catch (e) {
    throw new UserError(`${file}: not a readable workbook: ${(e as Error).message}`, [], { cause: e });
  }
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws?.['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    const rows: GridRow[] = [];
    const covered = new Map<string, { r: number; c: number }>();
    for (const m of ws['!merges'] ?? []) {
      for (let r = m.s.r; r <= m.e.r; r++)
        for (let c = m.s.c; c <= m.e.c; c++) if (r !== m.s.r || c !== m.s.c) covered.set(`${r},${c}`, m.s);
    }
    const cellOf = (r: number, c: number): GridCell => {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      if (!cell || cell.v === undefined || cell.v === null) return { text: '', indent: 0, spanned: false };
      const raw =
        cell.w ??
        (typeof cell.v === 'number' ? (numberToDecimalText(cell.v) ?? String(cell.v)) : String(cell.v as string));
      const lead = /^[ \u00a0\u3000]*/.exec(raw)?.[0] ?? '';
      const styleIndent = Number((cell.s as { alignment?: { indent?: number } } | undefined)?.alignment?.indent ?? 0);
      return { text: cleanText(raw), indent: lead.length + styleIndent * 4, spanned: false };
    };
    for (let r = range.s.r; r <= range.e.r; r++) {
      const cells: GridCell[] = [];
      for (let c = range.s.c; c <= range.e.c; c++) {
        const origin = covered.get(`${r},${c}`);
        cells.push(origin ? { ...cellOf(origin.r, origin.c), spanned: true } : cellOf(r, c));
      }
      rows.push({ line: r + 1, row: r - range.s.r + 1, cells });
    }
    if (rows.some((row) => row.cells.some((c) => c.text))) return { rows, sheet: name };
  }
  throw new UserError(`${file}: the workbook has no cells`);
}
