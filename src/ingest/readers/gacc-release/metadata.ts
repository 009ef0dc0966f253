/**
 * What a release table says about itself: its section and kind (from the description; a section number that
 * contradicts the description is reported and the description wins), its period, its currency, its publication
 * date and its unit line.
 *
 * Titles seen: `(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY)`,
 * `(5) China's Major Exports by Quantity and Value, April 2025 (in USD)`, `China's Total Value of Imports and
 * Exports by Major Country (Region), Jan. 2018` (2018: no number, no currency), `… 2018 (Only August, in CNY)`,
 * `（4）2026年7月进出口商品主要国别（地区）总值表（人民币值）`, `（3）2026年1至7月进出口商品贸易方式总值表（美元值）`.
 */
import { monthFromName } from '../../../model/period.js';
import { type MoneyUnit, parseMoneyPhrase } from '../../../model/units.js';

/** The table kinds of the preliminary release: (1) totals, (2)/(3) trade mode, (4) partners, (5) exports, (6) imports. */
export type TableKind = 'totals' | 'trade-mode' | 'partners' | 'exports' | 'imports';

export interface ReleasePeriod {
  year: number;
  /** The last month the table covers (2 for January–February published together). */
  month: number;
  /** January and February published together. */
  janFeb: boolean;
  /** The title names a year-to-date window (`January-March`, `1至7月`), as table (3) does. */
  cumulativeTitle: boolean;
}

export interface ReleaseTitle {
  /** The section number printed in the title, if any. */
  printedSection?: number;
  /** The section the description means ((2) and (3) by the period: (3) is the year to date). */
  section: number;
  kind: TableKind;
  period: ReleasePeriod;
  currency?: 'CNY' | 'USD';
  /** Problems found reading the title (a contradicting section number …), as messages. */
  notes: string[];
}

const KIND_SECTION: Record<TableKind, number[]> = {
  totals: [1],
  'trade-mode': [2, 3],
  partners: [4],
  exports: [5],
  imports: [6],
};

function kindOf(t: string): TableKind | undefined {
  if (/by (major )?country|country\s*\/\s*region|国别/i.test(t)) return 'partners';
  if (/major exports|出口(重点|主要)商品/i.test(t)) return 'exports';
  if (/major imports|进口(重点|主要)商品/i.test(t)) return 'imports';
  if (/trade mode|贸易方式/i.test(t)) return 'trade-mode';
  if (
    /total (export\s*&\s*import|value of imports and exports|imports? and exports?) values?|进出口商品总值表|进出口总值表/i.test(
      t,
    )
  )
    return 'totals';
  return undefined;
}

/** Reads the period of a title: `January-February 2025`, `Jan-May 2019`, `April 2025`, `Jan. 2018`, `2026年1至7月`. */
export function parseTitlePeriod(title: string): ReleasePeriod | undefined {
  const t = title.normalize('NFKC');
  const zh = /(\d{4})\s*年\s*(?:(\d{1,2})\s*[至\-~—–]\s*)?(\d{1,2})\s*月/.exec(t);
  if (zh) {
    const year = Number(zh[1]);
    const from = zh[2] ? Number(zh[2]) : undefined;
    const month = Number(zh[3]);
    return period(year, month, from);
  }
  const only = /(\d{4})\s*\(\s*only\s+([a-z]+)\.?/i.exec(t);
  if (only) {
    const m = monthFromName(only[2]!);
    if (m) return period(Number(only[1]), m, undefined);
  }
  const range = /\b([a-z]{3,9})\.?\s*[-–—~]\s*([a-z]{3,9})\.?,?\s*(\d{4})\b/i.exec(t);
  if (range) {
    const a = monthFromName(range[1]!);
    const b = monthFromName(range[2]!);
    if (a && b) return period(Number(range[3]), b, a);
  }
  const single = /\b([a-z]{3,9})\.?,?\s*(\d{4})\b/gi;
  for (const m of t.matchAll(single)) {
    const mo = monthFromName(m[1]!);
    if (mo) return period(Number(m[2]), mo, undefined);
  }
  return undefined;
}

function period(year: number, month: number, from: number | undefined): ReleasePeriod | undefined {
  if (year < 1990 || year > 2199 || month < 1 || month > 12) return undefined;
  if (from !== undefined && from !== 1) return undefined;
  const janFeb = from === 1 && month === 2;
  return { year, month, janFeb, cumulativeTitle: from === 1 && month > 2 };
}

/** Reads a release title; undefined when it names no release table kind or no period. */
export function parseReleaseTitle(title: string): ReleaseTitle | undefined {
  const t = title.normalize('NFKC').trim();
  const kind = kindOf(t);
  const p = parseTitlePeriod(t);
  if (!kind || !p) return undefined;
  const num = /^\s*\((\d)\)/.exec(t);
  const printedSection = num ? Number(num[1]) : undefined;
  const notes: string[] = [];
  let section = kind === 'trade-mode' ? (p.cumulativeTitle ? 3 : 2) : KIND_SECTION[kind][0]!;
  if (kind === 'trade-mode' && (printedSection === 2 || printedSection === 3)) section = printedSection;
  if (printedSection !== undefined && !KIND_SECTION[kind].includes(printedSection)) {
    notes.push(
      `the title numbers the table (${printedSection}) but describes table (${section}) (${kind}): read as (${section}), the description wins`,
    );
  }
  let currency: 'CNY' | 'USD' | undefined;
  if (/\bin (cny|rmb)\b|人民币/i.test(t)) currency = 'CNY';
  else if (/\bin (usd|us\$|us dollars?)\b|美元/i.test(t)) currency = 'USD';
  return {
    ...(printedSection !== undefined ? { printedSection } : {}),
    section,
    kind,
    period: p,
    ...(currency ? { currency } : {}),
    notes,
  };
}

export interface PublicationDate {
  /** ISO date. */
  date: string;
  /** How the printed text was read, with the rejected reading when it was ambiguous. */
  note: string;
  ambiguous: boolean;
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Reads a publication date: `2025/03/11`, `2026-08-07`, `2026-08-07 10:30`, or `03/08/2018` / `06/10/2019`, which
 * are ambiguous between MM/DD and DD/MM: the reading that falls after the period's last day and nearest to it is
 * taken, and the ambiguity recorded (GAC published May 2019's tables on 10 June 2019).
 * @example parsePublicationDate('06/10/2019', { year: 2019, month: 5 }).date // '2019-06-10'
 */
export function parsePublicationDate(
  text: string,
  p: Pick<ReleasePeriod, 'year' | 'month'>,
): PublicationDate | undefined {
  const t = text.normalize('NFKC').trim();
  let m = /^(\d{4})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDate(y, mo, d) ? { date: iso(y, mo, d), note: `printed ${t}`, ambiguous: false } : undefined;
  }
  m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  if (!m) return undefined;
  const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const readings = [
    { form: 'MM/DD/YYYY', mo: a, d: b },
    { form: 'DD/MM/YYYY', mo: b, d: a },
  ].filter((r) => validDate(y, r.mo, r.d));
  if (!readings.length) return undefined;
  const periodEnd = iso(p.year, p.month, new Date(Date.UTC(p.year, p.month, 0)).getUTCDate());
  const dated = readings.map((r) => ({ ...r, date: iso(y, r.mo, r.d) }));
  const unique = [...new Map(dated.map((r) => [r.date, r])).values()];
  if (unique.length === 1) return { date: unique[0]!.date, note: `printed ${t}`, ambiguous: false };
  const after = unique.filter((r) => r.date > periodEnd).sort((x, z) => (x.date < z.date ? -1 : 1));
  const chosen = after[0] ?? unique.sort((x, z) => (x.date > z.date ? -1 : 1))[0]!;
  const other = unique.find((r) => r !== chosen)!;
  return {
    date: chosen.date,
    note: `printed ${t}, ambiguous: read as ${chosen.form} (${chosen.date}), the reading after the period's end ${periodEnd} nearest to it; not ${other.form} (${other.date})`,
    ambiguous: true,
  };
}

/**
 * Reads a unit line: `Unit: CNY 100 Million`, `Unit: USD1 Million`, `Value Unit: CNY 100 Million`, `单位：亿元`,
 * `单位：万美元`, `金额单位：人民币亿元`. Returns undefined when the text is not a unit line; `{ error }` when it
 * is one whose unit cannot be read.
 */
export function parseUnitLine(text: string): { unit: MoneyUnit } | { error: string } | undefined {
  const t = text.normalize('NFKC').trim();
  const m = /^(?:value\s+|金额)?(?:unit|单位)\s*[:：]\s*(.+)$/i.exec(t);
  if (!m) return undefined;
  const words = m[1]!
    .replace(/人民币/g, '')
    .replace(/[;；。.]\s*$/, '')
    .trim();
  const unit = parseMoneyPhrase(words);
  return unit ? { unit } : { error: `unknown unit in the unit line: ${JSON.stringify(t)}` };
}
