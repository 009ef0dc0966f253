import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { records } from './records.js';

// Monthly exports as first published (GAC file, CNY): Dec 2024 2,409,936,000,000 is the last month above
// June 2025's 2,339,713,070,000; Feb 2025 1,545,732,520,000 < Mar 2,251,491,180,000 < Apr 2,264,525,880,000
// < May 2,276,683,970,000 < Jun: four increases in a row.
describe('records detector (GAC)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('finds the highest month since December 2024 and the run of increases', async () => {
    const { text, point } = await runDetector(t.store, records, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('records.exports.highest')).toBe(
      'June 2025 exports of CNY 2.34 trillion were the highest since December 2024.',
    );
    expect(text('records.exports.highest', 'zh')).toBe('2025年6月出口2.34万亿元，为2024年12月以来最高。');
    expect(text('records.exports.run')).toBe('Monthly exports have risen 4 months in a row, since February 2025.');
    expect(text('records.exports.run', 'zh')).toBe('月度出口自2025年2月起连续4个月环比增长。');
    // unbeaten for 6 months scores above a 4-month run
    expect(point('records.exports.highest').score).toBeGreaterThan(point('records.exports.run').score);
  });

  it('stays silent with a note when there is no monthly history', async () => {
    const { out } = await runDetector(t.store, records, { reporter: 'DEU', period: 'ytd:2025-06' });
    expect(out.points).toHaveLength(0);
    expect(out.missing[0]!.text.en).toMatch(/No monthly record stands out/);
  });
});
