/**
 * The query engine: a validated {@link QuerySpec} is planned as a few aggregate requests (the windows asked,
 * their comparison windows, the whole for shares), which the store answers in SQL with its own dialect (values
 * bound, never pasted); the measures are then computed over those small aggregated series in exact decimals.
 *
 * A window's value follows the foundation's rules: a published cumulative figure for exactly the window, else
 * a value published for exactly the window, else the sum of its months when every month is there.
 * Monthly YoY uses the month as first published by default (`base: first-published`); `base: revised` derives
 * each month from the cumulative figures (YTD(m) − YTD(m−1)). Every result says which base it used.
 */
import { concentration } from '../analytics/concentration.js';
import { contributions } from '../analytics/contribution.js';
import { mirror } from '../analytics/mirror.js';
import { rca } from '../analytics/rca.js';
import { highestSince, lowestSince, runs, type SeriesPoint, seriesProblems } from '../analytics/records.js';
import { type QuantityRow, unitValues } from '../analytics/unit-values.js';
import { editionOf } from '../classify/hs-nomenclature.js';
import { aggregateAreaCodes, resolveArea } from '../model/areas.js';
import {
  type Fixed,
  fixedText,
  growthPercent,
  mulDivRound,
  percentOf,
  ratioToPercent,
  toFixed,
} from '../model/decimal.js';
import {
  addMonths,
  formatMonth,
  type MonthId,
  monthCount,
  monthOf,
  monthPeriod,
  monthsOf,
  type Period,
  parsePeriod,
  quarterPeriod,
  rangePeriod,
  shiftYears,
  yearOf,
  yearPeriod,
  ytdPeriod,
} from '../model/period.js';
import { regionByCode, resolveRegion } from '../model/regions.js';
import type { AggregateDimension, AggregateRow, CellFilter, TradeStore } from '../store/store.js';
import { type Problem, UserError } from '../util/errors.js';
import { type ConversionContext, converterFor, type FxDescription } from './currency.js';
import { chooseDataset } from './dataset-choice.js';
import { chooseLevels, type ProductCoverage } from './product-levels.js';
import { selectPartner, selectProduct } from './selection.js';
import { type QuerySpec, type QuerySpecInput, validateSpec } from './spec.js';

export type Cell = string | number | null;

/** A spec as answered: its period is the one asked, or the latest in the data when none was. */
export type AnsweredSpec = QuerySpec & { period: string };

export interface QueryResult {
  spec: AnsweredSpec;
  provenance: {
    dataset: string;
    datasetNote: string | null;
    currency: string;
    sourceCurrency: string;
    fx?: FxDescription;
    base: QuerySpec['base'];
    /** The tables that answered: `fact_cells` (the base cells) or a rollup. */
    answeredBy?: string[];
    /** The dataset's releases read (the latest value of each cell among them, or up to `asOf`). */
    vintages?: { vintage: string; source: string; files: string[] }[];
    /** Flags of the dataset's values (reported, estimated, converted …). */
    flags?: string[];
    conversions?: string[];
    windows: { id: string; period: string; start: string; end: string }[];
    aggregateRows: number;
    /** True when the dataset's values are seasonally adjusted (not the figures as published). */
    seasonallyAdjusted?: boolean;
    /** For a product asked: the codes read for it (one level per code path) and what the dataset holds of it. */
    productCoverage?: ProductCoverage[];
    /** For the forecast measure: the model chosen, the alternatives considered and the months of history. */
    forecast?: { model: unknown; alternatives: unknown; history: number };
  };
  columns: string[];
  rows: Record<string, Cell>[];
  notes: Problem[];
}

interface Window {
  id: string;
  period: Period;
}

/**
 * How a window's value was found: a published cumulative figure for exactly the window, a value published for
 * exactly it, the sum of its months (or of its whole years, for annual data); `derived` for balances, totals and remainders; `revised` for a month on the
 * revised base; `no trade` for a member without cells in a window the selection covers; `mixed` when the members
 * summed were found in different ways.
 */
export type Basis =
  | 'published cumulative'
  | 'published for the period'
  | 'sum of months'
  | 'sum of years'
  | 'derived'
  | 'revised'
  | 'no trade'
  | 'missing'
  | 'mixed';

/** One line of a drilldown in one window and flow: its value there, and in any other window. */
interface Line {
  key: string;
  cur: Fixed | null;
  prev: Fixed | null;
  at: (windowId: string) => Fixed | null;
  /** A member of the drilldown (not a remainder). */
  member: boolean;
}

const PERIOD_DIMS = new Set(['month', 'quarter', 'year']);
const PRODUCT_DIGITS: Record<string, number> = { product: 6, hs2: 2, hs4: 4, hs6: 6 };

/**
 * Runs a query spec against a store.
 * @example await query(store, { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 })
 */
export async function query(store: TradeStore, input: QuerySpecInput | unknown): Promise<QueryResult> {
  const spec = validateSpec(input);
  const notes: Problem[] = [];
  const reporter = resolveArea(spec.reporter);
  if (!reporter)
    throw new UserError(`reporter: unknown code ${spec.reporter}`, [
      problem('reporter', `unknown code`, spec.reporter),
    ]);
  const byPartner = spec.by.includes('partner');
  const partnerSel = selectPartner(spec.partner ?? 'WLD');
  const productSel = selectProduct(spec.product);
  const productDim = spec.by.find((d) => d in PRODUCT_DIGITS);
  let region = '';
  if (spec.region) {
    const r = resolveRegion(spec.region);
    if (r === undefined)
      throw new UserError(`region: unknown region ${spec.region}`, [problem('region', 'unknown region', spec.region)]);
    region = r;
  }
  const flows = spec.flow ?? ['X', 'M'];
  // no period asked: the latest the data hold (a full year when they reach December, else the year to date)
  const period = spec.period ? parsePeriod(spec.period) : await latestPeriod(store, spec, reporter.code, region, notes);

  if (spec.measures.length === 1 && spec.measures[0] === 'mirror') {
    const rows = await mirrorRows(store, spec, reporter.code, partnerSel.label, period, notes);
    return {
      spec: { ...spec, period: period.label },
      provenance: {
        dataset: String(rows[0]?.reporter_dataset ?? ''),
        datasetNote: null,
        currency: String(rows[0]?.currency ?? ''),
        sourceCurrency: String(rows[0]?.currency ?? ''),
        base: spec.base,
        windows: [],
        aggregateRows: 0,
      },
      columns: Object.keys(rows[0] ?? {}),
      rows,
      notes,
    };
  }

  if (spec.measures.includes('forecast')) return forecastRows(store, spec, period);

  // cuts
  const filter: CellFilter = {
    reporters: [reporter.code],
    flows,
    ...(spec.by.includes('region') ? {} : { regions: [region] }),
    ...(spec.asOf ? { asOf: spec.asOf } : {}),
  };
  const coverage: CellFilter = {
    ...filter,
    ...(byPartner && !spec.partner ? {} : { partners: partnerSel.coverageCodes }),
    ...((productDim || spec.dataset) && productSel.total ? {} : productSel.coverageFilter),
    overlapping: { start: addMonths(period.start, -12), end: period.end },
  };
  let covering = await store.datasetsCovering(coverage);
  let sumCountries = false;
  if (!covering.length && !byPartner && !spec.partner) {
    // no World row: the partner countries summed (published aggregates left out)
    const { partners: _all, ...anyPartner } = coverage;
    covering = await store.datasetsCovering(anyPartner);
    if (covering.length) sumCountries = true;
  }
  if (!covering.length && productSel.kind === 'basket' && coverage.productPrefixes) {
    // data coarser than the basket (headings only): the headings of its codes find them; levels decide below
    const headings = [...new Set(coverage.productPrefixes.map((c) => c.slice(0, 4)))];
    covering = await store.datasetsCovering({ ...coverage, productPrefixes: headings });
  }
  if (!covering.length && productSel.total && !productDim) {
    // no all-product totals anywhere: datasets of product detail answer with the sum of their products
    const { products: _omit, ...anyProduct } = coverage;
    covering = await store.datasetsCovering(anyProduct);
  }
  const { dataset, datasetNote } = await chooseDataset(
    store,
    spec.dataset,
    covering,
    () =>
      `${reporter.code} → ${spec.partner ?? (byPartner ? 'partners' : 'WLD')}${spec.product ? ` (${spec.product})` : ''}`,
  );
  const summary = await store.datasetProfile(dataset, { classifications: productSel.needsClassifications });
  // a seasonally adjusted series is not the published figure: said in every answer from it
  const seasonallyAdjusted = (await store.datasets()).find((d) => d.dataset === dataset)?.seasonallyAdjusted ?? false;
  if (seasonallyAdjusted) notes.push(seasonalAdjustmentNote(dataset));
  if (!sumCountries && !byPartner && !spec.partner) {
    sumCountries =
      (await store.datasetsCovering({ datasets: [dataset], partners: ['WLD'], overlapping: coverage.overlapping }))
        .length === 0;
  }
  if (sumCountries) {
    filter.excludePartners = aggregateAreaCodes();
    notes.push({
      code: 'sum-of-partners',
      severity: 'info',
      message: `${dataset} has no World row: values are the sum of its partner countries (published aggregates left out)`,
    });
  } else if (!(byPartner && !spec.partner))
    Object.assign(filter, await partnerSel.filterFor(store, dataset, period, notes));
  if (!(productDim && productSel.total))
    Object.assign(filter, productSel.filterFor(summary?.classifications ?? [], notes));
  if (productSel.total && !productDim) {
    const hasTotals =
      (await store.datasetsCovering({ datasets: [dataset], products: ['TOTAL'], overlapping: coverage.overlapping }))
        .length > 0;
    if (!hasTotals) {
      // a dataset without all-product totals (e.g. a product extract): the sum of its products
      delete filter.products;
      filter.productPrefixes = [''];
      notes.push({
        code: 'no-totals',
        severity: 'info',
        message: `${dataset} has no all-product totals: values are the sum of its products`,
      });
    }
  }
  // one level per code path, and what the dataset holds of the product asked
  let productCoverage: ProductCoverage[] | undefined;
  if (filter.productPrefixes?.length) {
    const asked = filter.productPrefixes;
    const editions = (summary?.classifications ?? []).map((c) => editionOf(c)).filter((e) => e !== undefined);
    const choice = chooseLevels({
      asked,
      // a basket's headings too: data coarser than the basket hold those
      held: await store.productCodes(
        dataset,
        productSel.kind === 'basket' ? [...new Set([...asked, ...asked.map((c) => c.slice(0, 4))])] : asked,
      ),
      basket: productSel.kind === 'basket',
      edition: new Set(editions).size === 1 ? editions[0] : undefined,
      label: productSel.total ? 'all products' : productSel.label,
    });
    delete filter.productPrefixes;
    Object.assign(filter, choice.filter);
    notes.push(...choice.notes);
    productCoverage = choice.coverage;
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
  // which months the selection has data for at all: in sparse data (partner × product) a missing month of one
  // member is no trade, not a month missing from the dataset (read in the same pass where the store can)
  const aggAll = await store.aggregate({
    filter,
    groupBy,
    ...(productDim ? { productDigits: PRODUCT_DIGITS[productDim]! } : {}),
    windows: aggWindows,
    coverageByFlow: groupBy.length > 1,
  });
  const agg = aggAll.filter((a) => !a.coverage);
  const coverageRows =
    groupBy.length === 1
      ? agg
      : aggAll.some((a) => a.coverage)
        ? aggAll.filter((a) => a.coverage)
        : await store.aggregate({ filter, groupBy: ['flow'], windows: aggWindows });
  const covered = new Map(coverageRows.map((a) => [`${a.window}|${a.key.flow}`, a.monthsFound]));
  const sourceCurrency = agg[0]?.currency ?? '';
  let fx: ConversionContext | undefined;
  if (spec.currency && sourceCurrency && spec.currency.toUpperCase() !== sourceCurrency) {
    fx = await converterFor(store, sourceCurrency, spec.currency.toUpperCase(), spec.fxSeries);
  }
  const currency = fx ? fx.converter.target : sourceCurrency;
  if (new Set(agg.map((a) => a.currency)).size > 1) {
    notes.push({
      code: 'several-currencies',
      severity: 'warning',
      message: 'the selection mixes currencies; values are not added across them',
    });
  }
  // the whole, for shares and remainders: the World / group total when a drilldown lists members
  const memberKey = (a: AggregateRow) =>
    groupBy
      .filter((d) => d !== 'flow')
      .map((d) => a.key[d] ?? '')
      .join('|');
  // regions: one level (the provinces, or the cities of --region), the parent as the whole
  const byRegion = spec.by.includes('region');
  const regionLevel = (code: string | undefined) => {
    if (code === undefined) return true;
    const r = regionByCode(code);
    return region ? r?.parent === region : r?.level === 'province';
  };
  let rowsIn = agg.filter(
    (a) =>
      !(byPartner && isAggregatePartner(a.key.partner)) &&
      !(productDim && a.key.product === 'TOTAL') &&
      !(byRegion && !regionLevel(a.key.region)),
  );
  const wholeRows =
    byPartner && !spec.partner
      ? agg.filter((a) => a.key.partner === 'WLD')
      : productDim && productSel.total
        ? agg.filter((a) => a.key.product === 'TOTAL')
        : byRegion
          ? agg.filter((a) => a.key.region === region)
          : [];
  if (byRegion) {
    notes.push({
      code: 'region-level',
      severity: 'info',
      message: `regions: ${region ? `the cities of ${regionByCode(region)?.nameZh ?? region}` : 'the provinces and municipalities'} in the data, with the rest of ${region ? (regionByCode(region)?.nameZh ?? region) : reporter.code} as its own row`,
    });
  }
  if (byPartner && !spec.partner && !wholeRows.length) {
    notes.push({
      code: 'no-world-total',
      severity: 'info',
      message: 'no World row in the data: shares are of the sum of the partners listed',
    });
  }
  if (rowsIn.length === 0 && agg.length) rowsIn = agg;

  // the aggregate rows by window, flow and member (and by window and flow), built once per row set
  const indexes = new WeakMap<AggregateRow[], Map<string, AggregateRow[]>>();
  const indexed = (rows: AggregateRow[], windowId: string, flow: string, key: string | null): AggregateRow[] => {
    let index = indexes.get(rows);
    if (!index) {
      index = new Map();
      for (const a of rows) {
        for (const k of [`${a.window}\u0000${a.key.flow}\u0000${memberKey(a)}`, `${a.window}\u0000${a.key.flow}`]) {
          const list = index.get(k);
          if (list) list.push(a);
          else index.set(k, [a]);
        }
      }
      indexes.set(rows, index);
    }
    return index.get(key === null ? `${windowId}\u0000${flow}` : `${windowId}\u0000${flow}\u0000${key}`) ?? [];
  };
  const rawValue = (
    rows: AggregateRow[],
    windowId: string,
    period: Period,
    flow: string,
    key: string | null,
  ): Fixed | null => {
    const sel = indexed(rows, windowId, flow, key);
    const base = windowId.split('~')[0]!;
    const months =
      covered.get(`${windowId.includes('~') ? windowId : base}|${flow}`) ?? (windowId.includes('~') ? 0 : 0);
    // a member without cells in a window the selection covers traded nothing in it
    if (!sel.length) return months >= monthCount(period.start, period.end) && key !== null ? 0n : null;
    let total = 0n;
    for (const a of sel) {
      const v = pick(a, period, months);
      if (v === null) return null;
      total += v;
    }
    return total;
  };
  const value = (rows: AggregateRow[], windowId: string, flow: string, key: string | null): Fixed | null => {
    const w = windows.find((x) => x.id === windowId)!;
    const v0 = rawValue(rows, windowId, w.period, flow, key);
    if (v0 === null && yearParts.has(windowId))
      return sumOf(yearParts.get(windowId)!.map((y) => value(rows, y, flow, key)));
    if (v0 === null || !fx) return v0;
    // month by month; a cumulative figure in proportion to its converted months; else the window's average rate
    let sumRaw = 0n;
    let sumFx = 0n;
    for (const m of monthsOf(w.period)) {
      const vm = rawValue(rows, `${windowId}~${m}`, monthPeriod(m), flow, key);
      if (vm === null) return fx.converter.window(v0, w.period.start, w.period.end);
      sumRaw += vm;
      sumFx += fx.converter.month(vm, m);
    }
    return sumRaw === v0 || sumRaw === 0n ? sumFx : mulDivRound(sumFx, v0, sumRaw);
  };
  const revisedMonth = (windowId: string, flow: string, key: string | null, rows: AggregateRow[]): Fixed | null => {
    const r = revisedOf.get(windowId);
    if (!r) return value(rows, windowId, flow, key);
    const cur = value(rows, r[0], flow, key);
    if (cur === null) return null;
    if (r[1] === null) return cur;
    const prev = value(rows, r[1], flow, key);
    return prev === null ? null : cur - prev;
  };
  const v = (rows: AggregateRow[], wid: string, flow: string, key: string | null) =>
    spec.base === 'revised' ? revisedMonth(wid, flow, key, rows) : value(rows, wid, flow, key);

  const members = [...new Set(rowsIn.map(memberKey))].sort();
  const dimNames = groupBy.filter((d) => d !== 'flow');
  const levelMeasures = spec.measures.filter((m) => m === 'value' || m === 'balance' || m === 'total');
  const wantShare = spec.measures.includes('share');
  const wantContribution = spec.measures.includes('contribution');
  const flowsOut: string[] = [];
  const wantHhi = spec.measures.includes('hhi');
  const wantYtd = spec.measures.includes('ytd');
  const emitLevels =
    levelMeasures.length > 0 || wantShare || wantContribution || wantYtd || spec.measures.includes('records');
  if (
    levelMeasures.includes('value') ||
    wantShare ||
    wantContribution ||
    wantHhi ||
    spec.measures.includes('records') ||
    (wantYtd && !levelMeasures.length)
  )
    flowsOut.push(...flows);
  if (levelMeasures.includes('balance')) flowsOut.push('balance');
  if (levelMeasures.includes('total')) flowsOut.push('total');

  const flowValue = (rows: AggregateRow[], wid: string, f: string, key: string | null): Fixed | null => {
    if (f === 'balance' || f === 'total') {
      const x = v(rows, wid, 'X', key);
      const m = v(rows, wid, 'M', key);
      if (x === null || m === null) return null;
      return f === 'balance' ? x - m : x + m;
    }
    return v(rows, wid, f, key);
  };

  const wholeAt = (wid: string, f: string): Fixed | null =>
    wholeRows.length ? flowValue(wholeRows, wid, f, null) : sumOf(members.map((k) => flowValue(rowsIn, wid, f, k)));
  // how a member's value was found (the YTD rules), and what the source published beside it
  const basisAt = (wid: string, f: string, key: string | null): Basis => {
    if (f === 'balance' || f === 'total') return 'derived';
    if (spec.base === 'revised' && revisedOf.has(wid)) return 'revised';
    const w = windows.find((x) => x.id === wid)!;
    const sel = indexed(rowsIn, wid, f, key);
    const months = covered.get(`${wid}|${f}`) ?? 0;
    const need = monthCount(w.period.start, w.period.end);
    const kinds = new Set(sel.map((a) => basisOfRow(a, w.period, months)));
    if ((!sel.length || kinds.has('missing')) && yearParts.has(wid)) {
      const parts = yearParts.get(wid)!.map((y) => basisAt(y, f, key));
      if (parts.every((b) => b !== 'missing')) return 'sum of years';
    }
    if (!sel.length) return months >= need && key !== null ? 'no trade' : 'missing';
    return kinds.size === 1 ? [...kinds][0]! : 'mixed';
  };
  const monthsSumAt = (wid: string, f: string, key: string | null): Fixed | null => {
    const w = windows.find((x) => x.id === wid)!;
    const need = monthCount(w.period.start, w.period.end);
    if (fx) {
      let sum = 0n;
      for (const m of monthsOf(w.period)) {
        const vm = rawValue(rowsIn, `${wid}~${m}`, monthPeriod(m), f, key);
        if (vm === null) return null;
        sum += fx.converter.month(vm, m);
      }
      return sum;
    }
    let sum = 0n;
    const sel = indexed(rowsIn, wid, f, key);
    for (const a of sel) {
      if (a.months === null || a.monthsFound < need) return null;
      sum += toFixed(a.months);
    }
    return sel.length ? sum : null;
  };
  const missingNote = (wid: string, f: string): string => {
    const w = windows.find((x) => x.id === wid)!;
    const flowsRead = f === 'balance' || f === 'total' ? ['X', 'M'] : [f];
    const found = Math.min(...flowsRead.map((x) => covered.get(`${wid}|${x}`) ?? 0));
    const need = monthCount(w.period.start, w.period.end);
    return found ? `only ${found} of ${need} months of ${w.period.label} are loaded` : `no data for ${w.period.label}`;
  };
  // growth rates the source published for exactly a window (whole selection, or by region), in its own currency
  const publishedRates =
    spec.compare === 'yoy' && !fx && dimNames.every((d) => d === 'region')
      ? await store.rates({ ...filter, overlapping: { start: period.start, end: period.end } })
      : [];
  const publishedYoy = (w: Window, f: string, key: string | null, basis: Basis): string | null => {
    const same = publishedRates.filter(
      (r) =>
        r.flow === f &&
        r.periodStart === w.period.start &&
        r.periodEnd === w.period.end &&
        (key === null || r.region === key),
    );
    const wantCumulative = basis === 'published cumulative' || w.period.kind === 'ytd';
    const rate = same.find((r) => r.cumulative === wantCumulative) ?? same[0];
    return rate ? ratioToPercent(rate.rate, 2) : null;
  };
  const out: Record<string, Cell>[] = [];
  const hhiRows: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const cid = compareOf.get(w.id);
    for (const f of flowsOut) {
      const wholeCur = wholeAt(w.id, f);
      const wholePrev = cid ? wholeAt(cid, f) : null;
      // each line knows its value in any window: a member's own, the whole minus the listed members, or the
      // unlisted members summed (so the year to date of a line is read the same way as its value)
      const lines: Line[] = [];
      for (const k of members.length && dimNames.length ? members : ['']) {
        const key = dimNames.length ? k : null;
        const at = (wid: string) => flowValue(rowsIn, wid, f, key);
        lines.push({ key: k, cur: at(w.id), prev: cid ? at(cid) : null, at, member: true });
      }
      // remainder: the whole minus the listed members, when a drilldown lists members
      if (dimNames.length && wholeCur !== null) {
        const listed = sumOf(lines.map((l) => l.cur));
        if (listed !== null && listed !== wholeCur) {
          const parts = [...lines];
          const at = (wid: string) => {
            const whole = wholeAt(wid, f);
            const sum = sumOf(parts.map((l) => l.at(wid)));
            return whole === null || sum === null ? null : whole - sum;
          };
          lines.push({ key: '(rest)', cur: wholeCur - listed, prev: cid ? at(cid) : null, at, member: false });
        }
      }
      lines.sort((a, b) => (a.key === '(rest)' ? 1 : b.key === '(rest)' ? -1 : Number((b.cur ?? 0n) - (a.cur ?? 0n))));
      let shown = lines;
      if (spec.top && lines.length > spec.top + 1) {
        const head = lines.filter((l) => l.key !== '(rest)').slice(0, spec.top);
        const tail = lines.filter((l) => !head.includes(l));
        const at = (wid: string) => sumOf(tail.map((l) => l.at(wid)));
        shown = [...head, { key: '(rest)', cur: at(w.id), prev: cid ? at(cid) : null, at, member: false }];
      }
      if (spec.measures.includes('hhi') && dimNames.length) {
        const members = lines.filter((l) => l.key !== '(rest)' && l.cur !== null && l.cur > 0n);
        const c = concentration(members.map((l) => ({ key: l.key, value: fixedText(l.cur!) })));
        if (c.ok) {
          hhiRows.push({
            period: w.period.label,
            measure: `hhi ${flowName(f)}`,
            hhi: c.hhi,
            equivalent_members: c.equivalentNumber,
            members: c.members,
            top4_share_pct: c.topShare,
          });
          if (lines.some((l) => l.key === '(rest)')) {
            notes.push({
              code: 'hhi-rest',
              severity: 'info',
              message: 'HHI over the listed members only (the unlisted remainder is not a member)',
            });
          }
        } else notes.push({ code: 'hhi', severity: 'warning', message: c.text });
      }
      // contributions in pp, rounded by largest remainder so that they add up to the total growth
      const contribution = new Map<string, string | null>();
      if (wantContribution && wholeCur !== null && wholePrev !== null) {
        const members = shown
          .filter((l) => l.key !== '(rest)' && l.cur !== null && l.prev !== null)
          .map((l) => ({ key: l.key, current: fixedText(l.cur!), previous: fixedText(l.prev!) }));
        const c = contributions(members, { current: fixedText(wholeCur), previous: fixedText(wholePrev) });
        for (const r of c.rows) contribution.set(r.isRest ? '(rest)' : r.key, r.contribution);
        notes.push(...c.notes.filter((n) => n.severity !== 'info'));
      }
      for (const l of emitLevels ? shown : []) {
        const row: Record<string, Cell> = { period: w.period.label };
        dimNames.forEach((d, i) => {
          row[d] = l.key === '(rest)' ? (i === 0 ? '(rest)' : '') : (l.key.split('|')[i] ?? '');
        });
        row.measure =
          f === 'X' ? 'exports' : f === 'M' ? 'imports' : f === 'RX' ? 're-exports' : f === 'RM' ? 're-imports' : f;
        row.value = l.cur === null ? null : fixedText(l.cur);
        row.currency = currency;
        if (cid) {
          row.previous = l.prev === null ? null : fixedText(l.prev);
          row[`${spec.compare ?? 'yoy'}_pct`] = growth(f, l.cur, l.prev);
        }
        const key = dimNames.length ? l.key : null;
        const basis: Basis = l.cur === null ? 'missing' : l.member ? basisAt(w.id, f, key) : 'derived';
        if (publishedRates.length) row.published_yoy_pct = l.member ? publishedYoy(w, f, key, basis) : null;
        row.basis = basis;
        row.months_sum =
          basis === 'published cumulative' && l.cur !== null ? fixedOrNull(monthsSumAt(w.id, f, key)) : null;
        row.note = l.cur === null ? missingNote(w.id, f) : null;
        const ytd = ytdOf.get(w.id);
        if (ytd) {
          const cur = l.at(ytd.id);
          const prev = ytd.compare ? l.at(ytd.compare) : null;
          row.ytd_period = windows.find((x) => x.id === ytd.id)!.period.label;
          row.ytd_value = fixedOrNull(cur);
          row.ytd_yoy_pct = growth(f, cur, prev);
          row.ytd_basis = cur === null ? 'missing' : l.member ? basisAt(ytd.id, f, key) : 'derived';
        }
        if (wantShare) row.share_pct = l.cur !== null && wholeCur ? percentOf(l.cur, wholeCur) : null;
        if (wantContribution) row.contribution_pp = contribution.get(l.key) ?? null;
        out.push(row);
      }
    }
  }

  out.push(...hhiRows);
  if (spec.measures.includes('unit_value')) {
    out.push(
      ...unitValueRows(
        agg,
        windows,
        mains,
        compareOf,
        flows,
        memberKey,
        dimNames,
        spec.currency ? null : sourceCurrency,
        notes,
      ),
    );
  }
  if (spec.measures.includes('records')) out.push(...recordRows(out, mains, notes));
  if (spec.measures.includes('rca')) {
    out.push(
      ...(await rcaRows(
        store,
        filter,
        groupBy,
        productDim ? PRODUCT_DIGITS[productDim]! : 6,
        windows,
        mains,
        agg,
        memberKey,
        reporter.code,
        notes,
      )),
    );
  }
  if (spec.measures.includes('revision'))
    out.push(...(await revisionRows(agg, windows, mains, flows, memberKey, members, dimNames)));
  if (spec.measures.includes('mirror'))
    out.push(...(await mirrorRows(store, spec, reporter.code, partnerSel.label, period, notes)));

  if (fx) notes.push(...fx.notes());
  if (spec.base === 'revised') {
    notes.push({
      code: 'base',
      severity: 'info',
      message: 'monthly values on the revised base: YTD(m) − YTD(m−1) from the published cumulative figures',
    });
  } else if (mains.some((p) => p.start === p.end)) {
    notes.push({
      code: 'base',
      severity: 'info',
      message:
        'monthly values as first published (base: first-published); --base revised derives them from the cumulative figures',
    });
  }
  const columns = [...new Set(out.flatMap((r) => Object.keys(r)))];
  return {
    spec: { ...spec, period: period.label },
    provenance: {
      dataset,
      datasetNote,
      currency,
      sourceCurrency,
      ...(fx ? { fx: fx.describe() } : {}),
      base: spec.base,
      answeredBy: [...new Set(agg.map((a) => a.source))],
      vintages: summary?.vintages.map((v) => ({ vintage: v.vintage, source: v.vintageSource, files: v.files })) ?? [],
      flags: summary?.flags ?? [],
      conversions: [
        ...(fx ? [`currency ${sourceCurrency} → ${fx.converter.target} (${fx.describe().seriesName})`] : []),
        ...((summary?.flags ?? []).includes('converted')
          ? ['values converted between HS editions (flag converted)']
          : []),
      ],
      windows: windows.map((w) => ({
        id: w.id,
        period: w.period.label,
        start: formatMonth(w.period.start),
        end: formatMonth(w.period.end),
      })),
      aggregateRows: agg.length,
      ...(productCoverage ? { productCoverage } : {}),
      seasonallyAdjusted,
    },
    columns,
    rows: out,
    notes,
  };
}

/**
 * The period of a query that names none: the latest full year of the dataset that answers, or its year to date
 * when its data end before December.
 */
async function latestPeriod(
  store: TradeStore,
  spec: QuerySpec,
  reporter: string,
  region: string,
  notes: Problem[],
): Promise<Period> {
  const covering = await store.datasetsCovering({
    reporters: [reporter],
    regions: [region],
    ...(spec.partner ? { partners: selectPartner(spec.partner).coverageCodes } : {}),
    ...(spec.dataset ? { datasets: [spec.dataset] } : {}),
  });
  const { dataset } = await chooseDataset(
    store,
    spec.dataset,
    covering,
    () => `${reporter} → ${spec.partner ?? 'WLD'}${spec.product ? ` (${spec.product})` : ''}`,
  );
  const last = (await store.datasets()).find((d) => d.dataset === dataset)?.lastPeriod;
  if (!last) throw new UserError(`no periods in ${dataset}`, [problem('period', 'no periods in the data', '')]);
  const end = parsePeriod(last).end;
  const p = monthOf(end) === 12 ? yearPeriod(yearOf(end)) : ytdPeriod(end);
  notes.push({
    code: 'latest-period',
    severity: 'info',
    message: `no period asked: ${p.label}, the latest in ${dataset} (ask for one with --period)`,
  });
  return p;
}

/** The caveat on every answer from a seasonally adjusted dataset. */
export function seasonalAdjustmentNote(dataset: string): Problem {
  return {
    code: 'seasonally-adjusted',
    severity: 'warning',
    message: `${dataset} is seasonally adjusted: its values are not the figures as published (unadjusted), so they are not comparable with unadjusted data, a published year to date or a published growth rate`,
  };
}

/** How {@link pick} finds the value of an aggregated group for a window. */
function basisOfRow(a: AggregateRow, w: Period, monthsCovered = 0): Basis {
  if (a.cumulative !== null && a.cumulativeCells > 0) return 'published cumulative';
  if (a.exact !== null && a.exactCells > 0) return 'published for the period';
  // a month's own value is the value published for it
  if (w.start === w.end && a.months !== null && a.monthsFound >= 1) return 'published for the period';
  const need = monthCount(w.start, w.end);
  if (a.months !== null && (a.monthsFound >= need || monthsCovered >= need)) return 'sum of months';
  return 'missing';
}

/** Growth in percent; none for a balance that changes sign or starts from zero. */
function growth(flow: string, cur: Fixed | null, prev: Fixed | null): string | null {
  if (cur === null || prev === null || prev === 0n) return null;
  if (flow === 'balance' && prev > 0n !== cur > 0n) return null;
  return growthPercent(cur, prev, 2);
}

function fixedOrNull(v: Fixed | null): string | null {
  return v === null ? null : fixedText(v);
}

/** The value of an aggregated group for a window, by the YTD rules. */
function pick(a: AggregateRow, w: Period, monthsCovered = 0): Fixed | null {
  if (a.cumulative !== null && a.cumulativeCells > 0) return toFixed(a.cumulative);
  if (a.exact !== null && a.exactCells > 0) return toFixed(a.exact);
  const need = monthCount(w.start, w.end);
  if (a.months !== null && (a.monthsFound >= need || monthsCovered >= need)) return toFixed(a.months);
  return null;
}

function sumOf(values: (Fixed | null)[]): Fixed | null {
  let s = 0n;
  for (const v of values) {
    if (v === null) return null;
    s += v;
  }
  return values.length ? s : null;
}

function isAggregatePartner(code: string | undefined): boolean {
  if (!code) return false;
  const a = resolveArea(code);
  return code === 'WLD' || a?.kind === 'group';
}

function splitPeriod(p: Period, dim: string | undefined): Period[] {
  if (dim === 'month') return monthsOf(p).map(monthPeriod);
  if (dim === 'year') {
    const out: Period[] = [];
    for (let y = yearOf(p.start); y <= yearOf(p.end); y++) {
      const s = Math.max(p.start, y * 100 + 1) as MonthId;
      const e = Math.min(p.end, y * 100 + 12) as MonthId;
      out.push(
        s === y * 100 + 1 && e === y * 100 + 12 ? yearPeriod(y) : s === y * 100 + 1 ? ytdPeriod(e) : rangePeriod(s, e),
      );
    }
    return out;
  }
  if (dim === 'quarter') {
    const out: Period[] = [];
    for (let m = p.start; m <= p.end; m = addMonths(m, 3)) {
      const q = Math.ceil(monthOf(m) / 3);
      out.push(quarterPeriod(yearOf(m), q));
    }
    return out;
  }
  return [p];
}

function comparisonWindow(p: Period, compare: 'yoy' | 'mom' | 'prev'): Period {
  if (compare === 'yoy') return shiftYears(p, -1);
  const n = monthCount(p.start, p.end);
  if (compare === 'mom') return monthPeriod(addMonths(p.start, -1));
  const s = addMonths(p.start, -n);
  const e = addMonths(p.end, -n);
  return s === e ? monthPeriod(s) : rangePeriod(s, e);
}

/** Revision reconciliation: sum of first-published months against the published cumulative figure. */
async function revisionRows(
  agg: AggregateRow[],
  windows: Window[],
  mains: Period[],
  flows: string[],
  memberKey: (a: AggregateRow) => string,
  members: string[],
  dimNames: string[],
): Promise<Record<string, Cell>[]> {
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    for (const f of flows) {
      for (const k of members.length && dimNames.length ? members : ['']) {
        const sel = agg.filter(
          (a) => a.window === w.id && a.key.flow === f && (!dimNames.length || memberKey(a) === k),
        );
        for (const a of sel) {
          if (a.cumulative === null || a.months === null || a.monthsFound !== monthCount(w.period.start, w.period.end))
            continue;
          const cum = toFixed(a.cumulative);
          const months = toFixed(a.months);
          const row: Record<string, Cell> = { period: w.period.label };
          dimNames.forEach((d, i) => {
            row[d] = k.split('|')[i] ?? '';
          });
          row.measure = `revision ${f === 'X' ? 'exports' : f === 'M' ? 'imports' : f}`;
          row.value = fixedText(cum);
          row.months_sum = fixedText(months);
          row.revision = fixedText(cum - months);
          row.revision_pct = months === 0n ? null : growthPercent(cum, months, 3);
          row.currency = a.currency;
          out.push(row);
        }
      }
    }
  }
  return out;
}

/** Mirror: the reporter's exports to the partner against the partner's imports from the reporter. */
async function mirrorRows(
  store: TradeStore,
  spec: QuerySpec,
  reporter: string,
  partner: string,
  period: Period,
  notes: Problem[],
): Promise<Record<string, Cell>[]> {
  const win = [{ id: 'm', start: period.start, end: period.end }];
  const order = await store.precedence();
  const side = async (rep: string, par: string, flow: string, prefer?: string) => {
    const covering = await store.datasetsCovering({
      reporters: [rep],
      partners: [par],
      flows: [flow],
      products: ['TOTAL'],
      overlapping: { start: period.start, end: period.end },
    });
    if (!covering.length) return null;
    const names = covering.map((c) => c.dataset);
    // the dataset named, the one the other side used, the declared precedence, or the only one
    const ds =
      [spec.dataset, prefer, ...order].find((d): d is string => !!d && names.includes(d)) ??
      (names.length === 1 ? names[0] : undefined);
    if (!ds) {
      throw new UserError(
        `mirror: ${names.length} datasets report ${rep} ${flow === 'X' ? 'exports to' : 'imports from'} ${par}: ${names.join(', ')}; name one with --dataset or declare a precedence`,
      );
    }
    const rows = await store.aggregate({
      filter: { datasets: [ds], reporters: [rep], partners: [par], flows: [flow], products: ['TOTAL'], regions: [''] },
      groupBy: ['flow'],
      windows: win,
    });
    const a = rows[0];
    const v = a ? pick(a, period) : null;
    return v === null ? null : { value: v, dataset: ds, currency: a!.currency };
  };
  const x = await side(reporter, partner, 'X');
  const m = await side(partner, reporter, 'M', x?.dataset);
  if (!x || !m || x.currency !== m.currency) {
    notes.push({
      code: 'mirror-missing',
      severity: 'warning',
      message: `mirror: ${!x ? `no ${reporter} exports to ${partner}` : !m ? `no ${partner} imports from ${reporter}` : 'the two sides are in different currencies'} for ${period.label}`,
    });
  }
  const cmp =
    x && m && x.currency === m.currency
      ? mirror({
          reporter,
          partner,
          reporterValue: fixedText(x.value),
          partnerValue: fixedText(m.value),
          currency: x.currency,
          period: period.label,
        })
      : null;
  if (cmp) {
    for (const c of cmp.caveats)
      notes.push({ code: `mirror-${c.code}`, severity: 'info', message: `${c.title}: ${c.message}` });
  }
  const row: Record<string, Cell> = {
    period: period.label,
    measure: 'mirror',
    reporter_exports: x ? fixedText(x.value) : null,
    partner_imports: m ? fixedText(m.value) : null,
    gap: cmp?.gap ?? null,
    ratio: cmp?.ratio ?? null,
    gap_pct: cmp?.gapPercent ?? null,
    reading: cmp?.reading ?? null,
    currency: x?.currency ?? m?.currency ?? null,
    reporter_dataset: x?.dataset ?? null,
    partner_dataset: m?.dataset ?? null,
  };
  return [row];
}

/**
 * Unit values and the price/volume split of value growth, per member of the drilldown (keys with quantities;
 * the value of cells without quantity is left out and reported). Quantities: the cells' quantity when they
 * have one unit, otherwise net weight in kg.
 */
function unitValueRows(
  agg: AggregateRow[],
  windows: Window[],
  mains: Period[],
  compareOf: Map<string, string>,
  flows: string[],
  memberKey: (a: AggregateRow) => string,
  dimNames: string[],
  currency: string | null,
  notes: Problem[],
): Record<string, Cell>[] {
  if (!currency) {
    notes.push({
      code: 'unit-value-currency',
      severity: 'warning',
      message: 'unit values are computed in the source currency only',
    });
    return [];
  }
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const cid = compareOf.get(w.id);
    if (!cid) continue;
    for (const f of flows) {
      const rowsOf = (wid: string): QuantityRow[] => {
        const rows: QuantityRow[] = [];
        const period = windows.find((x) => x.id === wid)!.period;
        for (const a of agg.filter((x) => x.window === wid && x.key.flow === f)) {
          const key = dimNames.length ? memberKey(a) : 'all';
          const total = pick(a, period, monthCount(period.start, period.end)) ?? 0n;
          const useQty = a.quantity !== null && a.quantityUnits.length === 1;
          const q = useQty ? a.quantity : a.netWeightKg;
          const qv = useQty ? a.quantityValue : a.weightValue;
          const unit = useQty ? a.quantityUnits[0]! : 'kg';
          if (q !== null && qv !== null) rows.push({ key, value: qv, quantity: q, unit });
          const rest = total - (qv === null ? 0n : toFixed(qv));
          if (rest !== 0n) rows.push({ key: `${key} (no quantity)`, value: fixedText(rest), quantity: null, unit });
        }
        return rows;
      };
      const res = unitValues(rowsOf(w.id), rowsOf(cid));
      for (const r of res.rows) {
        const row: Record<string, Cell> = { period: w.period.label };
        dimNames.forEach((d, i) => {
          row[d] = r.key.split('|')[i] ?? '';
        });
        row.measure = `unit value ${flowName(f)}`;
        row.value = r.current?.value ?? null;
        row.quantity = r.current?.quantity ?? null;
        row.unit_value = r.current?.unitValue ?? null;
        row.previous_unit_value = r.previous?.unitValue ?? null;
        row.unit_value_growth_pct = r.unitValueGrowth;
        row.quantity_growth_pct = r.quantityGrowth;
        row.unit = `${currency}/${r.unit}`;
        out.push(row);
      }
      out.push({
        period: w.period.label,
        measure: `price/volume ${flowName(f)}`,
        value_growth_pct: res.split.valueGrowth,
        price_effect_pct: res.split.priceEffect,
        volume_effect_pct: res.split.volumeEffect,
        left_out_value: res.withoutQuantity.current.value,
        left_out_share_pct: res.withoutQuantity.current.share,
        method: res.split.method,
      });
      notes.push(...res.notes.filter((n) => n.severity !== 'info'));
    }
  }
  return out;
}

/**
 * Revealed comparative advantage per product: the reporter's share of the product in its exports over the
 * world's. World = the dataset's World rows when it has them, else the sum over every reporter in the dataset
 * (and the result says so: with few reporters that is not the world).
 */
async function rcaRows(
  store: TradeStore,
  filter: CellFilter,
  groupBy: AggregateDimension[],
  digits: number,
  windows: Window[],
  mains: Period[],
  agg: AggregateRow[],
  memberKey: (a: AggregateRow) => string,
  reporter: string,
  notes: Problem[],
): Promise<Record<string, Cell>[]> {
  const { reporters: _r, ...worldFilter } = filter;
  const world = await store.aggregate({
    filter: { ...worldFilter, flows: ['X'] },
    groupBy: ['flow', 'reporter', 'product'],
    productDigits: digits,
    windows: windows
      .filter((w) => mains.includes(w.period))
      .map((w) => ({ id: w.id, start: w.period.start, end: w.period.end })),
  });
  const reporters = new Set(world.map((a) => a.key.reporter));
  const hasWorld = reporters.has('WLD');
  notes.push({
    code: 'rca-world',
    severity: hasWorld ? 'info' : 'warning',
    message: hasWorld
      ? "RCA: world exports from the dataset's World rows"
      : `RCA: "world" is the sum of the ${reporters.size} reporter(s) in the dataset (${[...reporters].slice(0, 6).join(', ')}${reporters.size > 6 ? ' …' : ''}), not the world`,
  });
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const mine = agg.filter((a) => a.window === w.id && a.key.flow === 'X' && a.key.product !== 'TOTAL');
    const wr = world.filter(
      (a) =>
        a.window === w.id &&
        a.key.product !== 'TOTAL' &&
        (hasWorld ? a.key.reporter === 'WLD' : a.key.reporter !== 'WLD'),
    );
    const val = (a: AggregateRow) => pick(a, w.period, monthCount(w.period.start, w.period.end)) ?? 0n;
    const mineTotal = mine.reduce((s, a) => s + val(a), 0n);
    const worldTotal = wr.reduce((s, a) => s + val(a), 0n);
    const worldBy = new Map<string, bigint>();
    for (const a of wr) worldBy.set(a.key.product!, (worldBy.get(a.key.product!) ?? 0n) + val(a));
    for (const a of mine) {
      const r = rca({
        reporterProduct: fixedText(val(a)),
        reporterTotal: fixedText(mineTotal),
        worldProduct: worldBy.has(a.key.product!) ? fixedText(worldBy.get(a.key.product!)!) : null,
        worldTotal: worldTotal === 0n ? null : fixedText(worldTotal),
      });
      out.push({
        period: w.period.label,
        product: a.key.product ?? '',
        measure: 'rca',
        reporter,
        rca: r.ok ? r.rca : null,
        reading: r.ok ? r.reading : r.text,
      });
    }
    void memberKey;
    void groupBy;
  }
  return out;
}

function flowName(f: string): string {
  return f === 'X' ? 'exports' : f === 'M' ? 'imports' : f === 'RX' ? 're-exports' : f === 'RM' ? 're-imports' : f;
}

/**
 * Records and milestones of the last window of each series (per measure and drilldown member): the highest /
 * lowest since when, and the current run of increases or decreases.
 */
function recordRows(rows: Record<string, Cell>[], mains: Period[], notes: Problem[]): Record<string, Cell>[] {
  const out: Record<string, Cell>[] = [];
  const labels = mains.map((p) => p.label);
  const seriesKey = (r: Record<string, Cell>) =>
    Object.entries(r)
      .filter(
        ([k]) =>
          !['period', 'value', 'currency', 'previous', 'share_pct', 'contribution_pp'].includes(k) &&
          !k.endsWith('_pct'),
      )
      .map(([k, v]) => `${k}=${v}`)
      .join('|');
  const groups = new Map<string, Record<string, Cell>[]>();
  for (const r of rows) {
    if (!labels.includes(String(r.period)) || r.value === null || r.value === undefined) continue;
    const k = seriesKey(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [, g] of groups) {
    const series: SeriesPoint[] = g
      .map((r) => ({ r, p: mains.find((p) => p.label === r.period)! }))
      .sort((a, b) => a.p.start - b.p.start)
      .map(({ r, p }) => ({ label: p.label, start: p.start, end: p.end, value: String(r.value) }));
    if (series.length < 2) continue;
    const problems = seriesProblems(series).filter((p) => p.severity === 'error');
    if (problems.length) {
      notes.push(...problems);
      continue;
    }
    const hi = highestSince(series);
    const lo = lowestSince(series);
    const run = runs(series);
    const last = g.at(-1)!;
    out.push({
      period: series.at(-1)!.label,
      measure: `records ${last.measure}`,
      ...Object.fromEntries(
        Object.entries(last).filter(
          ([k]) =>
            !['period', 'measure', 'value', 'currency', 'previous'].includes(k) &&
            !k.endsWith('_pct') &&
            k !== 'contribution_pp',
        ),
      ),
      value: series.at(-1)!.value,
      highest: hi.text,
      lowest: lo.text,
      run: run.text,
    });
  }
  return out;
}

function problem(field: string, message: string, value: string): Problem {
  return { code: 'bad-spec', severity: 'error', message: `${field}: ${message}`, at: { field }, value };
}

/**
 * The `forecast` measure: the months of the period forecast from the history before it (the model chosen by the
 * forecasting module, with 80 % and 95 % intervals). Points and bounds are model values rounded to whole base
 * units of the currency, never published figures.
 */
async function forecastRows(store: TradeStore, spec: QuerySpec, period: Period): Promise<QueryResult> {
  const { forecastQuery } = await import('../forecast/query-forecast.js');
  const series = spec.measures.find((m) => m === 'balance' || m === 'total') ?? 'value';
  const flow = (spec.flow?.[0] ?? 'X') as 'X' | 'M';
  const through = formatMonth(addMonths(period.start, -1));
  const f = await forecastQuery(store, {
    reporter: spec.reporter,
    ...(spec.partner ? { partner: spec.partner } : {}),
    ...(spec.product ? { product: spec.product } : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(series === 'value' ? { flow } : {}),
    measure: series,
    through,
    horizon: monthCount(period.start, period.end),
    levels: [80, 95],
    ...(spec.currency ? { currency: spec.currency.toUpperCase() } : {}),
    ...(spec.dataset ? { dataset: spec.dataset } : {}),
  });
  const name = series === 'value' ? flowName(flow) : series;
  const units = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : null);
  const rows: Record<string, Cell>[] = f.forecast.months.map((m, i) => {
    const row: Record<string, Cell> = { period: m, measure: `forecast ${name}`, point: units(f.forecast.point[i]!) };
    for (const iv of f.forecast.intervals) {
      row[`lo${iv.level}`] = units(iv.lower[i]!);
      row[`hi${iv.level}`] = units(iv.upper[i]!);
    }
    row.currency = f.currency;
    return row;
  });
  const notes: Problem[] = [
    {
      code: 'forecast',
      severity: 'info',
      message: `model ${f.model.name} (${f.model.method}) fitted on ${f.history.months.length} months through ${f.history.months.at(-1) ?? through}; model values, not published figures`,
    },
    ...f.warnings.map((w) => ({ code: w.code, severity: 'warning' as const, message: w.message })),
  ];
  return {
    spec: { ...spec, period: period.label },
    provenance: {
      dataset: f.provenance.datasets.join(', '),
      datasetNote: f.provenance.datasetChoice ?? null,
      currency: f.currency,
      sourceCurrency: f.currency,
      base: spec.base,
      vintages: f.provenance.vintages,
      windows: f.forecast.months.map((m, i) => ({ id: `f${i}`, period: m, start: m, end: m })),
      aggregateRows: 0,
      forecast: { model: f.model, alternatives: f.alternatives, history: f.history.months.length },
    },
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes,
  };
}
