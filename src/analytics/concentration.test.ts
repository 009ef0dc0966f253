import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type Concentration, concentration } from './concentration.js';

const ok = (r: ReturnType<typeof concentration>): Concentration => {
  if (!r.ok) throw new Error(r.text);
  return r;
};

describe('concentration (hand-computed)', () => {
  it('45 / 35 / 20 and a zero member', () => {
    const r = ok(
      concentration([
        { key: 'USA', value: '45' },
        { key: 'DEU', value: '35' },
        { key: 'JPN', value: '20' },
        { key: 'FRA', value: '0' },
      ]),
    );
    // 45² + 35² + 20² = 3,650 (shares in percent); 1 / 0.365 = 2.7397…; (3 × 0.365 − 1) / 2 = 0.0475
    expect(r).toMatchObject({
      members: 3,
      zero: ['FRA'],
      total: '100',
      hhi: '3650.00',
      hhiFraction: '0.365000',
      hhiNormalised: '0.0475',
      equivalentNumber: '2.74',
      topK: 4,
      topShare: '100.00',
      warnings: [],
    });
    expect(r.top.map((t) => [t.key, t.sharePercent])).toEqual([
      ['USA', '45.00'],
      ['DEU', '35.00'],
      ['JPN', '20.00'],
    ]);
    expect(r.text).toBe('HHI 3,650.00 across 3 members (equivalent to 2.74 equal members); the top 3 hold 100.00 %');
  });

  it('N equal members: HHI 10,000 / N, normalised 0, equivalent number N', () => {
    const r = ok(concentration(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ key, value: '7.25' }))));
    expect(r).toMatchObject({ hhi: '1666.67', hhiNormalised: '0.0000', equivalentNumber: '6.00', topShare: '66.67' });
    // ties among the largest are broken by key
    expect(r.top.map((t) => t.key)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('one member: HHI 10,000, normalised 1', () => {
    expect(ok(concentration([{ key: 'x', value: '3' }]))).toMatchObject({
      hhi: '10000.00',
      hhiNormalised: '1.0000',
      equivalentNumber: '1.00',
      text: 'HHI 10,000.00 across 1 member (equivalent to 1.00 equal members); the top 1 hold 100.00 %',
    });
  });

  it('values with different decimals, rounding half away from zero', () => {
    // 1 and 0.5 → shares 2/3, 1/3 → H = 5/9 = 0.5555…; 10,000 H = 5,555.555… → 5555.56; 1/H = 1.8
    const r = ok(
      concentration(
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '0.50' },
        ],
        { topK: 1 },
      ),
    );
    expect(r).toMatchObject({ total: '1.5', hhi: '5555.56', hhiFraction: '0.555556', equivalentNumber: '1.80' });
    expect(r).toMatchObject({
      hhiNormalised: '0.1111',
      topShare: '66.67',
      top: [{ key: 'a', value: '1', sharePercent: '66.67' }],
    });
    // half away from zero at the last digit: 1/8 = 0.125 → topShare of 1 in 8 = 12.50; H = 0.125 exactly
    const eight = ok(concentration(Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: '1' }))));
    expect(eight.hhiFraction).toBe('0.125000');
  });

  it('warns when a member is the sum of all the others (a World row passed by mistake)', () => {
    const r = ok(
      concentration([
        { key: 'WLD', value: '100' },
        { key: 'USA', value: '60' },
        { key: 'DEU', value: '40' },
      ]),
    );
    expect(r.warnings.map((w) => w.code)).toEqual(['looks-like-group']);
    // it can be a coincidence: a member with exactly half the total
    const half = ok(concentration(['50', '30', '20'].map((value, i) => ({ key: `k${i}`, value }))));
    expect(half.warnings.map((w) => w.message)).toEqual([
      'member k0 equals the sum of all the others: a group row (World?) must not be passed',
    ]);
    expect(half.hhi).toBe('3800.00');
  });

  it('problems are data: negative, duplicate, not a decimal, nothing non-zero', () => {
    const bad = concentration([
      { key: 'a', value: '-1' },
      { key: 'a', value: '2' },
      { key: 'b', value: '1e3' },
    ]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.code)).toEqual(['negative-value', 'duplicate-member', 'bad-value']);
    expect(bad.text).toBe(
      'cannot compute concentration: negative value: -1 (member a); duplicate member: a; not a decimal: 1e3 (member b)',
    );
    const none = concentration([{ key: 'a', value: '0' }]);
    expect(none).toMatchObject({ ok: false, problems: [{ code: 'no-members' }] });
    expect(concentration([])).toMatchObject({ ok: false });
    expect(() => concentration([], { topK: 0 })).toThrow('invalid topK: 0');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Real data: UN Comtrade, China's 2022 exports by partner (USD), latin-1.

describe('Comtrade: China 2022 exports by partner', () => {
  const file = new URL('../../data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', import.meta.url);
  // every data line ends with a comma the header lacks: one empty field more, dropped
  const records: Record<string, string>[] = parse(readFileSync(file).toString('latin1'), {
    columns: true,
    relax_column_count: true,
  });
  const chinaX = records.filter((r) => r.reporterCode === '156' && r.flowCode === 'X');
  const world = chinaX.find((r) => r.partnerCode === '0')!;
  const partners = chinaX.filter((r) => r.partnerCode !== '0');

  it('the rows: 218 partners, every one a headline record, summing exactly to World', () => {
    expect(partners.length).toBe(218);
    for (const r of chinaX) {
      expect([r.partner2Code, r.motCode, r.mosCode, r.customsCode, r.cmdCode]).toEqual(['0', '0', '0', 'C00', 'TOTAL']);
      // isAggregate is true on every row (UNSD summed the declarations over commodities): it does not mark
      // partner groups, and filtering on it would leave nothing. The partners are countries plus residual
      // "nes" areas, disjoint from them — the exact sum to World below shows no group among them.
      expect(r.isAggregate).toBe('true');
    }
    const sum = partners.reduce((s, r) => s + BigInt(r.primaryValue!), 0n);
    expect(sum).toBe(BigInt(world.primaryValue!));
    expect(world.primaryValue).toBe('3593601435602');
  });

  it('HHI 494.44, computed independently with BigInt and checked with floats', () => {
    const r = ok(concentration(partners.map((p) => ({ key: p.partnerISO!.trim(), value: p.primaryValue! }))));
    // independent: Σv² / T² × 10,000 in BigInt, rounded half up at 2 decimals
    const v = partners.map((p) => BigInt(p.primaryValue!));
    const t = v.reduce((a, b) => a + b, 0n);
    const s = v.reduce((a, b) => a + b * b, 0n);
    const num = 10000n * 100n * s;
    const q = num / (t * t) + ((num % (t * t)) * 2n >= t * t ? 1n : 0n);
    expect(r.hhi).toBe(`${q / 100n}.${(q % 100n).toString().padStart(2, '0')}`);
    expect(r.hhi).toBe('494.44');
    const f = partners.map((p) => Number(p.primaryValue) / Number(world.primaryValue));
    const h = f.reduce((a, x) => a + x * x, 0);
    expect(Number(r.hhi)).toBeCloseTo(h * 10000, 2);
    expect(Number(r.equivalentNumber)).toBeCloseTo(1 / h, 2);
    expect(r.equivalentNumber).toBe('20.23'); // 20.22502…
    expect(Number(r.hhiNormalised)).toBeCloseTo((h - 1 / 218) / (1 - 1 / 218), 4);
    expect(r).toMatchObject({ members: 218, zero: [], total: '3593601435602', warnings: [] });
  });

  it('CR4: the United States, Hong Kong, Japan and Korea hold 33.83 %', () => {
    const r = ok(concentration(partners.map((p) => ({ key: p.partnerISO!.trim(), value: p.primaryValue! }))));
    expect(r.top.map((t) => [t.key, t.sharePercent])).toEqual([
      ['USA', '16.22'],
      ['HKG', '8.28'],
      ['JPN', '4.81'],
      ['KOR', '4.53'],
    ]);
    // (582,756,110,047 + 297,538,447,836 + 172,927,435,952 + 162,621,428,186) / 3,593,601,435,602
    expect(r.topShare).toBe('33.83');
    expect(r.text).toBe('HHI 494.44 across 218 members (equivalent to 20.23 equal members); the top 4 hold 33.83 %');
  });
});
