/**
 * Records and milestones: is the latest month the highest (or lowest) since some earlier month, or on record
 * within the data; is it the latest of a run of increases. The history is the dataset's whole span, and the
 * text says where the data starts, so "highest on record" never claims more than the data holds.
 */
import { monthLabel, periodText } from '../../i18n/format.js';
import { formatMonth, parsePeriod } from '../../model/period.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { type Detected, type Detector, silentWith } from '../detector.js';
import { makeNum } from '../numbers.js';
import { saturating } from '../rank.js';
import type { KeyPoint } from '../types.js';
import { headlineSpec } from './headline.js';

const FLOWS = [
  { flow: 'X', measure: 'exports', en: 'exports', zh: '出口' },
  { flow: 'M', measure: 'imports', en: 'imports', zh: '进口' },
] as const;

/** Months between two yyyy-mm labels. */
function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

/** The monthly history of one flow, from the dataset's first month to the end of the brief's period. */
export async function recordSpec(ctx: BriefContext, flow: 'X' | 'M'): Promise<QuerySpecInput | undefined> {
  const h = await ctx.ask(headlineSpec(ctx));
  if (!('result' in h)) return undefined;
  const summary = (await ctx.datasets()).find((d) => d.dataset === h.result.provenance.dataset);
  const end = parsePeriod(ctx.request.period).end;
  const first = summary?.firstPeriod?.slice(0, 7);
  if (!first || !/^\d{4}-\d{2}$/.test(first) || first >= formatMonth(end)) return undefined;
  const { reporter, partner } = ctx.request;
  return {
    reporter,
    ...(partner ? { partner } : {}),
    period: `${first}..${formatMonth(end)}`,
    flow: [flow],
    by: ['month'],
    measures: ['records'],
    dataset: h.result.provenance.dataset,
  };
}

export const records: Detector = {
  id: 'records',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    for (const f of FLOWS) {
      const spec = await recordSpec(ctx, f.flow);
      if (!spec) continue;
      const a = await ctx.ask(spec);
      if (!('result' in a)) continue;
      const row = a.result.rows.find((r) => r.measure === `records ${f.measure}`);
      if (!row) continue;
      const month = String(row.period);
      const first = a.result.spec.period.slice(0, 7);
      const cell = (column: string) => ({
        source: a.source,
        match: { period: month, measure: `records ${f.measure}` },
        column,
      });
      const v = makeNum('money', cell('value'), ctx.read, { currency: a.result.provenance.currency });
      if (!v) continue;
      const ml = { en: monthLabel(month, 'en'), zh: monthLabel(month, 'zh') };
      const since = {
        en: `in data that start in ${monthLabel(first, 'en')}`,
        zh: `（数据始于${monthLabel(first, 'zh')}）`,
      };
      const hi = /^highest (on record|since (\d{4}-\d{2}))$/.exec(String(row.highest ?? ''));
      const lo = /^lowest (on record|since (\d{4}-\d{2}))$/.exec(String(row.lowest ?? ''));
      const ext = hi ? { m: hi, en: 'highest', zh: '最高' } : lo ? { m: lo, en: 'lowest', zh: '最低' } : undefined;
      if (ext) {
        const onRecord = ext.m[1] === 'on record';
        const sinceMonth = ext.m[2];
        const span = onRecord ? monthsBetween(first, month) + 1 : monthsBetween(sinceMonth!, month);
        const en = onRecord
          ? `${ml.en} ${f.en} of {v} were the ${ext.en} on record ${since.en}.`
          : `${ml.en} ${f.en} of {v} were the ${ext.en} since ${monthLabel(sinceMonth!, 'en')}.`;
        const zh = onRecord
          ? `${ml.zh}${f.zh}{v}，为有记录以来${ext.zh}${since.zh}。`
          : `${ml.zh}${f.zh}{v}，为${monthLabel(sinceMonth!, 'zh')}以来${ext.zh}。`;
        out.points.push(
          point(
            `records.${f.measure}.${ext.en}`,
            saturating(span, 12, 25, 85),
            `${ext.en}, unbeaten for ${span} months`,
            en,
            zh,
            { v },
          ),
        );
      }
      const run = /^(\d+) (increases|decreases) in a row \(since (\d{4}-\d{2})\)$/.exec(String(row.run ?? ''));
      if (run && Number(run[1]) >= 3) {
        const up = run[2] === 'increases';
        const count = makeNum('count', cell('run'), ctx.read, { extract: '^(\\d+) ' });
        if (!count) continue;
        out.points.push(
          point(
            `records.${f.measure}.run`,
            saturating(Number(run[1]), 4, 20, 60),
            `${run[1]} ${run[2]} in a row`,
            `Monthly ${f.en} have ${up ? 'risen' : 'fallen'} {n} months in a row, since ${monthLabel(run[3]!, 'en')}.`,
            `月度${f.zh}自${monthLabel(run[3]!, 'zh')}起连续{n}个月${up ? '环比增长' : '环比下降'}。`,
            { n: count },
          ),
        );
      }
    }
    if (!out.points.length)
      return silentWith(
        'records',
        `No monthly record stands out in ${periodText(ctx.request.period, 'en')} (or the monthly history is too short to tell).`,
        `${periodText(ctx.request.period, 'zh')}没有值得一提的月度纪录（或月度历史数据太短，无法判断）。`,
      );
    return out;
  },
};

function point(id: string, score: number, why: string, en: string, zh: string, nums: KeyPoint['nums']): KeyPoint {
  return { id, detector: 'records', score, why, text: { en, zh }, nums };
}
