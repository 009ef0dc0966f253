/**
 * A brief as Markdown: title, key points with footnote markers, what the brief cannot say, chart references
 * and the sources (one footnote per query).
 */
import type { Lang } from '../../i18n/format.js';
import type { Brief } from '../types.js';
import { Citations, footnoteText, pointText, words } from './common.js';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Link each chart to this path (`{id}` replaced by the chart id); without it charts are listed by title. */
  chartPath?: string;
}

/**
 * Renders a brief as Markdown with footnotes (`[^1]`).
 * @example renderMarkdown(brief, 'zh')
 */
export function renderMarkdown(brief: Brief, lang: Lang, opts: MarkdownOptions = {}): string {
  const w = words(lang);
  const cite = new Citations();
  const out: string[] = [`# ${brief.title[lang]}`, '', `*${w.draft}*`, '', `## ${w.keyPoints}`, ''];
  brief.points.forEach((p, i) => {
    const marks = cite
      .of(p)
      .map((n) => `[^${n}]`)
      .join('');
    out.push(`${i + 1}. ${pointText(p, lang)}${marks}`);
  });
  if (brief.request.since) {
    out.push('', `## ${w.changes} (${brief.request.since})`, '');
    if (!brief.changes.length) out.push(w.noChanges);
    for (const p of brief.changes)
      out.push(
        `- ${pointText(p, lang)}${cite
          .of(p)
          .map((n) => `[^${n}]`)
          .join('')}`,
      );
  }
  if (brief.charts.length) {
    out.push('', `## ${w.charts}`, '');
    for (const c of brief.charts) {
      const title = c.caption ? `${c.title[lang]} (${c.caption[lang]})` : c.title[lang];
      out.push(opts.chartPath ? `![${title}](${opts.chartPath.replace('{id}', c.id)})` : `- ${title}`);
    }
  }
  if (brief.missing.length) {
    out.push('', `## ${w.missing}`, '');
    for (const m of brief.missing) out.push(`- ${m.text[lang]}`);
  }
  const cited = cite.cited(brief);
  if (cited.length) {
    out.push('', `## ${w.sources}`, '', `${w.rerun}${lang === 'zh' ? '。' : '.'}`, '');
    for (const { n, source } of cited) {
      const f = footnoteText(source, lang);
      out.push(`[^${n}]: \`${f.query}\` — ${f.data}${lang === 'zh' ? '。' : '.'}`);
    }
  }
  return `${out.join('\n')}\n`;
}
