/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core, on a store built from the
 * bundled data. Expected tile figures are GAC's published H1 2025 numbers (exports 13,000,388,810,000 CNY,
 * +7.18 % year on year → "CNY 13.00 trillion", "+7.2%"); in US dollars the engine converts month by month
 * with the Fed H.10 rates (1,793,061,577,996.68 USD → "US$1.79 trillion", +6.67 % → "+6.7%").
 * Screenshots go to test-output/browser/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { bundledStore } from '../server/bundled-store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test-output', 'browser');
const CHROMIUM = process.env.TRADESCOPE_CHROMIUM ?? '/usr/bin/chromium';
const WEB = join(ROOT, 'dist', 'web');

/** Every chart panel the dashboard draws on the bundled data. */
const PANELS = [
  'monthly',
  'ytd',
  'forecast',
  'ranking',
  'partner-tree',
  'shares',
  'groups',
  'hs-tree',
  'baskets',
  'basket-yoy',
  'partner-products',
  'partner-products-2',
  'mirror',
  'regions',
  'partner-reported',
];

let server: RunningServer;
let browser: Browser;
let removeStore: () => void;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(WEB, 'index.html'))) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
  const b = await bundledStore();
  removeStore = b.remove;
  server = await startServer(b.store, { port: 0, log: null, webRoot: WEB, warmUp: true });
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set TRADESCOPE_CHROMIUM)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  removeStore?.();
});

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`${server.url}/?animation=0${query}`);
  await ready(page);
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error',
    null,
    { timeout: 120_000 },
  );
  expect(await page.getAttribute('body', 'data-ready')).toBe('true');
}

const tile = (page: Page, id: string) => page.locator(`#tile-${id}`).innerText();

/** Marks drawn in each panel's SVG: paths, rects and texts beyond the frame, and the rows behind them. */
function marks(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.panel')].map((p) => {
      const svg = p.querySelector('.chart svg');
      const box = svg?.getBoundingClientRect();
      const paths = svg ? [...svg.querySelectorAll('path')].filter((x) => (x.getAttribute('d') ?? '').length > 10) : [];
      return {
        id: p.id.replace(/^panel-/, ''),
        missing: p.querySelector('.missing')?.textContent ?? null,
        rows: Number(p.querySelector<HTMLElement>('.chart')?.dataset.rows ?? 0),
        paths: paths.length,
        area: box ? box.width * box.height : 0,
        csv: p.querySelector('a.csv')?.getAttribute('href') ?? null,
      };
    }),
  );
}

describe('dashboard on the bundled data', () => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => {
      throw e;
    });
  });

  it('shows the published H1 2025 figures in the tiles', async () => {
    await open(page, '');
    const ex = await tile(page, 'ytd-exports');
    expect(ex).toContain('CNY 13.00 trillion');
    expect(ex).toContain('+7.2%');
    expect(ex).toContain('January–June 2025');
    const im = await tile(page, 'ytd-imports');
    expect(im).toContain('CNY 8.79 trillion');
    expect(im).toContain('-2.8%');
    // balance = 13,000,388,810,000 − 8,788,017,960,000 = 4,212,370,850,000
    expect(await tile(page, 'ytd-balance')).toContain('CNY 4.21 trillion');
    expect(await tile(page, 'latest')).toContain('June 2025');
    expect(await tile(page, 'records')).toMatch(/highest since 2024-12/);
    // where the year is heading: the projection (a model output) against GAC's published 2024 total, 25.45 trillion
    const projection = await tile(page, 'projection');
    expect(projection).toContain('Where 2025 is heading');
    expect(projection).toMatch(/chance that 2025 exports beat 2024’s CNY 25\.45 trillion: \d+%/);
    const median = Number(/exports CNY ([\d.]+) trillion/.exec(projection)?.[1]);
    expect(median).toBeGreaterThan(13.0); // more than the first half alone
    await page.screenshot({ path: join(OUT, 'dashboard-en-cny.png'), fullPage: true });
  });

  it('links to the written brief of the latest period, which opens with the published headline', async () => {
    await open(page, '');
    const href = await page.locator('#brief-link').getAttribute('href');
    expect(href).toBe('/api/brief?reporter=CHN&period=ytd%3A2025-06&lang=en&format=html');
    const res = await fetch(`${server.url}${href}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('13.00 trillion');
    expect(html).toContain('7.2%');
  }, 180_000);

  it('draws marks in every chart and offers each chart’s data as CSV', async () => {
    const found = await marks(page);
    expect(found.map((m) => m.id).sort()).toEqual([...PANELS].sort());
    for (const m of found) {
      expect(m.missing, m.id).toBeNull();
      expect(m.rows, m.id).toBeGreaterThan(0);
      expect(m.area, m.id).toBeGreaterThan(10_000);
      expect(m.paths, m.id).toBeGreaterThanOrEqual(3);
      expect(m.csv, m.id).toMatch(/^blob:/);
    }
  });

  it('offers the same data as XLSX beside the CSV: the workbook read back holds the CSV rows', async () => {
    const csvText = await page.evaluate(async () => {
      const a = document.querySelector<HTMLAnchorElement>('#panel-monthly a.csv')!;
      return (await fetch(a.href)).text();
    });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#panel-monthly a.xlsx')]);
    expect(download.suggestedFilename()).toBe('monthly.xlsx');
    const file = join(OUT, 'monthly.xlsx');
    await download.saveAs(file);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('data')!;
    const { parse } = await import('csv-parse/sync');
    const rows = parse(csvText, { bom: true }) as string[][];
    expect(sheet.rowCount).toBe(rows.length);
    rows.forEach((row, i) => {
      row.forEach((text, j) => {
        const v = sheet.getRow(i + 1).getCell(j + 1).value;
        expect(v === null || v === undefined ? '' : String(v), `row ${i + 1} column ${j + 1}`).toBe(text);
      });
    });
    expect(wb.getWorksheet('provenance')).toBeDefined();
  });

  it('says plainly what the loaded data lacks', async () => {
    expect(await page.locator('#panel-hs-tree .note').first().innerText()).toMatch(
      /No HS product detail for this reporter.*South Africa/,
    );
    expect(await page.locator('#panel-baskets').innerText()).toMatch(
      /Labour-intensive products: the loaded data has no product detail/,
    );
    expect(await page.locator('#panel-basket-yoy').innerText()).toMatch(/Parts without data: .*Lithium-ion/);
    expect(await page.locator('#panel-shares').innerText()).toMatch(/annual and ends in 2020/);
    // monthly partner × product: the solar-exports file (to 2025-09) and the critical-minerals file (to 2024-12)
    expect(await page.locator('#panel-partner-products .note').first().innerText()).toContain(
      'ember-china-solar-exports',
    );
    expect(await page.locator('#panel-partner-products-2 .note').first().innerText()).toContain(
      'comtrade-critical-minerals',
    );
  });

  it('highlights the change in the US share', async () => {
    // IMF DOTS: US share of China's exports 2011 17.10 %, 2020 17.45 % (value and share from the file)
    expect(await page.locator('#panel-shares .us-change').innerText()).toMatch(
      /US share 2011–2020: 17\.1% → 17\.[45]% \(\+0\.[34] percentage points\)/,
    );
  });

  it('switches currency: the tiles change to US dollars and the URL keeps it', async () => {
    await page.click('[data-currency="USD"]');
    await ready(page);
    const ex = await tile(page, 'ytd-exports');
    expect(ex).toContain('US$1.79 trillion');
    expect(ex).toContain('+6.7%');
    expect(page.url()).toContain('cur=USD');
    expect(await page.locator('#panel-monthly .note').first().innerText()).toContain('CNY → USD');
    await page.screenshot({ path: join(OUT, 'dashboard-en-usd.png'), fullPage: true });
  });

  it('switches language: labels and numbers in Chinese, drawn with a CJK font', async () => {
    await page.click('[data-lang="zh"]');
    await ready(page);
    expect(page.url()).toContain('lang=zh');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const ex = await tile(page, 'ytd-exports');
    expect(ex).toContain('出口（年初至今）');
    expect(ex).toContain('1.79万亿美元');
    expect(ex).toContain('同比增长6.7%');
    expect(await tile(page, 'ytd-imports')).toContain('同比下降3.3%');
    expect(ex).toContain('2025年1—6月');
    expect(await page.locator('#h-ranking').innerText()).toBe('主要出口市场');
    expect(await page.locator('#panel-ranking svg').innerHTML()).toContain('美国');
    // the glyphs are rendered with a CJK font (not tofu): ask the renderer which font drew them
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#h-ranking' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const cjk = fonts.filter((f) => /CJK|Noto Sans SC|Source Han/i.test(f.familyName));
    expect(cjk.length, JSON.stringify(fonts)).toBeGreaterThan(0);
    expect(cjk.reduce((n, f) => n + f.glyphCount, 0)).toBeGreaterThanOrEqual(6);
    await page.screenshot({ path: join(OUT, 'dashboard-zh-usd.png'), fullPage: true });
  });

  it('follows drill-downs into a partner and a province, kept in the URL', async () => {
    await page.click('#panel-ranking button[data-partner="USA"]');
    await ready(page);
    expect(page.url()).toContain('partner=USA');
    const detail = (await marks(page)).find((m) => m.id === 'partner-detail');
    expect(detail).toBeTruthy();
    expect(detail!.missing).toBeNull();
    expect(detail!.rows).toBe(10); // 2011–2020
    expect(detail!.paths).toBeGreaterThanOrEqual(10);
    expect(await page.locator('#h-partner-detail').innerText()).toContain('美国');
    await page.screenshot({ path: join(OUT, 'drilldown-usa-zh.png'), fullPage: true });
    // regions: Zhejiang's cities (GAC publishes six of them); Ningbo exported the most, 490,435,620,000 CNY YTD
    await page.click('#panel-regions button[data-region="330000"]');
    await ready(page);
    expect(page.url()).toContain('region=330000');
    const cities = (await marks(page)).find((m) => m.id === 'cities');
    expect(cities?.missing).toBeNull();
    expect(cities?.rows).toBe(7); // six cities and the rest of the province
    expect(await page.locator('#h-cities').innerText()).toContain('浙江省');
    expect(await page.locator('#panel-cities svg').innerHTML()).toContain('宁波市');
    // the shared URL opens the same view
    const again = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await again.goto(page.url());
    await ready(again);
    expect(await again.locator('#h-partner-detail').innerText()).toContain('美国');
    await again.close();
  });
});

describe('narrow screen', () => {
  it('has no horizontal overflow at 375 px and still draws the charts', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await open(page, '');
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(client);
    expect(client).toBe(375);
    const wide = await page.evaluate(() =>
      // HTML boxes and whole chart canvases (legend items scrolled out of view are clipped by their SVG)
      [...document.querySelectorAll<Element>('main *')]
        .filter((e) => e instanceof HTMLElement || e.matches('.chart > div > svg'))
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => e.id || e.tagName),
    );
    expect(wide).toEqual([]);
    for (const m of await marks(page)) expect(m.paths, m.id).toBeGreaterThanOrEqual(3);
    expect(await tile(page, 'ytd-exports')).toContain('CNY 13.00 trillion');
    await page.screenshot({ path: join(OUT, 'dashboard-375px.png'), fullPage: true });
    await page.close();
  });

  it('can be used from the keyboard: the switches are focusable buttons with pressed state', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await open(page, '');
    await page.focus('[data-lang="zh"]');
    await page.keyboard.press('Enter');
    await ready(page);
    expect(page.url()).toContain('lang=zh');
    expect(await page.getAttribute('[data-lang="zh"]', 'aria-pressed')).toBe('true');
    await page.close();
  });
});
