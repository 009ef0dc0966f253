/**
 * Admin endpoints, behind a bearer token (`tradescope serve --token`, or `TRADESCOPE_TOKEN`). Without a
 * configured token they answer 403: the server is read-only by default.
 */

import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { router, type ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { ErrorSchema } from '../schemas.js';

const clear = createRoute({
  method: 'post',
  path: '/api/admin/cache/clear',
  summary: 'Drop the cached results (admin; bearer token)',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'how many entries were dropped',
      content: { 'application/json': { schema: z.object({ cleared: z.number() }) } },
    },
    401: { description: 'missing or wrong token', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'no admin token configured', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const stats = createRoute({
  method: 'get',
  path: '/api/admin/stats',
  summary: 'Cache and limit statistics (admin; bearer token)',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'statistics', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    401: { description: 'missing or wrong token', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'no admin token configured', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/** Checks `Authorization: Bearer <token>` in constant time. */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token)
      throw new HttpError(403, 'admin endpoints are disabled', [
        {
          code: 'admin-disabled',
          severity: 'error',
          message: 'start the server with --token (or TRADESCOPE_TOKEN) to enable admin endpoints',
        },
      ]);
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      c.header('www-authenticate', 'Bearer');
      throw new HttpError(401, 'missing or wrong bearer token', [
        { code: 'unauthorized', severity: 'error', message: 'send Authorization: Bearer <token>' },
      ]);
    }
    await next();
  };
}

export function adminRoutes(ctx: ServerContext) {
  const app = router();
  app.use('/api/admin/*', requireToken(ctx.adminToken));
  app.openapi(clear, (c) => c.json({ cleared: ctx.cache.clear() }, 200));
  app.openapi(stats, (c) =>
    c.json(
      {
        cache: { entries: ctx.cache.size, hits: ctx.cache.hits, misses: ctx.cache.misses },
        limits: ctx.limits,
        fingerprint: ctx.fingerprint,
        memory: process.memoryUsage(),
      },
      200,
    ),
  );
  return app;
}
