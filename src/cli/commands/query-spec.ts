/**
 * `tradescope query` with the full query model: `--measure`, `--compare`, `--by <dimensions>`, `--top`,
 * `--base`, or a whole spec with `--spec file.json`. Output as a table, CSV, JSON or Parquet (`--out`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { groupThousands } from '../../model/decimal.js';
import { type QueryResult, query } from '../../query/engine.js';
import type { QuerySpecInput } from '../../query/spec.js';
import { writeParquet } from '../../store/duckdb/parquet.js';
import { UserError } from '../../util/errors.js';
import { csvText, printJson, textTable, writeOut } from '../format.js';
import { openStore } from '../open-store.js';
import type { QueryCliOptions } from './query.js';

/** True when the flags ask for more than the foundation's query (which keeps its own output). */
export function wantsQueryModel(o: QueryCliOptions): boolean {
  const periodOnly = !o.by || ['month', 'year'].includes(o.by);
  return Boolean(
    o.spec ||
      o.measure ||
      o.compare ||
      o.top ||
      o.base ||
      !periodOnly ||
      /\.(parquet|xlsx)$/i.test(o.out ?? '') ||
      o.out?.toLowerCase().endsWith('.sdmx.csv') ||
      o.format === 'sdmx-csv',
  );
}

/** The spec the flags describe (or the `--spec` file, with flags overriding its fields). */
export function specFromFlags(o: QueryCliOptions): QuerySpecInput {
  let spec: Record<string, unknown> = {};
  if (o.spec) {
    try {
      spec = JSON.parse(readFileSync(o.spec, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(`--spec: cannot read ${o.spec}: ${(e as Error).message}`);
    }
  }
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  if (o.reporter) spec.reporter = o.reporter;
  if (o.partner) spec.partner = o.partner;
  if (o.region) spec.region = o.region;
  if (o.flow) spec.flow = list(o.flow.toUpperCase());
  if (o.product) spec.product = o.product;
  if (o.period) spec.period = o.period;
  if (o.measure) spec.measures = list(o.measure);
  if (o.compare) spec.compare = o.compare;
  if (o.base) spec.base = o.base;
  if (o.by) spec.by = list(o.by);
  if (o.top) spec.top = Number(o.top);
  if (o.currency) spec.currency = o.currency;
  if (o.fxSeries) spec.fxSeries = o.fxSeries;
  if (o.asOf) spec.asOf = o.asOf;
  if (o.dataset) spec.dataset = o.dataset;
  return spec as QuerySpecInput;
}

export async function queryModelCommand(o: QueryCliOptions): Promise<number> {
  const store = await openStore(o.db);
  try {
    const result = await query(store, specFromFlags(o));
    if (o.out) await writeResult(o.out, result);
    const format = o.json ? 'json' : (o.format ?? 'table');
    if (format === 'json') printJson(result);
    else if (format === 'sdmx-csv') process.stdout.write((await import('../../export/sdmx-csv.js')).sdmxCsv(result));
    else if (format === 'csv')
      process.stdout.write(
        csvText(
          result.columns,
          result.rows.map((r) => result.columns.map((c) => r[c] ?? null)),
        ),
      );
    else process.stdout.write(render(result));
    return 0;
  } finally {
    await store.close();
  }
}

function render(r: QueryResult): string {
  const p = r.provenance;
  const head = `dataset ${p.dataset}${p.datasetNote ? ` (${p.datasetNote})` : ''}, values in ${p.currency || 'source currency'}, exact`;
  const money = new Set([
    'value',
    'previous',
    'months_sum',
    'revision',
    'reporter_exports',
    'partner_imports',
    'gap',
    'point',
    'lo80',
    'hi80',
    'lo95',
    'hi95',
  ]);
  const rows = r.rows.map((row) =>
    r.columns.map((c) => {
      const v = row[c] ?? null;
      return typeof v === 'string' && money.has(c) ? groupThousands(v) : v;
    }),
  );
  const notes = r.notes.map((n) => `note: ${n.message}`);
  return `${head}\n${textTable(r.columns, rows)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

async function writeResult(path: string, r: QueryResult): Promise<void> {
  // the spreadsheet and statistical-office formats have their own writers (src/export)
  if (path.toLowerCase().endsWith('.sdmx.csv')) {
    writeFileSync(path, (await import('../../export/sdmx-csv.js')).sdmxCsv(r));
    return;
  }
  if (extname(path).toLowerCase() === '.xlsx') {
    const { resultTable, xlsxBytes } = await import('../../export/xlsx.js');
    writeFileSync(path, await xlsxBytes(resultTable(r)));
    return;
  }
  if (extname(path).toLowerCase() !== '.parquet') {
    writeOut(path, { headers: r.columns, rows: r.rows.map((row) => r.columns.map((c) => row[c] ?? null)) }, r);
    return;
  }
  await writeParquet(
    path,
    r.columns,
    r.rows.map((row) => r.columns.map((c) => row[c] ?? null)),
  );
}
