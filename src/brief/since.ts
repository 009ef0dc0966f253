/**
 * What changed since a previous release (`--since <vintage>`): every kept point's numbers read again from the
 * data as released up to that vintage (the query model's `asOf`). A number that differs makes a "revised"
 * item (new value, with the old one); a point whose numbers did not exist then is new (a new record, a new
 * month); a ranking (partners, regions) whose leading members changed order is reported with the old order.
 * When nothing was released by that date, the brief says there is nothing to compare with.
 */
import type { BriefContext } from './context.js';
import { areaName, isRegion, regionName } from './names.js';
import { numValue } from './numbers.js';
import type { CellRef, KeyPoint, Lang, Missing, NumRef } from './types.js';

/** The changes, and a note when no release on or before `since` is loaded. */
export interface Changes {
  changes: KeyPoint[];
  missing: Missing[];
}

/**
 * Compares the kept points with the release of `since`.
 * @example await whatChanged(ctx, brief.points, '2025-06-20')
 */
export async function whatChanged(ctx: BriefContext, points: KeyPoint[], since: string): Promise<Changes> {
  const oldSource = new Map<number, number | null>();
  const oldOf = async (source: number): Promise<number | null> => {
    if (!oldSource.has(source)) {
      const a = await ctx.ask({ ...ctx.sources[source]!.spec, asOf: since });
      oldSource.set(source, 'result' in a ? a.source : null);
    }
    return oldSource.get(source)!;
  };
  const remap = async (c: CellRef): Promise<CellRef | null> => {
    const s = await oldOf(c.source);
    return s === null ? null : { ...c, source: s };
  };
  const changes: KeyPoint[] = [];
  let answered = 0;
  for (const p of points) {
    const old: Record<string, NumRef> = {};
    const changed: string[] = [];
    let absent = 0;
    for (const [k, n] of Object.entries(p.nums)) {
      const cell = await remap(n.cell);
      const minus = n.minus ? await remap(n.minus) : undefined;
      if (cell === null || minus === null) {
        absent++;
        continue;
      }
      answered++;
      const value = numValue({ ...n, cell, ...(minus ? { minus } : {}) }, ctx.read);
      if (value === undefined) absent++;
      else if (value !== n.value) {
        old[`o_${k}`] = { ...n, value, cell, ...(minus ? { minus } : {}) };
        changed.push(k);
      }
    }
    const total = Object.keys(p.nums).length;
    if (total > 0 && absent === total) {
      changes.push({
        ...p,
        id: `since.new.${p.id}`,
        detector: 'since',
        why: `not in the ${since} release`,
        text: { en: `New since the ${since} release: ${p.text.en}`, zh: `${since}版本之后新出现：${p.text.zh}` },
      });
    } else if (changed.length) {
      const list = (sep: string) => changed.map((k) => `{o_${k}}`).join(sep);
      changes.push({
        ...p,
        id: `since.revised.${p.id}`,
        detector: 'since',
        why: `${changed.length} number(s) revised since ${since}`,
        text: {
          en: `Revised: ${p.text.en.replace(/\.$/, '')} (the ${since} release said ${list(', ')}).`,
          zh: `修订：${p.text.zh.replace(/。$/, '')}（${since}版本为${list('、')}）。`,
        },
        nums: { ...p.nums, ...old },
      });
    }
  }
  if (answered > 0) changes.push(...(await rankingChanges(ctx, points, since, oldOf)));
  if (answered === 0 && points.length) {
    return {
      changes: [],
      missing: [
        {
          detector: 'since',
          text: {
            en: `No release on or before ${since} is loaded, so there is nothing to compare with.`,
            zh: `未载入${since}或更早发布的数据版本，无从比较。`,
          },
        },
      ],
    };
  }
  return { changes, missing: [] };
}

/** How many leading members of a ranking are compared. */
const RANKED = 5;

/** Rankings (by partner or region) cited by the points whose leading members changed order since `since`. */
async function rankingChanges(
  ctx: BriefContext,
  points: KeyPoint[],
  since: string,
  oldOf: (source: number) => Promise<number | null>,
): Promise<KeyPoint[]> {
  const out: KeyPoint[] = [];
  const sources = new Set(points.flatMap((p) => Object.values(p.nums).map((n) => n.cell.source)));
  for (const source of sources) {
    const spec = ctx.sources[source]?.spec;
    const dim = spec?.by?.find((d): d is 'partner' | 'region' => d === 'partner' || d === 'region');
    if (!spec || !dim || spec.by!.length !== 1) continue;
    const old = await oldOf(source);
    if (old === null) continue;
    const order = (i: number) =>
      ctx.results[i]!.rows.filter(
        (r) =>
          r.measure === 'exports' &&
          r.value !== null &&
          (dim === 'partner' ? r.partner !== '(rest)' : isRegion(r.region)),
      )
        .sort((a, b) => Number(b.value) - Number(a.value))
        .slice(0, RANKED)
        .map((r) => String(r[dim]));
    const now = order(source);
    const before = order(old);
    if (now.join() === before.join() || !now.length || !before.length) continue;
    const names = (codes: string[], lang: Lang) =>
      codes.map((c) => (dim === 'partner' ? areaName(c, lang) : regionName(c, lang))).join(lang === 'zh' ? '、' : ', ');
    const what = dim === 'partner' ? { en: 'partners', zh: '贸易伙伴' } : { en: 'regions', zh: '地区' };
    out.push({
      id: `since.ranking.${dim}.${source}`,
      detector: 'since',
      score: 0,
      why: `ranking of ${dim}s changed since ${since}`,
      text: {
        en: `The order of the leading ${what.en} by exports changed: now ${names(now, 'en')}; the ${since} release had ${names(before, 'en')}.`,
        zh: `按出口额排序的主要${what.zh}顺序发生变化：现为${names(now, 'zh')}；${since}版本为${names(before, 'zh')}。`,
      },
      nums: {},
    });
  }
  return out;
}
