/**
 * Writing a brief out: Markdown (charts as SVG and PNG files beside it), self-contained HTML, or PDF, chosen by the
 * output file's extension. Shared by the CLI and the HTTP route.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { renderChartPng, renderChartSvg } from '../charts/render.js';
import type { Lang } from '../i18n/format.js';
import { UserError } from '../util/errors.js';
import { HTML_CHART_SIZE, renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { htmlToPdf } from './render/pdf.js';
import type { Brief } from './types.js';

/** The formats a brief is written in. */
export type BriefFormat = 'md' | 'html' | 'pdf';

/**
 * The format of an output path by its extension.
 * @example formatOf('brief.html') // 'html'
 */
export function formatOf(path: string): BriefFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.pdf') return 'pdf';
  throw new UserError(`--out: unknown brief format ${ext || '(no extension)'} in ${path} (use .md, .html or .pdf)`);
}

/**
 * Writes a brief to a file; Markdown gets its charts as SVG and PNG (resvg, 2×) files in `<name>.charts/`, linking the PNGs. Returns the files written.
 * @example await writeBrief(brief, 'zh', 'brief-zh.pdf')
 */
export async function writeBrief(brief: Brief, lang: Lang, path: string): Promise<string[]> {
  const format = formatOf(path);
  if (format === 'pdf') {
    writeFileSync(path, await htmlToPdf(renderHtml(brief, lang)));
    return [path];
  }
  if (format === 'html') {
    writeFileSync(path, renderHtml(brief, lang));
    return [path];
  }
  const written = [path];
  let chartPath: string | undefined;
  if (brief.charts.length) {
    const dir = `${basename(path, extname(path))}.charts`;
    mkdirSync(join(dirname(path), dir), { recursive: true });
    for (const c of brief.charts) {
      const svg = renderChartSvg(c.option[lang], HTML_CHART_SIZE, { idPrefix: c.id });
      const base = join(dirname(path), dir, c.id);
      writeFileSync(`${base}.svg`, svg);
      writeFileSync(`${base}.png`, renderChartPng(svg, { scale: 2 }));
      written.push(`${base}.svg`, `${base}.png`);
    }
    chartPath = `${dir}/{id}.png`;
  }
  writeFileSync(path, renderMarkdown(brief, lang, chartPath ? { chartPath } : {}));
  return written;
}
