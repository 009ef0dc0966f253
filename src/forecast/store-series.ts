/**
 * A monthly series from the store, read through the query model (`query()`), for forecasting.
 *
 * Exports or imports come from one dataset's monthly cells; a balance (X − M) or total (X + M) is derived
 * month by month in exact decimals. When several datasets describe the cells and none is named, the one that
 * is not seasonally adjusted and reaches furthest is used, and the choice is reported.
 *
 * @example
 * const s = await storeSeries(store, { reporter: 'CHN', measure: 'value', flow: 'X' });
 * s.months;  // ['2024-01', …, '2025-06']
 * s.values;  // [2186228340000, …]   (floats for the models)
 * s.exact;   // ['2186228340000', …] (exact decimal strings, source scale)
 */
import { type Fixed, fixedText, toFixed } from '../model/decimal.js';
import { addMonths, formatMonth, type MonthId, parsePeriod } from '../model/period.js';
import type { QueryResult } from '../query/engine.js';
import { query } from '../query/engine.js';
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';
import type { ForecastWarning } from './types.js';

export type SeriesMeasure = 'value' | 'balance' | 'total';

export interface StoreSeriesSpec {
  reporter: string;
  partner?: string;
  product?: string;
  region?: string;
  /** Needed for measure `value`. */
  flow?: 'X' | 'M';
  measure?: SeriesMeasure;
  /** Last month to read, `YYYY-MM` (default: the dataset's last month). */
  through?: string;
  /** First month to read (default: the dataset's first month). */
  from?: string;
  currency?: string;
  dataset?: string;
}

export interface StoreSeries {
  months: string[];
  values: number[];
  /** The same values as exact decimal strings in `currency`, units (not 万元). */
  exact: string[];
  currency: string;
  dataset: string;
  /** What was read: the query specs, vintages and notes of the query model. */
  provenance: {
    dataset: string;
    datasetChoice?: string;
    vintages: { vintage: string; source: string; files: string[] }[];
    queries: QueryResult['spec'][];
    notes: string[];
  };
  warnings: ForecastWarning[];
}

const MONTH_RE = /^\d{4}-\d{2}$/;

/** Reads a monthly series; a {@link UserError} says what is missing and what to try. */
export async function storeSeries(store: TradeStore, spec: StoreSeriesSpec): Promise<StoreSeries> {
  const measure = spec.measure ?? 'value';
  if (!['value', 'balance', 'total'].includes(measure))
    throw new UserError(`measure: ${measure} (use value, balance or total)`);
  if (measure === 'value' && !spec.flow)
    throw new UserError('flow: needed for measure value (X for exports, M for imports)');
  if (spec.flow && !['X', 'M'].includes(spec.flow)) throw new UserError(`flow: ${spec.flow} (use X or M)`);
  for (const [k, v] of [
    ['through', spec.through],
    ['from', spec.from],
  ] as const)
    if (v !== undefined && !MONTH_RE.test(v)) throw new UserError(`${k}: ${v} (a month such as 2025-06)`);
  const flows: ('X' | 'M')[] = measure === 'value' ? [spec.flow!] : ['X', 'M'];
  const candidates = await candidateDatasets(store, spec, flows);
  const tried: string[] = [];
  for (const c of candidates) {
    const got = await readFlows(store, spec, flows, c).catch((e: unknown) => {
      if (spec.dataset) throw e;
      return undefined;
    });
    tried.push(c.dataset);
    if (!got || [...got.byFlow.values()].some((m) => m.size === 0)) continue;
    const choice =
      candidates.length > 1
        ? `${c.dataset} chosen among ${candidates.map((d) => d.dataset).join(', ')} (product totals, not seasonally adjusted, latest months first); name another with --dataset`
        : undefined;
    return assemble(spec, measure, flows, c.dataset, got, choice);
  }
  throw new UserError(
    `no dataset with a monthly series for ${describe(spec, measure)}${tried.length ? ` (tried ${tried.join(', ')})` : ''}; see \`tradescope datasets\` and name one with --dataset`,
  );
}

interface FlowRead {
  period: ReturnType<typeof parsePeriod>;
  byFlow: Map<string, Map<string, Fixed>>;
  results: QueryResult[];
  warnings: ForecastWarning[];
  currency: string;
}

async function readFlows(
  store: TradeStore,
  spec: StoreSeriesSpec,
  flows: readonly ('X' | 'M')[],
  c: { dataset: string; first: string; last: string },
): Promise<FlowRead> {
  const dataset = c.dataset;
  const from = spec.from && spec.from > c.first ? spec.from : c.first;
  const to = spec.through && spec.through < c.last ? spec.through : c.last;
  if (to < from) throw new UserError(`no months between ${from} and ${to} in dataset ${dataset}`);
  const period = parsePeriod(`${from}..${to}`, 'period');
  const byFlow = new Map<string, Map<string, Fixed>>();
  const results: QueryResult[] = [];
  const warnings: ForecastWarning[] = [];
  let currency = '';
  for (const flow of flows) {
    const r = await query(store, {
      reporter: spec.reporter,
      ...(spec.partner ? { partner: spec.partner } : {}),
      ...(spec.product ? { product: spec.product } : {}),
      ...(spec.region ? { region: spec.region } : {}),
      ...(spec.currency ? { currency: spec.currency } : {}),
      flow: [flow],
      period: period.label,
      by: ['month'],
      measures: ['value'],
      dataset,
    });
    results.push(r);
    currency = r.provenance.currency;
    const m = new Map<string, Fixed>();
    for (const row of r.rows) {
      const p = String(row.period);
      const v = row.value;
      if (v === null || v === undefined) continue;
      const fx = toFixed(String(v));
      if (/^\d{4}-01\+02$/.test(p)) {
        // published combined: split evenly so the months add up to the published total
        const y = p.slice(0, 4);
        m.set(`${y}-01`, fx / 2n);
        m.set(`${y}-02`, fx - fx / 2n);
        warnings.push({
          code: 'lunar-new-year',
          message: `${p} is published as January and February combined; the months carry half each`,
        });
      } else if (MONTH_RE.test(p)) m.set(p, fx);
    }
    byFlow.set(flow, m);
  }
  return { period, byFlow, results, warnings, currency };
}

function assemble(
  spec: StoreSeriesSpec,
  measure: SeriesMeasure,
  flows: readonly ('X' | 'M')[],
  dataset: string,
  read: FlowRead,
  choice: string | undefined,
): StoreSeries {
  const { period, byFlow, results, warnings, currency } = read;
  const months: string[] = [];
  for (let mo = period.start; mo <= period.end; mo = addMonths(mo, 1) as MonthId) months.push(formatMonth(mo));
  // trim months missing at either end (a flow may start later), refuse gaps inside
  const present = (mo: string): boolean => flows.every((f) => byFlow.get(f)!.has(mo));
  let a = 0;
  let b = months.length - 1;
  while (a <= b && !present(months[a]!)) a++;
  while (b >= a && !present(months[b]!)) b--;
  const kept = months.slice(a, b + 1);
  const gaps = kept.filter((mo) => !present(mo));
  if (kept.length === 0)
    throw new UserError(
      `no monthly values for ${describe(spec, measure)} in dataset ${dataset} (${period.label}); check the reporter, partner and flow with \`tradescope datasets\``,
    );
  if (gaps.length > 0)
    throw new UserError(
      `${describe(spec, measure)}: months missing inside the series: ${gaps.slice(0, 6).join(', ')}${gaps.length > 6 ? ' …' : ''} (forecasts need a gap-free monthly series; give --from after the gap)`,
    );
  const exactFixed = kept.map((mo) => {
    const x = byFlow.get('X')?.get(mo);
    const mm = byFlow.get('M')?.get(mo);
    if (measure === 'value') return byFlow.get(spec.flow!)!.get(mo)!;
    return measure === 'balance' ? x! - mm! : x! + mm!;
  });
  const exact = exactFixed.map(fixedText);
  const vintages = results.flatMap((r) => r.provenance.vintages ?? []);
  return {
    months: kept,
    values: exact.map(Number),
    exact,
    currency,
    dataset,
    provenance: {
      dataset,
      ...(choice ? { datasetChoice: choice } : {}),
      vintages: vintages.filter(
        (v, i) => vintages.findIndex((w) => w.vintage === v.vintage && w.files.join() === v.files.join()) === i,
      ),
      queries: results.map((r) => r.spec),
      notes: results.flatMap((r) => r.notes.map((n) => n.message)),
    },
    warnings,
  };
}

function describe(spec: StoreSeriesSpec, measure: SeriesMeasure): string {
  const what = measure === 'value' ? (spec.flow === 'X' ? 'exports' : 'imports') : measure;
  return `${spec.reporter}${spec.partner ? `→${spec.partner}` : ''} ${what}`;
}

/** The datasets to try, in order: the named one, else those covering the reporter and flows — product totals
 * first (unless a product is asked for), unadjusted before seasonally adjusted, latest months first. */
async function candidateDatasets(
  store: TradeStore,
  spec: StoreSeriesSpec,
  flows: readonly string[],
): Promise<{ dataset: string; first: string; last: string }[]> {
  const all = await store.datasets();
  if (spec.dataset) {
    const d = all.find((x) => x.dataset === spec.dataset);
    if (!d) throw new UserError(`unknown dataset: ${spec.dataset} (see \`tradescope datasets\`)`);
    if (!d.firstPeriod || !d.lastPeriod) throw new UserError(`dataset ${spec.dataset} has no periods`);
    return [{ dataset: d.dataset, first: d.firstPeriod.slice(0, 7), last: d.lastPeriod.slice(0, 7) }];
  }
  const reporter = spec.reporter.toUpperCase();
  const rank = (d: (typeof all)[number]): number =>
    (spec.product || d.classifications.includes('TOTAL') ? 0 : 2) + (d.seasonallyAdjusted ? 1 : 0);
  return all
    .filter((d) => d.firstPeriod && d.lastPeriod && flows.every((f) => d.flows.includes(f)))
    .filter((d) => d.reporters.some((r) => r.toUpperCase() === reporter))
    .sort((a, b) => rank(a) - rank(b) || (b.lastPeriod! < a.lastPeriod! ? -1 : b.lastPeriod! > a.lastPeriod! ? 1 : 0))
    .map((d) => ({ dataset: d.dataset, first: d.firstPeriod!.slice(0, 7), last: d.lastPeriod!.slice(0, 7) }));
}
