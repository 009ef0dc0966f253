/**
 * Showing values in another currency: month by month, at the rate series' monthly rate for each month,
 * through USD (CNY → USD divides by CNY per USD; CNY → JPY multiplies by JPY per CNY). Every rate used
 * travels with the result; a month without a rate is an error naming it, never a silent zero.
 */
import { convertFixed } from '../fx/convert.js';
import { findSeries, parseDec, type RateSeries, rateFor } from '../fx/rates.js';
import { type Fixed, mulDivRound } from '../model/decimal.js';
import { addMonths, formatMonth, type MonthId } from '../model/period.js';
import type { TradeStore } from '../store/store.js';
import { type Problem, UserError } from '../util/errors.js';

/** Converts money between currencies month by month (see `query/currency.ts`). */
export interface CurrencyConverter {
  readonly target: string;
  /** A value of one month at that month's rate. */
  month(value: Fixed, month: MonthId): Fixed;
  /** A value of a window of months at the average of their rates (when no monthly breakdown exists). */
  window(value: Fixed, start: MonthId, end: MonthId): Fixed;
}

export const DEFAULT_FX_SERIES = 'fed-h10-monthly';

/** The rates behind a converted result. */
export interface FxDescription {
  series: string;
  seriesName: string;
  source: string;
  from: string;
  to: string;
  method: string;
  /** Each month used: units of `from` and of `to` per 1 USD. */
  rates: { month: string; fromPerUsd: string; toPerUsd: string }[];
}

export interface ConversionContext {
  converter: CurrencyConverter;
  describe(): FxDescription;
  notes(): Problem[];
}

/** Loads a series: a bundled one, or one a user loaded into the store (`tradescope fx load`). */
export async function loadSeries(store: TradeStore, id: string): Promise<RateSeries> {
  return findSeries(id, store.localStaging);
}

/**
 * A month-by-month converter from one currency to another with a rate series.
 * @example const fx = await converterFor(store, 'CNY', 'USD'); fx.converter.month(toFixed('1000'), 202406)
 */
export async function converterFor(
  store: TradeStore,
  from: string,
  to: string,
  seriesId = DEFAULT_FX_SERIES,
): Promise<ConversionContext> {
  const series = await loadSeries(store, seriesId);
  const used = new Map<number, { fromPerUsd: string; toPerUsd: string }>();
  const rate = (currency: string, month: MonthId): string => {
    const r = rateFor(series, currency, month);
    if (!r) {
      throw new UserError(
        `no ${currency} rate for ${formatMonth(month)} in the series ${series.id} (${series.name}); ` +
          'load a series that covers it with `tradescope fx load <file> --series <id>` and pass --fx-series',
      );
    }
    return r.perUsd;
  };
  const pair = (month: MonthId) => {
    let p = used.get(month);
    if (!p) {
      p = { fromPerUsd: rate(from, month), toPerUsd: rate(to, month) };
      used.set(month, p);
    }
    return p;
  };
  // v × (to per USD) ÷ (from per USD), exact, rounded half-even to 0.0001
  const apply = (v: Fixed, fromPerUsd: string, toPerUsd: string): Fixed => convertFixed(v, fromPerUsd, toPerUsd);
  const converter: CurrencyConverter = {
    target: to,
    month(v, month) {
      const p = pair(month);
      return apply(v, p.fromPerUsd, p.toPerUsd);
    },
    window(v, start, end) {
      // the average rate of the window's months (no monthly breakdown of the value exists)
      let sumF = 0n;
      let sumT = 0n;
      const scale = 12;
      for (let m = start; m <= end; m = addMonths(m, 1)) {
        const p = pair(m);
        sumF += rescale(p.fromPerUsd, scale);
        sumT += rescale(p.toPerUsd, scale);
      }
      return mulDivRound(v, sumT, sumF);
    },
  };
  return {
    converter,
    describe: () => ({
      series: series.id,
      seriesName: series.name,
      source: `${series.source.name}${series.source.url ? ` (${series.source.url})` : ''}`,
      from,
      to,
      method:
        "each month at its monthly average rate, through USD; a figure without a monthly breakdown at the average of its months' rates",
      rates: [...used.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([m, p]) => ({ month: formatMonth(m as MonthId), ...p })),
    }),
    notes: () => {
      const out: Problem[] = [
        {
          code: 'converted',
          severity: 'info',
          message:
            `values converted from ${from} to ${to} month by month at the monthly average rates of ${series.name} ` +
            `(${used.size} month${used.size === 1 ? '' : 's'}; see --json for each rate)`,
        },
      ];
      if (from === 'CNY') {
        out.push({
          code: 'customs-rates',
          severity: 'info',
          message:
            'GAC publishes its own USD figures: it converts each customs declaration at the customs exchange rate ' +
            'of the time, not at a monthly market average, so a converted total differs from the official one ' +
            '(e.g. 2024 exports: US$3.58 trillion published)',
        });
      }
      return out;
    },
  };
}

function rescale(text: string, scale: number): bigint {
  const d = parseDec(text);
  if (!d) throw new Error(`bad rate: ${text}`);
  return d.scale <= scale ? d.units * 10n ** BigInt(scale - d.scale) : d.units / 10n ** BigInt(d.scale - scale);
}
