/**
 * Reader for GAC's monthly preliminary release (统计快讯), `--format gacc-release`: a saved page of the English or
 * Chinese site (`.html`), its `.xls` attachment (BIFF, XLSX, or an HTML table saved as `.xls`), or a folder of
 * them (one load per file; see {@link listReleaseFiles}).
 *
 * - Metadata: the title gives the table ((1) totals, (2)/(3) trade mode, (4) partners, (5) exports, (6) imports;
 *   the description wins over a contradicting number), the period and the currency; the unit line gives the
 *   unit (checked against the title's currency); the page's publication date is the release's vintage (an
 *   ambiguous `06/10/2019` is read as the date after the period nearest to it, and the reading recorded).
 * - Datasets: `gacc-release-cny` and `gacc-release-usd` (the published USD figures are GAC's, converted per
 *   transaction, not CNY over a rate: they are kept apart, and each currency's printed YoY with them).
 * - Values: a month column is the month (`2025-04`); a year-to-date column is the published cumulative figure
 *   (`ytd:2025-04`, January–February combined is `ytd:2025-02`), never a sum of months; the prior year's
 *   year-to-date column is that figure as this release prints it (GAC's revised base); YoY columns are staged as
 *   published rates (ratios) with the printed percentage in their note.
 * - Provenance: every cell carries the file, its row's line (the `<tr>` of the page, the sheet row), the column
 *   header in its field name; the load records the sha256 of the raw bytes, the vintage and, in the vintage
 *   source, the title, publication date and the page's URL when it carries one.
 * - Errors name the file, row and cell: an image-only table, a table only in a viewer, an index page, a page of
 *   another kind, a column the reader does not recognise, a garbled or contradicting unit line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type Problem, UserError } from '../../../util/errors.js';
import type { Reader, ReaderItem, SourceInfo } from '../../staged-row.js';
import type { TableContext } from './emit.js';
import type { Grid } from './grid.js';
import { looksLikeHtml, type PageMeta, readHtmlPage } from './html-page.js';
import { tableLayout } from './layout.js';
import { parsePublicationDate, parseReleaseTitle, type ReleaseTitle } from './metadata.js';
import { commodityRows } from './table-commodities.js';
import { partnerRows } from './table-partners.js';
import { totalRows } from './table-totals.js';
import { tradeModeRows } from './table-trade-modes.js';
import { looksLikeWorkbook, readWorkbookGrid } from './workbook.js';

const RELEASE_EXTENSIONS = new Set(['.html', '.htm', '.xls', '.xlsx']);

/**
 * The release files a path names: the file itself, or a folder's `.html`, `.htm`, `.xls` and `.xlsx` files in
 * name order (not recursive).
 * @example listReleaseFiles('test/fixtures/gacc-releases') // ['…/release_section4_by_country_janfeb2025_cny.html', …]
 */
export function listReleaseFiles(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((f) => RELEASE_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(path, f));
  if (!files.length) throw new UserError(`${path}: no release files (.html, .xls, .xlsx) in this folder`);
  return files;
}

/**
 * The URL a fetched file came from: `tradescope fetch gacc` keeps `<file>.source.json` beside the raw bytes (the
 * English pages do not name their own URL).
 */
function fetchedFrom(file: string): string | undefined {
  try {
    const side = JSON.parse(readFileSync(`${file}.source.json`, 'utf8')) as { url?: unknown };
    return typeof side.url === 'string' ? side.url : undefined;
  } catch {
    return undefined;
  }
}

const KIND_NAME: Record<ReleaseTitle['kind'], string> = {
  totals: 'total values',
  'trade-mode': 'by trade mode',
  partners: 'by country/region',
  exports: 'major exports by quantity and value',
  imports: 'major imports by quantity and value',
};

/** Opens a release file: reads its metadata and table layout now (so that a bad file fails before staging). */
export async function openGaccReleaseReader(file: string): Promise<Reader> {
  const bytes = readFileSync(file);
  let grid: Grid;
  let meta: PageMeta;
  let encoding: string;
  if (looksLikeWorkbook(bytes)) {
    grid = readWorkbookGrid(file, bytes);
    const first = grid.rows
      .slice(0, 6)
      .flatMap((r) => r.cells.filter((c) => !c.spanned).map((c) => c.text))
      .find((t) => parseReleaseTitle(t));
    meta = { title: first ?? '', site: /[\u4e00-\u9fff]/.test(first ?? '') ? 'zh' : 'en' };
    encoding = 'workbook';
  } else if (looksLikeHtml(bytes)) {
    const page = readHtmlPage(file, bytes);
    grid = page.grid;
    meta = page.meta;
    encoding = page.encoding;
  } else {
    throw new UserError(`${file}: not a GAC release page or workbook (neither HTML nor an .xls/.xlsx workbook)`, [
      { code: 'not-a-release', severity: 'error', message: 'unknown file type', at: { file } },
    ]);
  }
  const fetched = fetchedFrom(file);
  if (fetched && !meta.url) meta = { ...meta, url: fetched };
  let title = parseReleaseTitle(meta.title);
  if (!title) {
    // the table's own title row (the page title may be the site's)
    const own = grid.rows
      .slice(0, 4)
      .flatMap((r) => r.cells.map((c) => c.text))
      .find((t) => parseReleaseTitle(t));
    if (own) {
      title = parseReleaseTitle(own);
      meta = { ...meta, title: own };
    }
  }
  if (!title) {
    throw new UserError(
      `${file}: not a GAC release table: its title ${JSON.stringify(meta.title)} names no release table (total values, by trade mode, by country/region, major exports, major imports) with a period`,
      [{ code: 'not-a-release', severity: 'error', message: 'no release title', at: { file }, value: meta.title }],
    );
  }
  const warnings: Problem[] = title.notes.map((message) => ({
    code: 'section-contradicts-description',
    severity: 'warning' as const,
    message,
    at: { file },
  }));
  const layout = tableLayout(file, grid, title);
  const currency = layout.unit.currency;
  const pub = meta.dateText ? parsePublicationDate(meta.dateText, title.period) : undefined;
  if (meta.dateText && !pub)
    warnings.push({
      code: 'bad-publication-date',
      severity: 'warning',
      message: `cannot read the publication date ${JSON.stringify(meta.dateText)}`,
      at: { file },
    });
  if (pub?.ambiguous)
    warnings.push({ code: 'ambiguous-date', severity: 'info', message: `publication date ${pub.note}`, at: { file } });
  if (!pub)
    warnings.push({
      code: 'no-publication-date',
      severity: 'warning',
      message: 'the file carries no publication date: give the release date of its page with --vintage',
      at: { file },
    });
  const describe = `table (${title.section}) ${KIND_NAME[title.kind]}, ${currency}`;
  const info: SourceInfo & { datasetInfo: { name: string; source: string; notes: string } } = {
    encoding,
    dataset: `gacc-release-${currency.toLowerCase()}`,
    ...(pub
      ? {
          vintage: pub.date,
          vintageSource: `publication date of "${meta.title}" (${describe}): ${pub.note}${meta.url ? `; ${meta.url}` : ''}`,
        }
      : {}),
    warnings,
    datasetInfo: {
      name: `GAC preliminary release (统计快讯), ${currency}`,
      source: `General Administration of Customs of China, Statistics → Preliminary Release (english.customs.gov.cn; tjs.customs.gov.cn 统计快讯)`,
      notes: `preliminary figures (the monthly bulletin's corrected figures supersede them: a later publication is a new vintage); year-to-date columns are GAC's published cumulative figures; YoY as printed; values in ${layout.unit.label}`,
    },
  };
  const warned = new Set<string>();
  const ctx: TableContext = {
    file,
    ...(grid.sheet ? { sheet: grid.sheet } : {}),
    title,
    layout,
    info,
    warn(p) {
      const k = `${p.code}|${p.message}`;
      if (warned.has(k)) return;
      warned.add(k);
      warnings.push(p);
    },
  };
  return {
    info,
    async *read(): AsyncIterable<ReaderItem> {
      switch (title.kind) {
        case 'partners':
          yield* partnerRows(ctx);
          break;
        case 'exports':
        case 'imports':
          yield* commodityRows(ctx);
          break;
        case 'trade-mode':
          yield* tradeModeRows(ctx);
          break;
        case 'totals':
          yield* totalRows(ctx);
          break;
      }
    },
  };
}
