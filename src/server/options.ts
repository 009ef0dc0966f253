/**
 * Server settings, with the defaults `tradescope serve` uses.
 */

export interface ServerLimits {
  /** Most rows a query may return (413 above). */
  maxRows: number;
  /** Longest a query may run, in milliseconds (408 after). */
  queryTimeoutMs: number;
  /** Largest request body (a POSTed spec), in bytes (413 above). */
  maxBodyBytes: number;
  /** Results kept in memory (least recently used dropped first). */
  cacheEntries: number;
  /** Queries computing or waiting for the store at once; one more is a 503 with Retry-After (the queue is full). */
  maxQueued: number;
}

export interface ServerOptions {
  limits?: Partial<ServerLimits>;
  /** Bearer token for admin endpoints; without one they answer 403. */
  adminToken?: string;
  /** Folder of the built dashboard (default: `dist/web` of the package). */
  webRoot?: string;
  /** Where request logs go (default: one JSON line per request on stderr). Pass `null` to silence. */
  log?: ((entry: Record<string, unknown>) => void) | null;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxRows: 10_000,
  queryTimeoutMs: 15_000,
  maxBodyBytes: 16 * 1024,
  cacheEntries: 1000,
  maxQueued: 32,
};
