import { describe, expect, it } from 'vitest';
import { releaseBriefs } from './release-periods.js';

describe('the brief period of each loaded release page', () => {
  it('January–February combined, another month as its year to date; newest first; other vintages skipped', () => {
    const r = releaseBriefs([
      {
        vintage: '2025-03-11',
        vintageSource: `publication date of "(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY)" (table (4) by country/region, CNY): printed 2025/03/11`,
      },
      {
        vintage: '2025-05-09',
        vintageSource: `publication date of "(5) China's Major Exports by Quantity and Value, April 2025 (in USD)" (table (5) major exports by quantity and value, USD): printed 2025/05/09`,
      },
      { vintage: '2026-12-04', vintageSource: 'ingest date (no release date in the source; give --vintage)' },
    ]);
    expect(r.map((x) => [x.published, x.section, x.period])).toEqual([
      ['2025-05-09', 5, 'ytd:2025-04'],
      ['2025-03-11', 4, '2025-01+02'],
    ]);
  });
});
