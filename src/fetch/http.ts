/**
 * One polite HTTP download, shared by every source's fetcher (Eurostat's bulk files, GAC's release pages): a
 * User-Agent that names tradescope, retries with backoff that honour `Retry-After` on 429 / 503 and on a broken
 * connection, resume of a partial download (`.part` file, HTTP Range), a check that the answer is what was asked
 * for (an error or verification page served with HTTP 200 is an error, never a file), and a check that the body is
 * whole (fewer bytes than `Content-Length` is a truncated download: resumed, then an error).
 *
 * The file is renamed into place only when it is whole and accepted, so a cache never holds a bad answer.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { UserError } from '../util/errors.js';

export const USER_AGENT = 'tradescope (open-source trade-statistics engine; one request at a time)';

/** What a source says about the first bytes of an answer: `undefined` accepts it, a string is the reason not. */
export type BodyCheck = (head: Buffer, contentType: string) => string | undefined;

export interface DownloadOptions {
  url: string;
  /** Where the whole file goes (a `.part` beside it holds a partial one). */
  file: string;
  /** Short name of what is fetched, for messages (`full_v2_202511.7z`, `(4) 2025-02 CNY`). */
  name: string;
  accept?: string;
  /** Judges the first bytes (up to 4 KB) of a fresh answer. */
  check?: BodyCheck;
  /** Judges the whole body (e.g. an HTML page must end with `</html>`): a string is a truncation reason. */
  complete?: (body: Buffer) => string | undefined;
  retries?: number;
  /** Milliseconds before the first retry when the server gives no Retry-After (doubles each time; default 2000). */
  retryDelay?: number;
  onProgress?: (received: number, total: number) => void;
}

export interface DownloadResult {
  file: string;
  url: string;
  status: 'downloaded' | 'resumed';
  bytes: number;
  contentType: string;
}

/** An HTTP answer that is not the file: 404, another status, or a body the source's check refused. */
export class DownloadRefused extends UserError {
  constructor(
    message: string,
    readonly reason: 'not-found' | 'status' | 'refused' | 'truncated' | 'unreachable',
    readonly url: string,
  ) {
    super(message, [
      {
        code:
          reason === 'not-found'
            ? 'fetch-not-published'
            : reason === 'truncated'
              ? 'fetch-truncated'
              : reason === 'refused'
                ? 'fetch-not-the-file'
                : 'fetch-failed',
        severity: 'error',
        message,
        value: url,
      },
    ]);
    this.name = 'DownloadRefused';
  }
}

/**
 * Downloads `url` into `file` (resuming `file.part` when it exists).
 * @example await download({ url, file: '/cache/x.7z', name: 'x.7z', check: (h) => h[0] === 0x37 ? undefined : 'not 7z' })
 */
export async function download(o: DownloadOptions): Promise<DownloadResult> {
  const part = `${o.file}.part`;
  const retries = o.retries ?? 3;
  const base = o.retryDelay ?? 2000;
  const wait = (attempt: number) => sleep(base * 2 ** attempt);
  for (let attempt = 0; ; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: o.accept ?? '*/*' };
    if (have > 0) headers.Range = `bytes=${have}-`;
    let res: Response;
    try {
      res = await fetch(o.url, { headers, redirect: 'follow' });
    } catch (e) {
      if (attempt < retries) {
        await wait(attempt);
        continue;
      }
      throw new DownloadRefused(`cannot reach ${o.url}: ${(e as Error).message}`, 'unreachable', o.url);
    }
    if ((res.status === 429 || res.status === 503) && attempt < retries) {
      const after = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await (Number.isFinite(after) && after > 0 ? sleep(Math.min(after, 120) * 1000) : wait(attempt));
      continue;
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new DownloadRefused(`${o.name}: not published (HTTP 404 from ${o.url})`, 'not-found', o.url);
    }
    if (res.status === 416 && have > 0) {
      // the range asked for is past the end: the partial file is not a prefix of this answer; start again
      await res.body?.cancel();
      unlinkSync(part);
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new DownloadRefused(`${o.name}: HTTP ${res.status} from ${o.url}`, 'status', o.url);
    }
    const resumed = res.status === 206 && have > 0;
    if (res.status === 200 && have > 0) unlinkSync(part); // the server sent the whole file again
    const type = res.headers.get('content-type') ?? '';
    const length = res.headers.get('content-length');
    const total = length === null ? 0 : Number(length) + (resumed ? have : 0);
    const reader = res.body!.getReader();
    let judged = resumed;
    let pending: Buffer[] = [];
    let received = resumed ? have : 0;
    const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
    const write = (b: Buffer) => new Promise<void>((ok, ko) => out.write(b, (e) => (e ? ko(e) : ok())));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (!done) {
          const chunk = Buffer.from(value);
          received += chunk.length;
          o.onProgress?.(received, total);
          if (judged) {
            await write(chunk);
            continue;
          }
          pending.push(chunk); // hold the first bytes back until they can be judged
          if (received < 4096) continue;
        }
        if (!judged) {
          judged = true;
          const head = Buffer.concat(pending);
          pending = [];
          const why = o.check?.(head, type);
          if (why) {
            await reader.cancel().catch(() => {});
            throw new DownloadRefused(`${o.name}: HTTP ${res.status} but ${why} (${o.url})`, 'refused', o.url);
          }
          await write(head);
        }
        if (done) break;
      }
    } catch (e) {
      await new Promise<void>((r) => out.end(r));
      if (e instanceof UserError) {
        if (existsSync(part)) unlinkSync(part);
        throw e;
      }
      if (attempt < retries) {
        await wait(attempt);
        continue; // the connection broke: resume from what arrived
      }
      throw new DownloadRefused(
        `${o.name}: download interrupted (${(e as Error).message}); run again to resume`,
        'truncated',
        o.url,
      );
    }
    await new Promise<void>((r) => out.end(r));
    const size = statSync(part).size;
    if (total > 0 && size < total) {
      if (attempt < retries) {
        await wait(attempt);
        continue; // resume the rest with a Range request
      }
      throw new DownloadRefused(
        `${o.name}: truncated download: ${size} of ${total} bytes arrived from ${o.url}; run again to resume`,
        'truncated',
        o.url,
      );
    }
    if (o.complete) {
      const why = o.complete(readFileSync(part));
      if (why) {
        unlinkSync(part);
        if (attempt < retries) {
          await wait(attempt);
          continue;
        }
        throw new DownloadRefused(`${o.name}: truncated download: ${why} (${o.url})`, 'truncated', o.url);
      }
    }
    renameSync(part, o.file);
    return { file: o.file, url: o.url, status: resumed ? 'resumed' : 'downloaded', bytes: size, contentType: type };
  }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
