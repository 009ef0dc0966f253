/**
 * `tradescope forecast`: a stored monthly series forecast with intervals, or, with a year as --period, the
 * full-year projection from the months published (median, intervals, P(total > --above)).
 */
import type { Command } from 'commander';
import type { ForecastMethod } from '../../forecast/forecast.js';
import type { Projection } from '../../forecast/projection.js';
import type { ForecastResult } from '../../forecast/query-forecast.js';
import { groupThousands, humanAmount, toFixed } from '../../model/decimal.js';
import { parsePeriod } from '../../model/period.js';
import { UserError } from '../../util/errors.js';
import { common, intOption, type Run, seriesOption } from '../common.js';
import { type Cell, printJson, textTable } from '../format.js';
import { openStore } from '../open-store.js';

export interface ForecastCliOptions {
  db?: string;
  json?: boolean;
  reporter?: string;
  partner?: string;
  region?: string;
  product?: string;
  flow?: string;
  measure?: string;
  period?: string;
  through?: string;
  horizon?: string;
  levels?: string;
  above?: string;
  currency?: string;
  dataset?: string;
  method?: string;
  seed?: string;
  simulations?: string;
  janFeb?: string;
}

export function registerForecast(program: Command, run: Run): void {
  common(
    program
      .command('forecast')
      .description(
        'forecast a monthly series with 80 %/95 % intervals, or project a full year with P(total > threshold)',
      )
      .option('--reporter <code>', 'reporter (CHN, USA …)')
      .option('--partner <code>', 'partner (default World)')
      .option('--region <code|name>', 'sub-national region, e.g. 浙江省')
      .option('--product <code|basket>', 'HS code or basket')
      .option('--flow <flow>', 'X or M (needed for --measure value)')
      .option('--measure <m>', 'value (one flow), balance (X − M) or total (X + M); default value')
      .option('--period <year>', 'project this full year (2025, or ytd:2025-06 to stop the history at June)')
      .option('--through <YYYY-MM>', 'last month of history to use (default: the latest published)')
      .option('--horizon <n>', 'months to forecast (default 12; without --period)')
      .option('--levels <list>', 'interval levels in percent (default 80,95)')
      .option(
        '--above <amount>',
        'with --period: the probability that the full-year total exceeds this (8e12, 8000000000000)',
      )
      .option('--currency <code>', 'values in this currency (converted month by month by the query model)')
      .option('--dataset <id>', 'read this dataset (default: product totals, unadjusted, latest months first)')
      .option('--method <m>', 'auto (default), ets, theta, combination, snaive, naive, drift, short')
      .option('--seed <n>', 'simulation seed (default 1): the same seed gives the same numbers')
      .option('--simulations <n>', 'simulated paths for projections (default 10000)')
      .option(
        '--jan-feb <mode>',
        'Lunar New Year: separate (default) or combined (fit Jan and Feb as halves of their sum)',
      )
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope forecast --reporter CHN --measure balance --period 2025 --above 8e12 --currency CNY\n' +
          '  tradescope forecast --reporter CHN --flow X --period ytd:2025-06\n' +
          '  tradescope forecast --reporter USA --partner CHN --flow M --horizon 18\n' +
          '  tradescope forecast --reporter USA --partner CHN --measure balance --dataset census-usa-china --json\n' +
          '\nSeries shorter than three years (the 18-month GAC tables) use last year × recent YoY growth, with\n' +
          'intervals calibrated on long real series; longer series use the method that won the backtests\n' +
          '(docs/backtests.md). Published months enter projections exactly (the published year-to-date).\n',
      ),
  ).action((o: ForecastCliOptions) => run(forecastCommand(o)));
}

export async function forecastCommand(o: ForecastCliOptions): Promise<number> {
  if (!o.reporter) throw new UserError('--reporter is required (e.g. --reporter CHN)');
  const { measure, flow } = seriesOption(o);
  const levels = o.levels?.split(',').map((s) => {
    const n = Number(s.trim());
    if (!(n > 0 && n < 100)) throw new UserError(`--levels: ${s} (percentages between 0 and 100, e.g. 80,95)`);
    return n;
  });
  const above = o.above === undefined ? undefined : Number(o.above.replace(/[_,]/g, ''));
  if (above !== undefined && !Number.isFinite(above))
    throw new UserError(`--above: ${o.above} (a number such as 8e12)`);
  if (above !== undefined && !o.period)
    throw new UserError('--above needs --period <year> (the full year whose total is projected)');
  const seed = intOption('--seed', o.seed, 0, 2 ** 31);
  const common = {
    reporter: o.reporter,
    ...(o.partner ? { partner: o.partner } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.product ? { product: o.product } : {}),
    ...(flow ? { flow } : {}),
    ...(o.currency ? { currency: o.currency.toUpperCase() } : {}),
    ...(o.dataset ? { dataset: o.dataset } : {}),
    ...(levels ? { levels } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  const store = await openStore(o.db);
  try {
    if (o.period) {
      const p = parsePeriod(o.period);
      if (p.kind !== 'year' && p.kind !== 'ytd')
        throw new UserError(
          `--period: ${o.period} (a year such as 2025, or ytd:2025-06; for monthly forecasts use --horizon)`,
        );
      const year = Math.floor(p.start / 100);
      const through = p.kind === 'ytd' ? `${year}-${String(p.end % 100).padStart(2, '0')}` : o.through;
      const simulations = intOption('--simulations', o.simulations, 100, 1_000_000);
      const { projectFullYear } = await import('../../forecast/projection.js');
      const proj = await projectFullYear(store, {
        ...common,
        measure,
        year,
        ...(through ? { through } : {}),
        ...(above !== undefined ? { above } : {}),
        ...(simulations ? { simulations } : {}),
      });
      if (o.json) printJson(proj);
      else process.stdout.write(renderProjection(proj));
      return 0;
    }
    const horizon = intOption('--horizon', o.horizon, 1, 120);
    if (o.janFeb !== undefined && o.janFeb !== 'separate' && o.janFeb !== 'combined')
      throw new UserError(`--jan-feb: ${o.janFeb} (use separate or combined)`);
    const { forecastQuery } = await import('../../forecast/query-forecast.js');
    const result = await forecastQuery(store, {
      ...common,
      measure,
      ...(o.through ? { through: o.through } : {}),
      ...(horizon ? { horizon } : {}),
      ...(o.method ? { method: o.method as ForecastMethod } : {}),
      ...(o.janFeb ? { janFeb: o.janFeb as 'separate' | 'combined' } : {}),
    });
    if (o.json) printJson(result);
    else process.stdout.write(renderForecast(result));
    return 0;
  } finally {
    await store.close();
  }
}

/** A float amount shown like the query tables: grouped whole units and a short form. */
function amount(v: number): string {
  const whole = Math.round(v).toString();
  return groupThousands(whole);
}
function approx(v: number): string {
  return humanAmount(toFixed(Math.round(v).toString()));
}

const what = (measure: string, flow?: string): string =>
  measure === 'value' ? (flow === 'X' ? 'exports' : 'imports') : measure;

export function renderProjection(p: Projection): string {
  const name = what(p.measure, p.flows[0]?.flow);
  const lines: string[] = [];
  lines.push(
    `Full-year ${p.year} ${subject(p.spec)} ${name}, ${p.currency}: ${p.monthsActual} months published (through ${p.through}), ${p.monthsSimulated} simulated`,
  );
  lines.push('');
  const rows: Cell[][] = [];
  for (const f of p.flows)
    rows.push([
      f.flow === 'X' ? 'exports' : 'imports',
      'published YTD',
      groupThousands(f.actual),
      humanAmount(toFixed(f.actual)),
      f.actualBasis,
    ]);
  for (const f of p.monthsSimulated > 0 ? p.flows : [])
    rows.push([
      f.flow === 'X' ? 'exports' : 'imports',
      `rest of year (point)`,
      amount(f.restPoint),
      approx(f.restPoint),
      'forecast',
    ]);
  for (const f of p.flows) {
    if (!f.distribution) continue;
    const fname = f.flow === 'X' ? 'exports' : 'imports';
    rows.push([fname, 'full year: median', amount(f.distribution.median), approx(f.distribution.median), '']);
    for (const iv of f.distribution.intervals)
      rows.push([
        fname,
        `${iv.level} % interval`,
        `${amount(iv.lower)} … ${amount(iv.upper)}`,
        `${approx(iv.lower)} … ${approx(iv.upper)}`,
        '',
      ]);
  }
  rows.push([name, 'full year: median', amount(p.distribution.median), approx(p.distribution.median), '']);
  for (const iv of p.distribution.intervals)
    rows.push([
      name,
      `${iv.level} % interval`,
      `${amount(iv.lower)} … ${amount(iv.upper)}`,
      `${approx(iv.lower)} … ${approx(iv.upper)}`,
      '',
    ]);
  lines.push(textTable(['measure', 'part', `value (${p.currency})`, 'approx.', 'basis'], rows));
  lines.push('');
  if (p.probabilityAbove)
    lines.push(
      `P(full-year ${p.year} ${name} > ${groupThousands(String(p.probabilityAbove.threshold))} ${p.currency}) = ${(100 * p.probabilityAbove.p).toFixed(1)} %`,
    );
  lines.push(`method: ${p.method}; ${p.simulations} draws, seed ${p.seed}`);
  if (p.provenance.calibration) lines.push(`calibration: ${p.provenance.calibration}`);
  lines.push(
    `data: ${p.provenance.datasets.join(', ')}; vintages ${p.provenance.vintages.map((v) => v.vintage).join(', ')}`,
  );
  for (const w of p.warnings) lines.push(`note (${w.code}): ${w.message}`);
  return `${lines.join('\n')}\n`;
}

/** `CHN → USA 浙江省` — who the numbers are about. */
function subject(s: { reporter: string; partner?: string; region?: string; product?: string }): string {
  return `${s.reporter}${s.partner ? ` → ${s.partner}` : ''}${s.region ? ` ${s.region}` : ''}${s.product ? ` product ${s.product}` : ''}`;
}

export function renderForecast(r: ForecastResult): string {
  const name = what(r.spec.measure ?? 'value', r.spec.flow);
  const lines: string[] = [];
  lines.push(
    `${subject(r.spec)} ${name}, ${r.currency}: ${r.history.months.length} months of history (${r.history.months[0]} … ${r.history.months[r.history.months.length - 1]})`,
  );
  lines.push(`model: ${r.model.name} (${r.model.method}); intervals: ${r.model.intervalMethod}`);
  const params = Object.entries(r.model.params)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
    .join(', ');
  if (params) lines.push(`parameters: ${params}`);
  lines.push('');
  const headers = [
    'month',
    'forecast',
    ...r.forecast.intervals.flatMap((iv) => [`${iv.level} % low`, `${iv.level} % high`]),
  ];
  const rows: Cell[][] = r.forecast.months.map((m, i) => [
    m,
    amount(r.forecast.point[i]!),
    ...r.forecast.intervals.flatMap((iv) => [amount(iv.lower[i]!), amount(iv.upper[i]!)]),
  ]);
  lines.push(textTable(headers, rows));
  lines.push('');
  const ets = r.alternatives.filter((a) => a.aicc !== undefined && Number.isFinite(a.aicc)).slice(0, 5);
  if (ets.length) lines.push(`ETS candidates by AICc: ${ets.map((a) => `${a.name} ${a.aicc!.toFixed(1)}`).join(', ')}`);
  lines.push(
    `data: ${r.provenance.datasets.join(', ')}; vintages ${r.provenance.vintages.map((v) => v.vintage).join(', ')}`,
  );
  for (const w of r.warnings) lines.push(`note (${w.code}): ${w.message}`);
  return `${lines.join('\n')}\n`;
}
