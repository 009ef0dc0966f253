/**
 * What a plan needs to know about the store, read before anything is decided: which datasets hold the cells
 * asked (and, where none does, which fallback search found some), the declared precedence, the latest period
 * when none was asked, and for each candidate dataset its releases, flags, HS editions, seasonal adjustment,
 * whether it has a World row and all-product totals, the partner group's published total, and the product codes
 * it holds under the product asked. Everything here reads; {@link planQuery} decides from it without a store.
 */
import { addMonths, monthOf, type Period, parsePeriod, yearOf, yearPeriod, ytdPeriod } from '../model/period.js';
import type { CellFilter, DatasetSummary, TradeStore } from '../store/store.js';
import { type Problem, userError } from '../util/errors.js';
import { pickDataset } from './dataset-choice.js';
import type { Resolved } from './resolve.js';

/** What the store says about one dataset that could answer. */
export interface DatasetFacts {
  vintages: DatasetSummary['vintages'];
  flags: string[];
  classifications: string[];
  seasonallyAdjusted: boolean;
  /** A World row over the window (and the year before it). */
  hasWorld: boolean;
  /** All-product totals over the window. */
  hasTotals: boolean;
  /** The partner group's own published total (false when the partner is not such a group). */
  hasGroupTotal: boolean;
  /** The detailed product codes under the product asked (or under every product, for a sum of products). */
  productCodes: string[];
}

/** Which search found the candidate datasets. */
export type CoverageSearch = 'asked' | 'any-partner' | 'basket-headings' | 'any-product';

export interface Catalog {
  /** The period asked, or the latest in the data when none was (with the note saying so). */
  period: Period;
  periodNote?: Problem;
  /** The coverage filter asked (cuts, partner, product, the window and the year before it). */
  coverage: CellFilter;
  search: CoverageSearch;
  covering: { dataset: string; cells: number }[];
  precedence: string[];
  /** Facts of each candidate dataset (the one named, or every covering one). */
  datasets: Record<string, DatasetFacts>;
}

/** Reads what {@link planQuery} needs, with as few store calls as the fallbacks require. */
export async function gatherCatalog(store: TradeStore, r: Resolved): Promise<Catalog> {
  const { spec } = r;
  // the declared precedence matters only when several datasets could answer
  let order: string[] | undefined;
  const precedenceOf = async () => {
    order ??= await store.precedence();
    return order;
  };
  let period: Period;
  let periodNote: Problem | undefined;
  if (spec.period) period = parsePeriod(spec.period);
  else ({ period, note: periodNote } = await latestPeriod(store, r, await precedenceOf()));
  const kind = spec.measures.includes('forecast') || (spec.measures.length === 1 && spec.measures[0] === 'mirror');
  // the mirror and the forecast read through their own modules, which choose their datasets
  if (kind) return { period, coverage: {}, search: 'asked', covering: [], precedence: [], datasets: {} };
  const coverage: CellFilter = {
    ...r.cuts,
    ...(r.byPartner && !spec.partner ? {} : { partners: r.partner.coverageCodes }),
    ...((r.productDim || spec.dataset) && r.product.total ? {} : r.product.coverageFilter),
    overlapping: { start: addMonths(period.start, -12), end: period.end },
  };
  let search: CoverageSearch = 'asked';
  let covering = await store.datasetsCovering(coverage);
  if (!covering.length && !r.byPartner && !spec.partner) {
    // no World row: the partner countries summed (published aggregates left out)
    const { partners: _all, ...anyPartner } = coverage;
    covering = await store.datasetsCovering(anyPartner);
    if (covering.length) search = 'any-partner';
  }
  if (!covering.length && r.product.kind === 'basket' && coverage.productPrefixes) {
    // data coarser than the basket (headings only): the headings of its codes find them; levels decide later
    const headings = [...new Set(coverage.productPrefixes.map((c) => c.slice(0, 4)))];
    covering = await store.datasetsCovering({ ...coverage, productPrefixes: headings });
    if (covering.length) search = 'basket-headings';
  }
  if (!covering.length && r.product.total && !r.productDim) {
    // no all-product totals anywhere: datasets of product detail answer with the sum of their products
    const { products: _omit, ...anyProduct } = coverage;
    covering = await store.datasetsCovering(anyProduct);
    if (covering.length) search = 'any-product';
  }
  const candidates = spec.dataset
    ? covering.some((c) => c.dataset === spec.dataset)
      ? [spec.dataset]
      : []
    : covering.map((c) => c.dataset);
  const datasets: Record<string, DatasetFacts> = {};
  for (const d of candidates) datasets[d] = await datasetFacts(store, r, d, coverage);
  const precedence = covering.length > 1 && !spec.dataset ? await precedenceOf() : [];
  return { period, ...(periodNote ? { periodNote } : {}), coverage, search, covering, precedence, datasets };
}

async function datasetFacts(
  store: TradeStore,
  r: Resolved,
  dataset: string,
  coverage: CellFilter,
): Promise<DatasetFacts> {
  const profile = await store.datasetProfile(dataset, { classifications: r.product.needsClassifications });
  const has = async (f: CellFilter) =>
    (await store.datasetsCovering({ datasets: [dataset], overlapping: coverage.overlapping, ...f })).length > 0;
  const wholeReporter = !r.byPartner && !r.spec.partner;
  const hasWorld = wholeReporter ? await has({ partners: ['WLD'] }) : true;
  const hasTotals = r.product.total && !r.productDim ? await has({ products: ['TOTAL'] }) : true;
  const code = r.partner.publishedTotalCode;
  const hasGroupTotal =
    code !== null ? (await store.datasetsCovering({ datasets: [dataset], partners: [code] })).length > 0 : false;
  // the codes the product asked reads (a basket in the dataset's edition, with its headings), or every product
  // of a dataset without all-product totals
  let asked: string[] = [];
  if (!r.product.total) {
    const prefixes = r.product.filterFor(profile.classifications, []).productPrefixes ?? [];
    asked = r.product.kind === 'basket' ? [...new Set([...prefixes, ...prefixes.map((c) => c.slice(0, 4))])] : prefixes;
  } else if (!r.productDim && !hasTotals) asked = [''];
  return {
    vintages: profile.vintages,
    flags: profile.flags,
    classifications: profile.classifications,
    seasonallyAdjusted: profile.seasonallyAdjusted,
    hasWorld,
    hasTotals,
    hasGroupTotal,
    productCodes: asked.length ? await store.productCodes(dataset, asked) : [],
  };
}

/**
 * The period of a query that names none: the latest full year of the dataset that answers, or its year to date
 * when its data end before December.
 */
async function latestPeriod(
  store: TradeStore,
  r: Resolved,
  precedence: string[],
): Promise<{ period: Period; note: Problem }> {
  const { spec } = r;
  const covering = await store.datasetsCovering({
    reporters: [r.reporter],
    regions: [r.region],
    ...(spec.partner ? { partners: r.partner.coverageCodes } : {}),
    ...(spec.dataset ? { datasets: [spec.dataset] } : {}),
  });
  const { dataset } = pickDataset(spec.dataset, covering, precedence, () => r.what);
  const last = (await store.datasets()).find((d) => d.dataset === dataset)?.lastPeriod;
  if (!last) throw userError('no-periods', `no periods in ${dataset}`, { dataset }, { field: 'period' });
  const end = parsePeriod(last).end;
  const period = monthOf(end) === 12 ? yearPeriod(yearOf(end)) : ytdPeriod(end);
  return {
    period,
    note: {
      code: 'latest-period',
      severity: 'info',
      message: `no period asked: ${period.label}, the latest in ${dataset} (ask for one with --period)`,
      params: { dataset },
    },
  };
}
