/**
 * Headline tiles: the latest month, YTD exports / imports / balance with YoY, records and milestones.
 */
import { formatMoney, formatPercent, label, monthLabel, periodText } from '../../../src/i18n/format.js';
import { getJson, num, q } from '../api.js';
import { type Ctx, currencyParam } from '../context.js';
import { w } from '../words.js';

function tile(parent: HTMLElement, id: string, title: string, value: string, delta?: string | null, sub?: string): void {
  const t = document.createElement('article');
  t.className = 'tile';
  t.id = `tile-${id}`;
  const h = document.createElement('h2');
  h.textContent = title;
  const v = document.createElement('div');
  v.className = 'value';
  v.textContent = value;
  t.append(h, v);
  if (delta) {
    const d = document.createElement('div');
    d.className = `delta ${/^-|下降/.test(delta) ? 'down' : 'up'}`;
    d.textContent = delta;
    t.append(d);
  }
  if (sub) {
    const s = document.createElement('div');
    s.className = 'sub';
    s.textContent = sub;
    t.append(s);
  }
  parent.append(t);
}

/** "+7.2% year on year"; in Chinese the release wording, "同比增长7.2%" / "同比下降2.8%". */
function yoyText(pct: unknown, ctx: Ctx): string | null {
  if (pct === null || pct === undefined || pct === '') return null;
  const ratio = Number(pct) / 100;
  if (ctx.lang === 'en') return `${formatPercent(ratio, 'en', { signed: true })} ${w('vsYearEarlier', 'en')}`;
  const word = ratio > 0 ? label('up', 'zh') : ratio < 0 ? label('down', 'zh') : label('unchanged', 'zh');
  return ratio === 0 ? `同比${word}` : `同比${word}${formatPercent(Math.abs(ratio), 'zh')}`;
}

/** The engine's record phrases in Chinese. */
function recordText(s: string, lang: 'en' | 'zh'): string {
  if (lang === 'en') return s;
  const ym = (x: string) => monthLabel(x, 'zh');
  return s
    .replace(/^highest since (\d{4}-\d{2})$/, (_, m: string) => `${ym(m)}以来最高`)
    .replace(/^lowest since (\d{4}-\d{2})$/, (_, m: string) => `${ym(m)}以来最低`)
    .replace(/^no higher than (\d{4}-\d{2})$/, (_, m: string) => `不高于${ym(m)}`)
    .replace(/^no lower than (\d{4}-\d{2})$/, (_, m: string) => `不低于${ym(m)}`)
    .replace(/^(\d+) increases in a row \(since (\d{4}-\d{2})\)$/, (_, n: string, m: string) => `连续${n}个月增长（自${ym(m)}起）`)
    .replace(/^(\d+) decreases in a row \(since (\d{4}-\d{2})\)$/, (_, n: string, m: string) => `连续${n}个月下降（自${ym(m)}起）`)
    .replace(/^highest on record$/, '有记录以来最高')
    .replace(/^lowest on record$/, '有记录以来最低');
}

export async function renderTiles(ctx: Ctx, el: HTMLElement): Promise<void> {
  el.replaceChildren();
  const t = ctx.plan.totals;
  const lang = ctx.lang;
  if (!t) {
    const m = document.createElement('p');
    m.className = 'missing';
    m.textContent = `${w('noData', lang)}: ${ctx.plan.missing.find((x) => x.view === 'totals')?.reason ?? ''}`;
    el.append(m);
    return;
  }
  const base = { reporter: ctx.plan.reporter, dataset: t.dataset, currency: currencyParam(ctx, t.currency) };
  // monthly data: the latest month and the year to date; annual data: the latest year
  const ytdPeriod = t.monthly ? `ytd:${t.last}` : t.last.slice(0, 4);
  const [ytd, month, records] = await Promise.all([
    q({ ...base, period: ytdPeriod, compare: 'yoy', measure: 'value,balance' }),
    t.monthly ? q({ ...base, period: t.last, compare: 'yoy', measure: 'value,balance' }) : Promise.resolve(null),
    t.monthly
      ? q({ reporter: ctx.plan.reporter, dataset: t.dataset, period: `${t.first}..${t.last}`, by: 'month', measure: 'value,records', flow: 'X' }).catch(() => null)
      : Promise.resolve(null),
  ]);
  const cur = ytd.provenance.currency || ctx.state.currency;
  const row = (r: typeof ytd, m: string) => r.rows.find((x) => x.measure === m);
  const money = (v: unknown) => (v === null || v === undefined ? '—' : formatMoney(String(v), cur, lang));
  if (month) {
    const mx = row(month, 'exports');
    tile(
      el,
      'latest',
      `${w('latestMonth', lang)}: ${monthLabel(t.last, lang)}`,
      `${label('exports', lang)} ${money(mx?.value)}`,
      yoyText(mx?.yoy_pct, ctx),
      `${label('imports', lang)} ${money(row(month, 'imports')?.value)} · ${label('balance', lang)} ${money(row(month, 'balance')?.value)}`,
    );
  }
  const when = periodText(ytdPeriod, lang);
  const titles = t.monthly
    ? [w('ytdExports', lang), w('ytdImports', lang), w('ytdBalance', lang)]
    : [label('exports', lang), label('imports', lang), label('balance', lang)].map((x) => `${x} · ${when}`);
  for (const [id, measure, title] of [
    ['ytd-exports', 'exports', titles[0]!],
    ['ytd-imports', 'imports', titles[1]!],
    ['ytd-balance', 'balance', titles[2]!],
  ] as const) {
    const r = row(ytd, measure);
    // Chinese releases name a negative balance a deficit (贸易逆差) and give its size
    if (measure === 'balance' && lang === 'zh' && String(r?.value ?? '').startsWith('-')) {
      tile(el, id, title.replace('贸易顺差', '贸易逆差'), money(String(r!.value).slice(1)), null, when);
      continue;
    }
    tile(el, id, title, money(r?.value), yoyText(r?.yoy_pct, ctx), when);
  }
  if (t.monthly) await projectionTile(ctx, el, t.dataset, t.last, base.currency).catch(() => undefined);
  const rec = records?.rows.filter((r) => String(r.measure).startsWith('records')).at(-1);
  if (rec) {
    const facts = ['highest', 'lowest', 'run']
      .map((k) => rec[k])
      .filter((x): x is string => typeof x === 'string' && x !== '')
      .map((x) => recordText(x, lang));
    const recCur = records?.provenance.currency || t.currency;
    tile(
      el,
      'records',
      `${w('records', lang)} · ${label('exports', lang)} ${monthLabel(String(rec.period), lang)}`,
      facts[0] ?? '—',
      null,
      [facts.slice(1).join(' · '), num(rec.value) !== null ? formatMoney(String(rec.value), recCur, lang) : '']
        .filter(Boolean)
        .join(' · '),
    );
  }
}

interface Projection {
  year: number;
  currency: string;
  through: string;
  actual: string;
  distribution: { median: number; intervals: { level: number; lower: number; upper: number }[] };
  probabilityAbove?: { threshold: number; p: number };
}

/** Where the year is heading: the full-year projection of exports and of the balance, with 80 % intervals. */
async function projectionTile(ctx: Ctx, el: HTMLElement, dataset: string, last: string, currency: string | undefined): Promise<void> {
  const lang = ctx.lang;
  const year = Number(last.slice(0, 4));
  if (last.endsWith('-12')) return;
  const url = (extra: string) =>
    `/api/projection?reporter=${encodeURIComponent(ctx.plan.reporter)}&year=${year}&dataset=${encodeURIComponent(dataset)}${currency ? `&currency=${currency}` : ''}&${extra}`;
  const prior = await q({ reporter: ctx.plan.reporter, dataset, period: String(year - 1), flow: 'X', currency })
    .then((r) => num(r.rows.find((x) => x.measure === 'exports')?.value))
    .catch(() => null);
  const [ex, bal] = await Promise.all([
    getJson<Projection>(url(`flow=X${prior !== null ? `&above=${Math.round(prior)}` : ''}`)),
    getJson<Projection>(url('measure=balance')).catch(() => null),
  ]);
  const money = (v: number, cur: string) => formatMoney(Math.round(v), cur, lang);
  const i80 = ex.distribution.intervals.find((i) => i.level === 80);
  const b80 = bal?.distribution.intervals.find((i) => i.level === 80);
  tile(
    el,
    'projection',
    `${w('projection', lang, { year })}`,
    `${label('exports', lang)} ${money(ex.distribution.median, ex.currency)}`,
    null,
    [
      i80 ? `${w('interval80', lang)}: ${money(i80.lower, ex.currency)} – ${money(i80.upper, ex.currency)}` : '',
      bal && b80 ? `${label('balance', lang)} ${money(bal.distribution.median, bal.currency)} (${money(b80.lower, bal.currency)} – ${money(b80.upper, bal.currency)})` : '',
      ex.probabilityAbove && prior !== null
        ? w('chanceAbove', lang, { p: formatPercent(ex.probabilityAbove.p, lang, { digits: 0 }), year, prev: year - 1, value: money(prior, ex.currency) })
        : '',
      w('throughMonth', lang, { month: monthLabel(ex.through, lang) }),
    ]
      .filter(Boolean)
      .join(' · '),
  );
}
