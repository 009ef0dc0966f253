/**
 * `tradescope query`: one question to the query engine, from flags (the same names as `GET /api/query`) or a
 * whole spec (`--spec file.json`, flags overriding its fields). Without `--measure` it asks for the headline:
 * exports, imports, balance and total trade with YoY, the published YoY and how each value was found.
 * Output: a table (a formatter over the engine's result), CSV, JSON (the result itself), or `--out` a file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fixedText, groupThousands, humanAmount, mulDivRound, toFixed } from '../../model/decimal.js';
import { regionByCode } from '../../model/regions.js';
import { planFor, type QueryResult, query } from '../../query/engine.js';
import { type QueryParamValues, specFromParams } from '../../query/params.js';
import { explainPlan } from '../../query/plan.js';
import type { QuerySpecInput } from '../../query/spec.js';
import { UserError } from '../../util/errors.js';
import { type Cell, csvText, printJson, textTable, writeOut } from '../format.js';
import { openStore } from '../open-store.js';

export interface QueryCliOptions {
  db?: string;
  json?: boolean;
  reporter?: string;
  partner?: string;
  region?: string;
  regionLevel?: string;
  flow?: string;
  period?: string;
  by?: string;
  dataset?: string;
  asOf?: string;
  product?: string;
  currency?: string;
  fxSeries?: string;
  format?: string;
  out?: string;
  measure?: string;
  compare?: string;
  base?: string;
  top?: string;
  spec?: string;
  explain?: boolean;
}

/** The spec the flags describe (or the `--spec` file, with flags overriding its fields). */
export function specFromFlags(o: QueryCliOptions): QuerySpecInput {
  let base: Record<string, unknown> = {};
  if (o.spec) {
    try {
      base = JSON.parse(readFileSync(o.spec, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(`--spec: cannot read ${o.spec}: ${(e as Error).message}`);
    }
  }
  const values: QueryParamValues = {
    reporter: o.reporter,
    partner: o.partner,
    region: o.region,
    'region-level': o.regionLevel,
    flow: o.flow,
    period: o.period,
    by: o.by,
    product: o.product,
    currency: o.currency,
    'fx-series': o.fxSeries,
    measure: o.measure,
    compare: o.compare,
    base: o.base,
    top: o.top,
    dataset: o.dataset,
    'as-of': o.asOf,
  };
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as QueryParamValues;
  if (!o.spec && !given.reporter) throw new UserError('--reporter is required (e.g. --reporter CHN)');
  return specFromParams(given, base);
}

export async function queryCommand(o: QueryCliOptions): Promise<number> {
  const format = o.json ? 'json' : (o.format ?? 'table');
  if (!['table', 'csv', 'json', 'sdmx-csv'].includes(format))
    throw new UserError(`--format: ${format} (use table, csv, json or sdmx-csv)`);
  const spec = specFromFlags(o);
  const store = await openStore(o.db, { readOnly: true });
  try {
    if (o.explain) {
      const plan = explainPlan(await planFor(store, spec));
      if (format === 'json') printJson(plan);
      else process.stdout.write(`${explainText(plan)}\n`);
      return 0;
    }
    const result = await query(store, spec);
    if (o.out) await writeResult(o.out, result);
    if (format === 'json') printJson(result);
    else if (format === 'csv') process.stdout.write(csvText(result.columns, cellsOf(result)));
    else if (format === 'sdmx-csv') process.stdout.write((await import('../../export/sdmx-csv.js')).sdmxCsv(result));
    else process.stdout.write(renderResult(result));
    return 0;
  } finally {
    await store.close();
  }
}

const cellsOf = (r: QueryResult): Cell[][] => r.rows.map((row) => r.columns.map((c) => row[c] ?? null));

/** Columns holding money in base units of the result's currency. */
const MONEY = new Set([
  'value',
  'previous',
  'months_sum',
  'ytd_value',
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
const PERCENT = /_(pct|pp)$/;
/** Changes carry their sign (+7.18%); shares and levels do not. */
const SIGNED = /(yoy|mom|prev|growth|effect|gap)_pct$|_pp$/;
/** Columns the table leaves out: said once in the heading (currency), or shown below it (months_sum, note). */
const HIDDEN = new Set(['currency', 'months_sum', 'note', 'previous', 'ytd_period']);
const TITLES: Record<string, string> = {
  yoy_pct: 'YoY',
  mom_pct: 'MoM',
  prev_pct: 'vs prev.',
  published_yoy_pct: 'YoY in file',
  ytd_value: 'YTD value',
  ytd_yoy_pct: 'YTD YoY',
  ytd_basis: 'YTD basis',
  share_pct: 'share',
  contribution_pp: 'contribution (pp)',
};

/** The table a reader sees: exact values with thousands separators, an approximate reading, signed percents. */
export function renderResult(r: QueryResult): string {
  const p = r.provenance;
  const converted = p.currency !== p.sourceCurrency;
  const s = r.spec;
  const what = [
    `${s.reporter.toUpperCase()} → ${s.partner ?? 'WLD'}`,
    s.product ? `product ${s.product}` : null,
    s.region ? `region ${s.region}` : null,
    `${r.spec.period}`,
    `dataset ${p.dataset}`,
    `values in ${p.currency || 'the source currency'}${converted ? ` (converted from ${p.sourceCurrency}; exact to 0.0001 in --json)` : ' (exact, base units)'}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [what + (p.datasetNote ? `\n(${p.datasetNote})` : '')];
  const currencies = new Set(r.rows.map((row) => row.currency).filter((c) => c));
  const columns = r.columns.filter((c) => !HIDDEN.has(c) || (c === 'currency' && currencies.size > 1));
  const withApprox = columns.includes('value');
  const headers: string[] = [];
  for (const c of columns) {
    headers.push(TITLES[c] ?? c);
    if (c === 'value' && withApprox) headers.push('approx.');
  }
  const rows: Cell[][] = r.rows.map((row) => {
    const out: Cell[] = [];
    for (const c of columns) {
      const v = row[c] ?? null;
      if (c === 'value' && v === null && typeof row.note === 'string') out.push(`— (${row.note})`);
      else if (c === 'region' && typeof v === 'string' && regionByCode(v)) out.push(`${v} ${regionByCode(v)!.nameZh}`);
      else if (MONEY.has(c) && typeof v === 'string') out.push(groupThousands(converted ? wholeUnits(v) : v));
      else if (PERCENT.test(c) && v !== null) {
        const unit = c.endsWith('_pp') ? '' : '%';
        out.push(SIGNED.test(c) ? signed(String(v), unit) : `${v}${unit}`);
      } else out.push(v);
      if (c === 'value' && withApprox) out.push(typeof v === 'string' ? humanAmount(toFixed(v)) : '');
    }
    return out;
  });
  lines.push(textTable(headers, rows));
  const gaps = r.rows.flatMap((row) => {
    if (row.basis !== 'published cumulative' || typeof row.value !== 'string' || typeof row.months_sum !== 'string')
      return [];
    const d = toFixed(row.value) - toFixed(row.months_sum);
    if (d === 0n) return [];
    const where = ['region', 'partner', 'product'].map((k) => row[k]).filter((x) => x);
    return [
      `${row.period} ${row.measure}${where.length ? ` (${where.join(', ')})` : ''}: published cumulative ${groupThousands(converted ? wholeUnits(row.value) : row.value)} vs sum of first-published months ${groupThousands(converted ? wholeUnits(row.months_sum) : row.months_sum)} (revisions ${d > 0n ? '+' : ''}${groupThousands(wholeUnits(fixedText(d)))})`,
    ];
  });
  if (gaps.length) {
    lines.push('', 'YTD uses the published cumulative figures, which carry revisions of earlier months:');
    lines.push(...gaps.slice(0, 12).map((g) => `  ${g}`));
    if (gaps.length > 12) lines.push(`  … ${gaps.length - 12} more (see --json)`);
  }
  if (r.columns.includes('yoy_pct')) {
    lines.push(
      '',
      'YoY: against the same window a year earlier, from the values shown (published cumulative where one exists).',
    );
  }
  for (const n of r.notes) lines.push(`note: ${n.message}`);
  return `${lines.join('\n')}\n`;
}

/** A decimal text rounded to whole units (converted values are exact to 0.0001 only in --json). */
function wholeUnits(text: string): string {
  // the money module's rounding (half away from zero), to whole units of the currency
  const unit = toFixed('1');
  return fixedText(mulDivRound(toFixed(text), 1n, unit) * unit);
}

function signed(s: string, unit: string): string {
  return `${s.startsWith('-') ? '' : '+'}${s}${unit}`;
}

async function writeResult(path: string, r: QueryResult): Promise<void> {
  // the statistical-office and spreadsheet formats have their own writers (src/export)
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
    writeOut(path, { headers: r.columns, rows: cellsOf(r) }, r);
    return;
  }
  const { writeParquet } = await import('../../store/duckdb/parquet.js');
  await writeParquet(path, r.columns, cellsOf(r));
}

/** The plan as indented text: one line a field, lists and objects below their name. */
function explainText(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    return value
      .map((v) =>
        typeof v === 'object' && v !== null ? `${indent}-\n${explainText(v, `${indent}  `)}` : `${indent}- ${v}`,
      )
      .join('\n');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) =>
        typeof v === 'object' && v !== null
          ? `${indent}${k}:\n${explainText(v, `${indent}  `)}`
          : `${indent}${k}: ${v}`,
      )
      .join('\n');
  }
  return `${indent}${String(value)}`;
}
