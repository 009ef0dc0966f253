/**
 * What every route needs: the store, the limits, the result cache and how to answer with cache headers.
 */
import { createHash } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TradeStore } from '../store/store.js';
import type { HandoverStore } from './handover-store.js';
import { type ErrorBody, zodProblems } from './http-error.js';
import { DEFAULT_LIMITS, type ServerLimits, type ServerOptions } from './options.js';
import { type CachedBody, canonicalJson, ResultCache } from './result-cache.js';
import { type SerializedStore, serializedStore } from './serialized-store.js';

export interface ServerContext {
  /** The store, one call at a time; `drain()` waits for the calls queued. */
  store: SerializedStore;
  limits: ServerLimits;
  cache: ResultCache;
  /** Changes whenever the store's committed loads change (restart on new data → new ETags). */
  fingerprint: string;
  adminToken?: string;
}

/** Builds the context: the fingerprint is read once, since the server only reads the store. */
export async function createContext(raw: TradeStore, options: ServerOptions = {}): Promise<ServerContext> {
  const store = serializedStore(raw);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const loads = await store.loads();
  const fingerprint = createHash('sha1')
    .update(store.location)
    .update(JSON.stringify(loads.map((l) => [l.loadId, l.dataset, l.vintage, l.contentHash, l.committedAt])))
    .digest('hex')
    .slice(0, 16);
  const cache = new ResultCache(limits.cacheEntries, fingerprint);
  // a store handed over to a writer comes back with new loads: cached answers are dropped
  const handover = raw as Partial<HandoverStore>;
  if (typeof handover.handovers === 'number') handover.onReopen = () => cache.clear();
  return {
    store,
    limits,
    cache,
    fingerprint,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  };
}

/** A router whose failed request schemas answer 400 with one problem per issue. */
export function router(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : 'query';
        const problems = zodProblems(result.error as never, where);
        return c.json(
          { error: `invalid request: ${problems.map((p) => p.message).join('; ')}`, problems } satisfies ErrorBody,
          400,
        );
      }
      return undefined;
    },
  });
}

/**
 * Answers from the cache (computing on a miss) with an ETag; 304 when the client already has it.
 * @example return cached(c, ctx, ['countries'], async () => JSON.stringify(list))
 */
export async function cached(
  c: Context,
  ctx: ServerContext,
  key: unknown,
  make: () => Promise<string | { body: string; contentType: string }>,
  cacheControl = 'public, max-age=60, must-revalidate',
): Promise<Response> {
  const hitsBefore = ctx.cache.hits;
  const entry = await ctx.cache.get(canonicalJson(key), async () => {
    const made = await make();
    return typeof made === 'string' ? { body: made, contentType: 'application/json; charset=utf-8' } : made;
  });
  return send(c, entry, cacheControl, ctx.cache.hits > hitsBefore ? 'hit' : 'miss');
}

export function send(c: Context, entry: CachedBody, cacheControl: string, cache: string): Response {
  const headers: Record<string, string> = {
    etag: entry.etag,
    'cache-control': cacheControl,
    'x-cache': cache,
  };
  const inm = c.req.header('if-none-match');
  if (inm?.split(',').some((t) => t.trim() === entry.etag || t.trim() === `W/${entry.etag}`)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(entry.body, { status: 200, headers: { ...headers, 'content-type': entry.contentType } });
}
