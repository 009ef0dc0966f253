/**
 * The dashboard with GAC's release pages loaded (data/gacc-releases, as the demo loads them, beside the regional
 * GAC file), in a real browser (Debian's Chromium via playwright-core): a section lists each release page with the
 * brief of its period, and that brief states table (4)'s headline, exports by partner and the labour-intensive
 * lines with the figures the pages print (read off them by hand: Total exports 38,812.1 and imports 26,551.5
 * CNY 100 million, +3.4 % / −7.3 %; European Union 5,682.6, +1.8 %; suitcases Jan–Apr 2025 −12.7 %).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleasePages } from '../../src/cli/commands/demo-releases.js';
import { openStore } from '../../src/cli/open-store.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { dataPath, mappingPath } from '../../src/util/paths.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.TRADESCOPE_CHROMIUM ?? '/usr/bin/chromium';
const WEB = join(ROOT, 'dist', 'web');

let dir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
    { cwd: ROOT, stdio: 'ignore' },
  );
  dir = mkdtempSync(join(tmpdir(), 'tradescope-releases-web-'));
  const path = join(dir, 'store.duckdb');
  const store = await openStore(path);
  await ingestFile(store, dataPath('gacc', 'gacc_region_monthly_2024_2025.xlsx'), {
    format: 'gacc',
    mapping: mappingPath('gacc-region-monthly.yaml'),
    stagingBase: path,
  });
  await loadReleasePages(store, path);
  server = await startServer(store, { port: 0, log: null, webRoot: WEB });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dashboard with GAC release pages loaded', () => {
  it('lists each release page with the brief of its period; the brief states what the page prints', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?animation=0`);
    await page.waitForFunction(
      () => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error',
      null,
      {
        timeout: 120_000,
      },
    );
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
    const items = await page.locator('#release-list li').allInnerTexts();
    // five pages, four vintages: (4) and (5) of January–February 2025 are one release (2025-03-11), one brief
    expect(items).toHaveLength(4);
    expect(items).toContain(
      "(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY) — published 2025-03-11 · brief of this release",
    );
    const href = await page
      .locator('#release-list li', { hasText: 'January-February 2025 (in CNY) — published 2025-03-11' })
      .locator('a')
      .first()
      .getAttribute('href');
    expect(href).toBe('/api/brief?reporter=CHN&period=2025-01%2B02&lang=en&format=html');
    const brief = await (await fetch(`${server.url}${href}`)).text();
    expect(brief).toContain(
      "GAC's preliminary release (table (4), Total row, in CNY): exports CNY 3.88 trillion in January–February 2025 (+3.4% year on year as printed), imports CNY 2.66 trillion (-7.3%), surplus CNY 1.23 trillion.",
    );
    expect(brief).toContain('the EU CNY 568.3 billion (+1.8%)');
    const apr = await (
      await fetch(`${server.url}/api/brief?reporter=CHN&period=ytd%3A2025-04&lang=zh&format=html`)
    ).text();
    expect(apr).toContain('劳动密集型产品出口（表（5）分商品，2025年1—4月，同比）');
    expect(apr).toContain('（-12.7%）');
    await page.close();
  }, 180_000);
});
