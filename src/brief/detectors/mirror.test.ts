import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { mirror } from './mirror.js';

describe('mirror gaps (Comtrade 2022, both sides)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['comtrade']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('compares China’s exports to the US with US imports from China', async () => {
    // Comtrade 2022: CHN exports to USA 582,756,110,047; USA imports from CHN 575,688,091,172 (−1.21 %)
    expect(Number(((575_688_091_172n - 582_756_110_047n) * 10_000n) / 582_756_110_047n) / 100).toBeCloseTo(-1.21, 2);
    const { text, point } = await runDetector(t.store, mirror, { reporter: 'CHN', partner: 'USA', period: '2022' });
    expect(text('mirror.USA')).toBe(
      'China reports exports of US$582.8 billion to the United States in 2022; the United States reports imports of US$575.7 billion from China, 1.2% less — imports valued CIF should exceed exports valued FOB, so valuation cannot explain the gap (re-exports, timing and partner attribution can).',
    );
    expect(text('mirror.USA', 'zh')).toMatch(
      /^中国统计2022年对美国出口5827\.6亿美元；美国统计自中国进口5756\.9亿美元，少1\.2%/,
    );
    expect(point('mirror.USA').chart?.id).toBe('mirror');
  });

  it('says so when no partner-reported data covers the period', async () => {
    const { out } = await runDetector(t.store, mirror, { reporter: 'CHN', partner: 'USA', period: 'ytd:2025-06' });
    expect(out.points).toHaveLength(0);
    expect(out.missing[0]!.text.en).toBe(
      'Mirror gaps cannot be computed for January–June 2025: no partner-reported data for the same period is loaded.',
    );
  });
});
