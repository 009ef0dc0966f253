/**
 * Products: the HS treemap (section → chapter → heading), New Three against labour-intensive products over
 * time with each part's YoY, and monthly partner × product detail where a source has it.
 */
import { monthlySeriesChart, multiLineChart, treemapChart, type TreeNode } from '../../../src/charts/options.js';
import { getJson, num, q, type QueryResult } from '../api.js';
import { type Ctx, currencyParam, lastFullYear, yearOf } from '../context.js';
import { panel } from '../panel.js';
import { scale, unitFor, unitForMax } from '../units.js';
import { w } from '../words.js';

interface Chapter {
  code: string;
  description: string | null;
  section: string | null;
  sectionDescription: string | null;
}

const EDITION: Record<string, string> = { H0: 'HS1992', H1: 'HS1996', H2: 'HS2002', H3: 'HS2007', H4: 'HS2012', H5: 'HS2017', H6: 'HS2022' };

export async function renderProducts(ctx: Ctx, parent: HTMLElement): Promise<void> {
  const lang = ctx.lang;
  const unit = unitFor(ctx.state.currency, lang);
  const anim = ctx.state.animation;
  const treePanel = panel(parent, 'hs-tree', w('hsTree', lang), { wide: true, tall: true });
  const basketPanel = panel(parent, 'baskets', w('baskets', lang));
  const partsPanel = panel(parent, 'basket-yoy', w('basketYoy', lang));
  const ppPanel = panel(parent, 'partner-products', w('partnerProducts', lang), { wide: true });
  const p = ctx.plan.products;

  await Promise.all([
    (async () => {
      if (!p) {
        treePanel.missing(`${w('noData', lang)}: ${ctx.plan.missing.find((m) => m.view === 'products')?.reason ?? ''}`);
        return;
      }
      const year = lastFullYear(p.last);
      const datasets = await getJson<{ datasets: { dataset: string; classifications: string[] }[] }>('/api/datasets');
      const cls = datasets.datasets.find((d) => d.dataset === p.dataset)?.classifications.find((c) => c in EDITION) ?? 'H6';
      const [r, chapters] = await Promise.all([
        q({ reporter: p.reporter, period: String(year), flow: 'X', by: 'hs4', top: 5000, dataset: p.dataset, currency: currencyParam(ctx, p.currency) }),
        getJson<Chapter[]>(`/api/dimensions/product/members?edition=${EDITION[cls]}`),
      ]);
      const byChapter = new Map(chapters.map((c) => [c.code, c]));
      const sections = new Map<string, TreeNode & { children: TreeNode[] }>();
      const chapterNodes = new Map<string, TreeNode & { children: TreeNode[] }>();
      const rows = r.rows.filter((x) => x.measure === 'exports' && /^\d{4}$/.test(String(x.product)) && num(x.value));
      for (const x of rows) {
        const heading = String(x.product);
        const ch = heading.slice(0, 2);
        const info = byChapter.get(ch);
        const sec = info?.section ?? '?';
        let s = sections.get(sec);
        if (!s) {
          s = { name: `${sec}${info?.sectionDescription ? ` ${short(info.sectionDescription)}` : ''}`, value: 0, id: `s-${sec}`, children: [] };
          sections.set(sec, s);
        }
        let c = chapterNodes.get(ch);
        if (!c) {
          c = { name: `${ch}${info?.description ? ` ${short(info.description)}` : ''}`, value: 0, id: `c-${ch}`, children: [] };
          chapterNodes.set(ch, c);
          s.children.push(c);
        }
        const v = scale(num(x.value), unit) ?? 0;
        c.children.push({ name: `${heading.slice(0, 2)}.${heading.slice(2)}`, value: v, id: `h-${heading}` });
        c.value += v;
        s.value += v;
      }
      const note =
        p.productReporterIsOther
          ? w('productsOther', lang, { reporter: ctx.area(p.reporter), dataset: p.dataset, year })
          : `${w('source', lang)}: ${p.dataset} ${year}`;
      const chart = treePanel.draw(
        treemapChart({ title: `${ctx.area(p.reporter)} ${year}`, tree: [...sections.values()].sort((a, b) => b.value - a.value), unitLabel: unit.label, lang, animation: anim }),
        { headers: ['year', 'reporter', 'hs4', 'exports', 'currency'], rows: rows.map((x) => [year, p.reporter, String(x.product), x.value, r.provenance.currency]) },
        note,
      );
      chart.on('click', (e) => {
        const id = (e as { data?: { id?: string } }).data?.id ?? '';
        const code = id.replace(/^[sch]-/, '');
        if (code && code !== 'rest') ctx.update({ hs: code }, false);
      });
      if (ctx.state.hs) {
        const prefix = /^\d+$/.test(ctx.state.hs) ? (ctx.state.hs.length >= 4 ? 'h' : 'c') : 's';
        chart.dispatchAction({ type: 'treemapZoomToNode', targetNodeId: `${prefix}-${ctx.state.hs}` });
      }
    })().catch((e) => treePanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),

    renderBaskets(ctx, basketPanel, partsPanel),

    ...(ctx.plan.partnerProducts.length ? ctx.plan.partnerProducts.slice(0, 2) : [null]).map((d, i) =>
      (async () => {
        const pp = i === 0 ? ppPanel : panel(parent, 'partner-products-2', w('partnerProducts', lang), { wide: true });
        if (!d) {
          pp.missing(`${w('noData', lang)}: no partner × product detail for ${ctx.area(ctx.plan.reporter)}`);
          return;
        }
        const end = d.last;
        const startYear = yearOf(end) - 2;
        const r = await q({
          reporter: ctx.plan.reporter,
          period: `${startYear}-${end.slice(5, 7)}..${end}`,
          flow: 'X',
          by: 'month,partner',
          top: 1000,
          dataset: d.dataset,
          currency: currencyParam(ctx, d.currency),
        });
        const months = [...new Set(r.rows.map((x) => String(x.period)))].sort();
        // the six largest destinations over the whole window (a monthly top-N would leave gaps in the lines)
        const totals = new Map<string, number>();
        for (const x of r.rows)
          if (x.measure === 'exports' && x.partner !== '(rest)') totals.set(String(x.partner), (totals.get(String(x.partner)) ?? 0) + (num(x.value) ?? 0));
        const partners = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([p]) => p);
        const v = (pt: string, m: string) =>
          num(r.rows.find((x) => x.partner === pt && x.period === m && x.measure === 'exports')?.value);
        const max = Math.max(0, ...partners.flatMap((pt) => months.map((m) => Math.abs(v(pt, m) ?? 0))));
        const u = unitForMax(ctx.state.currency, lang, max);
        pp.draw(
          monthlySeriesChart({
            title: d.name ?? d.dataset,
            months,
            series: partners.map((pt) => ({ name: ctx.area(pt), values: months.map((m) => scale(v(pt, m), u)) })),
            unitLabel: u.label,
            lang,
            animation: anim,
          }),
          { headers: ['month', ...partners], rows: months.map((m) => [m, ...partners.map((pt) => v(pt, m))]) },
          `${w('source', lang)}: ${d.dataset}`,
        );
      })().catch((e) => ppPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`)),
    ),
  ]);
}

function short(text: string): string {
  const s = text.replace(/;.*$/, '').trim();
  return s.length > 40 ? `${s.slice(0, 38)}…` : s;
}

interface BasketInfo {
  id: string;
  name: { en: string; zh: string };
  parts: { id: string; name: { en: string; zh: string } }[];
}

async function renderBaskets(ctx: Ctx, basketPanel: ReturnType<typeof panel>, partsPanel: ReturnType<typeof panel>): Promise<void> {
  const lang = ctx.lang;
  const unit = unitFor(ctx.state.currency, lang);
  try {
    const list = await getJson<BasketInfo[]>('/api/baskets');
    const newThree = list.find((b) => b.id === 'new-three');
    const labour = list.find((b) => b.id === 'labour-intensive');
    const d = ctx.plan.partnerProducts[0];
    const end = d ? lastFullYear(d.last) : lastFullYear(ctx.plan.totals?.last ?? '2024-12');
    const start = Math.max(d ? yearOf(d.first) : end - 7, end - 7);
    const period = `${start}..${end}`;
    const run = (product: string) =>
      q({ reporter: ctx.plan.reporter, product, period, flow: 'X', by: 'year', compare: 'yoy', currency: ctx.state.currency }).then(
        (r) => (r.rows.some((x) => x.measure === 'exports' && num(x.value) !== null) ? r : null),
        () => null,
      );
    const [nt, li, parts] = await Promise.all([
      run('new-three'),
      labour ? run('labour-intensive') : Promise.resolve(null),
      Promise.all((newThree?.parts ?? []).map(async (part) => ({ part, r: await run(`new-three/${part.id}`) }))),
    ]);
    const partsWith = parts.filter((x) => x.r).map((x) => x.part.name[lang]);
    const ntName =
      newThree && partsWith.length && partsWith.length < parts.length
        ? `${newThree.name[lang].replace(/\s*[(（].*[)）]$/, '')}: ${w('partsOnly', lang, { parts: partsWith.join(', ') })}`
        : newThree?.name[lang];
    const years = Array.from({ length: end - start + 1 }, (_, i) => String(start + i));
    const val = (r: QueryResult | null, y: string) => (r ? num(r.rows.find((x) => x.period === y && x.measure === 'exports')?.value) : null);
    const series = [
      ...(nt && ntName ? [{ name: ntName, r: nt }] : []),
      ...(li && labour ? [{ name: labour.name[lang], r: li }] : []),
    ];
    const missingNotes = [...(li ? [] : [w('noLabour', lang)])];
    if (!series.length) basketPanel.missing(`${w('noData', lang)}: ${[newThree?.name[lang], labour?.name[lang]].filter(Boolean).join(', ')}`, missingNotes.join(' '));
    else
      basketPanel.draw(
        multiLineChart({ title: '', periods: years, series: series.map((s) => ({ name: s.name, values: years.map((y) => scale(val(s.r, y), unit)) })), unitLabel: unit.label, lang, animation: ctx.state.animation }),
        { headers: ['year', ...series.map((s) => s.name)], rows: years.map((y) => [y, ...series.map((s) => val(s.r, y))]) },
        [`${w('source', lang)}: ${[...new Set(series.map((s) => s.r.provenance.dataset))].join(', ')}`, ...missingNotes].join(' · '),
      );

    if (!newThree) {
      partsPanel.missing(w('noData', lang));
      return;
    }
    const withData = parts.filter((x) => x.r);
    const without = parts.filter((x) => !x.r).map((x) => x.part.name[lang]);
    const yoy = (r: QueryResult, y: string) => num(r.rows.find((x) => x.period === y && x.measure === 'exports')?.yoy_pct);
    const note = without.length ? w('partsMissing', lang, { parts: without.join(', ') }) : '';
    if (!withData.length) {
      partsPanel.missing(`${w('noData', lang)}: ${without.join(', ')}`);
      return;
    }
    partsPanel.draw(
      multiLineChart({ title: '', periods: years.slice(1), series: withData.map((x) => ({ name: x.part.name[lang], values: years.slice(1).map((y) => yoy(x.r!, y)) })), unitLabel: '%', lang, animation: ctx.state.animation }),
      { headers: ['year', ...withData.map((x) => `${x.part.id}_yoy_pct`)], rows: years.slice(1).map((y) => [y, ...withData.map((x) => yoy(x.r!, y))]) },
      note,
    );
  } catch (e) {
    basketPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`);
    partsPanel.missing(`${w('failed', lang)}: ${(e as Error).message}`);
  }
}
