/**
 * Briefs over HTTP: the same brief as `tradescope brief`, as Markdown, self-contained HTML or JSON (the key
 * points with their numbers and sources).
 *
 * @example GET /api/brief?reporter=CHN&period=ytd:2025-06&lang=zh&format=html
 */
import { createRoute, z } from '@hono/zod-openapi';
import { buildBrief } from '../../brief/compose.js';
import { renderHtml } from '../../brief/render/html.js';
import { renderMarkdown } from '../../brief/render/markdown.js';
import type { Brief, BriefRequest } from '../../brief/types.js';
import { cached, router, type ServerContext } from '../context.js';
import { withTimeout } from '../limits.js';
import { errorResponses, limitResponses } from '../schemas.js';

/** A brief runs a few dozen queries: it gets more time than one query. */
const BRIEF_TIMEOUT_MS = 120_000;

const briefParams = z.strictObject({
  reporter: z.string().min(1).max(64).openapi({ example: 'CHN' }),
  period: z.string().min(1).max(40).openapi({ example: 'ytd:2025-06' }),
  partner: z.string().min(1).max(64).optional(),
  lang: z.enum(['en', 'zh']).default('en'),
  format: z.enum(['md', 'html', 'json']).default('md'),
  top: z.coerce.number().int().min(1).max(30).optional(),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
    .optional()
    .openapi({ description: 'compare with the data as released up to this vintage' }),
});

const briefRoute = createRoute({
  method: 'get',
  path: '/api/brief',
  summary: 'A brief written from the data: ranked key points, every number footnoted with its query, charts',
  request: { query: briefParams },
  responses: {
    200: {
      description: 'the brief',
      content: {
        'text/markdown': { schema: z.string() },
        'text/html': { schema: z.string() },
        'application/json': { schema: z.record(z.string(), z.unknown()) },
      },
    },
    304: { description: 'not modified' },
    ...errorResponses,
    ...limitResponses,
  },
});

/** Briefs built recently, by request: one brief serves its Markdown, HTML and JSON, in both languages. */
const built = new WeakMap<ServerContext, Map<string, Promise<Brief>>>();
const KEEP = 16;

function briefFor(ctx: ServerContext, request: BriefRequest): Promise<Brief> {
  let m = built.get(ctx);
  if (!m) {
    m = new Map();
    built.set(ctx, m);
  }
  const key = JSON.stringify(request);
  let p = m.get(key);
  if (!p) {
    p = withTimeout(buildBrief(ctx.store, request), Math.max(ctx.limits.queryTimeoutMs, BRIEF_TIMEOUT_MS), 'the brief');
    const map = m;
    p.catch(() => map.delete(key));
    m.set(key, p);
    if (m.size > KEEP) m.delete(m.keys().next().value!);
  }
  return p;
}

export function briefRoutes(ctx: ServerContext) {
  const app = router();
  app.openapi(briefRoute, (c) => {
    const q = c.req.valid('query');
    return cached(c, ctx, ['brief', q], async () => {
      const brief = await briefFor(ctx, {
        reporter: q.reporter,
        period: q.period,
        ...(q.partner ? { partner: q.partner } : {}),
        ...(q.top ? { top: q.top } : {}),
        ...(q.since ? { since: q.since } : {}),
      });
      if (q.format === 'json') return JSON.stringify(brief);
      if (q.format === 'html') return { body: renderHtml(brief, q.lang), contentType: 'text/html; charset=utf-8' };
      return { body: renderMarkdown(brief, q.lang), contentType: 'text/markdown; charset=utf-8' };
    }) as never;
  });
  return app;
}
