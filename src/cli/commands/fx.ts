/**
 * `tradescope fx`: a currency's monthly rates (per USD and per CNY) with their series and source;
 * `fx load` stores a user's rate series; `fx series` lists the bundled and stored series.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { crossRate } from '../../fx/convert.js';
import { type RateFileMapping, readRateFile, readRateMapping } from '../../fx/load-rates.js';
import {
  findSeries,
  fxSeries,
  isBundledSeries,
  type MonthRate,
  type RateSeries,
  rateFor,
  seriesCurrencies,
} from '../../fx/rates.js';
import { groupThousands } from '../../model/decimal.js';
import { formatMonth, type MonthId, monthsOf, parsePeriod } from '../../model/period.js';
import type { DuckDb } from '../../store/duckdb/duckdb-connection.js';
import { saveRateSeries } from '../../store/duckdb/fx-store.js';
import type { TradeStore } from '../../store/store.js';
import { UserError } from '../../util/errors.js';
import { common, PERIOD_HELP, type Run } from '../common.js';
import { type Cell, printJson, textTable } from '../format.js';
import { openStore, storeLocation } from '../open-store.js';

export const DEFAULT_SERIES = 'fed-h10-monthly';

interface FxOptions {
  db?: string;
  json?: boolean;
  series?: string;
  mapping?: string;
  name?: string;
}

/** Registers `fx`, `fx load` and `fx series`. */
export function registerFx(program: Command, run: Run): void {
  const fx = common(
    program
      .command('fx')
      .description("exchange rates: a currency's monthly rates per USD and per CNY, with series and source")
      .argument('[currency]', 'ISO 4217 code: CNY, USD, EUR, JPY, GBP …')
      .argument('[period]', PERIOD_HELP)
      .option('--series <id>', `rate series (default ${DEFAULT_SERIES}; \`tradescope fx series\` lists them)`)
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope fx CNY 2024\n  tradescope fx EUR 2024-Q1 --json\n  tradescope fx JPY 2024 --series fed-h10-annual\n' +
          '  tradescope fx load exchange-rates.csv --series imf-daily\n  tradescope fx CNY 2019 --series imf-daily\n  tradescope fx series\n',
      ),
  ).action(function (this: Command, currency: string | undefined, period: string | undefined) {
    run(fxShowCommand(currency, period, this.optsWithGlobals<FxOptions>()));
  });

  common(
    fx
      .command('load')
      .description('store a rate series from a daily or monthly CSV (bad rows are quarantined, not used)')
      .argument('<file>', 'delimited file: a date column and one column per currency')
      .option('--series <id>', 'id to store the series under (required)')
      .option(
        '--mapping <file>',
        'YAML/JSON: delimiter, dateColumn, dateFormat, currencies, quotation, frequency, name, source, url',
      )
      .option('--name <text>', 'a readable name for the series'),
  ).action(function (this: Command, file: string) {
    run(fxLoadCommand(file, this.optsWithGlobals<FxOptions>()));
  });

  common(fx.command('series').description('list rate series: bundled (data/fx) and stored')).action(function (
    this: Command,
  ) {
    run(fxSeriesCommand(this.optsWithGlobals<FxOptions>()));
  });
}

/** Opens the store only when it exists (reading rates never creates a store file). */
async function withStoreIfAny<T>(o: FxOptions, body: (db: DuckDb | undefined) => Promise<T>): Promise<T> {
  const loc = storeLocation(o.db);
  if (!existsSync(resolve(loc))) return body(undefined);
  const store = await openStore(o.db, { readOnly: true });
  try {
    return await body(connectionOf(store));
  } finally {
    await store.close();
  }
}

function connectionOf(store: TradeStore): DuckDb {
  if (!store.localStaging) throw new UserError('this store cannot hold rate series (use a DuckDB store)');
  return store.localStaging;
}

export interface FxRow {
  month: string;
  /** Units of the currency per USD. */
  perUsd: string | null;
  /** Units of the currency per CNY (for CNY itself: USD per CNY). */
  perCny: string | null;
  basis: MonthRate['basis'] | null;
  days?: number;
}

/** The rows `tradescope fx <currency> <period>` prints. */
export function fxRows(series: RateSeries, currency: string, months: readonly MonthId[]): FxRow[] {
  const cur = currency.toUpperCase();
  return months.map((m) => {
    const r = rateFor(series, cur, m);
    const cny = rateFor(series, 'CNY', m);
    // CNY per CNY is 1: for CNY the column shows USD per CNY instead
    const perCny = r && cny ? (cur === 'CNY' ? crossRate(r.perUsd, '1') : crossRate(cny.perUsd, r.perUsd)) : null;
    return {
      month: formatMonth(m),
      perUsd: r ? r.perUsd : null,
      perCny,
      basis: r ? r.basis : null,
      ...(r?.days ? { days: r.days } : {}),
    };
  });
}

async function fxShowCommand(currency: string | undefined, period: string | undefined, o: FxOptions): Promise<number> {
  if (!currency || !period)
    throw new UserError('usage: tradescope fx <currency> <period> (e.g. tradescope fx CNY 2024)');
  if (!/^[A-Za-z]{3}$/.test(currency)) throw new UserError(`not a currency code: ${currency} (use ISO 4217, e.g. CNY)`);
  const cur = currency.toUpperCase();
  const p = parsePeriod(period, 'period');
  const id = o.series ?? DEFAULT_SERIES;
  const series = await withStoreIfAny(o, (db) => findSeries(id, db));
  if (cur !== 'USD' && !series.rates.has(cur)) {
    throw new UserError(`no ${cur} rates in series ${series.id} (it has ${seriesCurrencies(series).join(', ')})`);
  }
  const rows = fxRows(series, cur, monthsOf(p));
  const doc = {
    currency: cur,
    period: p.label,
    series: { id: series.id, name: series.name, frequency: series.frequency, source: series.source },
    quotation: `${cur} per USD; ${cur === 'CNY' ? 'USD per CNY' : `${cur} per CNY`} = cross rate through USD`,
    rows,
    missing: rows.filter((r) => r.perUsd === null).map((r) => r.month),
  };
  if (o.json) {
    printJson(doc);
    return 0;
  }
  const daily = series.frequency === 'daily';
  const headers = [
    'month',
    `${cur} per USD`,
    cur === 'CNY' ? 'USD per CNY' : `${cur} per CNY`,
    ...(daily ? ['days'] : []),
    'basis',
  ];
  const table: Cell[][] = rows.map((r) => [
    r.month,
    r.perUsd ?? 'no rate',
    r.perCny ?? (r.perUsd ? 'no CNY rate' : ''),
    ...(daily ? [r.days ?? ''] : []),
    r.basis ?? '',
  ]);
  const lines = [
    `${cur} exchange rates, ${p.label}: series ${series.id} — ${series.name}`,
    `source: ${series.source.file}${series.source.url ? ` (${series.source.url})` : ''}`,
    ...(series.source.note ? [`note: ${series.source.note}`] : []),
    '',
    textTable(headers, table),
  ];
  if (doc.missing.length) {
    lines.push('', `no rate for ${doc.missing.join(', ')}: converting a value of those months is an error, not a zero`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function fxLoadCommand(file: string, o: FxOptions): Promise<number> {
  const id = o.series;
  if (!id) throw new UserError('--series <id> is required (the id to store the series under, e.g. imf-daily)');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) {
    throw new UserError(`--series: ${id} (letters, digits, '.', '_' and '-', starting with a letter or digit)`);
  }
  if (isBundledSeries(id)) throw new UserError(`--series: ${id} is a bundled series (choose another id)`);
  const mapping: RateFileMapping = o.mapping ? readRateMapping(o.mapping) : {};
  if (o.name) mapping.name = o.name;
  const parsed = readRateFile(file, mapping, id);
  if (parsed.counts.rowsLoaded === 0) {
    throw new UserError(
      `${file}: no loadable row (${parsed.counts.rowsQuarantined} quarantined)`,
      parsed.quarantine.slice(0, 20).map((q) => ({
        code: 'bad-rate-row',
        severity: 'error' as const,
        message: q.reason,
        at: { file, line: q.line, field: q.field },
        value: q.rawValue,
      })),
    );
  }
  const store = await openStore(o.db);
  let replaced: boolean;
  try {
    ({ replaced } = await saveRateSeries(connectionOf(store), parsed.series, parsed.fileQuotation, parsed.quarantine));
  } finally {
    await store.close();
  }
  const c = parsed.counts;
  const currencies = seriesCurrencies(parsed.series);
  if (o.json) {
    printJson({
      series: id,
      file,
      replaced,
      counts: c,
      currencies,
      frequency: parsed.series.frequency,
      quotation: parsed.fileQuotation,
      mapping: parsed.mapping,
      quarantine: parsed.quarantine,
    });
    return 0;
  }
  const g = (n: number) => groupThousands(String(n));
  const out = [
    `${basename(file)}: series ${id} ${replaced ? 'replaced' : 'stored'} in ${storeLocation(o.db)} (${parsed.series.frequency}, ${currencies.join(', ')}, file quotes ${parsed.fileQuotation})`,
    `  rows read ${g(c.rowsRead)} = loaded ${g(c.rowsLoaded)} + quarantined ${g(c.rowsQuarantined)}` +
      (c.blankLines ? ` (blank lines ${g(c.blankLines)})` : ''),
    `  rates stored ${g(c.values)}, empty cells (gaps) ${g(c.gaps)}`,
  ];
  if (parsed.quarantine.length) {
    out.push('  quarantined (not used):');
    for (const q of parsed.quarantine.slice(0, 20)) {
      out.push(`    line ${q.line} ${q.field ? `field ${q.field} ` : ''}${JSON.stringify(q.rawValue)}: ${q.reason}`);
    }
    if (parsed.quarantine.length > 20) out.push(`    … ${parsed.quarantine.length - 20} more`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function fxSeriesCommand(o: FxOptions): Promise<number> {
  const list = await withStoreIfAny(o, (db) => fxSeries(db));
  if (o.json) {
    printJson(list);
    return 0;
  }
  const key = (k: number | undefined, f: string) =>
    k === undefined
      ? ''
      : f === 'annual'
        ? String(k)
        : f === 'daily'
          ? String(k).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
          : formatMonth(k as MonthId);
  const rows: Cell[][] = list.map((s) => [
    s.id,
    s.origin,
    s.frequency,
    `${key(s.first, s.frequency)} … ${key(s.last, s.frequency)}`,
    s.currencies.length > 8
      ? `${s.currencies.slice(0, 8).join(' ')} … (${s.currencies.length})`
      : s.currencies.join(' '),
    s.file,
  ]);
  process.stdout.write(`${textTable(['series', 'origin', 'frequency', 'periods', 'currencies', 'file'], rows)}\n`);
  return 0;
}
