/**
 * `GET /api/views`: what the dashboard can show for a reporter (see {@link viewsPlan}).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { cached, router, type ServerContext } from '../context.js';
import { errorResponses, JsonObject } from '../schemas.js';
import { viewsPlan } from '../views-plan.js';

const route = createRoute({
  method: 'get',
  path: '/api/views',
  summary: 'Which dataset answers each dashboard view for a reporter, and what is missing',
  request: {
    query: z.strictObject({ reporter: z.string().min(1).max(64).default('CHN').openapi({ example: 'CHN' }) }),
  },
  responses: {
    200: { description: 'the plan', content: { 'application/json': { schema: JsonObject } } },
    304: { description: 'not modified' },
    ...errorResponses,
  },
});

export function viewsRoutes(ctx: ServerContext) {
  const app = router();
  app.openapi(route, (c) => {
    const { reporter } = c.req.valid('query');
    return cached(c, ctx, ['views', reporter.toUpperCase()], async () =>
      JSON.stringify(await viewsPlan(ctx.store, reporter)),
    ) as never;
  });
  return app;
}
