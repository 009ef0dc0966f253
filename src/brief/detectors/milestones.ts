/**
 * Milestones of the year to date: is this January–June (or any year-to-date window) the largest of its kind
 * in the data — the largest January–June surplus, the highest January–June exports — and by how much does it
 * pass the previous high? The same window is read for every earlier year the dataset holds; the text names
 * where the data starts, and the score grows with the number of years beaten (rarity).
 */
import { periodText } from '../../i18n/format.js';
import { monthId, monthOf, parsePeriod, yearOf, ytdPeriod } from '../../model/period.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector } from '../detector.js';
import { areaName } from '../names.js';
import { makeNum, signOf } from '../numbers.js';
import { saturating } from '../rank.js';
import type { CellRef } from '../types.js';
import { headlineSpec } from './headline.js';

const MEASURES = [
  { measure: 'exports', en: 'exports', zh: '出口' },
  { measure: 'balance', en: 'trade surplus', zh: '贸易顺差' },
] as const;

export const milestones: Detector = {
  id: 'milestones',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    const p = parsePeriod(ctx.request.period);
    if (p.kind !== 'ytd' || monthOf(p.end) === 12) return out;
    const h = await ctx.ask(headlineSpec(ctx));
    if (!('result' in h)) return out;
    const summary = (await ctx.datasets()).find((d) => d.dataset === h.result.provenance.dataset);
    const firstYear = Number(summary?.firstPeriod?.slice(0, 4));
    const year = yearOf(p.end);
    if (!Number.isInteger(firstYear) || firstYear >= year) return out;
    // the same window in every earlier year of the dataset
    const earlier: { year: number; source: number; period: string }[] = [];
    for (let y = firstYear; y < year; y++) {
      const period = ytdPeriod(monthId(y, monthOf(p.end))).label;
      const a = await ctx.ask(headlineSpec(ctx, { period, compare: undefined, dataset: h.result.provenance.dataset }));
      if ('result' in a) earlier.push({ year: y, source: a.source, period });
    }
    if (!earlier.length) return out;
    const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
    const window = { en: pt.en.replace(/ \d{4}$/, ''), zh: pt.zh.replace(/^\d{4}年/, '') };
    for (const m of MEASURES) {
      const nowCell: CellRef = {
        source: h.source,
        match: { period: h.result.spec.period, measure: m.measure },
        column: 'value',
      };
      const now = ctx.read(nowCell);
      if (now === undefined || signOf(now) <= 0) continue;
      const before = earlier
        .map((e) => ({
          ...e,
          cell: { source: e.source, match: { period: e.period, measure: m.measure }, column: 'value' },
        }))
        .map((e) => ({ ...e, value: ctx.read(e.cell) }))
        .filter((e): e is typeof e & { value: string } => e.value !== undefined);
      if (before.length !== earlier.length) continue; // a year without the figure: no claim
      const best = before.reduce((a, b) => (approx(b.value) > approx(a.value) ? b : a));
      if (approx(now) <= approx(best.value)) continue;
      const v = makeNum('money', nowCell, ctx.read, { currency: h.result.provenance.currency });
      const prev = makeNum('money', best.cell, ctx.read, { currency: h.result.provenance.currency });
      if (!v || !prev) continue;
      const who = { en: areaName(ctx.request.reporter, 'en'), zh: areaName(ctx.request.reporter, 'zh') };
      out.points.push({
        id: `milestones.${m.measure}`,
        detector: 'milestones',
        score: saturating(before.length, 5, 15, 85),
        why: `largest ${window.en} ${m.en} in ${before.length + 1} years of data`,
        text: {
          en: `The ${window.en} ${m.en} figure, {v}, is the largest for that period in the data for ${who.en}, which start in ${firstYear}; the previous high was {prev} in ${best.year}.`,
          zh: `${window.zh}${m.zh}{v}，为${who.zh}数据中同期最高（数据始于${firstYear}年）；此前最高为${best.year}年的{prev}。`,
        },
        nums: { v, prev },
      });
    }
    return out;
  },
};
