/**
 * M3/M4-style scoring of the library's default forecaster on any set of series in long layout.
 *
 * Usage: `node dist/bench/m3-style.js <train.csv> <test.csv> [--json]`
 *
 * - train file: header `series,t,y`, one row per observation; `t` orders the observations of a series.
 * - test file: header `series,h,y`, the outcomes h = 1, 2, … after the end of that series' training data.
 *
 * Every series is forecast with `forecast(values, { period: 12, horizon: 18, levels: [80, 95] })` (the library's
 * default method), then scored against the test rows it has (h ≤ 18):
 *
 * - sMAPE: mean over series of the mean over h of 200·|y − f| / (|y| + |f|) (0 when both are 0);
 * - MASE: mean over series of the mean over h of |y − f| / s, with s the in-sample mean absolute seasonal
 *   difference at lag 12 (series whose s is 0, or that have ≤ 12 observations, are left out of MASE and counted);
 * - coverage: share of all (series, h) outcomes inside the 80 % and the 95 % interval (bounds included).
 *
 * Output (stable; the held-out scoring reads it): one `name value` line each for `series`, `sMAPE`, `MASE`,
 * `coverage80`, `coverage95` (coverage in percent) and `maseExcluded`; with `--json`, the same as one JSON object.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forecast } from '../src/index.js';

export const PERIOD = 12;
export const HORIZON = 18;
export const LEVELS = [80, 95] as const;

export interface M3Forecast {
  point: number[];
  /** lower/upper bounds per level, in the order of {@link LEVELS}. */
  intervals: { level: number; lower: number[]; upper: number[] }[];
}

export type Forecaster = (values: number[]) => M3Forecast;

export interface M3Score {
  series: number;
  sMAPE: number;
  MASE: number;
  coverage80: number;
  coverage95: number;
  /** Series left out of MASE (zero in-sample seasonal difference or too short). */
  maseExcluded: number;
}

export const libraryForecaster: Forecaster = (values) =>
  forecast(values, { period: PERIOD, horizon: HORIZON, levels: [...LEVELS] });

/** Rows of a long-layout CSV with a header naming `series`, the index column and `y`. */
function readLong(text: string, index: 't' | 'h'): Map<string, { i: number; y: number }[]> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const cs = header.indexOf('series');
  const ci = header.indexOf(index);
  const cy = header.indexOf('y');
  if (cs < 0 || ci < 0 || cy < 0) throw new Error(`expected a header with series,${index},y; got ${lines[0]}`);
  const out = new Map<string, { i: number; y: number }[]>();
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r]!.split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
    const y = Number(f[cy]);
    const i = Number(f[ci]);
    if (!Number.isFinite(y) || !Number.isFinite(i)) throw new Error(`line ${r + 1}: not a number: ${lines[r]}`);
    const id = f[cs]!;
    let rows = out.get(id);
    if (!rows) out.set(id, (rows = []));
    rows.push({ i, y });
  }
  for (const rows of out.values()) rows.sort((a, b) => a.i - b.i);
  return out;
}

/** In-sample mean absolute difference at lag `m`. */
export function seasonalNaiveMae(values: readonly number[], m: number): number {
  let s = 0;
  for (let t = m; t < values.length; t++) s += Math.abs(values[t]! - values[t - m]!);
  return values.length > m ? s / (values.length - m) : Number.NaN;
}

/** Scores `forecaster` on the series of a train and a test file (their text). */
export function scoreM3Style(trainCsv: string, testCsv: string, forecaster: Forecaster = libraryForecaster): M3Score {
  const train = readLong(trainCsv, 't');
  const test = readLong(testCsv, 'h');
  let smapeSum = 0;
  let maseSum = 0;
  let maseN = 0;
  let scored = 0;
  let pairs = 0;
  const hits = [0, 0];
  for (const [id, outcomes] of test) {
    const history = train.get(id);
    if (!history) throw new Error(`series ${id} is in the test file but not in the train file`);
    const values = history.map((r) => r.y);
    const f = forecaster(values);
    const rows = outcomes.filter((r) => r.i >= 1 && r.i <= HORIZON);
    if (rows.length === 0) continue;
    const scale = seasonalNaiveMae(values, PERIOD);
    let sm = 0;
    let ae = 0;
    for (const { i, y } of rows) {
      const p = f.point[i - 1]!;
      const d = Math.abs(y) + Math.abs(p);
      sm += d === 0 ? 0 : (200 * Math.abs(y - p)) / d;
      ae += Math.abs(y - p);
      LEVELS.forEach((level, j) => {
        const iv = f.intervals.find((v) => v.level === level)!;
        if (y >= iv.lower[i - 1]! && y <= iv.upper[i - 1]!) hits[j]!++;
      });
      pairs++;
    }
    smapeSum += sm / rows.length;
    if (scale > 0) {
      maseSum += ae / rows.length / scale;
      maseN++;
    }
    scored++;
  }
  return {
    series: scored,
    sMAPE: smapeSum / scored,
    MASE: maseSum / maseN,
    coverage80: (100 * hits[0]!) / pairs,
    coverage95: (100 * hits[1]!) / pairs,
    maseExcluded: scored - maseN,
  };
}

export function formatScore(s: M3Score): string {
  return [
    `series ${s.series}`,
    `sMAPE ${s.sMAPE.toFixed(3)}`,
    `MASE ${s.MASE.toFixed(4)}`,
    `coverage80 ${s.coverage80.toFixed(2)}`,
    `coverage95 ${s.coverage95.toFixed(2)}`,
    `maseExcluded ${s.maseExcluded}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (files.length !== 2) {
    process.stderr.write('usage: node dist/bench/m3-style.js <train.csv> <test.csv> [--json]\n');
    process.exit(2);
  }
  const score = scoreM3Style(readFileSync(files[0]!, 'utf8'), readFileSync(files[1]!, 'utf8'));
  process.stdout.write(`${process.argv.includes('--json') ? JSON.stringify(score) : formatScore(score)}\n`);
}
