import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toFixed } from '../model/decimal.js';
import type { MonthId } from '../model/period.js';
import { UserError } from '../util/errors.js';
import { conversionNote, convertMonthly, convertValue, crossRate } from './convert.js';
import { parseRateFile } from './load-rates.js';
import { bundledSeries, type RateSeries } from './rates.js';

const m = (n: number) => n as MonthId;
const fed = bundledSeries('fed-h10-monthly');

/** Half-even division for the independent checks below. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  return r2 > den || (r2 === den && q % 2n === 1n) ? q + 1n : q;
}

describe('convertMonthly', () => {
  it('converts CNY → USD by dividing by CNY per USD, and USD → CNY by multiplying', () => {
    const toUsd = convertMonthly([{ month: m(202401), value: '717.07', currency: 'CNY' }], 'USD', fed);
    expect(toUsd.values[0]).toMatchObject({
      converted: '100',
      rate: { rate: '0.139456398957', from: 'CNY', to: 'USD' },
    });
    expect(toUsd.values[0]!.rate.fromPerUsd).toMatchObject({ currency: 'CNY', perUsd: '7.1707', basis: 'monthly' });
    expect(toUsd.series).toMatchObject({
      id: 'fed-h10-monthly',
      source: { file: 'data/fx/exchange-rates-monthly.csv' },
    });
    expect(convertValue('100', 'USD', 'CNY', m(202401), fed).converted).toBe('717.07');
  });

  it('goes through USD for other pairs (JPY → CNY), rounding once', () => {
    const c = convertValue('1000000', 'JPY', 'CNY', m(202401), fed);
    // 1,000,000 × 7.1707 / 146.2943, to 4 decimals half-even, computed independently
    const expected = roundHalfEven(1_000_000n * 10_000n * 71707n * 10_000n, 1462943n * 10_000n);
    expect(c.converted).toBe(`${expected / 10_000n}.${String(expected % 10_000n).padStart(4, '0')}`);
    expect(c.converted).toBe('49015.5802'); // 49015.58022…
    expect(c.rate.rate).toBe(crossRate('146.2943', '7.1707'));
    expect(c.rate.fromPerUsd?.currency).toBe('JPY');
    expect(c.rate.toPerUsd?.currency).toBe('CNY');
  });

  it('rounds half to even at 4 decimals', () => {
    const two: RateSeries = {
      id: 'two',
      name: 'two',
      source: { name: 'test', file: 'none' },
      frequency: 'monthly',
      quotation: 'per-usd',
      rates: new Map([['XAA', new Map([[202401, { value: '2' }]])]]),
    };
    const c = convertMonthly(
      [
        { month: m(202401), value: '0.0001', currency: 'XAA' }, // 0.00005 → 0
        { month: m(202401), value: '0.0003', currency: 'XAA' }, // 0.00015 → 0.0002
        { month: m(202401), value: '-0.0003', currency: 'XAA' }, // −0.00015 → −0.0002
      ],
      'USD',
      two,
    );
    expect(c.values.map((v) => v.converted)).toEqual(['0', '0.0002', '-0.0002']);
    expect(c.total).toBe('0');
  });

  it('throws a UserError naming the month and currency when a month has no rate', () => {
    const run = () =>
      convertMonthly(
        [
          { month: m(202606), value: '1', currency: 'CNY' },
          { month: m(202607), value: '1', currency: 'CNY' },
        ],
        'USD',
        fed,
      );
    expect(run).toThrow(UserError);
    expect(run).toThrow(/no CNY rate for 2026-07 in series fed-h10-monthly/);
    expect(run).toThrow(/tradescope fx load/);
    try {
      run();
    } catch (e) {
      expect((e as UserError).problems.map((p) => p.message)).toEqual([
        'no CNY rate for 2026-07 in series fed-h10-monthly',
      ]);
    }
    // the target side too
    expect(() => convertValue('1', 'USD', 'DEM', m(200201), fed)).toThrow(/no DEM rate for 2002-01/);
  });
});

describe('GAC 2024 exports in USD (acceptance)', () => {
  // National monthly values as first published (万元). The file's 进口 columns hold EXPORTS (swapped labels).
  const csv = readFileSync(
    new URL('../../test/fixtures/gacc/gacc_region_monthly_2024_2025.csv', import.meta.url),
    'utf8',
  );
  const lines = csv.split(/\r?\n/);
  const header = lines[0]!.split(',');
  const col = header.indexOf('进口_当月');
  const byMonth = new Map<number, bigint>();
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    if (c[0] !== '全国' || !c[1]?.startsWith('2024-')) continue;
    const month = Number(c[1].replace('-', ''));
    const wan = BigInt(c[col]!);
    const seen = byMonth.get(month);
    if (seen !== undefined && seen !== wan) throw new Error(`two values for ${month}`);
    byMonth.set(month, wan); // the file repeats 2024-01 and 2024-02 with the same values
  }

  it('has twelve months summing to the documented 2,547,616,893 万元', () => {
    expect(byMonth.size).toBe(12);
    expect([...byMonth.values()].reduce((a, b) => a + b, 0n)).toBe(2_547_616_893n);
  });

  it('converts month by month with the bundled CNY/USD rates: about US$3.54 trillion, within 1.5 % of US$3.58 trillion', () => {
    // independent: the CNY/USD rates straight from the derived file, plain BigInt arithmetic
    const rates = new Map<number, bigint>();
    for (const line of readFileSync(new URL('../../data/fx/cny-usd-monthly.csv', import.meta.url), 'utf8').split(
      /\r?\n/,
    )) {
      const r = /^(\d{4})-(\d{2})-01,China,(\d+)\.(\d{4})$/.exec(line);
      if (r) rates.set(Number(r[1]) * 100 + Number(r[2]), BigInt(r[3]! + r[4]!)); // rate × 10^4
    }
    let expected = 0n; // USD × 10^4
    for (const [month, wan] of byMonth) {
      const cny = wan * 10_000n;
      // USD × 10^4 = CNY × 10^4 ÷ (rate) = CNY × 10^4 × 10^4 ÷ (rate × 10^4)
      expected += roundHalfEven(cny * 10_000n * 10_000n, rates.get(month)!);
    }

    const c = convertMonthly(
      [...byMonth].map(([month, wan]) => ({ month: m(month), value: String(wan * 10_000n), currency: 'CNY' })),
      'USD',
      fed,
    );
    const total = toFixed(c.total); // USD × 10^4
    expect(total).toBe(expected);
    expect(c.total).toBe('3540453504053.3647');
    // within 1.5 % of GAC's published US$3.58 trillion
    const published = 3_580_000_000_000n * 10_000n;
    const gap = published - total;
    expect(gap * 1000n < published * 15n).toBe(true);
    expect(c.values.map((v) => v.rate.fromPerUsd?.perUsd)).toEqual([
      '7.1707',
      '7.1935',
      '7.2015',
      '7.2374',
      '7.2327',
      '7.2547',
      '7.2609',
      '7.1475',
      '7.0760',
      '7.0881',
      '7.2063',
      '7.2807',
    ]);

    const note = conversionNote(c, {
      customs: 'GAC',
      published: { value: '3580000000000', label: "GAC's published 2024 exports" },
    });
    expect(note).toContain('month by month (2024-01 … 2024-12, 12 months) at the monthly average rate');
    expect(note).toContain('series fed-h10-monthly, data/fx/exchange-rates-monthly.csv');
    expect(note).toContain('customs declaration at the customs exchange rate');
    expect(note).toContain('3.54 trillion USD (3,540,453,504,053.3647), −1.10 % of the published figure');
  });
});

describe('a user series instead of the bundled one', () => {
  it('converts with the IMF daily series (monthly means) and says so', () => {
    const imf = parseRateFile(
      readFileSync(new URL('../../test/fixtures/partner-series/exchange-rates.csv', import.meta.url), 'utf8'),
      { name: 'IMF representative rates (daily)' },
      { id: 'imf-daily', file: 'exchange-rates.csv' },
    ).series;
    const values = [{ month: m(201610), value: '6749093333.3333', currency: 'CNY' }];
    const user = convertMonthly(values, 'USD', imf);
    const bundled = convertMonthly(values, 'USD', fed);
    // October 2016: mean of 15 days = 6.749093333333 CNY per USD (checked by hand in load-rates.test.ts)
    expect(user.values[0]!.rate.fromPerUsd).toMatchObject({ perUsd: '6.749093333333', basis: 'daily-mean', days: 15 });
    expect(user.values[0]!.converted).toBe('1000000000');
    expect(user.series.id).toBe('imf-daily');
    expect(bundled.values[0]!.converted).not.toBe(user.values[0]!.converted);
    expect(conversionNote(user)).toContain(
      'at the monthly mean of the daily rate of each month from IMF representative rates (daily)',
    );
  });
});
