/**
 * A brief as PDF: the self-contained HTML printed by headless Chromium (playwright-core driving Debian's
 * chromium; `TRADESCOPE_CHROMIUM` names another binary). Also measures the page for the tests: elements wider
 * than the page, and the fonts Chromium used.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { UserError } from '../../util/errors.js';

/** The Chromium binary: `TRADESCOPE_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env.TRADESCOPE_CHROMIUM ?? '/usr/bin/chromium';
}

/** Starts headless Chromium (with `--no-sandbox` when running as root, where the sandbox cannot start). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new UserError(
      `chromium not found at ${executablePath}: install it (apt-get install chromium) or set TRADESCOPE_CHROMIUM to its path`,
    );
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath, headless: true, args: root ? ['--no-sandbox'] : [] });
}

/** A4 in CSS pixels at 96 dpi. */
export const A4_WIDTH_PX = 794;

/**
 * Prints HTML to an A4 PDF.
 * @example await writeFile('brief.pdf', await htmlToPdf(renderHtml(brief, 'zh')))
 */
export async function htmlToPdf(html: string, browser?: Browser): Promise<Buffer> {
  const b = browser ?? (await launchChromium());
  try {
    const page = await b.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.close();
    return pdf;
  } finally {
    if (!browser) await b.close();
  }
}

/** What {@link measureHtml} finds on the printed page. */
export interface PageMeasure {
  /** Width available to content on A4 (page minus margins), in CSS pixels. */
  contentWidth: number;
  /** Elements whose right edge passes the content width: tag, id or class, and width. */
  overflowing: { element: string; right: number }[];
  /** Charts (figure > svg) with their rendered width. */
  charts: { id: string; width: number }[];
}

/**
 * Lays the HTML out at A4's content width (print media) and lists anything wider than the page.
 * @example (await measureHtml(html)).overflowing // []
 */
export async function measureHtml(html: string, browser: Browser): Promise<PageMeasure> {
  const page = await browser.newPage({ viewport: { width: A4_WIDTH_PX, height: 1123 } });
  await page.emulateMedia({ media: 'print' });
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  // A4 minus 2 × 20 mm margins
  const contentWidth = Math.floor(((210 - 40) / 25.4) * 96);
  await page.setViewportSize({ width: contentWidth, height: 1123 });
  const m = await page.evaluate((limit: number) => {
    const over: { element: string; right: number }[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 0.5) {
        const tag = el.tagName.toLowerCase();
        const label = tag === 'text' ? ` "${(el.textContent ?? '').slice(0, 40)}"` : '';
        const chart = el.closest('figure')?.getAttribute('data-chart');
        over.push({ element: `${chart ? `${chart} ` : ''}${tag}${el.id ? `#${el.id}` : ''}${label}`, right: r.right });
      }
    }
    const charts = Array.from(document.querySelectorAll('figure[data-chart] > svg')).map((s) => ({
      id: (s.parentElement as HTMLElement).dataset.chart ?? '',
      width: s.getBoundingClientRect().width,
    }));
    return { overflowing: over, charts, scroll: document.documentElement.scrollWidth };
  }, contentWidth);
  await page.close();
  return { contentWidth, overflowing: m.overflowing, charts: m.charts };
}
