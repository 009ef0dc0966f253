/**
 * China's sub-national regions (GB/T 2260 administrative division codes), from the bundled
 * `data/regions/cn-regions.csv` (see data/PROVENANCE.md).
 *
 * Levels: `country` (the single row `CN`), `province` (the 31 province-level divisions; the municipalities
 * 北京, 天津, 上海 and 重庆 are provinces here) and `city` (prefecture-level cities: in full for Zhejiang,
 * Jiangsu, Guangdong, Anhui, Shandong and Fujian, plus the sub-provincial cities and provincial capitals).
 *
 * **The whole country is not a region.** In a {@link StagedRow} the whole reporter is region `''`, so
 * {@link resolveRegion} returns `''` (the constant {@link WHOLE_REPORTER}) for 全国, 中国, China, national,
 * `CN` and the other aliases of the `CN` row, and {@link regionAliases} maps those aliases to `''`.
 * `regionByCode('CN')` still returns the country row (for names and for {@link children}).
 *
 * Matching is case-insensitive and ignores spaces, punctuation width (NFKC) and apostrophes: `hangzhou`,
 * `Huai'an`, `Huaian`, `浙江`, `浙江省`, `330000` all work. An input that names two regions (English
 * `Taizhou` is both 台州市 and 泰州市; `Suzhou` is both 苏州市 and 宿州市) does not resolve: use the Chinese
 * name, the code, or the disambiguated alias (`Taizhou Zhejiang`). {@link matchRegions} lists the candidates.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { StagedRow } from '../ingest/staged-row.js';
import { dataPath } from '../util/paths.js';

export type RegionLevel = 'country' | 'province' | 'city';

export interface Region {
  /** GB/T 2260 six-digit code (`330100`), or `CN` for the country. */
  code: string;
  /** Parent code: `CN` for provinces, the province for cities, '' for the country. */
  parent: string;
  level: RegionLevel;
  nameZh: string;
  nameEn: string;
}

/** The region value of a {@link StagedRow} meaning the whole reporter (all of China). */
export const WHOLE_REPORTER: StagedRow['region'] = '';

/** Code of the country row. */
export const COUNTRY_CODE = 'CN';

interface RegionTable {
  list: Region[];
  byCode: Map<string, Region>;
  children: Map<string, Region[]>;
  /** normalised alias → codes it names ('' for the whole country). */
  index: Map<string, Set<string>>;
  /** alias as written → code, ambiguous aliases left out. */
  aliases: { alias: string; code: string }[];
}

let table: RegionTable | undefined;

/** Normalises a name for matching: NFKC, lower case, no spaces, apostrophes, dots or hyphens. */
export function normaliseRegionName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s'’`.\-_·]/g, '');
}

const ZH_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '自治区', '特别行政区', '省', '市'];

/** Chinese short form: 浙江省 → 浙江, 广西壮族自治区 → 广西. Returns undefined when nothing is stripped. */
function zhShort(name: string): string | undefined {
  for (const s of ZH_SUFFIXES) {
    if (name.endsWith(s) && name.length - s.length >= 2) return name.slice(0, -s.length);
  }
  return undefined;
}

function load(): RegionTable {
  const file = dataPath('regions', 'cn-regions.csv');
  const records = parse(readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    trim: true,
  }) as Record<string, string>[];
  const list: Region[] = [];
  const byCode = new Map<string, Region>();
  const extra = new Map<string, string[]>();
  for (const [i, r] of records.entries()) {
    const where = `${file}:${i + 2}`;
    const level = r.level as RegionLevel;
    if (!['country', 'province', 'city'].includes(level)) throw new Error(`${where}: bad level ${r.level}`);
    const region: Region = {
      code: r.code ?? '',
      parent: r.parent ?? '',
      level,
      nameZh: r.name_zh ?? '',
      nameEn: r.name_en ?? '',
    };
    if (level !== 'country' && !/^\d{6}$/.test(region.code)) throw new Error(`${where}: bad code ${region.code}`);
    if (byCode.has(region.code)) throw new Error(`${where}: duplicate code ${region.code}`);
    byCode.set(region.code, region);
    list.push(region);
    extra.set(
      region.code,
      (r.aliases ?? '')
        .split('|')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    );
  }
  const children = new Map<string, Region[]>();
  for (const r of list) {
    if (r.level === 'country') continue;
    if (!byCode.has(r.parent)) throw new Error(`${file}: ${r.code} has unknown parent ${r.parent}`);
    const sibs = children.get(r.parent) ?? [];
    sibs.push(r);
    children.set(r.parent, sibs);
  }

  // Every alias of every region, the country's mapped to ''.
  const written: { alias: string; code: string }[] = [];
  for (const r of list) {
    const code = r.level === 'country' ? WHOLE_REPORTER : r.code;
    const names = [r.code, r.nameZh, r.nameEn, ...(extra.get(r.code) ?? [])];
    const short = zhShort(r.nameZh);
    if (short) names.push(short);
    for (const alias of new Set(names)) written.push({ alias, code });
  }
  const index = new Map<string, Set<string>>();
  for (const { alias, code } of written) {
    const key = normaliseRegionName(alias);
    const set = index.get(key) ?? new Set<string>();
    set.add(code);
    index.set(key, set);
  }
  const seen = new Set<string>();
  const aliases: { alias: string; code: string }[] = [];
  for (const a of written) {
    const key = normaliseRegionName(a.alias);
    const dedupe = `${a.alias.toLowerCase()}\u0000${a.code}`;
    if (index.get(key)!.size !== 1 || seen.has(dedupe)) continue;
    seen.add(dedupe);
    aliases.push(a);
  }
  return { list, byCode, children, index, aliases };
}

function t(): RegionTable {
  table ??= load();
  return table;
}

/** Every region of the bundled table (country, provinces, cities), in file order. */
export function regions(): readonly Region[] {
  return t().list;
}

/** The region with this code (`330100`, `CN`), or undefined. */
export function regionByCode(code: string): Region | undefined {
  return t().byCode.get(code.trim().toUpperCase());
}

/** Turns code-like input into a six-digit code: `33` → 330000, `3301` → 330100, `330100000000` → 330100. */
function codeForm(text: string): string | undefined {
  if (/^\d{2}$/.test(text)) return `${text}0000`;
  if (/^\d{4}$/.test(text)) return `${text}00`;
  if (/^\d{6}$/.test(text)) return text;
  if (/^\d{6}0{6}$/.test(text) || /^\d{6}0{3}$/.test(text)) return text.slice(0, 6);
  return undefined;
}

const EN_SUFFIXES = ['province', 'city', 'municipality', 'shi', 'sheng', 'prefecture'];

function candidates(input: string): Set<string> {
  const { index } = t();
  const text = input.trim();
  if (text === '') return new Set();
  const code = codeForm(text);
  if (code !== undefined) {
    const hit = index.get(code);
    return hit ? new Set(hit) : new Set();
  }
  const key = normaliseRegionName(text);
  const hit = index.get(key);
  if (hit) return hit;
  for (const s of EN_SUFFIXES) {
    if (key.endsWith(s) && key.length > s.length + 2) {
      const h = index.get(key.slice(0, -s.length));
      if (h) return h;
    }
  }
  return new Set();
}

/**
 * Resolves a region written as a code, a Chinese name (with or without 省/市/自治区), an English name or an
 * alias, case-insensitively. Returns the region code, `''` ({@link WHOLE_REPORTER}) for the whole country
 * (全国, 中国, China, national, CN), or undefined when the input is unknown or ambiguous.
 * @example resolveRegion('杭州') // '330100'
 * @example resolveRegion('全国') // ''
 */
export function resolveRegion(input: string): string | undefined {
  const c = candidates(input);
  return c.size === 1 ? [...c][0] : undefined;
}

/**
 * Every region the input may name (several when it is ambiguous, e.g. `Taizhou`); the whole country is
 * returned as the `CN` row.
 */
export function matchRegions(input: string): Region[] {
  return [...candidates(input)].map((c) => t().byCode.get(c === WHOLE_REPORTER ? COUNTRY_CODE : c)!);
}

/**
 * Aliases for bulk mapping in SQL: each region's code, Chinese name, Chinese short form, English name and
 * the aliases of the data file, each with its code (`''` for the whole country). Ambiguous aliases (English
 * `Taizhou`, `Suzhou`) are left out. Match them case-insensitively after trimming
 * (`lower(trim(x)) = lower(alias)`), or normalise both sides with {@link normaliseRegionName}.
 */
export function regionAliases(): { alias: string; code: string }[] {
  return t().aliases.map((a) => ({ ...a }));
}

/** The region's ancestors, nearest first, up to and including the country: 330100 → [330000, CN]. */
export function ancestors(code: string): Region[] {
  const out: Region[] = [];
  let r = regionByCode(code === WHOLE_REPORTER ? COUNTRY_CODE : code);
  while (r?.parent) {
    r = t().byCode.get(r.parent);
    if (r) out.push(r);
  }
  return out;
}

/** The region's direct children (provinces of `CN` or of '', cities of a province), in file order. */
export function children(code: string): Region[] {
  const key = code === WHOLE_REPORTER ? COUNTRY_CODE : code.trim().toUpperCase();
  return [...(t().children.get(key) ?? [])];
}
