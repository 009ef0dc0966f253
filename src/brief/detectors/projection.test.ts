import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { projection } from './projection.js';

describe('full-year projection (GAC, through June 2025)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('projects 2025 exports with an 80 % interval and the chance of beating 2024, the same every time', async () => {
    const a = await runDetector(t.store, projection, { reporter: 'CHN', period: 'ytd:2025-06' });
    const b = await runDetector(t.store, projection, { reporter: 'CHN', period: 'ytd:2025-06' });
    const text = a.text('projection.exports');
    expect(text).toBe(b.text('projection.exports'));
    expect(text).toMatch(
      /^Projection, not an official figure: on the months published through June 2025, 2025 exports would come to about CNY (\d+\.\d\d) trillion \(80% interval CNY (\d+\.\d\d) trillion to CNY (\d+\.\d\d) trillion\); the chance that they exceed 2024's CNY 25\.45 trillion is about (\d+)%\.$/,
    );
    const nums = a.point('projection.exports').nums;
    const [med, lo, hi] = [nums.med!, nums.lo!, nums.hi!].map((n) => Number(n.value));
    // the year is at least what is already published (13,000,388,810,000 in H1), the interval brackets the median
    expect(lo!).toBeGreaterThan(13_000_388_810_000);
    expect(lo!).toBeLessThan(med!);
    expect(med!).toBeLessThan(hi!);
    // a median above 2024's 25,454,537,240,000 means better-than-even odds of beating it
    expect(med!).toBeGreaterThan(25_454_537_240_000);
    expect(Number(nums.prob!.value)).toBeGreaterThan(50);
    expect(a.point('projection.exports').preliminary).toBe(true);
    expect(a.text('projection.exports', 'zh')).toMatch(
      /^预估（非官方数据）：按2025年1—6月已公布数据，2025年全年中国出口约为\d+\.\d\d万亿元（80%区间为/,
    );
  });

  it('draws the monthly forecast with its intervals', async () => {
    const { point } = await runDetector(t.store, projection, { reporter: 'CHN', period: 'ytd:2025-06' });
    const opt = point('projection.exports').chart!.option.en as { xAxis: { data: string[] } };
    expect(opt.xAxis.data.at(-1)).toBe('2025-12');
  });

  it('has nothing to project for a whole year', async () => {
    const { out } = await runDetector(t.store, projection, { reporter: 'CHN', period: '2024' });
    expect(out.points).toHaveLength(0);
  });
});
