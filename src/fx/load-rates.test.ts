import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthId } from '../model/period.js';
import { DuckDb } from '../store/duckdb/duckdb-connection.js';
import { fxQuarantine, readStoredSeries, saveRateSeries } from '../store/duckdb/fx-store.js';
import { UserError } from '../util/errors.js';
import { convertMonthly } from './convert.js';
import { parseRateDate, parseRateFile } from './load-rates.js';
import { findSeries, fxSeries, rateFor } from './rates.js';

const m = (n: number) => n as MonthId;
const IMF_FILE = new URL('../../test/fixtures/partner-series/exchange-rates.csv', import.meta.url);
const imfText = readFileSync(IMF_FILE, 'utf8');
const parseImf = (text: string) => parseRateFile(text, {}, { id: 'imf-daily', file: 'exchange-rates.csv' });

describe('the IMF daily file (Date;CNY;JPY;KRW;USD, dd-Mmm-yyyy, gaps)', () => {
  const imf = parseImf(imfText);

  it('is read with the defaults: ; delimiter, first column dates, 3-letter currency columns, per USD, daily', () => {
    expect(imf.mapping).toEqual({
      delimiter: ';',
      dateColumn: 'Date',
      dateFormat: 'DD-MMM-YYYY',
      currencies: { CNY: 'CNY', JPY: 'JPY', KRW: 'KRW', USD: 'USD' },
      frequency: 'daily',
    });
    expect([...imf.series.rates.keys()]).toEqual(['CNY', 'JPY', 'KRW']); // USD is the base, checked not stored
  });

  // The shared data README calls the last row's USD value corrupt. As stored, the last row is
  // `30-Dec-2019;6.987;109.12;1160.9;1`: USD = 1 like every other row; what differs is that it has no CRLF
  // (the file ends without a line terminator). It is a complete, valid row, so it loads; a corrupted
  // last row is quarantined (next test).
  it('loads every row of the file as stored, gaps as gaps', () => {
    expect(imfText.endsWith('30-Dec-2019;6.987;109.12;1160.9;1')).toBe(true);
    expect(imf.counts).toEqual({
      rowsRead: 4840,
      rowsLoaded: 4840,
      rowsQuarantined: 0,
      blankLines: 0,
      values: 13547,
      gaps: 973,
    });
    expect(imf.series.rates.get('CNY')!.get(20191230)).toEqual({ value: '6.987' });
  });

  it.each([
    ['14840', 'USD per USD must be 1: the row is corrupt'],
    ['1.#QNAN', 'USD per USD must be 1: the row is corrupt'],
    ['0', 'USD per USD must be 1: the row is corrupt'],
  ])('quarantines a last row whose USD value is %s, and uses none of its values', (bad, reason) => {
    const corrupt = imfText.replace(/;1$/, `;${bad}`);
    const r = parseImf(corrupt);
    expect(r.counts).toMatchObject({ rowsRead: 4840, rowsLoaded: 4839, rowsQuarantined: 1 });
    expect(r.quarantine).toEqual([{ line: 4841, field: 'USD', rawValue: bad, reason }]);
    expect(r.series.rates.get('CNY')!.has(20191230)).toBe(false);
    expect(rateFor(r.series, 'CNY', m(201912))?.days).toBe(18);
  });

  it('quarantines a truncated last row and bad values', () => {
    const r = parseImf(`${imfText.replace(/30-Dec-2019;6\.987;109\.12;1160\.9;1$/, '30-Dec-2019;6.9')}`);
    expect(r.quarantine).toEqual([
      { line: 4841, field: '', rawValue: '30-Dec-2019;6.9', reason: 'wrong number of fields: 2 (the header has 5)' },
    ]);
    const bad = parseImf(
      'Date;CNY;JPY;KRW;USD\n02-Jan-2001;8.2779;abc;;1\n31-Feb-2001;8.2;;;1\n02-Jan-2001;8.3;;;1\n03-Jan-2001;-1;;;1\n',
    );
    expect(bad.quarantine.map((q) => [q.line, q.field, q.rawValue, q.reason])).toEqual([
      [2, 'JPY', 'abc', 'not a decimal number'],
      [3, 'Date', '31-Feb-2001', 'not a date in the format DD-MMM-YYYY'],
      [5, 'CNY', '-1', 'a rate must be positive'],
    ]);
    expect(bad.counts).toMatchObject({ rowsRead: 4, rowsLoaded: 1, rowsQuarantined: 3 });
    // a repeated date keeps the first row
    const dup = parseImf('Date;CNY;USD\n02-Jan-2001;8.2779;1\n02-Jan-2001;8.3;1\n');
    expect(dup.quarantine[0]).toMatchObject({ line: 3, field: 'Date', reason: 'date repeated (first on line 2)' });
  });

  it('averages a month of days exactly, leaving out the gaps (October 2016, checked by hand)', () => {
    // CNY on 11–31 Oct 2016, 15 days (1–7 October is China's national holiday: the cells are empty):
    // 6.7145 6.7154 6.726 6.7249 6.739 6.739 6.7395 6.7396 6.7572 6.7687 6.7772 6.7682 6.7777 6.7796 6.7699
    // sum 101.2364; 101.2364 / 15 = 6.749093333333|33… → 6.749093333333 (12 decimals, half-even)
    expect(rateFor(imf.series, 'CNY', m(201610))).toEqual({
      month: 201610,
      currency: 'CNY',
      perUsd: '6.749093333333',
      basis: 'daily-mean',
      days: 15,
    });
    expect(rateFor(imf.series, 'CNY', m(201912))?.days).toBe(19);
    expect(rateFor(imf.series, 'CNY', m(202001))).toBeUndefined();
  });
});

describe('mappings', () => {
  it('reads a monthly CSV with declared columns, format and quotation', () => {
    const r = parseRateFile(
      'period,EURUSD,CNY official\n2024-01,1.0899,7.1\n2024-02,,7.2\n',
      {
        currencies: { EURUSD: 'EUR', 'CNY official': 'CNY' },
        quotation: { EUR: 'usd-per-unit' },
        name: 'central parity',
      },
      { id: 'cp', file: 'cp.csv' },
    );
    expect(r.series.frequency).toBe('monthly');
    expect(r.fileQuotation).toBe('EUR:usd-per-unit,CNY:per-usd');
    expect(rateFor(r.series, 'EUR', m(202401))?.perUsd).toBe('0.917515368382');
    expect(rateFor(r.series, 'EUR', m(202402))).toBeUndefined();
    expect(rateFor(r.series, 'CNY', m(202402))).toMatchObject({ perUsd: '7.2', basis: 'monthly' });
  });

  it('needs a date format it can tell, and columns that exist', () => {
    expect(() => parseRateFile('Date,CNY\n01/02/2024,7.1\n', {}, { id: 'x', file: 'x.csv' })).toThrow(UserError);
    expect(() => parseRateFile('Date,CNY\n', { currencies: { EUR: 'EUR' } }, { id: 'x', file: 'x.csv' })).toThrow(
      /no column "EUR"/,
    );
    expect(parseRateDate('01/02/2024', 'DD/MM/YYYY')).toBe(20240201);
    expect(parseRateDate('01/02/2024', 'MM/DD/YYYY')).toBe(20240102);
    expect(parseRateDate('29-Feb-2023', 'DD-MMM-YYYY')).toBeUndefined();
  });
});

describe('stored series (DuckDB)', () => {
  let db: DuckDb;
  beforeAll(async () => {
    db = await DuckDb.open(':memory:');
  });
  afterAll(() => db.close());

  it('stores a series with its quarantine and reads it back exactly', async () => {
    const parsed = parseImf(imfText.replace(/;1$/, ';14840'));
    expect(await saveRateSeries(db, parsed.series, parsed.fileQuotation, parsed.quarantine)).toEqual({
      replaced: false,
    });
    const back = await readStoredSeries(db, 'imf-daily');
    expect(back?.frequency).toBe('daily');
    expect(back?.rates.get('KRW')?.size).toBe(parsed.series.rates.get('KRW')?.size);
    expect(rateFor(back!, 'CNY', m(201610))).toEqual(rateFor(parsed.series, 'CNY', m(201610)));
    expect(await fxQuarantine(db, 'imf-daily')).toEqual([
      {
        seriesId: 'imf-daily',
        line: 4841,
        field: 'USD',
        rawValue: '14840',
        reason: 'USD per USD must be 1: the row is corrupt',
      },
    ]);
    const list = await fxSeries(db);
    expect(list.map((s) => `${s.id}:${s.origin}`)).toEqual([
      'fed-h10-monthly:bundled',
      'fed-h10-annual:bundled',
      'imf-daily:stored',
    ]);
    // and it converts instead of the bundled series
    const series = await findSeries('imf-daily', db);
    const c = convertMonthly([{ month: m(201610), value: '6749093333.3333', currency: 'CNY' }], 'USD', series);
    expect(c.values[0]!.converted).toBe('1000000000');
    expect(c.series.id).toBe('imf-daily');
    await expect(findSeries('nope', db)).rejects.toThrow(/unknown rate series: nope/);
  });

  it('replaces a series all or nothing', async () => {
    const good = parseRateFile('Date,CNY\n2024-01,7.1\n', {}, { id: 'imf-daily', file: 'small.csv' });
    const broken = structuredClone(good.series);
    broken.rates.get('CNY')!.set(202402, { value: 'not a number' }); // fails inside the transaction
    await expect(saveRateSeries(db, broken, 'per-usd', [])).rejects.toThrow();
    const still = await readStoredSeries(db, 'imf-daily');
    expect(still?.source.file).toBe('exchange-rates.csv'); // the earlier load is intact
    expect(await saveRateSeries(db, good.series, 'per-usd', [])).toEqual({ replaced: true });
    expect((await readStoredSeries(db, 'imf-daily'))?.rates.get('CNY')?.get(202401)).toEqual({ value: '7.1' });
    expect(await fxQuarantine(db, 'imf-daily')).toEqual([]);
  });
});
