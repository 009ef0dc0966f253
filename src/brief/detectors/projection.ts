/**
 * The forecast and the full-year projection: where the year's total is heading on the months published so
 * far, with its 80 % interval and the probability that it beats last year's total. Deterministic (fixed
 * seed), said to be a projection, with the method's caveats in the footnote. A fan chart shows the monthly
 * forecast with its 80 % and 95 % intervals.
 */
import { monthlySeriesChart } from '../../charts/options.js';
import { forecastQuery } from '../../forecast/query-forecast.js';
import { periodText } from '../../i18n/format.js';
import { formatMonth, monthOf, parsePeriod, yearOf } from '../../model/period.js';
import type { BriefContext } from '../context.js';
import { type Detected, type Detector, silentWith } from '../detector.js';
import { areaName } from '../names.js';
import { makeNum } from '../numbers.js';
import { saturating } from '../rank.js';
import type { BriefChart, NumRef } from '../types.js';

/** The projection's simulation seed: fixed, so a brief is the same every time it is written. */
export const PROJECTION_SEED = 1;

const FLOWS = [{ flow: 'X', measure: 'exports', en: 'exports', zh: '出口' }] as const;

export const projection: Detector = {
  id: 'projection',
  async detect(ctx) {
    const p = parsePeriod(ctx.request.period);
    const year = yearOf(p.end);
    if (monthOf(p.end) === 12 || yearOf(p.start) !== year) return { points: [], missing: [] }; // a whole year (or a window across years) has nothing left to project
    const out: Detected = { points: [], missing: [] };
    const { reporter, partner } = ctx.request;
    for (const f of FLOWS) {
      // last year's total, the bar the projection is measured against
      const last = await ctx.ask({
        reporter,
        ...(partner ? { partner } : {}),
        period: String(year - 1),
        flow: [f.flow],
      });
      const lastCell =
        'result' in last
          ? { source: last.source, match: { period: String(year - 1), measure: f.measure }, column: 'value' }
          : undefined;
      const lastValue = lastCell ? ctx.read(lastCell) : undefined;
      const pr = await ctx.project({
        reporter,
        ...(partner ? { partner } : {}),
        measure: 'value',
        flow: f.flow,
        year,
        through: formatMonth(p.end),
        seed: PROJECTION_SEED,
        ...(lastValue ? { above: Number(lastValue) } : {}),
      });
      if (!('projection' in pr))
        return silentWith(
          'projection',
          `No full-year projection for ${year}: ${pr.message}.`,
          `无法给出${year}年全年预估：${pr.message}。`,
        );
      const cur = pr.projection.currency;
      const cell = (column: string) => ({ source: pr.source, match: { measure: 'projection' }, column });
      const nums: Record<string, NumRef> = {};
      const put = (k: string, n: NumRef | undefined) => {
        if (n) nums[k] = n;
      };
      put('med', makeNum('money', cell('median'), ctx.read, { currency: cur }));
      put('lo', makeNum('money', cell('lower80'), ctx.read, { currency: cur }));
      put('hi', makeNum('money', cell('upper80'), ctx.read, { currency: cur }));
      if (!nums.med || !nums.lo || !nums.hi) continue;
      const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
      let en =
        `Projection, not an official figure: on the months published through ${pt.en.replace(/^January–/, '')}, ${year} ${f.en} would come to about {med} ` +
        `(80% interval {lo} to {hi})`;
      let zh = `预估（非官方数据）：按${pt.zh}已公布数据，${year}年全年${areaName(reporter, 'zh')}${f.zh}约为{med}（80%区间为{lo}至{hi}）`;
      const pAbove = pr.projection.probabilityAbove;
      if (pAbove && lastCell) {
        put('prob', makeNum('pct', cell('probability_pct'), ctx.read, { digits: 0 }));
        put('last', makeNum('money', lastCell, ctx.read, { currency: cur }));
        en += `; the chance that they exceed ${year - 1}'s {last} is about {prob}`;
        zh += `；超过${year - 1}年{last}的概率约为{prob}`;
      }
      out.points.push({
        id: `projection.${f.measure}`,
        detector: 'projection',
        score: saturating(pAbove ? Math.abs(pAbove.p - 0.5) * 100 : 10, 25, 35, 70),
        why: pAbove ? `probability ${pAbove.p} of beating last year` : 'full-year projection',
        text: { en: `${en}.`, zh: `${zh}。` },
        nums,
        preliminary: true,
      });
    }
    const chart = await fanChart(ctx, formatMonth(p.end));
    if (chart && out.points[0]) out.points[0].chart = chart;
    return out;
  },
};

/** Monthly exports with the forecast for the rest of the year, 80 % and 95 % intervals (billions / 亿). */
async function fanChart(ctx: BriefContext, through: string): Promise<BriefChart | undefined> {
  const horizon = 12 - Number(through.slice(5, 7));
  if (horizon < 1) return undefined;
  let f: Awaited<ReturnType<typeof forecastQuery>>;
  try {
    f = await forecastQuery(ctx.store, {
      reporter: ctx.request.reporter,
      ...(ctx.request.partner ? { partner: ctx.request.partner } : {}),
      flow: 'X',
      through,
      horizon,
      seed: PROJECTION_SEED,
    });
  } catch {
    return undefined;
  }
  const i80 = f.forecast.intervals.find((i) => i.level === 80);
  const i95 = f.forecast.intervals.find((i) => i.level === 95);
  if (!i80 || !i95) return undefined;
  const title = {
    en: `Exports and forecast, ${f.currency} bn`,
    zh: `月度出口及预测，亿${f.currency === 'CNY' ? '元' : f.currency === 'USD' ? '美元' : f.currency}`,
  };
  const build = (lang: 'en' | 'zh') => {
    const div = lang === 'en' ? 1e9 : 1e8;
    const r = (xs: number[]) => xs.map((x) => Math.round((x / div) * 10) / 10);
    return monthlySeriesChart({
      title: title[lang],
      months: f.history.months,
      series: [{ name: lang === 'en' ? 'Exports' : '出口', values: r(f.history.values) }],
      forecast: {
        name: lang === 'en' ? 'Forecast' : '预测',
        months: f.forecast.months,
        point: r(f.forecast.point),
        lo80: r(i80.lower),
        hi80: r(i80.upper),
        lo95: r(i95.lower),
        hi95: r(i95.upper),
      },
      unitLabel: lang === 'en' ? `${f.currency} bn` : title.zh.replace(/^.*，/, ''),
      lang,
      animation: false,
    });
  };
  return { id: 'forecast', title, option: { en: build('en'), zh: build('zh') } };
}
