/**
 * A query result as an XLSX workbook (exceljs, public API only): a `data` sheet and a `provenance` sheet.
 *
 * Numbers are written as spreadsheet numbers only when they are exact as a double: the value in its smallest
 * unit (the decimal text without its point, e.g. units of 0.0001) is below 2^53, so the spreadsheet shows and
 * sums exactly the decimal the query computed. A value past that is written as text, and the provenance sheet
 * says which cells and why. Money columns carry their currency and unit in the header (`value (EUR, units)`).
 */
import type { QueryResult } from '../query/engine.js';
import { indicatorColumns } from './sdmx-csv.js';
import type { XlsxTable } from './xlsx-workbook.js';

export { exactAsDouble, type XlsxTable, xlsxBytes } from './xlsx-workbook.js';

/** The table of a query result: money headers with currency and unit; provenance and notes. */
export function resultTable(r: QueryResult): XlsxTable {
  const numeric = indicatorColumns(r);
  const headers: Record<string, string> = {};
  const cur = r.provenance.currency || 'source currency';
  for (const c of numeric) {
    headers[c] = c.endsWith('_pct')
      ? `${c} (%)`
      : c.endsWith('_pp')
        ? `${c} (percentage points)`
        : ['value', 'previous', 'months_sum', 'revision'].includes(c)
          ? `${c} (${cur}, units)`
          : c;
  }
  const p = r.provenance;
  const provenance: [string, string][] = [
    ['query', JSON.stringify(r.spec)],
    ['dataset', p.dataset + (p.datasetNote ? ` (${p.datasetNote})` : '')],
    ['currency', `${p.currency}${p.currency !== p.sourceCurrency ? ` (converted from ${p.sourceCurrency})` : ''}`],
    ['unit', 'values in units of the currency (not thousands or millions), exact decimals'],
  ];
  if (p.fx) {
    provenance.push(['exchange rates', `${p.fx.seriesName}: ${p.fx.method}`], ['rate source', p.fx.source]);
    for (const m of p.fx.rates)
      provenance.push([`rate ${m.month}`, `${p.fx.from} ${m.fromPerUsd} per USD, ${p.fx.to} ${m.toPerUsd} per USD`]);
  }
  for (const v of p.vintages ?? []) provenance.push([`release ${v.vintage}`, `${v.source}: ${v.files.join(', ')}`]);
  if (p.flags?.length) provenance.push(['flags', p.flags.join(', ')]);
  if (p.answeredBy?.length) provenance.push(['answered by', p.answeredBy.join(', ')]);
  provenance.push(['base', p.base]);
  return {
    columns: r.columns,
    rows: r.rows,
    headers,
    numeric,
    provenance,
    notes: r.notes.map((n) => `${n.severity}: ${n.message}`),
  };
}
