/**
 * Test helpers for detectors: run one detector on a store and read its points as text.
 * (Used by the tests beside each detector; not part of the library.)
 */
import type { TradeStore } from '../store/store.js';
import { BriefContext } from './context.js';
import type { Detected, Detector } from './detector.js';
import { pointText } from './render/common.js';
import type { BriefRequest, KeyPoint, Lang } from './types.js';

/** Runs one detector; returns its output, the context, and a lookup of point text by id and language. */
export async function runDetector(store: TradeStore, d: Detector, request: BriefRequest) {
  const ctx = new BriefContext(store, request);
  const out: Detected = await d.detect(ctx);
  const text = (id: string, lang: Lang = 'en'): string => {
    const p = out.points.find((x) => x.id === id);
    if (!p) throw new Error(`no point ${id}; points: ${out.points.map((x) => x.id).join(', ')}`);
    return pointText(p, lang);
  };
  const point = (id: string): KeyPoint => out.points.find((x) => x.id === id)!;
  return { out, ctx, text, point };
}
