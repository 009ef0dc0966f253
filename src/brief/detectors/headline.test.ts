import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { headline } from './headline.js';

// GAC's published H1 2025 figures (gacc_region_monthly_2024_2025.xlsx, 万元 × 10^4):
// exports 13,000,388,810,000 CNY (+7.18 % in the file), imports 8,788,017,960,000 CNY (−2.78 %).
const X = 13_000_388_810_000n;
const M = 8_788_017_960_000n;
const X0 = 12_129_835_280_000n;
const M0 = 9_038_982_130_000n;

describe('headline detector (GAC)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('states exports, imports and the balance with their YoY, in English and Chinese', async () => {
    const { text, out } = await runDetector(t.store, headline, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('headline.exports')).toMatch(
      /^China's exports reached CNY 13\.00 trillion in January–June 2025, up 7\.2% year on year/,
    );
    expect(text('headline.exports', 'zh')).toMatch(/^2025年1—6月，中国出口13\.00万亿元，同比增长7\.2%/);
    expect(text('headline.imports')).toBe('Imports fell 2.8% to CNY 8.79 trillion.');
    expect(text('headline.imports', 'zh')).toBe('进口8.79万亿元，同比下降2.8%。');
    // the balance worked out here: 4,212,370,850,000 against 3,090,853,150,000 a year earlier (+36.29 %)
    expect(X - M).toBe(4_212_370_850_000n);
    expect(Number(((X - M) * 10000n) / (X0 - M0)) / 100 - 100).toBeCloseTo(36.28, 1);
    expect(text('headline.balance')).toBe('The trade surplus was CNY 4.21 trillion, 36.3% wider than a year earlier.');
    expect(text('headline.balance', 'zh')).toBe('贸易顺差4.21万亿元，同比扩大36.3%。');
    expect(out.points.map((p) => p.score)).toEqual([1000, 999, 998]);
  });

  it('converts exports to US dollars month by month and says so', async () => {
    const { text, ctx } = await runDetector(t.store, headline, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('headline.exports')).toMatch(
      /\(about US\$1\.79 trillion at monthly average exchange rates, up 6\.7% in dollar terms\)/,
    );
    expect(ctx.sources.some((s) => s.conversions.some((c) => /CNY → USD/.test(c)))).toBe(true);
  });

  it('draws monthly exports and imports', async () => {
    const { point } = await runDetector(t.store, headline, { reporter: 'CHN', period: 'ytd:2025-06' });
    const chart = point('headline.exports').chart!;
    expect(chart.id).toBe('monthly-trade');
    const opt = chart.option.en as { xAxis: { data: string[] }; series: { data: (number | null)[] }[] };
    expect(opt.xAxis.data[0]).toBe('2024-01');
    expect(opt.xAxis.data.at(-1)).toBe('2025-06');
    // June 2025 exports, CNY billion: 2,339,713,070,000 → 2339.7
    expect(opt.series[0]!.data.at(-1)).toBe(2339.7);
  });

  it('says what it cannot say for a reporter without data', async () => {
    const { out } = await runDetector(t.store, headline, { reporter: 'DEU', period: 'ytd:2025-06' });
    expect(out.points).toHaveLength(0);
    expect(out.missing[0]!.text.en).toMatch(/^No totals for Germany in January–June 2025 are loaded/);
    expect(out.missing[0]!.text.zh).toMatch(/^未载入德国2025年1—6月的贸易总值数据/);
  });
});
