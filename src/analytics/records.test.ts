import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { MonthId } from '../model/period.js';
import {
  firstAbove,
  firstBelow,
  highestSince,
  lowestSince,
  milestones,
  runs,
  type SeriesPoint,
  seriesProblems,
  signRuns,
} from './records.js';

/** Annual points from `[year, value]` pairs. */
const years = (pairs: [number, string][]): SeriesPoint[] =>
  pairs.map(([y, value]) => ({
    label: String(y),
    start: (y * 100 + 1) as MonthId,
    end: (y * 100 + 12) as MonthId,
    value,
  }));

/** Monthly points from a first month and values. */
const months = (year: number, values: string[]): SeriesPoint[] =>
  values.map((value, i) => {
    const m = (year * 100 + i + 1) as MonthId;
    return { label: `${year}-${String(i + 1).padStart(2, '0')}`, start: m, end: m, value };
  });

describe('highestSince / lowestSince (hand-computed)', () => {
  const s = years([
    [2015, '10'],
    [2016, '14'],
    [2017, '12'],
    [2018, '11'],
    [2019, '13'],
    [2020, '14'],
    [2021, '15.0001'],
  ]);

  it('names the most recent earlier point at least as high, and the stretch it beats', () => {
    const h = highestSince(s, '2019');
    expect(h).toMatchObject({ kind: 'since', since: '2016', sinceValue: '14', tie: false, from: '2017', beats: 2 });
    expect(h.text).toBe('highest since 2016');
  });

  it('a tie is not a new record', () => {
    const h = highestSince(s, '2020');
    expect(h).toMatchObject({ kind: 'since', since: '2016', tie: true, from: '2017', beats: 3 });
    expect(h.text).toBe('equal to 2016, the highest since then');
    const tiedWithPrevious = highestSince(years([...[2015, 2016].map((y): [number, string] => [y, '5'])]));
    expect(tiedWithPrevious).toMatchObject({ kind: 'none', since: '2015', tie: true, text: 'equal to 2015' });
  });

  it('record, none, first', () => {
    expect(highestSince(s)).toMatchObject({ kind: 'record', text: 'highest on record', from: '2015', beats: 6 });
    expect(highestSince(s, 2)).toMatchObject({ kind: 'none', since: '2016', text: 'no higher than 2016' });
    expect(highestSince(s, 0)).toMatchObject({ kind: 'first', since: null, text: 'first point of the series' });
    expect(lowestSince(s, '2018')).toMatchObject({
      kind: 'since',
      since: '2015',
      from: '2016',
      text: 'lowest since 2015',
    });
    expect(lowestSince(s, '2015').kind).toBe('first');
    expect(lowestSince(s).text).toBe('no lower than 2020');
  });

  it('negative series: highest is the smallest deficit, lowest the largest', () => {
    const balance = years([
      [2020, '-5.5'],
      [2021, '-7'],
      [2022, '-3'],
      [2023, '-8.25'],
    ]);
    expect(highestSince(balance, '2022').text).toBe('highest on record');
    expect(lowestSince(balance).text).toBe('lowest on record');
    expect(lowestSince(balance, '2021').text).toBe('lowest on record');
    expect(highestSince(balance, '2021').text).toBe('no higher than 2020');
  });

  it('compares exactly, beyond float precision', () => {
    const big = years([
      [2020, '9007199254740993.0001'],
      [2021, '9007199254740993'],
      [2022, '9007199254740993.00005'],
    ]);
    // as doubles all three are 9007199254740992: only exact comparison tells them apart
    expect(highestSince(big).text).toBe('highest since 2020');
    expect(lowestSince(big).text).toBe('no lower than 2021');
  });
});

describe('thresholds (hand-computed)', () => {
  const s = years([
    [2015, '90'],
    [2016, '100'],
    [2017, '110'],
    [2018, '95'],
    [2019, '105'],
    [2020, '120'],
    [2021, '100'],
    [2022, '101'],
  ]);

  it('first time above, back above, still above, not above', () => {
    expect(firstAbove(s, '100', '2017')).toMatchObject({
      side: 'above',
      crossed: true,
      first: true,
      lastCrossed: null,
      lastOnSide: null,
      onSideSince: '2017',
      text: 'above 100 for the first time',
    });
    expect(firstAbove(s, '100', '2019')).toMatchObject({
      crossed: true,
      first: false,
      lastCrossed: '2017',
      lastOnSide: '2017',
      text: 'back above 100 for the first time since 2017',
    });
    expect(firstAbove(s, '100', '2020')).toMatchObject({
      crossed: false,
      onSideSince: '2019',
      text: 'above 100 since 2019',
    });
    expect(firstAbove(s, '100', '2018')).toMatchObject({ side: 'below', text: 'not above 100 (last above in 2017)' });
    expect(firstAbove(s, '100', '2015').text).toBe('not above 100 (never above on record)');
  });

  it('a value at the threshold is neither side; touching and going back is no crossing', () => {
    expect(firstAbove(s, '100', '2021')).toMatchObject({ side: 'at', text: 'at 100 (last above in 2020)' });
    // 2020 above, 2021 at, 2022 above: no crossing at 2022, but a new stretch above
    expect(firstAbove(s, '100', '2022')).toMatchObject({ crossed: false, lastCrossed: '2019', onSideSince: '2022' });
    expect(firstBelow(s, '100', '2018')).toMatchObject({
      crossed: true,
      first: false,
      lastOnSide: '2015',
      lastCrossed: null,
      text: 'back below 100 for the first time since 2015',
    });
    expect(firstBelow(s, '100', '2015')).toMatchObject({ crossed: false, first: true });
  });

  it('a series that starts above has not crossed', () => {
    const t = years([
      [2020, '5'],
      [2021, '6'],
    ]);
    expect(firstAbove(t, '0', '2020')).toMatchObject({ crossed: false, first: true });
    expect(firstAbove(t, '0')).toMatchObject({ crossed: false, first: false, text: 'above 0 since 2020' });
  });

  it('a balance going into deficit', () => {
    const balance = months(2025, ['3', '-1', '2', '-0.5']);
    expect(firstBelow(balance, '0', '2025-02').text).toBe('below 0 for the first time');
    expect(firstBelow(balance, '0').text).toBe('back below 0 for the first time since 2025-02');
  });

  it('milestones: first above, first below, every crossing, side now', () => {
    const [m100, m200, m90] = milestones(s, ['100', '200', '90']);
    expect(m100).toMatchObject({ firstAbove: '2017', firstBelow: '2015', side: 'above' });
    expect(m100!.crossings).toEqual([
      { label: '2017', to: 'above' },
      { label: '2018', to: 'below' },
      { label: '2019', to: 'above' },
    ]);
    expect(m100!.text).toBe('first above 100 in 2017; last crossed above in 2019; above now');
    expect(m200).toMatchObject({ firstAbove: null, crossings: [], text: 'never above 200; below now' });
    expect(m90).toMatchObject({ firstAbove: '2016', firstBelow: null, crossings: [], side: 'above' });
    expect(m90!.text).toBe('first above 90 in 2016; above now');
  });
});

describe('runs and signRuns (hand-computed)', () => {
  const s = months(2024, ['1', '2', '3', '3', '2', '1', '0', '5']);

  it('counts consecutive increases or decreases against the previous point', () => {
    expect(runs(s, '2024-03')).toMatchObject({
      current: { kind: 'increase', length: 2, from: '2024-01', to: '2024-03', reachesStart: true },
      previous: null,
      text: '2 increases in a row (since 2024-01)',
    });
    expect(runs(s, '2024-04')).toMatchObject({
      current: { kind: 'unchanged', length: 1 },
      text: 'unchanged from 2024-03',
    });
    expect(runs(s, '2024-07')).toMatchObject({
      current: { kind: 'decrease', length: 3, from: '2024-04', reachesStart: false },
      previous: { kind: 'unchanged', length: 1, from: '2024-03', to: '2024-04' },
    });
    expect(runs(s).text).toBe('first increase after 3 decreases');
    expect(runs(s, '2024-02').text).toBe('increase from 2024-01');
    expect(runs(s, 0)).toMatchObject({ current: null, text: 'first point of the series' });
  });

  it('counts consecutive positive or negative values (a YoY series); zero breaks a run', () => {
    const yoy = months(2025, ['-1.2', '-0.3', '0.5', '2', '7.18', '0', '-4']);
    expect(signRuns(yoy, '2025-05')).toMatchObject({
      current: { kind: 'positive', length: 3, from: '2025-03', to: '2025-05', reachesStart: false },
      previous: { kind: 'negative', length: 2, from: '2025-01', reachesStart: true },
      text: 'positive for 3 periods in a row (since 2025-03)',
    });
    expect(signRuns(yoy, '2025-03').text).toBe('first positive after 2 negative');
    expect(signRuns(yoy, '2025-06').text).toBe('first zero after 3 positive');
    expect(signRuns(yoy).text).toBe('first negative after 1 zero');
    expect(signRuns(yoy, 0)).toMatchObject({
      current: { length: 1, reachesStart: true },
      previous: null,
      text: 'negative',
    });
  });
});

describe('seriesProblems', () => {
  it('rejects mixed windows, disorder, duplicates and bad values; warns on gaps', () => {
    const h1 = { label: '2025-H1', start: 202501 as MonthId, end: 202506 as MonthId, value: '2' };
    expect(seriesProblems([...years([[2024, '1.5']]), h1]).map((p) => p.code)).toEqual(['series-not-comparable']);
    expect(
      seriesProblems(
        years([
          [2025, '1'],
          [2024, '2'],
        ]),
      ).map((p) => p.code),
    ).toEqual(['series-not-in-order']);
    expect(seriesProblems(years([[2024, '1e3']])).map((p) => p.message)).toEqual(['not a decimal: 1e3 (at 2024)']);
    expect(seriesProblems([]).map((p) => p.code)).toEqual(['series-empty']);
    const dup = years([[2024, '1']]);
    expect(seriesProblems([...dup, { ...dup[0]!, start: 202501 as MonthId, end: 202512 as MonthId }])[0]!.code).toBe(
      'series-duplicate-label',
    );
    expect(
      seriesProblems(
        years([
          [2019, '1'],
          [2020, '2'],
          [2022, '3'],
        ]),
      ),
    ).toEqual([
      {
        code: 'series-gap',
        severity: 'warning',
        message: 'gap between 2020 and 2022: compared as consecutive points',
        value: '2022',
      },
    ]);
    // rolling windows overlap but are comparable
    const r12 = [202506, 202507].map((e) => ({
      label: `r12:${e}`,
      start: (e - 99) as MonthId,
      end: e as MonthId,
      value: '1',
    }));
    expect(seriesProblems(r12)).toEqual([]);
  });

  it('the functions throw on an unusable series or point', () => {
    expect(() =>
      highestSince(
        years([
          [2025, '1'],
          [2024, '2'],
        ]),
      ),
    ).toThrow(/^invalid series: window 2024 does not follow 2025$/);
    expect(() => runs(years([[2024, '1']]), '2023')).toThrow('no such point in the series: 2023');
    expect(() => firstAbove(years([[2024, '1']]), 'ten')).toThrow('not a decimal: ten');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Real data: IMF DOTS, China's exports (FOB, US$ million) to the United States and to the World, annual.

describe('IMF DOTS: China exports to the United States and the World', () => {
  const file = new URL('../../data/china-partners/DOTS_40_China_exports_by_partner_annual_long.csv', import.meta.url);
  const records: Record<string, string>[] = parse(readFileSync(file, 'utf8'), { columns: true });
  /**
   * The file holds binary floats written with 17 significant digits (480688.674 as 480688.67399999999); the
   * shortest text that reads back as the same double is the figure meant, exact from here on.
   */
  const level = (partner: string): Map<number, string> =>
    new Map(
      records
        .filter((r) => r.reporter === 'China, P.R.: Mainland' && r.partner === partner)
        .map((r) => [Number(r.year), String(Number(r.exports_fob_usd_million))]),
    );
  const us = level('United States');
  const world = level('World');
  const yearsInFile = [...world.keys()].sort((a, b) => a - b);

  /** Decimal text → integer × 10^16 (every figure in the file has fewer decimals). */
  const scaled = (text: string): bigint => {
    const [int, frac = ''] = text.split('.');
    expect(frac.length).toBeLessThanOrEqual(16);
    return BigInt(int!) * 10n ** 16n + BigInt(frac.padEnd(16, '0'));
  };
  /** US / World in percent, 8 decimals, rounded half up (shares are positive). */
  const sharePercent = (y: number): string => {
    const num = scaled(us.get(y)!) * 100n * 10n ** 8n;
    const den = scaled(world.get(y)!);
    let q = num / den;
    if ((num % den) * 2n >= den) q += 1n;
    const t = q.toString().padStart(9, '0');
    return `${t.slice(0, -8)}.${t.slice(-8)}`;
  };
  const share = years(yearsInFile.map((y) => [y, sharePercent(y)]));
  const worldLevels = years(yearsInFile.map((y) => [y, world.get(y)!]));

  it('the share series as the file gives it: 19.2 % in 2018, 16.8 % in 2019; 1961 then a gap to 1978', () => {
    expect(yearsInFile[0]).toBe(1961);
    expect(yearsInFile.at(-1)).toBe(2020);
    expect(yearsInFile.length).toBe(44); // 1961, 1978…2020
    expect(share.find((p) => p.label === '2018')!.value).toBe('19.21729584');
    expect(share.find((p) => p.label === '2019')!.value).toBe('16.75309594');
    // plain floats agree to well within the rounding
    expect(Number(sharePercent(2018))).toBeCloseTo((480688.674 / 2501333.57964) * 100, 6);
    expect(seriesProblems(share)).toEqual([
      expect.objectContaining({ code: 'series-gap', severity: 'warning', value: '1978' }),
    ]);
  });

  it('2018: the highest share since 2006 (21.04 %), beating the eleven years 2007–2017', () => {
    const h = highestSince(share, '2018');
    expect(h).toMatchObject({ kind: 'since', since: '2006', from: '2007', beats: 11, tie: false });
    expect(h.sinceValue).toBe('21.04156404');
    expect(h.text).toBe('highest since 2006');
    // independently: the most recent year before 2018 with a share ≥ 2018's
    const v2018 = Number(sharePercent(2018));
    const earlierAtLeast = yearsInFile.filter((y) => y < 2018 && Number(sharePercent(y)) >= v2018);
    expect(earlierAtLeast.at(-1)).toBe(2006);
  });

  it('2019: the first decline after a run of 5 increases (2013→2018); the lowest share since 2013', () => {
    // independently: count the consecutive year-on-year increases ending in 2018
    let n = 0;
    for (let i = yearsInFile.indexOf(2018); i > 0; i--) {
      if (Number(sharePercent(yearsInFile[i]!)) > Number(sharePercent(yearsInFile[i - 1]!))) n++;
      else break;
    }
    expect(n).toBe(5);
    const r = runs(share, '2019');
    expect(r.current).toMatchObject({ kind: 'decrease', length: 1, from: '2018', to: '2019' });
    expect(r.previous).toEqual({ kind: 'increase', length: 5, from: '2013', to: '2018', reachesStart: false });
    expect(r.text).toBe('first decrease after 5 increases');
    expect(lowestSince(share, '2019').text).toBe('lowest since 2013');
    expect(runs(share).text).toBe('first increase after 1 decrease');
  });

  it('exports to the World: 2020 is the highest on record (2,598,024.02673 million), 2018 was too', () => {
    expect(world.get(2020)).toBe('2598024.02673');
    expect(highestSince(worldLevels)).toMatchObject({ kind: 'record', text: 'highest on record', beats: 43 });
    expect(highestSince(worldLevels, '2018').text).toBe('highest on record');
    expect(highestSince(worldLevels, '2019').text).toBe('no higher than 2018'); // 2,498,548.63 < 2,501,333.58
    expect(runs(worldLevels, '2019').text).toBe('first decrease after 2 increases');
    expect(lowestSince(worldLevels, '2016').text).toBe('lowest since 2012'); // 2,136,594.85 > 2012's 2,050,092.06
  });

  it('exports to the World against round thresholds (US$ million)', () => {
    const [trillion, twoAndHalf] = milestones(worldLevels, ['1000000', '2500000']);
    expect(trillion!.text).toBe('first above 1,000,000 in 2007; above now');
    expect(twoAndHalf!.crossings).toEqual([
      { label: '2018', to: 'above' },
      { label: '2019', to: 'below' },
      { label: '2020', to: 'above' },
    ]);
    expect(twoAndHalf!.text).toBe('first above 2,500,000 in 2018; last crossed above in 2020; above now');
    expect(firstAbove(worldLevels, '2500000', '2018').text).toBe('above 2,500,000 for the first time');
    expect(firstAbove(worldLevels, '2500000').text).toBe('back above 2,500,000 for the first time since 2018');
    expect(firstBelow(worldLevels, '2500000', '2019').text).toBe('back below 2,500,000 for the first time since 2017');
  });
});
