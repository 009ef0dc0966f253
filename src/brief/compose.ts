/**
 * Builds a brief: runs every detector over the query model, ranks their points by newsworthiness, and keeps
 * what could not be said. The result is data; `render/` writes it as Markdown, HTML or PDF.
 */
import { periodText } from '../i18n/format.js';
import { resolveArea } from '../model/areas.js';
import { tryParsePeriod } from '../model/period.js';
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';
import { BriefContext } from './context.js';
import type { Detector } from './detector.js';
import { DETECTORS } from './detectors/index.js';
import { areaName } from './names.js';
import { rankPoints } from './rank.js';
import { whatChanged } from './since.js';
import type { Brief, BriefChart, BriefRequest, KeyPoint, Missing } from './types.js';

/** Options of {@link buildBrief}. */
export interface BuildOptions {
  /** Detectors to run (default: all, see `detectors/index.ts`). */
  detectors?: readonly Detector[];
}

/**
 * Builds the brief for a reporter and period.
 * @example await buildBrief(store, { reporter: 'CHN', period: 'ytd:2025-06' })
 */
export async function buildBrief(store: TradeStore, request: BriefRequest, opts: BuildOptions = {}): Promise<Brief> {
  const req = validateRequest(request);
  const ctx = new BriefContext(store, req);
  const points: KeyPoint[] = [];
  const missing: Missing[] = [];
  const charts: BriefChart[] = [];
  // one at a time: detectors share memoised queries, and the store is one connection
  for (const d of opts.detectors ?? DETECTORS) {
    const out = await d.detect(ctx);
    points.push(...out.points);
    missing.push(...out.missing);
    charts.push(...(out.charts ?? []));
  }
  const { kept, dropped } = rankPoints(points, req.top !== undefined ? { top: req.top } : {});
  for (const p of kept) if (p.chart && !charts.some((c) => c.id === p.chart!.id)) charts.push(p.chart);
  const since = req.since ? await whatChanged(ctx, kept, req.since) : { changes: [], missing: [] };
  missing.push(...since.missing);
  const who = { en: areaName(req.reporter, 'en'), zh: areaName(req.reporter, 'zh') };
  const with_ = req.partner
    ? { en: ` with ${areaName(req.partner, 'en')}`, zh: `对${areaName(req.partner, 'zh')}` }
    : { en: '', zh: '' };
  const cap = who.en.charAt(0).toUpperCase() + who.en.slice(1);
  return {
    request: req,
    title: {
      en: `${cap}'s trade${with_.en} in ${periodText(req.period, 'en')}`,
      zh: `${periodText(req.period, 'zh')}${who.zh}${with_.zh}外贸简报`,
    },
    points: kept,
    dropped,
    missing,
    changes: since.changes,
    sources: ctx.sources,
    charts: charts.filter((c) => kept.some((p) => p.chart?.id === c.id) || !points.some((p) => p.chart?.id === c.id)),
  };
}

function validateRequest(r: BriefRequest): BriefRequest {
  const area = resolveArea(r.reporter);
  if (!area)
    throw new UserError(`reporter: unknown code ${r.reporter} (try CHN, 156 or China; see tradescope countries)`);
  const p = tryParsePeriod(r.period);
  if (typeof p === 'string') throw new UserError(`--period: ${p}`);
  let partner: string | undefined;
  if (r.partner) {
    const pa = resolveArea(r.partner);
    if (!pa) throw new UserError(`partner: unknown code ${r.partner} (try USA, 842 or 美国; see tradescope countries)`);
    partner = pa.code;
  }
  if (r.top !== undefined && (!Number.isInteger(r.top) || r.top < 1))
    throw new UserError(`top: must be a positive whole number, got ${r.top}`);
  if (r.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(r.since))
    throw new UserError(`--since: expected a vintage date such as 2025-07-14, got ${r.since}`);
  return { ...r, reporter: area.code, period: p.label, ...(partner ? { partner } : {}) };
}
