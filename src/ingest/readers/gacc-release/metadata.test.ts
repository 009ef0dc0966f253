import { describe, expect, it } from 'vitest';
import { classifyColumn, type DataColumn } from './columns.js';
import { parsePublicationDate, parseReleaseTitle, parseUnitLine } from './metadata.js';

describe('release titles', () => {
  it.each([
    // title as printed on the page → section, kind, year, month, Jan–Feb combined, currency
    [
      "(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY)",
      4,
      'partners',
      2025,
      2,
      true,
      'CNY',
    ],
    ["(5) China's Major Exports by Quantity and Value, April 2025 (in USD)", 5, 'exports', 2025, 4, false, 'USD'],
    ["(6) China's Major Imports by Quantity and Value, May 2026 (in CNY)", 6, 'imports', 2026, 5, false, 'CNY'],
    [
      "China's Total Value of Imports and Exports by Major Country (Region), Jan. 2018",
      4,
      'partners',
      2018,
      1,
      false,
      undefined,
    ],
    [
      "(2) China's Total Export & Import Values by Trade Mode, 2018 (Only August, in CNY)",
      2,
      'trade-mode',
      2018,
      8,
      false,
      'CNY',
    ],
    ["(1) China's Total Export & Import Values, Mar 2026 (in RMB)", 1, 'totals', 2026, 3, false, 'CNY'],
    ['（4）2026年7月进出口商品主要国别（地区）总值表（人民币值）', 4, 'partners', 2026, 7, false, 'CNY'],
    ['（3）2026年1至7月进出口商品贸易方式总值表（美元值）', 3, 'trade-mode', 2026, 7, false, 'USD'],
    ['（5）2026年1-2月全国出口重点商品量值表（美元值）', 5, 'exports', 2026, 2, true, 'USD'],
  ])('%s', (title, section, kind, year, month, janFeb, currency) => {
    const t = parseReleaseTitle(title)!;
    expect(t.section).toBe(section);
    expect(t.kind).toBe(kind);
    expect(t.period).toMatchObject({ year, month, janFeb });
    expect(t.currency).toBe(currency);
    expect(t.notes).toEqual([]);
  });

  it('a section number that contradicts the description: the description wins, and it is said', () => {
    const t = parseReleaseTitle("(3) China's Total Export & Import Values by Country/Region, March 2020 (in CNY)")!;
    expect(t.section).toBe(4);
    expect(t.printedSection).toBe(3);
    expect(t.notes[0]).toMatch(/numbers the table \(3\) but describes table \(4\).*description wins/);
  });

  it('a page of another kind has no release title', () => {
    expect(parseReleaseTitle('News - Newsroom - GACC')).toBeUndefined();
    expect(parseReleaseTitle('统计快讯')).toBeUndefined();
  });
});

describe('publication dates', () => {
  it('YYYY/MM/DD and YYYY-MM-DD are read as they are', () => {
    expect(parsePublicationDate('2025/03/11', { year: 2025, month: 2 })).toMatchObject({
      date: '2025-03-11',
      ambiguous: false,
    });
    expect(parsePublicationDate('2026-08-07', { year: 2026, month: 7 })?.date).toBe('2026-08-07');
  });

  it('03/08/2018 on the January 2018 page is 8 March (after the period, nearest), and the ambiguity is recorded', () => {
    const d = parsePublicationDate('03/08/2018', { year: 2018, month: 1 })!;
    expect(d.date).toBe('2018-03-08');
    expect(d.ambiguous).toBe(true);
    expect(d.note).toMatch(/not DD\/MM\/YYYY \(2018-08-03\)/);
  });

  it('06/10/2019 on the May 2019 page is GAC release of 10 June 2019', () => {
    expect(parsePublicationDate('06/10/2019', { year: 2019, month: 5 })?.date).toBe('2019-06-10');
  });

  it('a reading before the period is not taken when one after it exists: 10/06/2019 for May 2019 is 10 June', () => {
    // MM/DD would be 6 October, DD/MM 10 June: both after May; 10 June is nearer
    expect(parsePublicationDate('10/06/2019', { year: 2019, month: 5 })?.date).toBe('2019-06-10');
  });

  it('only one valid reading: no ambiguity', () => {
    expect(parsePublicationDate('13/06/2019', { year: 2019, month: 5 })).toMatchObject({
      date: '2019-06-13',
      ambiguous: false,
    });
  });
});

describe('unit lines', () => {
  it.each([
    ['Unit: CNY 100 Million', 'CNY', 8],
    ['Unit: USD1 Million', 'USD', 6],
    ['Value Unit: CNY 100 Million', 'CNY', 8],
    ['Unit: RMB 10,000', 'CNY', 4],
    ['单位：亿元', 'CNY', 8],
    ['单位：万美元', 'USD', 4],
    ['金额单位：人民币亿元', 'CNY', 8],
  ])('%s → %s × 10^%i', (text, currency, exponent) => {
    const u = parseUnitLine(text);
    expect(u && 'unit' in u ? u.unit : u).toMatchObject({ currency, exponent });
  });

  it('a garbled unit line is an error saying what it read, never a guess', () => {
    expect(parseUnitLine('Unit: CNY 100 Milion')).toEqual({
      error: 'unknown unit in the unit line: "Unit: CNY 100 Milion"',
    });
    expect(parseUnitLine('Unit: CNY 300 Million')).toHaveProperty('error');
    expect(parseUnitLine('(4) China…')).toBeUndefined();
  });
});

describe('columns by their header labels', () => {
  const janFeb = { year: 2025, month: 2, janFeb: true, cumulativeTitle: false };
  const april = { year: 2025, month: 4, janFeb: false, cumulativeTitle: false };
  const may2026 = { year: 2026, month: 5, janFeb: false, cumulativeTitle: false };
  const role = (labels: string[], kind: Parameters<typeof classifyColumn>[2], p = april) => {
    const c = classifyColumn(1, labels, kind, p);
    return 'role' in c ? c.role : c.message;
  };

  it.each([
    [
      ['Export & Import', '1- to-2'],
      'partners',
      janFeb,
      { flow: 'total', measure: 'level', window: 'ytd', month: 2, year: 2025 },
    ],
    [['Export', '1-to-2'], 'partners', janFeb, { flow: 'X', window: 'ytd' }],
    [['1-to-2 Total Year-on-Year (±%)', 'Import'], 'partners', janFeb, { flow: 'M', measure: 'yoy', window: 'ytd' }],
    [['4', 'Quantity'], 'exports', april, { quantity: true, measure: 'level', window: 'month', month: 4 }],
    [['1-4 Total', 'Value'], 'exports', april, { quantity: false, window: 'ytd', year: 2025 }],
    [['1-4 Total,2024', 'Value'], 'exports', april, { window: 'prior-ytd', year: 2024 }],
    [['1-4 Total, Year-On-Year(%)', 'Quantity'], 'exports', april, { measure: 'yoy', quantity: true, window: 'ytd' }],
    [['May', 'Value'], 'exports', { ...april, year: 2019, month: 5 }, { window: 'month', month: 5 }],
    [
      ['Jan-May 2018 in Total', 'Value'],
      'exports',
      { ...april, year: 2019, month: 5 },
      { window: 'prior-ytd', year: 2018 },
    ],
    [
      ['Jan-May Total Year-on-Year ±%', 'Value'],
      'exports',
      { ...april, year: 2019, month: 5 },
      { measure: 'yoy', window: 'ytd' },
    ],
    // May 2026's prior-year header wrongly reads 2024: still the year before the table's
    [['1-5 Total, 2024', 'Value'], 'imports', may2026, { window: 'prior-ytd', year: 2025 }],
    [['出口', '1-2月'], 'partners', janFeb, { flow: 'X', window: 'ytd' }],
    [['1-2月同比±%', '进出口'], 'partners', janFeb, { flow: 'total', measure: 'yoy' }],
  ] as const)('%j', (labels, kind, p, expected) => {
    expect(role([...labels], kind, p) as DataColumn).toMatchObject(expected);
  });

  it('label and unit columns', () => {
    expect(role(['Import Source', 'Export Destination'], 'partners')).toEqual({ role: 'label' });
    expect(role(['Commodity'], 'exports')).toEqual({ role: 'label' });
    expect(role(['QTY Unit'], 'imports')).toEqual({ role: 'unit' });
  });

  it('a column it does not recognise is an error naming it', () => {
    expect(role(['Price Index', 'Value'], 'exports')).toMatch(/unknown column: "Price Index \/ Value"/);
    expect(role(['Export', 'Share'], 'partners')).toMatch(/unknown column: "Export \/ Share"/);
    expect(role(['Export', '1-to-3'], 'partners', janFeb)).toMatch(/month 3, but the table is for 2025-02/);
  });
});
