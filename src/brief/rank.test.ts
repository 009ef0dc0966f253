import { describe, expect, it } from 'vitest';
import { rankPoints, saturating } from './rank.js';
import type { KeyPoint } from './types.js';

const p = (id: string, detector: string, score: number): KeyPoint => ({
  id,
  detector,
  score,
  why: '',
  text: { en: id, zh: id },
  nums: {},
});

describe('newsworthiness ranking', () => {
  it('pins the headline, sorts by score, caps each detector and keeps the top N', () => {
    const points = [
      p('a1', 'a', 70),
      p('h', 'headline', 1000),
      p('a2', 'a', 65),
      p('a3', 'a', 60),
      p('a4', 'a', 59),
      p('b1', 'b', 50),
      p('c1', 'c', 10),
    ];
    const { kept, dropped } = rankPoints(points, { top: 4, perDetector: 3 });
    expect(kept.map((x) => x.id)).toEqual(['h', 'a1', 'a2', 'a3', 'b1']);
    expect(dropped.map((x) => x.id)).toEqual(['a4', 'c1']);
  });

  it('breaks ties by id so the order is stable', () => {
    const { kept } = rankPoints([p('z', 'a', 50), p('m', 'b', 50)], { top: 2 });
    expect(kept.map((x) => x.id)).toEqual(['m', 'z']);
  });

  it('saturates: the first units of change count most', () => {
    expect(saturating(0, 2, 30, 80)).toBe(30);
    expect(saturating(2, 2, 30, 80)).toBe(55);
    expect(saturating(-2, 2, 30, 80)).toBe(55);
    expect(saturating(200, 2, 30, 80)).toBeCloseTo(79.5, 1);
    expect(saturating(Number.NaN, 2, 30, 80)).toBe(30);
  });
});
