/**
 * Partner shifts: which partner's share of the reporter's exports moved most (in percentage points, against
 * the same window a year earlier), which partner added or took away most growth, and which large partner grew
 * fastest. Runs on every loaded dataset with partner detail for the period; when the totals have no partner
 * detail, says so and names the latest partner data.
 */
import { rankingBarChart } from '../../charts/options.js';
import { periodText } from '../../i18n/format.js';
import { parsePeriod, shiftYears } from '../../model/period.js';
import type { QuerySpecInput } from '../../query/spec.js';
import type { BriefContext } from '../context.js';
import { approx, type Detected, type Detector } from '../detector.js';
import { areaName, areaNameCap } from '../names.js';
import { makeNum, signOf, subtract } from '../numbers.js';
import { EXTRACT_WEIGHT, saturating } from '../rank.js';
import type { BriefChart, KeyPoint, NumRef } from '../types.js';
import { type PartnerData, partnerData } from './partner-data.js';

/** The largest partners (top 10) with share, contribution and YoY. */
export function partnerSpec(ctx: BriefContext, d: PartnerData, period = ctx.request.period): QuerySpecInput {
  return {
    reporter: ctx.request.reporter,
    period,
    dataset: d.dataset,
    ...(d.product ? { product: d.product } : {}),
    flow: ['X'],
    by: ['partner'],
    measures: ['value', 'share', 'contribution'],
    compare: 'yoy',
    top: 10,
  };
}

/** Every partner's share a year earlier. */
export function previousShareSpec(ctx: BriefContext, d: PartnerData): QuerySpecInput {
  return {
    reporter: ctx.request.reporter,
    period: shiftYears(parsePeriod(ctx.request.period), -1).label,
    dataset: d.dataset,
    ...(d.product ? { product: d.product } : {}),
    flow: ['X'],
    by: ['partner'],
    measures: ['share'],
  };
}

/** Rows of real partners (not the remainder) with a value. */
export const partnerRows = (rows: Record<string, unknown>[]) =>
  rows.filter((r) => r.partner !== '(rest)' && r.value !== null && r.value !== undefined && r.measure === 'exports');

export const partners: Detector = {
  id: 'partners',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    const { covering, older } = await partnerData(ctx);
    const pt = { en: periodText(ctx.request.period, 'en'), zh: periodText(ctx.request.period, 'zh') };
    const reporter = { en: areaName(ctx.request.reporter, 'en'), zh: areaName(ctx.request.reporter, 'zh') };
    if (!covering.some((c) => c.allGoods)) {
      const olderAll = older.filter((o) => o.allGoods).sort((a, b) => b.last.localeCompare(a.last));
      const span = (o: { first: string; last: string }) =>
        o.first.slice(0, 4) === o.last.slice(0, 4)
          ? o.last.slice(0, 4)
          : `${o.first.slice(0, 4)}–${o.last.slice(0, 4)}`;
      const tail = olderAll.length
        ? {
            en: ` The loaded partner data for all goods cover ${olderAll.map((o) => `${span(o)} (${o.dataset})`).join(' and ')}.`,
            zh: `已载入的全部商品分国别数据覆盖${olderAll.map((o) => `${span(o).replace('–', '—')}年（${o.dataset}）`).join('和')}。`,
          }
        : { en: '', zh: '' };
      out.missing.push({
        detector: 'partners',
        text: {
          en:
            `No partner breakdown of the total trade of ${reporter.en} covers ${pt.en} and the same period a year earlier, so shifts between partners in all goods cannot be reported.${tail.en}` +
            (covering.length ? ` Partner shifts below are for ${covering.map((c) => c.what.en).join(', ')} only.` : ''),
          zh:
            `没有同时覆盖${pt.zh}及上年同期的${reporter.zh}全部商品分国别数据，无法报告各贸易伙伴之间的变化。${tail.zh}` +
            (covering.length ? `以下贸易伙伴变化仅针对${covering.map((c) => c.what.zh).join('、')}。` : ''),
        },
      });
    }
    for (const d of covering) {
      const res = await shiftsFor(ctx, d);
      out.points.push(...res.points);
      out.missing.push(...res.missing);
    }
    return out;
  },
};

async function shiftsFor(ctx: BriefContext, d: PartnerData): Promise<Detected> {
  const out: Detected = { points: [], missing: [] };
  const a = await ctx.ask(partnerSpec(ctx, d));
  const b = await ctx.ask(previousShareSpec(ctx, d));
  if (!('result' in a)) return out;
  const cur = a.result.provenance.currency;
  const rows = partnerRows(a.result.rows);
  if (rows.length < 2) return out;
  const period = a.result.spec.period;
  const cell = (partner: string, column: string) => ({
    source: a.source,
    match: { period, partner, measure: 'exports' },
    column,
  });
  const what = d.what;
  const idBase = `partners.${d.product ?? d.dataset}`;

  // the largest share change among the top partners
  let shifted: string | undefined;
  if ('result' in b) {
    const prevPeriod = b.result.spec.period;
    const prevCell = (partner: string) => ({
      source: b.source,
      match: { period: prevPeriod, partner, measure: 'exports' },
      column: 'share_pct',
    });
    let best: { partner: string; delta: NumRef; s0: NumRef; s1: NumRef } | undefined;
    for (const r of rows) {
      const partner = String(r.partner);
      const s1 = makeNum('pct', cell(partner, 'share_pct'), ctx.read);
      const s0 = makeNum('pct', prevCell(partner), ctx.read);
      const delta = makeNum('pp', cell(partner, 'share_pct'), ctx.read, { minus: prevCell(partner), abs: true });
      if (!s1 || !s0 || !delta) continue;
      if (!best || approx(delta.value) > approx(best.delta.value)) best = { partner, delta, s0, s1 };
    }
    if (best && approx(best.delta.value) >= 0.5) {
      const up = signOf(subtract(best.s1.value, best.s0.value)) > 0;
      const p = best.partner;
      shifted = p;
      out.points.push(
        point(
          `${idBase}.share-shift`,
          saturating(approx(best.delta.value), 2, 30, 80),
          `share moved ${best.delta.value} pp`,
          `${possessive(areaNameCap(p, 'en'))} share of ${reporterPoss(ctx)} ${what.en} ${up ? 'rose' : 'fell'} {d} to {s1} (from {s0} a year earlier).`,
          `${areaName(p, 'zh')}在${areaName(ctx.request.reporter, 'zh')}${what.zh}中的占比由上年同期的{s0}${up ? '升至' : '降至'}{s1}，${up ? '提高' : '下降'}{d}。`,
          { d: best.delta, s0: best.s0, s1: best.s1 },
        ),
      );
    }
  }

  // the partner that moved growth most
  const byContribution = [...rows].sort(
    (x, y) => Math.abs(approx(String(y.contribution_pp))) - Math.abs(approx(String(x.contribution_pp))),
  );
  const top = byContribution.find((r) => String(r.partner) !== shifted);
  if (top && top.contribution_pp !== null) {
    const p = String(top.partner);
    const c = makeNum('pp', cell(p, 'contribution_pp'), ctx.read, { abs: true });
    const g = makeNum('pct', cell(p, 'yoy_pct'), ctx.read, { abs: true });
    const v = makeNum('money', cell(p, 'value'), ctx.read, { currency: cur });
    if (c && g && v && approx(c.value) >= 0.1) {
      const up = signOf(String(top.contribution_pp)) > 0;
      out.points.push(
        point(
          `${idBase}.top-contributor`,
          saturating(approx(c.value), 2, 30, 75),
          `contribution ${top.contribution_pp} pp`,
          `${capFirst(what.en)} to ${areaName(p, 'en')} ${up ? 'rose' : 'fell'} {g} to {v}, ${up ? 'adding' : 'taking'} {c} ${up ? 'to' : 'off'} the growth of ${reporterPoss(ctx)} ${what.en} — more than any other partner.`,
          `${areaName(ctx.request.reporter, 'zh')}对${areaName(p, 'zh')}${what.zh}{v}，同比${up ? '增长' : '下降'}{g}，${up ? '拉动' : '拖累'}${what.zh}增长{c}，影响居各贸易伙伴之首。`,
          { c, g, v },
        ),
      );
    }
  }

  // the fastest-growing partner with at least 2 % of the total
  const large = rows.filter((r) => approx(String(r.share_pct)) >= 2 && r.yoy_pct !== null);
  const fast = [...large].sort((x, y) => approx(String(y.yoy_pct)) - approx(String(x.yoy_pct)))[0];
  if (fast && approx(String(fast.yoy_pct)) > 0 && String(fast.partner) !== String(top?.partner)) {
    const p = String(fast.partner);
    const g = makeNum('pct', cell(p, 'yoy_pct'), ctx.read, { abs: true, digits: 0 });
    const v = makeNum('money', cell(p, 'value'), ctx.read, { currency: cur });
    if (g && v)
      out.points.push(
        point(
          `${idBase}.fastest`,
          saturating(approx(g.value), 50, 20, 65),
          `growth ${g.value} % among partners with 2 % share or more`,
          `Among the larger markets (2% of the total or more), ${what.en} to ${areaName(p, 'en')} grew fastest, up {g} to {v}.`,
          `在占比2%及以上的市场中，对${areaName(p, 'zh')}${what.zh}增长最快，达{v}，同比增长{g}。`,
          { g, v },
        ),
      );
  }
  if (!d.allGoods) for (const p of out.points) p.score = Math.round(p.score * EXTRACT_WEIGHT * 10) / 10;
  const chart = contributionChart(d, rows);
  if (out.points[0]) out.points[0].chart = chart;
  return out;
}

function contributionChart(d: PartnerData, rows: Record<string, unknown>[]): BriefChart {
  const title = { en: 'Contribution to growth by partner, pp', zh: '各贸易伙伴对增长的拉动（百分点）' };
  const caption = { en: capFirst(d.what.en), zh: d.what.zh };
  const items = (lang: 'en' | 'zh') =>
    rows.map((r) => ({ name: areaNameCap(String(r.partner), lang), value: approx(String(r.contribution_pp)) }));
  return {
    id: `partner-contributions-${(d.product ?? d.dataset).replace(/[^a-z0-9]+/gi, '-')}`,
    title,
    caption,
    option: {
      en: rankingBarChart({ title: title.en, items: items('en'), unitLabel: 'pp', lang: 'en', animation: false }),
      zh: rankingBarChart({ title: title.zh, items: items('zh'), unitLabel: '百分点', lang: 'zh', animation: false }),
    },
  };
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

function capFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function reporterPoss(ctx: BriefContext): string {
  const n = areaName(ctx.request.reporter, 'en');
  return n.endsWith('s') ? `${n}'` : `${n}'s`;
}

function point(id: string, score: number, why: string, en: string, zh: string, nums: Record<string, NumRef>): KeyPoint {
  return { id, detector: 'partners', score, why, text: { en, zh }, nums };
}
