import { describe, expect, it } from 'vitest';
import { basketById } from './baskets.js';
import { gaccLineById, gaccLineByName, gaccLines, gaccLinesForBasket, gaccLineUnit } from './gacc-lines.js';

describe('GAC release commodity lines', () => {
  it('each year’s spelling is one line (2019, 2025 and 2026 pages; full-width brackets; stars)', () => {
    expect(gaccLineByName('Aquatic/Marine products')?.id).toBe('AQUA');
    expect(gaccLineByName('Aquatic products')?.id).toBe('AQUA');
    expect(gaccLineByName('Motor vehicles（including chassis fitted with engines)')?.id).toBe('VEH');
    expect(gaccLineByName('Motor vehicles (including chassis fitted with engines)')?.id).toBe('VEH');
    expect(gaccLineByName('*Electrical-Mechanical Products')?.id).toBe('MEPRD');
    expect(gaccLineByName('Mechanical and electrical products *')?.id).toBe('MEPRD');
    expect(gaccLineByName('鞋靴')?.id).toBe('FOOTW');
    expect(gaccLineByName('Bicycles')).toBeUndefined();
  });

  it('ids are short codes none of which starts another (queries group products by leading characters)', () => {
    const ids = gaccLines().map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ids) for (const b of ids) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).toBe(false);
  });

  it('starred aggregates say which lines they include', () => {
    expect(
      gaccLines()
        .filter((l) => l.aggregate)
        .map((l) => l.id),
    ).toEqual(['AGRI', 'MEPRD', 'HITEC']);
    expect(gaccLineById('HITEC')?.includes).toContain('IC');
  });

  it('a dated quantity unit: footwear in 10,000 tons on the 2019 page, 10,000 pairs on 2025 pages', () => {
    const shoes = gaccLineById('FOOTW')!;
    expect(gaccLineUnit(shoes, 2019)?.en).toBe('10,000 Tons');
    expect(gaccLineUnit(shoes, 2025)?.en).toBe('10,000 Pairs');
    expect(gaccLineUnit(gaccLineById('GARM')!, 2025)).toBeUndefined();
  });

  it('the labour-intensive basket: one line for each of its seven parts, with the same HS codes as the part', () => {
    const basket = basketById('labour-intensive')!;
    const lines = gaccLinesForBasket('labour-intensive');
    expect(lines.map((l) => l.basket?.split('/')[1]).sort()).toEqual(basket.parts.map((p) => p.id).sort());
    for (const part of basket.parts) {
      const [line] = gaccLinesForBasket(`labour-intensive/${part.id}`);
      expect(line?.hs?.codes, part.id).toEqual(part.include);
      expect(line?.hs?.fit).toBe('approximate');
    }
  });
});
