import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { milestones } from './milestones.js';

describe('year-to-date milestones (GAC, 2024 and 2025)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('finds the largest January–June exports and surplus in the data, against the previous high', async () => {
    // GAC published cumulative figures: H1 2025 exports 13,000,388,810,000 vs H1 2024 12,129,835,280,000;
    // surplus 13,000,388,810,000 − 8,788,017,960,000 = 4,212,370,850,000 vs 12,129,835,280,000 − 9,038,982,130,000
    expect(12_129_835_280_000n - 9_038_982_130_000n).toBe(3_090_853_150_000n);
    const { text, point } = await runDetector(t.store, milestones, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('milestones.exports')).toBe(
      'The January–June exports figure, CNY 13.00 trillion, is the largest for that period in the data for China, which start in 2024; the previous high was CNY 12.13 trillion in 2024.',
    );
    expect(text('milestones.balance', 'zh')).toBe(
      '1—6月贸易顺差4.21万亿元，为中国数据中同期最高（数据始于2024年）；此前最高为2024年的3.09万亿元。',
    );
    // one earlier year beaten: a weak record, ranked low
    expect(point('milestones.exports').score).toBeLessThan(30);
  });

  it('makes no claim for a window with no earlier year in the data', async () => {
    const { out } = await runDetector(t.store, milestones, { reporter: 'CHN', period: 'ytd:2024-06' });
    expect(out.points).toHaveLength(0);
  });
});
