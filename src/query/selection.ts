/**
 * What a query selects on the partner and product dimensions, resolved from what the user typed:
 * - partner: an area (any code scheme or name), or a partner group — its published total when the dataset
 *   has one, otherwise its members summed with the membership valid in each period (or a fixed composition
 *   such as EU27_2020);
 * - product: all products (TOTAL), an HS code at any level (with or without dots), or a basket (part)
 *   applied to the HS edition of the dataset, with the over- and under-inclusive codes reported.
 */
import { resolveProduct as resolveBasket } from '../classify/baskets.js';
import { GACC_LINE_CLASSIFICATION, gaccLineById, gaccLineByName, gaccLinesForBasket } from '../classify/gacc-lines.js';
import { type Group, groupById, membershipIntervals } from '../classify/groups.js';
import { editionOf, HS_EDITIONS, type HsEdition, normalizeHsCode } from '../classify/hs-nomenclature.js';
import { areaByCode, resolveArea, suggestArea } from '../model/areas.js';
import { addMonths, type Period } from '../model/period.js';
import type { CellFilter } from '../store/store.js';
import { type Problem, userError } from '../util/errors.js';

export interface PartnerSelection {
  label: string;
  /** Partner codes that can hold the cells (for finding the datasets). */
  coverageCodes: string[];
  /** A group's own area code, whose published total beats a sum of members when a dataset holds it. */
  publishedTotalCode: string | null;
  /** The partner filter for one dataset, knowing whether it holds the group's published total. */
  filterWith(hasPublishedTotal: boolean, period: Period | undefined, notes: Problem[]): CellFilter;
}

export interface ProductSelection {
  label: string;
  total: boolean;
  /** All products, one HS code (any level), one GAC release line, or a basket's codes. */
  kind: 'total' | 'code' | 'line' | 'basket';
  /** True when the filter depends on the dataset's HS edition (a basket). */
  needsClassifications: boolean;
  coverageFilter: CellFilter;
  /** The product filter for a dataset with these classifications. */
  filterFor(classifications: string[], notes: Problem[]): CellFilter;
}

/** Resolves `--partner`: a group (EU, ASEAN, EU27_2020 …) or an area. */
export function selectPartner(input: string): PartnerSelection {
  const group = groupById(input);
  const area = resolveArea(input);
  if (group && (!area || area.kind === 'group')) return groupSelection(group);
  if (!area) {
    const s = suggestArea(input);
    throw userError(
      'unknown-partner',
      `unknown partner: ${input}${s.length ? ` (did you mean ${s.map((x) => `${x.input} = ${x.area.code}`).join(', ')}?)` : ''}`,
      { suggestions: s.map((x) => x.area.code) },
      { field: 'partner' },
      input,
    );
  }
  return {
    label: area.code,
    coverageCodes: [area.code],
    publishedTotalCode: null,
    filterWith: () => ({ partners: [area.code] }),
  };
}

function groupSelection(group: Group): PartnerSelection {
  const all = [...new Set([group.areaCode, ...group.members.map((m) => m.code)].filter((c): c is string => !!c))];
  return {
    label: group.id,
    coverageCodes: all,
    publishedTotalCode: group.areaCode && group.kind !== 'fixed' ? group.areaCode : null,
    filterWith(hasPublishedTotal, period, notes) {
      // a published total for the group beats a sum of members
      if (group.areaCode && group.kind !== 'fixed') {
        if (hasPublishedTotal) {
          notes.push({
            code: 'group-published',
            severity: 'info',
            message: `${group.id}: the dataset's published total for ${group.areaCode} (not a sum of members)`,
          });
          return { partners: [group.areaCode] };
        }
      }
      const start = period ? addMonths(period.start, -12) : 190001;
      const end = period ? period.end : 219912;
      const all = membershipIntervals(group, start, end);
      // a member that is itself a group (the EU and the African Union in the G20) would count its own members
      // twice; only the country members are summed
      const nested = [...new Set(all.filter((m) => areaByCode(m.partner)?.kind === 'group').map((m) => m.partner))];
      const intervals = all.filter((m) => !nested.includes(m.partner));
      if (nested.length) {
        notes.push({
          code: 'group-nested',
          severity: 'warning',
          message: `${group.id}: its members ${nested.join(', ')} are groups themselves; only the country members are summed (the other countries of ${nested.join(', ')} are not included)`,
        });
      }
      notes.push({
        code: 'group-members',
        severity: 'info',
        message:
          group.kind === 'fixed'
            ? `${group.id}: sum of its ${intervals.length} members (fixed composition)`
            : `${group.id}: sum of its members with the membership valid in each period (a cell counts when its whole period lies within the membership)`,
      });
      return { partners: [], partnerIntervals: intervals };
    },
  };
}

/**
 * A national 8-digit line (the EU's CN8: `8703.80.10`, `87038010`; `1012100` lost its leading zero): it sits
 * under its HS6 code and selects by the same prefix rule, so a query at HS6 over CN8 data sums the lines under it.
 */
function nationalLine(input: string): string | undefined {
  const t = input.trim();
  const digits = t.replace(/[.\s]/g, '');
  if (/^\d{8}$/.test(digits)) return digits;
  return /^\d{7}$/.test(t) ? `0${t}` : undefined;
}

/** A basket's codes in every HS edition, by basket text. */
const EVERY_EDITION = new Map<string, Set<string>>();

/** Resolves `--product`: TOTAL, an HS code, or a basket / basket part (`new-three`, `new-three:pv-cells`). */
export function selectProduct(input: string | undefined): ProductSelection {
  if (!input || /^total$/i.test(input.trim())) {
    return {
      label: 'TOTAL',
      total: true,
      kind: 'total',
      needsClassifications: false,
      coverageFilter: { products: ['TOTAL'] },
      filterFor: () => ({ products: ['TOTAL'] }),
    };
  }
  const code = normalizeHsCode(input) ?? nationalLine(input);
  if (code) {
    return {
      label: `HS ${input.trim()}`,
      total: false,
      kind: 'code',
      // the dataset's HS edition tells which headings or subheadings the code has (coverage)
      needsClassifications: true,
      coverageFilter: { productPrefixes: [code] },
      filterFor: () => ({ productPrefixes: [code] }),
    };
  }
  // a GAC release commodity line by id or printed name (`FOOTW`, `Footwear`, `鞋靴`)
  const line = gaccLineById(input) ?? gaccLineByName(input);
  if (line) {
    return {
      label: `${line.id} ${line.name.en}`,
      total: false,
      kind: 'line',
      needsClassifications: false,
      coverageFilter: { classifications: [GACC_LINE_CLASSIFICATION], products: [line.id] },
      filterFor: () => ({ classifications: [GACC_LINE_CLASSIFICATION], products: [line.id] }),
    };
  }
  // a basket or a basket part: `new-three`, `new-three/pv-cells` (or `new-three:pv-cells`)
  const text = input.trim().replace(':', '/');
  // on GAC release data (classification GACC-LINE) a basket answers through the lines that stand for its parts
  const lines = gaccLinesForBasket(text).map((l) => l.id);
  // an unknown basket or part is a UserError here, before any edition is tried
  resolveBasket(text, 'HS2022');
  // datasets in any edition can hold the basket: its codes in every edition, for finding them (worked out once
  // per basket and process: seven editions through the correlation tables take milliseconds)
  let everyEdition = EVERY_EDITION.get(text);
  if (!everyEdition) {
    everyEdition = new Set<string>();
    for (const e of HS_EDITIONS) {
      try {
        for (const c of resolveBasket(text, e).codes) everyEdition.add(c);
      } catch {
        // an edition the correlation cannot reach: no codes from it
      }
    }
    EVERY_EDITION.set(text, everyEdition);
  }
  // the basket applied to a dataset's classifications, once per set of classifications (the catalog and the plan
  // both ask): its filter and the notes it gives
  const applied = new Map<string, { filter: CellFilter; notes: Problem[] }>();
  return {
    label: text,
    total: false,
    kind: 'basket',
    needsClassifications: true,
    coverageFilter: { productPrefixes: [...everyEdition, ...lines] },
    filterFor(classifications, notes) {
      const key = classifications.join('|');
      let known = applied.get(key);
      if (!known) {
        const own: Problem[] = [];
        known = { filter: basketFilter(classifications, own), notes: own };
        applied.set(key, known);
      }
      notes.push(...known.notes);
      return { ...known.filter };
    },
  };
  function basketFilter(classifications: string[], notes: Problem[]): CellFilter {
    {
      if (lines.length && classifications.includes(GACC_LINE_CLASSIFICATION)) {
        notes.push({
          code: 'basket-release-lines',
          severity: 'info',
          message: `${text} on GAC release data: the sum of its commodity lines ${lines.join(', ')} (classification ${GACC_LINE_CLASSIFICATION}, GAC's own definitions)`,
        });
        return { classifications: [GACC_LINE_CLASSIFICATION], products: lines };
      }
      const hs = classifications.filter((c) => c !== 'TOTAL');
      const editions = [...new Set(hs.map((c) => editionOf(c)).filter((e): e is HsEdition => !!e))];
      if (editions.length !== 1) {
        // national or unversioned codes (CN8, HS): their HS edition follows the year of the data, so select
        // the basket's codes in both recent editions (a code of one edition never stands for a different
        // good in the other), and report how the older one covers it
        const recent = resolveBasket(text, 'HS2022');
        const older = resolveBasket(text, 'HS2017');
        for (const n of older.notes)
          notes.push({ code: 'basket-coverage', severity: 'warning', message: `HS2017: ${n}` });
        notes.push({
          code: 'edition-assumed',
          severity: 'warning',
          message: `the dataset's product codes (${hs.join(', ') || 'none'}) do not name one HS edition; ${text} selects its HS2022 codes (${recent.codes.join(', ')}) and its HS2017 codes (${older.codes.join(', ')})`,
        });
        return { productPrefixes: [...new Set([...recent.codes, ...older.codes])] };
      }
      const edition: HsEdition = editions[0]!;
      const inEdition = resolveBasket(text, edition);
      for (const n of inEdition.notes) notes.push({ code: 'basket-coverage', severity: 'warning', message: n });
      notes.push({
        code: 'basket',
        severity: 'info',
        message: `${inEdition.label.en} (${inEdition.label.zh}): ${inEdition.codes.length} HS6 codes of ${edition}`,
      });
      return { productPrefixes: inEdition.codes };
    }
  }
}
