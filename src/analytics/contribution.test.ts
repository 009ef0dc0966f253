import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type Fixed, fixedText, toFixed } from '../model/decimal.js';
import { type ContributionResult, contributions, type MemberInput, topN } from './contribution.js';

const repoFile = (path: string) => new URL(`../../${path}`, import.meta.url);

/** Sum of decimal texts, exactly. */
const add = (xs: readonly (string | null)[]): string => fixedText(xs.reduce((s: Fixed, x) => s + toFixed(x!), 0n));

const column = (r: ContributionResult, field: 'shareCurrent' | 'sharePrevious' | 'contribution') =>
  r.rows.map((x) => x[field]);

describe('contributions, hand-computed', () => {
  it('adds a rest row so shares make 100 and contributions the growth of the whole', () => {
    // whole 200 → 200; USA 100 → 120 (+20 = +10 pp of 200), JPN 60 → 50 (−5 pp), rest 40 → 30 (−5 pp)
    const r = contributions(
      [
        { key: 'USA', label: 'United States', current: '120', previous: '100' },
        { key: 'JPN', current: '50', previous: '60' },
      ],
      { current: '200', previous: '200' },
    );
    expect(r.rows.map((x) => [x.key, x.label, x.current, x.previous, x.change, x.isRest])).toEqual([
      ['USA', 'United States', '120', '100', '20', false],
      ['JPN', 'JPN', '50', '60', '-10', false],
      ['rest', 'rest of the whole', '30', '40', '-10', true],
    ]);
    expect(column(r, 'shareCurrent')).toEqual(['60.00', '25.00', '15.00']);
    expect(column(r, 'sharePrevious')).toEqual(['50.00', '30.00', '20.00']);
    expect(r.rows.map((x) => x.growth)).toEqual(['20.00', '-16.67', '-25.00']);
    expect(column(r, 'contribution')).toEqual(['10.00', '-5.00', '-5.00']);
    expect(r.total).toEqual({
      current: '200',
      previous: '200',
      change: '0',
      shareCurrent: '100.00',
      sharePrevious: '100.00',
      growth: '0.00',
    });
    expect(r.notes.map((n) => n.code)).toEqual(['rest-row']);
  });

  it('has no rest row when the members make up the whole', () => {
    const r = contributions(
      [
        { key: 'A', current: '3', previous: '1' },
        { key: 'B', current: '1', previous: '1' },
      ],
      { current: '4', previous: '2' },
    );
    expect(r.rows.map((x) => x.key)).toEqual(['A', 'B']);
    expect(column(r, 'contribution')).toEqual(['100.00', '0.00']);
    expect(r.total.growth).toBe('100.00');
    expect(r.notes).toEqual([]);
  });

  it('rounds contributions by largest remainder so they add up to the displayed growth', () => {
    // three members 1 → 2 in a whole 3 → 6: each contributes 33.333… pp of the +100 %
    const r = contributions(
      ['A', 'B', 'C'].map((key) => ({ key, current: '2', previous: '1' })),
      { current: '6', previous: '3' },
    );
    expect(column(r, 'contribution')).toEqual(['33.34', '33.33', '33.33']);
    expect(add(column(r, 'contribution'))).toBe('100');
    // shares rounded to nearest by default: 33.33 × 3 = 99.99; largest remainder on request makes 100.00
    expect(column(r, 'shareCurrent')).toEqual(['33.33', '33.33', '33.33']);
    const lr = contributions(
      ['A', 'B', 'C'].map((key) => ({ key, current: '2', previous: '1' })),
      { current: '6', previous: '3' },
      { shareRounding: 'largest-remainder', contributionRounding: 'nearest', digits: 1 },
    );
    expect(column(lr, 'shareCurrent')).toEqual(['33.4', '33.3', '33.3']);
    expect(column(lr, 'contribution')).toEqual(['33.3', '33.3', '33.3']);
    expect(lr.total.growth).toBe('100.0');
  });

  it('gives the remaining unit to the largest remainder, with negative contributions too', () => {
    // whole 1000 → 1003: A −1.6667 → exact −0.16667 pp, B +0.46667 pp; exact total 0.3 pp
    // floors (1 decimal): −0.2 and 0.4 = 0.2; target 0.3; remainders 0.0333 (A) vs 0.0667 (B) → B gets it
    const r = contributions(
      [
        { key: 'A', current: '498.3333', previous: '500' },
        { key: 'B', current: '504.6667', previous: '500' },
      ],
      { current: '1003', previous: '1000' },
      { digits: 1 },
    );
    expect(column(r, 'contribution')).toEqual(['-0.2', '0.5']);
    expect(r.total.growth).toBe('0.3');
  });

  it('handles members new or gone, and members absent in both periods', () => {
    const r = contributions(
      [
        { key: 'NEW', current: '10', previous: '0' },
        { key: 'GONE', current: '0', previous: '5' },
        { key: 'NONE', current: '0', previous: '0' },
        { key: 'KEPT', current: '15', previous: '15' },
      ],
      { current: '25', previous: '20' },
    );
    expect(r.rows.map((x) => [x.key, x.status, x.growth, x.contribution])).toEqual([
      ['NEW', 'new', null, '50.00'],
      ['GONE', 'gone', '-100.00', '-25.00'],
      ['NONE', 'absent', null, '0.00'],
      ['KEPT', 'continuing', '0.00', '0.00'],
    ]);
    expect(r.total.growth).toBe('25.00');
  });

  it('says growth is undefined when the previous whole is zero', () => {
    const r = contributions([{ key: 'A', current: '7', previous: '0' }], { current: '10', previous: '0' });
    expect(r.total.growth).toBeNull();
    expect(r.total.sharePrevious).toBeNull();
    expect(r.rows.map((x) => [x.key, x.shareCurrent, x.sharePrevious, x.contribution])).toEqual([
      ['A', '70.00', null, null],
      ['rest', '30.00', null, null],
    ]);
    expect(r.notes.map((n) => n.code)).toEqual(['rest-row', 'growth-undefined']);
    expect(r.notes[1]!.message).toMatch(/undefined/);
  });

  it('takes balances over the absolute previous amount, so a narrowing deficit is positive', () => {
    // balance −80 → −50: +30 over |−80| = +37.5 %; A −100 → −80 contributes 20/80 = 25 pp, B 20 → 30 12.5 pp
    const r = contributions(
      [
        { key: 'A', current: '-80', previous: '-100' },
        { key: 'B', current: '30', previous: '20' },
      ],
      { current: '-50', previous: '-80' },
      { digits: 1 },
    );
    expect(r.total.growth).toBe('37.5');
    expect(r.rows.map((x) => [x.key, x.growth, x.contribution, x.shareCurrent, x.sharePrevious])).toEqual([
      ['A', '20.0', '25.0', '160.0', '125.0'],
      ['B', '50.0', '12.5', '-60.0', '-25.0'],
    ]);
    expect(r.notes.map((n) => n.code)).toEqual(['negative-values']);
  });

  it('warns when the members add up to more than the whole', () => {
    const r = contributions([{ key: 'A', current: '12', previous: '10' }], { current: '10', previous: '10' });
    expect(r.rows.at(-1)).toMatchObject({ key: 'rest', current: '-2', previous: '0', shareCurrent: '-20.00' });
    expect(r.notes.map((n) => [n.code, n.severity])).toEqual([
      ['rest-row', 'info'],
      ['members-exceed-whole', 'warning'],
    ]);
  });

  it('rejects duplicate keys', () => {
    expect(() =>
      contributions(
        [
          { key: 'A', current: '1', previous: '1' },
          { key: 'A', current: '1', previous: '1' },
        ],
        { current: '2', previous: '2' },
      ),
    ).toThrow(/duplicate member key: A/);
  });
});

describe('topN', () => {
  const members: MemberInput[] = [
    { key: 'A', current: '5', previous: '1' },
    { key: 'B', current: '3', previous: '4' },
    { key: 'C', current: '1', previous: '1' },
    { key: 'D', current: '0.5', previous: '3.5' },
  ];

  it('keeps the n largest and sums the others exactly', () => {
    expect(topN(members, 1, 'current')).toEqual([
      { key: 'A', current: '5', previous: '1' },
      { key: 'rest', label: 'all others', current: '4.5', previous: '8.5' },
    ]);
    expect(topN(members, 2, 'previous').map((m) => m.key)).toEqual(['B', 'D', 'rest']);
    expect(topN(members, 1, 'change').map((m) => m.key)).toEqual(['A', 'rest']);
    expect(topN(members, 2, 'absChange').map((m) => m.key)).toEqual(['A', 'D', 'rest']);
    expect(topN(members, 9)).toEqual(members);
  });

  it('merges the others with the part of the whole the members do not cover, in one rest row', () => {
    // members cover 9.5 of 12 (current) and 9.5 of 10 (previous)
    const r = contributions(topN(members, 2, 'current'), { current: '12', previous: '10' });
    expect(r.rows.map((x) => [x.key, x.label, x.current, x.previous])).toEqual([
      ['A', 'A', '5', '1'],
      ['B', 'B', '3', '4'],
      ['rest', 'all others', '4', '5'],
    ]);
    expect(column(r, 'contribution')).toEqual(['40.00', '-10.00', '-10.00']);
    expect(r.total.growth).toBe('20.00');
    expect(r.notes[0]!.message).toContain('of which 2.5 and 0.5 beyond the given');
  });
});

/** Comtrade+ export, latin-1, every data row ending with a comma (one field more than the header). */
function comtrade2022(): Record<string, string>[] {
  const text = iconv.decode(
    readFileSync(repoFile('data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv')),
    'latin1',
  );
  return parse(text, { columns: true, relax_column_count: true, skip_empty_lines: true });
}

describe('real data: UN Comtrade 2022, China exports by partner', () => {
  const rows = comtrade2022().filter((r) => r.reporterCode === '156' && r.flowCode === 'X');
  const world = rows.find((r) => r.partnerCode === '0')!;
  // a single year: shares only, so the previous period is given as zero (growth is then undefined)
  const partners = rows
    .filter((r) => r.partnerCode !== '0')
    .map((r) => ({ key: r.partnerISO!, label: r.partnerDesc!, current: r.primaryValue!, previous: '0' }));

  it('has the partners adding up to World exactly', () => {
    expect(world.primaryValue).toBe('3593601435602');
    expect(add(partners.map((p) => p.current))).toBe(world.primaryValue);
  });

  it('ranks USA, Hong Kong, Japan, Korea and Viet Nam first, with their shares of World', () => {
    const r = contributions(topN(partners, 5, 'current'), { current: world.primaryValue!, previous: '0' });
    expect(r.rows.map((x) => [x.key, x.current, x.shareCurrent])).toEqual([
      ['USA', '582756110047', '16.22'],
      ['HKG', '297538447836', '8.28'],
      ['JPN', '172927435952', '4.81'],
      ['KOR', '162621428186', '4.53'],
      ['VNM', '146959899841', '4.09'],
      ['rest', '2230798113740', '62.08'],
    ]);
    expect(r.rows.every((x) => x.contribution === null && x.sharePrevious === null)).toBe(true);
    // rounded to nearest, the column adds up to 100.01; largest remainder makes it 100.00 by taking Korea's
    // 4.5253 down to 4.52 (its remainder, 0.0053, is the smallest but one)
    expect(add(column(r, 'shareCurrent'))).toBe('100.01');
    const lr = contributions(
      topN(partners, 5, 'current'),
      { current: world.primaryValue!, previous: '0' },
      { shareRounding: 'largest-remainder' },
    );
    expect(column(lr, 'shareCurrent')).toEqual(['16.22', '8.28', '4.81', '4.52', '4.09', '62.08']);
    expect(add(column(lr, 'shareCurrent'))).toBe('100');
    // with more decimals both agree with the exact shares (16.216492…, 8.279673…, 4.812092…, 4.525305…)
    const fine = contributions(
      topN(partners, 5, 'current'),
      { current: world.primaryValue!, previous: '0' },
      { digits: 4 },
    );
    expect(column(fine, 'shareCurrent')).toEqual(['16.2165', '8.2797', '4.8121', '4.5253', '4.0895', '62.0769']);
  });
});

/** China's critical-mineral exports (USD) by partner for a year, from the monthly partner × HS6 file. */
function mineralsByPartner(): { members: MemberInput[]; whole: { current: string; previous: string } } {
  const rows: Record<string, string>[] = parse(
    readFileSync(repoFile('data/comtrade/china_critical_minerals_hs6_monthly.csv'), 'utf8'),
    { columns: true, skip_empty_lines: true },
  );
  const by = new Map<string, { cur: Fixed; prev: Fixed }>();
  let cur = 0n;
  let prev = 0n;
  for (const r of rows) {
    const year = r.period_dt!.slice(0, 4);
    if (year !== '2023' && year !== '2024') continue;
    const v = toFixed(r.val!);
    const m = by.get(r.partner_name!) ?? { cur: 0n, prev: 0n };
    if (year === '2024') {
      m.cur += v;
      cur += v;
    } else {
      m.prev += v;
      prev += v;
    }
    by.set(r.partner_name!, m);
  }
  const members = [...by].map(([key, m]) => ({ key, current: fixedText(m.cur), previous: fixedText(m.prev) }));
  return { members, whole: { current: fixedText(cur), previous: fixedText(prev) } };
}

describe('real data: China critical-mineral exports, 2024 vs 2023, contributions by partner', () => {
  const { members, whole } = mineralsByPartner();

  it('adds partner contributions up to the change of the total, exactly at 0.01 pp', () => {
    // totals checked independently (Python Decimal): 1,820,410,379 → 1,415,025,590 USD, −22.2689 %
    expect(whole).toEqual({ current: '1415025590', previous: '1820410379' });
    const r = contributions(members, whole);
    expect(r.rows.some((x) => x.isRest)).toBe(false);
    expect(r.total.growth).toBe('-22.27');
    expect(add(column(r, 'contribution'))).toBe('-22.27');
    // rounded each on its own (checked in Python), the same column adds up to −22.26 and the shares to 100.01
    const nearest = contributions(members, whole, { contributionRounding: 'nearest' });
    expect(add(column(nearest, 'contribution'))).toBe('-22.26');
    expect(add(column(r, 'sharePrevious'))).toBe('100.01');
    const byKey = new Map(r.rows.map((x) => [x.key, x]));
    // exact contributions: Hong Kong +7.742471, South Korea −7.492751, Poland −10.050889, USA −1.838352 pp
    expect(byKey.get('Hong Kong')!.contribution).toBe('7.74');
    expect(byKey.get('South Korea')!.contribution).toBe('-7.49');
    expect(byKey.get('Poland')!.contribution).toBe('-10.05');
    expect(byKey.get('USA')!.contribution).toMatch(/^-1\.8[34]$/);
    expect(byKey.get('Hong Kong')!.shareCurrent).toBe('17.17');
    expect(r.rows.filter((x) => x.status === 'new' || x.status === 'gone').map((x) => x.key)).toEqual(['Mozambique']);
  });

  it('keeps the sum with the top five and a rest row, and with shares by largest remainder', () => {
    const r = contributions(topN(members, 5, 'absChange'), whole, { shareRounding: 'largest-remainder' });
    expect(r.rows.map((x) => x.key)).toEqual(['Poland', 'Hong Kong', 'South Korea', 'Hungary', 'Singapore', 'rest']);
    expect(add(column(r, 'contribution'))).toBe('-22.27');
    expect(add(column(r, 'shareCurrent'))).toBe('100');
    expect(add(column(r, 'sharePrevious'))).toBe('100');
  });
});
