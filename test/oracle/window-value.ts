/**
 * A cell-level reference computation of a window's value, for tests only: it reads the cells one by one (the
 * engine sums in the store's SQL), so the two agree only when both follow the same rules.
 *
 * Rules for a window's value, in order:
 * 1. a published cumulative figure for exactly this window (January … month): the authority for YTD;
 * 2. a value published for exactly this window (a year, a Jan+Feb combined month, a month);
 * 3. the sum of the window's monthly values, when every month is there (basis "sum of months").
 */
import { type Fixed, mulDivRound, toFixed } from '../../src/model/decimal.js';
import { addMonths, type MonthId, monthId, monthOf, monthsOf, type Period, yearOf } from '../../src/model/period.js';
import type { CurrencyConverter } from '../../src/query/currency.js';
import type { CellRow } from '../../src/store/store.js';

export type OracleBasis = 'published cumulative' | 'published for the period' | 'sum of months' | 'missing';

interface WindowValue {
  value: Fixed | null;
  basis: OracleBasis;
  monthsSum: Fixed | null;
  note: string | null;
  sources: { file: string; line: number | null; dataset: string; vintage: string }[];
}

function src(c: CellRow): WindowValue['sources'][number] {
  return { file: c.sourceFile, line: c.sourceLine, dataset: c.dataset, vintage: c.vintage };
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

export type { formatMonth };
