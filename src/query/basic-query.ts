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
import { resolveArea } from '../model/areas.js';
import { type Fixed, fixedText, growthPercent, ratioToPercent, toFixed } from '../model/decimal.js';
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
  currency: string;
  rows: BasicQueryRow[];
  notes: Problem[];
}

const ALL_FLOWS = ['X', 'M'] as const;

/** Runs a {@link BasicQuerySpec} against a store. */
export async function runBasicQuery(store: TradeStore, spec: BasicQuerySpec): Promise<BasicQueryResult> {
  const reporter = resolveArea(spec.reporter);
  if (!reporter) throw new UserError(`unknown reporter: ${spec.reporter}`);
  const partner = resolveArea(spec.partner ?? 'WLD');
  if (!partner) throw new UserError(`unknown partner: ${spec.partner}`);
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

  // dataset: named, declared precedence, or the only one
  const baseFilter: CellFilter = {
    reporters: [reporter.code],
    partners: [partner.code],
    regions: spec.regionLevel ? [...new Set([region, ...regions])] : [region],
    flows,
    products: ['TOTAL'],
    ...(spec.asOf ? { asOf: spec.asOf } : {}),
  };
  // the same cells: all products, over the window and the year before it (for YoY)
  const asked = spec.period ? parsePeriod(spec.period) : undefined;
  const covering = await store.datasetsCovering({
    ...baseFilter,
    ...(asked ? { overlapping: { start: addMonths(asked.start, -12), end: asked.end } } : {}),
  });
  let dataset: string;
  let datasetNote: string | null = null;
  if (spec.dataset) {
    if (!covering.some((c) => c.dataset === spec.dataset)) {
      throw new UserError(
        `dataset ${spec.dataset} has no cells for ${reporter.code} → ${partner.code}${region ? ` in ${region}` : ''}` +
          (covering.length ? ` (datasets that do: ${covering.map((c) => c.dataset).join(', ')})` : ''),
      );
    }
    dataset = spec.dataset;
  } else if (covering.length === 0) {
    throw new UserError(
      `no data for reporter ${reporter.code}, partner ${partner.code}${region ? `, region ${region}` : ''}; ` +
        'see `tradescope datasets` for what is loaded',
    );
  } else if (covering.length === 1) {
    dataset = covering[0]!.dataset;
  } else {
    const order = await store.precedence();
    const ranked = covering
      .filter((c) => order.includes(c.dataset))
      .sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
    if (!ranked.length) {
      throw new UserError(
        `${covering.length} datasets describe these cells and are never added together: ` +
          `${covering.map((c) => `${c.dataset} (${c.cells} cells)`).join(', ')}; ` +
          'name one with --dataset, or declare a precedence with `tradescope datasets --prefer a,b`',
        covering.map((c) => ({
          code: 'overlapping-datasets',
          severity: 'error',
          message: `candidate: ${c.dataset} (${c.cells} cells)`,
        })),
      );
    }
    dataset = ranked[0]!.dataset;
    datasetNote = `${dataset} chosen by the declared precedence over ${covering
      .filter((c) => c.dataset !== dataset)
      .map((c) => c.dataset)
      .join(', ')}`;
  }

  // the period: given, or the latest complete year / latest month
  const all = await store.cells({ ...baseFilter, datasets: [dataset] });
  if (all.length === 0) throw new UserError(`no data in ${dataset} for this selection`);
  const currencies = [...new Set(all.map((c) => c.currency))];
  const currency = currencies.includes(all[0]!.currency) ? all[0]!.currency : currencies[0]!;
  if (currencies.length > 1) {
    notes.push({
      code: 'several-currencies',
      severity: 'info',
      message: `the dataset has ${currencies.join(', ')}; showing ${currency}`,
    });
  }
  const cells = all.filter((c) => c.currency === currency);
  const rates = await store.rates({ ...baseFilter, datasets: [dataset] });
  const period = asked ?? defaultPeriod(cells);

  const windows: Period[] = [];
  if (spec.by === 'month') windows.push(...monthsOf(period).map(monthPeriod));
  else if (spec.by === 'year') {
    for (let y = yearOf(period.start); y <= yearOf(period.end); y++) windows.push(yearPeriod(y));
  } else windows.push(period);

  const rows: BasicQueryRow[] = [];
  for (const reg of regions) {
    const regCells = cells.filter((c) => c.region === reg);
    const regRates = rates.filter((r) => r.region === reg);
    for (const w of windows) {
      const row = buildRow(w, regCells, regRates, flows, {
        reporter: reporter.code,
        partner: partner.code,
        region: reg,
        currency,
      });
      if (spec.by === 'month') {
        const ytd = buildRow(ytdPeriod(w.end), regCells, regRates, flows, {
          reporter: reporter.code,
          partner: partner.code,
          region: reg,
          currency,
        });
        row.ytd = { exports: ytd.exports, imports: ytd.imports, balance: ytd.balance, total: ytd.total };
      }
      rows.push(row);
    }
  }
  if (spec.regionLevel)
    rows.push(
      ...remainderRows(rows, regions, windows, cells, rates, flows, reporter.code, partner.code, currency, region),
    );
  return { spec, dataset, datasetNote, currency, rows, notes };
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
  reporter: string,
  partner: string,
  currency: string,
  parent: string,
): BasicQueryRow[] {
  const out: BasicQueryRow[] = [];
  const whole = cells.filter((c) => c.region === parent);
  const parentName = parent ? (regionByCode(parent)?.nameZh ?? parent) : reporter;
  for (const w of windows) {
    const parentRow = buildRow(
      w,
      whole,
      rates.filter((r) => r.region === parent),
      flows,
      { reporter, partner, region: parent, currency },
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
    const cur = windowValue(fc, w);
    const prev = windowValue(fc, prevWindow);
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
export function windowValue(cells: CellRow[], w: Period): WindowValue {
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
  let found = 0;
  const used: CellRow[] = [];
  for (const m of months) {
    const c = monthly.get(m);
    if (c) {
      sum += toFixed(c.value);
      found++;
      used.push(c);
    } else if (
      monthOf(m) === 1 &&
      janFeb.has(yearOf(m)) &&
      months.includes(monthId(yearOf(m), 2)) &&
      !monthly.has(monthId(yearOf(m), 2))
    ) {
      const jf = janFeb.get(yearOf(m))!;
      sum += toFixed(jf.value);
      found += 2;
      used.push(jf);
    }
  }
  const monthsComplete = found === months.length;
  const cum = cells.find((c) => c.cumulative && c.periodStart === w.start && c.periodEnd === w.end);
  if (cum) {
    return {
      value: toFixed(cum.value),
      basis: 'published cumulative',
      monthsSum: monthsComplete ? sum : null,
      note: null,
      sources: [src(cum)],
    };
  }
  const exact = cells.find((c) => !c.cumulative && c.periodStart === w.start && c.periodEnd === w.end);
  if (exact)
    return {
      value: toFixed(exact.value),
      basis: 'published for the period',
      monthsSum: null,
      note: null,
      sources: [src(exact)],
    };
  if (monthsComplete && found > 0) {
    return {
      value: sum,
      basis: 'sum of months',
      monthsSum: null,
      note: `sum of ${months.length} monthly values`,
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
