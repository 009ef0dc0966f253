/**
 * `tradescope backtest`: rolling-origin backtest of the forecasting methods on a stored monthly series —
 * MASE, sMAPE and interval coverage per method, against seasonal naive.
 */
import type { Command } from 'commander';
import { BACKTEST_METHODS, type BacktestMethod, backtest } from '../../forecast/backtest.js';
import { UserError } from '../../util/errors.js';
import { common, intOption, type Run, seriesOption } from '../common.js';
import { type Cell, printJson, textTable } from '../format.js';
import { openStore } from '../open-store.js';

export interface BacktestCliOptions {
  db?: string;
  json?: boolean;
  reporter?: string;
  partner?: string;
  region?: string;
  product?: string;
  flow?: string;
  measure?: string;
  from?: string;
  through?: string;
  currency?: string;
  dataset?: string;
  horizon?: string;
  step?: string;
  minTrain?: string;
  methods?: string;
  byHorizon?: boolean;
}

export function registerBacktest(program: Command, run: Run): void {
  common(
    program
      .command('backtest')
      .description('rolling-origin backtest on a stored monthly series: MASE, sMAPE and 80/95 % coverage per method')
      .option('--reporter <code>', 'reporter (CHN, USA …)')
      .option('--partner <code>', 'partner (default World)')
      .option('--region <code|name>', 'sub-national region')
      .option('--product <code|basket>', 'HS code or basket')
      .option('--flow <flow>', 'X or M (needed for --measure value)')
      .option('--measure <m>', 'value, balance or total (default value)')
      .option('--from <YYYY-MM>', 'first month of the series')
      .option('--through <YYYY-MM>', 'last month of the series')
      .option('--currency <code>', 'values in this currency')
      .option('--dataset <id>', 'read this dataset')
      .option('--horizon <n>', 'longest horizon scored (default 12)')
      .option('--step <n>', 'months between origins (default 1)')
      .option('--min-train <n>', 'months of the first training window (default 60, at least 36)')
      .option('--methods <list>', `methods (default ${BACKTEST_METHODS.join(',')})`)
      .option('--by-horizon', 'also print MASE per horizon')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope backtest --reporter USA --partner CHN --flow M\n' +
          '  tradescope backtest --reporter JPN --partner CHN --flow X --horizon 6 --step 3 --json\n' +
          '\nMASE below 1 beats the in-sample seasonal naive; an 80 % interval should cover about 80 % of outcomes.\n' +
          'Series shorter than min-train + 1 months (e.g. the 18-month GAC tables) cannot be backtested.\n',
      ),
  ).action((o: BacktestCliOptions) => run(backtestCommand(o)));
}

export async function backtestCommand(o: BacktestCliOptions): Promise<number> {
  if (!o.reporter) throw new UserError('--reporter is required (e.g. --reporter USA)');
  const { measure, flow } = seriesOption(o);
  const methods = o.methods?.split(',').map((m) => {
    const t = m.trim() as BacktestMethod;
    if (!BACKTEST_METHODS.includes(t))
      throw new UserError(`--methods: unknown method ${m} (use ${BACKTEST_METHODS.join(', ')})`);
    return t;
  });
  const horizon = intOption('--horizon', o.horizon, 1, 36) ?? 12;
  const step = intOption('--step', o.step, 1, 120) ?? 1;
  const minTrain = intOption('--min-train', o.minTrain, 36, 100_000) ?? 60;
  const store = await openStore(o.db);
  try {
    const { storeSeries } = await import('../../forecast/store-series.js');
    const s = await storeSeries(store, {
      reporter: o.reporter,
      ...(o.partner ? { partner: o.partner } : {}),
      ...(o.region ? { region: o.region } : {}),
      ...(o.product ? { product: o.product } : {}),
      ...(flow ? { flow } : {}),
      measure,
      ...(o.from ? { from: o.from } : {}),
      ...(o.through ? { through: o.through } : {}),
      ...(o.currency ? { currency: o.currency.toUpperCase() } : {}),
      ...(o.dataset ? { dataset: o.dataset } : {}),
    });
    if (s.values.length < minTrain + 1)
      throw new UserError(
        `series too short to backtest: ${s.values.length} months in ${s.dataset} (${s.months[0]} … ${s.months[s.months.length - 1]}); a backtest needs more than --min-train ${minTrain} months (three seasons to fit, then outcomes to score)`,
      );
    const r = backtest(s.values, { period: 12, horizon, step, minTrain, ...(methods ? { methods } : {}) });
    const doc = {
      series: {
        reporter: o.reporter,
        partner: o.partner ?? null,
        measure,
        flow: flow ?? null,
        dataset: s.dataset,
        currency: s.currency,
        first: s.months[0],
        last: s.months[s.months.length - 1],
      },
      ...r,
      provenance: s.provenance,
    };
    if (o.json) {
      printJson(doc);
      return 0;
    }
    const sn = r.methods.find((m) => m.method === 'snaive');
    const rows: Cell[][] = r.methods.map((m) => [
      m.method,
      m.mase.toFixed(3),
      m.smape.toFixed(2),
      `${(100 * m.coverage['80']!).toFixed(1)}%`,
      `${(100 * m.coverage['95']!).toFixed(1)}%`,
      sn && m.method !== 'snaive' ? (m.mase < sn.mase ? 'yes' : 'no') : '',
    ]);
    const out: string[] = [];
    out.push(
      `${s.dataset}: ${s.months.length} months (${s.months[0]} … ${s.months[s.months.length - 1]}), ${r.origins} origins every ${step} month(s) from month ${r.firstOrigin}, horizons 1–${horizon}`,
    );
    out.push('');
    out.push(textTable(['method', 'MASE', 'sMAPE', '80% cov.', '95% cov.', 'beats snaive'], rows));
    if (o.byHorizon) {
      out.push('');
      out.push(
        textTable(
          ['h', ...r.methods.map((m) => m.method)],
          Array.from({ length: horizon }, (_, i) => [i + 1, ...r.methods.map((m) => m.byHorizon[i]!.mase.toFixed(3))]),
        ),
      );
    }
    const models = r.methods.find((m) => m.method === 'ets')?.models;
    if (models)
      out.push(
        `\nETS models chosen: ${Object.entries(models)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ')}`,
      );
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
