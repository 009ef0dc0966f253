/**
 * The monthly series: exports, imports and balance; YTD this year against last; the forecast fan.
 */
import { monthlySeriesChart, multiLineChart } from '../../../src/charts/options.js';
import { label, monthTick } from '../../../src/i18n/format.js';
import { ApiError, getJson, num, q } from '../api.js';
import { type Ctx, currencyParam, yearOf } from '../context.js';
import { panel } from '../panel.js';
import { scale, unitFor } from '../units.js';
import { w } from '../words.js';

export async function renderMonthly(ctx: Ctx, parent: HTMLElement): Promise<void> {
  const lang = ctx.lang;
  const t = ctx.plan.totals;
  const series = panel(parent, 'monthly', w('monthly', lang), { wide: true });
  const ytdPanel = panel(parent, 'ytd', w('ytd', lang));
  const fcPanel = panel(parent, 'forecast', w('forecast', lang));
  if (!t) {
    const reason = ctx.plan.missing.find((m) => m.view === 'totals')?.reason ?? '';
    for (const p of [series, ytdPanel, fcPanel]) p.missing(`${w('noData', lang)}: ${reason}`);
    return;
  }
  const base = { reporter: ctx.plan.reporter, dataset: t.dataset, currency: currencyParam(ctx, t.currency) };
  const unit = unitFor(ctx.state.currency, lang);
  const anim = ctx.state.animation;

  await Promise.all([
    (async () => {
      const r = await q({ ...base, period: `${t.first}..${t.last}`, by: t.monthly ? 'month' : 'year', measure: 'value,balance' });
      const periods = [...new Set(r.rows.map((x) => String(x.period)))].sort();
      const values = (m: string) => periods.map((p) => num(r.rows.find((x) => x.period === p && x.measure === m)?.value));
      const ex = values('exports');
      const im = values('imports');
      const bal = values('balance');
      series.draw(
        monthlySeriesChart({
          title: '',
          months: periods,
          series: [
            { name: label('exports', lang), values: ex.map((v) => scale(v, unit)), kind: 'bar' },
            { name: label('imports', lang), values: im.map((v) => scale(v, unit)), kind: 'bar' },
            { name: label('balance', lang), values: bal.map((v) => scale(v, unit)), kind: 'line' },
          ],
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        {
          headers: ['period', 'exports', 'imports', 'balance', 'currency'],
          rows: periods.map((p, i) => [p, ex[i] ?? null, im[i] ?? null, bal[i] ?? null, r.provenance.currency]),
        },
        `${w('source', lang)}: ${t.dataset}${r.provenance.currency !== r.provenance.sourceCurrency ? ` (${r.provenance.sourceCurrency} → ${r.provenance.currency})` : ''}`,
      );
    })().catch((e) => series.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    (async () => {
      if (!t.monthly) {
        ytdPanel.missing(`${w('noData', lang)}: ${t.dataset} is not monthly`);
        return;
      }
      const year = yearOf(t.last);
      const lastMonth = Number(t.last.slice(5, 7));
      const months = Array.from({ length: lastMonth }, (_, i) => String(i + 1).padStart(2, '0'));
      const get = (y: number) =>
        Promise.all(
          months.map((m) =>
            q({ ...base, period: `ytd:${y}-${m}`, flow: 'X' })
              .then((r) => num(r.rows.find((x) => x.measure === 'exports')?.value))
              .catch(() => null),
          ),
        );
      const [now, before] = await Promise.all([get(year), get(year - 1)]);
      const ticks = months.map((m) => monthTick(`${year}-${m}`, lang, false));
      ytdPanel.draw(
        multiLineChart({
          title: '',
          periods: ticks,
          series: [
            { name: `${year} (${w('thisYear', lang)})`, values: now.map((v) => scale(v, unit)) },
            { name: `${year - 1} (${w('lastYear', lang)})`, values: before.map((v) => scale(v, unit)) },
          ],
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        {
          headers: ['month', `exports_ytd_${year}`, `exports_ytd_${year - 1}`, 'currency'],
          rows: months.map((m, i) => [m, now[i] ?? null, before[i] ?? null, ctx.state.currency]),
        },
      );
    })().catch((e) => ytdPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    renderForecast(ctx, fcPanel, base, unit),
  ]);
}

interface ForecastAnswer {
  currency: string;
  history: { months: string[]; values: number[] };
  forecast: { months: string[]; point: number[]; intervals: { level: number; lower: number[]; upper: number[] }[] };
  model?: { name?: string };
  warnings?: { message: string }[];
}

async function renderForecast(
  ctx: Ctx,
  p: ReturnType<typeof panel>,
  base: { reporter: string; dataset: string; currency?: string },
  unit: ReturnType<typeof unitFor>,
): Promise<void> {
  const lang = ctx.lang;
  try {
    const params = new URLSearchParams({ reporter: base.reporter, flow: 'X', horizon: '6', dataset: base.dataset });
    if (base.currency) params.set('currency', base.currency);
    const f = await getJson<ForecastAnswer>(`/api/forecast?${params.toString()}`);
    const level = (l: number) => f.forecast.intervals.find((i) => i.level === l);
    const i80 = level(80);
    const i95 = level(95);
    if (!f.forecast.months.length || !i80 || !i95) throw new ApiError(503, 'no forecast intervals in the answer');
    const sc = (xs: number[]) => xs.map((v) => scale(v, unit) ?? 0);
    p.draw(
      monthlySeriesChart({
        title: '',
        months: f.history.months,
        series: [{ name: label('exports', lang), values: f.history.values.map((v) => scale(v, unit)) }],
        forecast: {
          name: label('forecast', lang),
          months: f.forecast.months,
          point: sc(f.forecast.point),
          lo80: sc(i80.lower),
          hi80: sc(i80.upper),
          lo95: sc(i95.lower),
          hi95: sc(i95.upper),
        },
        unitLabel: unit.label,
        lang,
        animation: ctx.state.animation,
      }),
      {
        headers: ['month', 'point', 'lo80', 'hi80', 'lo95', 'hi95', 'currency'],
        rows: f.forecast.months.map((m, i) => [m, f.forecast.point[i], i80.lower[i], i80.upper[i], i95.lower[i], i95.upper[i], f.currency]),
      },
      [f.model?.name, ...(f.warnings ?? []).map((x) => x.message)].filter(Boolean).join(' · '),
    );
  } catch (e) {
    p.missing(w('forecastMissing', lang), e instanceof ApiError ? e.message : String(e));
  }
}
