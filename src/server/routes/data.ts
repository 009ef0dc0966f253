/**
 * What the store holds: datasets with their vintages and coverage, the loads, and quarantined records.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { cached, router, type ServerContext } from '../context.js';
import { errorResponses, JsonList, JsonObject } from '../schemas.js';
import { notFound } from './catalog.js';

const ok = (description: string, schema: z.ZodType = JsonObject) => ({
  200: { description, content: { 'application/json': { schema } } },
  304: { description: 'not modified' },
  ...errorResponses,
});

const datasetId = z.string().min(1).max(64).openapi({ example: 'gacc-region-monthly' });

const routes = {
  datasets: createRoute({
    method: 'get',
    path: '/api/datasets',
    summary: 'Datasets in the store: vintages, rows, periods, reporters, partners, regions, flows, currency',
    responses: ok('datasets and the declared precedence'),
  }),
  vintages: createRoute({
    method: 'get',
    path: '/api/datasets/{id}/vintages',
    summary: "A dataset's loads: vintage, file, rows loaded and quarantined",
    request: { params: z.object({ id: datasetId }) },
    responses: ok('loads, oldest first', JsonList),
  }),
  quarantine: createRoute({
    method: 'get',
    path: '/api/quarantine',
    summary: 'Rejected records with file, line, field, raw value and reason',
    request: {
      query: z.strictObject({
        dataset: datasetId.optional(),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(10_000)
          .optional()
          .openapi({ description: 'at most n rows (default 1000)' }),
      }),
    },
    responses: ok('quarantined records', JsonList),
  }),
};

export function dataRoutes(ctx: ServerContext) {
  const app = router();
  app.openapi(
    routes.datasets,
    (c) =>
      cached(c, ctx, ['datasets'], async () =>
        JSON.stringify({ precedence: await ctx.store.precedence(), datasets: await ctx.store.datasets() }),
      ) as never,
  );
  app.openapi(routes.vintages, async (c) => {
    const { id } = c.req.valid('param');
    const loads = await ctx.store.loads(id);
    if (!loads.length) throw notFound('unknown-dataset', `unknown dataset: ${id}`, id, 'list them with /api/datasets');
    return cached(c, ctx, ['vintages', id], async () => JSON.stringify(loads)) as never;
  });
  app.openapi(routes.quarantine, async (c) => {
    const q = c.req.valid('query');
    if (q.dataset && !(await ctx.store.datasets()).some((d) => d.dataset === q.dataset))
      throw notFound('unknown-dataset', `unknown dataset: ${q.dataset}`, q.dataset, 'list them with /api/datasets');
    return cached(c, ctx, ['quarantine', q], async () =>
      JSON.stringify(
        await ctx.store.quarantine({ ...(q.dataset ? { dataset: q.dataset } : {}), limit: q.limit ?? 1000 }),
      ),
    ) as never;
  });
  return app;
}
