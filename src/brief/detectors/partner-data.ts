/**
 * Which loaded datasets can answer partner questions for the brief's period: partner detail for the reporter
 * covering the period and the same window a year earlier. A dataset of all goods is named by its name; a
 * product extract (solar exports by destination) by the basket part it covers, so a brief says "exports of
 * photovoltaic cells and modules" and not "exports".
 */
import { basketById } from '../../classify/baskets.js';
import { formatMonth, parsePeriod, shiftYears } from '../../model/period.js';
import type { BriefContext } from '../context.js';
import type { Bilingual } from '../types.js';

/** A dataset with partner detail for the period, and what its values are of. */
export interface PartnerData {
  dataset: string;
  /** A basket part (`new-three/pv-cells`) when the dataset is a product extract. */
  product?: string;
  what: Bilingual;
  allGoods: boolean;
  currency?: string;
}

/** Baskets whose parts may name a product extract. */
const EXTRACT_BASKETS = ['new-three'];

/** Partner datasets covering the period (all goods first), and those that do not, with their last period. */
export async function partnerData(
  ctx: BriefContext,
): Promise<{ covering: PartnerData[]; older: { dataset: string; first: string; last: string; allGoods: boolean }[] }> {
  const p = parsePeriod(ctx.request.period);
  const prev = shiftYears(p, -1);
  const covering: PartnerData[] = [];
  const older: { dataset: string; first: string; last: string; allGoods: boolean }[] = [];
  const key = ctx.request.reporter;
  const cacheKey = `partner-data:${key}:${p.label}`;
  const cached = memo.get(ctx)?.get(cacheKey);
  if (cached) return cached;
  for (const d of await ctx.datasets()) {
    if (!d.reporters.includes(key) || d.partners < 2 || !d.firstPeriod || !d.lastPeriod) continue;
    const allGoods =
      (await ctx.store.datasetsCovering({ datasets: [d.dataset], reporters: [key], products: ['TOTAL'] })).length > 0;
    if (d.firstPeriod.slice(0, 7) > formatMonth(prev.start) || d.lastPeriod.slice(0, 7) < formatMonth(p.end)) {
      older.push({ dataset: d.dataset, first: d.firstPeriod.slice(0, 7), last: d.lastPeriod.slice(0, 7), allGoods });
      continue;
    }
    const name = d.name ?? d.dataset;
    if (allGoods) {
      covering.push({ dataset: d.dataset, what: { en: 'exports', zh: '出口' }, allGoods });
      continue;
    }
    const part = await findBasketPart(ctx, d.dataset);
    covering.push(
      part
        ? { dataset: d.dataset, product: part.id, what: part.what, allGoods: false }
        : { dataset: d.dataset, what: { en: `exports in ${name}`, zh: `${name}中的出口` }, allGoods: false },
    );
  }
  covering.sort((a, b) => Number(b.allGoods) - Number(a.allGoods) || a.dataset.localeCompare(b.dataset));
  const out = { covering, older };
  if (!memo.has(ctx)) memo.set(ctx, new Map());
  memo.get(ctx)!.set(cacheKey, out);
  return out;
}

const memo = new WeakMap<BriefContext, Map<string, Awaited<ReturnType<typeof partnerData>>>>();

async function findBasketPart(
  ctx: BriefContext,
  dataset: string,
): Promise<{ id: string; what: Bilingual } | undefined> {
  for (const id of EXTRACT_BASKETS) {
    const b = basketById(id);
    if (!b) continue;
    for (const part of b.parts) {
      const a = await ctx.ask({
        reporter: ctx.request.reporter,
        period: ctx.request.period,
        dataset,
        product: `${b.id}/${part.id}`,
        flow: ['X'],
      });
      if ('result' in a && a.result.rows.some((r) => r.value !== null && r.value !== undefined)) {
        return {
          id: `${b.id}/${part.id}`,
          what: { en: `exports of ${part.name.en.toLowerCase()}`, zh: `${part.name.zh ?? part.name.en}出口` },
        };
      }
    }
  }
  return undefined;
}
