import { describe, expect, it } from 'vitest';
import type { MonthId } from '../model/period.js';
import { parseRateFile } from './load-rates.js';
import {
  bundledSeries,
  fxSeries,
  H10_INVERTED_AT_SOURCE,
  invertRate,
  monthlyMean,
  rateFor,
  ratioSignificant,
  seriesCurrencies,
} from './rates.js';

const m = (n: number) => n as MonthId;

describe('bundled Fed H.10 series', () => {
  const monthly = bundledSeries('fed-h10-monthly');

  it('maps the 34 countries to ISO 4217 codes', () => {
    expect(seriesCurrencies(monthly)).toHaveLength(34);
    expect(seriesCurrencies(monthly)).toEqual(
      expect.arrayContaining(['CNY', 'EUR', 'GBP', 'JPY', 'AUD', 'NZD', 'IEP']),
    );
  });

  it('reads CNY per USD as in the file', () => {
    expect(rateFor(monthly, 'CNY', m(202401))).toEqual({
      month: 202401,
      currency: 'CNY',
      perUsd: '7.1707',
      basis: 'monthly',
    });
    expect(rateFor(monthly, 'cny', m(202412))?.perUsd).toBe('7.2807');
    expect(rateFor(monthly, 'USD', m(202412))?.perUsd).toBe('1');
  });

  // FRED quotes AUD, EUR, IEP, NZD and GBP in USD per unit; the scraper behind the bundled file already wrote
  // 1/x for them. The values must therefore be read as they stand, not inverted a second time.
  it('holds EUR, GBP, AUD, NZD and IEP per USD already (not inverted again); JPY per USD as always', () => {
    expect(H10_INVERTED_AT_SOURCE).toEqual(['AUD', 'EUR', 'IEP', 'NZD', 'GBP']);
    const at = (cur: string, month: number) => rateFor(monthly, cur, m(month))?.perUsd;
    expect(at('EUR', 202401)).toBe('0.9175'); // EUR per USD: 1 EUR ≈ 1.09 USD
    expect(invertRate('0.9175')).toBe('1.08991825613'); // USD per EUR, for the record
    expect(at('GBP', 202401)).toBe('0.7873'); // 1 GBP ≈ 1.27 USD
    expect(at('AUD', 202401)).toBe('1.5069'); // 1 AUD ≈ 0.66 USD
    expect(at('NZD', 202401)).toBe('1.6213'); // 1 NZD ≈ 0.62 USD
    expect(at('IEP', 198502)).toBe('1.0612'); // the punt in February 1985, below the dollar
    expect(at('GBP', 198502)).toBe('0.9148'); // sterling's low of February 1985: 1 GBP ≈ 1.09 USD
    expect(at('JPY', 202401)).toBe('146.2943');
  });

  it('has no rate, not zero, for a month the file does not cover', () => {
    expect(rateFor(monthly, 'CNY', m(202607))).toBeUndefined();
    expect(rateFor(monthly, 'EUR', m(199812))).toBeUndefined(); // the euro starts in 1999-01
    expect(rateFor(monthly, 'DEM', m(200201))).toBeUndefined(); // legacy currencies end in 2001-12
  });

  it('reads the annual series; a month takes its year', () => {
    const annual = bundledSeries('fed-h10-annual');
    expect(annual.frequency).toBe('annual');
    expect(rateFor(annual, 'EUR', m(202406))).toEqual({
      month: 202406,
      currency: 'EUR',
      perUsd: '0.9242',
      basis: 'annual',
    });
    expect(rateFor(annual, 'GBP', m(202406))).toBeUndefined(); // no annual UK series in the file
  });

  it('lists the bundled series', async () => {
    const list = await fxSeries();
    expect(list.map((s) => [s.id, s.origin, s.frequency])).toEqual([
      ['fed-h10-monthly', 'bundled', 'monthly'],
      ['fed-h10-annual', 'bundled', 'annual'],
    ]);
    expect(list[0]).toMatchObject({ first: 197101, last: 202606, file: 'data/fx/exchange-rates-monthly.csv' });
  });
});

describe('quotation of user files', () => {
  it('inverts USD-per-unit quotes to 12 significant digits; leaves per-USD quotes alone', () => {
    const text = 'month,EUR,GBP,AUD,NZD,JPY\n2024-01,1.0899,1.2702,0.6636,0.6168,146.2943\n';
    const { series } = parseRateFile(
      text,
      { quotation: { EUR: 'usd-per-unit', GBP: 'usd-per-unit', AUD: 'usd-per-unit', NZD: 'usd-per-unit' } },
      { id: 't', file: 't.csv' },
    );
    const at = (cur: string) => rateFor(series, cur, m(202401))?.perUsd;
    expect(at('EUR')).toBe('0.917515368382'); // 1 / 1.0899 = 0.91751536838242…
    expect(at('GBP')).toBe('0.78727759408'); // 0.787277594080
    expect(at('AUD')).toBe('1.50693188668');
    expect(at('NZD')).toBe('1.62127107652');
    expect(at('JPY')).toBe('146.2943');
  });
});

describe('exact decimals for rates', () => {
  it('rounds half to even', () => {
    expect(ratioSignificant(1n, 8n, 2)).toBe('0.12'); // 0.125 → 0.12
    expect(ratioSignificant(3n, 8n, 2)).toBe('0.38'); // 0.375 → 0.38
    expect(ratioSignificant(5n, 2n, 1)).toBe('2'); // 2.5 → 2
  });
  it('inverts to 12 significant digits', () => {
    expect(invertRate('1.0821')).toBe('0.92412900841'); // 0.924129008410 (trailing zero dropped)
    expect(invertRate('0.0000613')).toBe('16313.2137031');
    expect(invertRate('4')).toBe('0.25');
  });
  it('takes monthly means exactly, rounded half-even to 12 decimals', () => {
    expect(monthlyMean(['7.1', '7.2', '7.4'])).toBe('7.233333333333');
    expect(monthlyMean(['0.000000000001', '0.000000000002'])).toBe('0.000000000002'); // 1.5e-12 → 2e-12
    expect(monthlyMean(['0.000000000002', '0.000000000003'])).toBe('0.000000000002'); // 2.5e-12 → 2e-12
  });
});
