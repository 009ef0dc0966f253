/**
 * Unit values (value ÷ quantity) and a price / volume split of value growth, computed exactly.
 *
 * Input: rows `{key, value, quantity, unit}` for a current and a previous period, amounts as decimal text (at
 * most 4 decimals; the query engine sums months per key or hands over several rows per key, which are added).
 *
 * - **Rows without quantity** (null, zero or negative) cannot have a unit value: they are left out of unit
 *   values and of the split, and the result says how much value (and what share of each period's total) that
 *   left out.
 * - **Units are never mixed**: a key whose unit changes (within a period or between the two) is left out, and so
 *   is a key in another unit than the one the result is in (`options.unit`, by default the unit carrying the
 *   most value) — each with a note and the value concerned.
 *
 * **The split** is Laspeyres volume × Paasche price (the national-accounts choice: volume at previous-period
 * prices, price as the implicit deflator). With V₀, V₁ the values of the kept rows and
 * S = Σ_k v₀ₖ · q₁ₖ / q₀ₖ (current quantities at previous unit values):
 *
 *     1 + value growth = V₁ / V₀ = (V₁ / S) × (S / V₀) = (1 + price effect) × (1 + volume effect)
 *
 * which **multiplies back exactly**, whatever the rounding of S (S is kept to 12 decimals). Keys only in the
 * previous period add nothing to S (their volume went to zero); keys only in the current period have no
 * previous unit value, so theirs is taken as unchanged (p₀ := p₁) and their whole value counts as volume — the
 * result says how much value that concerns. The percentages shown are rounded half away from zero to `digits`
 * decimals, so the identity holds for the texts only to within rounding: |(1+p)(1+v) − (1+g)| ≤
 * ½·10^−(digits+2) · (|1+p| + |1+v| + 1) + ¼·10^−2(digits+2) in ratio terms. The exact amounts V₀, V₁ and S are
 * returned so the identity can be checked with no rounding at all.
 */

import { type Fixed, fixedText, mulDivRound, SCALE, toFixed } from '../model/decimal.js';
import { unitsText } from '../model/exact.js';
import type { Problem } from '../util/errors.js';

/** One row: a key (partner × product, say), its value, its quantity (null when not reported) and unit. */
export interface QuantityRow {
  key: string;
  value: string;
  quantity: string | null;
  unit: string;
}

export interface UnitValueOptions {
  /** Decimals of the percentages (default 2). */
  digits?: number;
  /** Decimals of the unit values (default 4). */
  unitValueDigits?: number;
  /** The unit of the result; keys in another unit are left out. Default: the unit carrying the most value. */
  unit?: string;
}

/** A key in one period: summed value and quantity, and value ÷ quantity. */
export interface PeriodAmounts {
  value: string;
  quantity: string;
  unitValue: string;
}

/** One key with quantities in at least one of the two periods. */
export interface UnitValueRow {
  key: string;
  unit: string;
  /** `matched`: quantities in both periods; `new`: only current; `gone`: only previous. */
  status: 'matched' | 'new' | 'gone';
  current: PeriodAmounts | null;
  previous: PeriodAmounts | null;
  /** Unit value change, % (null unless matched). */
  unitValueGrowth: string | null;
  /** Quantity change, % (null unless matched). */
  quantityGrowth: string | null;
}

/** Value left out in one period, with its share of everything given for that period (%, null when that is 0). */
export interface LeftOut {
  rows: number;
  value: string;
  share: string | null;
}

/** The aggregate of the kept rows in one period. */
export interface PeriodTotal {
  /** Everything given for the period, kept or not. */
  allValue: string;
  /** The rows kept: quantity > 0 and the result's unit. */
  value: string;
  quantity: string;
  /** value ÷ quantity; null when the quantity is 0. Moves with composition, unlike the price effect. */
  unitValue: string | null;
}

/** Value growth of the kept rows split into a price and a volume effect that multiply back to it. */
export interface PriceVolumeSplit {
  method: 'laspeyres-volume-paasche-price';
  /** V₀, V₁: values of the kept rows; S: current quantities at previous unit values (12 decimals). */
  previousValue: string;
  currentValue: string;
  currentAtPreviousUnitValues: string;
  /** V₁ / V₀ − 1, % (null when V₀ is 0). */
  valueGrowth: string | null;
  /** V₁ / S − 1, % (null when S is 0). */
  priceEffect: string | null;
  /** S / V₀ − 1, % (null when V₀ is 0). */
  volumeEffect: string | null;
  /** Value of keys only in the current period, counted wholly as volume (previous unit value := current). */
  newKeysValue: string;
  /** Value of keys only in the previous period (their volume effect is −100 %). */
  goneKeysValue: string;
}

export interface UnitValueResult {
  /** The unit of every quantity and unit value in the result (null when no row had a quantity). */
  unit: string | null;
  digits: number;
  rows: UnitValueRow[];
  current: PeriodTotal;
  previous: PeriodTotal;
  /** Rows with a null, zero or negative quantity. */
  withoutQuantity: { current: LeftOut; previous: LeftOut };
  /** Keys whose unit changed, or that are in another unit than `unit`. */
  otherUnits: { keys: string[]; current: LeftOut; previous: LeftOut };
  split: PriceVolumeSplit;
  /** `without-quantity`, `unit-changed`, `other-unit`, `new-keys`, `growth-undefined`. */
  notes: Problem[];
}

/** Extra decimals of S beyond the {@link Fixed} scale: S is exact to 10^−12 of the currency unit. */
const S_EXTRA = 8;

/**
 * Unit values per key and a Laspeyres-volume / Paasche-price split of value growth that multiplies back exactly.
 *
 * @example
 * const r = unitValues(
 *   [{ key: 'A', value: '120', quantity: '10', unit: 'kg' }, { key: 'B', value: '5', quantity: null, unit: 'kg' }],
 *   [{ key: 'A', value: '100', quantity: '10', unit: 'kg' }],
 * );
 * r.rows[0]; // { key: 'A', status: 'matched', current: { value: '120', quantity: '10', unitValue: '12.0000' }, unitValueGrowth: '20.00', … }
 * r.split; // { valueGrowth: '20.00', priceEffect: '20.00', volumeEffect: '0.00', … }
 * r.withoutQuantity.current; // { rows: 1, value: '5', share: '4.00' }
 */
export function unitValues(
  current: readonly QuantityRow[],
  previous: readonly QuantityRow[],
  options: UnitValueOptions = {},
): UnitValueResult {
  const digits = options.digits ?? 2;
  const uvDigits = options.unitValueDigits ?? 4;
  for (const d of [digits, uvDigits]) if (!Number.isInteger(d) || d < 0) throw new Error(`invalid digits: ${d}`);
  const notes: Problem[] = [];

  const cur = collect(current);
  const prev = collect(previous);

  // units per key over both periods; a key with more than one is left out
  const unitsOf = new Map<string, Set<string>>();
  for (const side of [cur, prev])
    for (const [key, k] of side.keys) {
      const set = unitsOf.get(key) ?? new Set<string>();
      for (const u of k.units) set.add(u);
      unitsOf.set(key, set);
    }
  const changed = [...unitsOf].filter(([, s]) => s.size > 1).map(([key]) => key);
  for (const key of changed) {
    notes.push({
      code: 'unit-changed',
      severity: 'warning',
      message: `${key} is in more than one unit (${[...unitsOf.get(key)!].sort().join(', ')}): left out`,
      value: key,
    });
  }

  // the result's unit: given, or the one carrying the most value among keys with one unit
  const byUnit = new Map<string, Fixed>();
  for (const side of [cur, prev])
    for (const [key, k] of side.keys) {
      if (changed.includes(key)) continue;
      const u = [...k.units][0]!;
      byUnit.set(u, (byUnit.get(u) ?? 0n) + abs(k.value));
    }
  const unit =
    options.unit ??
    ([...byUnit].sort(([ua, va], [ub, vb]) => (va !== vb ? (va > vb ? -1 : 1) : ua < ub ? -1 : 1))[0]?.[0] || null);

  const other = [...unitsOf.keys()].filter((key) => changed.includes(key) || !unitsOf.get(key)!.has(unit ?? ''));
  const otherSet = new Set(other);
  const otherUnitKeys = other.filter((key) => !changed.includes(key));
  if (otherUnitKeys.length > 0) {
    notes.push({
      code: 'other-unit',
      severity: 'info',
      message: `${otherUnitKeys.length} key(s) not in ${unit ?? 'a single unit'} left out: ${otherUnitKeys.slice(0, 10).join(', ')}${otherUnitKeys.length > 10 ? ', …' : ''}`,
    });
  }

  const pct = 100n * 10n ** BigInt(digits);
  const leftOut = (rows: number, value: Fixed, all: Fixed): LeftOut => ({
    rows,
    value: fixedText(value),
    share: all === 0n ? null : unitsText(mulDivRound(value, pct, all), digits),
  });
  const withoutQuantity = {
    current: leftOut(cur.noQty.rows, cur.noQty.value, cur.all),
    previous: leftOut(prev.noQty.rows, prev.noQty.value, prev.all),
  };
  if (cur.noQty.rows + prev.noQty.rows > 0) {
    notes.push({
      code: 'without-quantity',
      severity: 'info',
      message:
        `rows with a zero or missing quantity left out of unit values: ${withoutQuantity.current.rows} current ` +
        `(${withoutQuantity.current.value}, ${withoutQuantity.current.share ?? '–'} % of the value), ` +
        `${withoutQuantity.previous.rows} previous (${withoutQuantity.previous.value}, ${withoutQuantity.previous.share ?? '–'} %)`,
    });
  }
  const otherOut = (side: Collected): LeftOut => {
    let rows = 0;
    let value = 0n;
    for (const key of other) {
      const k = side.keys.get(key);
      if (k) {
        rows += k.rows;
        value += k.value;
      }
    }
    return leftOut(rows, value, side.all);
  };
  const otherUnits = { keys: other, current: otherOut(cur), previous: otherOut(prev) };

  // per key, and the split
  const keys = [...new Set([...prev.keys.keys(), ...cur.keys.keys()])].filter((key) => !otherSet.has(key));
  const uvText = (v: Fixed, q: Fixed) => unitsText(mulDivRound(v, 10n ** BigInt(uvDigits), q), uvDigits);
  const amounts = (k: KeyTotal | undefined): PeriodAmounts | null =>
    k ? { value: fixedText(k.value), quantity: fixedText(k.quantity), unitValue: uvText(k.value, k.quantity) } : null;
  const growth = (a: bigint, b: bigint) => (b === 0n ? null : unitsText(mulDivRound(a - b, pct, abs(b)), digits));

  let v0 = 0n;
  let v1 = 0n;
  let q0 = 0n;
  let q1 = 0n;
  let s = 0n; // Fixed × 10^S_EXTRA
  let newValue = 0n;
  let goneValue = 0n;
  const rows: UnitValueRow[] = [];
  for (const key of keys) {
    const c = cur.keys.get(key);
    const p = prev.keys.get(key);
    v0 += p?.value ?? 0n;
    v1 += c?.value ?? 0n;
    q0 += p?.quantity ?? 0n;
    q1 += c?.quantity ?? 0n;
    const status = c && p ? 'matched' : c ? 'new' : 'gone';
    if (c && p) s += mulDivRound(p.value * 10n ** BigInt(S_EXTRA), c.quantity, p.quantity);
    else if (c) {
      s += c.value * 10n ** BigInt(S_EXTRA);
      newValue += c.value;
    } else goneValue += p!.value;
    // unit value growth = (v1/q1)/(v0/q0) − 1 = (v1·q0 − v0·q1)/(v0·q1), sign by |v0·q1|
    const uvGrowth = c && p ? growth(c.value * p.quantity, p.value * c.quantity) : null;
    rows.push({
      key,
      unit: unit!,
      status,
      current: amounts(c),
      previous: amounts(p),
      unitValueGrowth: uvGrowth,
      quantityGrowth: c && p ? growth(c.quantity, p.quantity) : null,
    });
  }
  if (newValue !== 0n) {
    notes.push({
      code: 'new-keys',
      severity: 'info',
      message: `keys only in the current period (${fixedText(newValue)}) have no previous unit value: counted as volume`,
    });
  }
  if (v0 === 0n) {
    notes.push({
      code: 'growth-undefined',
      severity: 'info',
      message: 'no previous value with quantities: value growth and its split are undefined',
    });
  }

  const sUnits = 10n ** BigInt(S_EXTRA);
  const total = (all: Fixed, value: Fixed, quantity: Fixed): PeriodTotal => ({
    allValue: fixedText(all),
    value: fixedText(value),
    quantity: fixedText(quantity),
    unitValue: quantity === 0n ? null : uvText(value, quantity),
  });
  return {
    unit,
    digits,
    rows,
    current: total(cur.all, v1, q1),
    previous: total(prev.all, v0, q0),
    withoutQuantity,
    otherUnits,
    split: {
      method: 'laspeyres-volume-paasche-price',
      previousValue: fixedText(v0),
      currentValue: fixedText(v1),
      currentAtPreviousUnitValues: unitsText(s, SCALE + S_EXTRA),
      valueGrowth: growth(v1, v0),
      priceEffect: s === 0n ? null : growth(v1 * sUnits, s),
      volumeEffect: v0 === 0n ? null : growth(s, v0 * sUnits),
      newKeysValue: fixedText(newValue),
      goneKeysValue: fixedText(goneValue),
    },
    notes,
  };
}

interface KeyTotal {
  value: Fixed;
  quantity: Fixed;
  rows: number;
  units: Set<string>;
}

interface Collected {
  /** Everything given, with or without quantity. */
  all: Fixed;
  /** Keys summed over their rows with a positive quantity. */
  keys: Map<string, KeyTotal>;
  noQty: { rows: number; value: Fixed };
}

function collect(rows: readonly QuantityRow[]): Collected {
  const out: Collected = { all: 0n, keys: new Map(), noQty: { rows: 0, value: 0n } };
  for (const r of rows) {
    const value = toFixed(r.value);
    out.all += value;
    const quantity = r.quantity === null || r.quantity.trim() === '' ? 0n : toFixed(r.quantity);
    if (quantity <= 0n) {
      out.noQty.rows += 1;
      out.noQty.value += value;
      continue;
    }
    const k = out.keys.get(r.key) ?? { value: 0n, quantity: 0n, rows: 0, units: new Set<string>() };
    k.value += value;
    k.quantity += quantity;
    k.rows += 1;
    k.units.add(r.unit);
    out.keys.set(r.key, k);
  }
  return out;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
