/**
 * Forecasts and full-year projections of a reporter's monthly series (see src/forecast/).
 *
 * @example GET /api/forecast?reporter=CHN&flow=X&horizon=6
 * @example GET /api/projection?reporter=CHN&measure=balance&year=2025
 */
import { createRoute, z } from '@hono/zod-openapi';
import { projectFullYear } from '../../forecast/projection.js';
import { forecastQuery } from '../../forecast/query-forecast.js';
import { cached, router, type ServerContext } from '../context.js';
import { withTimeout } from '../limits.js';
import { errorResponses, JsonObject, limitResponses } from '../schemas.js';

const common = {
  reporter: z.string().min(1).max(64).default('CHN').openapi({ example: 'CHN' }),
  partner: z.string().min(1).max(64).optional(),
  product: z.string().min(1).max(64).optional(),
  region: z.string().min(1).max(64).optional(),
  flow: z.enum(['X', 'M']).optional().openapi({ description: 'X or M (needed for measure=value)' }),
  measure: z
    .enum(['value', 'balance', 'total'])
    .optional()
    .openapi({ description: 'value (default), balance or total' }),
  through: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'use YYYY-MM')
    .optional()
    .openapi({ description: 'last month of history used (default: the latest loaded)' }),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code')
    .optional(),
  dataset: z.string().min(1).max(64).optional(),
};

const forecastParams = z.strictObject({
  ...common,
  horizon: z.coerce.number().int().min(1).max(36).optional().openapi({ description: 'months ahead (default 12)' }),
});

const projectionParams = z.strictObject({
  ...common,
  year: z.coerce.number().int().min(1900).max(2199).openapi({ example: 2025 }),
  above: z.coerce.number().optional().openapi({ description: 'also report P(full-year total > above)' }),
});

const responses = {
  200: { description: 'the result', content: { 'application/json': { schema: JsonObject } } },
  304: { description: 'not modified' },
  ...errorResponses,
  ...limitResponses,
} as const;

const forecastRoute = createRoute({
  method: 'get',
  path: '/api/forecast',
  summary: 'Monthly forecast with 80 % and 95 % intervals, the model chosen and its warnings',
  request: { query: forecastParams },
  responses,
});

const projectionRoute = createRoute({
  method: 'get',
  path: '/api/projection',
  summary: 'Full-year projection from the months published so far',
  request: { query: projectionParams },
  responses,
});

export function forecastRoutes(ctx: ServerContext) {
  const app = router();
  app.openapi(forecastRoute, (c) => {
    const q = c.req.valid('query');
    const spec = { ...q, measure: q.measure ?? 'value', ...(q.currency ? { currency: q.currency.toUpperCase() } : {}) };
    return cached(c, ctx, ['forecast', spec], async () =>
      JSON.stringify(
        await withTimeout(
          () => forecastQuery(ctx.store, spec),
          ctx.limits.queryTimeoutMs,
          'the forecast',
          ctx.store,
          ctx.limits.maxQueued,
        ),
      ),
    ) as never;
  });
  app.openapi(projectionRoute, (c) => {
    const q = c.req.valid('query');
    const spec = { ...q, measure: q.measure ?? 'value', ...(q.currency ? { currency: q.currency.toUpperCase() } : {}) };
    return cached(c, ctx, ['projection', spec], async () =>
      JSON.stringify(await withTimeout(projectFullYear(ctx.store, spec), ctx.limits.queryTimeoutMs, 'the projection')),
    ) as never;
  });
  return app;
}
