/**
 * The release detector on GAC's release pages alone (data/gacc-releases, as the demo loads them). Expected figures
 * are read off the pages by hand: table (4) January–February 2025 in CNY 100 million (Total 38,812.1 exports,
 * 26,551.5 imports, +3.4 / −7.3 %; United States 5,431.3 +3.4; European Union 5,682.6 +1.8; ASEAN 6,266.8 +6.8;
 * Australia 743.6 −3.6) and table (5) April 2025 in USD 1 million (January–April 2025 vs 2024).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleasePages } from '../../cli/commands/demo-releases.js';
import { openStore } from '../../cli/open-store.js';
import type { TradeStore } from '../../store/store.js';
import { footnoteText } from '../render/common.js';
import { runDetector } from '../test-helpers.js';
import { releaseTables } from './release-tables.js';

let dir: string;
let store: TradeStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-release-brief-'));
  const path = join(dir, 'store.duckdb');
  store = await openStore(path);
  await loadReleasePages(store, path);
}, 120_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what the release tables say', () => {
  it('headline from (4)’s Total row and exports by partner, with the YoY as printed, in both languages', async () => {
    const { text, ctx } = await runDetector(store, releaseTables, { reporter: 'CHN', period: '2025-01+02' });
    // 12,260.6 = 38,812.1 − 26,551.5
    expect(text('release.headline.cny')).toBe(
      "GAC's preliminary release (table (4), Total row, in CNY): exports CNY 3.88 trillion in January–February 2025 (+3.4% year on year as printed), imports CNY 2.66 trillion (-7.3%), surplus CNY 1.23 trillion.",
    );
    expect(text('release.headline.cny', 'zh')).toBe(
      '海关总署统计快讯（表（4）总值行，人民币值）：2025年1—2月出口3.88万亿元（公布同比+3.4%），进口2.66万亿元（-7.3%），顺差1.23万亿元。',
    );
    // US share: 5,431.3 / 38,812.1 = 13.99 % → 14.0 %
    expect(text('release.partners.cny')).toBe(
      'Exports by partner in the same table, January–February 2025, YoY as printed: the United States CNY 543.1 billion (+3.4%), the EU CNY 568.3 billion (+1.8%), ASEAN CNY 626.7 billion (+6.8%), Australia CNY 74.4 billion (-3.6%); the United States took 14.0% of all exports.',
    );
    // the source line names the release: publisher, table, publication date
    const line = footnoteText(ctx.sources[0]!, 'en').data;
    expect(line).toContain(
      `GAC preliminary release "(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY)", published 2025-03-11`,
    );
  });

  it('the labour-intensive lines of (5) with their YoY (January–April 2025, USD)', async () => {
    const { text } = await runDetector(store, releaseTables, { reporter: 'CHN', period: 'ytd:2025-04' });
    // suitcases 9,955.0 vs 11,403.9 (−12.7 printed); footwear 13,746.8 vs 15,032.1 (−8.6); toys 10,928.2 vs 11,557.5
    // (−5.4); furniture 21,709.6 vs 23,540.7 (−7.8); textiles 45,847.8 vs 44,168.2 (+3.8); garments 44,619.7 vs
    // 45,318.9 (−1.5); plastic products 33,681.6 vs 34,403.2 (−2.1)
    expect(text('release.labour-intensive.usd')).toBe(
      'Labour-intensive exports by GAC line (table (5)), January–April 2025, year on year: textile yarn, fabrics and articles thereof US$45.8 billion (+3.8%), garments and clothing accessories US$44.6 billion (-1.5%), plastic products US$33.7 billion (-2.1%), furniture and parts thereof US$21.7 billion (-7.8%), footwear US$13.7 billion (-8.6%), toys US$10.9 billion (-5.4%), suitcases, handbags and similar containers US$10.0 billion (-12.7%).',
    );
  });
});
