/**
 * What changed since a previous release: the kept points' numbers re-read with the data as released up to
 * `since` (the query model's `asOf`), reporting revised figures and points that are new.
 */
import type { BriefContext } from './context.js';
import type { KeyPoint } from './types.js';

export async function whatChanged(_ctx: BriefContext, _points: KeyPoint[], _since: string): Promise<KeyPoint[]> {
  return [];
}
