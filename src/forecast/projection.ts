/**
 * Full-year projections: the months already published plus a simulated rest of the year, reported as a
 * distribution (median, 80 %/95 % intervals) with the probability of exceeding a threshold.
 *
 * - The published part is exact: the source's year-to-date figure (GAC's published cumulative where it exists,
 *   else the sum of the months), read through the query model, in the currency shown.
 * - The rest of the year: for series of three seasons or more, sample paths of the default method summed over
 *   the remaining months; for shorter series (the 18-month GAC tables), last year's remaining months scaled by
 *   the recent YoY growth, times (1 + e) with e drawn from that method's rest-of-year errors on the long real
 *   series (smoothed bootstrap), exports and imports drawn as pairs from the same partner and year so that
 *   their correlation carries into the balance.
 * - Balance and total are derived from exports and imports (docs/forecasting.md says why).
 *
 * @example
 * const p = await projectFullYear(store, { reporter: 'CHN', measure: 'balance', year: 2025, currency: 'CNY', above: 8e12 });
 * p.distribution.median;        // 9.6e12
 * p.probabilityAbove?.p;        // 0.97
 */
import { type Fixed, fixedText, toFixed } from '../model/decimal.js';
import { query } from '../query/engine.js';
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';
import { quantileSorted } from './normal.js';
import { samplePaths } from './paths.js';
import { seededRandom } from './prng.js';
import { SHORT_CALIBRATION } from './short-calibration.js';
import { shortSeriesPoint } from './short-series.js';
import { type SeriesMeasure, type StoreSeries, storeSeries } from './store-series.js';
import type { ForecastWarning } from './types.js';

export interface ProjectionSpec {
  reporter: string;
  partner?: string;
  product?: string;
  region?: string;
  /** `value` needs a flow; balance = X − M; total = X + M. */
  measure: SeriesMeasure;
  flow?: 'X' | 'M';
  year: number;
  /** Last published month to use (default: the latest in the data, within the year). */
  through?: string;
  currency?: string;
  dataset?: string;
  /** Report P(full-year total > above). */
  above?: number;
  levels?: readonly number[];
  simulations?: number;
  seed?: number;
}

export interface FlowProjection {
  flow: 'X' | 'M';
  /** Published year-to-date, exact, in `currency` units. */
  actual: string;
  actualBasis: 'published cumulative' | 'year-to-date (equal to the sum of the months)';
  /** Point forecast of the remaining months' sum. */
  restPoint: number;
  /** This flow's full-year total: published part plus simulated rest, from the same draws as the measure. */
  distribution?: Distribution;
}

export interface Distribution {
  median: number;
  mean: number;
  intervals: { level: number; lower: number; upper: number }[];
}

export interface Projection {
  /** The request, as validated. */
  spec: ProjectionSpec;
  year: number;
  measure: SeriesMeasure;
  currency: string;
  /** Last published month used. */
  through: string;
  monthsActual: number;
  monthsSimulated: number;
  /** Published part of the measure, exact. */
  actual: string;
  flows: FlowProjection[];
  distribution: Distribution;
  probabilityAbove?: { threshold: number; p: number };
  method: string;
  simulations: number;
  seed: number;
  warnings: ForecastWarning[];
  provenance: {
    datasets: string[];
    vintages: { vintage: string; source: string; files: string[] }[];
    historyQueries: unknown[];
    datasetChoice?: string;
    calibration?: string;
  };
}

/**
 * Projects a full-year total from the months published so far.
 * Validates the spec (a {@link UserError} names the field); deterministic for a given seed.
 */
export async function projectFullYear(store: TradeStore, spec: ProjectionSpec): Promise<Projection> {
  if (!Number.isInteger(spec.year) || spec.year < 1900 || spec.year > 2199)
    throw new UserError(`year: ${spec.year} (e.g. 2025)`);
  if (spec.above !== undefined && !Number.isFinite(spec.above))
    throw new UserError(`above: ${spec.above} (a number, e.g. 8e12)`);
  const levels = [...(spec.levels ?? [80, 95])];
  const simulations = spec.simulations ?? 10000;
  const seed = spec.seed ?? 1;
  const flows: ('X' | 'M')[] =
    spec.measure === 'value' ? [spec.flow ?? fail('flow: needed for measure value (X or M)')] : ['X', 'M'];
  const yearEnd = `${spec.year}-12`;
  const through = spec.through ?? yearEnd;
  if (!through.startsWith(`${spec.year}-`) && through < `${spec.year}-01`)
    throw new UserError(`through: ${through} is before ${spec.year} (no month of the year is published)`);
  const series: StoreSeries[] = [];
  for (const flow of flows)
    series.push(
      await storeSeries(store, {
        reporter: spec.reporter,
        ...(spec.partner ? { partner: spec.partner } : {}),
        ...(spec.product ? { product: spec.product } : {}),
        ...(spec.region ? { region: spec.region } : {}),
        ...(spec.currency ? { currency: spec.currency } : {}),
        ...(spec.dataset ? { dataset: spec.dataset } : {}),
        flow,
        measure: 'value',
        through: through < yearEnd ? through : yearEnd,
      }),
    );
  const last = series.map((s) => s.months[s.months.length - 1]!).sort()[0]!;
  if (!last.startsWith(`${spec.year}-`))
    throw new UserError(
      `no month of ${spec.year} is published in ${series[0]!.dataset} (its data end in ${last}); project a year that has started`,
    );
  const k = Number(last.slice(5, 7));
  const rest = 12 - k;
  const warnings: ForecastWarning[] = series.flatMap((s) => s.warnings);
  const flowsOut: FlowProjection[] = [];
  const actualsF: number[] = [];
  let actualFixed: Fixed = 0n;
  for (const [i, s] of series.entries()) {
    const flow = flows[i]!;
    const cut = s.months.indexOf(last) + 1;
    const months = s.months.slice(0, cut);
    const exact = s.exact.slice(0, cut);
    const ytd = await publishedYtd(store, spec, flow, s.dataset, last);
    const summed = months.reduce((acc, m, j) => (m.startsWith(`${spec.year}-`) ? acc + toFixed(exact[j]!) : acc), 0n);
    const actual = ytd ?? summed;
    if (ytd !== undefined && ytd !== summed)
      warnings.push({
        code: 'revisions',
        message: `${flow === 'X' ? 'exports' : 'imports'}: the published year-to-date ${fixedText(ytd)} differs from the sum of the months as first published ${fixedText(summed)} by ${fixedText(ytd - summed)} (revisions); the published figure is used`,
      });
    flowsOut.push({
      flow,
      actual: fixedText(actual),
      actualBasis:
        ytd !== undefined && ytd !== summed ? 'published cumulative' : 'year-to-date (equal to the sum of the months)',
      restPoint: 0,
    });
    actualsF.push(Number(fixedText(actual)));
    actualFixed += spec.measure === 'balance' && flow === 'M' ? -actual : actual;
  }

  const rng = seededRandom(seed);
  const flowTotals = flows.map(() => new Float64Array(simulations));
  let method: string;
  let calibration: string | undefined;
  const n = series[0]!.values.length;
  const cutValues = series.map((s) => s.values.slice(0, s.months.indexOf(last) + 1));
  const sign = (j: number): number => (spec.measure === 'balance' && flows[j] === 'M' ? -1 : 1);
  if (rest === 0) {
    method = 'all months published';
    flowTotals.forEach((ft, j) => {
      ft.fill(actualsF[j]!);
    });
  } else if (cutValues.every((v) => v.length >= 36)) {
    const sims = cutValues.map((v, j) =>
      samplePaths(v, { period: 12, horizon: rest, count: simulations, seed: seed + j }),
    );
    method = `${sims[0]!.name}, ${simulations} simulated paths per flow`;
    sims.forEach((s, j) => {
      flowsOut[j]!.restPoint = s.point.reduce((a, b) => a + b, 0);
    });
    for (let i = 0; i < simulations; i++)
      sims.forEach((s, j) => {
        let sum = 0;
        for (const v of s.paths[i]!) sum += v;
        flowTotals[j]![i] = actualsF[j]! + sum;
      });
    if (flows.length === 2)
      warnings.push({
        code: 'independent-flows',
        message: 'exports and imports are simulated independently; their correlation is not modelled',
      });
  } else {
    const table = SHORT_CALIBRATION.restOfYear[k - 1]!;
    const points = cutValues.map((v) => shortSeriesPoint(v, 12, rest).reduce((a, b) => a + b, 0));
    points.forEach((p, j) => {
      flowsOut[j]!.restPoint = p;
    });
    method = 'short series: last year × recent YoY growth, rest-of-year errors bootstrapped from long series';
    calibration = `rest-of-year errors after month ${k}: ${table.single.length} single-flow and ${table.pairs.length} export/import pairs from ${SHORT_CALIBRATION.sources.join(', ')} (18-month windows)`;
    warnings.push({
      code: 'short-series',
      message: `${n} months of history: fewer than three seasons, so no seasonal model of this series; the uncertainty comes from the same method's errors on long real series`,
    });
    const bwSingle = silverman(table.single);
    const bwX = silverman(table.pairs.map((p) => p[0]));
    const bwM = silverman(table.pairs.map((p) => p[1]));
    for (let i = 0; i < simulations; i++) {
      if (flows.length === 1) {
        const e = table.single[rng.int(table.single.length)]! + bwSingle * rng.normal();
        flowTotals[0]![i] = actualsF[0]! + points[0]! * (1 + e);
      } else {
        const pair = table.pairs[rng.int(table.pairs.length)]!;
        const ex = pair[0] + bwX * rng.normal();
        const em = pair[1] + bwM * rng.normal();
        flowTotals[0]![i] = actualsF[0]! + points[0]! * (1 + ex);
        flowTotals[1]![i] = actualsF[1]! + points[1]! * (1 + em);
      }
    }
  }
  const totals = new Float64Array(simulations);
  flowTotals.forEach((ft, j) => {
    for (let i = 0; i < simulations; i++) totals[i] = totals[i]! + sign(j) * ft[i]!;
  });
  const sorted = Float64Array.from(totals).sort();
  const distribution = describeDraws(sorted, levels);
  if (flows.length > 1)
    flowTotals.forEach((ft, j) => {
      flowsOut[j]!.distribution = describeDraws(Float64Array.from(ft).sort(), levels);
    });
  const vintages = series.flatMap((s) => s.provenance.vintages);
  return {
    spec: { ...spec, levels, simulations, seed },
    year: spec.year,
    measure: spec.measure,
    currency: series[0]!.currency,
    through: last,
    monthsActual: k,
    monthsSimulated: rest,
    actual: fixedText(actualFixed),
    flows: flowsOut,
    distribution,
    ...(spec.above !== undefined
      ? { probabilityAbove: { threshold: spec.above, p: sorted.filter((v) => v > spec.above!).length / simulations } }
      : {}),
    method,
    simulations,
    seed,
    warnings,
    provenance: {
      datasets: [...new Set(series.map((s) => s.dataset))],
      vintages: vintages.filter(
        (v, i) => vintages.findIndex((w) => w.vintage === v.vintage && w.files.join() === v.files.join()) === i,
      ),
      historyQueries: series.flatMap((s) => s.provenance.queries),
      ...(series[0]!.provenance.datasetChoice ? { datasetChoice: series[0]!.provenance.datasetChoice } : {}),
      ...(calibration ? { calibration } : {}),
    },
  };
}

/** Median, mean and central intervals of sorted draws. */
function describeDraws(sorted: Float64Array, levels: readonly number[]): Distribution {
  return {
    median: quantileSorted(sorted, 0.5),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    intervals: levels.map((level) => ({
      level,
      lower: quantileSorted(sorted, 0.5 - level / 200),
      upper: quantileSorted(sorted, 0.5 + level / 200),
    })),
  };
}

function fail(message: string): never {
  throw new UserError(message);
}

/** Silverman's rule-of-thumb bandwidth for the smoothed bootstrap. */
function silverman(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return 1.06 * sd * n ** -0.2;
}

/** The source's year-to-date figure through `last` (published cumulative where the dataset has one). */
async function publishedYtd(
  store: TradeStore,
  spec: ProjectionSpec,
  flow: 'X' | 'M',
  dataset: string,
  last: string,
): Promise<Fixed | undefined> {
  const r = await query(store, {
    reporter: spec.reporter,
    ...(spec.partner ? { partner: spec.partner } : {}),
    ...(spec.product ? { product: spec.product } : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.currency ? { currency: spec.currency } : {}),
    flow: [flow],
    period: `ytd:${last}`,
    measures: ['value'],
    dataset,
  });
  const v = r.rows[0]?.value;
  return v === null || v === undefined ? undefined : toFixed(String(v));
}
