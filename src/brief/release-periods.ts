/**
 * The brief periods GAC's loaded release pages answer, read from their vintage sources (`publication date of
 * "(4) China's … January-February 2025 (in CNY)" …`): January–February published combined is `2025-01+02`, another
 * month's table is its year to date (`ytd:2025-04`), the window tables (4) and (5) print beside the month. Used by
 * the dashboard to offer the brief of each release.
 */
import { parseReleaseTitle } from '../ingest/readers/gacc-release/metadata.js';

export interface ReleaseBrief {
  /** The page's title as printed. */
  title: string;
  /** Its publication date (the vintage). */
  published: string;
  section: number;
  /** The brief period its figures answer. */
  period: string;
}

/**
 * @example releaseBriefs([{ vintage: '2025-03-11', vintageSource: 'publication date of "(4) China\'s … January-February 2025 (in CNY)" …' }])
 * // [{ title: '(4) China's …', published: '2025-03-11', section: 4, period: '2025-01+02' }]
 */
export function releaseBriefs(vintages: readonly { vintage: string; vintageSource: string }[]): ReleaseBrief[] {
  const out: ReleaseBrief[] = [];
  for (const v of vintages) {
    const title = /^publication date of "([^"]+)"/.exec(v.vintageSource)?.[1];
    const t = title ? parseReleaseTitle(title) : undefined;
    if (!title || !t) continue;
    const { year, month, janFeb } = t.period;
    const period = janFeb ? `${year}-01+02` : `ytd:${year}-${String(month).padStart(2, '0')}`;
    out.push({ title, published: v.vintage, section: t.section, period });
  }
  return out.sort((a, b) => b.published.localeCompare(a.published) || a.section - b.section);
}
