/**
 * `tradescope query`: exports, imports, balance and total with YTD and YoY, in the source currency.
 */

import { fixedText, groupThousands, humanAmount, toFixed } from '../../model/decimal.js';
import {
  type BasicQueryResult,
  type BasicQueryRow,
  type MeasureValue,
  runBasicQuery,
} from '../../query/basic-query.js';
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
}

export async function queryCommand(o: QueryCliOptions): Promise<number> {
  const model = await import('./query-spec.js');
  if (model.wantsQueryModel(o)) return model.queryModelCommand(o);
  if (!o.reporter) throw new UserError('--reporter is required (e.g. --reporter CHN)');
  if (o.flow && !['X', 'M'].includes(o.flow.toUpperCase())) throw new UserError(`--flow: ${o.flow} (use X or M)`);
  if (o.by && !['month', 'year'].includes(o.by)) throw new UserError(`--by: ${o.by} (use month or year)`);
  if (o.regionLevel && !['province', 'city'].includes(o.regionLevel))
    throw new UserError(`--region-level: ${o.regionLevel} (use province or city)`);
  const format = o.json ? 'json' : (o.format ?? 'table');
  if (!['table', 'csv', 'json'].includes(format)) throw new UserError(`--format: ${format} (use table, csv or json)`);
  const store = await openStore(o.db);
  try {
    const result = await runBasicQuery(store, {
      reporter: o.reporter,
      ...(o.partner ? { partner: o.partner } : {}),
      ...(o.region ? { region: o.region } : {}),
      ...(o.regionLevel ? { regionLevel: o.regionLevel as 'province' | 'city' } : {}),
      ...(o.flow ? { flow: o.flow.toUpperCase() as 'X' | 'M' } : {}),
      ...(o.period ? { period: o.period } : {}),
      ...(o.by ? { by: o.by as 'month' | 'year' } : {}),
      ...(o.dataset ? { dataset: o.dataset } : {}),
      ...(o.asOf ? { asOf: o.asOf } : {}),
      ...(o.product ? { product: o.product } : {}),
      ...(o.currency ? { currency: o.currency } : {}),
      ...(o.fxSeries ? { fxSeries: o.fxSeries } : {}),
    });
    const table = resultTable(result);
    if (o.out) writeOut(o.out, table, result);
    if (format === 'json') printJson(result);
    else if (format === 'csv') process.stdout.write(csvText(table.headers, table.rows));
    else process.stdout.write(renderResult(result, table));
    return 0;
  } finally {
    await store.close();
  }
}

const MEASURES: [keyof Pick<BasicQueryRow, 'exports' | 'imports' | 'balance' | 'total'>, string][] = [
  ['exports', 'exports'],
  ['imports', 'imports'],
  ['balance', 'balance'],
  ['total', 'total trade'],
];

/** Long table: one row per period × region × measure. */
export function resultTable(r: BasicQueryResult): { headers: string[]; rows: Cell[][] } {
  const monthly = r.rows.some((x) => x.ytd);
  const headers = [
    'period',
    'region',
    'measure',
    'value',
    'currency',
    'yoy_pct',
    'basis',
    'published_yoy_pct',
    'previous',
  ];
  if (monthly) headers.push('ytd_value', 'ytd_yoy_pct', 'ytd_basis');
  const rows: Cell[][] = [];
  for (const row of r.rows) {
    for (const [key, label] of MEASURES) {
      const m = row[key];
      if (!m) continue;
      const cells: Cell[] = [
        row.period,
        row.region === '' ? '' : `${row.region}${row.regionName ? ` ${row.regionName}` : ''}`,
        label,
        m.value,
        row.currency,
        m.yoy,
        m.basis,
        m.publishedYoy,
        m.previous,
      ];
      if (monthly) {
        const y = row.ytd?.[key] ?? null;
        cells.push(y?.value ?? null, y?.yoy ?? null, y?.basis ?? null);
      }
      rows.push(cells);
    }
  }
  return { headers, rows };
}

function show(m: MeasureValue | null | undefined, converted = false): string {
  if (!m || m.value === null) return m?.note ? `— (${m.note})` : '—';
  // converted values are exact to 0.0001 in --json; the table shows whole units
  return groupThousands(converted ? fixedText(roundUnits(toFixed(m.value))) : m.value);
}

function roundUnits(v: bigint): bigint {
  const unit = 10_000n;
  const r = ((v < 0n ? -v : v) + unit / 2n) / unit;
  return (v < 0n ? -r : r) * unit;
}

function pct(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return `${s.startsWith('-') ? '' : '+'}${s}%`;
}

function renderResult(r: BasicQueryResult, _table: { headers: string[]; rows: Cell[][] }): string {
  const lines: string[] = [];
  lines.push(
    `${r.spec.reporter.toUpperCase()} → ${r.partner}${r.product === 'TOTAL' ? '' : `, product ${r.product}`}, dataset ${r.dataset}, values in ${r.currency}${r.currency !== r.sourceCurrency ? ` (converted from ${r.sourceCurrency})` : ' (exact, base units)'}` +
      (r.datasetNote ? `\n(${r.datasetNote})` : ''),
  );
  const monthly = r.rows.some((x) => x.ytd);
  const converted = r.currency !== r.sourceCurrency;
  const headers = monthly
    ? ['period', 'region', 'measure', 'month value', 'YoY', 'YTD value', 'YTD YoY', 'YTD basis']
    : ['period', 'region', 'measure', 'value', 'approx.', 'YoY', 'published YoY', 'basis'];
  const rows: Cell[][] = [];
  for (const row of r.rows) {
    for (const [key, label] of MEASURES) {
      const m = row[key];
      if (!m) continue;
      const region = row.region === '' ? '' : (row.regionName ?? row.region);
      if (monthly) {
        const y = row.ytd?.[key];
        rows.push([
          row.period,
          region,
          label,
          show(m, converted),
          pct(m.yoy),
          show(y, converted),
          pct(y?.yoy),
          y?.basis ?? '',
        ]);
      } else {
        rows.push([
          row.period,
          region,
          label,
          show(m, converted),
          m.value === null ? '' : humanAmount(toFixed(m.value)),
          pct(m.yoy),
          pct(m.publishedYoy),
          m.basis,
        ]);
      }
    }
  }
  lines.push(textTable(headers, rows));
  const gaps = r.rows.flatMap((row) =>
    (['exports', 'imports'] as const).flatMap((k) => {
      const m = row[k];
      if (m?.basis !== 'published cumulative' || m.monthsSum === null || m.value === null) return [];
      const d = toFixed(m.value) - toFixed(m.monthsSum);
      if (d === 0n) return [];
      return [
        `${row.period} ${k}${row.region ? ` (${row.regionName ?? row.region})` : ''}: published cumulative ${groupThousands(m.value)} vs sum of first-published months ${groupThousands(m.monthsSum)} (revisions ${d > 0n ? '+' : ''}${groupThousands(String(d / 10000n))})`,
      ];
    }),
  );
  if (gaps.length) {
    lines.push('', 'YTD uses the published cumulative figures, which carry revisions of earlier months:');
    lines.push(...gaps.slice(0, 12).map((g) => `  ${g}`));
    if (gaps.length > 12) lines.push(`  … ${gaps.length - 12} more (see --json)`);
  }
  lines.push(
    '',
    'YoY: against the same window a year earlier, from the values shown (published cumulative where one exists).',
  );
  for (const n of r.notes) lines.push(`note: ${n.message}`);
  return `${lines.join('\n')}\n`;
}
