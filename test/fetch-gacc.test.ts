/**
 * `tradescope fetch gacc` end to end, as a user runs it (the built CLI), against a loopback HTTP server made here
 * (never the network): an English index DERIVED from the real 2026 one (its year choice starts at 2025, and its
 * (4) and (5) CNY February cells link the real January–February 2025 pages, served byte for byte). It downloads,
 * ingests, and answers the headline from (4)'s Total row; a run where one page is a verification page (HTTP 200)
 * loads nothing and leaves the store as it was. Figures are read off the page by hand.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const FIX = join(ROOT, 'test', 'fixtures', 'gacc-releases');
const exec = promisify(execFile);
const S4 = readFileSync(join(FIX, 'release_section4_by_country_janfeb2025_cny.html'));
const S5 = readFileSync(join(FIX, 'release_section5_major_exports_janfeb2025_cny.html'));
const INDEX_2025 = readFileSync(join(FIX, 'index_2026_en.html'), 'utf8')
  .replace('<option value="2026">2026</option>', '')
  .replace('47e53257-a14f-4a19-a17c-b5beea64f822.html> Feb.', 'derived-2025-4-cny-feb.html> Feb.')
  .replace('2e12d3d0-91fe-4567-9734-32ce2880f05a.html> Feb.', 'derived-2025-5-cny-feb.html> Feb.');
const VERIFY = '<html><head><title>安全验证</title></head><body><script>location.reload()</script></body></html>';

let dir: string;
let server: Server;
let base: string;
let verification = false;

async function tradescope(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-fetch-gacc-cli-'));
  server = createServer((req, res) => {
    const body =
      req.url === '/statics/report/preliminary-2025.html'
        ? Buffer.from(INDEX_2025)
        : req.url === '/Statics/derived-2025-4-cny-feb.html'
          ? S4
          : req.url === '/Statics/derived-2025-5-cny-feb.html'
            ? verification
              ? Buffer.from(VERIFY)
              : S5
            : undefined;
    if (!body) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const fetchArgs = (db: string, cache: string, sections: string) => [
  'fetch',
  'gacc',
  '--base-url',
  base,
  '--index-url',
  'http://english.customs.gov.cn/statics/report/preliminary-2025.html',
  '--year',
  '2025',
  '--month',
  '2',
  '--currency',
  'cny',
  '--section',
  sections,
  '--pause',
  '0',
  '--cache-dir',
  cache,
  '--db',
  db,
];

describe('tradescope fetch gacc', () => {
  it('downloads and loads (4); the headline comes from its Total row; a second run downloads nothing', async () => {
    const db = join(dir, 'a.duckdb');
    const cache = join(dir, 'cache-a');
    const r = await tradescope(...fetchArgs(db, cache, '4'));
    expect(r.stderr).toMatch(/\[1\/1\] \(4\) 2025-02 CNY: downloaded/);
    expect(r.stdout).toMatch(/1 pages: 1 downloaded, 0 from the cache, 0 not published yet, 0 failed/);
    expect(r.code).toBe(0);
    const q = await tradescope(
      'query',
      '--reporter',
      'CHN',
      '--period',
      'ytd:2025-02',
      '--dataset',
      'gacc-release-cny',
      '--json',
      '--db',
      db,
    );
    const rows = JSON.parse(q.stdout).rows as { measure: string; value: string }[];
    expect(rows.find((x) => x.measure === 'exports')?.value).toBe('3881210000000'); // 38,812.1 × 10^8 CNY
    expect(rows.find((x) => x.measure === 'imports')?.value).toBe('2655150000000'); // 26,551.5 × 10^8 CNY
    const ds = await tradescope('datasets', '--json', '--db', db);
    expect(ds.stdout).toContain('http://english.customs.gov.cn/Statics/derived-2025-4-cny-feb.html');
    const again = await tradescope(...fetchArgs(db, cache, '4'));
    expect(again.stdout).toMatch(/1 pages: 0 downloaded, 1 from the cache/);
  }, 60_000);

  it('a verification page (HTTP 200) in the run: a clear message, nothing loaded, the store as it was', async () => {
    const db = join(dir, 'b.duckdb');
    const cache = join(dir, 'cache-b');
    expect((await tradescope(...fetchArgs(db, cache, '4'))).code).toBe(0);
    const before = (await tradescope('datasets', '--json', '--db', db)).stdout;
    verification = true;
    const r = await tradescope(...fetchArgs(db, cache, '4,5'));
    verification = false;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: \(5\) 2025-02 CNY: HTTP 200 but the body is not the release page: a page titled "安全验证"/,
    );
    expect(r.stderr).toMatch(/nothing loaded: 1 page\(s\) failed; the store is unchanged/);
    expect((await tradescope('datasets', '--json', '--db', db)).stdout).toBe(before);
  }, 60_000);
});
