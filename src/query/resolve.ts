/**
 * A validated spec's names resolved to codes, without a store: the reporter (any code scheme), the region, the
 * partner (an area or a group) and the product (all products, an HS code, a basket), the flows, and the cuts
 * every read of the query shares.
 */
import { resolveArea, suggestArea } from '../model/areas.js';
import { resolveRegion } from '../model/regions.js';
import type { CellFilter } from '../store/store.js';
import { userError } from '../util/errors.js';
import { type PartnerSelection, type ProductSelection, selectPartner, selectProduct } from './selection.js';
import type { QuerySpec } from './spec.js';
import { PRODUCT_DIGITS } from './windows.js';

export interface Resolved {
  spec: QuerySpec;
  reporter: string;
  /** The region code ('' for the whole reporter). */
  region: string;
  partner: PartnerSelection;
  product: ProductSelection;
  flows: string[];
  byPartner: boolean;
  /** The product drilldown asked (`hs4` …), if any. */
  productDim: string | undefined;
  /** Reporter, flows, region and as-of date: the cuts of every read. */
  cuts: CellFilter;
  /** The selection in words, for messages (`CHN → WLD (8542)`). */
  what: string;
}

/** Resolves the spec's codes; an unknown one is a user error naming the field. */
export function resolveSpec(spec: QuerySpec): Resolved {
  const area = resolveArea(spec.reporter);
  if (!area) {
    throw userError(
      'unknown-reporter',
      `reporter: unknown code ${spec.reporter}`,
      { suggestions: suggestArea(spec.reporter).map((x) => x.area.code) },
      { field: 'reporter' },
      spec.reporter,
    );
  }
  let region = '';
  if (spec.region) {
    const r = resolveRegion(spec.region);
    if (r === undefined) {
      throw userError(
        'unknown-region',
        `region: unknown region ${spec.region} (use a code such as 330000 or a name such as 浙江省)`,
        {},
        { field: 'region' },
        spec.region,
      );
    }
    region = r;
  }
  const byPartner = spec.by.includes('partner');
  const flows = spec.flow ?? ['X', 'M'];
  return {
    spec,
    reporter: area.code,
    region,
    partner: selectPartner(spec.partner ?? 'WLD'),
    product: selectProduct(spec.product),
    flows,
    byPartner,
    productDim: spec.by.find((d) => d in PRODUCT_DIGITS),
    cuts: {
      reporters: [area.code],
      flows,
      ...(spec.by.includes('region') ? {} : { regions: [region] }),
      ...(spec.asOf ? { asOf: spec.asOf } : {}),
    },
    what: `${area.code} → ${spec.partner ?? (byPartner ? 'partners' : 'WLD')}${spec.product ? ` (${spec.product})` : ''}`,
  };
}
