import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { repo } from '../../../test/contract/store-contract.js';
import { openStore } from '../../cli/open-store.js';
import { ingestFile } from '../../ingest/ingest.js';
import type { TradeStore } from '../../store/store.js';
import { runDetector } from '../test-helpers.js';
import { milestones } from './milestones.js';

describe('year-to-date milestones on data that covers earlier years (GAC, 2024 and 2025)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('a round number passed for the first time since the first year loaded; otherwise the highest since then', async () => {
    // GAC published cumulative figures: H1 2025 exports 13,000,388,810,000 vs H1 2024 12,129,835,280,000 (both
    // above the round CNY 10 trillion: no "first time"); surplus 13,000,388,810,000 − 8,788,017,960,000 =
    // 4,212,370,850,000 vs 12,129,835,280,000 − 9,038,982,130,000 = 3,090,853,150,000 (below CNY 4 trillion)
    expect(13_000_388_810_000n - 8_788_017_960_000n).toBe(4_212_370_850_000n);
    expect(12_129_835_280_000n - 9_038_982_130_000n).toBe(3_090_853_150_000n);
    const { text, point } = await runDetector(t.store, milestones, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('milestones.exports')).toBe(
      'The January–June exports of China, CNY 13.00 trillion, is the highest for that period since 2024, the first year loaded; the previous high was CNY 12.13 trillion in 2024.',
    );
    expect(text('milestones.balance')).toBe(
      'The January–June trade surplus of China, CNY 4.21 trillion, is above CNY 4 trillion for the first time since 2024, the first year loaded; the previous high was CNY 3.09 trillion in 2024.',
    );
    expect(text('milestones.balance', 'zh')).toBe(
      '中国1—6月贸易顺差4.21万亿元，2024年（数据始于该年）以来同期首次超过4万亿元；此前最高为2024年的3.09万亿元。',
    );
    // one earlier year beaten: a weak record, ranked low
    expect(point('milestones.exports').score).toBeLessThan(30);
  });

  it('no earlier year of the window: no claim, and the brief says which window and years are missing', async () => {
    const { out } = await runDetector(t.store, milestones, { reporter: 'CHN', period: 'ytd:2024-06' });
    expect(out.points).toHaveLength(0);
    expect(out.missing.map((m) => m.text.en)).toEqual([
      'No milestone for January–June 2024: dataset gacc-region-monthly holds no January–June of an earlier year (load January–June 2023 and before to compare; without them "the first time above" a round number cannot be said).',
    ]);
  });
});

describe('milestones on release data alone (GAC table (4), January–February 2025)', () => {
  let dir: string;
  let store: TradeStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradescope-milestones-'));
    const path = join(dir, 'store.duckdb');
    store = await openStore(path);
    const page = repo('test/fixtures/gacc-releases/release_section4_by_country_janfeb2025_cny.html');
    await ingestFile(store, page, { format: 'gacc-release', stagingBase: path });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the page prints no earlier year’s level (only YoY rates): no earlier window is loaded, so no "first time"', async () => {
    const { out } = await runDetector(store, milestones, { reporter: 'CHN', period: 'ytd:2025-02' });
    expect(out.points).toHaveLength(0);
    expect(out.missing.map((m) => m.text.en)).toEqual([
      'No milestone for January–February 2025: dataset gacc-release-cny holds no January–February of an earlier year (load January–February 2024 and before to compare; without them "the first time above" a round number cannot be said).',
    ]);
  });
});
