import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from '../../../test/brief/store.js';
import { runDetector } from '../test-helpers.js';
import { declines } from './declines.js';

describe('declines worth reporting', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await storeWith(['gacc', 'solar']);
  }, 300_000);
  afterAll(async () => t?.close());

  it('lists the sharpest falls among the larger markets and products', async () => {
    const { text, out } = await runDetector(t.store, declines, { reporter: 'CHN', period: 'ytd:2025-06' });
    expect(text('declines.new-three/pv-cells.partners')).toBe(
      'Exports of photovoltaic cells and modules fell sharply to Brazil (-57.7%), Saudi Arabia (-57.5%) and the Netherlands (-47.7%).',
    );
    expect(text('declines.new-three/pv-cells.partners', 'zh')).toBe(
      '太阳能电池出口大幅下降的市场：巴西（-57.7%）、沙特阿拉伯（-57.5%）、荷兰（-47.7%）。',
    );
    expect(text('declines.ember-china-solar-exports.products')).toMatch(/solar modules \(HS 8541\.43\) \(-29\.3%\)/);
    // no province's exports fell in H1 2025 (Beijing +1.05 %, Shanghai +11.10 %, Zhejiang +9.02 %)
    expect(out.points.some((p) => p.id === 'declines.regions')).toBe(false);
  });
});
