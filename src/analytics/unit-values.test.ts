import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toFixed } from '../model/decimal.js';
import { type PriceVolumeSplit, type QuantityRow, unitValues } from './unit-values.js';

const row = (key: string, value: string, quantity: string | null, unit = 'kg'): QuantityRow => ({
  key,
  value,
  quantity,
  unit,
});

/** S as an integer count of 10^-12 (it is returned with 12 decimals). */
const sUnits = (s: PriceVolumeSplit) => BigInt(s.currentAtPreviousUnitValues.replace('.', ''));

/**
 * The identity on the exact amounts: price = V₁/S, volume = S/V₀, value = V₁/V₀ as fractions of bigints, and
 * price × volume == value by cross-multiplication; then each percent text is that fraction − 1, rounded half
 * away from zero — so the texts are roundings of factors that multiply back exactly.
 */
function multipliesBackExactly(s: PriceVolumeSplit, digits: number): boolean {
  const e = 10n ** 8n; // S has 8 more decimals than the Fixed values
  const v0 = toFixed(s.previousValue) * e;
  const v1 = toFixed(s.currentValue) * e;
  const sv = sUnits(s);
  const price = [v1, sv] as const;
  const volume = [sv, v0] as const;
  const value = [v1, v0] as const;
  const exact = price[0] * volume[0] * value[1] === value[0] * price[1] * volume[1];
  const text = (num: bigint, den: bigint) => {
    const units = roundHalfAway((num - den) * 10n ** BigInt(digits + 2), den);
    const a = abs(units)
      .toString()
      .padStart(digits + 1, '0');
    return `${units < 0n ? '-' : ''}${a.slice(0, -digits)}.${a.slice(-digits)}`;
  };
  return (
    exact && text(...price) === s.priceEffect && text(...volume) === s.volumeEffect && text(...value) === s.valueGrowth
  );
}

function roundHalfAway(n: bigint, d: bigint): bigint {
  const q = abs(n) / d;
  const r = abs(n) % d;
  const m = r * 2n >= d ? q + 1n : q;
  return n < 0n ? -m : m;
}

/** S recomputed as an exact fraction Σ v₀·q₁/q₀ (matched keys) + v₁ (new keys), compared with the 12-decimal S. */
function sIsExactTo12Decimals(cur: readonly QuantityRow[], prev: readonly QuantityRow[], s: PriceVolumeSplit) {
  const sum = (rows: readonly QuantityRow[]) => {
    const m = new Map<string, { v: bigint; q: bigint }>();
    for (const r of rows) {
      const q = r.quantity ? toFixed(r.quantity) : 0n;
      if (q <= 0n) continue;
      const k = m.get(r.key) ?? { v: 0n, q: 0n };
      k.v += toFixed(r.value);
      k.q += q;
      m.set(r.key, k);
    }
    return m;
  };
  const c = sum(cur);
  const p = sum(prev);
  let num = 0n; // Σ as one fraction num/den, in Fixed units
  let den = 1n;
  let keys = 0n;
  for (const [key, k] of c) {
    const o = p.get(key);
    const [n, d] = o ? [o.v * k.q, o.q] : [k.v, 1n];
    num = num * d + n * den;
    den *= d;
    keys += 1n;
  }
  // |S_returned − S_exact| ≤ keys × ½·10^-12, i.e. |S·den − num·10^8| · 2 ≤ keys · den
  return abs(sUnits(s) * den - num * 10n ** 8n) * 2n <= keys * den;
}

/** |(1+p)(1+v) − (1+g)| within the rounding bound stated in the module, all from the percent texts. */
function withinRounding(s: PriceVolumeSplit, digits: number): boolean {
  const d = 10n ** BigInt(digits + 2); // a percent text with `digits` decimals is an integer count of 1/d
  const units = (t: string) => d + BigInt(t.replace('.', ''));
  const p = units(s.priceEffect!);
  const v = units(s.volumeEffect!);
  const g = units(s.valueGrowth!);
  const gap = p * v - g * d; // in 1/d²
  const bound = (abs(p) + abs(v) + d) / 2n + 1n;
  return abs(gap) <= bound;
}

const abs = (x: bigint) => (x < 0n ? -x : x);

describe('unit values, hand-computed', () => {
  it('splits value growth into price and volume that multiply back', () => {
    // A: 10 kg at 10 → 12 kg at 11 (value 100 → 132); B: 20 kg at 5 → 15 kg at 6 (100 → 90)
    // V0 = 200, V1 = 222, S = 12·10 + 15·5 = 195; price 222/195 = 1.138462, volume 195/200 = 0.975
    // 1.138462 × 0.975 = 1.11 = 222/200
    const r = unitValues(
      [row('A', '132', '12'), row('B', '90', '15')],
      [row('A', '100', '10'), row('B', '100', '20')],
      { digits: 4 },
    );
    expect(r.unit).toBe('kg');
    expect(r.rows).toEqual([
      {
        key: 'A',
        unit: 'kg',
        status: 'matched',
        current: { value: '132', quantity: '12', unitValue: '11.0000' },
        previous: { value: '100', quantity: '10', unitValue: '10.0000' },
        unitValueGrowth: '10.0000',
        quantityGrowth: '20.0000',
      },
      {
        key: 'B',
        unit: 'kg',
        status: 'matched',
        current: { value: '90', quantity: '15', unitValue: '6.0000' },
        previous: { value: '100', quantity: '20', unitValue: '5.0000' },
        unitValueGrowth: '20.0000',
        quantityGrowth: '-25.0000',
      },
    ]);
    expect(r.split).toEqual({
      method: 'laspeyres-volume-paasche-price',
      previousValue: '200',
      currentValue: '222',
      currentAtPreviousUnitValues: '195.000000000000',
      valueGrowth: '11.0000',
      priceEffect: '13.8462',
      volumeEffect: '-2.5000',
      newKeysValue: '0',
      goneKeysValue: '0',
    });
    expect(r.current).toEqual({ allValue: '222', value: '222', quantity: '27', unitValue: '8.2222' });
    expect(r.previous).toEqual({ allValue: '200', value: '200', quantity: '30', unitValue: '6.6667' });
    expect(multipliesBackExactly(r.split, 4)).toBe(true);
    expect(withinRounding(r.split, 4)).toBe(true);
    expect(r.notes).toEqual([]);
  });

  it('leaves out rows without quantity and says how much value that was', () => {
    const r = unitValues(
      [row('A', '120', '10'), row('B', '30', '0'), row('C', '50', null)],
      [row('A', '100', '10'), row('A', '25', '')],
    );
    expect(r.withoutQuantity).toEqual({
      current: { rows: 2, value: '80', share: '40.00' },
      previous: { rows: 1, value: '25', share: '20.00' },
    });
    expect(r.current).toMatchObject({ allValue: '200', value: '120', quantity: '10', unitValue: '12.0000' });
    expect(r.split).toMatchObject({ valueGrowth: '20.00', priceEffect: '20.00', volumeEffect: '0.00' });
    expect(r.notes.map((n) => n.code)).toEqual(['without-quantity']);
  });

  it('counts keys new in the current period as volume and keys gone as a volume fall', () => {
    // A: 10 kg at 2 → 10 kg at 3; N new: 5 kg for 10; G gone: 4 kg for 8
    // V0 = 28, V1 = 40, S = 20 (A at old price) + 10 (N at its own price) + 0 (G) = 30
    const r = unitValues([row('A', '30', '10'), row('N', '10', '5')], [row('A', '20', '10'), row('G', '8', '4')]);
    expect(r.rows.map((x) => [x.key, x.status, x.unitValueGrowth])).toEqual([
      ['A', 'matched', '50.00'],
      ['G', 'gone', null],
      ['N', 'new', null],
    ]);
    expect(r.split).toMatchObject({
      currentAtPreviousUnitValues: '30.000000000000',
      valueGrowth: '42.86',
      priceEffect: '33.33',
      volumeEffect: '7.14',
      newKeysValue: '10',
      goneKeysValue: '8',
    });
    expect(r.notes.map((n) => n.code)).toEqual(['new-keys']);
  });

  it('never mixes units: a key that changes unit, and keys in another unit, are left out', () => {
    const r = unitValues(
      [row('A', '10', '1'), row('B', '50', '5', 'kg'), row('P', '7', '7', 'u')],
      [row('A', '10', '1'), row('B', '40', '4', 't'), row('P', '7', '7', 'u')],
    );
    expect(r.unit).toBe('kg');
    expect(r.rows.map((x) => x.key)).toEqual(['A']);
    expect(r.otherUnits).toEqual({
      keys: ['B', 'P'],
      current: { rows: 2, value: '57', share: '85.07' },
      previous: { rows: 2, value: '47', share: '82.46' },
    });
    expect(r.notes.map((n) => n.code)).toEqual(['unit-changed', 'other-unit']);
    expect(r.notes[0]!.message).toBe('B is in more than one unit (kg, t): left out');
    expect(unitValues([row('P', '7', '7', 'u')], [row('P', '6', '7', 'u')], { unit: 'kg' }).rows).toEqual([]);
  });

  it('says growth is undefined without a previous value', () => {
    const r = unitValues([row('A', '10', '1')], []);
    expect(r.split).toMatchObject({ valueGrowth: null, volumeEffect: null, priceEffect: '0.00' });
    expect(r.notes.map((n) => n.code)).toEqual(['new-keys', 'growth-undefined']);
  });
});

type MineralRow = { period_dt: string; partner_name: string; hs6: string; val: string; qty: string };

const minerals: MineralRow[] = parse(
  readFileSync(new URL('../../data/comtrade/china_critical_minerals_hs6_monthly.csv', import.meta.url), 'utf8'),
  { columns: true, skip_empty_lines: true },
);

/** The file's rows of a year as partner × HS6 keys, quantities in kg. */
const year = (y: string): QuantityRow[] =>
  minerals
    .filter((r) => r.period_dt.startsWith(y))
    .map((r) => ({ key: `${r.partner_name}|${r.hs6}`, value: r.val, quantity: r.qty, unit: 'kg' }));

describe('real data: China critical-mineral exports (USD, kg)', () => {
  it('has 146 rows with a zero quantity: 145 in 2017 and one in 2022, 65,177,813 USD in all', () => {
    const zero = minerals.filter((r) => toFixed(r.qty) === 0n);
    expect(zero.length).toBe(146);
    const r18 = unitValues(year('2018'), year('2017'));
    expect(r18.withoutQuantity.current).toEqual({ rows: 0, value: '0', share: '0.00' });
    // 65,160,803 of 542,379,810 USD = 12.0139 %
    expect(r18.withoutQuantity.previous).toEqual({ rows: 145, value: '65160803', share: '12.01' });
    const r22 = unitValues(year('2022'), year('2021'), { digits: 4 });
    expect(r22.withoutQuantity.current).toMatchObject({ rows: 1, value: '17010' });
    expect(BigInt(r18.withoutQuantity.previous.value) + BigInt(r22.withoutQuantity.current.value)).toBe(65177813n);
    expect(r18.notes.map((n) => n.code)).toContain('without-quantity');
  });

  it('2024 vs 2023: unit values per key and a price / volume split that multiplies back', () => {
    const r = unitValues(year('2024'), year('2023'), { digits: 2 });
    expect(r.unit).toBe('kg');
    expect(r.withoutQuantity.current.rows + r.withoutQuantity.previous.rows).toBe(0);
    expect(r.otherUnits.keys).toEqual([]);
    // totals checked independently (Python Decimal): 1,820,410,379 → 1,415,025,590 USD; 711,896,811.579 → 658,028,393.303 kg
    expect(r.previous).toEqual({
      allValue: '1820410379',
      value: '1820410379',
      quantity: '711896811.579',
      unitValue: '2.5571',
    });
    expect(r.current).toEqual({
      allValue: '1415025590',
      value: '1415025590',
      quantity: '658028393.303',
      unitValue: '2.1504',
    });
    expect(r.split.valueGrowth).toBe('-22.27');
    expect(sIsExactTo12Decimals(year('2024'), year('2023'), r.split)).toBe(true);
    expect(multipliesBackExactly(r.split, 2)).toBe(true);
    expect(withinRounding(r.split, 2)).toBe(true);
    // checked independently (Python fractions): S = 1,601,764,923.4872 USD; price −11.658348 %, volume −12.010778 %;
    // new keys 261,895 USD, gone keys 34,520 USD; 0.8834 × 0.8799 = 0.7773 = 1 − 0.2227
    expect(r.split).toMatchObject({
      priceEffect: '-11.66',
      volumeEffect: '-12.01',
      newKeysValue: '261895',
      goneKeysValue: '34520',
    });
    expect(r.split.currentAtPreviousUnitValues.startsWith('1601764923.4871')).toBe(true);
    // with 8 decimals the texts multiply back to within 10^-9 of the ratio as well
    const fine = unitValues(year('2024'), year('2023'), { digits: 8 });
    expect(multipliesBackExactly(fine.split, 8)).toBe(true);
    expect(withinRounding(fine.split, 8)).toBe(true);
    expect(fine.split).toMatchObject({
      valueGrowth: '-22.26886826',
      priceEffect: '-11.65834829',
      volumeEffect: '-12.01077834',
    });
    // every matched key's unit value is its value / quantity
    for (const x of r.rows.filter((k) => k.status === 'matched')) {
      const uv = Number(x.current!.value) / Number(x.current!.quantity);
      expect(Math.abs(Number(x.current!.unitValue) - uv)).toBeLessThanOrEqual(0.00005 + uv * 1e-12);
    }
  });
});
