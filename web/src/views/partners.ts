/**
 * Partners: the ranking (latest year with partner detail), a treemap, shares over time with the US share
 * highlighted, partner groups, and a drill-down into one partner.
 */
import { monthlySeriesChart, rankingBarChart, shareLinesChart, treemapChart } from '../../../src/charts/options.js';
import { formatPp, label } from '../../../src/i18n/format.js';
import { num, q } from '../api.js';
import { type Ctx, currencyParam, lastFullYear, yearOf } from '../context.js';
import { panel } from '../panel.js';
import { scale, unitFor } from '../units.js';
import { w } from '../words.js';

const HIGHLIGHT = 'USA';
const GROUPS = ['EU', 'ASEAN', 'USA', 'BRICS', 'G7'];

export async function renderPartners(ctx: Ctx, parent: HTMLElement): Promise<void> {
  const lang = ctx.lang;
  const R = ctx.plan.reporter;
  const latest = ctx.plan.partnersLatest;
  const hist = ctx.plan.partnersHistory;
  const rankPanel = panel(parent, 'ranking', w('ranking', lang), { tall: true });
  const treePanel = panel(parent, 'partner-tree', w('partnerTree', lang), { tall: true });
  const sharePanel = panel(parent, 'shares', w('shares', lang));
  const groupPanel = panel(parent, 'groups', w('groups', lang));
  const detailPanel = ctx.state.partner ? panel(parent, 'partner-detail', `${w('partnerDetail', lang)}: ${ctx.area(ctx.state.partner)}`, { wide: true }) : null;
  const unit = unitFor(ctx.state.currency, lang);
  const anim = ctx.state.animation;
  if (!latest || !hist) {
    const reason = ctx.plan.missing.find((m) => m.view === 'partners')?.reason ?? '';
    for (const p of [rankPanel, treePanel, sharePanel, groupPanel]) p.missing(`${w('noData', lang)}: ${reason}`);
    return;
  }
  const year = lastFullYear(latest.last);
  const histEnd = lastFullYear(hist.last);
  const histStart = Math.max(yearOf(hist.first), histEnd - 9);
  const annualNote = w('annualOnly', lang, { year: histEnd });

  await Promise.all([
    (async () => {
      const r = await q({ reporter: R, period: String(year), flow: 'X', by: 'partner', measure: 'value,share', top: 30, dataset: latest.dataset, currency: currencyParam(ctx, latest.currency) });
      const rows = r.rows.filter((x) => x.measure === 'exports');
      const named = rows.filter((x) => x.partner !== '(rest)');
      const top = named.slice(0, 10);
      rankPanel.draw(
        rankingBarChart({
          title: `${year}`,
          items: top.map((x) => ({ name: ctx.area(String(x.partner)), value: scale(num(x.value), unit) ?? 0, highlight: x.partner === HIGHLIGHT })),
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        { headers: ['year', 'partner', 'exports', 'share_pct', 'currency'], rows: top.map((x) => [year, String(x.partner), x.value, x.share_pct ?? null, r.provenance.currency]) },
        `${w('source', lang)}: ${latest.dataset} · ${ctx.area(HIGHLIGHT)} ${w('highlighted', lang)}`,
      );
      // drill-down: one button per partner (keyboard reachable), and clicks on the bars
      const drill = document.createElement('div');
      drill.className = 'drill';
      drill.setAttribute('role', 'group');
      drill.setAttribute('aria-label', w('drillHint', lang));
      const hint = document.createElement('span');
      hint.textContent = w('drillHint', lang);
      drill.append(hint);
      for (const x of top) {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.partner = String(x.partner);
        b.textContent = ctx.area(String(x.partner));
        b.setAttribute('aria-pressed', String(ctx.state.partner === x.partner));
        b.addEventListener('click', () => ctx.update({ partner: ctx.state.partner === x.partner ? null : String(x.partner) }));
        drill.append(b);
      }
      rankPanel.body.append(drill);
      rankPanel.chart?.on('click', (e) => {
        const item = top[(e as { dataIndex: number }).dataIndex];
        if (item) ctx.update({ partner: String(item.partner) });
      });

      const rest = rows.find((x) => x.partner === '(rest)');
      const tree = named.map((x) => ({ name: ctx.area(String(x.partner)), value: scale(num(x.value), unit) ?? 0, id: String(x.partner) }));
      if (rest && num(rest.value) !== null) tree.push({ name: w('rest', lang), value: scale(num(rest.value), unit) ?? 0, id: 'rest' });
      treePanel.draw(
        treemapChart({ title: `${year}`, tree, unitLabel: unit.label, lang, animation: anim }),
        { headers: ['year', 'partner', 'exports', 'currency'], rows: [...named, ...(rest ? [rest] : [])].map((x) => [year, String(x.partner), x.value, r.provenance.currency]) },
        `${w('source', lang)}: ${latest.dataset}`,
      );
    })().catch((e) => {
      rankPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`);
      treePanel.missing(`${w('failed', lang)}: ${(e as Error).message}`);
    }),

    (async () => {
      const r = await q({ reporter: R, period: `${histStart}..${histEnd}`, flow: 'X', by: 'year,partner', measure: 'value,share', top: 6, dataset: hist.dataset });
      const years = [...new Set(r.rows.map((x) => String(x.period)))].sort();
      const partners = [...new Set(r.rows.filter((x) => x.partner !== '(rest)').map((x) => String(x.partner)))];
      if (!partners.includes(HIGHLIGHT)) partners.push(HIGHLIGHT);
      const share = (p: string, y: string) => num(r.rows.find((x) => x.partner === p && x.period === y)?.share_pct);
      const us0 = share(HIGHLIGHT, years[0] ?? '');
      const us1 = share(HIGHLIGHT, years.at(-1) ?? '');
      const change = us0 !== null && us1 !== null ? `${w('usShare', lang)} ${years[0]}–${years.at(-1)}: ${us0.toFixed(1)}% → ${us1.toFixed(1)}% (${formatPp(Math.round((us1 - us0) * 10) / 10, lang)})` : '';
      sharePanel.draw(
        shareLinesChart({
          title: '',
          periods: years,
          series: partners.map((p) => ({ name: ctx.area(p), values: years.map((y) => share(p, y)), highlight: p === HIGHLIGHT })),
          lang,
          animation: anim,
        }),
        { headers: ['year', ...partners], rows: years.map((y) => [y, ...partners.map((p) => share(p, y))]) },
        `${w('source', lang)}: ${hist.dataset} · ${annualNote}`,
      );
      if (change) {
        const c = document.createElement('p');
        c.className = 'us-change';
        c.textContent = change;
        sharePanel.body.prepend(c);
      }
    })().catch((e) => sharePanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    (async () => {
      const period = `${histStart}..${histEnd}`;
      const world = await q({ reporter: R, period, flow: 'X', by: 'year', dataset: hist.dataset });
      const years = world.rows.filter((x) => x.measure === 'exports').map((x) => String(x.period));
      const total = (y: string) => num(world.rows.find((x) => x.period === y && x.measure === 'exports')?.value);
      const results = await Promise.all(
        GROUPS.map((g) =>
          q({ reporter: R, partner: g, period, flow: 'X', by: 'year', dataset: hist.dataset })
            .then((r) => ({ g, r }))
            .catch(() => ({ g, r: null })),
        ),
      );
      const ok = results.filter((x) => x.r && x.r.rows.some((row) => num(row.value) !== null));
      const missing = results.filter((x) => !ok.includes(x)).map((x) => x.g);
      const shareOf = (r: NonNullable<(typeof ok)[number]['r']>, y: string) => {
        const v = num(r.rows.find((x) => x.period === y && x.measure === 'exports')?.value);
        const tot = total(y);
        return v !== null && tot ? Math.round((v / tot) * 1000) / 10 : null;
      };
      if (!ok.length) {
        groupPanel.missing(`${w('noData', lang)}: ${missing.join(', ')}`);
        return;
      }
      groupPanel.draw(
        shareLinesChart({
          title: '',
          periods: years,
          series: ok.map(({ g, r }) => ({ name: ctx.area(g), values: years.map((y) => shareOf(r!, y)), highlight: g === HIGHLIGHT })),
          lang,
          animation: anim,
        }),
        { headers: ['year', ...ok.map((x) => `${x.g}_share_pct`)], rows: years.map((y) => [y, ...ok.map(({ r }) => shareOf(r!, y))]) },
        `${w('source', lang)}: ${hist.dataset}${missing.length ? ` · ${w('noData', lang)}: ${missing.join(', ')}` : ''}`,
      );
    })().catch((e) => groupPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    (async () => {
      if (!detailPanel || !ctx.state.partner) return;
      const partner = ctx.state.partner;
      const r = await q({ reporter: R, partner, period: `${histStart}..${histEnd}`, flow: 'X', by: 'year', compare: 'yoy', dataset: hist.dataset, currency: currencyParam(ctx, hist.currency) });
      const rows = r.rows.filter((x) => x.measure === 'exports');
      const years = rows.map((x) => String(x.period));
      detailPanel.draw(
        monthlySeriesChart({
          title: `${label('exports', lang)} → ${ctx.area(partner)}`,
          months: years,
          series: [{ name: `${w('exportsTo', lang)} ${ctx.area(partner)}`, values: rows.map((x) => scale(num(x.value), unit)), kind: 'bar' }],
          unitLabel: unit.label,
          lang,
          animation: anim,
        }),
        { headers: ['year', 'partner', 'exports', 'yoy_pct', 'currency'], rows: rows.map((x) => [String(x.period), partner, x.value, x.yoy_pct ?? null, r.provenance.currency]) },
        `${w('source', lang)}: ${hist.dataset} · ${annualNote}`,
      );
    })().catch((e) => detailPanel?.missing(`${w('failed', lang)}: ${(e as Error).message}`)),
  ]);
}
