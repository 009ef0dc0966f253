/**
 * The query model over HTTP: `GET /api/query` with the `tradescope query` flag names, `POST /api/query` with a
 * whole spec (the same zod schema the engine validates with). Results are cached by their validated spec.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csvText } from '../../cli/format.js';
import { query } from '../../query/engine.js';
import { querySpecSchema, validateSpec } from '../../query/spec.js';
import { cached, router, type ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { withTimeout } from '../limits.js';
import { queryParamsSchema, specFromParams } from '../query-params.js';
import { errorResponses, limitResponses, QueryResultSchema } from '../schemas.js';

const okResponse = {
  200: {
    description:
      'the result: columns, rows (exact decimal text), provenance and notes; or CSV with format=csv; or SDMX-CSV 2.0 with format=sdmx-csv',
    content: {
      'application/json': { schema: QueryResultSchema },
      'text/csv': { schema: z.string() },
      'application/vnd.sdmx.data+csv; version=2.0.0': { schema: z.string() },
    },
  },
  304: { description: 'not modified (If-None-Match matched the ETag)' },
  ...errorResponses,
  ...limitResponses,
} as const;

const getQuery = createRoute({
  method: 'get',
  path: '/api/query',
  summary: 'Run a query given as `tradescope query` flags',
  description:
    'Parameters carry the same names and syntax as the CLI flags (`by=year,partner`, `measure=value,share`). ' +
    'Invalid values give 400 with one problem per field.',
  request: { query: queryParamsSchema },
  responses: okResponse,
});

const postQuery = createRoute({
  method: 'post',
  path: '/api/query',
  summary: 'Run a query spec',
  description: 'The body is a query spec, validated by the schema shown (unknown fields are rejected).',
  request: { body: { content: { 'application/json': { schema: querySpecSchema } }, required: true } },
  responses: okResponse,
});

export function queryRoutes(ctx: ServerContext) {
  const app = router();
  const limit = bodyLimit({
    maxSize: ctx.limits.maxBodyBytes,
    onError: () => {
      throw new HttpError(413, `request body larger than ${ctx.limits.maxBodyBytes} bytes`, [
        {
          code: 'body-too-large',
          severity: 'error',
          message: `a query spec may be at most ${ctx.limits.maxBodyBytes} bytes`,
        },
      ]);
    },
  });
  app.use('/api/query', async (c, next) => (c.req.method === 'POST' ? limit(c, next) : next()));
  app.openapi(getQuery, async (c) => {
    const params = c.req.valid('query');
    return runQuery(c, ctx, specFromParams(params), params.format ?? 'json') as never;
  });
  app.openapi(postQuery, async (c) => runQuery(c, ctx, c.req.valid('json'), 'json') as never);
  return app;
}

/** Validates, answers from the cache or the engine within the limits, and sends JSON or CSV. */
export async function runQuery(
  c: Context,
  ctx: ServerContext,
  input: unknown,
  format: 'json' | 'csv' | 'sdmx-csv',
): Promise<Response> {
  const spec = validateSpec(input);
  if (spec.asOf && !isCalendarDate(spec.asOf)) {
    throw new HttpError(400, `asOf: not a calendar date: ${spec.asOf}`, [
      {
        code: 'bad-date',
        severity: 'error',
        message: `asOf: not a calendar date: ${spec.asOf} (use YYYY-MM-DD, e.g. 2025-07-15)`,
        at: { field: 'asOf' },
        value: spec.asOf,
      },
    ]);
  }
  return cached(c, ctx, ['query', format, spec], async () => {
    const result = await withTimeout(
      () => query(ctx.store, spec),
      ctx.limits.queryTimeoutMs,
      'the query',
      ctx.store,
      ctx.limits.maxQueued,
    );
    if (result.rows.length > ctx.limits.maxRows) {
      throw new HttpError(413, `result has ${result.rows.length} rows, more than the limit of ${ctx.limits.maxRows}`, [
        {
          code: 'too-many-rows',
          severity: 'error',
          message: `result has ${result.rows.length} rows, more than the server's limit of ${ctx.limits.maxRows}: add top, narrow the period or drill down less`,
        },
      ]);
    }
    if (format === 'sdmx-csv') {
      const { sdmxCsv } = await import('../../export/sdmx-csv.js');
      return { body: sdmxCsv(result), contentType: 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8' };
    }
    if (format === 'csv') {
      return {
        body: csvText(
          result.columns,
          result.rows.map((r) => result.columns.map((col) => r[col] ?? null)),
        ),
        contentType: 'text/csv; charset=utf-8',
      };
    }
    return JSON.stringify(result);
  });
}

/** `2025-02-29` is not a date although it has the shape of one. */
function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
