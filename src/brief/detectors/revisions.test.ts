import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { revisions } from './revisions.js';

describe('revisions detector (GAC cumulative vs first-published months)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('reports the gap between the cumulative figure and the months as first published', async () => {
    // months of 2025 as first published (GAC file), summed by hand: 13,013,624,900,000; cumulative 13,000,388,810,000
    const months = [
      2_335_478_280_000n,
      1_545_732_520_000n,
      2_251_491_180_000n,
      2_264_525_880_000n,
      2_276_683_970_000n,
      2_339_713_070_000n,
    ];
    const sum = months.reduce((a, b) => a + b, 0n);
    expect(sum).toBe(13_013_624_900_000n);
    expect(13_000_388_810_000n - sum).toBe(-13_236_090_000n);
    const { text, point } = await runDetector(t.store, revisions, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('revisions.exports')).toBe(
      "The cumulative exports figure for January–June 2025, CNY 13.00 trillion, is CNY 13.2 billion (0.10%) below the sum of the months as first published: earlier months were revised down, and the latest month's figure is preliminary.",
    );
    expect(text('revisions.exports', 'zh')).toBe(
      '2025年1—6月累计出口13.00万亿元，比各月初值之和低132.4亿元（0.10%），说明此前月份数据被下修；最新月份数据为初步数据。',
    );
    expect(point('revisions.exports').preliminary).toBe(true);
  });
});
