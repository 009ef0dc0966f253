import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { structure } from './structure.js';

describe('structural shifts', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc', 'solar']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('says the customs totals have no product detail, and compares the products of the solar extract', async () => {
    const { out, text } = await runDetector(t.store, structure, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(out.missing.map((m) => m.text.en)).toEqual([
      'The loaded totals for China for January–June 2025 have no product detail, so the New Three, labour-intensive goods and intermediate goods cannot be measured.',
    ]);
    // Ember, H1 2025 vs H1 2024: cells 1,734,194,006 vs 1,323,595,559 (+31.02 %); modules 11,533,731,964 vs 16,323,506,423 (−29.34 %)
    expect(text('structure.ember-china-solar-exports.products')).toBe(
      'Among the products of ember-china-solar-exports, exports of solar cells (not in modules) (HS 8541.42) rose 31.0% to US$1.7 billion, while solar modules (HS 8541.43) fell 29.3% to US$11.5 billion.',
    );
    expect(text('structure.ember-china-solar-exports.products', 'zh')).toBe(
      '在ember-china-solar-exports数据集的商品中，光伏电池片 (HS 8541.42)出口17.3亿美元，同比增长31.0%；光伏组件 (HS 8541.43)出口115.3亿美元，同比下降29.3%。',
    );
  });
});
