/**
 * Mirror data (reported exports against partners' imports), partner-reported series, and regions.
 */
import { mirrorChart, multiLineChart, rankingBarChart } from '../../../src/charts/options.js';
import { formatPercent } from '../../../src/i18n/format.js';
import { num, q } from '../api.js';
import { type Ctx, currencyParam, lastFullYear, yearOf } from '../context.js';
import { panel } from '../panel.js';
import { scale, unitFor } from '../units.js';
import { w } from '../words.js';

export async function renderMore(ctx: Ctx, parent: HTMLElement): Promise<void> {
  const lang = ctx.lang;
  const R = ctx.plan.reporter;
  const unit = unitFor(ctx.state.currency, lang);
  const anim = ctx.state.animation;
  const mirrorPanel = panel(parent, 'mirror', w('mirror', lang));
  const regionPanel = panel(parent, 'regions', w('regions', lang));
  const cityPanel = ctx.state.region ? panel(parent, 'cities', `${w('cities', lang)}: ${ctx.region(ctx.state.region)}`) : null;
  const reportedPanel = panel(parent, 'partner-reported', w('partnerReported', lang), { wide: true });

  await Promise.all([
    (async () => {
      const m = ctx.plan.mirror;
      if (!m) {
        mirrorPanel.missing(`${w('noData', lang)}: ${ctx.plan.missing.find((x) => x.view === 'mirror')?.reason ?? ''}`);
        return;
      }
      const year = lastFullYear(m.last);
      const results = await Promise.all(
        m.partners.map((p) =>
          q({ reporter: R, partner: p, period: String(year), measure: 'mirror', currency: currencyParam(ctx, m.currency) })
            .then((r) => ({ p, row: r.rows[0] ?? null }))
            .catch(() => ({ p, row: null })),
        ),
      );
      const ok = results.filter((x) => x.row && num(x.row.reporter_exports) !== null);
      if (!ok.length) {
        mirrorPanel.missing(`${w('noData', lang)}: ${m.partners.join(', ')}`);
        return;
      }
      mirrorPanel.draw(
        mirrorChart({
          title: String(year),
          partners: ok.map((x) => ctx.area(x.p)),
          reported: ok.map((x) => scale(num(x.row!.reporter_exports), unit) ?? 0),
          mirror: ok.map((x) => scale(num(x.row!.partner_imports), unit) ?? 0),
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        {
          headers: ['year', 'partner', 'reporter_exports', 'partner_imports', 'gap_pct', 'currency'],
          rows: ok.map((x) => [year, x.p, x.row!.reporter_exports ?? null, x.row!.partner_imports ?? null, x.row!.gap_pct ?? null, x.row!.currency ?? null]),
        },
        `${w('source', lang)}: ${m.dataset} · ${w('mirrorNote', lang)}`,
      );
    })().catch((e) => mirrorPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    (async () => {
      const g = ctx.plan.regions;
      if (!g) {
        regionPanel.missing(`${w('noData', lang)}: ${ctx.plan.missing.find((x) => x.view === 'regions')?.reason ?? ''}`);
        return;
      }
      const r = await q({ reporter: R, period: `ytd:${g.last}`, flow: 'X', by: 'region', compare: 'yoy', dataset: g.dataset, currency: currencyParam(ctx, g.currency) });
      const rows = r.rows.filter((x) => x.measure === 'exports' && num(x.value) !== null);
      const name = (code: string) => (code === '(rest)' ? w('rest', lang) : ctx.region(code));
      regionPanel.draw(
        rankingBarChart({
          title: '',
          items: rows.map((x) => ({
            name: `${name(String(x.region))}${x.yoy_pct !== null && x.yoy_pct !== undefined ? ` (${formatPercent(Number(x.yoy_pct) / 100, lang, { signed: true })})` : ''}`,
            value: scale(num(x.value), unit) ?? 0,
          })),
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        { headers: ['period', 'region', 'exports', 'yoy_pct', 'currency'], rows: rows.map((x) => [String(x.period), String(x.region), x.value, x.yoy_pct ?? null, r.provenance.currency]) },
        `${w('source', lang)}: ${g.dataset} · ${w('regionNote', lang)}`,
      );
      // drill-down: a province's cities, where the source publishes them
      const provinces = rows.filter((x) => x.region !== '(rest)' && g.regions.some((c) => c !== x.region && c.slice(0, 2) === String(x.region).slice(0, 2)));
      if (provinces.length) {
        const drill = document.createElement('div');
        drill.className = 'drill';
        drill.setAttribute('role', 'group');
        drill.setAttribute('aria-label', w('cityHint', lang));
        const hint = document.createElement('span');
        hint.textContent = w('cityHint', lang);
        drill.append(hint);
        for (const x of provinces) {
          const b = document.createElement('button');
          b.type = 'button';
          b.dataset.region = String(x.region);
          b.textContent = name(String(x.region));
          b.setAttribute('aria-pressed', String(ctx.state.region === x.region));
          b.addEventListener('click', () => ctx.update({ region: ctx.state.region === x.region ? null : String(x.region) }));
          drill.append(b);
        }
        regionPanel.body.append(drill);
      }
      if (cityPanel && ctx.state.region) {
        const c = await q({ reporter: R, region: ctx.state.region, period: `ytd:${g.last}`, flow: 'X', by: 'region', compare: 'yoy', dataset: g.dataset, currency: currencyParam(ctx, g.currency) });
        const cities = c.rows.filter((x) => x.measure === 'exports' && num(x.value) !== null);
        if (!cities.some((x) => x.region !== '(rest)')) cityPanel.missing(`${w('noData', lang)}: ${ctx.region(ctx.state.region)}`);
        else
          cityPanel.draw(
            rankingBarChart({
              title: '',
              items: cities.map((x) => ({
                name: `${name(String(x.region))}${x.yoy_pct !== null && x.yoy_pct !== undefined ? ` (${formatPercent(Number(x.yoy_pct) / 100, lang, { signed: true })})` : ''}`,
                value: scale(num(x.value), unit) ?? 0,
              })),
              unitLabel: unit.label,
              lang,
              animation: anim,
            }),
            { headers: ['period', 'region', 'exports', 'yoy_pct', 'currency'], rows: cities.map((x) => [String(x.period), String(x.region), x.value, x.yoy_pct ?? null, c.provenance.currency]) },
            `${w('source', lang)}: ${g.dataset} · ${w('regionNote', lang)}`,
          );
      }
    })().catch((e) => regionPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    (async () => {
      const list = ctx.plan.partnerReported;
      if (!list.length) {
        reportedPanel.missing(`${w('noData', lang)}: ${ctx.plan.missing.find((x) => x.view === 'partner-reported')?.reason ?? ''}`);
        return;
      }
      const end = Math.max(...list.map((d) => lastFullYear(d.last)));
      const start = Math.max(Math.min(...list.map((d) => yearOf(d.first))), end - 24);
      const years = Array.from({ length: end - start + 1 }, (_, i) => String(start + i));
      const results = await Promise.all(
        list.map((d) =>
          q({ reporter: d.partner, partner: R, period: `${Math.max(start, yearOf(d.first))}..${Math.min(end, lastFullYear(d.last))}`, flow: 'M', by: 'year', dataset: d.dataset, currency: ctx.state.currency })
            .then((r) => ({ d, r }))
            .catch(() => ({ d, r: null })),
        ),
      );
      const ok = results.filter((x) => x.r);
      const failed = results.filter((x) => !x.r).map((x) => `${x.d.partner} (${x.d.dataset})`);
      const v = (x: (typeof ok)[number], y: string) => num(x.r!.rows.find((row) => row.period === y && row.measure === 'imports')?.value);
      if (!ok.length) {
        reportedPanel.missing(`${w('noData', lang)}: ${failed.join(', ')}`);
        return;
      }
      reportedPanel.draw(
        multiLineChart({
          title: '',
          periods: years,
          series: ok.map((x) => ({ name: `${ctx.area(x.d.partner)} (${x.d.dataset})`, values: years.map((y) => scale(v(x, y), unit)) })),
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        { headers: ['year', ...ok.map((x) => `${x.d.partner}_imports_from_${R}`)], rows: years.map((y) => [y, ...ok.map((x) => v(x, y))]) },
        `${w('source', lang)}: ${ok.map((x) => x.d.dataset).join(', ')}${failed.length ? ` · ${w('noData', lang)}: ${failed.join(', ')}` : ''}`,
      );
    })().catch((e) => reportedPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),
  ]);
}
