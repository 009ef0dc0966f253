/**
 * The HTTP app: read-only endpoints over a store, the OpenAPI description generated from the schemas that
 * validate the requests, and the dashboard. One file per area under `routes/`, mounted here.
 *
 * @example
 * const store = await openStore('./tradescope.duckdb');
 * const { app } = await createApp(store, { log: null });
 * const res = await app.request('/api/query?reporter=CHN&period=ytd:2025-06&compare=yoy');
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TradeStore } from '../store/store.js';
import { createContext, router, type ServerContext } from './context.js';
import { errorResponse } from './http-error.js';
import type { ServerOptions } from './options.js';
import { requestLog, stderrSink } from './request-log.js';
import { adminRoutes } from './routes/admin.js';
import { briefRoutes } from './routes/brief.js';
import { catalogRoutes } from './routes/catalog.js';
import { dataRoutes } from './routes/data.js';
import { forecastRoutes } from './routes/forecast.js';
import { queryRoutes } from './routes/query.js';
import { viewsRoutes } from './routes/views.js';
import { defaultWebRoot, mountDashboard } from './static.js';

export const API_VERSION = '1.0.0';

export async function createApp(
  store: TradeStore,
  options: ServerOptions = {},
): Promise<{ app: OpenAPIHono; ctx: ServerContext }> {
  const ctx = await createContext(store, options);
  const app = router();
  const log = options.log === undefined ? stderrSink : options.log;
  if (log) app.use('*', requestLog(log));
  app.onError((e, c) =>
    errorResponse(c, e, (err) =>
      (log ?? stderrSink)({
        time: new Date().toISOString(),
        level: 'error',
        path: c.req.path,
        error: String((err as Error)?.stack ?? err),
      }),
    ),
  );
  app.notFound((c) =>
    c.json(
      {
        error: `no such endpoint: ${c.req.path}`,
        problems: [
          {
            code: 'not-found',
            severity: 'error',
            message: `no such endpoint: ${c.req.method} ${c.req.path} (see /openapi.json)`,
          },
        ],
      },
      404,
    ),
  );

  app.get('/api/health', (c) => c.json({ ok: true, store: store.location, fingerprint: ctx.fingerprint }));
  app.route('/', queryRoutes(ctx));
  app.route('/', catalogRoutes(ctx));
  app.route('/', dataRoutes(ctx));
  app.route('/', viewsRoutes(ctx));
  app.route('/', forecastRoutes(ctx));
  app.route('/', briefRoutes(ctx));
  app.route('/', adminRoutes(ctx));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'tradescope API',
      version: API_VERSION,
      description:
        'Read-only access to a tradescope store: the query model, dimensions, HS lookup, baskets, partner groups, ' +
        'countries, datasets, vintages, quarantine, forecasts. Money is exact decimal text in base units.',
    },
  });
  mountDashboard(app, options.webRoot ?? defaultWebRoot());
  return { app, ctx };
}
