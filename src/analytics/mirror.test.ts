import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CIF_FOB_RULE_OF_THUMB, mirror } from './mirror.js';

describe('mirror, hand-computed', () => {
  it('computes gap, ratio and gap % exactly, with a freight-and-insurance-sized gap', () => {
    // exports 100 FOB, partner imports 107.5 CIF: gap 7.5, ratio 1.075, 7.5 %
    const m = mirror({ reporter: 'A', partner: 'B', reporterValue: '100', partnerValue: '107.5', period: '2022' });
    expect(m).toMatchObject({
      flow: 'exports',
      currency: 'USD',
      period: '2022',
      reporterReported: '100',
      partnerReported: '107.5',
      reporterBasis: 'FOB',
      partnerBasis: 'CIF',
      gap: '7.5',
      ratio: '1.0750',
      cifFobRatio: '1.0750',
      gapPercent: '7.50',
      reading: 'within-cif-fob-margin',
    });
    expect(m.caveats.map((c) => [c.code, c.relevance])).toEqual([
      ['cif-fob-valuation', 'likely'],
      ['timing', 'possible'],
      ['re-exports', 'possible'],
      ['partner-attribution', 'possible'],
      ['confidentiality', 'possible'],
      ['trade-system', 'possible'],
      ['currency-conversion', 'possible'],
    ]);
    expect(m.caveats[0]!.message).toContain('approximate rule of thumb, CIF/FOB ratios of about 1.05–1.10');
    expect(m.caveats[0]!.message).toContain('B values its imports CIF');
    expect(CIF_FOB_RULE_OF_THUMB).toEqual({ low: '1.05', high: '1.10' });
  });

  it('puts the margin boundary at exactly 1.10 and rounds half away from zero', () => {
    expect(mirror({ reporter: 'A', partner: 'B', reporterValue: '1000', partnerValue: '1100' }).reading).toBe(
      'within-cif-fob-margin',
    );
    const over = mirror({ reporter: 'A', partner: 'B', reporterValue: '1000', partnerValue: '1100.0001' });
    expect(over).toMatchObject({
      reading: 'beyond-cif-fob-margin',
      ratio: '1.1000',
      gap: '100.0001',
      gapPercent: '10.00',
    });
    // 2 / 3 = 0.66666… → 0.6667; gap −1 of 3 = −33.333… % → −33.33
    expect(mirror({ reporter: 'A', partner: 'B', reporterValue: '3', partnerValue: '2' })).toMatchObject({
      ratio: '0.6667',
      gapPercent: '-33.33',
      reading: 'cif-below-fob',
    });
  });

  it('reads the imports flow with the CIF side on the reporter', () => {
    // reporter imports 110 CIF, partner exports 100 FOB: gap −10, ratio 0.9091, CIF/FOB 1.1000
    const m = mirror({ reporter: 'A', partner: 'B', flow: 'imports', reporterValue: '110', partnerValue: '100' });
    expect(m).toMatchObject({
      reporterBasis: 'CIF',
      partnerBasis: 'FOB',
      gap: '-10',
      ratio: '0.9091',
      cifFobRatio: '1.1000',
      gapPercent: '-9.09',
      reading: 'within-cif-fob-margin',
    });
    expect(m.caveats[0]!.message).toContain('A values its imports CIF');
  });

  it('has no ratio when the reporter reports nothing', () => {
    expect(mirror({ reporter: 'A', partner: 'B', reporterValue: '0', partnerValue: '5' })).toMatchObject({
      gap: '5',
      ratio: null,
      cifFobRatio: null,
      gapPercent: null,
      reading: 'undefined',
    });
  });
});

/** Comtrade+ export, latin-1, every data row ending with a comma (one field more than the header). */
const comtrade: Record<string, string>[] = parse(
  iconv.decode(
    readFileSync(new URL('../../data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', import.meta.url)),
    'latin1',
  ),
  { columns: true, relax_column_count: true, skip_empty_lines: true },
);

const value = (reporterCode: string, flowCode: 'X' | 'M', partnerCode: string): string => {
  const found = comtrade.filter(
    (r) => r.reporterCode === reporterCode && r.flowCode === flowCode && r.partnerCode === partnerCode,
  );
  expect(found.length).toBe(1);
  return found[0]!.primaryValue!;
};

describe('real data: UN Comtrade 2022, China against its partners’ mirror figures', () => {
  it('decodes the latin-1 file', () => {
    expect(comtrade.some((r) => r.partnerDesc === "Côte d'Ivoire")).toBe(true);
  });

  it('China → USA: 582,756,110,047 reported by China, 575,688,091,172 by the USA', () => {
    const m = mirror({
      reporter: 'China',
      partner: 'USA',
      reporterValue: value('156', 'X', '842'),
      partnerValue: value('842', 'M', '156'),
      period: '2022',
    });
    expect(m).toMatchObject({
      reporterReported: '582756110047',
      partnerReported: '575688091172',
      gap: '-7068018875',
      ratio: '0.9879', // 0.987871…
      gapPercent: '-1.21', // −1.212861 %
      reading: 'cif-below-fob',
    });
    expect(
      mirror(
        { reporter: 'China', partner: 'USA', reporterValue: '582756110047', partnerValue: '575688091172' },
        { digits: 4, ratioDigits: 6 },
      ),
    ).toMatchObject({ ratio: '0.987871', gapPercent: '-1.2129' });
    expect(m.caveats.filter((c) => c.relevance === 'likely').map((c) => c.code)).toEqual([
      're-exports',
      'partner-attribution',
    ]);
  });

  it('China → Germany: 116,226,631,561 against 206,642,208,248.492, decimals kept', () => {
    const m = mirror({
      reporter: 'China',
      partner: 'Germany',
      reporterValue: value('156', 'X', '276'),
      partnerValue: value('276', 'M', '156'),
    });
    expect(m).toMatchObject({
      reporterReported: '116226631561',
      partnerReported: '206642208248.492',
      gap: '90415576687.492',
      ratio: '1.7779', // 1.777925…
      gapPercent: '77.79', // 77.792478 %
      reading: 'beyond-cif-fob-margin',
    });
  });

  it('the imports flow: China’s imports from the USA (CIF) against US exports to China (FOB)', () => {
    const m = mirror({
      reporter: 'China',
      partner: 'USA',
      flow: 'imports',
      reporterValue: value('156', 'M', '842'),
      partnerValue: value('842', 'X', '156'),
    });
    // 178,956,829,551 / 153,837,022,415 = 1.163288…
    expect(m).toMatchObject({ gap: '-25119807136', cifFobRatio: '1.1633', reading: 'beyond-cif-fob-margin' });
  });
});
