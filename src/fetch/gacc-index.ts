/**
 * GAC's release indexes, read for their links: the English site's Preliminary Release page (a table of the
 * numbered tables (1)–(8) × months, a month linked once its page is published, a `<span>` until then) and the
 * Chinese site's 统计快讯 list (one link per table and currency, titled like the page: `（4）2026年7月…（人民币值）`).
 * Only tables (1)–(6) are release tables; (7) and (8) (freight and inspection bulletins) are not listed.
 */
import * as cheerio from 'cheerio';
import { parseReleaseTitle } from '../ingest/readers/gacc-release/metadata.js';

export type GaccSite = 'en' | 'zh';

/** One page an index links. */
export interface ReleaseLink {
  site: GaccSite;
  /** The URL as the index links it (absolute). */
  url: string;
  section: number;
  currency: 'CNY' | 'USD';
  year: number;
  /** The month the table is for (2 for January–February published combined). */
  month: number;
  /** The index's text for the link (its row title and month, or the page title). */
  label: string;
}

export interface ReleaseIndex {
  site: GaccSite;
  url: string;
  /** The year the English index shows (the first of its year choices); each Chinese link carries its own. */
  year?: number;
  links: ReleaseLink[];
  /** Rows the index lists whose month cells link nothing yet (English: `Apr.` … as spans). */
  unlinked: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads an index page's links to release tables.
 * @example parseReleaseIndex(html, 'http://english.customs.gov.cn/statics/report/preliminary.html').links[0]
 *   // { site: 'en', section: 1, currency: 'CNY', year: 2026, month: 2, url: 'http://english…/Statics/d11e….html', … }
 */
export function parseReleaseIndex(html: string, indexUrl: string): ReleaseIndex {
  const $ = cheerio.load(html);
  const zh = /[\u4e00-\u9fff]/.test($('title').text()) || /统计快讯/.test(html);
  const abs = (href: string) => new URL(href.trim(), indexUrl).toString();
  if (!zh || $('#preliminarysel').length) {
    const year = Number($('#preliminarysel option').first().attr('value'));
    const links: ReleaseLink[] = [];
    let unlinked = 0;
    $('table tr').each((_, tr) => {
      const cells = $(tr).children('td');
      if (cells.length < 2) return;
      const rowTitle = $(cells[0]).text().replace(/\s+/g, ' ').trim();
      const m = /^\((\d)\)\s*(.*?)\(in (CNY|USD|RMB)\)\s*$/i.exec(rowTitle);
      if (!m || Number(m[1]) > 6) return;
      const currency = m[3]!.toUpperCase() === 'USD' ? 'USD' : 'CNY';
      unlinked += $(cells[1]).find('span').length;
      $(cells[1])
        .find('a[href]')
        .each((_, a) => {
          const text = $(a).text().trim();
          const month = MONTHS.indexOf(text.slice(0, 3).toLowerCase()) + 1;
          if (month < 1) return;
          links.push({
            site: 'en',
            url: abs($(a).attr('href')!),
            section: Number(m[1]),
            currency,
            year,
            month,
            label: `${rowTitle}, ${text}`,
          });
        });
    });
    return { site: 'en', url: indexUrl, ...(Number.isFinite(year) && year > 0 ? { year } : {}), links, unlinked };
  }
  const links: ReleaseLink[] = [];
  $('a[href]').each((_, a) => {
    const label = $(a).text().replace(/\s+/g, ' ').trim();
    const t = parseReleaseTitle(label);
    if (!t?.currency) return;
    links.push({
      site: 'zh',
      url: abs($(a).attr('href')!),
      section: t.section,
      currency: t.currency,
      year: t.period.year,
      month: t.period.month,
      label,
    });
  });
  return { site: 'zh', url: indexUrl, links, unlinked: 0 };
}
