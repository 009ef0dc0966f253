/**
 * Regions driving growth: which provinces and municipalities in the data added most to the reporter's export
 * growth (contribution in percentage points of the national growth rate), and which grew fastest. Silent, with
 * a note, when the data has no regional breakdown.
 */
import { rankingBarChart } from '../../charts/options.js';
import { periodText } from '../../i18n/format.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector, silentWith } from '../detector.js';
import { areaName, isRegion, regionName } from '../names.js';
import { makeNum, signOf } from '../numbers.js';
import { saturating } from '../rank.js';
import type { KeyPoint, NumRef } from '../types.js';
import { headlineSpec } from './headline.js';

/** Exports by region with share and contribution to growth. */
export function regionSpec(ctx: BriefContext): QuerySpecInput {
  const { reporter, period, partner } = ctx.request;
  return {
    reporter,
    period,
    ...(partner ? { partner } : {}),
    flow: ['X'],
    by: ['region'],
    measures: ['value', 'share', 'contribution'],
    compare: 'yoy',
  };
}

export const regions: Detector = {
  id: 'regions',
  async detect(ctx) {
    const a = await ctx.ask(regionSpec(ctx));
    const rows =
      'result' in a
        ? a.result.rows.filter((r) => r.measure === 'exports' && r.value !== null && isRegion(r.region))
        : [];
    if (!('result' in a) || rows.length === 0)
      return silentWith(
        'regions',
        `No regional breakdown of the exports of ${areaName(ctx.request.reporter, 'en')} is loaded for ${periodText(ctx.request.period, 'en')}.`,
        `未载入${areaName(ctx.request.reporter, 'zh')}${periodText(ctx.request.period, 'zh')}分地区出口数据。`,
      );
    const h = await ctx.ask(headlineSpec(ctx));
    const out: Detected = { points: [], missing: [] };
    const cell = (region: string, column: string) => ({
      source: a.source,
      match: { region, measure: 'exports' },
      column,
    });
    const national =
      'result' in h
        ? makeNum(
            'pct',
            { source: h.source, match: { period: h.result.spec.period, measure: 'exports' }, column: 'yoy_pct' },
            ctx.read,
          )
        : undefined;
    const n = rows.length;
    const inData = {
      en: `of the ${n} provinces and municipalities in the data`,
      zh: `在数据涵盖的${n}个省市中`,
    };
    // the largest contributor to growth
    const byContribution = [...rows].sort(
      (x, y) => approx(String(y.contribution_pp)) - approx(String(x.contribution_pp)),
    );
    const top = byContribution[0]!;
    const code = String(top.region);
    const c = makeNum('pp', cell(code, 'contribution_pp'), ctx.read, { abs: true });
    const v = makeNum('money', cell(code, 'value'), ctx.read, { currency: a.result.provenance.currency });
    const g = makeNum('pct', cell(code, 'yoy_pct'), ctx.read, { abs: true });
    if (c && v && g && signOf(c.value) !== 0) {
      const up = signOf(ctx.read(cell(code, 'yoy_pct')) ?? '0') >= 0;
      const nums: Record<string, NumRef> = { c, v, g, ...(national ? { ng: national } : {}) };
      const en =
        `${regionName(code, 'en')} added the most to export growth ${inData.en}: its exports ${up ? 'rose' : 'fell'} {g} to {v}, ` +
        `contributing {c} ${national ? 'to the national {ng}' : 'to national growth'}.`;
      const zh =
        `${inData.zh}，${regionName(code, 'zh')}对出口增长的拉动最大：出口{v}，同比${up ? '增长' : '下降'}{g}，` +
        `拉动全国出口增长{c}${national ? '（全国增速{ng}）' : ''}。`;
      out.points.push(
        point(
          'regions.top-contributor',
          saturating(approx(c.value), 1, 30, 80),
          `contribution ${c.value} pp`,
          en,
          zh,
          nums,
        ),
      );
    }
    // the fastest-growing region
    const byGrowth = [...rows].sort((x, y) => approx(String(y.yoy_pct)) - approx(String(x.yoy_pct)));
    const fast = byGrowth[0]!;
    const fcode = String(fast.region);
    if (fcode !== code) {
      const fg = makeNum('pct', cell(fcode, 'yoy_pct'), ctx.read, { abs: true });
      const fv = makeNum('money', cell(fcode, 'value'), ctx.read, { currency: a.result.provenance.currency });
      if (fg && fv && signOf(ctx.read(cell(fcode, 'yoy_pct')) ?? '0') > 0) {
        out.points.push(
          point(
            'regions.fastest',
            saturating(approx(fg.value), 20, 20, 60),
            `growth ${fg.value} %`,
            `Exports from ${regionName(fcode, 'en')} grew fastest ${inData.en}, up {fg} to {fv}.`,
            `${inData.zh}，${regionName(fcode, 'zh')}出口增长最快，出口{fv}，同比增长{fg}。`,
            { fg, fv },
          ),
        );
      }
    }
    const chartItems = (lang: 'en' | 'zh') =>
      byContribution.map((r) => ({
        name: regionName(String(r.region), lang),
        value: approx(String(r.contribution_pp)),
        highlight: r.region === code,
      }));
    const title = {
      en: 'Contribution to export growth by region, percentage points',
      zh: '各地区对出口增长的拉动（百分点）',
    };
    const chart = {
      id: 'region-contributions',
      title,
      option: {
        en: rankingBarChart({
          title: title.en,
          items: chartItems('en'),
          unitLabel: 'pp',
          lang: 'en',
          animation: false,
        }),
        zh: rankingBarChart({
          title: title.zh,
          items: chartItems('zh'),
          unitLabel: '百分点',
          lang: 'zh',
          animation: false,
        }),
      },
    };
    if (out.points[0]) out.points[0].chart = chart;
    return out;
  },
};

function point(id: string, score: number, why: string, en: string, zh: string, nums: Record<string, NumRef>): KeyPoint {
  return { id, detector: 'regions', score, why, text: { en, zh }, nums };
}
