/**
 * Structural shifts: how the parts of a basket moved against each other (New Three vs labour-intensive goods,
 * intermediate goods, or the products inside one basket part). Needs product detail for the period: when the
 * totals have none, says so, and reads the product extracts that are loaded (solar modules against cells).
 */
import { rankingBarChart } from '../../charts/options.js';
import { periodText } from '../../i18n/format.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector } from '../detector.js';
import { areaName, productLabel, productName } from '../names.js';
import { makeNum, signOf } from '../numbers.js';
import { EXTRACT_WEIGHT, saturating } from '../rank.js';
import type { NumRef } from '../types.js';
import { headlineSpec } from './headline.js';
import { type PartnerData, partnerData } from './partner-data.js';

/** Baskets a full brief compares, when product detail for all goods is loaded. */
export const STRUCTURE_BASKETS = ['new-three', 'labour-intensive', 'bec'] as const;

/** Exports of one basket, by its parts' products. */
export function basketSpec(ctx: BriefContext, basket: string, dataset?: string): QuerySpecInput {
  return {
    reporter: ctx.request.reporter,
    period: ctx.request.period,
    ...(ctx.request.partner ? { partner: ctx.request.partner } : {}),
    ...(dataset ? { dataset } : {}),
    product: basket,
    flow: ['X'],
    compare: 'yoy',
  };
}

/** The products of a product extract, with share and YoY. */
export function productSpec(ctx: BriefContext, d: PartnerData): QuerySpecInput {
  return {
    reporter: ctx.request.reporter,
    period: ctx.request.period,
    dataset: d.dataset,
    flow: ['X'],
    by: ['hs6'],
    measures: ['value', 'share'],
    compare: 'yoy',
  };
}

export const structure: Detector = {
  id: 'structure',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
    const h = await ctx.ask(headlineSpec(ctx));
    const mainDataset = 'result' in h ? h.result.provenance.dataset : undefined;
    // baskets in the main data: only when it has product detail
    const answered: string[] = [];
    const summary = (await ctx.datasets()).find((d) => d.dataset === mainDataset);
    const hasProducts = summary?.classifications.some((c) => c !== 'TOTAL') ?? false;
    if (mainDataset && hasProducts) {
      for (const id of STRUCTURE_BASKETS) {
        const a = await ctx.ask(basketSpec(ctx, id, mainDataset));
        if ('result' in a && a.result.rows.some((r) => r.measure === 'exports' && r.value !== null)) answered.push(id);
      }
    }
    if (!answered.length) {
      out.missing.push({
        detector: 'structure',
        text: {
          en: `The loaded totals for ${areaName(ctx.request.reporter, 'en')} for ${pt.en} have no product detail, so the New Three, labour-intensive goods and intermediate goods cannot be measured.`,
          zh: `已载入的${areaName(ctx.request.reporter, 'zh')}${pt.zh}总值数据没有商品明细，无法计算“新三样”、劳动密集型产品和中间品。`,
        },
      });
    }
    // with product detail in the main data, each basket's growth is one point
    for (const id of answered) {
      const a = await ctx.ask(basketSpec(ctx, id, mainDataset));
      if (!('result' in a)) continue;
      const cell = (column: string) => ({
        source: a.source,
        match: { period: a.result.spec.period, measure: 'exports' },
        column,
      });
      const v = makeNum('money', cell('value'), ctx.read, { currency: a.result.provenance.currency });
      const g = makeNum('pct', cell('yoy_pct'), ctx.read, { abs: true });
      if (!v || !g) continue;
      const up = signOf(ctx.read(cell('yoy_pct')) ?? '0') >= 0;
      out.points.push({
        id: `structure.${id}`,
        detector: 'structure',
        score: saturating(approx(g.value), 15, 30, 70),
        why: `basket growth ${g.value} %`,
        text: {
          en: `Exports of the ${id} basket ${up ? 'rose' : 'fell'} {g} to {v}.`,
          zh: `${id}篮子出口{v}，同比${up ? '增长' : '下降'}{g}。`,
        },
        nums: { g, v },
      });
    }
    // product extracts covering the period: the products of the extract against each other
    const { covering } = await partnerData(ctx);
    for (const d of covering.filter((c) => !c.allGoods)) {
      const a = await ctx.ask(productSpec(ctx, d));
      if (!('result' in a)) continue;
      const period = a.result.spec.period;
      const rows = a.result.rows.filter(
        (r) =>
          r.measure === 'exports' &&
          r.product !== '(rest)' &&
          r.value !== null &&
          r.yoy_pct !== null &&
          approx(String(r.share_pct)) >= 5,
      );
      if (rows.length < 2) continue;
      const sorted = [...rows].sort((x, y) => approx(String(y.yoy_pct)) - approx(String(x.yoy_pct)));
      const hi = sorted[0]!;
      const lo = sorted.at(-1)!;
      const gap = approx(String(hi.yoy_pct)) - approx(String(lo.yoy_pct));
      if (gap < 10) continue;
      const cell = (code: string, column: string) => ({
        source: a.source,
        match: { period, product: code, measure: 'exports' },
        column,
      });
      const nums: Record<string, NumRef> = {};
      const put = (k: string, n: NumRef | undefined) => {
        if (n) nums[k] = n;
        return n !== undefined;
      };
      const hc = String(hi.product);
      const lc = String(lo.product);
      const ok =
        put('hg', makeNum('pct', cell(hc, 'yoy_pct'), ctx.read, { abs: true })) &&
        put('hv', makeNum('money', cell(hc, 'value'), ctx.read, { currency: a.result.provenance.currency })) &&
        put('lg', makeNum('pct', cell(lc, 'yoy_pct'), ctx.read, { abs: true })) &&
        put('lv', makeNum('money', cell(lc, 'value'), ctx.read, { currency: a.result.provenance.currency }));
      if (!ok) continue;
      const hup = signOf(String(hi.yoy_pct)) >= 0;
      const lup = signOf(String(lo.yoy_pct)) >= 0;
      const verb = (up: boolean) => (up ? 'rose' : 'fell');
      const zverb = (up: boolean) => (up ? '增长' : '下降');
      out.points.push({
        id: `structure.${d.dataset}.products`,
        detector: 'structure',
        score: Math.round(saturating(gap, 40, 30, 75) * EXTRACT_WEIGHT * 10) / 10,
        why: `product growth rates ${gap.toFixed(1)} points apart`,
        text: {
          en:
            `Among the products of ${d.dataset}, exports of ${productName(hc, 'en')} ${verb(hup)} {hg} to {hv}, ` +
            `while ${productName(lc, 'en')} ${verb(lup)} {lg} to {lv}.`,
          zh:
            `在${d.dataset}数据集的商品中，${productName(hc, 'zh')}出口{hv}，同比${zverb(hup)}{hg}；` +
            `${productName(lc, 'zh')}出口{lv}，同比${zverb(lup)}{lg}。`,
        },
        nums,
        chart: productChart(
          a.result.rows.filter((r) => r.measure === 'exports' && r.product !== '(rest)'),
          d,
        ),
      });
    }
    return out;
  },
};

function productChart(rows: Record<string, unknown>[], d: PartnerData) {
  const title = { en: `${d.dataset}: year-on-year change by product, %`, zh: `${d.dataset}：各商品出口同比变化（%）` };
  const build = (lang: 'en' | 'zh') =>
    rankingBarChart({
      title: title[lang],
      items: rows.map((r) => ({ name: productLabel(String(r.product), lang), value: approx(String(r.yoy_pct)) })),
      unitLabel: '%',
      lang,
      animation: false,
    });
  return { id: `products-${d.dataset}`, title, option: { en: build('en'), zh: build('zh') } };
}
