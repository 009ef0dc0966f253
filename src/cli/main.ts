/**
 * The `tradescope` command line.
 */
import { Command, CommanderError, Option } from 'commander';
import { formatLocation, formatProblem, UserError } from '../util/errors.js';

import { registerBacktest } from './commands/backtest.js';
import { registerBaskets } from './commands/baskets.js';
import { registerBrief } from './commands/brief.js';
import { registerConvert } from './commands/convert.js';
import { registerCountries } from './commands/countries.js';
import { registerForecast } from './commands/forecast.js';
import { registerFx } from './commands/fx.js';
import { registerGroups } from './commands/groups.js';
import { registerHs } from './commands/hs.js';
import { registerServe } from './commands/serve.js';
import { common, PERIOD_HELP } from './common.js';

export function buildProgram(run: (code: Promise<number>) => void): Command {
  const program = new Command('tradescope')
    .description('trade statistics engine: customs data in; headline numbers, breakdowns and provenance out')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  common(
    program
      .command('ingest')
      .description('load trade files into the store (each file all at once or not at all)')
      .argument('<file...>', 'files to load (gacc-release: also folders of release pages and attachments)')
      .addOption(
        new Option('--format <format>', 'source format')
          .choices(['comtrade', 'baci', 'gacc', 'gacc-release', 'csv', 'comext', 'sdmx-csv'])
          .makeOptionMandatory(),
      )
      .option('--partner <codes>', 'comext: keep only these partners, while reading (e.g. CN,HK,MO)')
      .option('--product <prefixes>', 'comext: keep only CN codes starting with these, while reading (e.g. 8703)')
      .option('--mapping <file>', 'column mapping (YAML or JSON); required for csv, and for gacc tables')
      .option('--codes <file>', "BACI: the release's own country dictionary (default: the bundled V202201 one)")
      .option('--dataset <id>', 'dataset id (default: from the source or mapping)')
      .option('--vintage <date>', 'release date YYYY-MM-DD (default: from the source, else today)')
      .option(
        '--rollups <when>',
        'update the pre-aggregated tables now (default; the first query is fast) or later (on first use)',
      )
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope ingest TradeData.csv --format comtrade\n  tradescope ingest BACI_HS92_Y2021_V202301.csv --format baci --codes country_codes_V202301.csv\n  tradescope ingest gacc.xlsx --format gacc --mapping mappings/gacc-region-monthly.yaml\n  tradescope ingest data/gacc-releases --format gacc-release\n',
      ),
  ).action((files: string[], o) => run(import('./commands/ingest.js').then((m) => m.ingestCommand(files, o))));

  common(
    program
      .command('fetch')
      .description(
        "download a source's files politely (pause, retries, cache, resume) and load them: eurostat (Comext, monthly), gacc (GAC's preliminary release tables)",
      )
      .argument('<source>', 'eurostat or gacc')
      .option('--period <month>', 'eurostat: the month, YYYY-MM (e.g. 2025-11)')
      .option('--partner <codes>', 'eurostat: load only these partners (e.g. CN,HK,MO)')
      .option('--product <prefixes>', 'eurostat: load only CN codes starting with these (e.g. 8703)')
      .option('--site <site>', 'gacc: en (english.customs.gov.cn, default) or zh (tjs.customs.gov.cn 统计快讯)')
      .option('--year <year>', 'gacc: only pages of this year')
      .option('--month <month>', 'gacc: only pages of this month (2 for January–February combined)')
      .option('--section <numbers>', 'gacc: only these tables, 1–6 (e.g. 4,5)')
      .option('--currency <cny|usd>', 'gacc: only pages in this currency')
      .option('--dry-run', 'gacc: list what would be fetched; download nothing but the index')
      .option('--pause <seconds>', 'gacc: pause between requests (default 1.5)')
      .option('--index-url <url>', "gacc: another index page (e.g. an earlier year's English index)")
      .option('--vintage <date>', 'release date YYYY-MM-DD (default: from the source, else today)')
      .option('--cache-dir <dir>', 'where downloads are kept (default $TRADESCOPE_CACHE or ~/.cache/tradescope)')
      .option(
        '--base-url <url>',
        "the files' location (eurostat: default Eurostat's, or $TRADESCOPE_EUROSTAT_URL; gacc: replaces the site's origin)",
      )
      .option('--force', 'eurostat: download again even when the cache has the file')
      .option('--no-ingest', 'only download')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope fetch eurostat --period 2025-11 --partner CN,HK,MO\n  tradescope fetch gacc --dry-run\n  tradescope fetch gacc --site en --section 4,5 --currency usd --month 3\n  tradescope fetch gacc --site zh --section 4\n',
      ),
  ).action((source: string, o) => run(import('./commands/fetch.js').then((m) => m.fetchCommand(source, o))));

  common(
    program
      .command('datasets')
      .description('list datasets: vintages, rows, periods, reporters and regions covered, provenance')
      .option('--prefer <ids>', 'declare a precedence among overlapping datasets, first wins (comma-separated)'),
  ).action((o) => run(import('./commands/datasets.js').then((m) => m.datasetsCommand(o))));

  common(
    program
      .command('quarantine')
      .description('list rejected records with file, line, field, raw value and reason')
      .option('--dataset <id>', 'only this dataset')
      .option('--limit <n>', 'at most n rows')
      .option('--out <file>', 'write to a file (.csv, .json, .txt)'),
  ).action((o) => run(import('./commands/quarantine.js').then((m) => m.quarantineCommand(o))));

  common(
    program
      .command('query')
      .description(
        'exports, imports, balance and total trade with YTD and YoY (the headline), or any measure of the query model',
      )
      .option('--reporter <code>', 'reporter in any scheme the store knows (CHN, 156, CN)')
      .option('--partner <code|group>', 'partner or partner group (EU, ASEAN, EU27_2020 …; default World)')
      .option('--region <code|name>', 'sub-national region, e.g. 330000 or 浙江省')
      .option('--region-level <level>', 'every region of this level (province|city) with the remainder')
      .option('--flow <flow>', 'X or M (default both)')
      .option('--period <period>', PERIOD_HELP)
      .option('--by <dimensions>', 'month, quarter or year; and partner, product, hs2, hs4, hs6, region, flow')
      .option(
        '--product <code|basket>',
        'an HS code at any level (8541.43, 85) or a basket (new-three, new-three/pv-cells)',
      )
      .option('--currency <code>', 'show values in USD, CNY … converted month by month (default: the source currency)')
      .option(
        '--fx-series <id>',
        'exchange-rate series for --currency (default fed-h10-monthly; see `tradescope fx series`)',
      )
      .option(
        '--measure <list>',
        'value, balance, total, share, contribution, revision, mirror, hhi, records, unit_value, rca, forecast (comma-separated; forecast: the months of --period from the history before them)',
      )
      .option('--compare <kind>', 'yoy, mom or prev (the previous window of the same length)')
      .option('--base <base>', 'monthly base: first-published (default) or revised (from cumulative figures)')
      .option('--top <n>', 'keep the n largest members of the drilldown, the others as one (rest) row')
      .option('--spec <file.json>', 'a whole query spec (flags override its fields)')
      .option('--explain', 'print the plan (dataset and why, levels, windows, conversions, caveats) without running it')
      .option('--dataset <id>', 'read this dataset (needed when several describe the same cells)')
      .option('--as-of <date>', 'read the data as released on this date (vintages up to it)')
      .option('--format <format>', 'table, csv, json or sdmx-csv (default table)')
      .option('--out <file>', 'also write the result to a file (.csv, .json, .txt, .parquet, .xlsx, .sdmx.csv)')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope query --reporter CHN --period ytd:2025-06\n  tradescope query --reporter CHN --period 2025-01..2025-06 --by month\n  tradescope query --reporter CHN --region 浙江省 --period ytd:2025-06\n  tradescope query --reporter CHN --region-level city --region 330000 --period ytd:2025-06\n  tradescope query --reporter CHN --period 2024 --currency USD\n  tradescope query --reporter CHN --partner EU --product new-three/pv-cells --period ytd:2025-06 --by month\n',
      ),
  ).action((o) => run(import('./commands/query.js').then((m) => m.queryCommand(o))));

  registerHs(program, run);
  registerConvert(program, run);
  registerBaskets(program, run);
  registerGroups(program, run);
  registerCountries(program, run);
  registerFx(program, run);
  registerForecast(program, run);
  registerBacktest(program, run);
  registerBrief(program, run);
  registerServe(program, run);

  common(
    program.command('demo').description('build the store from the bundled real data and print the headline table'),
  ).action((o) => run(import('./commands/demo.js').then((m) => m.demoCommand(o))));
  return program;
}

/** Runs the CLI; sets the process exit code (0 ok, 2 user error, 1 bug). */
export async function main(argv: string[]): Promise<void> {
  // `tradescope … | head` closes the pipe early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  let pending: Promise<number> | undefined;
  const program = buildProgram((p) => {
    pending = p;
  });
  try {
    await program.parseAsync(argv);
    if (pending) process.exitCode = await pending;
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UserError) {
      process.stderr.write(`error: ${e.message}\n`);
      // each problem with its code (the same codes the HTTP API answers with)
      for (const p of e.problems) {
        const where = formatLocation(p.at);
        process.stderr.write(
          p.message === e.message
            ? `  (${p.code}${where ? `; ${where}` : ''})\n`
            : `  ${formatProblem(p)} (${p.code})\n`,
        );
      }
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
