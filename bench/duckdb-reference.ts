/**
 * The reference for the ingest benchmark, run as its own process so its memory is measured apart:
 * DuckDB's own CSV reader with default options into a plain table of a fresh database file.
 *
 *   node dist/bench/duckdb-reference.js <file.csv> <fresh.duckdb>
 *
 * Prints one JSON line: { rows, seconds, duckdbVersion }.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, db] = process.argv.slice(2);
if (!csv || !db) {
  process.stderr.write('usage: duckdb-reference <file.csv> <fresh.duckdb>\n');
  process.exit(2);
}
if (existsSync(db)) {
  process.stderr.write(`duckdb-reference: ${db} exists; the reference needs a fresh database file\n`);
  process.exit(2);
}
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const t0 = performance.now();
const instance = await DuckDBInstance.create(db);
const conn = await instance.connect();
await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(csv)})`);
await conn.run('CHECKPOINT');
const seconds = (performance.now() - t0) / 1000;
const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]);
const duckdbVersion = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]![0]);
conn.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ rows, seconds, duckdbVersion })}\n`);
