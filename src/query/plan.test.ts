/**
 * Plans decided from hand-built catalogs, with no store: the dataset and why, how the partner and the product are
 * read (one level per code path, baskets on coarser data), the windows (ranges of years, YTD, conversions) and the
 * caveats known before a value is read.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../model/period.js';
import type { Catalog, DatasetFacts } from './catalog.js';
import { explainPlan, planQuery } from './plan.js';
import { resolveSpec } from './resolve.js';
import { type QuerySpecInput, validateSpec } from './spec.js';

const facts = (over: Partial<DatasetFacts> = {}): DatasetFacts => ({
  vintages: [{ vintage: '2023-01-01', vintageSource: 'release V202301', loads: 1, rows: 1, files: ['f.csv'] }],
  flags: ['reported'],
  classifications: ['H6'],
  seasonallyAdjusted: false,
  hasWorld: true,
  hasTotals: true,
  hasGroupTotal: false,
  productCodes: [],
  ...over,
});

function plan(input: QuerySpecInput, datasets: Record<string, DatasetFacts>, over: Partial<Catalog> = {}) {
  const r = resolveSpec(validateSpec(input));
  const catalog: Catalog = {
    period: parsePeriod(r.spec.period ?? '2022'),
    coverage: {},
    search: 'asked',
    covering: Object.keys(datasets).map((dataset) => ({ dataset, cells: 10 })),
    precedence: [],
    datasets,
    ...over,
  };
  return planQuery(r, catalog);
}

describe('plan: the dataset and why', () => {
  it('the only dataset, a named one, or the declared precedence; two without one is an error naming both', () => {
    expect(plan({ reporter: 'CHN', period: '2022' }, { a: facts() }).datasetReason).toMatch(/only dataset/);
    expect(plan({ reporter: 'CHN', period: '2022', dataset: 'b' }, { b: facts() }).datasetReason).toMatch(/named/);
    const ranked = plan({ reporter: 'CHN', period: '2022' }, { a: facts(), b: facts() }, { precedence: ['b', 'a'] });
    expect(ranked.dataset).toBe('b');
    expect(ranked.datasetNote).toMatch(/precedence/);
    expect(() => plan({ reporter: 'CHN', period: '2022' }, { a: facts(), b: facts() })).toThrow(/a \(10 cells\), b/);
  });
});

describe('plan: partner', () => {
  it('a World row is read as it is; without one, the partner countries are summed, aggregates left out', () => {
    const world = plan({ reporter: 'CHN', period: '2022' }, { a: facts() });
    expect(world.partnerRead).toBe('world');
    expect(world.request.filter.partners).toEqual(['WLD']);
    const sum = plan({ reporter: 'ZAF', period: '2021' }, { baci: facts({ hasWorld: false }) });
    expect(sum.partnerRead).toBe('sum of partner countries');
    expect(sum.request.filter.excludePartners).toContain('WLD');
    expect(sum.notes.map((n) => n.code)).toContain('sum-of-partners');
  });

  it('a group: its published total when the dataset has one, else its members over time', () => {
    const published = plan({ reporter: 'CHN', partner: 'EU', period: '2022' }, { a: facts({ hasGroupTotal: true }) });
    expect(published.request.filter.partners).toEqual(['EUU']);
    const members = plan({ reporter: 'CHN', partner: 'EU', period: '2022' }, { a: facts() });
    expect(members.request.filter.partnerIntervals?.some((m) => m.partner === 'DEU')).toBe(true);
    expect(members.request.filter.partnerIntervals?.some((m) => m.partner === 'GBR' && m.end >= 202201)).toBe(false);
  });
});

describe('plan: product levels and coverage', () => {
  it('a heading beside its subheadings is read at its own level', () => {
    const p = plan(
      { reporter: 'CHN', period: '2022', product: '8542' },
      {
        a: facts({ productCodes: ['8542', '854231', '854239'] }),
      },
    );
    expect(p.request.filter.products).toEqual(['8542']);
    expect(p.request.filter.productPrefixes).toBeUndefined();
    expect(p.notes.map((n) => n.code)).toContain('product-levels');
  });

  it('codes of one level keep the prefix filter (so rollups can answer)', () => {
    const p = plan(
      { reporter: 'CHN', period: '2022', product: '8541' },
      {
        a: facts({ productCodes: ['854141', '854142', '854143'] }),
      },
    );
    expect(p.request.filter.productPrefixes).toEqual(['8541']);
  });

  it('a chapter of which only one heading is held says so', () => {
    const p = plan({ reporter: 'CHN', period: '2022', product: '85' }, { a: facts({ productCodes: ['8542'] }) });
    expect(p.notes.find((n) => n.code === 'partial-coverage')?.message).toMatch(/chapter 85: only 8542/);
    expect(p.productCoverage?.[0]?.children?.held).toEqual(['8542']);
  });

  it('a basket on HS4 data: a heading all of whose subheadings are in the basket stands for them', () => {
    const p = plan(
      { reporter: 'CHN', period: '2022', product: 'integrated-circuits' },
      {
        a: facts({ productCodes: ['8541', '8542'] }),
      },
    );
    expect(p.request.filter.products).toEqual(['8542']);
    const pv = plan(
      { reporter: 'CHN', period: '2022', product: 'new-three/pv-cells' },
      {
        a: facts({ productCodes: ['8541', '8542'] }),
      },
    );
    expect(pv.notes.find((n) => n.code === 'basket-unmatched')?.message).toMatch(/854142, 854143/);
  });

  it('a dataset without all-product totals: the sum of its products, one level per path', () => {
    const p = plan(
      { reporter: 'CHN', period: '2022' },
      {
        a: facts({ hasTotals: false, productCodes: ['8542', '854231', '854239', '2523'] }),
      },
    );
    expect(p.request.filter.products).toEqual(['2523', '8542']);
  });
});

describe('plan: windows, conversions and caveats', () => {
  it('a range of whole years is also read year by year', () => {
    const p = plan({ reporter: 'CHN', period: '2018..2019', measures: ['value'] }, { dots: facts() });
    expect([...p.yearParts.values()][0]).toHaveLength(2);
    expect(p.windows.map((w) => w.period.label)).toEqual(expect.arrayContaining(['2018', '2019']));
  });

  it('the year to date through each month, and the months of a conversion', () => {
    const p = plan(
      { reporter: 'CHN', period: '2025-01..2025-03', by: ['month'], measures: ['value', 'ytd'], currency: 'usd' },
      { gacc: facts() },
    );
    expect(p.ytdOf.size).toBe(3);
    expect(p.fx).toEqual({ to: 'USD', series: 'fed-h10-monthly' });
    expect(p.request.windows.some((w) => w.id.includes('~'))).toBe(true);
    const text = explainPlan(p);
    expect(text.currency).toMatch(/converted to USD month by month/);
    expect((text.windows as { ytd?: string }[])[2]?.ytd).toBe('ytd:2025-03');
  });

  it('a seasonally adjusted dataset is a caveat before anything is read', () => {
    const p = plan({ reporter: 'CHN', period: '2019-09' }, { sa: facts({ seasonallyAdjusted: true }) });
    expect(p.notes.map((n) => n.code)).toContain('seasonally-adjusted');
    expect(explainPlan(p).seasonallyAdjusted).toBe(true);
  });
});
