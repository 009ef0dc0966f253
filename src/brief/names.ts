/**
 * Names of areas, regions and products in the reader's language. Areas and regions have English and Chinese
 * names in the bundled code lists; HS descriptions exist only in English, so a Chinese brief names a product
 * by its HS code (and says so once, in its notes).
 */
import { hsLookup } from '../classify/hs-nomenclature.js';
import type { Lang } from '../i18n/format.js';
import { areaByCode, resolveArea } from '../model/areas.js';
import { regionByCode } from '../model/regions.js';

const SHORT_EN: Record<string, string> = {
  USA: 'the United States',
  GBR: 'the United Kingdom',
  NLD: 'the Netherlands',
  ARE: 'the United Arab Emirates',
  PHL: 'the Philippines',
  KOR: 'South Korea',
  PRK: 'North Korea',
  RUS: 'Russia',
  VNM: 'Vietnam',
  IRN: 'Iran',
  TUR: 'Türkiye',
  HKG: 'Hong Kong',
  TWN: 'Taiwan',
  CZE: 'Czechia',
  EUU: 'the European Union',
  WLD: 'the world',
};

/**
 * An area's name as a sentence uses it.
 * @example areaName('USA', 'en') // 'the United States'
 * @example areaName('USA', 'zh') // '美国'
 */
export function areaName(code: string, lang: Lang): string {
  const a = areaByCode(code) ?? resolveArea(code);
  if (!a) return code;
  if (lang === 'zh') return a.nameZh ?? a.nameEn;
  return SHORT_EN[a.code] ?? a.nameEn;
}

/** An area's name at the start of a sentence ("The United States"). */
export function areaNameCap(code: string, lang: Lang): string {
  const n = areaName(code, lang);
  return n.charAt(0).toUpperCase() + n.slice(1);
}

/** True for a province or city code (not the whole reporter, not the remainder row). */
export function isRegion(code: unknown): boolean {
  if (typeof code !== 'string' || !code || code === '(rest)') return false;
  const r = regionByCode(code);
  return r !== undefined && r.level !== 'country';
}

/**
 * A region's name (GB/T 2260 code), or the whole reporter's remainder.
 * @example regionName('330000', 'zh') // '浙江省'
 */
export function regionName(code: string, lang: Lang): string {
  if (code === '(rest)') return lang === 'zh' ? '其他地区' : 'the rest of the country';
  const r = regionByCode(code);
  if (!r) return code;
  return lang === 'zh' ? r.nameZh : r.nameEn;
}

/**
 * Short names for products that briefs often name, in both languages. Written for tradescope's briefs (no
 * bundled nomenclature has short or Chinese names); every other product is named from its HS description.
 */
const PRODUCT_NAMES: Record<string, { en: string; zh: string; axis: string }> = {
  '854143': { en: 'solar modules', zh: '光伏组件', axis: 'modules' },
  '854142': { en: 'solar cells (not in modules)', zh: '光伏电池片', axis: 'cells' },
  '381800': { en: 'silicon wafers and other doped elements', zh: '硅片等掺杂元件', axis: 'wafers' },
  '870380': { en: 'battery-electric cars', zh: '纯电动载人汽车', axis: 'EVs' },
  '850760': { en: 'lithium-ion batteries', zh: '锂离子蓄电池', axis: 'Li-ion' },
};

/**
 * A product's label for a chart axis: a word or two when there is one, else the dotted HS code.
 * @example productLabel('854143', 'en') // 'modules'
 */
export function productLabel(code: string, lang: Lang): string {
  const short = PRODUCT_NAMES[code];
  if (short) return lang === 'en' ? short.axis : short.zh;
  return `HS ${hsLookup(code)?.display ?? code}`;
}

/**
 * A product's name: a short name for the few products briefs often name, else the clauses after the first of its English HS description; in Chinese its dotted HS code (no bundled source has Chinese HS names).
 * @example productName('854143', 'en') // 'solar modules (HS 8541.43)'
 * @example productName('854143', 'zh') // '光伏组件 (HS 8541.43)'
 * @example productName('2709', 'zh') // 'HS 2709'
 */
export function productName(code: string, lang: Lang): string {
  const node = hsLookup(code);
  const display = node?.display ?? code;
  const short = PRODUCT_NAMES[code];
  if (short) return `${short[lang]} (HS ${display})`;
  if (lang === 'zh' || !node?.description) return `HS ${display}`;
  const parts = node.description.split(';').map((s) => s.trim());
  const text = parts.length > 1 ? parts.slice(1).join('; ') : parts[0]!;
  return `${text} (HS ${display})`;
}
