/**
 * Display units for charts: billions in English, 亿 in Chinese, in the chosen currency.
 */
import type { Lang } from '../../src/i18n/format.js';

export interface Unit {
  divisor: number;
  label: string;
}

export function unitFor(currency: string, lang: Lang): Unit {
  if (lang === 'zh') return { divisor: 1e8, label: currency === 'USD' ? '亿美元' : currency === 'CNY' ? '亿元' : `亿${currency}` };
  return { divisor: 1e9, label: currency === 'USD' ? 'US$ billion' : `${currency} billion` };
}

export function scale(v: number | null, unit: Unit): number | null {
  return v === null ? null : Math.round((v / unit.divisor) * 100) / 100;
}

/** The unit for a chart whose largest value is `maxAbs` (base units): millions / 万 when billions / 亿 would read 0.x. */
export function unitForMax(currency: string, lang: Lang, maxAbs: number): Unit {
  const big = unitFor(currency, lang);
  if (maxAbs >= big.divisor) return big;
  if (lang === 'zh') return { divisor: 1e4, label: currency === 'USD' ? '万美元' : currency === 'CNY' ? '万元' : `万${currency}` };
  return { divisor: 1e6, label: currency === 'USD' ? 'US$ million' : `${currency} million` };
}
