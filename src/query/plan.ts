/**
 * The plan of a query, as a value: decided from the spec and the {@link Catalog} alone, with no store, so that it
 * can be shown (`tradescope query --explain`) and tested by itself. It says which dataset answers and why, how the
 * partner and product are read (a World row or the partner countries summed, a group's published total or its
 * members over time, one level per code path and what the dataset holds of the product), the windows read (the
 * period or its sub-periods, their comparison windows, the year to date, the revised base, the years of a range,
 * the months for a currency conversion), the conversion asked and every caveat known before a value is read.
 * {@link evaluate} runs it.
 */
import { editionOf } from '../classify/hs-nomenclature.js';
import { aggregateAreaCodes } from '../model/areas.js';
import {
  addMonths,
  formatMonth,
  monthOf,
  monthsOf,
  type Period,
  shiftYears,
  yearOf,
  yearPeriod,
  ytdPeriod,
} from '../model/period.js';
import type { AggregateDimension, AggregateRequest, CellFilter } from '../store/store.js';
import type { Problem } from '../util/errors.js';
import type { Catalog, DatasetFacts } from './catalog.js';
import { DEFAULT_FX_SERIES } from './currency.js';
import { pickDataset } from './dataset-choice.js';
import { chooseLevels, type ProductCoverage } from './product-levels.js';
import type { Resolved } from './resolve.js';
import type { AnsweredSpec, Window } from './result.js';
import { comparisonWindow, PERIOD_DIMS, PRODUCT_DIGITS, splitPeriod } from './windows.js';

export interface QueryPlan {
  /** What is asked: the spec as answered (with its period), and its codes resolved. */
  spec: AnsweredSpec;
  resolved: Resolved;
  period: Period;
  /** The measure path: the cube's measures, the mirror of two reporters, or a forecast. */
  kind: 'cube' | 'mirror' | 'forecast';
  dataset: string;
  datasetNote: string | null;
  /** Why this dataset: named, the only one holding the cells, or the declared precedence. */
  datasetReason: string;
  facts: DatasetFacts | null;
  /** How the partner is read. */
  partnerRead: 'world' | 'members of the drilldown' | 'sum of partner countries' | 'as asked';
  /** The one aggregate request that reads every window (values bound by the store). */
  request: AggregateRequest;
  groupBy: AggregateDimension[];
  windows: Window[];
  /** The period's windows (the rows of the answer), and for each its comparison, YTD, revised and year parts. */
  mains: Period[];
  compareOf: Map<string, string>;
  ytdOf: Map<string, { id: string; compare: string | null }>;
  revisedOf: Map<string, [string, string | null]>;
  yearParts: Map<string, string[]>;
  /** The display currency asked and the rate series, converted month by month. */
  fx: { to: string; series: string } | null;
  productCoverage?: ProductCoverage[];
  seasonallyAdjusted: boolean;
  /** Caveats known before any value is read. */
  notes: Problem[];
  /** The table the store will answer from (set by `planFor`, which asks the store; absent in a pure plan). */
  answeredBy?: string;
}

/** Plans a resolved spec against what the catalog says of the store. Pure: no store. */
export function planQuery(r: Resolved, catalog: Catalog): QueryPlan {
  const { spec } = r;
  const period = catalog.period;
  const notes: Problem[] = catalog.periodNote ? [catalog.periodNote] : [];
  const answered: AnsweredSpec = { ...spec, period: period.label };
  const kind =
    spec.measures.length === 1 && spec.measures[0] === 'mirror'
      ? 'mirror'
      : spec.measures.includes('forecast')
        ? 'forecast'
        : 'cube';
  const fx = spec.currency ? { to: spec.currency.toUpperCase(), series: spec.fxSeries ?? DEFAULT_FX_SERIES } : null;
  const empty = { filter: {}, groupBy: [] as AggregateDimension[], windows: [] };
  if (kind !== 'cube') {
    return {
      spec: answered,
      resolved: r,
      period,
      kind,
      dataset: spec.dataset ?? '',
      datasetNote: null,
      datasetReason: kind === 'mirror' ? 'each side chooses its own dataset' : 'the series reader chooses the dataset',
      facts: null,
      partnerRead: 'as asked',
      request: empty,
      groupBy: [],
      windows: [],
      mains: [period],
      compareOf: new Map(),
      ytdOf: new Map(),
      revisedOf: new Map(),
      yearParts: new Map(),
      fx,
      seasonallyAdjusted: false,
      notes,
    };
  }
  const { dataset, datasetNote } = pickDataset(spec.dataset, catalog.covering, catalog.precedence, () => r.what);
  const facts = catalog.datasets[dataset]!;
  const datasetReason = spec.dataset
    ? 'named (--dataset)'
    : catalog.covering.length === 1
      ? 'the only dataset holding these cells'
      : (datasetNote ?? 'declared precedence');
  // a seasonally adjusted series is not the published figure: said in every answer from it
  if (facts.seasonallyAdjusted) notes.push(seasonalAdjustmentNote(dataset));

  const { byPartner, productDim, partner: partnerSel, product: productSel } = r;
  const filter: CellFilter = { ...r.cuts };
  const wholeReporter = !byPartner && !spec.partner;
  const sumCountries = wholeReporter && (catalog.search === 'any-partner' || !facts.hasWorld);
  let partnerRead: QueryPlan['partnerRead'] = byPartner && !spec.partner ? 'members of the drilldown' : 'as asked';
  if (sumCountries) {
    partnerRead = 'sum of partner countries';
    filter.excludePartners = aggregateAreaCodes();
    notes.push({
      code: 'sum-of-partners',
      severity: 'info',
      message: `${dataset} has no World row: values are the sum of its partner countries (published aggregates left out)`,
      params: { dataset },
    });
  } else if (!(byPartner && !spec.partner)) {
    if (wholeReporter) partnerRead = 'world';
    Object.assign(filter, partnerSel.filterWith(facts.hasGroupTotal, period, notes));
  }
  if (!(productDim && productSel.total)) Object.assign(filter, productSel.filterFor(facts.classifications, notes));
  if (productSel.total && !productDim && !facts.hasTotals) {
    // a dataset without all-product totals (e.g. a product extract): the sum of its products
    delete filter.products;
    filter.productPrefixes = [''];
    notes.push({
      code: 'no-totals',
      severity: 'info',
      message: `${dataset} has no all-product totals: values are the sum of its products`,
      params: { dataset },
    });
  }
  // one level per code path, and what the dataset holds of the product asked
  let productCoverage: ProductCoverage[] | undefined;
  if (filter.productPrefixes?.length) {
    const editions = facts.classifications.map((c) => editionOf(c)).filter((e) => e !== undefined);
    const choice = chooseLevels({
      asked: filter.productPrefixes,
      held: facts.productCodes,
      basket: productSel.kind === 'basket',
      edition: new Set(editions).size === 1 ? editions[0] : undefined,
      label: productSel.total ? 'all products' : productSel.label,
    });
    delete filter.productPrefixes;
    Object.assign(filter, choice.filter);
    notes.push(...choice.notes);
    // what was read of a product asked (the sum of every product of a dataset without totals says it in a note)
    if (!productSel.total) productCoverage = choice.coverage;
  }
  filter.datasets = [dataset];

  // windows: the period or its sub-periods, and what they are compared with
  const periodDim = spec.by.find((d) => PERIOD_DIMS.has(d));
  const mains = splitPeriod(period, periodDim);
  const windows: Window[] = [];
  const compareOf = new Map<string, string>();
  for (const [i, p] of mains.entries()) {
    const id = `w${i}`;
    windows.push({ id, period: p });
    if (spec.compare || spec.measures.includes('contribution')) {
      const c = comparisonWindow(p, spec.compare ?? 'yoy');
      const cid = `${id}c`;
      windows.push({ id: cid, period: c });
      compareOf.set(id, cid);
    }
  }
  // the year to date through each month (measure ytd, with a monthly drilldown), and the same a year before
  const ytdOf = new Map<string, { id: string; compare: string | null }>();
  if (spec.measures.includes('ytd')) {
    for (const w of windows.filter((x) => mains.includes(x.period) && x.period.start === x.period.end)) {
      const ytd = ytdPeriod(w.period.end);
      windows.push({ id: `${w.id}y`, period: ytd });
      windows.push({ id: `${w.id}yc`, period: shiftYears(ytd, -1) });
      ytdOf.set(w.id, { id: `${w.id}y`, compare: `${w.id}yc` });
    }
  }
  // revised monthly base: the cumulative figures through the month and the month before
  const revisedOf = new Map<string, [string, string | null]>();
  if (spec.base === 'revised') {
    for (const w of [...windows]) {
      if (w.period.start !== w.period.end) continue;
      const cur = `${w.id}r`;
      windows.push({ id: cur, period: ytdPeriod(w.period.end) });
      let prev: string | null = null;
      if (monthOf(w.period.end) > 1) {
        prev = `${w.id}rp`;
        windows.push({ id: prev, period: ytdPeriod(addMonths(w.period.end, -1)) });
      }
      revisedOf.set(w.id, [cur, prev]);
    }
  }

  // a window of several whole years is also read year by year: annual data answer it with the sum of its years
  const yearParts = new Map<string, string[]>();
  for (const w of [...windows]) {
    const { start, end } = w.period;
    if (monthOf(start) !== 1 || monthOf(end) !== 12 || yearOf(end) === yearOf(start)) continue;
    const parts: string[] = [];
    for (let y = yearOf(start); y <= yearOf(end); y++) {
      const id = `${w.id}:${y}`;
      windows.push({ id, period: yearPeriod(y) });
      parts.push(id);
    }
    yearParts.set(w.id, parts);
  }

  const groupBy: AggregateDimension[] = ['flow'];
  if (byPartner) groupBy.push('partner');
  if (productDim) groupBy.push('product');
  if (spec.by.includes('region')) groupBy.push('region');
  // currency: every window is also read month by month, each month converted at its own rate
  const monthWindows: { id: string; start: number; end: number }[] = [];
  if (spec.currency) {
    for (const w of windows) {
      for (const m of monthsOf(w.period)) monthWindows.push({ id: `${w.id}~${m}`, start: m, end: m });
    }
  }
  const aggWindows = [...windows.map((w) => ({ id: w.id, start: w.period.start, end: w.period.end })), ...monthWindows];
  const request: AggregateRequest = {
    filter,
    groupBy,
    ...(productDim ? { productDigits: PRODUCT_DIGITS[productDim]! } : {}),
    windows: aggWindows,
    coverageByFlow: groupBy.length > 1,
  };
  return {
    spec: answered,
    resolved: r,
    period,
    kind,
    dataset,
    datasetNote,
    datasetReason,
    facts,
    partnerRead,
    request,
    groupBy,
    windows,
    mains,
    compareOf,
    ytdOf,
    revisedOf,
    yearParts,
    fx,
    ...(productCoverage ? { productCoverage } : {}),
    seasonallyAdjusted: facts.seasonallyAdjusted,
    notes,
  };
}

/** The caveat on every answer from a seasonally adjusted dataset. */
export function seasonalAdjustmentNote(dataset: string): Problem {
  return {
    code: 'seasonally-adjusted',
    severity: 'warning',
    message: `${dataset} is seasonally adjusted: its values are not the figures as published (unadjusted), so they are not comparable with unadjusted data, a published year to date or a published growth rate`,
    params: { dataset },
  };
}

/** The plan as plain data, for `--explain` and the API: what is read, from where, and why. */
export function explainPlan(p: QueryPlan): Record<string, unknown> {
  const label = new Map(p.windows.map((w) => [w.id, w.period.label]));
  const f = p.request.filter;
  return {
    spec: p.spec,
    measurePath: p.kind,
    dataset: p.dataset,
    datasetReason: p.datasetReason,
    ...(p.facts
      ? {
          releases: p.facts.vintages.map((v) => `${v.vintage} (${v.vintageSource})`),
          classifications: p.facts.classifications,
          seasonallyAdjusted: p.facts.seasonallyAdjusted,
        }
      : {}),
    partner: {
      read: p.partnerRead,
      ...(f.partners?.length ? { codes: f.partners } : {}),
      ...(f.partnerIntervals ? { members: f.partnerIntervals.length } : {}),
      ...(f.excludePartners ? { leftOut: 'published aggregates (World, groups)' } : {}),
    },
    product: f.products ? { codes: f.products } : f.productPrefixes ? { under: f.productPrefixes } : { all: true },
    ...(p.productCoverage ? { productCoverage: p.productCoverage } : {}),
    groupBy: p.groupBy,
    windows: p.mains.map((m) => {
      const w = p.windows.find((x) => x.period === m);
      const id = w?.id ?? '';
      return {
        period: m.label,
        months: `${formatMonth(m.start)}..${formatMonth(m.end)}`,
        ...(p.compareOf.has(id) ? { compare: label.get(p.compareOf.get(id)!) } : {}),
        ...(p.ytdOf.has(id) ? { ytd: label.get(p.ytdOf.get(id)!.id) } : {}),
        ...(p.revisedOf.has(id) ? { revised: 'YTD(m) − YTD(m−1)' } : {}),
        ...(p.yearParts.has(id) ? { years: p.yearParts.get(id)!.map((y) => label.get(y)) } : {}),
      };
    }),
    windowsRead: p.request.windows.length,
    ...(p.fx ? { currency: `converted to ${p.fx.to} month by month with ${p.fx.series}` } : {}),
    answeredBy: p.answeredBy ?? 'the store: a rollup where one holds the cells asked, else the base cells',
    caveats: p.notes.map((n) => `${n.code}: ${n.message}`),
  };
}
