/**
 * Synthetic trade data for benchmarks, deterministic from a seed and streamed to disk.
 *
 *   node dist/bench/generate.js --rows 10000000 --out bench/work/baci-10m.csv
 *   node dist/bench/generate.js --monthly --months 24 --rows 5000000 --out bench/work/monthly-5m.csv
 *
 * Options: --rows N (exact row count, default 1,000,000), --year (default 2021), --seed (default 1),
 * --countries (size of the country universe, default 200), --reporters 156,842 (BACI codes; default all),
 * --monthly, --months (default 24), --start YYYY-MM (default <year>-01), --codes iso3|baci (monthly only),
 * --out FILE (required). Writes FILE.meta.json beside the file, and one JSON summary line to stdout.
 */
import { writeFileSync } from 'node:fs';
import { Cube, GENERATOR_VERSION, writeBaci, writeMonthly } from './lib/synth.js';

export interface GenerateParams {
  format: 'baci' | 'monthly';
  rows: number;
  year: number;
  seed: number;
  countries: number;
  reporters: number[];
  months?: number;
  start?: string;
  codes?: 'iso3' | 'baci';
  generatorVersion: number;
}

function usage(msg: string): never {
  process.stderr.write(`generate: ${msg}\n`);
  process.stderr.write(
    'usage: generate --rows N --out FILE [--year 2021] [--seed 1] [--countries 200] [--reporters 156,842]\n' +
      '                [--monthly [--months 24] [--start YYYY-MM] [--codes iso3|baci]]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { params: GenerateParams; out: string } {
  const opts = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'monthly' || key === 'help') flags.add(key);
    else {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      opts.set(key, v);
    }
  }
  if (flags.has('help')) usage('help');
  const known = new Set(['rows', 'year', 'seed', 'countries', 'reporters', 'months', 'start', 'codes', 'out']);
  for (const k of opts.keys()) if (!known.has(k)) usage(`unknown option --${k}`);
  const int = (k: string, dflt: number, min = 1): number => {
    const s = opts.get(k);
    if (s === undefined) return dflt;
    const n = Number(s.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < min) usage(`--${k} must be an integer ≥ ${min}, got ${s}`);
    return n;
  };
  const out = opts.get('out');
  if (!out) usage('--out is required');
  const monthly = flags.has('monthly');
  const year = int('year', 2021, 1900);
  const reporters = (opts.get('reporters') ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) usage(`--reporters takes BACI numeric codes, got ${s}`);
      return n;
    });
  const codes = opts.get('codes') ?? 'iso3';
  if (codes !== 'iso3' && codes !== 'baci') usage('--codes must be iso3 or baci');
  const params: GenerateParams = {
    format: monthly ? 'monthly' : 'baci',
    rows: int('rows', 1_000_000),
    year,
    seed: int('seed', 1, 0),
    countries: int('countries', 200, 2),
    reporters,
    generatorVersion: GENERATOR_VERSION,
  };
  if (monthly) {
    params.months = int('months', 24);
    params.start = opts.get('start') ?? `${year}-01`;
    params.codes = codes;
  }
  return { params, out };
}

export async function generate(params: GenerateParams, out: string) {
  const t0 = performance.now();
  const cube = new Cube({
    rows: params.rows,
    year: params.year,
    seed: params.seed,
    countries: params.countries,
    reporters: params.reporters,
  });
  const res =
    params.format === 'monthly'
      ? await writeMonthly(cube, out, params.rows, {
          months: params.months ?? 24,
          start: params.start ?? `${params.year}-01`,
          codes: params.codes ?? 'iso3',
        })
      : await writeBaci(cube, out, params.rows);
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    out,
    ...res,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(res.rows / seconds),
    params,
  };
  writeFileSync(`${out}.meta.json`, `${JSON.stringify({ params, rows: res.rows, bytes: res.bytes }, null, 2)}\n`);
  return summary;
}

const { params, out } = parseArgs(process.argv.slice(2));
const summary = await generate(params, out);
process.stdout.write(`${JSON.stringify(summary)}\n`);
