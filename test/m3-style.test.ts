/**
 * bench/m3-style.ts, the scoring script the held-out benchmark runs: its arithmetic on files whose scores are
 * worked out by hand below, and the command line on generated files (output layout, not the library's accuracy).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type Forecaster, scoreM3Style, seasonalNaiveMae } from '../bench/m3-style.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'm3-style-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Last value repeated; 80 % bounds ±1, 95 % bounds ±2 around it. */
const lastValue: Forecaster = (values) => {
  const last = values[values.length - 1]!;
  const point = Array.from({ length: 18 }, () => last);
  return {
    point,
    intervals: [
      { level: 80, lower: point.map((p) => p - 1), upper: point.map((p) => p + 1) },
      { level: 95, lower: point.map((p) => p - 2), upper: point.map((p) => p + 2) },
    ],
  };
};

describe('m3-style scoring', () => {
  // A: twelve 10s then twelve 12s (rows shuffled; t orders them) → seasonal-naive MAE 2, forecast 12.
  //    outcomes 12, 15, 10: errors 0, 3, 2; sMAPE terms 0, 600/27, 400/22; MASE (5/3)/2 = 5/6.
  //    80 % [11, 13] holds h1 only; 95 % [10, 14] holds h1 and h3 (bound included).
  // B: thirteen 5s → seasonal-naive MAE 0, left out of MASE; forecast 5, outcome 5 at h1 (h 19 is ignored).
  const trainRows = ['series,t,y'];
  const a = Array.from({ length: 24 }, (_, i) => (i < 12 ? 10 : 12));
  const order = a.map((_, i) => (i * 7) % 24); // a permutation of 0…23
  for (const i of order) trainRows.push(`A,${i + 1},${a[i]}`);
  for (let i = 0; i < 13; i++) trainRows.push(`B,${i + 1},5`);
  const testRows = ['series,h,y', 'A,1,12', 'A,2,15', 'A,3,10', 'B,1,5', 'B,19,100'];

  it('gives the hand-worked sMAPE, MASE and coverage', () => {
    const s = scoreM3Style(trainRows.join('\n'), testRows.join('\n'), lastValue);
    expect(s.series).toBe(2);
    expect(s.sMAPE).toBeCloseTo((600 / 27 + 400 / 22) / 3 / 2, 10);
    expect(s.MASE).toBeCloseTo(5 / 6, 10);
    expect(s.maseExcluded).toBe(1);
    expect(s.coverage80).toBeCloseTo(50, 10);
    expect(s.coverage95).toBeCloseTo(75, 10);
  });

  it('scales MASE by the lag-12 in-sample mean absolute difference', () => {
    expect(seasonalNaiveMae(a, 12)).toBe(2);
    expect(seasonalNaiveMae([1, 2, 3], 12)).toBeNaN();
  });

  it('rejects a test series that has no training data', () => {
    expect(() => scoreM3Style('series,t,y\nA,1,1', 'series,h,y\nZ,1,1', lastValue)).toThrow(/Z/);
  });

  it('runs from the command line on long-layout files and prints one line per score', async () => {
    // two trending seasonal series of 72 months, their next 18 months as the test file
    const train = ['series,t,y'];
    const test = ['series,h,y'];
    for (const [id, base] of [
      ['N1', 1000],
      ['N2', 250],
    ] as const)
      for (let t = 1; t <= 90; t++) {
        const y = base * (1 + 0.004 * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.01 * Math.cos(7 * t));
        if (t <= 72) train.push(`${id},${t},${y}`);
        else test.push(`${id},${t - 72},${y}`);
      }
    writeFileSync(join(dir, 'train.csv'), `${train.join('\n')}\n`);
    writeFileSync(join(dir, 'test.csv'), `${test.join('\n')}\n`);
    const { stdout } = await exec('node', [
      join(ROOT, 'dist', 'bench', 'm3-style.js'),
      join(dir, 'train.csv'),
      join(dir, 'test.csv'),
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'series',
      'sMAPE',
      'MASE',
      'coverage80',
      'coverage95',
      'maseExcluded',
    ]);
    expect(lines[0]).toBe('series 2');
    for (const l of lines) expect(Number.isFinite(Number(l.split(' ')[1]))).toBe(true);
    const { stdout: json } = await exec('node', [
      join(ROOT, 'dist', 'bench', 'm3-style.js'),
      join(dir, 'train.csv'),
      join(dir, 'test.csv'),
      '--json',
    ]);
    const s = JSON.parse(json) as Record<string, number>;
    expect(s.series).toBe(2);
    expect(s.coverage80).toBeGreaterThanOrEqual(0);
    expect(s.coverage95).toBeGreaterThanOrEqual(s.coverage80!);
  });
});
