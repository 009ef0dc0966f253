import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { partners } from './partners.js';

describe('partner shifts on IMF DOTS (annual, all goods)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['dots']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('finds the fall of the US share of China’s exports from 2018 to 2019', async () => {
    // DOTS: the US share peaks at 19.2 % in 2018 (480.7 of 2,500.5 bn) and drops to 16.8 % in 2019
    const { text, out } = await runDetector(t.store, partners, { reporter: 'CHN', period: '2019' });
    expect(out.missing).toHaveLength(0);
    expect(text('partners.imf-dots-china-exports.share-shift')).toBe(
      "The United States' share of China's exports fell 2.5 percentage points to 16.8% (from 19.2% a year earlier).",
    );
    expect(text('partners.imf-dots-china-exports.share-shift', 'zh')).toBe(
      '美国在中国出口中的占比由上年同期的19.2%降至16.8%，下降2.5个百分点。',
    );
  });
});

describe('partner shifts of a basket part (solar exports by destination, monthly)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['solar']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('reads the New Three PV part by destination and says the totals have no partner detail', async () => {
    const { text, out } = await runDetector(t.store, partners, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(out.missing[0]!.text.en).toMatch(
      /^No partner breakdown of the total trade of China covers January–June 2025 and the same period a year earlier/,
    );
    expect(out.missing[0]!.text.en).toMatch(
      /Partner shifts below are for exports of photovoltaic cells and modules only\.$/,
    );
    expect(text('partners.new-three/pv-cells.share-shift')).toBe(
      "The Netherlands' share of China's exports of photovoltaic cells and modules fell 5.4 percentage points to 12.3% (from 17.7% a year earlier).",
    );
    expect(text('partners.new-three/pv-cells.top-contributor')).toMatch(
      /^Exports of photovoltaic cells and modules to Brazil fell 57\.7% to US\$606\.3 million, taking 4\.7 percentage points off/,
    );
    expect(text('partners.new-three/pv-cells.share-shift', 'zh')).toBe(
      '荷兰在中国太阳能电池出口中的占比由上年同期的17.7%降至12.3%，下降5.4个百分点。',
    );
  });
});
