/**
 * Number, money, period and word formats for English and Chinese readers, shared by briefs, charts and the
 * dashboard. Pure functions with no Node APIs, so the dashboard can bundle this file.
 *
 * Money is formatted from exact decimal text where it is given as text: `'13000388810000'` becomes
 * "CNY 13.00 trillion" / "13.00万亿元" by rounding the decimal digits half away from zero, never through a
 * binary float. English uses billion (10^9) and trillion (10^12); Chinese uses 万 (10^4), 亿 (10^8) and
 * 万亿 (10^12), the units Chinese statistical releases use.
 */
import { type Dec, parseDec, roundHalfAway, unitsText } from '../model/exact.js';
import { type Period, tryParsePeriod } from '../model/period.js';

/** The languages tradescope writes. */
export type Lang = 'en' | 'zh';

/** Options for {@link formatMoney}. */
export interface MoneyOptions {
  /** Decimals shown in the chosen unit (default 2 for trillion/万亿, 1 for billion, million, 亿 and 万). */
  digits?: number;
}

/** Options for {@link formatPercent}. */
export interface PercentOptions {
  /** Write `+` before positive values (a minus is always written). */
  signed?: boolean;
  /** Decimals (default 1). */
  digits?: number;
}

/** Options for {@link formatPp}. */
export interface PpOptions {
  /** Decimals (default 1). */
  digits?: number;
  /** Direction as words ("up 1.2 percentage points" / "提高1.2个百分点") instead of a sign. */
  words?: boolean;
}

const ZH_CURRENCY: Readonly<Record<string, string>> = {
  CNY: '元',
  USD: '美元',
  EUR: '欧元',
  JPY: '日元',
  GBP: '英镑',
  HKD: '港元',
  KRW: '韩元',
  TWD: '新台币',
  AUD: '澳元',
  CAD: '加元',
  CHF: '瑞士法郎',
  RUB: '卢布',
  INR: '卢比',
  SDR: '特别提款权',
};

const EN_PREFIX: Readonly<Record<string, string>> = { USD: 'US$' };

/**
 * A money amount in words of its size, exactly rounded.
 *
 * @param value base units of `currency`, as decimal text (exact) or a number
 * @example formatMoney('13000388810000', 'CNY', 'en') // 'CNY 13.00 trillion'
 * @example formatMoney('3540000000000', 'USD', 'en') // 'US$3.54 trillion'
 * @example formatMoney('582760000000', 'USD', 'en') // 'US$582.8 billion'
 * @example formatMoney('13000388810000', 'CNY', 'zh') // '13.00万亿元'
 * @example formatMoney('582760000000', 'USD', 'zh') // '5827.6亿美元'
 */
export function formatMoney(value: string | number, currency: string, lang: Lang, opts: MoneyOptions = {}): string {
  const d = toDec(value, 'value');
  const neg = d.units < 0n;
  const abs: Dec = { units: neg ? -d.units : d.units, scale: d.scale };
  const cur = currency.toUpperCase();
  const sign = neg ? '-' : '';
  if (lang === 'zh') {
    const word = ZH_CURRENCY[cur] ?? cur;
    const { text, unit } = scaleTo(abs, ZH_UNITS, opts.digits);
    return `${sign}${text}${unit}${word}`;
  }
  const { text, unit } = scaleTo(abs, EN_UNITS, opts.digits);
  const amount = unit ? `${text} ${unit}` : text;
  const prefix = EN_PREFIX[cur];
  return prefix ? `${sign}${prefix}${amount}` : `${sign}${cur} ${amount}`;
}

interface Unit {
  /** Power of ten of the unit. */
  exp: number;
  word: string;
  digits: number;
  /** Group thousands of the number written in this unit (only for plain amounts in English). */
  group?: boolean;
}

// Largest first. The last entry (exp 0) catches everything smaller.
const EN_UNITS: readonly Unit[] = [
  { exp: 12, word: 'trillion', digits: 2 },
  { exp: 9, word: 'billion', digits: 1 },
  { exp: 6, word: 'million', digits: 1 },
  { exp: 0, word: '', digits: 0, group: true },
];

const ZH_UNITS: readonly Unit[] = [
  { exp: 12, word: '万亿', digits: 2 },
  { exp: 8, word: '亿', digits: 1 },
  { exp: 4, word: '万', digits: 1 },
  { exp: 0, word: '', digits: 0 },
];

/** Picks the largest unit the amount reaches after rounding, and writes the amount in it. */
function scaleTo(abs: Dec, units: readonly Unit[], digits?: number): { text: string; unit: string } {
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const n = digits ?? u.digits;
    const rounded = roundDec(abs, u.exp, n);
    const threshold = 10n ** BigInt(n); // 1 unit, in 10^-n units
    if (rounded < threshold && u.exp > 0) continue;
    // rounding may carry into the next larger unit (999.96 billion → 1.00 trillion)
    const bigger = units[i - 1];
    if (bigger && rounded >= 10n ** BigInt(bigger.exp - u.exp + n)) {
      const nb = digits ?? bigger.digits;
      return { text: unitsText(roundDec(abs, bigger.exp, nb), nb), unit: bigger.word };
    }
    const text = unitsText(rounded, n);
    return { text: u.group ? groupDigits(text) : text, unit: u.word };
  }
  throw new Error('unreachable: the last unit takes every amount');
}

/** `abs / 10^exp` rounded half away from zero to `digits` decimals, as a count of 10^-digits. */
function roundDec(abs: Dec, exp: number, digits: number): bigint {
  // value = units / 10^scale; in target units × 10^digits: units × 10^(digits − exp − scale)
  const shift = digits - exp - abs.scale;
  if (shift >= 0) return abs.units * 10n ** BigInt(shift);
  return roundHalfAway(abs.units, 10n ** BigInt(-shift));
}

function groupDigits(text: string): string {
  const [int, frac] = text.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/**
 * A ratio as a percentage, rounded half away from zero on its shortest decimal text (0.0718 → 7.2, not the
 * float 7.180000000000001). Decimal text is taken exactly. Both languages write `7.2%`.
 * @example formatPercent(0.0718, 'en') // '7.2%'
 * @example formatPercent(0.0718, 'en', { signed: true }) // '+7.2%'
 * @example formatPercent('-0.02775', 'zh', { digits: 2 }) // '-2.78%'
 */
export function formatPercent(ratio: number | string, _lang: Lang, opts: PercentOptions = {}): string {
  const digits = opts.digits ?? 1;
  const d = toDec(ratio, 'ratio');
  const units = roundDec(d, -2, digits);
  const text = unitsText(units, digits);
  const sign = opts.signed && units > 0n ? '+' : '';
  return `${sign}${text}%`;
}

/**
 * A difference in percentage points (`pp` is already in points: 1.2 means 1.2 points).
 * @example formatPp(1.2, 'en') // '+1.2 percentage points'
 * @example formatPp(1.2, 'zh') // '1.2个百分点'
 * @example formatPp(-2.4, 'en', { words: true }) // 'down 2.4 percentage points'
 * @example formatPp(-2.4, 'zh', { words: true }) // '下降2.4个百分点'
 */
export function formatPp(pp: number | string, lang: Lang, opts: PpOptions = {}): string {
  const digits = opts.digits ?? 1;
  const units = roundDec(toDec(pp, 'pp'), 0, digits);
  const abs = unitsText(units < 0n ? -units : units, digits);
  const dir = units > 0n ? 1 : units < 0n ? -1 : 0;
  if (lang === 'zh') {
    if (opts.words) return dir === 0 ? '持平' : `${dir > 0 ? '提高' : '下降'}${abs}个百分点`;
    return `${dir < 0 ? '-' : ''}${abs}个百分点`;
  }
  if (opts.words) return dir === 0 ? 'unchanged' : `${dir > 0 ? 'up' : 'down'} ${abs} percentage points`;
  return `${dir > 0 ? '+' : dir < 0 ? '-' : ''}${abs} percentage points`;
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const MONTHS_EN_SHORT = MONTHS_EN.map((m) => m.slice(0, 3));

/**
 * A month in words.
 * @example monthLabel('2025-06', 'en') // 'June 2025'
 * @example monthLabel('2025-06', 'zh') // '2025年6月'
 */
export function monthLabel(yyyyMm: string | number, lang: Lang, opts: { short?: boolean } = {}): string {
  const { year, month } = splitMonth(yyyyMm);
  if (lang === 'zh') return `${year}年${month}月`;
  return `${(opts.short ? MONTHS_EN_SHORT : MONTHS_EN)[month - 1]} ${year}`;
}

/** Month names without the year, for ranges and chart axes. */
function monthName(month: number, lang: Lang, short = false): string {
  return lang === 'zh' ? `${month}月` : (short ? MONTHS_EN_SHORT : MONTHS_EN)[month - 1]!;
}

/**
 * A short month tick for chart axes: "Jun 2025" / "2025年6月"; with `withYear: false` "Jun" / "6月".
 * @example monthTick('2025-06', 'en', false) // 'Jun'
 */
export function monthTick(yyyyMm: string | number, lang: Lang, withYear = true): string {
  const { year, month } = splitMonth(yyyyMm);
  if (!withYear) return monthName(month, lang, true);
  return lang === 'zh' ? `${year}年${month}月` : `${MONTHS_EN_SHORT[month - 1]} ${year}`;
}

function splitMonth(yyyyMm: string | number): { year: number; month: number } {
  const text = String(yyyyMm);
  const m = /^(\d{4})-?(\d{2})$/.exec(text);
  const month = m ? Number(m[2]) : Number.NaN;
  if (!m || month < 1 || month > 12) throw new Error(`invalid month: ${text} (expected yyyy-mm such as 2025-06)`);
  return { year: Number(m[1]), month };
}

const ZH_QUARTERS = ['一', '二', '三', '四'] as const;
const EN_ORDINALS = ['first', 'second', 'third', 'fourth'] as const;

/**
 * A period of the tradescope grammar in words.
 *
 * | period          | en                          | zh                      |
 * |-----------------|-----------------------------|-------------------------|
 * | `ytd:2025-06`   | January–June 2025           | 2025年1—6月             |
 * | `2025-H1`       | the first half of 2025      | 2025年上半年            |
 * | `2025-Q1`       | the first quarter of 2025   | 2025年一季度            |
 * | `2025-01+02`    | January–February 2025       | 2025年1—2月             |
 * | `r12:2025-06`   | the 12 months to June 2025  | 截至2025年6月的12个月   |
 * | `2024-11..2025-02` | November 2024–February 2025 | 2024年11月—2025年2月 |
 *
 * With `{ ytd: 'count' }` a Chinese year to date reads 2025年前6个月.
 * @example periodText('ytd:2025-06', 'en') // 'January–June 2025'
 * @example periodText('ytd:2025-06', 'zh') // '2025年1—6月'
 */
export function periodText(period: string | Period, lang: Lang, opts: { ytd?: 'range' | 'count' } = {}): string {
  const p = typeof period === 'string' ? tryParsePeriod(period) : period;
  if (typeof p === 'string') throw new Error(p);
  const sy = Math.floor(p.start / 100);
  const sm = p.start % 100;
  const ey = Math.floor(p.end / 100);
  const em = p.end % 100;
  const zh = lang === 'zh';
  switch (p.kind) {
    case 'month':
      return monthLabel(p.start, lang);
    case 'year':
      return zh ? `${sy}年` : String(sy);
    case 'quarter': {
      const q = (em / 3) as 1 | 2 | 3 | 4;
      return zh ? `${sy}年${ZH_QUARTERS[q - 1]}季度` : `the ${EN_ORDINALS[q - 1]} quarter of ${sy}`;
    }
    case 'half':
      return zh ? `${sy}年${em === 6 ? '上' : '下'}半年` : `the ${em === 6 ? 'first' : 'second'} half of ${sy}`;
    case 'rolling12':
      return zh ? `截至${monthLabel(p.end, 'zh')}的12个月` : `the 12 months to ${monthLabel(p.end, 'en')}`;
    case 'ytd':
      if (zh && opts.ytd === 'count' && em > 1) return `${ey}年前${em}个月`;
      return sameYearRange(sy, sm, em, lang);
    case 'janfeb':
      return sameYearRange(sy, sm, em, lang);
    case 'range':
      if (sy === ey) {
        if (sm === 1 && em === 12) return zh ? `${sy}年` : String(sy);
        return sameYearRange(sy, sm, em, lang);
      }
      if (sm === 1 && em === 12) return zh ? `${sy}—${ey}年` : `${sy}–${ey}`;
      return zh
        ? `${monthLabel(p.start, 'zh')}—${monthLabel(p.end, 'zh')}`
        : `${monthLabel(p.start, 'en')}–${monthLabel(p.end, 'en')}`;
  }
}

function sameYearRange(year: number, from: number, to: number, lang: Lang): string {
  if (from === to) return lang === 'zh' ? `${year}年${from}月` : `${MONTHS_EN[from - 1]} ${year}`;
  return lang === 'zh' ? `${year}年${from}—${to}月` : `${MONTHS_EN[from - 1]}–${MONTHS_EN[to - 1]} ${year}`;
}

const LABELS = {
  exports: { en: 'exports', zh: '出口' },
  imports: { en: 'imports', zh: '进口' },
  total: { en: 'total trade', zh: '进出口总值' },
  balance: { en: 'trade balance', zh: '贸易顺差' },
  surplus: { en: 'surplus', zh: '顺差' },
  deficit: { en: 'deficit', zh: '逆差' },
  yoy: { en: 'year on year', zh: '同比' },
  up: { en: 'up', zh: '增长' },
  down: { en: 'down', zh: '下降' },
  unchanged: { en: 'unchanged', zh: '持平' },
  share: { en: 'share', zh: '占比' },
  partner: { en: 'partner', zh: '贸易伙伴' },
  region: { en: 'region', zh: '地区' },
  product: { en: 'product', zh: '商品' },
  month: { en: 'month', zh: '月份' },
  year: { en: 'year', zh: '年份' },
  forecast: { en: 'forecast', zh: '预测' },
  projection: { en: 'projection', zh: '预估' },
  preliminary: { en: 'preliminary', zh: '初步数据' },
  revised: { en: 'revised', zh: '修订后' },
  revision: { en: 'revision', zh: '修订' },
  record: { en: 'record', zh: '纪录' },
  source: { en: 'source', zh: '来源' },
  sources: { en: 'Sources', zh: '数据来源' },
  notes: { en: 'Notes', zh: '注释' },
  keyPoints: { en: 'Key points', zh: '要点' },
  charts: { en: 'Charts', zh: '图表' },
  notCovered: { en: 'What this brief cannot say', zh: '本简报无法涵盖的内容' },
  whatChanged: { en: 'What changed since the previous release', zh: '与上一版数据相比的变化' },
  interval80: { en: '80% interval', zh: '80%区间' },
  interval95: { en: '95% interval', zh: '95%区间' },
  world: { en: 'the world', zh: '全球' },
} as const satisfies Record<string, Record<Lang, string>>;

/** A key of the common words {@link label} knows. */
export type LabelKey = keyof typeof LABELS;

/**
 * A common word in the reader's language.
 * @example label('exports', 'zh') // '出口'
 * @example label('deficit', 'en') // 'deficit'
 */
export function label(key: LabelKey, lang: Lang): string {
  return LABELS[key][lang];
}

/** The keys {@link label} knows, for tests and documentation. */
export const LABEL_KEYS = Object.keys(LABELS) as LabelKey[];

/**
 * Exact decimal of a number or decimal text. A number goes through its shortest round-trip text
 * (`String(0.0718)` is `'0.0718'`), exponents expanded, so it is rounded as written.
 */
function toDec(value: string | number, what: string): Dec {
  const text = typeof value === 'number' ? numberText(value, what) : value;
  const d = parseDec(text);
  if (!d) throw new Error(`invalid ${what}: ${String(value)} (expected a decimal such as 1234.5)`);
  return d;
}

function numberText(x: number, what: string): string {
  if (!Number.isFinite(x)) throw new Error(`invalid ${what}: ${x} (not a finite number)`);
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = `${m[2]}${m[3] ?? ''}`;
  const point = m[2]!.length + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${m[1]}${digits}${'0'.repeat(point - digits.length)}`;
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}
