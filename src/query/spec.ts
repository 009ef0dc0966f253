/**
 * The query spec: a typed, JSON-serialisable description of one question, validated with problems that
 * name the field before anything runs. Vocabulary after OLAP servers in this field (drilldowns, cuts,
 * measures, top-N, growth).
 *
 * @example
 * { "reporter": "CHN", "period": "2022", "flow": ["X"], "by": ["partner"], "measures": ["value", "share"], "top": 5 }
 */
import { z } from 'zod';
import { tryParsePeriod } from '../model/period.js';
import { type Problem, UserError } from '../util/errors.js';

export const MEASURES = [
  'value',
  'balance',
  'total',
  'share',
  'contribution',
  'mirror',
  'revision',
  'hhi',
  'records',
  'unit_value',
  'rca',
  'forecast',
  'ytd',
] as const;
export type Measure = (typeof MEASURES)[number];

export const DRILLDOWNS = [
  'partner',
  'product',
  'hs2',
  'hs4',
  'hs6',
  'region',
  'flow',
  'month',
  'quarter',
  'year',
] as const;
export type Drilldown = (typeof DRILLDOWNS)[number];

const code = z.string().trim().min(1).max(64);

export const querySpecSchema = z
  .object({
    reporter: code,
    partner: code.optional(),
    region: code.optional(),
    flow: z
      .array(z.enum(['X', 'M', 'RX', 'RM']))
      .min(1)
      .optional(),
    product: code.optional(),
    /** The window asked; without one, the latest in the data (a full year, else the year to date). */
    period: z.string().trim().min(1).optional(),
    measures: z.array(z.enum(MEASURES)).min(1).default(['value']),
    compare: z.enum(['yoy', 'mom', 'prev']).optional(),
    /** Monthly YoY base: the month as first published, or as revised (from cumulative figures). */
    base: z.enum(['first-published', 'revised']).default('first-published'),
    by: z.array(z.enum(DRILLDOWNS)).default([]),
    top: z.number().int().positive().max(10_000).optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .optional(),
    fxSeries: code.optional(),
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    dataset: code.optional(),
  })
  .strict();

export type QuerySpec = z.output<typeof querySpecSchema>;
export type QuerySpecInput = z.input<typeof querySpecSchema>;

/**
 * Validates a spec, collecting every problem (field, message, value) before throwing one UserError.
 * @example validateSpec({ reporter: 'CHN', period: 'ytd:2025-06' })
 */
export function validateSpec(input: unknown): QuerySpec {
  const parsed = querySpecSchema.safeParse(input);
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.') || '(spec)';
      const value = valueAt(input, issue.path);
      problems.push({
        code: 'bad-spec',
        severity: 'error',
        message: `${field}: ${issue.message}`,
        at: { field },
        ...(value !== undefined ? { value: typeof value === 'string' ? value : JSON.stringify(value) } : {}),
      });
    }
    throw new UserError(`invalid query spec: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  const spec = parsed.data;
  const period = spec.period === undefined ? undefined : tryParsePeriod(spec.period);
  if (typeof period === 'string') {
    problems.push({
      code: 'bad-period',
      severity: 'error',
      message: `period: ${period}`,
      at: { field: 'period' },
      value: spec.period,
    });
  }
  if (spec.asOf !== undefined && !isCalendarDate(spec.asOf)) {
    problems.push({
      code: 'bad-date',
      severity: 'error',
      message: `asOf: ${spec.asOf} is not a calendar date`,
      at: { field: 'asOf' },
      value: spec.asOf,
    });
  }
  const periodDims = spec.by.filter((d) => d === 'month' || d === 'quarter' || d === 'year');
  if (periodDims.length > 1) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: `by: one period drilldown at most (${periodDims.join(', ')})`,
      at: { field: 'by' },
    });
  }
  const productDims = spec.by.filter((d) => d === 'product' || d.startsWith('hs'));
  if (productDims.length > 1) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: `by: one product level at most (${productDims.join(', ')})`,
      at: { field: 'by' },
    });
  }
  if (
    spec.compare === 'mom' &&
    period !== undefined &&
    typeof period !== 'string' &&
    period.start !== period.end &&
    !periodDims.includes('month')
  ) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'compare: mom needs a month window or --by month',
      at: { field: 'compare' },
      value: 'mom',
    });
  }
  if (
    spec.measures.includes('contribution') &&
    !spec.by.some((d) => !['month', 'quarter', 'year', 'flow'].includes(d))
  ) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: contribution needs a drilldown to contribute (by partner, product, hs2…, region)',
      at: { field: 'measures' },
    });
  }
  if (spec.measures.includes('hhi') && !spec.by.some((d) => d === 'partner' || d === 'product' || d.startsWith('hs'))) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: hhi needs a drilldown by partner or product',
      at: { field: 'measures' },
    });
  }
  if (spec.measures.includes('records') && !spec.by.some((d) => d === 'month' || d === 'quarter' || d === 'year')) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: records need a period drilldown (by month, quarter or year) over the history to compare with',
      at: { field: 'measures' },
    });
  }
  if (spec.measures.includes('rca') && !spec.by.some((d) => d === 'product' || d.startsWith('hs'))) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: rca needs a product drilldown (by product, hs2, hs4 or hs6)',
      at: { field: 'measures' },
    });
  }
  if (spec.measures.includes('unit_value') && !spec.compare) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: unit_value needs --compare (the price/volume split is between two windows)',
      at: { field: 'compare' },
    });
  }
  if (spec.measures.includes('mirror') && !spec.partner) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: mirror needs a partner',
      at: { field: 'partner' },
    });
  }
  if (spec.measures.includes('forecast')) {
    const others = spec.measures.filter((m) => m !== 'forecast');
    if (others.some((m) => !['value', 'balance', 'total'].includes(m)) || others.length > 1) {
      problems.push({
        code: 'bad-spec',
        severity: 'error',
        message: 'measures: forecast goes alone, or with one of value, balance, total (the series to forecast)',
        at: { field: 'measures' },
      });
    }
    if (spec.by.some((d) => d !== 'month') || spec.compare || spec.top) {
      problems.push({
        code: 'bad-spec',
        severity: 'error',
        message: 'forecast: one monthly series, month by month over the period (no by, compare or top)',
        at: { field: spec.by.length ? 'by' : spec.compare ? 'compare' : 'top' },
      });
    }
    if ((spec.flow?.length ?? 0) > 1 && !others.some((m) => m === 'balance' || m === 'total')) {
      problems.push({
        code: 'bad-spec',
        severity: 'error',
        message: 'forecast: one flow (X or M), or the balance or total of both',
        at: { field: 'flow' },
      });
    }
  }
  if (spec.measures.includes('ytd') && !periodDims.includes('month')) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: 'measures: ytd is the year to date through each month: it needs --by month',
      at: { field: 'measures' },
    });
  }
  if (spec.period === undefined && spec.measures.some((m) => m === 'mirror' || m === 'forecast')) {
    problems.push({
      code: 'bad-spec',
      severity: 'error',
      message: `period: ${spec.measures.includes('mirror') ? 'mirror' : 'forecast'} needs a period`,
      at: { field: 'period' },
    });
  }
  if (problems.length)
    throw new UserError(`invalid query spec: ${problems.map((p) => p.message).join('; ')}`, problems);
  return spec;
}

/** True for an ISO date that exists (2024-02-29 yes, 2025-02-29 no). */
function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
