/**
 * What every detector returns, and small helpers detectors share. A detector is one module under
 * `detectors/`: it asks the query model (through {@link BriefContext}) and turns answers into key points,
 * or says what it cannot say when the data it needs is not loaded.
 */
import type { Lang } from '../i18n/format.js';
import type { BriefContext } from './context.js';
import { areaName } from './names.js';
import type { BriefChart, KeyPoint, Missing } from './types.js';

/** The output of a detector. */
export interface Detected {
  points: KeyPoint[];
  missing: Missing[];
  charts?: BriefChart[];
}

/** A detector: one module, one kind of key point. */
export interface Detector {
  id: string;
  detect(ctx: BriefContext): Promise<Detected>;
}

/** An empty result with one missing note. */
export function silentWith(detector: string, en: string, zh: string): Detected {
  return { points: [], missing: [{ detector, text: { en, zh } }] };
}

/** "China's" / "中国" for the reporter of the brief. */
export function reporterPossessive(ctx: BriefContext, lang: Lang): string {
  const n = areaName(ctx.request.reporter, lang);
  if (lang === 'zh') return n;
  const cap = n.charAt(0).toUpperCase() + n.slice(1);
  return cap.endsWith('s') ? `${cap}'` : `${cap}'s`;
}

/** Clamps x to [0, 1]. */
export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/** A decimal text as a float, for scores and charts only (never for numbers shown in text). */
export const approx = (text: string | undefined | null): number => (text ? Number(text) : Number.NaN);
