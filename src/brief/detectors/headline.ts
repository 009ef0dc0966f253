/**
 * The headline: exports, imports and the balance for the brief's period, with their year-on-year growth,
 * and exports in US dollars when the source currency is another (converted month by month, said so).
 */
import { monthlySeriesChart } from '../../charts/options.js';
import { periodText } from '../../i18n/format.js';
import { addMonths, formatMonth, type MonthId, parsePeriod } from '../../model/period.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector, reporterPossessive, silentWith } from '../detector.js';
import { areaName } from '../names.js';
import { makeNum, signOf } from '../numbers.js';
import type { BriefChart, KeyPoint, NumRef } from '../types.js';

/** The headline spec: value, balance and total with YoY. */
export function headlineSpec(ctx: BriefContext, extra: Partial<QuerySpecInput> = {}): QuerySpecInput {
  const { reporter, period, partner } = ctx.request;
  return {
    reporter,
    period,
    ...(partner ? { partner } : {}),
    measures: ['value', 'balance'],
    compare: 'yoy',
    ...extra,
  };
}

export const headline: Detector = {
  id: 'headline',
  async detect(ctx) {
    const { period } = ctx.request;
    const a = await ctx.ask(headlineSpec(ctx));
    if (!('result' in a))
      return silentWith(
        'headline',
        `No totals for ${areaName(ctx.request.reporter, 'en')} in ${periodText(period, 'en')} are loaded (${a.message}).`,
        `未载入${areaName(ctx.request.reporter, 'zh')}${periodText(period, 'zh')}的贸易总值数据（${a.message}）。`,
      );
    const cur = a.result.provenance.currency;
    const src = a.source;
    const at = (measure: string, column: string) => ({
      source: src,
      match: { period: a.result.spec.period, measure },
      column,
    });
    const num = (kind: NumRef['kind'], measure: string, column: string, abs = false) =>
      makeNum(kind, at(measure, column), ctx.read, { currency: cur, abs });
    const out: Detected = { points: [], missing: [] };
    const who = { en: reporterPossessive(ctx, 'en'), zh: areaName(ctx.request.reporter, 'zh') };
    const to = ctx.request.partner
      ? { en: ` to ${areaName(ctx.request.partner, 'en')}`, zh: `对${areaName(ctx.request.partner, 'zh')}` }
      : { en: '', zh: '' };
    const from = ctx.request.partner
      ? { en: ` from ${areaName(ctx.request.partner, 'en')}`, zh: `自${areaName(ctx.request.partner, 'zh')}` }
      : { en: '', zh: '' };
    const pt = { en: periodText(period, 'en'), zh: periodText(period, 'zh') };

    const x = num('money', 'exports', 'value');
    const xg = num('pct', 'exports', 'yoy_pct', true);
    if (x) {
      const nums: Record<string, NumRef> = { x };
      let en = `${who.en} exports${to.en} reached {x} in ${pt.en}`;
      let zh = `${pt.zh}，${who.zh}${to.zh}出口{x}`;
      if (xg) {
        nums.xg = xg;
        const s = signOf(approxSign(ctx.read(at('exports', 'yoy_pct'))));
        en += s >= 0 ? `, up {xg} year on year` : `, down {xg} year on year`;
        zh += s >= 0 ? `，同比增长{xg}` : `，同比下降{xg}`;
      }
      const usd = cur !== 'USD' ? await usdExports(ctx) : undefined;
      if (usd) {
        Object.assign(nums, usd.nums);
        en += usd.en;
        zh += usd.zh;
      }
      out.points.push(point('headline.exports', 1000, `${en}.`, `${zh}。`, nums));
    }
    const m = num('money', 'imports', 'value');
    const mg = num('pct', 'imports', 'yoy_pct', true);
    if (m) {
      const nums: Record<string, NumRef> = { m };
      let en = `Imports${from.en} came to {m}`;
      let zh = `${to.zh ? `${who.zh}自${areaName(ctx.request.partner!, 'zh')}` : ''}进口{m}`;
      if (mg) {
        nums.mg = mg;
        const s = signOf(ctx.read(at('imports', 'yoy_pct')) ?? '0');
        en = s >= 0 ? `Imports${from.en} rose {mg} to {m}` : `Imports${from.en} fell {mg} to {m}`;
        zh += s >= 0 ? `，同比增长{mg}` : `，同比下降{mg}`;
      }
      out.points.push(point('headline.imports', 999, `${en}.`, `${zh}。`, nums));
    }
    const b = num('money', 'balance', 'value', true);
    if (b) {
      const s = signOf(ctx.read(at('balance', 'value')) ?? '0');
      const prev = ctx.read(at('balance', 'previous'));
      const word = s >= 0 ? { en: 'surplus', zh: '顺差' } : { en: 'deficit', zh: '逆差' };
      const nums: Record<string, NumRef> = { b };
      let en = `The trade ${word.en} was {b}`;
      let zh = `贸易${word.zh}{b}`;
      const bg = num('pct', 'balance', 'yoy_pct', true);
      if (prev !== undefined && signOf(prev) === s && s !== 0 && bg) {
        nums.bg = bg;
        const wider = signOf(ctx.read(at('balance', 'yoy_pct')) ?? '0') >= 0;
        en += wider ? `, {bg} wider than a year earlier` : `, {bg} narrower than a year earlier`;
        zh += wider ? `，同比扩大{bg}` : `，同比收窄{bg}`;
      } else if (prev !== undefined && signOf(prev) !== s) {
        const pb = makeNum('money', at('balance', 'previous'), ctx.read, { currency: cur, abs: true });
        if (pb) {
          nums.pb = pb;
          en += `, after a ${s >= 0 ? 'deficit' : 'surplus'} of {pb} a year earlier`;
          zh += `，上年同期为${s >= 0 ? '逆差' : '顺差'}{pb}`;
        }
      }
      out.points.push(point('headline.balance', 998, `${en}.`, `${zh}。`, nums));
    }
    const chart = await monthlyChart(ctx, cur);
    if (chart && out.points[0]) out.points[0].chart = chart;
    return out;
  },
};

function approxSign(text: string | undefined): string {
  return text ?? '0';
}

function point(id: string, score: number, en: string, zh: string, nums: Record<string, NumRef>): KeyPoint {
  return { id, detector: 'headline', score, why: 'the headline is always first', text: { en, zh }, nums };
}

/** Exports converted to US dollars month by month, as a clause of the exports sentence. */
async function usdExports(ctx: BriefContext) {
  const a = await ctx.ask(headlineSpec(ctx, { currency: 'USD', measures: ['value'], flow: ['X'] }));
  if (!('result' in a)) return undefined;
  const at = (column: string) => ({
    source: a.source,
    match: { period: a.result.spec.period, measure: 'exports' },
    column,
  });
  const xu = makeNum('money', at('value'), ctx.read, { currency: 'USD' });
  const xug = makeNum('pct', at('yoy_pct'), ctx.read, { abs: true });
  if (!xu) return undefined;
  const up = signOf(ctx.read(at('yoy_pct')) ?? '0') >= 0;
  const nums: Record<string, NumRef> = { xu, ...(xug ? { xug } : {}) };
  return {
    nums,
    en: ` (about {xu} at monthly average exchange rates${xug ? `, ${up ? 'up' : 'down'} {xug} in dollar terms` : ''})`,
    zh: `（按月平均汇率折合约{xu}${xug ? `，以美元计同比${up ? '增长' : '下降'}{xug}` : ''}）`,
  };
}

/** Monthly exports and imports over the period and the year before it, in billions (亿 in Chinese). */
async function monthlyChart(ctx: BriefContext, cur: string): Promise<BriefChart | undefined> {
  const p = parsePeriod(ctx.request.period);
  const start = addMonths(p.start, -12) as MonthId;
  const spec = headlineSpec(ctx, {
    period: `${formatMonth(start)}..${formatMonth(p.end)}`,
    by: ['month'],
    measures: ['value'],
  });
  delete spec.compare;
  const a = await ctx.ask(spec);
  if (!('result' in a)) return undefined;
  const rows = a.result.rows;
  const months = [...new Set(rows.map((r) => String(r.period)))].sort();
  if (months.length < 2) return undefined;
  const series = (measure: string, div: number) =>
    months.map((m) => {
      const r = rows.find((x) => x.period === m && x.measure === measure);
      const v = approx(r?.value === null || r?.value === undefined ? null : String(r.value));
      return Number.isFinite(v) ? Math.round((v / div) * 10) / 10 : null;
    });
  const title = {
    en: `Monthly trade, ${cur} bn`,
    zh: `月度进出口，亿${cur === 'CNY' ? '元' : cur === 'USD' ? '美元' : cur}`,
  };
  const build = (lang: 'en' | 'zh') =>
    monthlySeriesChart({
      title: title[lang],
      months,
      series: [
        { name: lang === 'zh' ? '出口' : 'Exports', values: series('exports', lang === 'zh' ? 1e8 : 1e9), kind: 'bar' },
        { name: lang === 'zh' ? '进口' : 'Imports', values: series('imports', lang === 'zh' ? 1e8 : 1e9), kind: 'bar' },
      ],
      unitLabel: lang === 'zh' ? title.zh.replace('月度进出口，', '') : `${cur} bn`,
      lang,
      animation: false,
    });
  return { id: 'monthly-trade', title, option: { en: build('en'), zh: build('zh') } };
}
