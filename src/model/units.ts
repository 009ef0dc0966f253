/**
 * Units of money, weight and quantity as they appear in real files, and their scale to base units.
 *
 * Values are stored as exact decimals in base units of their currency (CNY, USD, JPY …), so a
 * 万元 figure 2,545,453,724 becomes 25,454,537,240,000 CNY. Scaling is a power of ten, applied
 * in SQL on DECIMAL values (never on binary floats).
 */
import { UserError } from '../util/errors.js';

export interface MoneyUnit {
  /** ISO 4217 currency code. */
  currency: string;
  /** Power of ten of one source unit in base units: 万元 → 4, thousand USD → 3. */
  exponent: number;
  /** Canonical text: `CNY*1e4`. */
  label: string;
}

/** Words for scales found in trade files, in English and Chinese. */
const SCALE_WORDS: Record<string, number> = {
  '': 0,
  unit: 0,
  units: 0,
  one: 0,
  thousand: 3,
  thousands: 3,
  k: 3,
  million: 6,
  millions: 6,
  mn: 6,
  m: 6,
  billion: 9,
  billions: 9,
  bn: 9,
  trillion: 12,
};

const CHINESE_UNITS: Record<string, MoneyUnit> = {
  元: { currency: 'CNY', exponent: 0, label: 'CNY' },
  万元: { currency: 'CNY', exponent: 4, label: 'CNY*1e4' },
  百万元: { currency: 'CNY', exponent: 6, label: 'CNY*1e6' },
  亿元: { currency: 'CNY', exponent: 8, label: 'CNY*1e8' },
  万美元: { currency: 'USD', exponent: 4, label: 'USD*1e4' },
  亿美元: { currency: 'USD', exponent: 8, label: 'USD*1e8' },
  美元: { currency: 'USD', exponent: 0, label: 'USD' },
  千美元: { currency: 'USD', exponent: 3, label: 'USD*1e3' },
};

/**
 * Parses a money unit: `USD`, `thousand USD`, `million USD`, `USD*1e3`, `JPY thousand`, `万元`, `亿元`.
 * @example parseMoneyUnit('万元') // { currency: 'CNY', exponent: 4, label: 'CNY*1e4' }
 */
export function parseMoneyUnit(text: string): MoneyUnit {
  const t = text.trim();
  const zh = CHINESE_UNITS[t];
  if (zh) return zh;
  const m = /^([A-Za-z]{3})\s*\*\s*1e(\d{1,2})$/.exec(t);
  if (m) return unit(m[1]!, Number(m[2]));
  // a currency code with a scale word before or after it: thousand USD, USD thousand, million USD
  const tokens = t.split(/\s+/);
  if (tokens.length === 1 && /^[A-Za-z]{3}$/.test(t)) return unit(t, 0);
  if (tokens.length === 2) {
    const [a, b] = tokens as [string, string];
    const scaleA = SCALE_WORDS[a.toLowerCase()];
    const scaleB = SCALE_WORDS[b.toLowerCase()];
    if (scaleA !== undefined && /^[A-Za-z]{3}$/.test(b)) return unit(b, scaleA);
    if (scaleB !== undefined && /^[A-Za-z]{3}$/.test(a)) return unit(a, scaleB);
  }
  throw new UserError(
    `unknown money unit: ${JSON.stringify(text)} (use a currency code with an optional scale: USD, thousand USD, million USD, CNY*1e4, 万元, 亿元)`,
  );
}

/** Currency words of published tables that are not ISO codes. */
const CURRENCY_WORDS: Record<string, string> = { RMB: 'CNY', US$: 'USD', US: 'USD' };

/**
 * Parses a money unit written as a phrase with a multiplier, as statistical tables print it: `CNY 100 Million`,
 * `USD1 Million`, `RMB 10,000`, `100 million CNY`, `USD thousand`; every form {@link parseMoneyUnit} knows too.
 * The multiplier must be a power of ten; `RMB` and `US$` are read as CNY and USD. Undefined when unknown.
 * @example parseMoneyPhrase('CNY 100 Million') // { currency: 'CNY', exponent: 8, label: 'CNY*1e8' }
 * @example parseMoneyPhrase('USD1 Million') // { currency: 'USD', exponent: 6, label: 'USD*1e6' }
 */
export function parseMoneyPhrase(text: string): MoneyUnit | undefined {
  const t = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  try {
    return parseMoneyUnit(t);
  } catch {
    // a phrase: below
  }
  // currency first (`CNY 100 Million`, `USD1 Million`) or last (`100 million CNY`)
  const first = /^(US\$|[A-Za-z]{3})\s*(\d[\d,]*)?\s*([A-Za-z]*)$/.exec(t);
  const last = /^(\d[\d,]*)?\s*([A-Za-z]*)\s+(US\$|[A-Za-z]{3})$/.exec(t);
  const [cur, mult, word] = first
    ? [first[1]!, first[2], first[3]!]
    : last
      ? [last[3]!, last[1], last[2]!]
      : [undefined, undefined, undefined];
  if (cur === undefined || (mult === undefined && word === '')) return undefined;
  const scale = SCALE_WORDS[(word ?? '').toLowerCase()];
  if (scale === undefined) return undefined;
  const digits = (mult ?? '1').replace(/,/g, '');
  if (!/^10*$/.test(digits)) return undefined;
  const currency = CURRENCY_WORDS[cur.toUpperCase()] ?? cur.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  return unit(currency, digits.length - 1 + scale);
}

function unit(currency: string, exponent: number): MoneyUnit {
  const c = currency.toUpperCase();
  return { currency: c, exponent, label: exponent === 0 ? c : `${c}*1e${exponent}` };
}

/** Weight units to kilograms, as a power of ten (tonnes → 3, kg → 0). Grams would be -3. */
const WEIGHT_EXPONENTS: Record<string, number> = {
  kg: 0,
  kilogram: 0,
  kilograms: 0,
  t: 3,
  tonne: 3,
  tonnes: 3,
  ton: 3,
  'metric ton': 3,
  千克: 0,
  公斤: 0,
  吨: 3,
};

/** Returns the power of ten from a weight unit to kilograms. */
export function weightExponent(text: string): number {
  const e = WEIGHT_EXPONENTS[text.trim().toLowerCase()];
  if (e === undefined) throw new UserError(`unknown weight unit: ${JSON.stringify(text)} (use kg or t)`);
  return e;
}

/** Decimal places kept in base units of money and in kilograms. */
export const VALUE_SCALE = 4;

/**
 * Exact decimal scaling of a decimal string by a power of ten, in text (no floats).
 * Used for displays and tests; bulk scaling happens in SQL.
 * @example scaleDecimalText('52.051', 3) // '52051'
 */
export function scaleDecimalText(text: string, exponent: number): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: ${text}`);
  const sign = m[1] === '-' ? '-' : '';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const out = frac ? `${intPart}.${frac}` : intPart;
  return out === '0' ? '0' : sign + out;
}
