/**
 * Fetches GAC's preliminary release tables politely: reads the site's index (English Preliminary Release page
 * or Chinese 统计快讯 list), picks the links asked for (year, month, section, currency), and downloads each page
 * one at a time with a pause between requests, through the shared {@link download} (retries with backoff,
 * `Retry-After`, resume of a partial file, truncation check).
 *
 * The cache keeps raw bytes keyed by URL and hash: `urls/<sha256(url)>.json` records the URL, the sha256 of the
 * bytes and where they are; `files/<sha256 prefix>-<page name>` are the bytes, untouched, with a
 * `.source.json` beside them naming the URL (the English pages carry none; the reader takes it for provenance).
 * A page in the cache whose bytes still match their hash is not asked for again, so a second run downloads
 * nothing new; an interrupted run resumes where it stopped.
 *
 * A page is accepted only when it is one: an HTTP 200 whose body is an error or verification page, a truncated
 * download, a page the reader refuses (a unit line contradicting its title's currency, a table only in the
 * Chinese site's viewer with no `.xls` linked, an image table) is an error naming the URL, and nothing of it is
 * cached; so is a page that is not the table the index links it as (another table, period or currency). A link the
 * index shows whose page answers 404 is "not published yet", not an error of the run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as cheerio from 'cheerio';
import { openGaccReleaseReader } from '../ingest/readers/gacc-release/index.js';
import { parseReleaseTitle, type ReleaseTitle } from '../ingest/readers/gacc-release/metadata.js';
import { type Problem, UserError } from '../util/errors.js';
import { type GaccSite, parseReleaseIndex, type ReleaseIndex, type ReleaseLink } from './gacc-index.js';
import { DownloadRefused, download, sleep } from './http.js';

/** The index pages (override the origin with `baseUrl`, e.g. a mirror or a test server). */
export const GACC_INDEX_URL: Record<GaccSite, string> = {
  en: 'http://english.customs.gov.cn/statics/report/preliminary.html',
  zh: 'http://tjs.customs.gov.cn/tjs/sjgb/tjkx/index.html',
};

export interface GaccFetchOptions {
  site: GaccSite;
  cacheDir: string;
  year?: number;
  month?: number;
  sections?: number[];
  currency?: 'CNY' | 'USD';
  /** Replaces the origin of the index and of every link (scheme, host, port). */
  baseUrl?: string;
  /** Another index page (e.g. a year's English index). */
  indexUrl?: string;
  dryRun?: boolean;
  /** Milliseconds between requests (default 1500). */
  pause?: number;
  retries?: number;
  retryDelay?: number;
  onEvent?: (e: GaccFetchEvent) => void;
}

export type PageStatus = 'downloaded' | 'resumed' | 'cached' | 'planned' | 'not-published' | 'failed';

export interface PageResult {
  link: ReleaseLink;
  status: PageStatus;
  /** The cached bytes (downloaded, resumed, cached). */
  file?: string;
  sha256?: string;
  bytes?: number;
  /** Why a page failed or was skipped. */
  message?: string;
  problems?: readonly Problem[];
}

export type GaccFetchEvent =
  | { kind: 'index'; url: string; links: number }
  | { kind: 'page'; index: number; total: number; result: PageResult };

export interface GaccFetchResult {
  index: ReleaseIndex;
  pages: PageResult[];
}

interface CacheRecord {
  url: string;
  sha256: string;
  bytes: number;
  file: string;
  fetchedAt: string;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The URL with its origin replaced by `base` (keeps path and query). */
function rebase(url: string, base?: string): string {
  if (!base) return url;
  const u = new URL(url);
  const b = new URL(base);
  u.protocol = b.protocol;
  u.host = b.host;
  return u.toString();
}

/** Judges the first bytes of a release page or attachment: HTML or an .xls/.xlsx workbook. */
function looksLikePageOrWorkbook(head: Buffer): string | undefined {
  if (head.length === 0) return 'the body is empty';
  const ole = head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  const zip = head.subarray(0, 2).toString('latin1') === 'PK';
  const text = head.toString('utf8').trimStart().toLowerCase();
  if (ole || zip || text.startsWith('<')) return undefined;
  return 'the body is neither an HTML page nor a workbook';
}

/** An HTML page must end: a page cut off without `</html>` is truncated (the servers send no Content-Length). */
function wholeHtml(body: Buffer): string | undefined {
  const head = body.subarray(0, 64).toString('latin1').trimStart();
  if (!head.startsWith('<')) return undefined;
  const tail = body.subarray(Math.max(0, body.length - 512)).toString('latin1');
  return /<\/html>\s*$/i.test(tail) ? undefined : `the page ends without </html> after ${body.length} bytes`;
}

/**
 * What an HTML body is: its release title, or why it is none (an error or verification page). A workbook is
 * left to the reader (`{}`).
 */
function releaseTitleOf(body: Buffer): { title?: ReleaseTitle; text?: string; not?: string } {
  const text = body.toString('utf8');
  if (!text.trimStart().startsWith('<')) return {};
  const $ = cheerio.load(text);
  const title = $('title').text().replace(/\s+/g, ' ').trim();
  const metaTitle = $('meta[name="ArticleTitle"]').attr('content') ?? '';
  const rows = $('table tr')
    .slice(0, 4)
    .toArray()
    .map((tr) => $(tr).text().replace(/\s+/g, ' ').trim());
  for (const t of [title, metaTitle, ...rows]) {
    const parsed = parseReleaseTitle(t);
    if (parsed) return { title: parsed, text: t };
  }
  return { not: title ? `a page titled ${JSON.stringify(title)}` : 'a page with no release title' };
}

/** "(4) 2025-02 CNY" for a link or a page title. */
function tableName(section: number, year: number, month: number, currency: string | undefined): string {
  return `(${section}) ${year}-${String(month).padStart(2, '0')} ${currency ?? '?'}`;
}

/** `.xls` / `.xlsx` links on a Chinese article page (the data when the page shows the table only in a viewer). */
function attachmentLinks(body: Buffer, pageUrl: string): string[] {
  const $ = cheerio.load(body.toString('utf8'));
  return $('a[href]')
    .toArray()
    .map((a) => $(a).attr('href')!.trim())
    .filter((h) => /\.xlsx?(\?|$)/i.test(h))
    .map((h) => new URL(h, pageUrl).toString());
}

class GaccCache {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'urls'), { recursive: true });
    mkdirSync(join(dir, 'files'), { recursive: true });
    mkdirSync(join(dir, 'partial'), { recursive: true });
  }
  private recordPath(url: string) {
    return join(this.dir, 'urls', `${sha(url)}.json`);
  }
  /** The cached bytes of `url`, when they are there and still match their hash. */
  get(url: string): CacheRecord | undefined {
    const p = this.recordPath(url);
    if (!existsSync(p)) return undefined;
    const r = JSON.parse(readFileSync(p, 'utf8')) as CacheRecord;
    if (!existsSync(r.file) || sha(readFileSync(r.file)) !== r.sha256) return undefined;
    return r;
  }
  partial(url: string) {
    return join(this.dir, 'partial', sha(url).slice(0, 32));
  }
  put(url: string, tmp: string): CacheRecord {
    const bytes = readFileSync(tmp);
    const hash = sha(bytes);
    const name = basename(new URL(url).pathname) || 'page.html';
    const file = join(this.dir, 'files', `${hash.slice(0, 16)}-${name}`);
    renameSync(tmp, file);
    writeFileSync(`${file}.source.json`, `${JSON.stringify({ url, sha256: hash }, null, 2)}\n`);
    const r: CacheRecord = { url, sha256: hash, bytes: bytes.length, file, fetchedAt: new Date().toISOString() };
    writeFileSync(this.recordPath(url), `${JSON.stringify(r, null, 2)}\n`);
    return r;
  }
}

/**
 * Reads the index and fetches the pages asked for.
 * @example await fetchGacc({ site: 'en', cacheDir: '~/.cache/tradescope/gacc', sections: [4], currency: 'USD' })
 */
export async function fetchGacc(o: GaccFetchOptions): Promise<GaccFetchResult> {
  const cache = new GaccCache(o.cacheDir);
  const pause = o.pause ?? 1500;
  const common = {
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.retryDelay !== undefined ? { retryDelay: o.retryDelay } : {}),
  };
  const indexUrl = o.indexUrl ?? GACC_INDEX_URL[o.site];
  const indexFile = join(o.cacheDir, 'partial', `index-${sha(indexUrl).slice(0, 16)}.html`);
  rmSync(indexFile, { force: true });
  await download({
    url: rebase(indexUrl, o.baseUrl),
    file: indexFile,
    name: `the ${o.site} release index`,
    accept: 'text/html',
    check: looksLikePageOrWorkbook,
    complete: wholeHtml,
    ...common,
  });
  const index = parseReleaseIndex(readFileSync(indexFile, 'utf8'), indexUrl);
  rmSync(indexFile, { force: true });
  if (!index.links.length) {
    throw new UserError(
      `the ${o.site} release index at ${indexUrl} links no release tables (HTTP 200 with another page, or a layout tradescope does not know)`,
      [{ code: 'fetch-not-the-file', severity: 'error', message: 'index without release links', value: indexUrl }],
    );
  }
  if (o.year !== undefined && o.site === 'en' && index.year !== undefined && index.year !== o.year) {
    throw new UserError(
      `--year ${o.year}: the English index at ${indexUrl} shows ${index.year}; give that year's index page with --index-url`,
    );
  }
  o.onEvent?.({ kind: 'index', url: indexUrl, links: index.links.length });
  const chosen = index.links.filter(
    (l) =>
      (o.year === undefined || l.year === o.year) &&
      (o.month === undefined || l.month === o.month) &&
      (!o.sections?.length || o.sections.includes(l.section)) &&
      (!o.currency || l.currency === o.currency),
  );
  const pages: PageResult[] = [];
  let asked = true; // the index was a request
  for (const [i, link] of chosen.entries()) {
    const hit = cache.get(link.url);
    let result: PageResult;
    if (hit) result = { link, status: 'cached', file: hit.file, sha256: hit.sha256, bytes: hit.bytes };
    else if (o.dryRun) result = { link, status: 'planned' };
    else {
      if (asked) await sleep(pause);
      asked = true;
      result = await fetchPage(link, cache, o, common);
    }
    pages.push(result);
    o.onEvent?.({ kind: 'page', index: i + 1, total: chosen.length, result });
  }
  return { index, pages };
}

async function fetchPage(
  link: ReleaseLink,
  cache: GaccCache,
  o: GaccFetchOptions,
  common: { retries?: number; retryDelay?: number },
): Promise<PageResult> {
  const name = tableName(link.section, link.year, link.month, link.currency);
  const tmp = cache.partial(link.url);
  try {
    const r = await download({
      url: rebase(link.url, o.baseUrl),
      file: tmp,
      name,
      check: looksLikePageOrWorkbook,
      complete: wholeHtml,
      ...common,
    });
    const body = readFileSync(r.file);
    const page = releaseTitleOf(body);
    if (page.not) {
      rmSync(tmp, { force: true });
      const message = `${name}: HTTP 200 but the body is not the release page: ${page.not} (an error or verification page?) (${link.url})`;
      return { link, status: 'failed', message, problems: [problem('fetch-invalid-page', message, link.url)] };
    }
    const t = page.title;
    if (
      t &&
      (t.section !== link.section ||
        t.period.year !== link.year ||
        t.period.month !== link.month ||
        (t.currency && t.currency !== link.currency))
    ) {
      rmSync(tmp, { force: true });
      const is = tableName(t.section, t.period.year, t.period.month, t.currency);
      const message = `${name}: the index links ${link.url} as ${name}, but the page is ${is} (${JSON.stringify(page.text)}): not loaded`;
      return { link, status: 'failed', message, problems: [problem('fetch-invalid-page', message, link.url)] };
    }
    try {
      await openGaccReleaseReader(r.file);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      if (e.problems.some((p) => p.code === 'viewer-only')) {
        const attachments = attachmentLinks(body, link.url);
        rmSync(tmp, { force: true });
        if (!attachments.length) {
          const message = `${name}: the page shows its table only in an embedded viewer and links no .xls attachment: nothing to read (${link.url})`;
          return { link, status: 'failed', message, problems: [problem('fetch-no-attachment', message, link.url)] };
        }
        return fetchPage({ ...link, url: attachments[0]! }, cache, o, common);
      }
      rmSync(tmp, { force: true });
      const message = `${name} (${link.url}): ${e.message.replace(`${r.file}: `, '')}`;
      return { link, status: 'failed', message, problems: e.problems };
    }
    const rec = cache.put(link.url, r.file);
    return { link, status: r.status, file: rec.file, sha256: rec.sha256, bytes: rec.bytes };
  } catch (e) {
    if (e instanceof DownloadRefused && e.reason === 'not-found') {
      const message = `${name}: the index links it but it is not published (yet): HTTP 404 (${link.url})`;
      return { link, status: 'not-published', message, problems: [problem('fetch-not-published', message, link.url)] };
    }
    if (e instanceof UserError) return { link, status: 'failed', message: e.message, problems: e.problems };
    throw e;
  }
}

function problem(code: Problem['code'], message: string, url: string): Problem {
  return { code, severity: 'error', message, value: url };
}
