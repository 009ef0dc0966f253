/**
 * Newsworthiness: which key points a brief keeps. Each detector scores its points from 0 to 100 by the size
 * of the change and the rarity of the record (see docs/briefs.md for each formula); the headline is pinned
 * first (scores ≥ 998). Points are sorted by score, ties broken by id so the order is stable, and the brief
 * keeps the first `top` after the headline, at most `perDetector` from one detector so that one rich
 * dimension (many regions, many partners) does not crowd out the others.
 */
import type { KeyPoint } from './types.js';

/** Options of {@link rankPoints}. */
export interface RankOptions {
  top?: number;
  perDetector?: number;
}

/**
 * Splits points into those kept (pinned headline first, then by score) and those dropped.
 * @example rankPoints(points, { top: 8 }).kept[0].id // 'headline.exports'
 */
export function rankPoints(points: KeyPoint[], opts: RankOptions = {}): { kept: KeyPoint[]; dropped: KeyPoint[] } {
  const top = opts.top ?? 8;
  const perDetector = opts.perDetector ?? 3;
  const sorted = [...points].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const kept: KeyPoint[] = [];
  const dropped: KeyPoint[] = [];
  const count = new Map<string, number>();
  let others = 0;
  for (const p of sorted) {
    if (p.score >= 998) {
      kept.push(p);
      continue;
    }
    const n = count.get(p.detector) ?? 0;
    if (others < top && n < perDetector) {
      kept.push(p);
      count.set(p.detector, n + 1);
      others++;
    } else dropped.push(p);
  }
  return { kept, dropped };
}

/**
 * Points read from a product extract (solar exports by destination) weigh less than points about all goods:
 * they describe a slice of trade, however large the change.
 */
export const EXTRACT_WEIGHT = 0.8;

/**
 * A score in [floor, ceiling] growing with `x / scale`, saturating: the first units of change count most.
 * @example saturating(2.5, 2.5, 30, 80) // 55
 */
export function saturating(x: number, scale: number, floor: number, ceiling: number): number {
  if (!Number.isFinite(x)) return floor;
  const r = Math.abs(x) / scale;
  return Math.round((floor + (ceiling - floor) * (r / (1 + r))) * 10) / 10;
}
