/**
 * One level per code path, and the coverage of a product asked: pure rules over the product codes a dataset
 * holds (`TradeStore.productCodes`), applied before any value is read.
 *
 * - **Levels.** Sources mix levels (Comtrade ships heading 8542 beside its subheadings 854231 and 854239, which
 *   add up to it). A product's value comes from one level on each code path: the code itself when the dataset
 *   holds it, otherwise the coarsest codes below it. Codes at a finer level on the same path are never added.
 * - **Coverage.** A chapter or heading asked of a dataset that holds only some of its headings or subheadings is
 *   answered for those only, and the answer says so ("chapter 85: only 8542 is in this dataset").
 * - **Baskets on coarser data.** A basket's subheading absent from the data is read through its heading when
 *   the dataset holds the heading and every subheading of that heading is in the basket; otherwise it is named
 *   as not matched.
 *
 * @example chooseLevels({ asked: ['8542'], held: ['8542', '854231', '854239'], basket: false }).filter
 * // { products: ['8542'] }
 */
import { type HsEdition, hsChildren } from '../classify/hs-nomenclature.js';
import type { CellFilter } from '../store/store.js';
import type { Problem } from '../util/errors.js';

export interface LevelRequest {
  /** The codes (prefixes) the product selection asks for: one HS code, or a basket's subheadings. */
  asked: readonly string[];
  /** The detailed codes the dataset holds under them. */
  held: readonly string[];
  /** True when the codes are a basket's (its subheadings may stand for a heading the data hold). */
  basket: boolean;
  /** The dataset's HS edition, for the headings and subheadings a code has (coverage). */
  edition?: HsEdition | undefined;
  /** How the product is named in notes (`HS 85`, `integrated-circuits`). */
  label?: string;
}

/** What the answer covers of one code asked. */
export interface ProductCoverage {
  code: string;
  /** The codes read for it (one level per code path). */
  read: string[];
  /** The digits of the codes read (2, 4, 6, 8 …). */
  levels: number[];
  /** For a chapter or heading not held itself: its children in the edition, and those the dataset holds. */
  children?: { total: number; held: string[] };
}

export interface LevelChoice {
  /** The product filter that reads one level per code path. */
  filter: Pick<CellFilter, 'products' | 'productPrefixes'>;
  coverage: ProductCoverage[];
  /** Basket codes the data hold at no level. */
  unmatched: string[];
  notes: Problem[];
}

const LEVEL_NAME: Record<number, string> = { 2: 'chapter', 4: 'heading', 6: 'subheading' };

/** The coarsest codes of a set on each code path (no code kept below another kept code). */
export function coarsestPerPath(codes: readonly string[]): string[] {
  // codes of one length (an HS6 dataset): every code is its own path
  const first = codes[0]?.length;
  if (codes.every((c) => c.length === first)) return [...codes];
  const all = new Set(codes);
  // a code is kept when none of its shorter prefixes is a code of the set (linear in the codes: a dataset of
  // every HS6 code has thousands)
  const lengths = [...new Set([...all].map((c) => c.length))].sort((a, b) => a - b);
  const kept: string[] = [];
  for (const c of all) if (!lengths.some((n) => n < c.length && all.has(c.slice(0, n)))) kept.push(c);
  return kept.sort();
}

/** Chooses the codes to read for a product selection (see the top of this file). */
export function chooseLevels(req: LevelRequest): LevelChoice {
  const notes: Problem[] = [];
  const coverage: ProductCoverage[] = [];
  const unmatched: string[] = [];
  const read = new Set<string>();
  // the prefix filter reads the right codes as long as no code below an asked one sits below another
  let prefixesSuffice = true;
  const label = req.label ?? req.asked.join(', ');
  const viaHeading = new Map<string, string[]>();
  for (const code of req.asked) {
    const under = req.held.filter((c) => c.startsWith(code));
    if (!under.length) {
      const heading = req.basket && code.length > 4 ? code.slice(0, 4) : undefined;
      if (heading && req.held.includes(heading) && allChildrenIn(heading, req.asked, req.edition)) {
        viaHeading.set(heading, [...(viaHeading.get(heading) ?? []), code]);
        read.add(heading);
        prefixesSuffice = false;
      } else unmatched.push(code);
      continue;
    }
    const chosen = coarsestPerPath(under);
    if (chosen.length !== under.length) prefixesSuffice = false;
    for (const c of chosen) read.add(c);
    const levels = [...new Set(chosen.map((c) => c.length))].sort((a, b) => a - b);
    const cov: ProductCoverage = { code, read: chosen, levels };
    if (chosen.length !== under.length) {
      const finer = under.filter((c) => !chosen.includes(c));
      notes.push({
        code: 'product-levels',
        severity: 'info',
        message:
          code === ''
            ? `${label}: read at ${levels.map((l) => LEVEL_NAME[l] ?? `${l}-digit`).join(' and ')} level (${list(chosen)}); the ${finer.length} more detailed codes below them (${list(finer)}) are not added (one level per code path)`
            : chosen.length === 1 && chosen[0] === code
              ? `${code}: the dataset's own figure for ${code}; the ${finer.length} more detailed codes below it (${list(finer)}) are not added to it (one level per code path)`
              : `${code}: read at ${levels.map((l) => LEVEL_NAME[l] ?? `${l}-digit`).join(' and ')} level (${list(chosen)}); the ${finer.length} more detailed codes below them (${list(finer)}) are not added (one level per code path)`,
      });
    }
    if (!req.basket && !under.includes(code) && (code.length === 2 || code.length === 4)) {
      const children = hsChildren(code, req.edition ?? 'HS2022').map((n) => n.code);
      const held = children.filter((ch) => under.some((c) => c.startsWith(ch)));
      cov.children = { total: children.length, held };
      if (children.length && held.length < children.length) {
        const kind = LEVEL_NAME[code.length]!;
        const childKind = code.length === 2 ? 'headings' : 'subheadings';
        const missing = children.filter((ch) => !held.includes(ch));
        notes.push({
          code: 'partial-coverage',
          severity: 'warning',
          message:
            held.length <= 5
              ? `${kind} ${code}: only ${list(held)} ${held.length === 1 ? 'is' : 'are'} in this dataset (${held.length} of the ${children.length} ${childKind} of ${req.edition ?? 'HS2022'}); the value covers ${held.length === 1 ? 'it' : 'them'} only, not the whole ${kind}`
              : `${kind} ${code}: the dataset holds ${held.length} of its ${children.length} ${childKind} (${req.edition ?? 'HS2022'}); not ${list(missing)}`,
        });
      }
    }
    coverage.push(cov);
  }
  for (const [heading, codes] of viaHeading) {
    coverage.push({ code: heading, read: [heading], levels: [4] });
    notes.push({
      code: 'basket-heading',
      severity: 'info',
      message: `${label}: the dataset holds heading ${heading}, not its subheadings; all ${codes.length} of them are in the basket (${list(codes)}), so ${heading} stands for them`,
    });
  }
  if (unmatched.length) {
    notes.push({
      code: 'basket-unmatched',
      severity: 'warning',
      message: `${label}: ${unmatched.length} of its ${req.asked.length} codes are in this dataset at no level (${list(unmatched)}); the value leaves them out`,
    });
  }
  const filter: LevelChoice['filter'] = prefixesSuffice
    ? { productPrefixes: req.asked.filter((c) => !unmatched.includes(c)) }
    : { products: [...read].sort() };
  return { filter, coverage, unmatched, notes };
}

/** True when every subheading of the heading (in the edition) is among the basket's codes. */
function allChildrenIn(heading: string, codes: readonly string[], edition: HsEdition | undefined): boolean {
  const subs = hsChildren(heading, edition ?? 'HS2022').map((n) => n.code);
  return subs.length > 0 && subs.every((s) => codes.includes(s));
}

function list(codes: readonly string[], max = 8): string {
  return codes.length <= max ? codes.join(', ') : `${codes.slice(0, max).join(', ')} and ${codes.length - max} more`;
}
