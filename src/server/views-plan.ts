/**
 * What the dashboard can show for a reporter, worked out from what the store holds: which dataset answers
 * each view, over which periods, and what is missing. The dashboard then asks `/api/query` with these
 * datasets, so every chart draws only what the data supports and says plainly what it lacks.
 *
 * @example await viewsPlan(store, 'CHN') // { totals: { dataset: 'gacc-region-monthly', last: '2025-06' }, … }
 */
import { resolveArea } from '../model/areas.js';
import type { DatasetSummary, TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';

export interface DatasetRef {
  dataset: string;
  name: string | null;
  first: string;
  last: string;
  currency: string;
}

export interface ViewsPlan {
  reporter: string;
  /** Monthly/annual totals with the world (exports and imports). */
  totals: (DatasetRef & { monthly: boolean; regions: string[] }) | null;
  /** Partner detail with the longest history (shares over time). */
  partnersHistory: DatasetRef | null;
  /** Partner detail with the latest period (ranking). */
  partnersLatest: DatasetRef | null;
  /** Product detail for the reporter, or for another reporter when the reporter has none. */
  products: (DatasetRef & { reporter: string; productReporterIsOther: boolean }) | null;
  /** Datasets with partner × product detail for the reporter (monthly where the source is). */
  partnerProducts: DatasetRef[];
  /** Partners with a dataset reporting both sides (mirror). */
  mirror: (DatasetRef & { partners: string[] }) | null;
  /** Partner-reported trade with the reporter (one dataset per partner). */
  partnerReported: (DatasetRef & { partner: string })[];
  /** Sub-national regions, where the totals dataset has them. */
  regions: (DatasetRef & { regions: string[] }) | null;
  missing: { view: string; reason: string }[];
}

const PRODUCT_PREFIXES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function ref(d: DatasetSummary): DatasetRef {
  return {
    dataset: d.dataset,
    name: d.name,
    first: d.firstPeriod ?? '',
    last: d.lastPeriod ?? '',
    currency: d.currencies[0] ?? '',
  };
}

const span = (d: DatasetSummary) =>
  Number((d.lastPeriod ?? '0').slice(0, 4)) - Number((d.firstPeriod ?? '0').slice(0, 4));

export async function viewsPlan(store: TradeStore, reporterInput: string): Promise<ViewsPlan> {
  const area = resolveArea(reporterInput);
  if (!area)
    throw new UserError(`reporter: unknown code ${reporterInput}`, [
      {
        code: 'unknown-reporter',
        severity: 'error',
        message: 'reporter: unknown code',
        at: { field: 'reporter' },
        value: reporterInput,
      },
    ]);
  const R = area.code;
  const all = await store.datasets();
  const byId = new Map(all.map((d) => [d.dataset, d]));
  const covering = async (filter: Parameters<TradeStore['datasetsCovering']>[0]) =>
    (await store.datasetsCovering(filter)).map((x) => byId.get(x.dataset)).filter((d): d is DatasetSummary => !!d);
  const missing: ViewsPlan['missing'] = [];
  const latest = (a: DatasetSummary, b: DatasetSummary) =>
    (b.lastPeriod ?? '').localeCompare(a.lastPeriod ?? '') || b.rows - a.rows;

  const totalsCandidates = (await covering({ reporters: [R], products: ['TOTAL'], partners: ['WLD'] }))
    .filter((d) => d.flows.includes('X') && d.flows.includes('M') && !d.seasonallyAdjusted)
    .sort(latest);
  const t = totalsCandidates[0];
  const totals = t ? { ...ref(t), monthly: await hasMonth(store, t), regions: t.regions } : null;
  if (!totals) missing.push({ view: 'totals', reason: `no dataset holds ${R}'s exports and imports with the world` });

  const partnerSets = (await covering({ reporters: [R], products: ['TOTAL'], excludePartners: ['WLD'] })).filter(
    (d) => d.partners > 1 && d.flows.includes('X'),
  );
  const history = [...partnerSets].sort((a, b) => span(b) - span(a) || latest(a, b))[0];
  const latestSet = [...partnerSets].sort(latest)[0];
  if (!history) missing.push({ view: 'partners', reason: `no dataset holds ${R}'s trade by partner` });

  const ownProducts = (await covering({ reporters: [R], productPrefixes: PRODUCT_PREFIXES })).filter((d) =>
    d.classifications.some((c) => /^H\d$/.test(c)),
  );
  const broad = (d: DatasetSummary) => d.rows;
  let products: ViewsPlan['products'] = null;
  const own = ownProducts.filter((d) => d.partners > 1).sort((a, b) => broad(b) - broad(a))[0];
  if (own) products = { ...ref(own), reporter: R, productReporterIsOther: false };
  else {
    const other = (await covering({ productPrefixes: PRODUCT_PREFIXES }))
      .filter((d) => d.classifications.some((c) => /^H\d$/.test(c)) && d.partners > 1)
      .sort((a, b) => broad(b) - broad(a))[0];
    if (other) {
      const reporter = [...other.reporters].sort().reverse()[0] ?? '';
      products = { ...ref(other), reporter, productReporterIsOther: true };
      missing.push({
        view: 'products',
        reason: `no HS product detail for ${R} in the store; the HS treemap uses ${other.dataset} (${reporter})`,
      });
    } else missing.push({ view: 'products', reason: 'no dataset with HS product detail in the store' });
  }

  const partnerProducts = (
    await covering({ reporters: [R], productPrefixes: PRODUCT_PREFIXES, excludePartners: ['WLD'] })
  )
    .filter((d) => d.partners > 1)
    .sort(latest)
    .map(ref);

  const mirrorSet = partnerSets.filter((d) => d.reporters.length > 1).sort(latest)[0];
  const mirror = mirrorSet ? { ...ref(mirrorSet), partners: mirrorSet.reporters.filter((r) => r !== R) } : null;
  if (!mirror)
    missing.push({ view: 'mirror', reason: `no dataset holds both ${R}'s reports and its partners' reports` });

  const reportedSets = (await covering({ partners: [R], products: ['TOTAL'] }))
    .filter((d) => d.partners === 1 && !d.reporters.includes(R) && !d.seasonallyAdjusted && d.reporters.length === 1)
    .sort((a, b) => span(b) - span(a));
  const seen = new Set<string>();
  const partnerReported: ViewsPlan['partnerReported'] = [];
  for (const d of reportedSets) {
    const p = d.reporters[0]!;
    if (seen.has(p)) continue;
    seen.add(p);
    partnerReported.push({ ...ref(d), partner: p });
  }
  if (!partnerReported.length)
    missing.push({ view: 'partner-reported', reason: `no partner-reported series of trade with ${R}` });

  const regionSet = all.filter((d) => d.reporters.includes(R) && d.regions.length > 0).sort(latest)[0];
  const regions = regionSet ? { ...ref(regionSet), regions: regionSet.regions } : null;
  if (!regions) missing.push({ view: 'regions', reason: `no sub-national detail for ${R}` });

  return {
    reporter: R,
    totals,
    partnersHistory: history ? ref(history) : null,
    partnersLatest: latestSet ? ref(latestSet) : null,
    products,
    partnerProducts,
    mirror,
    partnerReported,
    regions,
    missing,
  };
}

/** True when the dataset has a single-month cell in its last month (a monthly source, not annual). */
async function hasMonth(store: TradeStore, d: DatasetSummary): Promise<boolean> {
  const m = Number((d.lastPeriod ?? '').replace('-', ''));
  if (!m) return false;
  const found = await store.datasetsCovering({ datasets: [d.dataset], windows: [{ start: m, end: m }] });
  return found.some((x) => x.cells > 0);
}
