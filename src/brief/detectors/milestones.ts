/**
 * Milestones of the year to date: is this January–June (or any year-to-date window) the largest of its kind
 * in the data — the largest January–June surplus, the highest January–June exports — and by how much does it
 * pass the previous high? The same window is read for every earlier year the dataset holds; the comparison runs
 * back only over consecutive years that have it, and the text names the year it starts from.
 *
 * Round numbers: the figure's round threshold (its leading digit times its power of ten in the display currency,
 * `roundThreshold`: US$1.076 trillion → US$1 trillion) is "passed for the first time" only when every compared
 * year's same window is below it, and then the text says since when ("above US$1 trillion for the first time
 * since 2018, the first year loaded"); never "for the first time" outright. With no earlier year of the window
 * loaded, nothing is claimed and the brief says what is missing (which window, which years).
 */
import { exceeds, roundThreshold } from '../../analytics/round-threshold.js';
import { formatMoney, periodText } from '../../i18n/format.js';
import { monthId, monthOf, parsePeriod, yearOf, ytdPeriod } from '../../model/period.js';
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
    if (!Number.isInteger(firstYear)) return out;
    const dataset = h.result.provenance.dataset;
    const currency = h.result.provenance.currency;
    const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
    const window = { en: pt.en.replace(/ \d{4}$/, ''), zh: pt.zh.replace(/^\d{4}年/, '') };
    // the same window in the earlier years, back from last year while each has it
    const earlier: { year: number; source: number; period: string }[] = [];
    for (let y = year - 1; y >= firstYear; y--) {
      const period = ytdPeriod(monthId(y, monthOf(p.end))).label;
      const a = await ctx.ask(headlineSpec(ctx, { period, compare: undefined, dataset }));
      if (!('result' in a) || a.result.rows.length === 0) break;
      earlier.push({ year: y, source: a.source, period });
    }
    if (!earlier.length) {
      const gap = year - 1;
      out.missing.push({
        detector: 'milestones',
        text: {
          en: `No milestone for ${pt.en}: dataset ${dataset} holds no ${window.en} of an earlier year (load ${window.en} ${gap} and before to compare; without them "the first time above" a round number cannot be said).`,
          zh: `${pt.zh}无法判断里程碑：数据集${dataset}没有往年同期（${window.zh}）的数据（请加载${gap}年及以前的同期数据；否则不能说"首次超过"某一整数关口）。`,
        },
      });
      return out;
    }
    const since = Math.min(...earlier.map((e) => e.year));
    const sinceText =
      since === firstYear
        ? { en: `since ${since}, the first year loaded`, zh: `${since}年（数据始于该年）以来` }
        : {
            en: `since ${since} (the data have no ${window.en} ${since - 1})`,
            zh: `${since}年以来（数据缺${since - 1}年同期）`,
          };
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
      const v = makeNum('money', nowCell, ctx.read, { currency });
      const prev = makeNum('money', best.cell, ctx.read, { currency });
      if (!v || !prev) continue;
      const who = { en: areaName(ctx.request.reporter, 'en'), zh: areaName(ctx.request.reporter, 'zh') };
      const threshold = roundThreshold(now);
      const firstAbove =
        threshold !== undefined && exceeds(now, threshold) && before.every((b) => !exceeds(b.value, threshold));
      const score = saturating(before.length, 5, 15, 85) + (firstAbove ? 10 : 0);
      if (firstAbove) {
        const t = {
          en: formatMoney(threshold!, currency ?? '', 'en', { digits: 0 }),
          zh: formatMoney(threshold!, currency ?? '', 'zh', { digits: 0 }),
        };
        out.points.push({
          id: `milestones.${m.measure}`,
          detector: 'milestones',
          score,
          why: `${window.en} ${m.en} above ${t.en} for the first time in ${before.length + 1} years of data`,
          text: {
            en: `The ${window.en} ${m.en} of ${who.en}, {v}, is above ${t.en} for the first time ${sinceText.en}; the previous high was {prev} in ${best.year}.`,
            zh: `${who.zh}${window.zh}${m.zh}{v}，${sinceText.zh}同期首次超过${t.zh}；此前最高为${best.year}年的{prev}。`,
          },
          nums: { v, prev },
        });
        continue;
      }
      out.points.push({
        id: `milestones.${m.measure}`,
        detector: 'milestones',
        score,
        why: `largest ${window.en} ${m.en} in ${before.length + 1} years of data`,
        text: {
          en: `The ${window.en} ${m.en} of ${who.en}, {v}, is the highest for that period ${sinceText.en}; the previous high was {prev} in ${best.year}.`,
          zh: `${who.zh}${window.zh}${m.zh}{v}，为${sinceText.zh}同期最高；此前最高为${best.year}年的{prev}。`,
        },
        nums: { v, prev },
      });
    }
    return out;
  },
};
