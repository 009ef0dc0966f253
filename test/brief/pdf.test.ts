/**
 * The HTML and PDF briefs checked, not only saved: the PDF's extracted text has the headline numbers, every
 * chart's SVG has drawn marks, Chinese is set in Noto Sans CJK (embedded in the PDF; drawn as glyphs by the
 * chart renderer), and nothing is wider than an A4 page (measured in Chromium).
 */

import { PDFParse } from 'pdf-parse';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief } from '../../src/brief/compose.js';
import { renderHtml } from '../../src/brief/render/html.js';
import { htmlToPdf, launchChromium, measureHtml } from '../../src/brief/render/pdf.js';
import type { Brief } from '../../src/brief/types.js';
import { storeWith, type TestStore } from './store.js';

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: pdf });
  try {
    // CJK fonts map some characters to Kangxi radicals (⽉ for 月); NFKC folds them back
    return (await parser.getText()).text.normalize('NFKC');
  } finally {
    await parser.destroy();
  }
}

/** Font names embedded in a PDF (`/FontName /AAAAAA+NotoSansCJKsc-Regular`). */
function pdfFonts(pdf: Buffer): string[] {
  return [...new Set(pdf.toString('latin1').match(/\/FontName\s*\/[A-Z]{6}\+[A-Za-z0-9-]+/g) ?? [])].map((f) =>
    f.replace(/^\/FontName\s*\/[A-Z]{6}\+/, ''),
  );
}

describe('HTML and PDF briefs', { timeout: 300_000 }, () => {
  let t: TestStore;
  let brief: Brief;
  let browser: Browser;
  const html: Record<'en' | 'zh', string> = { en: '', zh: '' };
  beforeAll(async () => {
    t = await storeWith('all');
    brief = await buildBrief(t.store, { reporter: 'CHN', period: 'ytd:2025-06' });
    html.en = renderHtml(brief, 'en');
    html.zh = renderHtml(brief, 'zh');
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is self-contained: charts inlined as SVG, fonts declared, no external resource', () => {
    for (const h of [html.en, html.zh]) {
      expect(h).toMatch(/@font-face \{ font-family: 'Noto Sans CJK SC'/);
      expect(h).not.toMatch(/<(script|link|img)\b/);
      expect(h).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(h.match(/<figure data-chart="[^"]+"[^>]*>\n<svg /g)?.length).toBe(brief.charts.length);
    }
    expect(brief.charts.length).toBeGreaterThanOrEqual(4);
  });

  it('every chart has drawn marks', () => {
    for (const h of [html.en, html.zh]) {
      for (const fig of h.matchAll(/<figure data-chart="([^"]+)"[^>]*>\n(<svg[\s\S]*?<\/svg>)/g)) {
        const svg = fig[2]!;
        // series marks carry ECharts' data index (bars, points, areas)
        const marks = svg.match(/ecmeta_series_index="\d+" ecmeta_data_index="\d+"/g)?.length ?? 0;
        const lines = svg.match(/<path [^>]*stroke="#(c0392b|1f5fa8)"[^>]*stroke-width="2"/g)?.length ?? 0;
        expect(marks + lines, `chart ${fig[1]}`).toBeGreaterThan(0);
      }
    }
  });

  it('prints to PDF whose text holds the headline numbers, in English and Chinese', async () => {
    const en = (await pdfText(await htmlToPdf(html.en, browser))).replace(/\s+/g, ' ');
    expect(en).toContain('CNY 13.00 trillion');
    expect(en).toContain('up 7.2% year on year');
    const zhPdf = await htmlToPdf(html.zh, browser);
    const zh = (await pdfText(zhPdf)).replace(/\s+/g, '');
    // (NFKC also folds the full-width comma; 长 may come out as the radical ⻓, which NFKC keeps)
    expect(zh).toMatch(/中国出口13\.00万亿元,同比增.7\.2%/);
    // Chinese is set in Noto Sans CJK, embedded; Latin text in DejaVu Sans
    const fonts = pdfFonts(zhPdf);
    expect(fonts.some((f) => /^NotoSansCJK/.test(f))).toBe(true);
    expect(fonts.some((f) => /^DejaVuSans/.test(f))).toBe(true);
  });

  it('Chromium draws the Chinese text with the CJK font (no missing glyphs)', async () => {
    const page = await browser.newPage();
    await page.setContent(html.zh, { waitUntil: 'load' });
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [
        document.fonts.check("16px 'Noto Sans CJK SC'", '出口'),
        document.fonts.check("16px 'DejaVu Sans'", 'exports'),
      ];
    });
    await page.close();
    expect(fonts).toEqual([true, true]);
    const cdp = await browser.newContext().then(async (c) => {
      const p = await c.newPage();
      await p.setContent(html.zh, { waitUntil: 'load' });
      const s = await c.newCDPSession(p);
      await s.send('DOM.enable');
      await s.send('CSS.enable');
      const doc = (await s.send('DOM.getDocument', {})) as { root: { nodeId: number } };
      const li = (await s.send('DOM.querySelector', { nodeId: doc.root.nodeId, selector: 'ol.points li' })) as {
        nodeId: number;
      };
      const used = (await s.send('CSS.getPlatformFontsForNode', { nodeId: li.nodeId })) as {
        fonts: { familyName: string; glyphCount: number }[];
      };
      await c.close();
      return used.fonts;
    });
    // the first key point's Chinese glyphs come from Noto Sans CJK, its digits and Latin from DejaVu Sans
    expect(cdp.find((f) => /Noto Sans CJK/.test(f.familyName))?.glyphCount ?? 0).toBeGreaterThan(10);
    expect(cdp.every((f) => /Noto Sans CJK|DejaVu Sans/.test(f.familyName))).toBe(true);
  });

  it('no element is wider than the page', async () => {
    for (const h of [html.en, html.zh]) {
      const m = await measureHtml(h, browser);
      expect(m.overflowing).toEqual([]);
      expect(m.charts.length).toBe(brief.charts.length);
      for (const c of m.charts) expect(c.width).toBeLessThanOrEqual(m.contentWidth);
    }
  });
});
