/**
 * Query parameters as a user types them — the `tradescope query` flags and the `GET /api/query` parameters,
 * which share their names (`reporter`, `period`, `by`, `measure`, `fx-series`, `as-of`, `region-level` …) — mapped
 * to one query spec. Both entry points go through {@link specFromParams}, so the same words give the same answer.
 *
 * Without `measure`, a query asks for the headline: exports and imports (or the one flow asked), the balance and
 * total trade when both flows are read, YoY against the same window a year earlier, and with `by month` each
 * month's year to date.
 *
 * @example specFromParams({ reporter: 'CHN', period: 'ytd:2025-06' })
 * // { reporter: 'CHN', period: 'ytd:2025-06', measures: ['value', 'balance', 'total'], compare: 'yoy' }
 */
import { type Problem, UserError } from '../util/errors.js';
import type { QuerySpecInput } from './spec.js';

export const QUERY_PARAM_NAMES = [
  'reporter',
  'partner',
  'region',
  'region-level',
  'flow',
  'period',
  'by',
  'product',
  'currency',
  'fx-series',
  'measure',
  'compare',
  'base',
  'top',
  'dataset',
  'as-of',
] as const;
export type QueryParamName = (typeof QUERY_PARAM_NAMES)[number];
export type QueryParamValues = Partial<Record<QueryParamName, string>>;

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The spec the parameters describe, laid over `base` (a `--spec` file's fields); not yet validated: the engine
 * does that, naming each field, so a bad value gets the same problem on every entry point.
 */
export function specFromParams(p: QueryParamValues, base: Record<string, unknown> = {}): QuerySpecInput {
  const spec: Record<string, unknown> = { ...base };
  if (p.reporter !== undefined) spec.reporter = p.reporter;
  if (p.partner !== undefined) spec.partner = p.partner;
  if (p.region !== undefined) spec.region = p.region;
  if (p.flow !== undefined) spec.flow = list(p.flow.toUpperCase());
  if (p.product !== undefined) spec.product = p.product;
  if (p.period !== undefined) spec.period = p.period;
  if (p.measure !== undefined) spec.measures = list(p.measure);
  if (p.compare !== undefined) spec.compare = p.compare;
  if (p.base !== undefined) spec.base = p.base;
  if (p.by !== undefined) spec.by = list(p.by);
  if (p.top !== undefined) {
    const top = p.top.trim();
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > 10_000) {
      const message = `top: ${JSON.stringify(p.top)} is not a count (a whole number from 1 to 10000)`;
      throw new UserError(`--${message}`, [
        { code: 'bad-spec', severity: 'error', message, at: { field: 'top' }, value: p.top },
      ]);
    }
    spec.top = Number(top);
  }
  if (p.currency !== undefined) spec.currency = p.currency;
  if (p['fx-series'] !== undefined) spec.fxSeries = p['fx-series'];
  if (p['as-of'] !== undefined) spec.asOf = p['as-of'];
  if (p.dataset !== undefined) spec.dataset = p.dataset;
  if (p['region-level'] !== undefined) {
    // every region one level below --region (the provinces without one), with the rest as its own row
    const level = p['region-level'];
    if (level !== 'province' && level !== 'city') {
      const problem: Problem = {
        code: 'bad-spec',
        severity: 'error',
        message: `region-level: ${level} (use province or city)`,
        at: { field: 'region-level' },
        value: level,
      };
      throw new UserError(`--region-level: ${level} (use province or city)`, [problem]);
    }
    const by = Array.isArray(spec.by) ? (spec.by as string[]) : [];
    if (!by.includes('region')) spec.by = [...by, 'region'];
  }
  if (spec.measures === undefined) Object.assign(spec, headline(spec));
  return spec as QuerySpecInput;
}

/** The headline measures of a query that names none (see the top of this file). */
function headline(spec: Record<string, unknown>): Record<string, unknown> {
  const flows = Array.isArray(spec.flow) ? (spec.flow as string[]) : ['X', 'M'];
  const by = Array.isArray(spec.by) ? (spec.by as string[]) : [];
  const bothFlows = flows.includes('X') && flows.includes('M');
  const measures = bothFlows ? ['value', 'balance', 'total'] : ['value'];
  if (by.includes('month')) measures.push('ytd');
  return { measures, ...(spec.compare === undefined ? { compare: 'yoy' } : {}) };
}
