import { resolveArea } from '../model/areas.js';
import { type Fixed, fixedText, growthPercent, toFixed } from '../model/decimal.js';
import {
  addMonths,
  type MonthId,
  monthCount,
  monthOf,
  monthPeriod,
  monthsOf,
  type Period,
  quarterPeriod,
  rangePeriod,
  shiftYears,
  yearOf,
  yearPeriod,
  ytdPeriod,
} from '../model/period.js';
import type { AggregateRow } from '../store/store.js';
import type { Problem } from '../util/errors.js';
import type { Basis } from './result.js';

export const PERIOD_DIMS = new Set(['month', 'quarter', 'year']);

export const PRODUCT_DIGITS: Record<string, number> = { product: 6, hs2: 2, hs4: 4, hs6: 6 };

/** How {@link pick} finds the value of an aggregated group for a window. */
export function basisOfRow(a: AggregateRow, w: Period, monthsCovered = 0): Basis {
  if (a.cumulative !== null && a.cumulativeCells > 0) return 'published cumulative';
  if (a.exact !== null && a.exactCells > 0) return 'published for the period';
  // a month's own value is the value published for it
  if (w.start === w.end && a.months !== null && a.monthsFound >= 1) return 'published for the period';
  const need = monthCount(w.start, w.end);
  if (a.months !== null && (a.monthsFound >= need || monthsCovered >= need)) return 'sum of months';
  return 'missing';
}

/** Growth in percent; none for a balance that changes sign or starts from zero. */
export function growth(flow: string, cur: Fixed | null, prev: Fixed | null): string | null {
  if (cur === null || prev === null || prev === 0n) return null;
  if (flow === 'balance' && prev > 0n !== cur > 0n) return null;
  return growthPercent(cur, prev, 2);
}

export function fixedOrNull(v: Fixed | null): string | null {
  return v === null ? null : fixedText(v);
}

/** The value of an aggregated group for a window, by the YTD rules. */
export function pick(a: AggregateRow, w: Period, monthsCovered = 0): Fixed | null {
  if (a.cumulative !== null && a.cumulativeCells > 0) return toFixed(a.cumulative);
  if (a.exact !== null && a.exactCells > 0) return toFixed(a.exact);
  const need = monthCount(w.start, w.end);
  if (a.months !== null && (a.monthsFound >= need || monthsCovered >= need)) return toFixed(a.months);
  return null;
}

export function sumOf(values: (Fixed | null)[]): Fixed | null {
  let s = 0n;
  for (const v of values) {
    if (v === null) return null;
    s += v;
  }
  return values.length ? s : null;
}

export function isAggregatePartner(code: string | undefined): boolean {
  if (!code) return false;
  const a = resolveArea(code);
  return code === 'WLD' || a?.kind === 'group';
}

export function splitPeriod(p: Period, dim: string | undefined): Period[] {
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

export function comparisonWindow(p: Period, compare: 'yoy' | 'mom' | 'prev'): Period {
  if (compare === 'yoy') return shiftYears(p, -1);
  const n = monthCount(p.start, p.end);
  if (compare === 'mom') return monthPeriod(addMonths(p.start, -1));
  const s = addMonths(p.start, -n);
  const e = addMonths(p.end, -n);
  return s === e ? monthPeriod(s) : rangePeriod(s, e);
}

export function flowName(f: string): string {
  return f === 'X' ? 'exports' : f === 'M' ? 'imports' : f === 'RX' ? 're-exports' : f === 'RM' ? 're-imports' : f;
}

export function problem(field: string, message: string, value: string): Problem {
  return { code: 'bad-spec', severity: 'error', message: `${field}: ${message}`, at: { field }, value };
}
