/**
 * Revisions in the latest release: the cumulative (year-to-date) figure against the sum of the months as
 * first published. A gap means earlier months were revised; the text says in which direction and by how much.
 */
import { periodText } from '../../i18n/format.js';
import { formatMonth, parsePeriod } from '../../model/period.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector, silentWith } from '../detector.js';
import { makeNum, signOf } from '../numbers.js';
import { saturating } from '../rank.js';

/** The revision measure over the months of the brief's period. */
export function revisionSpec(ctx: BriefContext): QuerySpecInput {
  const p = parsePeriod(ctx.request.period);
  const { reporter, partner } = ctx.request;
  return {
    reporter,
    ...(partner ? { partner } : {}),
    period: `${formatMonth(p.start)}..${formatMonth(p.end)}`,
    measures: ['revision'],
  };
}

const FLOWS = [
  { measure: 'revision exports', en: 'exports', zh: '出口' },
  { measure: 'revision imports', en: 'imports', zh: '进口' },
] as const;

export const revisions: Detector = {
  id: 'revisions',
  async detect(ctx) {
    const a = await ctx.ask(revisionSpec(ctx));
    const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
    if (!('result' in a) || a.result.rows.every((r) => r.revision === null || r.revision === undefined))
      return silentWith(
        'revisions',
        `Revisions cannot be measured for ${pt.en}: the data has no cumulative figures to compare with the months as first published.`,
        `无法衡量${pt.zh}的数据修订：数据中没有可与各月初值比较的累计数。`,
      );
    const out: Detected = { points: [], missing: [] };
    const cur = a.result.provenance.currency;
    for (const f of FLOWS) {
      const cell = (column: string) => ({ source: a.source, match: { measure: f.measure }, column });
      const v = makeNum('money', cell('value'), ctx.read, { currency: cur });
      const r = makeNum('money', cell('revision'), ctx.read, { currency: cur, abs: true });
      const rp = makeNum('pct', cell('revision_pct'), ctx.read, { abs: true, digits: 2 });
      if (!v || !r || !rp) continue;
      const s = signOf(ctx.read(cell('revision')) ?? '0');
      if (s === 0) continue;
      const en =
        `The cumulative ${f.en} figure for ${pt.en}, {v}, is {r} ({rp}) ${s < 0 ? 'below' : 'above'} the sum of the months as first published: ` +
        `earlier months were revised ${s < 0 ? 'down' : 'up'}, and the latest month's figure is preliminary.`;
      const zh = `${pt.zh}累计${f.zh}{v}，比各月初值之和${s < 0 ? '低' : '高'}{r}（{rp}），说明此前月份数据被${s < 0 ? '下修' : '上修'}；最新月份数据为初步数据。`;
      out.points.push({
        id: `revisions.${f.en}`,
        detector: 'revisions',
        score: saturating(approx(rp.value), 0.2, 15, 60),
        why: `revision ${rp.value} % of the cumulative figure`,
        text: { en, zh },
        nums: { v, r, rp },
        preliminary: true,
      });
    }
    return out;
  },
};
