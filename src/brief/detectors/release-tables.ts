/**
 * What GAC's own release tables say for the brief's period, when they are loaded (datasets `gacc-release-cny`,
 * `gacc-release-usd`): the headline from table (4)'s Total row with the YoY as printed, exports to the partners
 * China's trade reporting watches (the United States with its share, the EU, ASEAN, Australia: published group
 * totals, never sums of members), and the labour-intensive lines of table (5) with their YoY. Every number comes
 * from a query naming the release dataset, so each source line names the release (its table and publication date).
 */
import { gaccLineById } from '../../classify/gacc-lines.js';
import { periodText } from '../../i18n/format.js';
import type { QueryResult } from '../../query/engine.js';
import type { BriefContext } from '../context.js';
import type { Detected, Detector } from '../detector.js';
import { areaName } from '../names.js';
import { makeNum } from '../numbers.js';
import type { CellRef, NumRef } from '../types.js';

const PARTNERS = [
  { code: 'USA', key: 'us' },
  { code: 'EU', key: 'eu' },
  { code: 'ASEAN', key: 'asean' },
  { code: 'AUS', key: 'au' },
] as const;

type Asked = { source: number; result: QueryResult };
async function askIn(ctx: BriefContext, spec: Parameters<BriefContext['ask']>[0]): Promise<Asked | undefined> {
  const a = await ctx.ask(spec);
  return 'result' in a && a.result.rows.some((r) => r.value != null) ? a : undefined;
}

export const releaseTables: Detector = {
  id: 'release',
  async detect(ctx) {
    const out: Detected = { points: [], missing: [] };
    const loaded = (await ctx.datasets()).map((d) => d.dataset).filter((d) => d.startsWith('gacc-release-'));
    const { reporter, period } = ctx.request;
    const pt = { en: periodText(period, 'en'), zh: periodText(period, 'zh') };
    for (const dataset of loaded.sort()) {
      const cur = dataset.endsWith('usd') ? 'USD' : 'CNY';
      const money = (a: Asked, match: Record<string, string>) =>
        makeNum('money', { source: a.source, match, column: 'value' }, ctx.read, { currency: cur });
      const printed = (a: Asked, match: Record<string, string>) =>
        makeNum('pct', { source: a.source, match, column: 'published_yoy_pct' } as CellRef, ctx.read, { signed: true });
      const computed = (a: Asked, match: Record<string, string>) =>
        makeNum('pct', { source: a.source, match, column: 'yoy_pct' } as CellRef, ctx.read, { signed: true });
      // (4)'s Total row
      const h = await askIn(ctx, { reporter, period, measures: ['value', 'balance'], compare: 'yoy', dataset });
      if (h) {
        const p = h.result.spec.period;
        const nums = {
          x: money(h, { period: p, measure: 'exports' }),
          xy: printed(h, { period: p, measure: 'exports' }),
          m: money(h, { period: p, measure: 'imports' }),
          my: printed(h, { period: p, measure: 'imports' }),
          b: money(h, { period: p, measure: 'balance' }),
        };
        if (Object.values(nums).every(Boolean)) {
          out.points.push({
            id: `release.headline.${cur.toLowerCase()}`,
            detector: 'release',
            score: 70,
            why: "GAC's own release table (4), Total row",
            text: {
              en: `GAC's preliminary release (table (4), Total row, in ${cur}): exports {x} in ${pt.en} ({xy} year on year as printed), imports {m} ({my}), surplus {b}.`,
              zh: `海关总署统计快讯（表（4）总值行，${cur === 'CNY' ? '人民币值' : '美元值'}）：${pt.zh}出口{x}（公布同比{xy}），进口{m}（{my}），顺差{b}。`,
            },
            nums: nums as Record<string, NumRef>,
          });
        }
        // partners
        const pn: Record<string, NumRef> = {};
        const en: string[] = [];
        const zh: string[] = [];
        for (const q of PARTNERS) {
          const a = await askIn(ctx, {
            reporter,
            partner: q.code,
            flow: ['X'],
            period,
            measures: ['value'],
            compare: 'yoy',
            dataset,
          });
          if (!a) continue;
          const v = money(a, { period: a.result.spec.period, measure: 'exports' });
          const y = printed(a, { period: a.result.spec.period, measure: 'exports' });
          if (!v || !y) continue;
          pn[q.key] = v;
          pn[`${q.key}y`] = y;
          en.push(
            `${q.code === 'USA' ? 'the United States' : q.code === 'EU' ? 'the EU' : areaName(q.code, 'en')} {${q.key}} ({${q.key}y})`,
          );
          zh.push(`${areaName(q.code, 'zh')}{${q.key}}（{${q.key}y}）`);
        }
        const sh = await askIn(ctx, {
          reporter,
          flow: ['X'],
          period,
          by: ['partner'],
          measures: ['value', 'share'],
          top: 30,
          dataset,
        });
        const us =
          sh &&
          makeNum(
            'pct',
            { source: sh.source, match: { partner: 'USA', measure: 'exports' }, column: 'share_pct' } as CellRef,
            ctx.read,
          );
        if (us) pn.ush = us;
        if (en.length) {
          out.points.push({
            id: `release.partners.${cur.toLowerCase()}`,
            detector: 'release',
            score: 60,
            why: 'exports by partner in the release table (4)',
            text: {
              en: `Exports by partner in the same table, ${pt.en}, YoY as printed: ${en.join(', ')}${us ? '; the United States took {ush} of all exports' : ''}.`,
              zh: `同表分国别出口（${pt.zh}，公布同比）：${zh.join('，')}${us ? '；对美国出口占出口总值的{ush}' : ''}。`,
            },
            nums: pn,
          });
        }
      }
      // (5): the labour-intensive lines
      const li = await askIn(ctx, {
        reporter,
        flow: ['X'],
        period,
        product: 'labour-intensive',
        by: ['product'],
        measures: ['value'],
        compare: 'yoy',
        dataset,
      });
      if (li) {
        const nums: Record<string, NumRef> = {};
        const en: string[] = [];
        const zh: string[] = [];
        for (const r of li.result.rows) {
          const id = String(r.product);
          const match = { period: li.result.spec.period, measure: 'exports', product: id };
          const v = money(li, match);
          const y = computed(li, match);
          const line = gaccLineById(id);
          if (!v || !y || !line) continue;
          const k = id.toLowerCase();
          nums[k] = v;
          nums[`${k}y`] = y;
          en.push(`${line.name.en.toLowerCase()} {${k}} ({${k}y})`);
          zh.push(`${line.name.zh}{${k}}（{${k}y}）`);
        }
        if (en.length)
          out.points.push({
            id: `release.labour-intensive.${cur.toLowerCase()}`,
            detector: 'release',
            score: 60,
            why: 'labour-intensive lines of the release table (5)',
            text: {
              en: `Labour-intensive exports by GAC line (table (5)), ${pt.en}, year on year: ${en.join(', ')}.`,
              zh: `劳动密集型产品出口（表（5）分商品，${pt.zh}，同比）：${zh.join('，')}。`,
            },
            nums,
          });
      }
    }
    return out;
  },
};
