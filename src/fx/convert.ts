/**
 * Converting monthly values between currencies with a rate series, month by month.
 *
 * Every rate is "units per 1 USD", so any pair goes through USD: value × (to per USD) ÷ (from per USD).
 * CNY → USD is value ÷ CNY-per-USD; USD → CNY is value × CNY-per-USD; JPY → CNY is value ÷ JPY-per-USD ×
 * CNY-per-USD. The product is computed exactly (BigInt) and rounded once, half-even, to 4 decimals in base
 * units of the target currency (the store's DECIMAL(38,4)). The rate shown (`rate`, units of the target per
 * unit of the source) has 12 significant digits and is for reading; the conversion uses the exact quotient.
 *
 * A month without a rate is a {@link UserError} naming the month and currency: never a zero, never a
 * neighbouring month's rate.
 */
import { type Fixed, fixedText, groupThousands, humanAmount, toFixed } from '../model/decimal.js';
import { formatMonth, type MonthId } from '../model/period.js';
import { type Problem, UserError } from '../util/errors.js';
import {
  divHalfEven,
  type MonthRate,
  parseDec,
  type RateFrequency,
  type RateSeries,
  type RateSource,
  rateFor,
  ratioSignificant,
} from './rates.js';

/** A value to convert: exact decimal text in base units of `currency` (at most 4 decimals). */
export interface ValueToConvert {
  month: MonthId;
  value: string;
  currency: string;
}

/** The rate applied to one month. */
export interface RateUsed {
  month: MonthId;
  from: string;
  to: string;
  /** Units of `to` per 1 unit of `from`, 12 significant digits (display; the conversion is exact). */
  rate: string;
  /** The legs through USD as found in the series (absent for USD itself). */
  fromPerUsd?: MonthRate;
  toPerUsd?: MonthRate;
}

export interface ConvertedValue {
  month: MonthId;
  currency: string;
  value: string;
  to: string;
  /** Exact decimal text in base units of `to`, rounded half-even to 4 decimals. */
  converted: string;
  rate: RateUsed;
}

/** The series a conversion used, to travel with the result. */
export interface SeriesRef {
  id: string;
  name: string;
  frequency: RateFrequency;
  source: RateSource;
}

export interface Conversion {
  to: string;
  series: SeriesRef;
  values: ConvertedValue[];
  /** Sum of the converted values (each already rounded), exact. */
  total: string;
  /** How the numbers were computed, in one sentence. */
  method: string;
}

export const CONVERSION_METHOD =
  'month by month: value × (target per USD) ÷ (source per USD), computed exactly and rounded once, half-even, to 4 decimals in base units';

/** The reference to a series that travels with a result. */
export function seriesRef(series: RateSeries): SeriesRef {
  return { id: series.id, name: series.name, frequency: series.frequency, source: series.source };
}

/**
 * Converts monthly values to `to` with each month's rate of `series`.
 * Throws a {@link UserError} listing every month and currency without a rate.
 * @example
 * const c = convertMonthly([{ month: 202401 as MonthId, value: '1577336500000', currency: 'CNY' }], 'USD',
 *   bundledSeries('fed-h10-monthly'));
 * c.values[0].converted // '219967992246.0987' (1,577,336,500,000 ÷ 7.1707)
 */
export function convertMonthly(values: readonly ValueToConvert[], to: string, series: RateSeries): Conversion {
  const target = to.toUpperCase();
  const problems: Problem[] = [];
  const out: ConvertedValue[] = [];
  let total = 0n;
  for (const v of values) {
    const from = v.currency.toUpperCase();
    const fromRate = rateFor(series, from, v.month);
    const toRate = rateFor(series, target, v.month);
    for (const [cur, r] of [
      [from, fromRate],
      [target, toRate],
    ] as const) {
      if (!r && !problems.some((p) => p.value === `${cur} ${formatMonth(v.month)}`)) {
        problems.push({
          code: 'no-rate',
          severity: 'error',
          message: `no ${cur} rate for ${formatMonth(v.month)} in series ${series.id}`,
          value: `${cur} ${formatMonth(v.month)}`,
        });
      }
    }
    if (!fromRate || !toRate) continue;
    const converted = convertFixed(toFixed(v.value), fromRate.perUsd, toRate.perUsd);
    total += converted;
    out.push({
      month: v.month,
      currency: from,
      value: v.value,
      to: target,
      converted: fixedText(converted),
      rate: {
        month: v.month,
        from,
        to: target,
        rate: crossRate(fromRate.perUsd, toRate.perUsd),
        ...(from === 'USD' ? {} : { fromPerUsd: fromRate }),
        ...(target === 'USD' ? {} : { toPerUsd: toRate }),
      },
    });
  }
  if (problems.length > 0) {
    const first = problems[0]!.message;
    const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
    throw new UserError(
      `${first}${more} (a month without a rate cannot be converted; load a series that covers it with \`tradescope fx load <file> --series <id>\`, list series with \`tradescope fx series\`)`,
      problems,
    );
  }
  return { to: target, series: seriesRef(series), values: out, total: fixedText(total), method: CONVERSION_METHOD };
}

/**
 * Converts one exact amount: `value` × toPerUsd ÷ fromPerUsd, rounded once, half-even, to 4 decimals.
 * `value` and the result are {@link Fixed} (× 10^4); the rates are "units per 1 USD" decimal text.
 * @example fixedText(convertFixed(toFixed('717.07'), '7.1707', '1')) // '100'
 */
export function convertFixed(value: Fixed, fromPerUsd: string, toPerUsd: string): Fixed {
  const f = parseDec(fromPerUsd)!;
  const t = parseDec(toPerUsd)!;
  return divHalfEven(value * t.units * 10n ** BigInt(f.scale), f.units * 10n ** BigInt(t.scale));
}

/** Units of the target per unit of the source: toPerUsd ÷ fromPerUsd, 12 significant digits. */
export function crossRate(fromPerUsd: string, toPerUsd: string): string {
  const f = parseDec(fromPerUsd)!;
  const t = parseDec(toPerUsd)!;
  return ratioSignificant(t.units * 10n ** BigInt(f.scale), f.units * 10n ** BigInt(t.scale));
}

/**
 * Converts one value of one month (a shorthand for a one-element {@link convertMonthly}).
 * @example convertValue('100', 'USD', 'CNY', 202401 as MonthId, series).converted // '717.07'
 */
export function convertValue(
  value: string,
  from: string,
  to: string,
  month: MonthId,
  series: RateSeries,
): ConvertedValue {
  return convertMonthly([{ month, value, currency: from }], to, series).values[0]!;
}

export interface NoteOptions {
  /** Set when the values are GAC's CNY figures: explains why GAC's own USD figures differ. */
  customs?: 'GAC';
  /** A published figure in the target currency to compare with, e.g. `{ value: '3580000000000', label: … }`. */
  published?: { value: string; label: string };
}

/**
 * The explanation that goes with converted figures: which rates, from where, and why an official figure in
 * the target currency differs.
 * @example conversionNote(conversion, { customs: 'GAC', published: { value: '3580000000000', label: "GAC's 2024 exports" } })
 */
export function conversionNote(c: Conversion, options: NoteOptions = {}): string {
  const months = c.values.map((v) => v.month).sort((a, b) => a - b);
  const span =
    months.length === 0
      ? ''
      : months.length === 1
        ? ` (${formatMonth(months[0]!)})`
        : ` (${formatMonth(months[0]!)} … ${formatMonth(months[months.length - 1]!)}, ${months.length} months)`;
  const kind = { monthly: 'monthly average', annual: 'annual average', daily: 'monthly mean of the daily' }[
    c.series.frequency
  ];
  const parts = [
    `Converted to ${c.to} month by month${span} at the ${kind} rate of each month from ${c.series.name} ` +
      `[series ${c.series.id}, ${c.series.source.file}]` +
      (c.series.frequency === 'annual' ? ' (an annual series gives every month of a year the same rate)' : '') +
      '.',
  ];
  if (options.customs === 'GAC') {
    parts.push(
      `GAC does not derive its ${c.to === 'CNY' ? 'CNY' : 'USD'} figures this way: it converts each customs ` +
        'declaration at the customs exchange rate that applies to it and adds up the results, so its official ' +
        'totals in the other currency differ from a conversion of monthly totals at a market average rate. ' +
        'The gap is expected and is not an error in either figure; to convert with other rates (e.g. official ' +
        'central-parity rates), load them with `tradescope fx load` and pass their series id.',
    );
  }
  if (options.published) {
    const pub = toFixed(options.published.value);
    const ours = toFixed(c.total);
    if (pub !== 0n) {
      const diff = divHalfEven((ours - pub) * 10000n, pub); // basis points of the published figure
      const sign = diff < 0n ? '−' : '+';
      const abs = diff < 0n ? -diff : diff;
      parts.push(
        `${options.published.label}: ${humanAmount(pub)} ${c.to}; this conversion: ${humanAmount(ours)} ${c.to} ` +
          `(${groupThousands(c.total)}), ${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')} % ` +
          'of the published figure.',
      );
    }
  }
  return parts.join(' ');
}
