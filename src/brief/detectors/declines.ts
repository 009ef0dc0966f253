/**
 * Declines worth reporting: partners, products and regions whose exports fell by 10 % or more year on year
 * while holding at least 3 % of the total (regions: any fall), gathered in one sentence per breakdown. Reads
 * the same queries as the partner, product and region detectors, so it adds no query of its own.
 */
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector } from '../detector.js';
import { areaName, isRegion, productName, regionName } from '../names.js';
import { makeNum } from '../numbers.js';
import { EXTRACT_WEIGHT, saturating } from '../rank.js';
import type { Lang, NumRef } from '../types.js';
import { partnerData } from './partner-data.js';
import { partnerRows, partnerSpec } from './partners.js';
import { regionSpec } from './regions.js';
import { productSpec } from './structure.js';

const MIN_FALL = -10;
const MIN_SHARE = 3;
const MAX_LISTED = 3;

export const declines: Detector = {
  id: 'declines',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    const { covering } = await partnerData(ctx);
    for (const d of covering) {
      const a = await ctx.ask(partnerSpec(ctx, d));
      if (!('result' in a)) continue;
      const falls = partnerRows(a.result.rows).filter(
        (r) => approx(String(r.yoy_pct)) <= MIN_FALL && approx(String(r.share_pct)) >= MIN_SHARE,
      );
      listFalls(
        ctx,
        out,
        falls,
        'partner',
        `declines.${d.product ?? d.dataset}.partners`,
        a.source,
        a.result.spec.period,
        {
          en: `${cap(d.what.en)} fell sharply to`,
          zh: `${d.what.zh}大幅下降的市场：`,
        },
        (code, lang) => areaName(code, lang),
        MIN_FALL,
        d.allGoods ? 1 : EXTRACT_WEIGHT,
      );
      if (d.allGoods) continue;
      const p = await ctx.ask(productSpec(ctx, d));
      if (!('result' in p)) continue;
      const pf = p.result.rows.filter(
        (r) =>
          r.measure === 'exports' &&
          r.product !== '(rest)' &&
          approx(String(r.yoy_pct)) <= MIN_FALL &&
          approx(String(r.share_pct)) >= MIN_SHARE,
      );
      listFalls(
        ctx,
        out,
        pf,
        'product',
        `declines.${d.dataset}.products`,
        p.source,
        p.result.spec.period,
        {
          en: `Among the products of ${d.dataset}, exports fell for`,
          zh: `${d.dataset}数据集中出口下降的商品：`,
        },
        (code, lang) => productName(code, lang),
        MIN_FALL,
        EXTRACT_WEIGHT,
      );
    }
    const r = await ctx.ask(regionSpec(ctx));
    if ('result' in r) {
      const rf = r.result.rows.filter((x) => isRegion(x.region) && x.value !== null && approx(String(x.yoy_pct)) < 0);
      listFalls(
        ctx,
        out,
        rf,
        'region',
        'declines.regions',
        r.source,
        r.result.spec.period,
        {
          en: 'Exports fell in',
          zh: '出口下降的地区：',
        },
        (code, lang) => regionName(code, lang),
        -Infinity,
      );
    }
    return out;
  },
};

function listFalls(
  ctx: BriefContext,
  out: Detected,
  rows: Record<string, unknown>[],
  dim: string,
  id: string,
  source: number,
  period: string,
  lead: Record<Lang, string>,
  name: (code: string, lang: Lang) => string,
  floor = MIN_FALL,
  weight = 1,
): void {
  const sorted = [...rows].sort((x, y) => approx(String(x.yoy_pct)) - approx(String(y.yoy_pct))).slice(0, MAX_LISTED);
  if (!sorted.length) return;
  const nums: Record<string, NumRef> = {};
  const en: string[] = [];
  const zh: string[] = [];
  sorted.forEach((r, i) => {
    const code = String(r[dim]);
    const g = makeNum(
      'pct',
      { source, match: { period, [dim]: code, measure: 'exports' }, column: 'yoy_pct' },
      ctx.read,
      { signed: true },
    );
    if (!g) return;
    nums[`g${i}`] = g;
    en.push(`${name(code, 'en')} ({g${i}})`);
    zh.push(`${name(code, 'zh')}（{g${i}}）`);
  });
  if (!en.length) return;
  const worst = Math.abs(approx(String(sorted[0]!.yoy_pct)));
  out.points.push({
    id,
    detector: 'declines',
    score: Math.round(saturating(worst, 30, 25, 65) * weight * 10) / 10,
    why: `largest fall ${worst} %${Number.isFinite(floor) ? ` (falls of 10 % or more, share 3 % or more)` : ''}`,
    text: { en: `${lead.en} ${joinEn(en)}.`, zh: `${lead.zh}${zh.join('、')}。` },
    nums,
  });
}

function joinEn(items: string[]): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
