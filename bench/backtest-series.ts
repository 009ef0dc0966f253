/**
 * Backtests of tradescope's forecasting methods on the real monthly series, and the calibration of the
 * short-series method. Writes:
 *
 * - `bench/results/backtests.json` and `docs/backtests.md`: rolling-origin MASE, sMAPE and interval coverage per
 *   series and method; Lunar New Year handling (raw months vs Jan+Feb combined); balance (direct vs X − M).
 * - `src/forecast/short-calibration.ts`: the errors of the short-series method on the long series.
 *
 * Usage: `npm run backtest:series [-- --data <folder>] [--step 1]`. The data folder holds `fred/` and
 * `partner-series/` as published (default: the copies bundled in `data/`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BacktestResult, backtest, forecastsAt } from '../src/forecast/backtest.js';
import { averageJanFeb } from '../src/forecast/lunar-new-year.js';
import { recentScale, shortSeriesPoint } from '../src/forecast/short-series.js';

interface Series {
  id: string;
  title: string;
  unit: string;
  start: string; // YYYY-MM
  values: number[];
  seasonallyAdjusted?: boolean;
}

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const dataDir = arg('--data', 'data');
const step = Number(arg('--step', '1'));

const lines = (file: string): string[] => readFileSync(join(dataDir, file), 'utf8').trim().split(/\r?\n/);
const num = (s: string): number => Number(s.replace(/[",]/g, ''));

function loadAll(): Series[] {
  const impch = lines('fred/FRED_IMPCH_us_imports_from_china_monthly.csv')
    .slice(1)
    .map((l) => l.split(','));
  const xtex = lines('fred/FRED_XTEXVA01CNM667S_2000-2020.csv')
    .slice(1)
    .map((l) => l.split(','));
  const us = lines('partner-series/usa-china-trade-data.csv')
    .slice(1)
    .map((l) => l.split(';'));
  const jp = lines('partner-series/japan-china-trade-data.csv')
    .slice(1)
    .map((l) => l.split(';'));
  const kr = lines('partner-series/korea-china-trade-data.csv')
    .slice(1)
    .map((l) => l.match(/("[^"]*"|[^,]+)/g)!);
  return [
    {
      id: 'fred-impch',
      title: 'US imports from China (FRED IMPCH)',
      unit: 'million USD',
      start: impch[0]![0]!.slice(0, 7),
      values: impch.map((r) => num(r[1]!)),
    },
    {
      id: 'fred-china-exports-sa',
      title: 'China exports, seasonally adjusted (FRED XTEXVA01CNM667S)',
      unit: 'million USD',
      start: xtex[0]![1]!.replace(/"/g, '').slice(0, 7),
      values: xtex.map((r) => num(r[2]!)),
      seasonallyAdjusted: true,
    },
    {
      id: 'usa-exports',
      title: 'US exports to China (Census)',
      unit: 'million USD',
      start: '2001-01',
      values: us.map((r) => num(r[1]!)),
    },
    {
      id: 'usa-imports',
      title: 'US imports from China (Census)',
      unit: 'million USD',
      start: '2001-01',
      values: us.map((r) => num(r[2]!)),
    },
    {
      id: 'japan-exports',
      title: 'Japan exports to China (MoF)',
      unit: 'thousand JPY',
      start: '2001-01',
      values: jp.map((r) => num(r[1]!)),
    },
    {
      id: 'japan-imports',
      title: 'Japan imports from China (MoF)',
      unit: 'thousand JPY',
      start: '2001-01',
      values: jp.map((r) => num(r[2]!)),
    },
    {
      id: 'korea-exports',
      title: 'Korea exports to China (KOSIS)',
      unit: 'thousand USD',
      start: '2001-01',
      values: kr.map((r) => num(r[2]!)),
    },
    {
      id: 'korea-imports',
      title: 'Korea imports from China (KOSIS)',
      unit: 'thousand USD',
      start: '2001-01',
      values: kr.map((r) => num(r[3]!)),
    },
  ];
}

const METHODS = ['ets', 'theta', 'combination', 'snaive', 'naive', 'drift'] as const;
const H = 12;

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : '–';
}
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function main(): void {
  const series = loadAll();
  const t0 = Date.now();
  const results: { series: Series; result: BacktestResult; seconds: number }[] = [];
  for (const s of series) {
    const t = Date.now();
    const result = backtest(s.values, { period: 12, horizon: H, step, minTrain: 60 });
    results.push({ series: s, result, seconds: (Date.now() - t) / 1000 });
    process.stderr.write(`${s.id}: ${result.origins} origins in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const avg = (method: string, pick: (r: BacktestResult['methods'][number]) => number): number =>
    results.reduce((s, r) => s + pick(r.result.methods.find((m) => m.method === method)!), 0) / results.length;
  const averages = METHODS.map((m) => ({
    method: m,
    mase: avg(m, (r) => r.mase),
    smape: avg(m, (r) => r.smape),
    coverage80: avg(m, (r) => r.coverage['80']!),
    coverage95: avg(m, (r) => r.coverage['95']!),
  }));
  const modelled = averages.filter((a) => ['ets', 'theta', 'combination'].includes(a.method));
  const best = modelled.reduce((a, b) => (b.mase < a.mase ? b : a));

  const lny = lunarNewYearStudy(series.filter((s) => !s.seasonallyAdjusted));
  const balance = balanceStudy(series);
  const calibration = shortCalibration(series.filter((s) => !s.seasonallyAdjusted));
  const holdout = shortHoldout(series.filter((s) => !s.seasonallyAdjusted));

  const json = {
    generated: 'npm run backtest:series',
    data: dataDir,
    settings: { horizon: H, step, minTrain: 60, levels: [80, 95], period: 12 },
    series: results.map((r) => ({
      id: r.series.id,
      title: r.series.title,
      unit: r.series.unit,
      start: r.series.start,
      seconds: r.seconds,
      ...r.result,
    })),
    averages,
    bestMethod: best.method,
    lunarNewYear: lny,
    balance,
    shortSeriesHoldout: holdout,
    tooShort: [
      {
        id: 'gacc-region-monthly',
        n: 18,
        reason:
          'GAC national and regional series 2024-01…2025-06: 18 months, fewer than the three seasons needed to fit a seasonal model and leave outcomes to score (60 training months are used here); the short-series method is used for them, with intervals calibrated on the series above',
      },
    ],
    seconds: (Date.now() - t0) / 1000,
  };
  writeFileSync('bench/results/backtests.json', `${JSON.stringify(json, null, 1)}\n`);
  writeFileSync('docs/backtests.md', markdown(json, results, averages, best.method, lny, balance, holdout));
  writeFileSync(
    'src/forecast/short-calibration.ts',
    `// generated by \`npm run backtest:series\` (bench/backtest-series.ts) from ${calibration.sources.join(', ')}; do not edit\n` +
      `// horizonErrors[h-1]: sorted quantiles (1 %…99 %) of (actual − forecast) / mean |last 12 months| of the short-series method at horizon h.\n` +
      `// restOfYear[k-1]: relative errors of the rest-of-year total forecast from an origin after month k; pairs = (exports, imports) of one partner.\n` +
      `export const SHORT_CALIBRATION: {\n  horizonErrors: number[][];\n  restOfYear: { origin: number; single: number[]; pairs: [number, number][] }[];\n  sources: string[];\n} = ${JSON.stringify(calibration)};\n`,
  );
  process.stderr.write(`best on MASE: ${best.method}; done in ${json.seconds.toFixed(1)} s\n`);
}

/** Jan+Feb total forecast from origins at the end of Oct, Nov and Dec: raw months vs months averaged. */
function lunarNewYearStudy(series: Series[]) {
  const rows = series.map((s) => {
    const firstMonth = Number(s.start.slice(5, 7));
    const out = { id: s.id, origins: 0, raw: 0, combined: 0, rawSmape: 0, combinedSmape: 0 };
    for (let t = 60; t < s.values.length - 1; t++) {
      const monthOfNext = ((firstMonth - 1 + t) % 12) + 1; // calendar month of values[t]
      if (![11, 12, 1].includes(monthOfNext)) continue;
      const lead = monthOfNext === 1 ? 0 : monthOfNext === 12 ? 1 : 2; // months before January
      if (t + lead + 1 >= s.values.length) continue;
      const h = lead + 2;
      const actual = s.values[t + lead]! + s.values[t + lead + 1]!;
      const train = s.values.slice(0, t);
      const scale = janFebScale(train, firstMonth);
      const raw = forecastsAt(train, 12, h, [80], ['ets']).get('ets')!.point;
      const avgd = forecastsAt(averageJanFeb(train, firstMonth), 12, h, [80], ['ets']).get('ets')!.point;
      const fr = raw[lead]! + raw[lead + 1]!;
      const fc = avgd[lead]! + avgd[lead + 1]!;
      out.raw += Math.abs(actual - fr) / scale;
      out.combined += Math.abs(actual - fc) / scale;
      out.rawSmape += (200 * Math.abs(actual - fr)) / (Math.abs(actual) + Math.abs(fr));
      out.combinedSmape += (200 * Math.abs(actual - fc)) / (Math.abs(actual) + Math.abs(fc));
      out.origins++;
    }
    return {
      id: out.id,
      origins: out.origins,
      maseRaw: out.raw / out.origins,
      maseCombined: out.combined / out.origins,
      smapeRaw: out.rawSmape / out.origins,
      smapeCombined: out.combinedSmape / out.origins,
    };
  });
  return rows;
}

/** Mean absolute year-on-year change of the Jan+Feb totals in the training data. */
function janFebScale(train: readonly number[], firstMonth: number): number {
  const totals: number[] = [];
  for (let t = 0; t + 1 < train.length; t++)
    if (((firstMonth - 1 + t) % 12) + 1 === 1) totals.push(train[t]! + train[t + 1]!);
  let s = 0;
  for (let i = 1; i < totals.length; i++) s += Math.abs(totals[i]! - totals[i - 1]!);
  return s / Math.max(1, totals.length - 1);
}

/** Balance = exports − imports of one partner: forecast directly vs derived from the two flows. */
function balanceStudy(series: Series[]) {
  const pairs = [
    ['usa-exports', 'usa-imports'],
    ['japan-exports', 'japan-imports'],
    ['korea-exports', 'korea-imports'],
  ] as const;
  const method = 'ets' as const;
  return pairs.map(([xi, mi]) => {
    const x = series.find((s) => s.id === xi)!.values;
    const m = series.find((s) => s.id === mi)!.values;
    const bal = x.map((v, i) => v - m[i]!);
    const acc = { direct: 0, derived: 0, directCov: 0, derivedCov: 0, count: 0 };
    for (let t = 60; t < bal.length; t += Math.max(step, 1)) {
      const h = Math.min(H, bal.length - t);
      const train = bal.slice(0, t);
      let sc = 0;
      for (let i = 12; i < t; i++) sc += Math.abs(train[i]! - train[i - 12]!);
      sc /= t - 12;
      const d = forecastsAt(train, 12, h, [80], [method]).get(method)!;
      const fx = forecastsAt(x.slice(0, t), 12, h, [80], [method]).get(method)!;
      const fm = forecastsAt(m.slice(0, t), 12, h, [80], [method]).get(method)!;
      for (let i = 0; i < h; i++) {
        const a = bal[t + i]!;
        const der = fx.point[i]! - fm.point[i]!;
        // independent flows: half-widths add in quadrature
        const wx = (fx.intervals[0]!.upper[i]! - fx.intervals[0]!.lower[i]!) / 2;
        const wm = (fm.intervals[0]!.upper[i]! - fm.intervals[0]!.lower[i]!) / 2;
        const w = Math.hypot(wx, wm);
        acc.direct += Math.abs(a - d.point[i]!) / sc;
        acc.derived += Math.abs(a - der) / sc;
        if (a >= d.intervals[0]!.lower[i]! && a <= d.intervals[0]!.upper[i]!) acc.directCov++;
        if (Math.abs(a - der) <= w) acc.derivedCov++;
        acc.count++;
      }
    }
    return {
      id: xi.replace('-exports', '-balance'),
      count: acc.count,
      maseDirect: acc.direct / acc.count,
      maseDerived: acc.derived / acc.count,
      coverage80Direct: acc.directCov / acc.count,
      coverage80Derived: acc.derivedCov / acc.count,
    };
  });
}

/**
 * Leave-one-series-out check of the short-series calibration: calibrate on the other series, then count how
 * often the held-out series' outcomes fall inside the 80 % intervals (monthly, h = 1…12, and rest-of-year totals).
 */
function shortHoldout(series: Series[]) {
  const win = 18;
  return series.map((s) => {
    const cal = shortCalibration(series.filter((o) => o.id !== s.id));
    let hit = 0;
    let count = 0;
    let restHit = 0;
    let restCount = 0;
    const firstMonth = Number(s.start.slice(5, 7));
    for (let t = win; t < s.values.length; t++) {
      const train = s.values.slice(t - win, t);
      const scale = recentScale(train, 12);
      const h = Math.min(12, s.values.length - t);
      const p = shortSeriesPoint(train, 12, h);
      for (let i = 0; i < h; i++) {
        const q = cal.horizonErrors[i]!;
        const a = s.values[t + i]!;
        if (a >= p[i]! + scale * q[9]! && a <= p[i]! + scale * q[89]!) hit++;
        count++;
      }
      const month = ((firstMonth - 1 + t - 1) % 12) + 1;
      const left = 12 - month;
      if (month === 12 || t + left > s.values.length) continue;
      const errs = cal.restOfYear[month - 1]!.single;
      const lo = errs[Math.floor(0.1 * (errs.length - 1))]!;
      const hi = errs[Math.ceil(0.9 * (errs.length - 1))]!;
      const fc = shortSeriesPoint(train, 12, left).reduce((a, b) => a + b, 0);
      const actual = s.values.slice(t, t + left).reduce((a, b) => a + b, 0);
      if (actual >= fc * (1 + lo) && actual <= fc * (1 + hi)) restHit++;
      restCount++;
    }
    return {
      id: s.id,
      monthly80: hit / count,
      monthlyCount: count,
      restOfYear80: restHit / restCount,
      restOfYearCount: restCount,
    };
  });
}

/** Errors of the short-series method on long series, fitted on 18-month windows like the GAC tables. */
function shortCalibration(series: Series[]) {
  const horizons: number[][] = Array.from({ length: 24 }, () => []);
  const rest: { single: number[]; pairs: [number, number][] }[] = Array.from({ length: 11 }, () => ({
    single: [],
    pairs: [],
  }));
  const win = 18;
  const restErr = (s: Series, t: number): number | undefined => {
    const firstMonth = Number(s.start.slice(5, 7));
    const month = ((firstMonth - 1 + t - 1) % 12) + 1; // calendar month of the last training value
    if (month === 12) return undefined;
    const left = 12 - month;
    if (t + left > s.values.length) return undefined;
    const train = s.values.slice(t - win, t);
    const fc = shortSeriesPoint(train, 12, left).reduce((a, b) => a + b, 0);
    const actual = s.values.slice(t, t + left).reduce((a, b) => a + b, 0);
    return (actual - fc) / fc;
  };
  for (const s of series) {
    for (let t = win; t < s.values.length; t++) {
      const train = s.values.slice(t - win, t);
      const scale = recentScale(train, 12);
      const h = Math.min(24, s.values.length - t);
      const p = shortSeriesPoint(train, 12, h);
      for (let i = 0; i < h; i++) horizons[i]!.push((s.values[t + i]! - p[i]!) / scale);
      const e = restErr(s, t);
      if (e !== undefined) {
        const month = ((Number(s.start.slice(5, 7)) - 1 + t - 1) % 12) + 1;
        rest[month - 1]!.single.push(e);
      }
    }
  }
  for (const [xi, mi] of [
    ['usa-exports', 'usa-imports'],
    ['japan-exports', 'japan-imports'],
    ['korea-exports', 'korea-imports'],
  ] as const) {
    const x = series.find((s) => s.id === xi);
    const m = series.find((s) => s.id === mi);
    if (!x || !m) continue;
    for (let t = win; t < x.values.length; t++) {
      const ex = restErr(x, t);
      const em = restErr(m, t);
      if (ex === undefined || em === undefined) continue;
      const month = ((Number(x.start.slice(5, 7)) - 1 + t - 1) % 12) + 1;
      rest[month - 1]!.pairs.push([round(ex), round(em)]);
    }
  }
  const grid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  return {
    horizonErrors: horizons.map((errs) => {
      const sorted = errs.slice().sort((a, b) => a - b);
      return grid.map((p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!));
    }),
    restOfYear: rest.map((r, i) => ({
      origin: i + 1,
      single: r.single.sort((a, b) => a - b).map(round),
      pairs: r.pairs,
    })),
    sources: series.map((s) => s.id),
  };
}

const round = (x: number): number => Math.round(x * 1e5) / 1e5;

function markdown(
  json: { settings: { step: number }; seconds: number },
  results: { series: Series; result: BacktestResult }[],
  averages: { method: string; mase: number; smape: number; coverage80: number; coverage95: number }[],
  best: string,
  lny: ReturnType<typeof lunarNewYearStudy>,
  balance: ReturnType<typeof balanceStudy>,
  holdout: ReturnType<typeof shortHoldout>,
): string {
  const out: string[] = [];
  out.push('# Forecast backtests on real trade series');
  out.push('');
  out.push(
    `Generated by \`npm run backtest:series\` (bench/backtest-series.ts); numbers in bench/results/backtests.json. ` +
      `Rolling origin: fit on the first t months (t from 60, every ${json.settings.step} month), forecast 1–${H} months ahead, score against the outcome. ` +
      'MASE scales each absolute error by the in-sample mean absolute seasonal difference (below 1 beats the in-sample seasonal naive); ' +
      'sMAPE in percent; coverage is the share of outcomes inside the 80 % and 95 % intervals. ' +
      `Run time ${json.seconds.toFixed(0)} s.`,
  );
  out.push('');
  out.push('## Average over the series');
  out.push('');
  out.push('| method | MASE | sMAPE | 80 % coverage | 95 % coverage |');
  out.push('|---|---:|---:|---:|---:|');
  for (const a of averages)
    out.push(
      `| ${a.method === best ? `**${a.method}** (default)` : a.method} | ${fmt(a.mase)} | ${fmt(a.smape, 2)} | ${pct(a.coverage80)} | ${pct(a.coverage95)} |`,
    );
  out.push('');
  out.push('## Per series');
  out.push('');
  out.push('| series | n | origins | method | MASE | sMAPE | 80 % cov. | 95 % cov. | beats seasonal naive |');
  out.push('|---|---:|---:|---|---:|---:|---:|---:|---|');
  for (const r of results) {
    const sn = r.result.methods.find((m) => m.method === 'snaive')!;
    for (const m of r.result.methods)
      out.push(
        `| ${r.series.id}${r.series.seasonallyAdjusted ? ' (SA)' : ''} | ${r.result.n} | ${r.result.origins} | ${m.method} | ${fmt(m.mase)} | ${fmt(m.smape, 2)} | ${pct(m.coverage['80']!)} | ${pct(m.coverage['95']!)} | ${m.method === 'snaive' ? '' : m.mase < sn.mase ? 'yes' : '**no**'} |`,
      );
  }
  out.push('');
  out.push('ETS models chosen at the origins:');
  out.push('');
  for (const r of results) {
    const models = r.result.methods.find((m) => m.method === 'ets')!.models!;
    const top = Object.entries(models)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    out.push(`- ${r.series.id}: ${top}`);
  }
  out.push('');
  out.push('## Lunar New Year: raw months vs Jan+Feb combined');
  out.push('');
  out.push(
    'Error of the Jan+Feb total forecast by ETS from origins at the end of October, November and December; MASE scaled by the mean absolute year-on-year change of the Jan+Feb totals.',
  );
  out.push('');
  out.push('| series | origins | MASE raw months | MASE Jan+Feb averaged | sMAPE raw | sMAPE averaged |');
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const r of lny)
    out.push(
      `| ${r.id} | ${r.origins} | ${fmt(r.maseRaw)} | ${fmt(r.maseCombined)} | ${fmt(r.smapeRaw, 2)} | ${fmt(r.smapeCombined, 2)} |`,
    );
  const lnyRaw = lny.reduce((s, r) => s + r.maseRaw, 0) / lny.length;
  const lnyComb = lny.reduce((s, r) => s + r.maseCombined, 0) / lny.length;
  out.push(`| **average** | | ${fmt(lnyRaw)} | ${fmt(lnyComb)} | | |`);
  out.push('');
  out.push('## Balance: forecast directly vs exports − imports');
  out.push('');
  out.push(
    'ETS on the balance series (additive models only: it changes sign) vs ETS on each flow, balance = difference; 80 % interval of the difference assuming independent flows.',
  );
  out.push('');
  out.push('| balance | pairs scored | MASE direct | MASE X − M | 80 % cov. direct | 80 % cov. X − M |');
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const b of balance)
    out.push(
      `| ${b.id} | ${b.count} | ${fmt(b.maseDirect)} | ${fmt(b.maseDerived)} | ${pct(b.coverage80Direct)} | ${pct(b.coverage80Derived)} |`,
    );
  out.push('');
  out.push('## Short-series method: are its calibrated intervals honest?');
  out.push('');
  out.push(
    'The short-series method (last year × recent YoY growth, for series under three seasons) run on 18-month windows of each long series, with its 80 % intervals calibrated on the *other* series only (leave one series out).',
  );
  out.push('');
  out.push('| held-out series | monthly forecasts (h 1–12) | 80 % coverage | rest-of-year totals | 80 % coverage |');
  out.push('|---|---:|---:|---:|---:|');
  for (const h of holdout)
    out.push(`| ${h.id} | ${h.monthlyCount} | ${pct(h.monthly80)} | ${h.restOfYearCount} | ${pct(h.restOfYear80)} |`);
  out.push(
    `| **average** | | ${pct(holdout.reduce((a, h) => a + h.monthly80, 0) / holdout.length)} | | ${pct(holdout.reduce((a, h) => a + h.restOfYear80, 0) / holdout.length)} |`,
  );
  out.push('');
  out.push('## Too short to backtest');
  out.push('');
  out.push(
    '- gacc-region-monthly (GAC national and regional totals, 2024-01…2025-06): 18 months — fewer than three seasons, so no seasonal model of its own, and nothing left to score after a training window. Forecasts and projections for it use the short-series method (last year × recent YoY growth) with intervals calibrated on the series above (src/forecast/short-calibration.ts).',
  );
  out.push('');
  return out.join('\n');
}

main();
