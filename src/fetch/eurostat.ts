/**
 * Downloads Eurostat Comext monthly bulk files (`full_v2_YYYYMM.7z`) politely: one request at a time, a
 * User-Agent that names tradescope, a cache (a month already downloaded is not fetched again), resume of a
 * partial download (`.part` file, HTTP Range), and a few retries honouring `Retry-After` on 429 / 503.
 *
 * The bulk endpoint answers HTTP 200 with an HTML error page for a month it has not published: a response is
 * accepted only when its body starts with the 7z signature, and an HTML answer (by its Content-Type or its first
 * bytes) is the error "not published yet", naming the month and the URL.
 */
import { existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { DownloadRefused, download } from './http.js';

/** Where the bulk files are (override with `--base-url` or `$TRADESCOPE_EUROSTAT_URL`). */
export const COMEXT_BULK_URL =
  'https://ec.europa.eu/eurostat/api/dissemination/files?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F';

const SEVEN_Z = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);

export interface FetchOptions {
  /** Month `YYYY-MM`. */
  period: string;
  cacheDir: string;
  baseUrl?: string;
  /** Download again even when the cache has the file. */
  force?: boolean;
  retries?: number;
  /** Milliseconds to wait before a retry when the server gives no Retry-After (default 2000). */
  retryDelay?: number;
  onProgress?: (received: number, total: number) => void;
}

export interface FetchResult {
  file: string;
  url: string;
  status: 'downloaded' | 'resumed' | 'cached';
  bytes: number;
}

/** `2025-11` → `full_v2_202511.7z`. */
export function comextFileName(period: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period.trim());
  if (!m) throw new UserError(`--period: ${period} is not a month (use YYYY-MM, e.g. 2025-11)`);
  return `full_v2_${m[1]}${m[2]}.7z`;
}

/**
 * Downloads one month's bulk file into the cache (or finds it there).
 * @example await fetchComext({ period: '2025-11', cacheDir: '~/.cache/tradescope/eurostat' })
 */
export async function fetchComext(o: FetchOptions): Promise<FetchResult> {
  const name = comextFileName(o.period);
  const base = o.baseUrl ?? process.env.TRADESCOPE_EUROSTAT_URL ?? COMEXT_BULK_URL;
  const url = `${base}${name}`;
  mkdirSync(o.cacheDir, { recursive: true });
  const file = join(o.cacheDir, name);
  const part = `${file}.part`;
  if (existsSync(file) && !o.force) return { file, url, status: 'cached', bytes: statSync(file).size };
  if (o.force && existsSync(part)) unlinkSync(part);
  try {
    const r = await download({
      url,
      file,
      name,
      accept: 'application/x-7z-compressed',
      check: (head, type) => {
        const text = head.subarray(0, 64).toString('latin1').trimStart().toLowerCase();
        if (/text\/html/i.test(type) || text.startsWith('<')) return 'an HTML page';
        if (!head.subarray(0, 6).equals(SEVEN_Z)) return 'not a 7z archive';
        return undefined;
      },
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.retryDelay !== undefined ? { retryDelay: o.retryDelay } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return { file, url, status: r.status, bytes: r.bytes };
  } catch (e) {
    if (e instanceof DownloadRefused && e.reason === 'refused') {
      const what = /an HTML page/.test(e.message) ? 'an HTML page' : 'not a 7z archive';
      throw new UserError(
        `${name}: Eurostat has not published ${o.period} (yet): the bulk endpoint answered HTTP 200 with ${what} instead of the archive (${url})`,
        e.problems,
      );
    }
    throw e;
  }
}
