/**
 * Exact decimal arithmetic of any precision, on bigints: parsing decimal text, rounding a division, and
 * writing a scaled integer back as text. Money in base units uses `decimal.ts` (a fixed scale of 10^4) on top
 * of these; rates, ratios and indices use them directly.
 */

/** A decimal as `units / 10^scale`. */
export interface Dec {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses plain decimal text (`7.1707`, `1`, `-0.5`); undefined for anything else (exponents, commas).
 * @example parseDec('-12.50') // { units: -1250n, scale: 2 }
 */
export function parseDec(text: string): Dec | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

/** Decimal text of `units / 10^scale`, trailing zeros removed. */
export function decText(d: Dec): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = d.scale ? digits.slice(0, -d.scale) : digits;
  const frac = d.scale ? digits.slice(-d.scale).replace(/0+$/, '') : '';
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/**
 * `num / den` rounded half away from zero, exactly (any signs).
 * @example roundHalfAway(-5n, 2n) // -3n
 */
export function roundHalfAway(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new Error('division by zero');
  const neg = num < 0n !== den < 0n && num !== 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return neg ? -q : q;
}

/** `num / den` rounded half to even (banker's rounding), exactly. */
export function divHalfEven(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new Error('division by zero');
  const neg = num < 0n !== den < 0n && num !== 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/**
 * An integer count of 10^−digits as decimal text, trailing zeros kept.
 * @example unitsText(-1234n, 2) // '-12.34'
 */
export function unitsText(units: bigint, digits: number): string {
  const a = (units < 0n ? -units : units).toString().padStart(digits + 1, '0');
  const text = digits > 0 ? `${a.slice(0, -digits)}.${a.slice(-digits)}` : a;
  return units < 0n ? `-${text}` : text;
}

/**
 * `num / den` as text with `digits` decimals, rounded half away from zero.
 * @example ratioText(1n, 3n, 4) // '0.3333'
 */
export function ratioText(num: bigint, den: bigint, digits: number): string {
  return unitsText(roundHalfAway(num * 10n ** BigInt(digits), den), digits);
}
