/**
 * Output helpers for the CLI: aligned text tables, CSV, JSON, and writing `--out` files by extension.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../util/errors.js';

export type Cell = string | number | null | undefined;

/** Renders rows as an aligned text table (numbers right-aligned). */
export function textTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const width = (s: string) =>
    [...s].reduce(
      (w, ch) =>
        w +
        (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch)
          ? 2
          : 1),
      0,
    );
  const widths = headers.map((h, i) => Math.max(width(h), ...text.map((r) => width(r[i] ?? ''))));
  const numeric = headers.map((_, i) => text.every((r) => r[i] === '' || /^[-+]?[\d,.]+%?$/.test(r[i] ?? '')));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - width(s)));
    return numeric[i] ? fill + s : s + fill;
  };
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, i))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

/** RFC 4180 CSV. */
export function csvText(headers: string[], rows: Cell[][]): string {
  const q = (c: Cell) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[headers, ...rows].map((r) => r.map(q).join(',')).join('\n')}\n`;
}

/** Writes `--out`: .csv (table as CSV), .json (the JSON document), .txt/.md (the text table). */
export function writeOut(path: string, table: { headers: string[]; rows: Cell[][] }, json: unknown): void {
  const ext = extname(path).toLowerCase();
  let body: string;
  if (ext === '.csv') body = csvText(table.headers, table.rows);
  else if (ext === '.json') body = `${JSON.stringify(json, null, 2)}\n`;
  else if (ext === '.txt' || ext === '.md') body = `${textTable(table.headers, table.rows)}\n`;
  else throw new UserError(`--out: unknown file type ${ext || '(none)'} (use .csv, .json, .txt or .md)`);
  writeFileSync(path, body);
}

/** Prints one JSON document on stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
