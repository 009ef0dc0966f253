/**
 * The forecast as a measure of the query model: a stored monthly series (exports, imports, balance or total
 * of a reporter, optionally by partner, product or region), its forecast with intervals, the model chosen and
 * the alternatives, warnings and provenance. The HTTP server, the dashboard's fan chart and the briefs call it.
 *
 * A balance or total is derived from the exports and imports forecasts (the balance study in
 * docs/backtests.md: the derived intervals were calibrated where the direct ones were too narrow), summing
 * simulated paths of the two flows for its intervals.
 *
 * @example
 * const f = await forecastQuery(store, { reporter: 'USA', partner: 'CHN', flow: 'M', horizon: 12 });
 * f.model.name;         // 'combination of ETS(M,A,A) and Theta'
 * f.forecast.months[0]; // '2026-01'
 */
import { addMonths, formatMonth, type MonthId, monthId } from '../model/period.js';
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';
import { type ForecastMethod, type ForecastOutput, forecast, pathIntervals } from './forecast.js';
import { samplePaths } from './paths.js';
import { type SeriesMeasure, type StoreSeries, storeSeries } from './store-series.js';
import type { ForecastWarning, PredictionInterval } from './types.js';

export interface ForecastQuerySpec {
  reporter: string;
  partner?: string;
  product?: string;
  region?: string;
  flow?: 'X' | 'M';
  measure?: SeriesMeasure;
  /** Last month of history to use, `YYYY-MM` (default: the latest published). */
  through?: string;
  horizon?: number;
  levels?: number[];
  currency?: string;
  dataset?: string;
  method?: ForecastMethod;
  seed?: number;
  /** Lunar New Year handling (see `forecast`); default separate. */
  janFeb?: 'separate' | 'combined';
}

export interface ForecastResult {
  spec: ForecastQuerySpec;
  currency: string;
  history: { months: string[]; values: number[]; exact: string[] };
  forecast: { months: string[]; point: number[]; intervals: PredictionInterval[] };
  model: ForecastOutput['model'] & {
    method: ForecastOutput['method'];
    flows?: Record<string, ForecastOutput['model']>;
  };
  alternatives: ForecastOutput['alternatives'];
  warnings: ForecastWarning[];
  provenance: {
    datasets: string[];
    vintages: { vintage: string; source: string; files: string[] }[];
    /** The query-model specs that read the history. */
    historyQueries: unknown[];
    datasetChoice?: string;
    notes: string[];
  };
}

/** Forecasts a stored monthly series. Errors in the spec are {@link UserError}s naming the field. */
export async function forecastQuery(store: TradeStore, spec: ForecastQuerySpec): Promise<ForecastResult> {
  const measure = spec.measure ?? 'value';
  const horizon = spec.horizon ?? 12;
  const levels = spec.levels ?? [80, 95];
  const base = {
    reporter: spec.reporter,
    ...(spec.partner ? { partner: spec.partner } : {}),
    ...(spec.product ? { product: spec.product } : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.currency ? { currency: spec.currency } : {}),
    ...(spec.dataset ? { dataset: spec.dataset } : {}),
    ...(spec.through ? { through: spec.through } : {}),
  };
  const baseOpts = {
    period: 12,
    horizon,
    levels,
    ...(spec.method ? { method: spec.method } : {}),
    seed: spec.seed ?? 1,
  };
  const withMonth = (s: StoreSeries) => ({
    ...baseOpts,
    start: s.months[0]!,
    ...(spec.janFeb ? { janFeb: spec.janFeb, firstMonth: Number(s.months[0]!.slice(5, 7)) } : {}),
  });
  let history: StoreSeries;
  let out: ForecastOutput;
  let flowsModel: Record<string, ForecastOutput['model']> | undefined;
  const read: StoreSeries[] = [];
  if (measure === 'value') {
    if (!spec.flow) throw new UserError('flow: needed for measure value (X for exports, M for imports)');
    history = await storeSeries(store, { ...base, flow: spec.flow, measure: 'value' });
    read.push(history);
    out = forecast(history.values, withMonth(history));
  } else {
    history = await storeSeries(store, { ...base, measure });
    const x = await storeSeries(store, {
      ...base,
      flow: 'X',
      measure: 'value',
      dataset: history.dataset,
      from: history.months[0]!,
      through: history.months[history.months.length - 1]!,
    });
    const m = await storeSeries(store, {
      ...base,
      flow: 'M',
      measure: 'value',
      dataset: history.dataset,
      from: history.months[0]!,
      through: history.months[history.months.length - 1]!,
    });
    read.push(x, m);
    const fx = forecast(x.values, withMonth(x));
    const fm = forecast(m.values, withMonth(m));
    const sign = measure === 'balance' ? -1 : 1;
    const point = fx.point.map((v, i) => v + sign * fm.point[i]!);
    let intervals: PredictionInterval[];
    if (x.values.length >= 36) {
      const count = 2000;
      const px = samplePaths(x.values, { period: 12, horizon, count, seed: baseOpts.seed });
      const pm = samplePaths(m.values, { period: 12, horizon, count, seed: baseOpts.seed + 1 });
      const paths = px.paths.map((p, i) => p.map((v, h) => v + sign * pm.paths[i]![h]!));
      intervals = pathIntervals(paths, horizon, levels);
    } else {
      // independent flows: half-widths add in quadrature around the derived point
      intervals = levels.map((level, j) => {
        const ix = fx.intervals[j]!;
        const im = fm.intervals[j]!;
        const lower: number[] = [];
        const upper: number[] = [];
        for (let i = 0; i < horizon; i++) {
          const lo = Math.hypot(
            fx.point[i]! - ix.lower[i]!,
            sign < 0 ? im.upper[i]! - fm.point[i]! : fm.point[i]! - im.lower[i]!,
          );
          const hi = Math.hypot(
            ix.upper[i]! - fx.point[i]!,
            sign < 0 ? fm.point[i]! - im.lower[i]! : im.upper[i]! - fm.point[i]!,
          );
          lower.push(point[i]! - lo);
          upper.push(point[i]! + hi);
        }
        return { level, lower, upper };
      });
    }
    flowsModel = { exports: fx.model, imports: fm.model };
    out = {
      method: fx.method,
      model: {
        name: `exports ${fx.model.name} ${sign < 0 ? '−' : '+'} imports ${fm.model.name}`,
        params: {},
        intervalMethod: x.values.length >= 36 ? 'simulation' : fx.model.intervalMethod,
      },
      point,
      intervals,
      alternatives: fx.alternatives,
      warnings: [...fx.warnings, ...fm.warnings.filter((w) => !fx.warnings.some((v) => v.message === w.message))],
      n: x.values.length,
    };
  }
  const lastMonth = history.months[history.months.length - 1]!;
  const start = monthId(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)));
  const months = Array.from({ length: horizon }, (_, i) => formatMonth(addMonths(start, i + 1) as MonthId));
  const all = [history, ...read];
  const vintages = all.flatMap((s) => s.provenance.vintages);
  const warnings = [...history.warnings, ...out.warnings];
  if (history.provenance.datasetChoice)
    warnings.push({ code: 'dataset-choice', message: history.provenance.datasetChoice });
  return {
    spec: { ...spec, measure, horizon, levels },
    currency: history.currency,
    history: { months: history.months, values: history.values, exact: history.exact },
    forecast: { months, point: out.point, intervals: out.intervals },
    model: { ...out.model, method: out.method, ...(flowsModel ? { flows: flowsModel } : {}) },
    alternatives: out.alternatives,
    warnings,
    provenance: {
      datasets: [...new Set(all.map((s) => s.dataset))],
      vintages: vintages.filter(
        (v, i) => vintages.findIndex((w) => w.vintage === v.vintage && w.files.join() === v.files.join()) === i,
      ),
      historyQueries: all.flatMap((s) => s.provenance.queries),
      ...(history.provenance.datasetChoice ? { datasetChoice: history.provenance.datasetChoice } : {}),
      notes: [...new Set(all.flatMap((s) => s.provenance.notes))],
    },
  };
}
