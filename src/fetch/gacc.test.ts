/**
 * `fetch gacc` against a loopback HTTP server made here (never the network). It serves the saved real pages
 * (test/fixtures/gacc-releases) under the URLs the indexes link:
 * - the real English 2026 index at `/statics/report/preliminary.html`; none of the pages it links (February and
 *   March 2026) is among the samples, so they answer 404 — an index that links pages not (yet) available;
 * - a 2025 English index DERIVED here from the real 2026 one (its year choice starts at 2025 and three month cells
 *   link the real January–February 2025 (4) and (5) CNY pages and the April 2025 (5) USD page; March (4) CNY links
 *   a page that answers 404);
 * - the real Chinese 统计快讯 index, and the real Chinese (4) July 2026 article under the URL it names.
 * The failure cases (a verification page with HTTP 200, a truncated download, a broken connection, a unit line
 * contradicting the title's currency — the last DERIVED here from the real page, the unit line alone changed) are
 * routes switched on by each test. Expected URLs, counts and figures are read off the pages by hand.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repo } from '../../test/contract/store-contract.js';
import { fetchGacc, type GaccFetchOptions } from './gacc.js';

const FIX = repo('test/fixtures/gacc-releases');
const page = (name: string) => readFileSync(join(FIX, name));
const S4_JANFEB = page('release_section4_by_country_janfeb2025_cny.html');
const S5_JANFEB = page('release_section5_major_exports_janfeb2025_cny.html');
const S5_APR_USD = page('release_section5_major_exports_apr2025_usd.html');
const INDEX_2026 = page('index_2026_en.html');
const INDEX_ZH = page('cn_express_index_tjs_aug2026.html');
const ARTICLE_ZH = page('cn_express_article_tjs_jul2026_s4_cny.html');

/** DERIVED: the 2026 index as its 2025 page would list the three sample pages of 2025. */
const INDEX_2025 = Buffer.from(
  INDEX_2026.toString('utf8')
    .replace('<option value="2026">2026</option>', '')
    // (4) CNY: February → the real Jan–Feb 2025 page; March → a page not published (404)
    .replace('47e53257-a14f-4a19-a17c-b5beea64f822.html> Feb.', 'derived-2025-4-cny-feb.html> Feb.')
    .replace('2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html> Mar.', 'derived-2025-4-cny-mar.html> Mar.')
    // (5) CNY: February → the real Jan–Feb 2025 page; (5) USD: April → the real April 2025 page
    .replace('2e12d3d0-91fe-4567-9734-32ce2880f05a.html> Feb.', 'derived-2025-5-cny-feb.html> Feb.')
    .replace(
      /(\(5\) China's Major Exports by Quantity and Value \(in USD\)<\/td><td>.*?)<span>Apr\.<\/span>/,
      '$1<a href=http://english.customs.gov.cn/Statics/derived-2025-5-usd-apr.html> Apr.</a>',
    ),
);

type Route = (res: ServerResponse, headers: IncomingHttpHeaders) => void;
const html =
  (body: Buffer, extra: Record<string, string | number> = {}): Route =>
  (res, h) => {
    const range = /^bytes=(\d+)-$/.exec(h.range ?? '');
    if (range) {
      const from = Number(range[1]);
      res.writeHead(206, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': body.length - from,
        'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(from));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, ...extra });
    res.end(body);
  };
const BASE_ROUTES: Record<string, Route> = {
  '/statics/report/preliminary.html': html(INDEX_2026),
  '/statics/report/preliminary-2025.html': html(INDEX_2025),
  '/Statics/derived-2025-4-cny-feb.html': html(S4_JANFEB),
  '/Statics/derived-2025-5-cny-feb.html': html(S5_JANFEB),
  '/Statics/derived-2025-5-usd-apr.html': html(S5_APR_USD),
  '/tjs/sjgb/tjkx/index.html': html(INDEX_ZH),
  '/tjs/2026-08/07/article_2026080710320733327.html': html(ARTICLE_ZH),
};
let routes: Record<string, Route> = {};
let dir: string;
let server: Server;
let base: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let cacheN = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-gacc-fetch-'));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (route) return route(res, req.headers);
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<html><body>404</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  routes = { ...BASE_ROUTES };
  seen.length = 0;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const freshCache = () => join(dir, `cache${++cacheN}`);
const run = (o: Partial<GaccFetchOptions> & { cacheDir: string }) =>
  fetchGacc({ site: 'en', baseUrl: base, pause: 0, retries: 0, retryDelay: 1, ...o });
const EN_2025 = 'http://english.customs.gov.cn/statics/report/preliminary-2025.html';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('discovery and --dry-run', () => {
  it('the English 2026 index links 24 pages: tables (1)–(6) × CNY/USD × February and March', async () => {
    const r = await run({ cacheDir: freshCache(), dryRun: true });
    expect(r.index.year).toBe(2026);
    expect(r.pages).toHaveLength(24);
    expect(r.pages.every((p) => p.status === 'planned')).toBe(true);
    expect(new Set(r.pages.map((p) => p.link.month))).toEqual(new Set([2, 3]));
    expect(new Set(r.pages.map((p) => p.link.section))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(seen.map((s) => s.url)).toEqual(['/statics/report/preliminary.html']); // only the index was asked for
    expect(seen[0]!.headers['user-agent']).toMatch(/tradescope/);
  });

  it('--section 4 --currency CNY picks the two links of row (4) in CNY, as the index writes them', async () => {
    const r = await run({ cacheDir: freshCache(), dryRun: true, sections: [4], currency: 'CNY' });
    expect(r.pages.map((p) => [p.link.month, p.link.url])).toEqual([
      [2, 'http://english.customs.gov.cn/Statics/47e53257-a14f-4a19-a17c-b5beea64f822.html'],
      [3, 'http://english.customs.gov.cn/Statics/2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html'],
    ]);
  });

  it('the Chinese 统计快讯 index links (2)–(6) of July 2026, each in 人民币值 and 美元值', async () => {
    const r = await run({ site: 'zh', cacheDir: freshCache(), dryRun: true });
    expect(r.pages).toHaveLength(10);
    expect(r.pages.every((p) => p.link.year === 2026 && p.link.month === 7)).toBe(true);
    const s4cny = r.pages.find((p) => p.link.section === 4 && p.link.currency === 'CNY')!;
    expect(s4cny.link.url).toBe('http://tjs.customs.gov.cn/tjs/2026-08/07/article_2026080710320733327.html');
  });

  it('--year that the English index does not show is a clear error', async () => {
    await expect(run({ cacheDir: freshCache(), year: 2025, dryRun: true })).rejects.toThrow(
      /--year 2025: the English index .* shows 2026; give that year's index page with --index-url/,
    );
  });
});

describe('download, cache, resume', () => {
  it('downloads the pages byte for byte, then a second run asks only for the index', async () => {
    const cacheDir = freshCache();
    const o = { cacheDir, indexUrl: EN_2025, year: 2025, sections: [4, 5] };
    const r = await run(o);
    const by = (s: number, c: string, m: number) =>
      r.pages.find((p) => p.link.section === s && p.link.currency === c && p.link.month === m)!;
    expect(by(4, 'CNY', 2).status).toBe('downloaded');
    expect(by(5, 'CNY', 2).status).toBe('downloaded');
    expect(by(5, 'USD', 4).status).toBe('downloaded');
    expect(by(4, 'CNY', 3).status).toBe('not-published');
    expect(by(4, 'CNY', 3).message).toMatch(
      /\(4\) 2025-03 CNY: the index links it but it is not published \(yet\): HTTP 404/,
    );
    expect(by(4, 'CNY', 2).sha256).toBe(sha(S4_JANFEB));
    expect(readFileSync(by(4, 'CNY', 2).file!).equals(S4_JANFEB)).toBe(true);
    expect(readFileSync(by(5, 'USD', 4).file!).equals(S5_APR_USD)).toBe(true);
    // the page's URL beside its bytes (for provenance: English pages do not name their own)
    const side = JSON.parse(readFileSync(`${by(4, 'CNY', 2).file}.source.json`, 'utf8'));
    expect(side.url).toBe('http://english.customs.gov.cn/Statics/derived-2025-4-cny-feb.html');

    seen.length = 0;
    const again = await run(o);
    expect(again.pages.filter((p) => p.status === 'cached')).toHaveLength(3);
    expect(again.pages.filter((p) => p.status === 'downloaded')).toHaveLength(0);
    // the index first, then only pages still missing (the other links of rows (4) and (5) answer 404)
    expect(seen[0]!.url).toBe('/statics/report/preliminary-2025.html');
    expect(seen.map((s) => s.url)).toContain('/Statics/derived-2025-4-cny-mar.html');
    for (const cached of ['4-cny-feb', '5-cny-feb', '5-usd-apr'])
      expect(seen.map((s) => s.url)).not.toContain(`/Statics/derived-2025-${cached}.html`);
  });

  it('a broken connection leaves a partial file; the next run resumes it with a Range request', async () => {
    const cacheDir = freshCache();
    const half = Math.floor(S4_JANFEB.length / 2);
    routes['/Statics/derived-2025-4-cny-feb.html'] = (res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': S4_JANFEB.length });
      res.write(S4_JANFEB.subarray(0, half), () => res.destroy());
    };
    const o = { cacheDir, indexUrl: EN_2025, year: 2025, sections: [4], month: 2, currency: 'CNY' as const };
    const first = await run(o);
    expect(first.pages[0]!.status).toBe('failed');
    expect(first.pages[0]!.message).toMatch(/download interrupted .*run again to resume|truncated download/);
    expect(existsSync(join(cacheDir, 'files')) && readdirSync(join(cacheDir, 'files'))).toEqual([]);
    routes['/Statics/derived-2025-4-cny-feb.html'] = BASE_ROUTES['/Statics/derived-2025-4-cny-feb.html']!;
    seen.length = 0;
    const second = await run(o);
    expect(second.pages[0]!.status).toBe('resumed');
    expect(seen.at(-1)!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(seen.at(-1)!.headers.range!)![0])).toBeGreaterThan(0);
    expect(readFileSync(second.pages[0]!.file!).equals(S4_JANFEB)).toBe(true);
  });

  it('retries a 429 after its Retry-After, then downloads', async () => {
    let calls = 0;
    routes['/Statics/derived-2025-5-usd-apr.html'] = (res, h) => {
      if (++calls === 1) {
        res.writeHead(429, { 'Retry-After': '1' });
        res.end();
        return;
      }
      html(S5_APR_USD)(res, h);
    };
    const r = await run({ cacheDir: freshCache(), indexUrl: EN_2025, year: 2025, sections: [5], month: 4, retries: 2 });
    expect(r.pages.map((p) => p.status)).toEqual(['downloaded']);
    expect(calls).toBe(2);
  });
});

describe('the traps: each a clear message, nothing cached', () => {
  const only4 = (cacheDir: string) => ({
    cacheDir,
    indexUrl: EN_2025,
    year: 2025,
    sections: [4],
    month: 2,
    currency: 'CNY' as const,
  });

  it('HTTP 200 with a verification page instead of the release', async () => {
    const cacheDir = freshCache();
    routes['/Statics/derived-2025-4-cny-feb.html'] = html(
      Buffer.from(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title><script>var a=1;</script></head><body><p>请开启JavaScript并刷新该页.</p></body></html>',
      ),
    );
    const r = await run(only4(cacheDir));
    expect(r.pages[0]!.status).toBe('failed');
    expect(r.pages[0]!.message).toMatch(
      /\(4\) 2025-02 CNY: HTTP 200 but the body is not the release page: a page titled "安全验证" \(an error or verification page\?\)/,
    );
    expect(readdirSync(join(cacheDir, 'files'))).toEqual([]);
  });

  it('a truncated page (no Content-Length, cut before </html>)', async () => {
    const cacheDir = freshCache();
    routes['/Statics/derived-2025-4-cny-feb.html'] = (res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }); // chunked
      res.end(S4_JANFEB.subarray(0, 20_000));
    };
    const r = await run(only4(cacheDir));
    expect(r.pages[0]!.status).toBe('failed');
    expect(r.pages[0]!.message).toMatch(/truncated download: the page ends without <\/html> after 20000 bytes/);
    expect(readdirSync(join(cacheDir, 'files'))).toEqual([]);
  });

  it("a unit line contradicting the title's currency (DERIVED: the real page with its unit line set to USD)", async () => {
    const cacheDir = freshCache();
    routes['/Statics/derived-2025-4-cny-feb.html'] = html(
      Buffer.from(S4_JANFEB.toString('utf8').replace('Unit: CNY 100 Million', 'Unit: USD1 Million')),
    );
    const r = await run(only4(cacheDir));
    expect(r.pages[0]!.status).toBe('failed');
    expect(r.pages[0]!.message).toMatch(
      /^\(4\) 2025-02 CNY \(http:\/\/english\.customs\.gov\.cn\/Statics\/derived-2025-4-cny-feb\.html\): .*USD/,
    );
    expect(readdirSync(join(cacheDir, 'files'))).toEqual([]);
  });

  it('a page that is not the table the index links it as (the Jan–Feb 2025 page under the 2026 index’s February link)', async () => {
    const cacheDir = freshCache();
    routes['/Statics/47e53257-a14f-4a19-a17c-b5beea64f822.html'] = html(S4_JANFEB);
    const r = await run({ cacheDir, sections: [4], currency: 'CNY', month: 2 });
    expect(r.pages[0]!.status).toBe('failed');
    expect(r.pages[0]!.message).toMatch(
      /^\(4\) 2026-02 CNY: the index links http:\/\/english\.customs\.gov\.cn\/Statics\/47e53257-a14f-4a19-a17c-b5beea64f822\.html as \(4\) 2026-02 CNY, but the page is \(4\) 2025-02 CNY/,
    );
    expect(readdirSync(join(cacheDir, 'files'))).toEqual([]);
  });

  it('a Chinese article that shows its table only in the viewer and links no attachment', async () => {
    const cacheDir = freshCache();
    const r = await run({ site: 'zh', cacheDir, sections: [4], currency: 'CNY' });
    expect(r.pages[0]!.status).toBe('failed');
    expect(r.pages[0]!.message).toMatch(
      /\(4\) 2026-07 CNY: the page shows its table only in an embedded viewer and links no \.xls attachment/,
    );
  });
});
