/**
 * Results of read-only queries kept by key, least recently used dropped first. The server's store does not
 * change while it runs (it only reads), so a result for a given spec never goes stale; the ETag carries the
 * store's fingerprint so a restart on new data changes every tag.
 *
 * @example
 * const cache = new ResultCache(100);
 * const hit = await cache.get('k', async () => ({ body: '{}', contentType: 'application/json' }));
 */
import { createHash } from 'node:crypto';

export interface CachedBody {
  body: string;
  contentType: string;
  etag: string;
}

export class ResultCache {
  private readonly entries = new Map<string, CachedBody>();
  private readonly pending = new Map<string, Promise<CachedBody>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly capacity: number,
    private readonly fingerprint = '',
  ) {}

  /** The cached body for `key`, or the one `make` produces (computed once even when asked concurrently). */
  async get(key: string, make: () => Promise<{ body: string; contentType: string }>): Promise<CachedBody> {
    const found = this.entries.get(key);
    if (found) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const running = this.pending.get(key);
    if (running) return running;
    this.misses++;
    const p = make()
      .then(({ body, contentType }) => {
        const entry = { body, contentType, etag: etagOf(this.fingerprint, body) };
        if (this.capacity > 0) {
          this.entries.set(key, entry);
          if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
        }
        return entry;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): number {
    const n = this.entries.size;
    this.entries.clear();
    return n;
  }
}

/** A strong ETag over the store fingerprint and the body. */
export function etagOf(fingerprint: string, body: string): string {
  return `"${createHash('sha1').update(fingerprint).update('\0').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Canonical JSON (sorted keys) so equal specs share one cache entry. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
