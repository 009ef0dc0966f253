/**
 * The XLSX workbook of a table (exceljs, public API only), with no Node-only dependency so that the dashboard
 * builds the same workbook in the browser: a `data` sheet and a `provenance` sheet. Numbers are written as
 * spreadsheet numbers only when they are exact as a double: the value in its smallest unit (the decimal text
 * without its point) is below 2^53. A value past that is written as text, and the provenance sheet says which
 * cells and why.
 */
import ExcelJS from 'exceljs';

const MAX_EXACT = 2n ** 53n;

/** True when the decimal text is exact as a double (below 2^53 in its smallest unit). */
export function exactAsDouble(text: string): boolean {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return false;
  const digits = text
    .replace('-', '')
    .replace('.', '')
    .replace(/^0+(?=\d)/, '');
  return BigInt(digits) < MAX_EXACT;
}

/** A generic table to write (a query result's columns and rows, or a dashboard panel's data). */
export interface XlsxTable {
  columns: string[];
  rows: Record<string, string | number | null | undefined>[];
  /** Header text per column (defaults to the column name). */
  headers?: Record<string, string>;
  /** Columns whose decimal text is a number (others stay text: codes such as 870380 are never numbers). */
  numeric: string[];
  /** Key/value lines of the provenance sheet. */
  provenance: [string, string][];
  notes: string[];
}

/**
 * Builds the workbook of a table; resolves to the XLSX bytes.
 * @example writeFileSync('result.xlsx', await xlsxBytes(resultTable(await query(store, spec))))
 */
export async function xlsxBytes(t: XlsxTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tradescope';
  const data = wb.addWorksheet('data');
  data.addRow(t.columns.map((c) => t.headers?.[c] ?? c));
  data.getRow(1).font = { bold: true };
  const asText: string[] = [];
  const numeric = new Set(t.numeric);
  t.rows.forEach((row, i) => {
    const cells = t.columns.map((c) => {
      const v = row[c];
      if (v === null || v === undefined) return null;
      if (typeof v === 'number') return v;
      if (numeric.has(c) && /^-?\d+(\.\d+)?$/.test(v)) {
        if (exactAsDouble(v)) return Number(v);
        asText.push(`${c} row ${i + 2}`);
      }
      return v;
    });
    data.addRow(cells);
  });
  t.columns.forEach((c, i) => {
    const col = data.getColumn(i + 1);
    col.width = Math.min(40, Math.max(10, (t.headers?.[c] ?? c).length + 2));
    if (numeric.has(c)) {
      const decimals = Math.max(
        0,
        ...t.rows.map((r) => {
          const v = r[c];
          return typeof v === 'string' && v.includes('.') ? v.split('.')[1]!.length : 0;
        }),
      );
      col.numFmt = decimals ? `#,##0.${'0'.repeat(decimals)}` : '#,##0';
    }
  });
  data.views = [{ state: 'frozen', ySplit: 1 }];
  const prov = wb.addWorksheet('provenance');
  prov.addRow(['item', 'detail']);
  prov.getRow(1).font = { bold: true };
  for (const [k, v] of t.provenance) prov.addRow([k, v]);
  for (const n of t.notes) prov.addRow(['note', n]);
  if (asText.length)
    prov.addRow([
      'text cells',
      `${asText.length} value(s) are written as text because they are not exact as a spreadsheet number (2^53 or more in their smallest unit): ${asText.slice(0, 50).join(', ')}${asText.length > 50 ? ' …' : ''}`,
    ]);
  prov.getColumn(1).width = 18;
  prov.getColumn(2).width = 120;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
