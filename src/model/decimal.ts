/**
 * Exact decimal arithmetic for money in base units: values are bigints scaled by 10^4 (the store's
 * DECIMAL(38,4)), so sums, balances and growth rates never pass through binary floats.
 */
import { roundHalfAway, unitsText } from './exact.js';

export const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** A decimal amount: `units` is the value × 10^4. */
export type Fixed = bigint;

/**
 * Parses decimal text (`'25454537240000'`, `'-12.5'`) to a {@link Fixed}. Throws on more than 4 decimals.
 * @example toFixed('52.051') // 520510n
 */
export function toFixed(text: string): Fixed {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${text}`);
  const v = BigInt(m[2]!) * FACTOR + BigInt(frac.padEnd(SCALE, '0') || '0');
  return m[1] === '-' ? -v : v;
}

/**
 * Formats a {@link Fixed} as plain decimal text, trailing zeros removed.
 * @example fixedText(254545372400000000n) // '25454537240000'
 */
export function fixedText(v: Fixed): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const int = a / FACTOR;
  const frac = (a % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Groups thousands: `25454537240000` → `25,454,537,240,000`. */
export function groupThousands(text: string): string {
  const [int, frac] = text.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/**
 * Growth `cur / prev − 1` in percent, rounded half away from zero to `digits` decimals, as text.
 * Returns null when `prev` is zero.
 * @example growthPercent(toFixed('13000388881'), toFixed('12128000000'), 2) // '7.19'
 */
export function growthPercent(cur: Fixed, prev: Fixed, digits = 2): string | null {
  if (prev === 0n) return null;
  const scale = 10n ** BigInt(digits);
  // (cur − prev) / prev × 100 × 10^digits, rounded
  const num = (cur - prev) * 100n * scale;
  return ratioText(num, prev, digits);
}

/** `num / den` rounded half away from zero to `digits` decimals (num already × 10^digits). */
function ratioText(num: bigint, den: bigint, digits: number): string {
  return unitsText(roundHalfAway(num, den), digits);
}

/** A published ratio (0.0718) as percent text with `digits` decimals (7.18), exactly. */
export function ratioToPercent(ratioText: string, digits = 2): string {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(ratioText.trim());
  if (!m) return ratioText;
  const frac = m[3] ?? '';
  const den = 10n ** BigInt(frac.length);
  const num = BigInt(`${m[2]}${frac}`) * 100n * 10n ** BigInt(digits);
  const t = ratioTextPublic(m[1] === '-' ? -num : num, den, digits);
  return t;
}

const ratioTextPublic = ratioText;

/**
 * Short human form of a money amount: 25.45 trillion, 1.076 trillion, 877.6 billion.
 * @example humanAmount(toFixed('25454537240000')) // '25.45 trillion'
 */
export function humanAmount(v: Fixed, digits = 2): string {
  const units: [bigint, string][] = [
    [10n ** 12n, 'trillion'],
    [10n ** 9n, 'billion'],
    [10n ** 6n, 'million'],
    [10n ** 3n, 'thousand'],
  ];
  const a = v < 0n ? -v : v;
  for (const [u, name] of units) {
    if (a / FACTOR >= u) {
      const num = v * 10n ** BigInt(digits);
      return `${ratioText(num, u * FACTOR, digits)} ${name}`;
    }
  }
  return fixedText(v);
}

/**
 * `a × b ÷ c` rounded half away from zero, exactly (all {@link Fixed} or plain integers).
 * @example mulDivRound(10n, 2n, 3n) // 7n
 */
export function mulDivRound(a: bigint, b: bigint, c: bigint): bigint {
  return roundHalfAway(a * b, c);
}

/**
 * `part / whole × 100` in percent, rounded half away from zero to `digits` decimals; null when `whole` is zero.
 * @example percentOf(toFixed('1'), toFixed('8'), 2) // '12.50'
 */
export function percentOf(part: Fixed, whole: Fixed, digits = 2): string | null {
  return whole === 0n ? null : ratioText(part * 100n * 10n ** BigInt(digits), whole, digits);
}
