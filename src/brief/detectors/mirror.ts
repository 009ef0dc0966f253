/**
 * Mirror gaps: what the reporter says it exported to a partner against what the partner says it imported
 * (FOB against CIF), where both sides are loaded. With `--partner` that partner; otherwise the three largest
 * partners of the all-goods partner data. Says what is missing when no partner-reported data covers the period.
 */
import { mirrorChart } from '../../charts/options.js';
import { periodText } from '../../i18n/format.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector, silentWith } from '../detector.js';
import { areaName, areaNameCap } from '../names.js';
import { makeNum, signOf } from '../numbers.js';
import { saturating } from '../rank.js';
import { partnerData } from './partner-data.js';
import { partnerRows, partnerSpec } from './partners.js';

/** The mirror measure for one partner. */
export function mirrorSpec(ctx: BriefContext, partner: string): QuerySpecInput {
  return { reporter: ctx.request.reporter, partner, period: ctx.request.period, measures: ['mirror'] };
}

export const mirror: Detector = {
  id: 'mirror',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    let candidates: string[] = [];
    if (ctx.request.partner) candidates = [ctx.request.partner];
    else {
      const { covering } = await partnerData(ctx);
      const all = covering.find((c) => c.allGoods);
      if (all) {
        const a = await ctx.ask(partnerSpec(ctx, all));
        if ('result' in a)
          candidates = partnerRows(a.result.rows)
            .slice(0, 3)
            .map((r) => String(r.partner));
      }
    }
    const pairs: { partner: string; reported: number; mirror: number }[] = [];
    for (const partner of candidates) {
      const a = await ctx.ask(mirrorSpec(ctx, partner));
      if (!('result' in a)) continue;
      const row = a.result.rows.find((r) => r.measure === 'mirror' && r.gap !== null && r.gap !== undefined);
      if (!row) continue;
      const period = String(row.period);
      const cell = (column: string) => ({ source: a.source, match: { period, measure: 'mirror' }, column });
      const cur = String(row.currency ?? '');
      const x = makeNum('money', cell('reporter_exports'), ctx.read, { currency: cur });
      const m = makeNum('money', cell('partner_imports'), ctx.read, { currency: cur });
      const gp = makeNum('pct', cell('gap_pct'), ctx.read, { abs: true });
      if (!x || !m || !gp) continue;
      const below = signOf(String(row.gap)) < 0;
      const odd = String(row.reading) === 'cif-below-fob';
      const r = areaName(ctx.request.reporter, 'en');
      out.points.push({
        id: `mirror.${partner}`,
        detector: 'mirror',
        score: saturating(approx(gp.value), 10, 20, 70) + (odd ? 5 : 0),
        why: `mirror gap ${gp.value} %${odd ? ', CIF below FOB' : ''}`,
        text: {
          en:
            `${cap(r)} reports exports of {x} to ${areaName(partner, 'en')} in ${periodText(ctx.request.period, 'en')}; ${areaName(partner, 'en')} reports imports of {m} from ${r}, ` +
            `{gp} ${below ? 'less' : 'more'}` +
            (odd
              ? ' — imports valued CIF should exceed exports valued FOB, so valuation cannot explain the gap (re-exports, timing and partner attribution can).'
              : ' (imports are valued CIF, including freight and insurance).'),
          zh:
            `${areaName(ctx.request.reporter, 'zh')}统计${periodText(ctx.request.period, 'zh')}对${areaName(partner, 'zh')}出口{x}；${areaName(partner, 'zh')}统计自${areaName(ctx.request.reporter, 'zh')}进口{m}，` +
            `${below ? '少' : '多'}{gp}` +
            (odd
              ? '。按到岸价（CIF）计的进口本应高于按离岸价（FOB）计的出口，估价差异无法解释这一缺口（转口、时间差和原产地归属可以解释）。'
              : '（进口按到岸价计，含运费和保险）。'),
        },
        nums: { x, m, gp },
      });
      pairs.push({ partner, reported: approx(x.value), mirror: approx(m.value) });
    }
    if (!out.points.length)
      return silentWith(
        'mirror',
        `Mirror gaps cannot be computed for ${periodText(ctx.request.period, 'en')}: no partner-reported data for the same period is loaded.`,
        `无法计算${periodText(ctx.request.period, 'zh')}的镜像差异：未载入同期贸易伙伴申报的数据。`,
      );
    const title = {
      en: 'Reported exports and partner-reported imports, US$ billion',
      zh: '申报出口与伙伴申报进口（亿美元）',
    };
    const build = (lang: 'en' | 'zh') =>
      mirrorChart({
        title: title[lang],
        partners: pairs.map((p) => areaNameCap(p.partner, lang)),
        reported: pairs.map((p) => Math.round(p.reported / (lang === 'en' ? 1e8 : 1e7)) / 10),
        mirror: pairs.map((p) => Math.round(p.mirror / (lang === 'en' ? 1e8 : 1e7)) / 10),
        unitLabel: lang === 'en' ? 'US$ bn' : '亿美元',
        lang,
        animation: false,
      });
    out.points[0]!.chart = { id: 'mirror', title, option: { en: build('en'), zh: build('zh') } };
    return out;
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
