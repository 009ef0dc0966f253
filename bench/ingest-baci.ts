/**
 * Benchmark: ingest a 10,000,000-row BACI file, tradescope against DuckDB's own CSV reader.
 *
 *   node dist/bench/ingest-baci.js [--rows 10000000] [--repeat 3] [--seed 1] [--keep] [--reference-only]
 *
 * (a) generates bench/work/baci-<rows>-s<seed>.csv, or reuses it when its .meta.json says it was made with the
 *     same parameters and generator version; (b) reference: `CREATE TABLE t AS SELECT * FROM read_csv(file)` in
 *     a fresh database file, in a child process; (c) `node bin/tradescope.js ingest <file> --format baci --db
 *     <fresh> --dataset bench-baci --vintage 2023-01-01 --json` as a child process. Each child's wall time and
 *     peak RSS (whole process tree) are measured; runs alternate order and the median of --repeat runs is
 *     reported. Writes bench/results/ingest-baci.json and the results table of bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, hostname, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { hasGnuTime, type Measured, runMeasured } from './lib/measure.js';
import { GENERATOR_VERSION, repoRoot } from './lib/synth.js';

const TARGET_RATIO = 0.5;
const TARGET_RSS_BYTES = 2 * 1024 ** 3;

interface Args {
  rows: number;
  repeat: number;
  seed: number;
  keep: boolean;
  referenceOnly: boolean;
  /** When the CLI updates the rollups: later (the load alone, what the goal compares) or now (load + rollups). */
  rollups: 'now' | 'later';
}

function fail(msg: string, code = 1): never {
  process.stderr.write(`ingest-baci: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rows: 10_000_000, repeat: 3, seed: 1, keep: false, referenceOnly: false, rollups: 'later' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const num = (): number => {
      const v = Number((argv[++i] ?? '').replace(/_/g, ''));
      if (!Number.isSafeInteger(v) || v < 0) fail(`${k} needs a non-negative integer`, 2);
      return v;
    };
    if (k === '--rows') a.rows = num();
    else if (k === '--repeat') a.repeat = Math.max(1, num());
    else if (k === '--seed') a.seed = num();
    else if (k === '--keep') a.keep = true;
    else if (k === '--reference-only') a.referenceOnly = true;
    else if (k === '--rollups') {
      const v = argv[++i];
      if (v !== 'now' && v !== 'later') fail('--rollups: now or later', 2);
      a.rollups = v;
    } else
      fail(
        `unknown argument ${k} (options: --rows N --repeat N --seed N --keep --reference-only --rollups now|later)`,
        2,
      );
  }
  return a;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Last line of stdout that parses as a JSON object. */
function lastJson(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const l of lines) {
    try {
      const v: unknown = JSON.parse(l);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
  }
  try {
    const v: unknown = JSON.parse(stdout);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* not JSON either */
  }
  return undefined;
}

function removeDb(path: string): void {
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true, recursive: true });
}

interface Run {
  iteration: number;
  order: number;
  wallSeconds: number;
  peakRssBytes: number;
  rowsPerSecond: number;
  output: Record<string, unknown> | undefined;
}

const root = repoRoot();
const args = parseArgs(process.argv.slice(2));
const workDir = join(root, 'bench', 'work');
const resultsDir = join(root, 'bench', 'results');
mkdirSync(workDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const node = process.execPath;
const dist = join(root, 'dist', 'bench');
const cli = join(root, 'bin', 'tradescope.js');

if (!args.referenceOnly && !existsSync(cli)) {
  fail(
    `${cli} does not exist yet: the tradescope CLI is needed for the tradescope half of this benchmark.\n` +
      '  Build it (npm run build) once bin/tradescope.js is in the repository, or run the reference alone with ' +
      '--reference-only.',
  );
}

// (a) the input file
const csv = join(workDir, `baci-${args.rows}-s${args.seed}.csv`);
const wanted = {
  format: 'baci',
  rows: args.rows,
  year: 2021,
  seed: args.seed,
  countries: 200,
  reporters: [],
  generatorVersion: GENERATOR_VERSION,
};
let generation: { reused: boolean; seconds?: number; rowsPerSecond?: number } = { reused: true };
const reusable = (() => {
  try {
    const meta = JSON.parse(readFileSync(`${csv}.meta.json`, 'utf8')) as { params: unknown; bytes: number };
    return JSON.stringify(meta.params) === JSON.stringify(wanted) && statSync(csv).size === meta.bytes;
  } catch {
    return false;
  }
})();
if (reusable) {
  process.stderr.write(`reusing ${csv}\n`);
} else {
  process.stderr.write(`generating ${args.rows.toLocaleString('en')} rows into ${csv} …\n`);
  const g = await runMeasured(node, [
    join(dist, 'generate.js'),
    '--rows',
    String(args.rows),
    '--seed',
    String(args.seed),
    '--year',
    '2021',
    '--out',
    csv,
  ]);
  if (g.exitCode !== 0) fail(`generator failed (exit ${g.exitCode}):\n${g.stderr}`);
  generation = {
    reused: false,
    seconds: round(g.wallSeconds, 2),
    rowsPerSecond: Math.round(args.rows / g.wallSeconds),
  };
  process.stderr.write(`  generated in ${g.wallSeconds.toFixed(1)} s\n`);
}
const fileBytes = statSync(csv).size;

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

// (b) and (c), alternating order
type Side = 'reference' | 'tradescope';
const runs: Record<Side, Run[]> = { reference: [], tradescope: [] };
let duckdbVersion = '';

async function runSide(side: Side, iteration: number, order: number): Promise<void> {
  const db = join(workDir, `ingest-${side}-${iteration}.duckdb`);
  removeDb(db);
  let m: Measured;
  if (side === 'reference') {
    m = await runMeasured(node, [join(dist, 'duckdb-reference.js'), csv, db]);
  } else {
    m = await runMeasured(node, [
      cli,
      'ingest',
      csv,
      '--format',
      'baci',
      '--db',
      db,
      '--dataset',
      'bench-baci',
      '--vintage',
      '2023-01-01',
      '--rollups',
      args.rollups,
      '--json',
    ]);
  }
  if (m.exitCode !== 0) {
    removeDb(db);
    fail(
      `${side} run ${iteration + 1} failed (exit ${m.exitCode}${m.signal ? `, ${m.signal}` : ''}):\n${m.stderr}${m.stdout.slice(-2000)}`,
    );
  }
  const output = lastJson(m.stdout);
  if (side === 'reference') {
    duckdbVersion = String(output?.duckdbVersion ?? '');
    if (Number(output?.rows) !== args.rows)
      fail(`reference loaded ${String(output?.rows)} rows, expected ${args.rows}`);
  } else if (!output) {
    process.stderr.write('  warning: tradescope printed no JSON object on stdout\n');
  }
  if (!args.keep) removeDb(db);
  const run: Run = {
    iteration,
    order,
    wallSeconds: round(m.wallSeconds, 3),
    peakRssBytes: m.peakRssBytes,
    rowsPerSecond: Math.round(args.rows / m.wallSeconds),
    output,
  };
  runs[side].push(run);
  process.stderr.write(
    `  run ${iteration + 1} ${side.padEnd(10)} ${m.wallSeconds.toFixed(2)} s  ${(m.peakRssBytes / 1024 ** 2).toFixed(0)} MiB\n`,
  );
}

const sides: Side[] = args.referenceOnly ? ['reference'] : ['reference', 'tradescope'];
for (let it = 0; it < args.repeat; it++) {
  const order = it % 2 === 0 ? sides : [...sides].reverse();
  for (let o = 0; o < order.length; o++) await runSide(order[o]!, it, o);
}

// summary
interface SideSummary {
  medianSeconds: number;
  rowsPerSecond: number;
  medianPeakRssBytes: number;
  maxPeakRssBytes: number;
  runs: Run[];
}
const summarize = (rs: Run[]): SideSummary | undefined => {
  if (rs.length === 0) return undefined;
  const s = median(rs.map((r) => r.wallSeconds));
  return {
    medianSeconds: round(s, 3),
    rowsPerSecond: Math.round(args.rows / s),
    medianPeakRssBytes: median(rs.map((r) => r.peakRssBytes)),
    maxPeakRssBytes: Math.max(...rs.map((r) => r.peakRssBytes)),
    runs: rs,
  };
};
const reference = summarize(runs.reference)!;
const tradescope = summarize(runs.tradescope);
const ratio = tradescope ? round(tradescope.rowsPerSecond / reference.rowsPerSecond, 3) : undefined;
const tsOut = tradescope?.runs[0]?.output;
const checks = tradescope
  ? {
      throughputRatio: { target: `>= ${TARGET_RATIO}`, value: ratio, pass: (ratio ?? 0) >= TARGET_RATIO },
      peakRss: {
        target: `< ${TARGET_RSS_BYTES} bytes (2 GiB)`,
        value: tradescope.maxPeakRssBytes,
        pass: tradescope.maxPeakRssBytes < TARGET_RSS_BYTES,
      },
      rowsRead: {
        target: args.rows,
        value: tsOut?.rowsRead ?? null,
        pass: Number(tsOut?.rowsRead) === args.rows,
      },
    }
  : undefined;

const npmDuckdb = (() => {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
})();
const gitCommit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const cpuList = cpus();
const machine = {
  hostname: hostname(),
  platform: `${platform()} ${release()}`,
  cpus: cpuList.length,
  cpuModel: cpuList[0]?.model ?? 'unknown',
  memoryBytes: totalmem(),
  freeMemoryBytesAtStart: freemem(),
  node: process.version,
  duckdb: duckdbVersion,
  duckdbNodeApi: npmDuckdb,
  rssMethod: hasGnuTime() ? 'max(GNU time -v, /proc tree poll)' : '/proc tree poll',
};
const result = {
  benchmark: 'ingest-baci',
  date: new Date().toISOString(),
  gitCommit,
  mode: args.referenceOnly ? 'reference-only' : 'full',
  file: {
    path: csv.slice(root.length + 1),
    bytes: fileBytes,
    rows: args.rows,
    seed: args.seed,
    generatorVersion: GENERATOR_VERSION,
  },
  generation,
  repeat: args.repeat,
  machine,
  reference: {
    what: "DuckDB read_csv, default options: CREATE TABLE t AS SELECT * FROM read_csv('<file>'); CHECKPOINT",
    ...reference,
  },
  tradescope: tradescope
    ? {
        what: `node bin/tradescope.js ingest <file> --format baci --db <fresh> --dataset bench-baci --vintage 2023-01-01 --rollups ${args.rollups} --json`,
        rowsRead: tsOut?.rowsRead ?? null,
        rowsLoaded: tsOut?.rowsLoaded ?? null,
        rowsQuarantined: tsOut?.rowsQuarantined ?? null,
        ...tradescope,
      }
    : null,
  throughputRatio: ratio ?? null,
  checks: checks ?? null,
  pass: checks ? Object.values(checks).every((c) => c.pass) : null,
};

const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
const fmtRate = (r: number) => `${(r / 1e6).toFixed(2)} M rows/s`;
const rows: string[][] = [['', 'median s', 'rows/s', 'peak RSS (max)', 'target', 'result']];
rows.push([
  'DuckDB read_csv',
  reference.medianSeconds.toFixed(2),
  fmtRate(reference.rowsPerSecond),
  mib(reference.maxPeakRssBytes),
  '',
  '',
]);
if (tradescope && checks) {
  rows.push([
    'tradescope ingest',
    tradescope.medianSeconds.toFixed(2),
    fmtRate(tradescope.rowsPerSecond),
    mib(tradescope.maxPeakRssBytes),
    'RSS < 2 GiB',
    checks.peakRss.pass ? 'PASS' : 'FAIL',
  ]);
  rows.push([
    'ratio tradescope/ref',
    '',
    String(ratio),
    '',
    `>= ${TARGET_RATIO}`,
    checks.throughputRatio.pass ? 'PASS' : 'FAIL',
  ]);
  rows.push([
    'rows read/loaded/quar.',
    '',
    `${tsOut?.rowsRead}/${tsOut?.rowsLoaded}/${tsOut?.rowsQuarantined}`,
    '',
    `${args.rows} read`,
    checks.rowsRead.pass ? 'PASS' : 'FAIL',
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) =>
  r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
process.stdout.write(
  `\ningest-baci: ${args.rows.toLocaleString('en')} rows, ${mib(fileBytes)} file, median of ${args.repeat}, ${machine.cpus} CPUs, ${(machine.memoryBytes / 1024 ** 3).toFixed(0)} GiB, node ${machine.node}, DuckDB ${duckdbVersion}\n`,
);
for (const r of rows) process.stdout.write(`${line(r)}\n`);

const jsonPath = join(resultsDir, 'ingest-baci.json');
writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`\nwrote ${jsonPath.slice(root.length + 1)}\n`);

// README table
const readmePath = join(root, 'bench', 'README.md');
const START = '<!-- results:ingest-baci:start -->';
const END = '<!-- results:ingest-baci:end -->';
if (existsSync(readmePath)) {
  const readme = readFileSync(readmePath, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a >= 0 && b > a) {
    const md = [
      `Latest run: ${result.date.slice(0, 10)}, commit ${gitCommit}, ${result.mode}; ${args.rows.toLocaleString('en')} rows (${mib(fileBytes)}), median of ${args.repeat}; ` +
        `${machine.cpus} × ${machine.cpuModel}, ${(machine.memoryBytes / 1024 ** 3).toFixed(0)} GiB, node ${machine.node}, DuckDB ${duckdbVersion}.`,
      '',
      '| | median wall s | rows/s | peak RSS | target | result |',
      '|---|---:|---:|---:|---|---|',
      `| DuckDB \`read_csv\` (reference) | ${reference.medianSeconds.toFixed(2)} | ${reference.rowsPerSecond.toLocaleString('en')} | ${mib(reference.maxPeakRssBytes)} | | |`,
      tradescope && checks
        ? `| tradescope \`ingest --format baci\` | ${tradescope.medianSeconds.toFixed(2)} | ${tradescope.rowsPerSecond.toLocaleString('en')} | ${mib(tradescope.maxPeakRssBytes)} | < 2 GiB | ${checks.peakRss.pass ? 'pass' : '**FAIL**'} |\n` +
          `| throughput ratio tradescope / reference | | ${ratio} | | ≥ ${TARGET_RATIO} | ${checks.throughputRatio.pass ? 'pass' : '**FAIL**'} |\n` +
          `| rows read / loaded / quarantined | | ${tsOut?.rowsRead} / ${tsOut?.rowsLoaded} / ${tsOut?.rowsQuarantined} | | ${args.rows.toLocaleString('en')} read | ${checks.rowsRead.pass ? 'pass' : '**FAIL**'} |`
        : '| tradescope `ingest --format baci` | not run (`--reference-only`) | | | < 2 GiB, ratio ≥ 0.5 | |',
      '',
      `File generated in ${generation.seconds !== undefined ? `${generation.seconds} s` : 'an earlier run (reused)'}. Full numbers: [results/ingest-baci.json](results/ingest-baci.json).`,
    ].join('\n');
    writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${md}\n${readme.slice(b)}`);
    process.stdout.write(`updated ${readmePath.slice(root.length + 1)}\n`);
  }
}
if (result.pass === false) process.exitCode = 1;
