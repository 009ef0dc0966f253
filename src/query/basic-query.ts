/**
 * The first query: exports, imports, balance and total trade of one reporter (optionally one partner,
 * one region, or every region of a level with the remainder) over a period, with year-to-date values and
 * growth on the same window a year earlier, in the source currency.
 *
 * Rules for a window's value, in order:
 * 1. a published cumulative figure for exactly this window (January … month): the authority for YTD;
 * 2. a value published for exactly this window (a year, a Jan+Feb combined month, a month);
 * 3. the sum of the window's monthly values, when every month is there (basis "sum of months").
 * Otherwise the value is missing and the row says how many months were found.
 */
import { resolveArea, suggestArea } from '../model/areas.js';
import { type Fixed, fixedText, growthPercent, mulDivRound, ratioToPercent, toFixed } from '../model/decimal.js';
import {
  addMonths,
  formatMonth,
  type MonthId,
  monthId,
  monthOf,
  monthPeriod,
  monthsOf,
  type Period,
  parsePeriod,
  shiftYears,
  yearOf,
  yearPeriod,
  ytdPeriod,
} from '../model/period.js';
import { regionByCode, resolveRegion } from '../model/regions.js';
import type { CellFilter, CellRow, RateRow, TradeStore } from '../store/store.js';
import { type Problem, UserError } from '../util/errors.js';
import { type ConversionContext, converterFor, type FxDescription } from './currency.js';
import { selectPartner, selectProduct } from './selection.js';

export interface BasicQuerySpec {
  reporter: string;
  /** Partner code in any scheme; default World. */
  partner?: string;
  /** Region code or name; default the whole reporter. */
  region?: string;
  /** Every region one level below `region` (or the provinces), plus the remainder. */
  regionLevel?: 'province' | 'city';
  flow?: 'X' | 'M';
  /** Period in the period grammar; default: the latest year with data. */
  period?: string;
  by?: 'month' | 'year';
  dataset?: string;
  asOf?: string;
  /** An HS code at any level (8541, 8541.43) or a basket (`new-three`, `new-three:pv-cells`). */
  product?: string;
  /** Show values in this currency (USD, CNY …), converted month by month. */
  currency?: string;
  /** The exchange-rate series to convert with (default: the bundled monthly Fed H.10 rates). */
  fxSeries?: string;
}

export type Basis = 'published cumulative' | 'published for the period' | 'sum of months' | 'missing' | 'derived';

export interface MeasureValue {
  /** Exact decimal text in base units of `currency`, or null when missing. */
  value: string | null;
  basis: Basis;
  /** YoY growth in percent (2 decimals) against the same window a year earlier. */
  yoy: string | null;
  /** Value of the comparison window. */
  previous: string | null;
  previousBasis: Basis | null;
  /** Growth rate published by the source for this window, in percent, when it published one. */
  publishedYoy: string | null;
  /** For published cumulative values: the sum of the first-published months (shows the revisions). */
  monthsSum: string | null;
  note: string | null;
  sources: { file: string; line: number | null; dataset: string; vintage: string }[];
}

export interface BasicQueryRow {
  period: string;
  reporter: string;
  partner: string;
  region: string;
  regionName: string | null;
  currency: string;
  exports: MeasureValue | null;
  imports: MeasureValue | null;
  balance: MeasureValue | null;
  total: MeasureValue | null;
  /** For monthly rows: the year-to-date through this month. */
  ytd?: {
    exports: MeasureValue | null;
    imports: MeasureValue | null;
    balance: MeasureValue | null;
    total: MeasureValue | null;
  };
}

export interface BasicQueryResult {
  spec: BasicQuerySpec;
  dataset: string;
  datasetNote: string | null;
  /** The currency of the values shown. */
  currency: string;
  /** The currency of the source data. */
  sourceCurrency: string;
  /** What was selected: `TOTAL`, an HS code or a basket (part). */
  product: string;
  partner: string;
  /** The exchange rates used, when values were converted. */
  fx?: FxDescription;
  rows: BasicQueryRow[];
  notes: Problem[];
}

const ALL_FLOWS = ['X', 'M'] as const;

/** Runs a {@link BasicQuerySpec} against a store. */
export async function runBasicQuery(store: TradeStore, spec: BasicQuerySpec): Promise<BasicQueryResult> {
  const reporter = resolveArea(spec.reporter);
  if (!reporter) throw new UserError(`unknown reporter: ${spec.reporter}${suggestion(spec.reporter)}`);
  const partnerSel = selectPartner(spec.partner ?? 'WLD');
  const productSel = selectProduct(spec.product);
  let region = '';
  if (spec.region) {
    const r = resolveRegion(spec.region);
    if (r === undefined)
      throw new UserError(`unknown region: ${spec.region} (use a code such as 330000 or a name such as 浙江省)`);
    region = r;
  }
  const flows = spec.flow ? [spec.flow] : [...ALL_FLOWS];
  const notes: Problem[] = [];

  // which regions: one, or a level with the remainder
  let regions: string[] = [region];
  if (spec.regionLevel) regions = await regionsAtLevel(store, reporter.code, region, spec.regionLevel);

  const baseFilter: CellFilter = {
    reporters: [reporter.code],
    partners: partnerSel.coverageCodes,
    regions: spec.regionLevel ? [...new Set([region, ...regions])] : [region],
    flows,
    ...productSel.coverageFilter,
    ...(spec.asOf ? { asOf: spec.asOf } : {}),
  };
  // dataset: named, declared precedence, or the only one — among those holding the same cells over the
  // window and the year before it (for YoY)
  const asked = spec.period ? parsePeriod(spec.period) : undefined;
  const covering = await store.datasetsCovering({
    ...baseFilter,
    ...(asked ? { overlapping: { start: addMonths(asked.start, -12), end: asked.end } } : {}),
  });
  const { dataset, datasetNote } = await chooseDataset(
    store,
    spec.dataset,
    covering,
    () =>
      `${reporter.code} → ${partnerSel.label}${productSel.total ? '' : ` (${productSel.label})`}${region ? ` in ${region}` : ''}`,
  );

  // the partner and product filters for this dataset: a group's published total or its members over time;
  // a product code, or a basket applied to the dataset's HS edition
  const summary = (await store.datasets()).find((d) => d.dataset === dataset);
  const partnerFilter = await partnerSel.filterFor(store, dataset, asked, notes);
  const productFilter = productSel.filterFor(summary?.classifications ?? [], notes);
  const filter: CellFilter = { ...baseFilter, ...partnerFilter, ...productFilter, datasets: [dataset] };
  const summed = !(productSel.total || productSel.single) || partnerFilter.partnerIntervals !== undefined;
  const all = summed ? await store.sumCells(filter) : await store.cells(filter);
  if (all.length === 0) throw new UserError(`no data in ${dataset} for this selection`);
  const currencies = [...new Set(all.map((c) => c.currency))];
  const currency = currencies[0]!;
  if (currencies.length > 1) {
    notes.push({
      code: 'several-currencies',
      severity: 'info',
      message: `the dataset has ${currencies.join(', ')}; showing ${currency}`,
    });
  }
  const cells = all.filter((c) => c.currency === currency);
  const rates = summed ? [] : await store.rates(filter);
  const period = asked ?? defaultPeriod(cells);

  // currency: the source's, or converted month by month
  let fx: ConversionContext | undefined;
  if (spec.currency && spec.currency.toUpperCase() !== currency) {
    fx = await converterFor(store, currency, spec.currency.toUpperCase(), spec.fxSeries);
  }
  const shownCurrency = fx ? fx.converter.target : currency;

  const windows: Period[] = [];
  if (spec.by === 'month') windows.push(...monthsOf(period).map(monthPeriod));
  else if (spec.by === 'year') {
    for (let y = yearOf(period.start); y <= yearOf(period.end); y++) windows.push(yearPeriod(y));
  } else windows.push(period);

  const ctxFor = (reg: string): RowContext => ({
    reporter: reporter.code,
    partner: partnerSel.label,
    region: reg,
    currency: shownCurrency,
    fx: fx?.converter,
  });
  const rows: BasicQueryRow[] = [];
  for (const reg of regions) {
    const regCells = cells.filter((c) => c.region === reg);
    const regRates = fx ? [] : rates.filter((r) => r.region === reg);
    for (const w of windows) {
      const row = buildRow(w, regCells, regRates, flows, ctxFor(reg));
      if (spec.by === 'month') {
        const ytd = buildRow(ytdPeriod(w.end), regCells, regRates, flows, ctxFor(reg));
        row.ytd = { exports: ytd.exports, imports: ytd.imports, balance: ytd.balance, total: ytd.total };
      }
      rows.push(row);
    }
  }
  if (spec.by === 'month' && windows.some((w) => monthOf(w.start) <= 2)) {
    notes.push({
      code: 'lunar-new-year',
      severity: 'info',
      message: `January and February: Lunar New Year moves between them, so their separate YoY rates mislead; compare them combined (--period ${yearOf(windows[0]!.start)}-01+02)`,
    });
  }
  if (spec.regionLevel) rows.push(...remainderRows(rows, regions, windows, cells, rates, flows, ctxFor(''), region));
  if (fx) notes.push(...fx.notes());
  return {
    spec,
    dataset,
    datasetNote,
    currency: shownCurrency,
    sourceCurrency: currency,
    product: productSel.label,
    partner: partnerSel.label,
    ...(fx ? { fx: fx.describe() } : {}),
    rows,
    notes,
  };
}

function suggestion(input: string): string {
  const s = suggestArea(input);
  return s.length ? ` (did you mean ${s.map((x) => `${x.input} = ${x.area.code}`).join(', ')}?)` : '';
}

/** The dataset a query reads: the one named, the only one, or the first by declared precedence. */
export async function chooseDataset(
  store: TradeStore,
  named: string | undefined,
  covering: { dataset: string; cells: number }[],
  what: () => string,
): Promise<{ dataset: string; datasetNote: string | null }> {
  if (named) {
    if (!covering.some((c) => c.dataset === named)) {
      throw new UserError(
        `dataset ${named} has no cells for ${what()}` +
          (covering.length ? ` (datasets that do: ${covering.map((c) => c.dataset).join(', ')})` : ''),
      );
    }
    return { dataset: named, datasetNote: null };
  }
  if (covering.length === 0) {
    throw new UserError(`no data for ${what()}; see \`tradescope datasets\` for what is loaded`);
  }
  if (covering.length === 1) return { dataset: covering[0]!.dataset, datasetNote: null };
  const order = await store.precedence();
  const ranked = covering
    .filter((c) => order.includes(c.dataset))
    .sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
  if (!ranked.length) {
    throw new UserError(
      `${covering.length} datasets describe these cells and are never added together: ` +
        `${covering.map((c) => `${c.dataset} (${c.cells} cells)`).join(', ')}; ` +
        'name one with --dataset, or declare a precedence with `tradescope datasets --prefer a,b`',
    );
  }
  const dataset = ranked[0]!.dataset;
  return {
    dataset,
    datasetNote: `${dataset} chosen by the declared precedence over ${covering
      .filter((c) => c.dataset !== dataset)
      .map((c) => c.dataset)
      .join(', ')}`,
  };
}

async function regionsAtLevel(
  store: TradeStore,
  reporter: string,
  parent: string,
  level: 'province' | 'city',
): Promise<string[]> {
  const present = await store.cells({ reporters: [reporter] }).then((cs) => new Set(cs.map((c) => c.region)));
  const out: string[] = [];
  for (const code of present) {
    if (code === '') continue;
    const r = regionByCode(code);
    if (!r || r.level !== level) continue;
    if (parent && !isWithin(code, parent)) continue;
    out.push(code);
  }
  return out.sort();
}

function isWithin(code: string, parent: string): boolean {
  let c: string | null | undefined = code;
  while (c) {
    if (c === parent) return true;
    c = regionByCode(c)?.parent;
  }
  return false;
}

/** Rows for the part of the parent (the region given, else the whole reporter) not covered by the listed regions. */
function remainderRows(
  rows: BasicQueryRow[],
  regions: string[],
  windows: Period[],
  cells: CellRow[],
  rates: RateRow[],
  flows: readonly string[],
  ctx: RowContext,
  parent: string,
): BasicQueryRow[] {
  const { reporter, partner, currency } = ctx;
  const out: BasicQueryRow[] = [];
  const whole = cells.filter((c) => c.region === parent);
  const parentName = parent ? (regionByCode(parent)?.nameZh ?? parent) : reporter;
  for (const w of windows) {
    const parentRow = buildRow(
      w,
      whole,
      rates.filter((r) => r.region === parent),
      flows,
      { ...ctx, region: parent },
    );
    const parts = rows.filter((r) => r.period === w.label && regions.includes(r.region));
    const rest = (pick: (r: BasicQueryRow) => MeasureValue | null): MeasureValue | null => {
      const p = pick(parentRow);
      if (!p || p.value === null) return null;
      let v = toFixed(p.value);
      let prev = p.previous === null ? null : toFixed(p.previous);
      for (const r of parts) {
        const m = pick(r);
        if (!m || m.value === null) return null;
        v -= toFixed(m.value);
        if (prev !== null) prev = m.previous === null ? null : prev - toFixed(m.previous);
      }
      return derived(v, prev, `${parent ? parentName : 'whole reporter'} minus ${parts.length} listed regions`);
    };
    out.push({
      period: w.label,
      reporter,
      partner,
      region: 'REST',
      regionName: `rest of ${parentName} (not in the listed regions)`,
      currency,
      exports: rest((r) => r.exports),
      imports: rest((r) => r.imports),
      balance: rest((r) => r.balance),
      total: rest((r) => r.total),
    });
  }
  return out;
}

function defaultPeriod(cells: CellRow[]): Period {
  const last = cells.reduce((m, c) => Math.max(m, c.periodEnd), 0) as MonthId;
  if (last === 0) throw new UserError('no periods in the data');
  // a full year when the data reach December, else the year to date
  return monthOf(last) === 12 ? yearPeriod(yearOf(last)) : ytdPeriod(last);
}

interface RowContext {
  reporter: string;
  partner: string;
  region: string;
  currency: string;
  fx?: CurrencyConverter | undefined;
}

function buildRow(
  w: Period,
  cells: CellRow[],
  rates: RateRow[],
  flows: readonly string[],
  ctx: RowContext,
): BasicQueryRow {
  const prevWindow = shiftYears(w, -1);
  const byFlow = new Map<string, MeasureValue>();
  for (const f of flows) {
    const fc = cells.filter((c) => c.flow === f);
    const cur = windowValue(fc, w, ctx.fx);
    const prev = windowValue(fc, prevWindow, ctx.fx);
    const wantCumulative = cur.basis === 'published cumulative' || w.kind === 'ytd';
    const sameWindow = rates.filter((r) => r.flow === f && r.periodStart === w.start && r.periodEnd === w.end);
    const rate = sameWindow.find((r) => r.cumulative === wantCumulative) ?? sameWindow[0];
    byFlow.set(f, {
      value: cur.value === null ? null : fixedText(cur.value),
      basis: cur.basis,
      yoy: cur.value !== null && prev.value !== null ? growthPercent(cur.value, prev.value, 2) : null,
      previous: prev.value === null ? null : fixedText(prev.value),
      previousBasis: prev.basis,
      publishedYoy: rate ? ratioToPercent(rate.rate, 2) : null,
      monthsSum: cur.monthsSum === null ? null : fixedText(cur.monthsSum),
      note: cur.note,
      sources: cur.sources,
    });
  }
  const x = byFlow.get('X') ?? null;
  const m = byFlow.get('M') ?? null;
  const combine = (sign: 1n | -1n, label: string): MeasureValue | null => {
    if (!x || !m || x.value === null || m.value === null) return null;
    const v = toFixed(x.value) + sign * toFixed(m.value);
    const p = x.previous !== null && m.previous !== null ? toFixed(x.previous) + sign * toFixed(m.previous) : null;
    return { ...derived(v, p, label), sources: [...x.sources, ...m.sources] };
  };
  return {
    period: w.label,
    reporter: ctx.reporter,
    partner: ctx.partner,
    region: ctx.region,
    regionName: ctx.region ? (regionByCode(ctx.region)?.nameZh ?? null) : null,
    currency: ctx.currency,
    exports: x,
    imports: m,
    balance: combine(-1n, 'exports − imports'),
    total: combine(1n, 'exports + imports'),
  };
}

function derived(v: Fixed, prev: Fixed | null, note: string): MeasureValue {
  return {
    value: fixedText(v),
    basis: 'derived',
    // growth of a balance that changes sign is not meaningful; shown only when both have the same sign
    yoy: prev !== null && prev !== 0n && prev > 0n === v > 0n ? growthPercent(v, prev, 2) : null,
    previous: prev === null ? null : fixedText(prev),
    previousBasis: prev === null ? null : 'derived',
    publishedYoy: null,
    monthsSum: null,
    note,
    sources: [],
  };
}

interface WindowValue {
  value: Fixed | null;
  basis: Basis;
  monthsSum: Fixed | null;
  note: string | null;
  sources: MeasureValue['sources'];
}

function src(c: CellRow): MeasureValue['sources'][number] {
  return { file: c.sourceFile, line: c.sourceLine, dataset: c.dataset, vintage: c.vintage };
}

/** The value of one flow over a window, by the rules at the top of this file. */
/** Converts money between currencies month by month (see `query/currency.ts`). */
export interface CurrencyConverter {
  readonly target: string;
  /** A value of one month at that month's rate. */
  month(value: Fixed, month: MonthId): Fixed;
  /** A value of a window of months at the average of their rates (when no monthly breakdown exists). */
  window(value: Fixed, start: MonthId, end: MonthId): Fixed;
}

/**
 * The value of one flow over a window, by the rules at the top of this file. With a converter, monthly
 * values are converted at their own month's rate; a published cumulative figure is converted in proportion
 * to its converted months (so it keeps its revisions), and a figure with no monthly breakdown at the
 * window's average rate.
 */
export function windowValue(cells: CellRow[], w: Period, fx?: CurrencyConverter): WindowValue {
  const months = monthsOf(w);
  const monthly = new Map<number, CellRow>();
  for (const c of cells) if (!c.cumulative && c.periodStart === c.periodEnd) monthly.set(c.periodStart, c);
  // Jan+Feb published combined stands in for the two months
  const janFeb = new Map<number, CellRow>();
  for (const c of cells) {
    if (
      !c.cumulative &&
      monthOf(c.periodStart as MonthId) === 1 &&
      c.periodEnd === addMonths(c.periodStart as MonthId, 1)
    ) {
      janFeb.set(yearOf(c.periodStart as MonthId), c);
    }
  }
  let sum: Fixed = 0n;
  let sumFx: Fixed = 0n;
  let found = 0;
  const used: CellRow[] = [];
  for (const m of months) {
    const c = monthly.get(m);
    if (c) {
      const v = toFixed(c.value);
      sum += v;
      if (fx) sumFx += fx.month(v, m);
      found++;
      used.push(c);
    } else if (
      monthOf(m) === 1 &&
      janFeb.has(yearOf(m)) &&
      months.includes(monthId(yearOf(m), 2)) &&
      !monthly.has(monthId(yearOf(m), 2))
    ) {
      const jf = janFeb.get(yearOf(m))!;
      const v = toFixed(jf.value);
      sum += v;
      if (fx) sumFx += fx.window(v, m, monthId(yearOf(m), 2));
      found += 2;
      used.push(jf);
    }
  }
  const monthsComplete = found === months.length && found > 0;
  // a figure for the whole window, converted through its months when they are all there
  const convertWhole = (v: Fixed): { value: Fixed; note: string | null } => {
    if (!fx) return { value: v, note: null };
    if (monthsComplete && sum !== 0n) {
      return {
        value: mulDivRound(sumFx, v, sum),
        note: `converted to ${fx.target} month by month (each month at its own rate, the whole in proportion)`,
      };
    }
    return { value: fx.window(v, w.start, w.end), note: `converted to ${fx.target} at the window's average rate` };
  };
  const cum = cells.find((c) => c.cumulative && c.periodStart === w.start && c.periodEnd === w.end);
  if (cum) {
    const conv = convertWhole(toFixed(cum.value));
    return {
      value: conv.value,
      basis: 'published cumulative',
      monthsSum: monthsComplete ? (fx ? sumFx : sum) : null,
      note: conv.note,
      sources: [src(cum)],
    };
  }
  const exact = cells.find((c) => !c.cumulative && c.periodStart === w.start && c.periodEnd === w.end);
  if (exact) {
    const v = toFixed(exact.value);
    const conv = fx && w.start === w.end ? { value: fx.month(v, w.start), note: null } : convertWhole(v);
    return {
      value: conv.value,
      basis: 'published for the period',
      monthsSum: null,
      note: conv.note,
      sources: [src(exact)],
    };
  }
  if (monthsComplete) {
    return {
      value: fx ? sumFx : sum,
      basis: 'sum of months',
      monthsSum: null,
      note: `sum of ${months.length} monthly values${fx ? `, each converted to ${fx.target} at its month's rate` : ''}`,
      sources: used.map(src),
    };
  }
  return {
    value: null,
    basis: 'missing',
    monthsSum: null,
    note: found ? `only ${found} of ${months.length} months of ${w.label} are loaded` : `no data for ${w.label}`,
    sources: [],
  };
}

export { formatMonth };
