/**
 * The tradescope dashboard: reads what the store can show (/api/views), then draws each view from
 * /api/query. State (language, currency, drill-downs) lives in the URL.
 */
import './style.css';
import { getJson } from './api.js';
import type { Ctx, ViewsPlan } from './context.js';
import { disposeCharts, sectionTitle } from './panel.js';
import { readState, type ViewState, writeState } from './state.js';
import { renderTiles } from './views/headline.js';
import { renderMonthly } from './views/monthly.js';
import { renderMore } from './views/more.js';
import { renderPartners } from './views/partners.js';
import { renderProducts } from './views/products.js';
import { type DatasetVintages, loadedReleases, renderReleases } from './views/releases.js';
import { w } from './words.js';

interface Country {
  code: string;
  name_en: string;
  name_zh: string | null;
}
interface RegionInfo {
  code: string;
  nameEn: string;
  nameZh: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let state: ViewState = readState();
let generation = 0;

async function render(): Promise<void> {
  const gen = ++generation;
  const lang = state.lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.body.dataset.ready = 'false';
  $('title').textContent = w('title', lang);
  document.title = w('title', lang);
  $('label-reporter').textContent = w('reporter', lang);
  $('label-currency').textContent = w('currency', lang);
  $('label-lang').textContent = w('language', lang);
  $('foot-text').textContent = w('footer', lang);
  $('status').textContent = w('loading', lang);
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-currency]'))
    b.setAttribute('aria-pressed', String(b.dataset.currency === state.currency));
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));

  const [plan, countries, regions, datasets] = await Promise.all([
    getJson<ViewsPlan>(`/api/views?reporter=${encodeURIComponent(state.reporter)}`),
    getJson<Country[]>('/api/countries'),
    getJson<RegionInfo[]>('/api/regions'),
    getJson<{ datasets: ({ reporters: string[] } & DatasetVintages)[] }>('/api/datasets'),
  ]);
  if (gen !== generation) return;
  // the written brief of the latest period the totals have, in the dashboard's language
  const brief = $('brief-link') as HTMLAnchorElement;
  brief.textContent = w('brief', lang);
  const t = plan.totals;
  const briefPeriod = t ? (t.last.length === 7 ? `ytd:${t.last}` : t.last.slice(0, 4)) : undefined;
  brief.hidden = !briefPeriod;
  if (briefPeriod)
    brief.href = `/api/brief?reporter=${encodeURIComponent(plan.reporter)}&period=${encodeURIComponent(briefPeriod)}&lang=${lang}&format=html`;
  const names = new Map(countries.map((c) => [c.code, c]));
  const regionNames = new Map(regions.map((r) => [r.code, r]));
  fillReporters(countries, plan, [...new Set(datasets.datasets.flatMap((d) => d.reporters))]);
  const ctx: Ctx = {
    state,
    plan,
    lang,
    area: (code) => {
      const c = names.get(code);
      return c ? (lang === 'zh' ? (c.name_zh ?? c.name_en) : c.name_en) : code;
    },
    region: (code) => {
      const r = regionNames.get(code);
      return r ? (lang === 'zh' ? r.nameZh : r.nameEn) : code;
    },
    update,
  };
  disposeCharts();
  const tiles = $('tiles');
  const views = $('views');
  views.replaceChildren();
  const block = (title: string, id: string) => {
    sectionTitle(views, title, id);
    const frag = document.createElement('div');
    frag.style.display = 'contents';
    views.append(frag);
    return frag;
  };
  const s1 = block(w('sectionSeries', lang), 'section-series');
  const s2 = block(w('sectionPartners', lang), 'section-partners');
  const s3 = block(w('sectionProducts', lang), 'section-products');
  const s4 = block(w('sectionMore', lang), 'section-more');
  // GAC's own release pages, when loaded: each with the brief of its period
  renderReleases(ctx, views, loadedReleases(datasets.datasets));
  await Promise.all([
    renderTiles(ctx, tiles).catch((e) => {
      tiles.textContent = `${w('failed', lang)}: ${(e as Error).message}`;
    }),
    renderMonthly(ctx, s1),
    renderPartners(ctx, s2),
    renderProducts(ctx, s3),
    renderMore(ctx, s4),
  ]);
  if (gen !== generation) return;
  $('status').textContent = w('ready', lang);
  document.body.dataset.ready = 'true';
}

/** The reporters the store holds (the current one first if it has no data). */
function fillReporters(countries: Country[], plan: ViewsPlan, reporters: string[]): void {
  const sel = $<HTMLSelectElement>('reporter');
  const codes = [...new Set([plan.reporter, ...reporters])].sort();
  sel.replaceChildren(
    ...codes.map((code) => {
      const o = document.createElement('option');
      const c = countries.find((x) => x.code === code);
      o.value = code;
      o.textContent = c ? (state.lang === 'zh' ? (c.name_zh ?? c.name_en) : c.name_en) : code;
      return o;
    }),
  );
  sel.value = plan.reporter;
}

function update(patch: Partial<ViewState>, redraw = true): void {
  state = { ...state, ...patch };
  writeState(state);
  if (redraw) void run();
}

function run(): Promise<void> {
  return render().catch((e) => {
    $('status').textContent = `${w('failed', state.lang)}: ${(e as Error).message}`;
    document.body.dataset.ready = 'error';
  });
}

for (const b of document.querySelectorAll<HTMLButtonElement>('[data-currency]'))
  b.addEventListener('click', () => update({ currency: b.dataset.currency === 'USD' ? 'USD' : 'CNY' }));
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]'))
  b.addEventListener('click', () => update({ lang: b.dataset.lang === 'zh' ? 'zh' : 'en' }));
$<HTMLSelectElement>('reporter').addEventListener('change', (e) => update({ reporter: (e.target as HTMLSelectElement).value, partner: null, region: null, hs: null }));

void run();
