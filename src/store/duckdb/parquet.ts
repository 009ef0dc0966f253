/**
 * Writes a table of text cells as a Parquet file through an in-memory DuckDB (every column VARCHAR, so exact
 * decimals stay exact). Column names and values are bound or quoted here; the path is the user's file name.
 */
import { DuckDb, sqlString } from './duckdb-connection.js';

export async function writeParquet(
  path: string,
  columns: readonly string[],
  rows: readonly (string | number | null | undefined)[][],
): Promise<void> {
  const db = await DuckDb.open(':memory:');
  try {
    const cols = columns.map((c) => `"${c.replace(/"/g, '""')}" VARCHAR`).join(', ');
    await db.run(`CREATE TABLE result (${cols})`);
    const a = await db.connection.createAppender('result');
    for (const row of rows) {
      for (const v of row) {
        if (v === null || v === undefined) a.appendNull();
        else a.appendVarchar(String(v));
      }
      a.endRow();
    }
    a.closeSync();
    await db.run(`COPY result TO ${sqlString(path)} (FORMAT parquet)`);
  } finally {
    db.close();
  }
}
