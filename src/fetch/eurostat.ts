/**
 * Downloads Eurostat Comext monthly bulk files (`full_v2_YYYYMM.7z`) politely: one request at a time, a
 * User-Agent that names tradescope, a cache (a month already downloaded is not fetched again), resume of a
 * partial download (`.part` file, HTTP Range), and a few retries honouring `Retry-After` on 429 / 503.
 *
 * The bulk endpoint answers HTTP 200 with an HTML error page for a month it has not published: a response is
 * accepted only when its body starts with the 7z signature, and an HTML answer (by its Content-Type or its first
 * bytes) is the error "not published yet", naming the month and the URL.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';

/** Where the bulk files are (override with `--base-url` or `$TRADESCOPE_EUROSTAT_URL`). */
export const COMEXT_BULK_URL =
  'https://ec.europa.eu/eurostat/api/dissemination/files?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F';

const SEVEN_Z = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const USER_AGENT = 'tradescope (open-source trade-statistics engine; one file at a time)';

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
  const retries = o.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: 'application/x-7z-compressed' };
    if (have > 0) headers.Range = `bytes=${have}-`;
    let res: Response;
    try {
      res = await fetch(url, { headers, redirect: 'follow' });
    } catch (e) {
      if (attempt < retries) {
        await sleep(o.retryDelay ?? 2000);
        continue;
      }
      throw new UserError(`cannot reach ${url}: ${(e as Error).message}`);
    }
    if ((res.status === 429 || res.status === 503) && attempt < retries) {
      const after = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 120) * 1000 : (o.retryDelay ?? 2000));
      continue;
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new UserError(`${name}: not published (HTTP 404 from ${url})`);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new UserError(`${name}: HTTP ${res.status} from ${url}`);
    }
    const resumed = res.status === 206 && have > 0;
    if (res.status === 200 && have > 0) unlinkSync(part); // the server sent the whole file again
    const type = res.headers.get('content-type') ?? '';
    const total = Number(res.headers.get('content-length') ?? 0) + (resumed ? have : 0);
    const reader = res.body!.getReader();
    let first = true;
    let received = resumed ? have : 0;
    const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = Buffer.from(value);
        if (first && !resumed) {
          first = false;
          const head = chunk.subarray(0, 64).toString('latin1').trimStart().toLowerCase();
          if (/text\/html/i.test(type) || head.startsWith('<') || !chunk.subarray(0, 6).equals(SEVEN_Z)) {
            await reader.cancel();
            const what = /text\/html/i.test(type) || head.startsWith('<') ? 'an HTML page' : 'not a 7z archive';
            throw new UserError(
              `${name}: Eurostat has not published ${o.period} (yet): the bulk endpoint answered HTTP 200 with ${what} instead of the archive (${url})`,
            );
          }
        }
        first = false;
        await new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
        received += chunk.length;
        o.onProgress?.(received, total);
      }
    } catch (e) {
      await new Promise<void>((resolve) => out.end(resolve));
      if (e instanceof UserError) {
        if (existsSync(part) && statSync(part).size === 0) unlinkSync(part);
        throw e;
      }
      if (attempt < retries) continue; // the connection broke: resume from what arrived
      throw new UserError(`${name}: download interrupted (${(e as Error).message}); run again to resume`);
    }
    await new Promise<void>((resolve) => out.end(resolve));
    renameSync(part, file);
    return { file, url, status: resumed ? 'resumed' : 'downloaded', bytes: statSync(file).size };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
