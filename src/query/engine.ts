/**
 * The query engine: every entry point (CLI, library, HTTP, dashboard, briefs, forecasts) asks through
 * {@link query}, which goes `spec → plan → evaluate → result`:
 *
 * 1. `validateSpec` checks the spec, naming each field (`spec.ts`);
 * 2. `resolveSpec` resolves its codes (reporter, region, partner or group, product or basket) without a store;
 * 3. `gatherCatalog` reads what the plan needs to know about the store (`catalog.ts`);
 * 4. `planQuery` decides, without a store, which dataset answers and why, how the partner and product are read,
 *    which windows and what conversions (`plan.ts`; shown by `tradescope query --explain`);
 * 5. `evaluate` runs the plan: one aggregate request, then the measures in exact decimals (`evaluate.ts`,
 *    `measures/`).
 */
import type { TradeStore } from '../store/store.js';
import { gatherCatalog } from './catalog.js';
import { evaluate } from './evaluate.js';
import { planQuery, type QueryPlan } from './plan.js';
import { resolveSpec } from './resolve.js';
import type { QueryResult } from './result.js';
import { type QuerySpecInput, validateSpec } from './spec.js';

export type { AnsweredSpec, Basis, Cell, QueryResult } from './result.js';

/** The plan of a query spec on a store (what `--explain` prints), without running it. */
export async function planFor(store: TradeStore, input: QuerySpecInput | unknown): Promise<QueryPlan> {
  const resolved = resolveSpec(validateSpec(input));
  const plan = planQuery(resolved, await gatherCatalog(store, resolved));
  // the table that will answer, as the store chooses it (a rollup when one holds the cells asked)
  if (plan.kind === 'cube') plan.answeredBy = store.answeringTable?.(plan.request) ?? 'facts';
  return plan;
}

/**
 * Runs a query spec against a store.
 * @example await query(store, { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 })
 */
export async function query(store: TradeStore, input: QuerySpecInput | unknown): Promise<QueryResult> {
  return evaluate(await planFor(store, input), store);
}
