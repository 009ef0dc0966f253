/**
 * A saved release page (English site `english.customs.gov.cn`, Chinese site `tjs.customs.gov.cn`), read with
 * cheerio: the metadata the page prints (title, publication date, URL when it carries one) and its table as a
 * {@link Grid}. Pages that hold no table cells are errors that say why: the table is an image (2018-era English
 * pages), the table is only in an embedded viewer (Chinese article pages: the `.xls` attachment is the data), or
 * the page is an index of releases or some other page.
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import iconv from 'iconv-lite';
import { UserError } from '../../../util/errors.js';
import { cleanText, type Grid, type GridCell, type GridRow, htmlIndent } from './grid.js';

export interface PageMeta {
  /** The release title as the page prints it. */
  title: string;
  /** The publication date as printed (`2025/03/11`, `03/08/2018`, `2026-08-07`), if any. */
  dateText?: string;
  /** The page's own URL when it carries one (`<meta name="Url">`, `og:url`, `<link rel="canonical">`). */
  url?: string;
  site: 'en' | 'zh';
}

export interface HtmlRelease {
  meta: PageMeta;
  grid: Grid;
  encoding: string;
}

/** Decodes a page's bytes by its BOM, its declared charset, or as UTF-8 (GB18030 when that is not valid). */
export function decodeHtml(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  const head = bytes.subarray(0, 4096).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && iconv.encodingExists(declared)) {
    const enc = /^(gb2312|gbk|gb18030)$/.test(declared) ? 'gb18030' : declared;
    return { text: iconv.decode(bytes, enc), encoding: enc };
  }
  const utf8 = bytes.toString('utf8');
  if (!utf8.includes('\uFFFD') || declared) return { text: utf8, encoding: 'utf-8' };
  return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
}

/** True when the bytes look like HTML (an HTML table saved with an `.xls` name is one). */
export function looksLikeHtml(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 1024)
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<') && /<(!doctype|html|head|body|table|meta)/.test(head);
}

const RELEASE_LINK = /\/statics\/[0-9a-f]{8}-[0-9a-f-]{27}\.html|\/tjs\/\d{4}-\d{2}\/\d{2}\/article_\d+\.html/i;

function metaContent($: cheerio.CheerioAPI, name: string): string | undefined {
  const v = $(`meta[name="${name}"]`).attr('content') ?? $(`meta[property="${name}"]`).attr('content');
  return v ? cleanText(v) : undefined;
}

/** Reads a page: its metadata and its table, or a UserError naming what the page holds instead. */
export function readHtmlPage(file: string, bytes: Buffer): HtmlRelease {
  const { text, encoding } = decodeHtml(bytes);
  const $ = cheerio.load(text, { sourceCodeLocationInfo: true });
  const zhTitle = metaContent($, 'ArticleTitle');
  const site: 'en' | 'zh' = zhTitle || /[\u4e00-\u9fff]/.test($('title').text()) ? 'zh' : 'en';
  const title = cleanText(
    $('.atcl-ttl').first().text() || zhTitle || $('.news_detail_tit h1').first().text() || $('title').first().text(),
  );
  const dateText =
    cleanText($('.atcl-date').first().text()) ||
    metaContent($, 'PubDate') ||
    /发布时间[:：]\s*(\d{4}-\d{2}-\d{2})/.exec($('.func').text())?.[1] ||
    undefined;
  const url =
    metaContent($, 'Url') ?? metaContent($, 'og:url') ?? ($('link[rel="canonical"]').attr('href') || undefined);
  const meta: PageMeta = { title, site, ...(dateText ? { dateText } : {}), ...(url ? { url } : {}) };
  const where = `${file}: "${title || '(no title)'}"${dateText ? `, published ${dateText}` : ''}`;

  // an index links many release pages (English: /Statics/<uuid>.html; Chinese: /tjs/YYYY-MM/DD/article_….html)
  const releaseLinks = $('a')
    .toArray()
    .filter((a) => RELEASE_LINK.test($(a).attr('href') ?? '')).length;
  if (releaseLinks >= 3)
    throw new UserError(
      `${where}: not a release table page: it is an index of releases (${releaseLinks} links to release pages); ingest the pages it links`,
      [{ code: 'not-a-release', severity: 'error', message: 'an index page, not a release table', at: { file } }],
    );
  const content = $('.atcl-cnt, .news_detail_con, #easysiteText, .TRS_Editor').first();
  const scope = content.length ? content : $('body');
  const table = pickTable($, scope);
  if (!table) {
    const img = scope.find('img').first().attr('src');
    if (img)
      throw new UserError(
        `${where}: the table of this page is an image (${img}), not cells: there is nothing to read (use the release's .xls attachment or another source for this month)`,
        [{ code: 'image-table', severity: 'error', message: `table is an image: ${img}`, at: { file } }],
      );
    const frame = scope.find('iframe').first().attr('src');
    if (frame)
      throw new UserError(
        `${where}: the table is only shown in an embedded viewer (iframe ${frame.split('?')[0]}), not in the page: ingest the release's .xls attachment instead`,
        [{ code: 'viewer-only', severity: 'error', message: `table only in a viewer iframe: ${frame}`, at: { file } }],
      );
    throw new UserError(`${where}: not a GAC release table page: no table found`, [
      { code: 'not-a-release', severity: 'error', message: 'no table found', at: { file } },
    ]);
  }
  return { meta, grid: tableGrid($, table), encoding };
}

/** The page's data table: the largest table in the content (layout tables of the site hold few cells). */
function pickTable($: cheerio.CheerioAPI, scope: cheerio.Cheerio<Element>): Element | undefined {
  let best: Element | undefined;
  let bestCells = 0;
  for (const t of scope.find('table').toArray()) {
    // an outer table that only wraps another is not the data table
    const cells = $(t).find('td, th').length - $(t).find('table').find('td, th').length;
    if (cells > bestCells) {
      best = t;
      bestCells = cells;
    }
  }
  return bestCells >= 4 ? best : undefined;
}

/** A table's rows with merged cells copied into each position they cover. */
function tableGrid($: cheerio.CheerioAPI, table: Element): Grid {
  const rows: GridRow[] = [];
  // positions still covered by a rowspan from above: column → {cell, rows left}
  const pending = new Map<number, { cell: GridCell; left: number }>();
  const trs = $(table)
    .find('tr')
    .toArray()
    .filter((tr) => $(tr).closest('table')[0] === table);
  trs.forEach((tr, i) => {
    const cells: GridCell[] = [];
    let col = 0;
    const fillPending = () => {
      for (;;) {
        const p = pending.get(col);
        if (!p) return;
        cells[col] = { ...p.cell, spanned: true };
        if (--p.left === 0) pending.delete(col);
        col++;
      }
    };
    for (const td of $(tr).children('td, th').toArray()) {
      fillPending();
      const raw = $(td).text();
      const images = $(td)
        .find('img')
        .toArray()
        .map((im) => $(im).attr('src') ?? '');
      const cell: GridCell = {
        text: cleanText(raw),
        indent: htmlIndent(raw),
        spanned: false,
        ...(images.length ? { images } : {}),
      };
      const colspan = Math.max(1, Number($(td).attr('colspan') ?? 1) || 1);
      const rowspan = Math.max(1, Number($(td).attr('rowspan') ?? 1) || 1);
      for (let k = 0; k < colspan; k++) {
        const c = k === 0 ? cell : { ...cell, spanned: true };
        cells[col] = c;
        if (rowspan > 1) pending.set(col, { cell: c, left: rowspan - 1 });
        col++;
      }
    }
    fillPending();
    for (let k = 0; k < cells.length; k++) cells[k] ??= { text: '', indent: 0, spanned: false };
    rows.push({ line: tr.sourceCodeLocation?.startLine ?? i + 1, row: i + 1, cells });
  });
  return { rows };
}
