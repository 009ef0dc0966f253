/**
 * Runs a {@link QueryPlan}: one aggregate request to the store (the windows of the plan; values bound by the
 * store's dialect), then every measure computed over those small aggregated series in exact decimals — levels,
 * YoY and the year to date with how each value was found and what the source published beside it, shares,
 * contributions, remainders, concentration, and the measures of their own modules (`measures/`).
 *
 * A window's value follows the rules of `windows.ts`: a published cumulative figure for exactly the window, else
 * a value published for exactly the window, else the sum of its months when every month is there (or of its
 * whole years). Monthly YoY uses the month as first published by default (`base: first-published`);
 * `base: revised` derives each month from the cumulative figures (YTD(m) − YTD(m−1)).
 */
import { concentration } from '../analytics/concentration.js';
import { contributions } from '../analytics/contribution.js';
import { type Fixed, fixedText, mulDivRound, percentOf, ratioToPercent, toFixed } from '../model/decimal.js';
import { formatMonth, monthCount, monthPeriod, monthsOf, type Period } from '../model/period.js';
import { regionByCode } from '../model/regions.js';
import type { AggregateRow, TradeStore } from '../store/store.js';
import type { Problem } from '../util/errors.js';
import { type ConversionContext, converterFor } from './currency.js';
import { forecastRows } from './measures/forecast.js';
import { mirrorRows } from './measures/mirror.js';
import { rcaRows } from './measures/rca.js';
import { recordRows } from './measures/records.js';
import { revisionRows } from './measures/revision.js';
import { unitValueRows } from './measures/unit-value.js';
import type { QueryPlan } from './plan.js';
import type { Basis, Cell, QueryResult, Window } from './result.js';
import {
  basisOfRow,
  fixedOrNull,
  flowName,
  growth,
  isAggregatePartner,
  PRODUCT_DIGITS,
  pick,
  sumOf,
} from './windows.js';

/** One line of a drilldown in one window and flow: its value there, and in any other window. */
interface Line {
  key: string;
  cur: Fixed | null;
  prev: Fixed | null;
  at: (windowId: string) => Fixed | null;
  /** A member of the drilldown (not a remainder). */
  member: boolean;
}

/** Evaluates a plan against the store it was planned on. */
export async function evaluate(plan: QueryPlan, store: TradeStore): Promise<QueryResult> {
  const notes: Problem[] = [...plan.notes];
  const { spec, period } = plan;
  const r = plan.resolved;
  if (plan.kind === 'mirror') {
    const rows = await mirrorRows(store, spec, r.reporter, r.partner.label, period, notes);
    return {
      spec,
      provenance: {
        dataset: String(rows[0]?.reporter_dataset ?? ''),
        datasetNote: null,
        currency: String(rows[0]?.currency ?? ''),
        sourceCurrency: String(rows[0]?.currency ?? ''),
        base: spec.base,
        windows: [],
        aggregateRows: 0,
      },
      columns: Object.keys(rows[0] ?? {}),
      rows,
      notes,
    };
  }
  if (plan.kind === 'forecast') return forecastRows(store, spec, period);
  const { windows, mains, compareOf, ytdOf, revisedOf, yearParts, groupBy, dataset, datasetNote, productCoverage } =
    plan;
  const filter = plan.request.filter;
  const { byPartner, productDim, flows, region } = r;
  const reporter = { code: r.reporter };
  const productSel = r.product;
  const partnerSel = r.partner;
  const summary = plan.facts!;
  const seasonallyAdjusted = plan.seasonallyAdjusted;
  // which months the selection has data for at all: in sparse data (partner × product) a missing month of one
  // member is no trade, not a month missing from the dataset (read in the same pass where the store can)
  const aggAll = await store.aggregate(plan.request);
  const agg = aggAll.filter((a) => !a.coverage);
  const coverageRows =
    groupBy.length === 1
      ? agg
      : aggAll.some((a) => a.coverage)
        ? aggAll.filter((a) => a.coverage)
        : await store.aggregate({ filter, groupBy: ['flow'], windows: plan.request.windows });
  const covered = new Map(coverageRows.map((a) => [`${a.window}|${a.key.flow}`, a.monthsFound]));
  const sourceCurrency = agg[0]?.currency ?? '';
  let fx: ConversionContext | undefined;
  if (plan.fx && sourceCurrency && plan.fx.to !== sourceCurrency) {
    fx = await converterFor(store, sourceCurrency, plan.fx.to, plan.fx.series);
  }
  const currency = fx ? fx.converter.target : sourceCurrency;
  if (new Set(agg.map((a) => a.currency)).size > 1) {
    notes.push({
      code: 'several-currencies',
      severity: 'warning',
      message: 'the selection mixes currencies; values are not added across them',
    });
  }
  // the whole, for shares and remainders: the World / group total when a drilldown lists members
  const memberKey = (a: AggregateRow) =>
    groupBy
      .filter((d) => d !== 'flow')
      .map((d) => a.key[d] ?? '')
      .join('|');
  // regions: one level (the provinces, or the cities of --region), the parent as the whole
  const byRegion = spec.by.includes('region');
  const regionLevel = (code: string | undefined) => {
    if (code === undefined) return true;
    const r = regionByCode(code);
    return region ? r?.parent === region : r?.level === 'province';
  };
  let rowsIn = agg.filter(
    (a) =>
      !(byPartner && isAggregatePartner(a.key.partner)) &&
      !(productDim && a.key.product === 'TOTAL') &&
      !(byRegion && !regionLevel(a.key.region)),
  );
  const wholeRows =
    byPartner && !spec.partner
      ? agg.filter((a) => a.key.partner === 'WLD')
      : productDim && productSel.total
        ? agg.filter((a) => a.key.product === 'TOTAL')
        : byRegion
          ? agg.filter((a) => a.key.region === region)
          : [];
  if (byRegion) {
    notes.push({
      code: 'region-level',
      severity: 'info',
      message: `regions: ${region ? `the cities of ${regionByCode(region)?.nameZh ?? region}` : 'the provinces and municipalities'} in the data, with the rest of ${region ? (regionByCode(region)?.nameZh ?? region) : reporter.code} as its own row`,
    });
  }
  if (byPartner && !spec.partner && !wholeRows.length) {
    notes.push({
      code: 'no-world-total',
      severity: 'info',
      message: 'no World row in the data: shares are of the sum of the partners listed',
    });
  }
  if (rowsIn.length === 0 && agg.length) rowsIn = agg;

  // the aggregate rows by window, flow and member (and by window and flow), built once per row set
  const indexes = new WeakMap<AggregateRow[], Map<string, AggregateRow[]>>();
  const indexed = (rows: AggregateRow[], windowId: string, flow: string, key: string | null): AggregateRow[] => {
    let index = indexes.get(rows);
    if (!index) {
      index = new Map();
      for (const a of rows) {
        for (const k of [`${a.window}\u0000${a.key.flow}\u0000${memberKey(a)}`, `${a.window}\u0000${a.key.flow}`]) {
          const list = index.get(k);
          if (list) list.push(a);
          else index.set(k, [a]);
        }
      }
      indexes.set(rows, index);
    }
    return index.get(key === null ? `${windowId}\u0000${flow}` : `${windowId}\u0000${flow}\u0000${key}`) ?? [];
  };
  const rawValue = (
    rows: AggregateRow[],
    windowId: string,
    period: Period,
    flow: string,
    key: string | null,
  ): Fixed | null => {
    const sel = indexed(rows, windowId, flow, key);
    const base = windowId.split('~')[0]!;
    const months =
      covered.get(`${windowId.includes('~') ? windowId : base}|${flow}`) ?? (windowId.includes('~') ? 0 : 0);
    // a member without cells in a window the selection covers traded nothing in it
    if (!sel.length) return months >= monthCount(period.start, period.end) && key !== null ? 0n : null;
    let total = 0n;
    for (const a of sel) {
      const v = pick(a, period, months);
      if (v === null) return null;
      total += v;
    }
    return total;
  };
  const value = (rows: AggregateRow[], windowId: string, flow: string, key: string | null): Fixed | null => {
    const w = windows.find((x) => x.id === windowId)!;
    const v0 = rawValue(rows, windowId, w.period, flow, key);
    if (v0 === null && yearParts.has(windowId))
      return sumOf(yearParts.get(windowId)!.map((y) => value(rows, y, flow, key)));
    if (v0 === null || !fx) return v0;
    // month by month; a cumulative figure in proportion to its converted months; else the window's average rate
    let sumRaw = 0n;
    let sumFx = 0n;
    for (const m of monthsOf(w.period)) {
      const vm = rawValue(rows, `${windowId}~${m}`, monthPeriod(m), flow, key);
      if (vm === null) return fx.converter.window(v0, w.period.start, w.period.end);
      sumRaw += vm;
      sumFx += fx.converter.month(vm, m);
    }
    return sumRaw === v0 || sumRaw === 0n ? sumFx : mulDivRound(sumFx, v0, sumRaw);
  };
  const revisedMonth = (windowId: string, flow: string, key: string | null, rows: AggregateRow[]): Fixed | null => {
    const r = revisedOf.get(windowId);
    if (!r) return value(rows, windowId, flow, key);
    const cur = value(rows, r[0], flow, key);
    if (cur === null) return null;
    if (r[1] === null) return cur;
    const prev = value(rows, r[1], flow, key);
    return prev === null ? null : cur - prev;
  };
  const v = (rows: AggregateRow[], wid: string, flow: string, key: string | null) =>
    spec.base === 'revised' ? revisedMonth(wid, flow, key, rows) : value(rows, wid, flow, key);

  const members = [...new Set(rowsIn.map(memberKey))].sort();
  const dimNames = groupBy.filter((d) => d !== 'flow');
  const levelMeasures = spec.measures.filter((m) => m === 'value' || m === 'balance' || m === 'total');
  const wantShare = spec.measures.includes('share');
  const wantContribution = spec.measures.includes('contribution');
  const flowsOut: string[] = [];
  const wantHhi = spec.measures.includes('hhi');
  const wantYtd = spec.measures.includes('ytd');
  const emitLevels =
    levelMeasures.length > 0 || wantShare || wantContribution || wantYtd || spec.measures.includes('records');
  if (
    levelMeasures.includes('value') ||
    wantShare ||
    wantContribution ||
    wantHhi ||
    spec.measures.includes('records') ||
    (wantYtd && !levelMeasures.length)
  )
    flowsOut.push(...flows);
  if (levelMeasures.includes('balance')) flowsOut.push('balance');
  if (levelMeasures.includes('total')) flowsOut.push('total');

  const flowValue = (rows: AggregateRow[], wid: string, f: string, key: string | null): Fixed | null => {
    if (f === 'balance' || f === 'total') {
      const x = v(rows, wid, 'X', key);
      const m = v(rows, wid, 'M', key);
      if (x === null || m === null) return null;
      return f === 'balance' ? x - m : x + m;
    }
    return v(rows, wid, f, key);
  };

  const wholeAt = (wid: string, f: string): Fixed | null =>
    wholeRows.length ? flowValue(wholeRows, wid, f, null) : sumOf(members.map((k) => flowValue(rowsIn, wid, f, k)));
  // how a member's value was found (the YTD rules), and what the source published beside it
  const basisAt = (wid: string, f: string, key: string | null): Basis => {
    if (f === 'balance' || f === 'total') return 'derived';
    if (spec.base === 'revised' && revisedOf.has(wid)) return 'revised';
    const w = windows.find((x) => x.id === wid)!;
    const sel = indexed(rowsIn, wid, f, key);
    const months = covered.get(`${wid}|${f}`) ?? 0;
    const need = monthCount(w.period.start, w.period.end);
    const kinds = new Set(sel.map((a) => basisOfRow(a, w.period, months)));
    if ((!sel.length || kinds.has('missing')) && yearParts.has(wid)) {
      const parts = yearParts.get(wid)!.map((y) => basisAt(y, f, key));
      if (parts.every((b) => b !== 'missing')) return 'sum of years';
    }
    if (!sel.length) return months >= need && key !== null ? 'no trade' : 'missing';
    return kinds.size === 1 ? [...kinds][0]! : 'mixed';
  };
  const monthsSumAt = (wid: string, f: string, key: string | null): Fixed | null => {
    const w = windows.find((x) => x.id === wid)!;
    const need = monthCount(w.period.start, w.period.end);
    if (fx) {
      let sum = 0n;
      for (const m of monthsOf(w.period)) {
        const vm = rawValue(rowsIn, `${wid}~${m}`, monthPeriod(m), f, key);
        if (vm === null) return null;
        sum += fx.converter.month(vm, m);
      }
      return sum;
    }
    let sum = 0n;
    const sel = indexed(rowsIn, wid, f, key);
    for (const a of sel) {
      if (a.months === null || a.monthsFound < need) return null;
      sum += toFixed(a.months);
    }
    return sel.length ? sum : null;
  };
  const missingNote = (wid: string, f: string): string => {
    const w = windows.find((x) => x.id === wid)!;
    const flowsRead = f === 'balance' || f === 'total' ? ['X', 'M'] : [f];
    const found = Math.min(...flowsRead.map((x) => covered.get(`${wid}|${x}`) ?? 0));
    const need = monthCount(w.period.start, w.period.end);
    return found ? `only ${found} of ${need} months of ${w.period.label} are loaded` : `no data for ${w.period.label}`;
  };
  // growth rates the source published for exactly a window (whole selection, or by region), in its own currency
  const publishedRates =
    // only for one product (or all) and one partner: a rate of one line is not the growth of a sum of lines
    spec.compare === 'yoy' &&
    !fx &&
    dimNames.every((d) => d === 'region') &&
    filter.products?.length === 1 &&
    !filter.productPrefixes &&
    (filter.partners?.length ?? 0) <= 1 &&
    !filter.partnerIntervals &&
    !filter.excludePartners
      ? await store.rates({ ...filter, overlapping: { start: period.start, end: period.end } })
      : [];
  const publishedYoy = (w: Window, f: string, key: string | null, basis: Basis): string | null => {
    const same = publishedRates.filter(
      (r) =>
        r.flow === f &&
        r.periodStart === w.period.start &&
        r.periodEnd === w.period.end &&
        (key === null || r.region === key),
    );
    const wantCumulative = basis === 'published cumulative' || w.period.kind === 'ytd';
    const rate = same.find((r) => r.cumulative === wantCumulative) ?? same[0];
    return rate ? ratioToPercent(rate.rate, 2) : null;
  };
  const out: Record<string, Cell>[] = [];
  const hhiRows: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const cid = compareOf.get(w.id);
    for (const f of flowsOut) {
      const wholeCur = wholeAt(w.id, f);
      const wholePrev = cid ? wholeAt(cid, f) : null;
      // each line knows its value in any window: a member's own, the whole minus the listed members, or the
      // unlisted members summed (so the year to date of a line is read the same way as its value)
      const lines: Line[] = [];
      for (const k of members.length && dimNames.length ? members : ['']) {
        const key = dimNames.length ? k : null;
        const at = (wid: string) => flowValue(rowsIn, wid, f, key);
        lines.push({ key: k, cur: at(w.id), prev: cid ? at(cid) : null, at, member: true });
      }
      // remainder: the whole minus the listed members, when a drilldown lists members
      if (dimNames.length && wholeCur !== null) {
        const listed = sumOf(lines.map((l) => l.cur));
        if (listed !== null && listed !== wholeCur) {
          const parts = [...lines];
          const at = (wid: string) => {
            const whole = wholeAt(wid, f);
            const sum = sumOf(parts.map((l) => l.at(wid)));
            return whole === null || sum === null ? null : whole - sum;
          };
          lines.push({ key: '(rest)', cur: wholeCur - listed, prev: cid ? at(cid) : null, at, member: false });
        }
      }
      lines.sort((a, b) => (a.key === '(rest)' ? 1 : b.key === '(rest)' ? -1 : Number((b.cur ?? 0n) - (a.cur ?? 0n))));
      let shown = lines;
      if (spec.top && lines.length > spec.top + 1) {
        const head = lines.filter((l) => l.key !== '(rest)').slice(0, spec.top);
        const tail = lines.filter((l) => !head.includes(l));
        const at = (wid: string) => sumOf(tail.map((l) => l.at(wid)));
        shown = [...head, { key: '(rest)', cur: at(w.id), prev: cid ? at(cid) : null, at, member: false }];
      }
      if (spec.measures.includes('hhi') && dimNames.length) {
        const members = lines.filter((l) => l.key !== '(rest)' && l.cur !== null && l.cur > 0n);
        const c = concentration(members.map((l) => ({ key: l.key, value: fixedText(l.cur!) })));
        if (c.ok) {
          hhiRows.push({
            period: w.period.label,
            measure: `hhi ${flowName(f)}`,
            hhi: c.hhi,
            equivalent_members: c.equivalentNumber,
            members: c.members,
            top4_share_pct: c.topShare,
          });
          if (lines.some((l) => l.key === '(rest)')) {
            notes.push({
              code: 'hhi-rest',
              severity: 'info',
              message: 'HHI over the listed members only (the unlisted remainder is not a member)',
            });
          }
        } else notes.push({ code: 'hhi', severity: 'warning', message: c.text });
      }
      // contributions in pp, rounded by largest remainder so that they add up to the total growth
      const contribution = new Map<string, string | null>();
      if (wantContribution && wholeCur !== null && wholePrev !== null) {
        const members = shown
          .filter((l) => l.key !== '(rest)' && l.cur !== null && l.prev !== null)
          .map((l) => ({ key: l.key, current: fixedText(l.cur!), previous: fixedText(l.prev!) }));
        const c = contributions(members, { current: fixedText(wholeCur), previous: fixedText(wholePrev) });
        for (const r of c.rows) contribution.set(r.isRest ? '(rest)' : r.key, r.contribution);
        notes.push(...c.notes.filter((n) => n.severity !== 'info'));
      }
      for (const l of emitLevels ? shown : []) {
        const row: Record<string, Cell> = { period: w.period.label };
        dimNames.forEach((d, i) => {
          row[d] = l.key === '(rest)' ? (i === 0 ? '(rest)' : '') : (l.key.split('|')[i] ?? '');
        });
        row.measure =
          f === 'X' ? 'exports' : f === 'M' ? 'imports' : f === 'RX' ? 're-exports' : f === 'RM' ? 're-imports' : f;
        row.value = l.cur === null ? null : fixedText(l.cur);
        row.currency = currency;
        if (cid) {
          row.previous = l.prev === null ? null : fixedText(l.prev);
          row[`${spec.compare ?? 'yoy'}_pct`] = growth(f, l.cur, l.prev);
        }
        const key = dimNames.length ? l.key : null;
        const basis: Basis = l.cur === null ? 'missing' : l.member ? basisAt(w.id, f, key) : 'derived';
        if (publishedRates.length) row.published_yoy_pct = l.member ? publishedYoy(w, f, key, basis) : null;
        row.basis = basis;
        row.months_sum =
          basis === 'published cumulative' && l.cur !== null ? fixedOrNull(monthsSumAt(w.id, f, key)) : null;
        row.note = l.cur === null ? missingNote(w.id, f) : null;
        const ytd = ytdOf.get(w.id);
        if (ytd) {
          const cur = l.at(ytd.id);
          const prev = ytd.compare ? l.at(ytd.compare) : null;
          row.ytd_period = windows.find((x) => x.id === ytd.id)!.period.label;
          row.ytd_value = fixedOrNull(cur);
          row.ytd_yoy_pct = growth(f, cur, prev);
          row.ytd_basis = cur === null ? 'missing' : l.member ? basisAt(ytd.id, f, key) : 'derived';
        }
        if (wantShare) row.share_pct = l.cur !== null && wholeCur ? percentOf(l.cur, wholeCur) : null;
        if (wantContribution) row.contribution_pp = contribution.get(l.key) ?? null;
        out.push(row);
      }
    }
  }

  out.push(...hhiRows);
  if (spec.measures.includes('unit_value')) {
    out.push(
      ...unitValueRows(
        agg,
        windows,
        mains,
        compareOf,
        flows,
        memberKey,
        dimNames,
        spec.currency ? null : sourceCurrency,
        notes,
      ),
    );
  }
  if (spec.measures.includes('records')) out.push(...recordRows(out, mains, notes));
  if (spec.measures.includes('rca')) {
    out.push(
      ...(await rcaRows(
        store,
        filter,
        groupBy,
        productDim ? PRODUCT_DIGITS[productDim]! : 6,
        windows,
        mains,
        agg,
        memberKey,
        reporter.code,
        notes,
      )),
    );
  }
  if (spec.measures.includes('revision'))
    out.push(...(await revisionRows(agg, windows, mains, flows, memberKey, members, dimNames)));
  if (spec.measures.includes('mirror'))
    out.push(...(await mirrorRows(store, spec, reporter.code, partnerSel.label, period, notes)));

  if (fx) notes.push(...fx.notes());
  if (spec.base === 'revised') {
    notes.push({
      code: 'base',
      severity: 'info',
      message: 'monthly values on the revised base: YTD(m) − YTD(m−1) from the published cumulative figures',
    });
  } else if (mains.some((p) => p.start === p.end)) {
    notes.push({
      code: 'base',
      severity: 'info',
      message:
        'monthly values as first published (base: first-published); --base revised derives them from the cumulative figures',
    });
  }
  const columns = [...new Set(out.flatMap((r) => Object.keys(r)))];
  return {
    spec: { ...spec, period: period.label },
    provenance: {
      dataset,
      datasetNote,
      currency,
      sourceCurrency,
      ...(fx ? { fx: fx.describe() } : {}),
      base: spec.base,
      answeredBy: [...new Set(agg.map((a) => a.source))],
      vintages: summary?.vintages.map((v) => ({ vintage: v.vintage, source: v.vintageSource, files: v.files })) ?? [],
      flags: summary?.flags ?? [],
      conversions: [
        ...(fx ? [`currency ${sourceCurrency} → ${fx.converter.target} (${fx.describe().seriesName})`] : []),
        ...((summary?.flags ?? []).includes('converted')
          ? ['values converted between HS editions (flag converted)']
          : []),
      ],
      windows: windows.map((w) => ({
        id: w.id,
        period: w.period.label,
        start: formatMonth(w.period.start),
        end: formatMonth(w.period.end),
      })),
      aggregateRows: agg.length,
      ...(productCoverage ? { productCoverage } : {}),
      seasonallyAdjusted,
    },
    columns,
    rows: out,
    notes,
  };
}
