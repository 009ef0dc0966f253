import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { regions } from './regions.js';

describe('regions detector (GAC provinces)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('names the province that added most to export growth, with its contribution', async () => {
    // Zhejiang, YTD June exports (GAC file): 2,073,424,150,000 vs 1,901,930,760,000; national base 12,129,835,280,000
    const pp = Number(((2_073_424_150_000n - 1_901_930_760_000n) * 1_000_000n) / 12_129_835_280_000n) / 10_000;
    expect(pp).toBeCloseTo(1.41, 2);
    const { text } = await runDetector(t.store, regions, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('regions.top-contributor')).toBe(
      'Zhejiang added the most to export growth of the 3 provinces and municipalities in the data: its exports rose 9.0% to CNY 2.07 trillion, contributing 1.4 percentage points to the national 7.2%.',
    );
    expect(text('regions.top-contributor', 'zh')).toContain(
      '浙江省对出口增长的拉动最大：出口2.07万亿元，同比增长9.0%，拉动全国出口增长1.4个百分点',
    );
    // Shanghai: 952,699,400,000 vs 857,493,460,000 = +11.10 %
    expect(text('regions.fastest')).toBe(
      'Exports from Shanghai grew fastest of the 3 provinces and municipalities in the data, up 11.1% to CNY 952.7 billion.',
    );
  });

  it('charts every region’s contribution', async () => {
    const { point } = await runDetector(t.store, regions, { reporter: 'CHN', period: 'ytd:2025-06' });
    const opt = point('regions.top-contributor').chart!.option.zh as { yAxis: { data: string[] } };
    expect(opt.yAxis.data).toEqual(['浙江省', '上海市', '北京市']);
  });
});
