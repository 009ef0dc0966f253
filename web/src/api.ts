/**
 * Calls to the tradescope API, cached per URL for the life of the page.
 */

export type Cell = string | number | null;

export interface QueryResult {
  provenance: { dataset: string; currency: string; sourceCurrency: string; datasetNote: string | null };
  columns: string[];
  rows: Record<string, Cell>[];
  notes: { message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, Promise<unknown>>();

export function getJson<T>(path: string): Promise<T> {
  let p = cache.get(path);
  if (!p) {
    p = fetch(path).then(async (res) => {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) throw new ApiError(res.status, body.error ?? `${res.status} ${res.statusText}`);
      return body;
    });
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p as Promise<T>;
}

/** GET /api/query with the CLI's flag names. */
export function q(params: Record<string, string | number | undefined>): Promise<QueryResult> {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  return getJson<QueryResult>(`/api/query?${s.toString()}`);
}

/** Number of a decimal text (for charts only; exact text is kept for the tiles). */
export function num(v: Cell | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
