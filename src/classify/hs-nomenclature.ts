/**
 * The Harmonized System nomenclature of each edition: sections → chapters (2 digits) → headings (4) →
 * subheadings (6), with descriptions and the standard quantity unit.
 *
 * Sources, bundled in `data/hs/` (see data/PROVENANCE.md): the UN Comtrade lists of HS2022 (H6) and HS2017
 * (H5) with descriptions and units, the HS2022 sections, and the UNSD correlation tables. HS1992 … HS2012 are
 * known only as far as the correlation tables define their subheadings: their codes, headings and chapters
 * are known, their descriptions are not (the node says so). No bundled source gives Chinese descriptions:
 * `descriptionZh` is null and `zhSource` is `'none'`.
 *
 * @example
 * hsLookup('8541.43').parents.map((p) => p.code) // ['8541', '85', 'XVI']
 * hsSearch('lithium')[0]?.code                    // '850760'
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';

export const HS_EDITIONS = ['HS1992', 'HS1996', 'HS2002', 'HS2007', 'HS2012', 'HS2017', 'HS2022'] as const;
export type HsEdition = (typeof HS_EDITIONS)[number];

/** Comtrade's classification code of each edition (H0 = HS1992 … H6 = HS2022). */
export const COMTRADE_CODE: Readonly<Record<HsEdition, string>> = {
  HS1992: 'H0',
  HS1996: 'H1',
  HS2002: 'H2',
  HS2007: 'H3',
  HS2012: 'H4',
  HS2017: 'H5',
  HS2022: 'H6',
};

/**
 * Parses an edition name: `HS2022`, `hs2022`, `2022`, `HS22`, `HS92`, or Comtrade's `H0` … `H6`.
 * Throws a UserError on anything else.
 * @example parseEdition('H5') // 'HS2017'
 */
export function parseEdition(text: string): HsEdition {
  const edition = editionOf(text);
  if (!edition) throw new UserError(`unknown HS edition: ${text} (use ${HS_EDITIONS.join(', ')} or H0 … H6)`);
  return edition;
}

/** Like {@link parseEdition}, but undefined for an unknown name. */
export function editionOf(text: string): HsEdition | undefined {
  const t = text.trim().toUpperCase();
  const h = /^H([0-6])$/.exec(t);
  if (h) return HS_EDITIONS[Number(h[1])];
  const m = /^(?:HS)?(\d{2}|\d{4})$/.exec(t);
  if (!m) return undefined;
  const y = m[1]!.length === 2 ? (Number(m[1]) >= 80 ? `19${m[1]}` : `20${m[1]}`) : m[1]!;
  return HS_EDITIONS.find((e) => e === `HS${y}`);
}

export type HsLevel = 'section' | 'chapter' | 'heading' | 'subheading';

/** An ancestor of a node. */
export interface HsParent {
  level: HsLevel;
  code: string;
  description: string | null;
}

/** One code of one edition, with its ancestors (nearest first: heading, chapter, section). */
export interface HsNode {
  edition: HsEdition;
  level: HsLevel;
  /** Digits without dots (2, 4 or 6), or the section's roman numeral. */
  code: string;
  /** Dotted form as printed in tariffs: `8541.43`, `8541`, `85`. */
  display: string;
  /** English description, or null when no bundled source gives one for this edition. */
  description: string | null;
  /** Where the description comes from, or `'none'`. */
  descriptionSource: string;
  /** Chinese description: no bundled source provides one. */
  descriptionZh: string | null;
  zhSource: 'none';
  /** Standard quantity unit of a subheading (kg, u, m², l …), null when the source gives none. */
  unit: string | null;
  parents: HsParent[];
  /** What is known and what is not about this node. */
  note?: string;
}

/** A search hit. */
export interface HsHit {
  edition: HsEdition;
  level: HsLevel;
  code: string;
  display: string;
  description: string;
  score: number;
}

interface Entry {
  code: string;
  parent: string;
  level: HsLevel;
  section: string;
  unit: string;
  description: string;
}

interface EditionTable {
  entries: Map<string, Entry>;
  children: Map<string, string[]>;
  /** Where the descriptions come from ('none' for editions known only from the correlation tables). */
  source: string;
}

const SOURCE_COMMIT = 'harvard-growth-lab/comtrade-conversion-weights @503c5d89';
const LEVELS: Record<string, HsLevel> = { '2': 'chapter', '4': 'heading', '6': 'subheading' };

let sectionsCache: Map<string, { name: string; chapters: string[] }> | undefined;
const tables = new Map<HsEdition, EditionTable>();

function readCsv(name: string): Record<string, string>[] {
  return parse(readFileSync(dataPath('hs', name), 'utf8'), { columns: true, skip_empty_lines: true });
}

function sections(): Map<string, { name: string; chapters: string[] }> {
  sectionsCache ??= new Map(
    readCsv('hs-sections.csv').map((r) => [r.section!, { name: r.name!, chapters: r.chapters!.split(' ') }]),
  );
  return sectionsCache;
}

/** Section of a chapter: the 21 sections and their chapters are the same in every edition since HS1992. */
function sectionOfChapter(chapter: string): string {
  for (const [s, v] of sections()) if (v.chapters.includes(chapter)) return s;
  return '';
}

function addChild(children: Map<string, string[]>, parent: string, code: string): void {
  const list = children.get(parent);
  if (list) list.push(code);
  else children.set(parent, [code]);
}

function table(edition: HsEdition): EditionTable {
  let t = tables.get(edition);
  if (t) return t;
  const entries = new Map<string, Entry>();
  const children = new Map<string, string[]>();
  if (edition === 'HS2022' || edition === 'HS2017') {
    for (const r of readCsv(`${edition.toLowerCase()}.csv`)) {
      const e: Entry = {
        code: r.code!,
        parent: r.parent!,
        level: LEVELS[r.level!]!,
        section: r.section!,
        unit: r.unit!,
        description: r.description!,
      };
      entries.set(e.code, e);
      addChild(children, e.parent || e.section, e.code);
    }
    t = { entries, children, source: `UN Comtrade ${edition} list (${COMTRADE_CODE[edition]}), ${SOURCE_COMMIT}` };
  } else {
    // codes known from the correlation tables only: subheadings, and the headings and chapters they imply
    for (const code of correlationCodes(edition)) {
      for (const c of [code.slice(0, 2), code.slice(0, 4), code]) {
        if (entries.has(c)) continue;
        const parent = c.length === 2 ? '' : c.slice(0, c.length - 2);
        const section = sectionOfChapter(c.slice(0, 2));
        entries.set(c, { code: c, parent, level: LEVELS[String(c.length)]!, section, unit: '', description: '' });
        addChild(children, parent || section, c);
      }
    }
    t = { entries, children, source: 'none' };
  }
  for (const list of children.values()) list.sort();
  tables.set(edition, t);
  return t;
}

let correlationIndex: Map<HsEdition, Set<string>> | undefined;

/** Subheadings of an edition as named by the bundled correlation tables (either side of a link). */
export function correlationCodes(edition: HsEdition): ReadonlySet<string> {
  if (!correlationIndex) {
    correlationIndex = new Map(HS_EDITIONS.map((e) => [e, new Set<string>()]));
    for (const r of readCsv('hs-correlation.csv')) {
      correlationIndex.get(r.newer as HsEdition)!.add(r.code!);
      const older = correlationIndex.get(r.older as HsEdition)!;
      for (const c of r.older_codes!.split(' ')) older.add(c);
    }
  }
  return correlationIndex.get(edition)!;
}

/**
 * Normalises a code as users type it: dots and spaces removed (`8541.43` → `854143`); a code of 5 digits
 * without dots lost its leading zero (`10121` → `010121`, as in CSV files that stored codes as numbers).
 * Returns undefined when the text is not a code (2, 4 or 6 digits) or a section numeral.
 */
export function normalizeHsCode(text: string): string | undefined {
  const t = text.trim();
  if (/^[IVXL]+$/i.test(t) && sections().has(t.toUpperCase())) return t.toUpperCase();
  const digits = t.replace(/[.\s]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if ((digits.length === 5 || digits.length === 3 || digits.length === 1) && !t.includes('.')) {
    return `0${digits}`;
  }
  return digits.length === 2 || digits.length === 4 || digits.length === 6 ? digits : undefined;
}

/** Dotted display form: `854143` → `8541.43`. */
export function displayCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 4)}.${code.slice(4)}` : code;
}

/** True when the text looks like a code (digits and dots, or a section numeral) rather than words. */
export function looksLikeCode(text: string): boolean {
  return /^[\d.\s]+$/.test(text.trim()) || /^(?:[IVX]+)$/.test(text.trim());
}

function describe(e: Entry, t: EditionTable): string | null {
  return t.source === 'none' ? null : e.description;
}

/**
 * Looks a code up in one edition (default HS2022): any level, with or without dots, or a section numeral.
 * Returns undefined when the edition does not have the code.
 * @example hsLookup('854143')?.parents[0] // { level: 'heading', code: '8541', description: 'Semiconductor …' }
 */
export function hsLookup(code: string, edition: HsEdition = 'HS2022'): HsNode | undefined {
  const c = normalizeHsCode(code);
  if (!c) return undefined;
  const t = table(edition);
  const base = {
    edition,
    descriptionZh: null,
    zhSource: 'none' as const,
  };
  if (/^[IVXL]+$/.test(c)) {
    const s = sections().get(c)!;
    return {
      ...base,
      level: 'section',
      code: c,
      display: c,
      description: s.name,
      descriptionSource: `HS2022 sections (datasets/harmonized-system @905e5a0f); unchanged since HS1992`,
      unit: null,
      parents: [],
    };
  }
  const e = t.entries.get(c);
  if (!e) return undefined;
  const parents: HsParent[] = [];
  for (let p = e.parent; p; p = t.entries.get(p)?.parent ?? '') {
    const pe = t.entries.get(p);
    parents.push({ level: pe?.level ?? LEVELS[String(p.length)]!, code: p, description: pe ? describe(pe, t) : null });
  }
  if (e.section) parents.push({ level: 'section', code: e.section, description: sections().get(e.section)!.name });
  const node: HsNode = {
    ...base,
    level: e.level,
    code: c,
    display: displayCode(c),
    description: describe(e, t),
    descriptionSource: t.source,
    unit: e.unit || null,
    parents,
  };
  if (t.source === 'none') {
    node.note = `no bundled source describes ${edition} codes: the code is known from the UNSD correlation tables, descriptions are not`;
  } else if (e.level === 'subheading' && !e.unit) {
    node.note = `the ${edition} list gives no standard quantity unit for this code`;
  }
  node.note = node.note
    ? `${node.note}; no Chinese description (no bundled source)`
    : 'no Chinese description (no bundled source)';
  return node;
}

/**
 * The codes directly below a code (a section's chapters, a chapter's headings, a heading's subheadings).
 * @example hsChildren('8541').map((n) => n.code) // ['854110', '854121', …]
 */
export function hsChildren(code: string, edition: HsEdition = 'HS2022'): HsNode[] {
  const c = normalizeHsCode(code);
  if (!c) return [];
  return (table(edition).children.get(c) ?? []).map((k) => hsLookup(k, edition)!);
}

/** Every code of an edition at one level (subheadings by default), sorted. */
export function hsCodes(edition: HsEdition = 'HS2022', level: HsLevel = 'subheading'): string[] {
  return [...table(edition).entries.values()]
    .filter((e) => e.level === level)
    .map((e) => e.code)
    .sort();
}

/** True when the edition has this code (any level). */
export function hsHas(code: string, edition: HsEdition = 'HS2022'): boolean {
  const c = normalizeHsCode(code);
  return c !== undefined && table(edition).entries.has(c);
}

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Ranked text search over the descriptions of an edition (HS2022 and HS2017 have descriptions; older
 * editions have none, so only codes match there). Every query word must occur; whole words rank above
 * word prefixes, subheadings above headings and chapters, shorter descriptions first.
 * @example hsSearch('lithium').map((h) => h.code) // ['850760', …]
 */
export function hsSearch(text: string, edition: HsEdition = 'HS2022', limit = 20): HsHit[] {
  const code = normalizeHsCode(text);
  if (code && looksLikeCode(text)) {
    const n = hsLookup(code, edition);
    return n ? [{ ...hitOf(n), score: 1000 }] : [];
  }
  const q = words(text);
  if (q.length === 0) return [];
  const t = table(edition);
  if (t.source === 'none') return [];
  const hits: HsHit[] = [];
  for (const e of t.entries.values()) {
    const w = words(e.description);
    let score = 0;
    let all = true;
    for (const term of q) {
      if (w.includes(term)) score += 10;
      else if (w.some((x) => x.startsWith(term))) score += 6;
      else if (e.description.toLowerCase().includes(term)) score += 3;
      else {
        all = false;
        break;
      }
    }
    if (!all) continue;
    score += e.level === 'subheading' ? 2 : e.level === 'heading' ? 1 : 0;
    hits.push({
      edition,
      level: e.level,
      code: e.code,
      display: displayCode(e.code),
      description: e.description,
      score,
    });
  }
  hits.sort((a, b) => b.score - a.score || a.description.length - b.description.length || (a.code < b.code ? -1 : 1));
  return hits.slice(0, limit);
}

function hitOf(n: HsNode): Omit<HsHit, 'score'> {
  return { edition: n.edition, level: n.level, code: n.code, display: n.display, description: n.description ?? '' };
}
