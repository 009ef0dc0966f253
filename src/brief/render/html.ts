/**
 * A brief as one self-contained HTML file: text, footnotes and charts inlined as SVG (the dashboard's ECharts
 * options rendered server-side), fonts declared (DejaVu Sans for Latin text, Noto Sans CJK for Chinese), and a
 * print stylesheet for A4 so that Chromium's print gives the PDF.
 */
import { renderChartSvg } from '../../charts/render.js';
import type { Lang } from '../../i18n/format.js';
import type { Brief, BriefChart } from '../types.js';
import { Citations, footnoteText, pointText, words } from './common.js';

/** Chart size in the HTML brief: fits A4's text width (170 mm ≈ 642 px) with margins. */
export const HTML_CHART_SIZE = { width: 620, height: 300 };

const FONT_STACK = "'DejaVu Sans', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

/**
 * Renders a brief as a standalone HTML document.
 * @example await writeFile('brief.html', renderHtml(brief, 'en'))
 */
export function renderHtml(brief: Brief, lang: Lang): string {
  const w = words(lang);
  const cite = new Citations();
  const mark = (ns: number[]) =>
    ns.length ? `<sup class="fn">${ns.map((n) => `<a href="#src-${n}">${n}</a>`).join(',')}</sup>` : '';
  const points = brief.points
    .map((p) => `<li data-point="${esc(p.id)}">${esc(pointText(p, lang))}${mark(cite.of(p))}</li>`)
    .join('\n');
  const changes = brief.request.since
    ? `<h2>${esc(w.changes)} (${esc(brief.request.since)})</h2>\n<ul>${
        brief.changes.length
          ? brief.changes.map((p) => `<li>${esc(pointText(p, lang))}${mark(cite.of(p))}</li>`).join('\n')
          : `<li>${esc(w.noChanges)}</li>`
      }</ul>`
    : '';
  const charts = brief.charts.length
    ? `<h2>${esc(w.charts)}</h2>\n${brief.charts.map((c) => chartFigure(c, lang)).join('\n')}`
    : '';
  const missing = brief.missing.length
    ? `<h2>${esc(w.missing)}</h2>\n<ul class="missing">${brief.missing.map((m) => `<li>${esc(m.text[lang])}</li>`).join('\n')}</ul>`
    : '';
  const sources = cite
    .cited(brief)
    .map(({ n, source }) => {
      const f = footnoteText(source, lang);
      return `<li id="src-${n}" value="${n}"><code>${esc(f.query)}</code> — ${esc(f.data)}</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tradescope">
<title>${esc(brief.title[lang])}</title>
<style>
@font-face { font-family: 'DejaVu Sans'; src: local('DejaVu Sans'), local('DejaVuSans'); }
@font-face { font-family: 'Noto Sans CJK SC'; src: local('Noto Sans CJK SC'), local('NotoSansCJKsc-Regular'); }
@page { size: A4; margin: 18mm 20mm; }
html { font-family: ${FONT_STACK}; font-size: 11pt; line-height: 1.5; color: #1d2630; }
body { max-width: 170mm; margin: 0 auto; padding: 0 4mm; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #d0d6dc; }
p.draft { font-size: 9.5pt; color: #4e5d6c; font-style: italic; }
ol.points li { margin: 0 0 2mm; }
figure { margin: 4mm 0; break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #4e5d6c; }
sup.fn a { text-decoration: none; color: #1f5fa8; font-size: 8pt; padding-left: 1px; }
ol.sources { font-size: 8.5pt; color: #37474f; padding-left: 6mm; }
ol.sources code { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; overflow-wrap: anywhere; word-break: break-all; }
ul.missing li { color: #6b4e00; }
</style>
</head>
<body>
<h1>${esc(brief.title[lang])}</h1>
<p class="draft">${esc(w.draft)}</p>
<h2>${esc(w.keyPoints)}</h2>
<ol class="points">
${points}
</ol>
${changes}
${charts}
${missing}
${sources ? `<h2>${esc(w.sources)}</h2>\n<p class="rerun">${esc(w.rerun)}</p>\n<ol class="sources">\n${sources}\n</ol>` : ''}
</body>
</html>
`;
}

function chartFigure(c: BriefChart, lang: Lang): string {
  const svg = renderChartSvg(c.option[lang], HTML_CHART_SIZE, { idPrefix: c.id });
  const caption = c.caption ? `\n<figcaption>${esc(c.caption[lang])}</figcaption>` : '';
  return `<figure data-chart="${esc(c.id)}" aria-label="${esc(c.title[lang])}">\n${svg}${caption}\n</figure>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}
