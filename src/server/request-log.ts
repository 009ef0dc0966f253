/**
 * Structured request logs: one JSON object per request (time, method, path, status, duration, cache).
 */
import type { MiddlewareHandler } from 'hono';

export type LogSink = (entry: Record<string, unknown>) => void;

/** One JSON line on stderr. */
export const stderrSink: LogSink = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

/**
 * @example app.use('*', requestLog(stderrSink))
 */
export function requestLog(sink: LogSink): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const url = new URL(c.req.url);
    sink({
      time: new Date().toISOString(),
      level: c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'warn' : 'info',
      method: c.req.method,
      path: url.pathname,
      query: url.search.length > 1 ? url.search.slice(1, 500) : undefined,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      cache: c.res.headers.get('x-cache') ?? undefined,
      bytes: Number(c.res.headers.get('content-length')) || undefined,
    });
  };
}
