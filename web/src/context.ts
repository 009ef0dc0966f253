/**
 * What every view gets: the state, the plan of which dataset answers which view, and names.
 */
import type { Lang } from '../../src/i18n/format.js';
import type { ViewsPlan } from '../../src/server/views-plan.js';
import type { ViewState } from './state.js';

// the plan's shape is the server's own (a type only: nothing of the server is bundled)
export type { DatasetRef, ViewsPlan } from '../../src/server/views-plan.js';

export interface Ctx {
  state: ViewState;
  plan: ViewsPlan;
  lang: Lang;
  /** Area code → name in the current language. */
  area(code: string): string;
  /** Region code → name in the current language. */
  region(code: string): string;
  /** Changes the state (and the URL); redraws unless `redraw` is false. */
  update(patch: Partial<ViewState>, redraw?: boolean): void;
}

/** The `currency` query parameter: omitted when the source is already in it (exact values). */
export function currencyParam(ctx: Ctx, source: string): string | undefined {
  return ctx.state.currency === source ? undefined : ctx.state.currency;
}

export const yearOf = (period: string) => Number(period.slice(0, 4));

/** The last full calendar year of a dataset ending in `last` (YYYY-MM). */
export function lastFullYear(last: string): number {
  return last.endsWith('-12') ? yearOf(last) : yearOf(last) - 1;
}
