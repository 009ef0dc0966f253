/**
 * The EU as one reporter, derived from a loaded Comext dataset (cells by member-state declarant): for each month,
 * the declarants that are EU members in that month (the EU's membership history, `data/groups/EU.yaml`) are
 * summed into reporter `EUU`, by partner, CN8 code (and the all-goods TOTAL) and flow. Written as a derived
 * dataset through {@link ingestReader}, so it has the same guarantees (one atomic load, idempotent).
 *
 * For the EU as one reporter, trade between its members is internal: partners that are members in the month,
 * and Eurostat's intra-EU special areas (QR, QV, QY), are summed into partner `EUU` (intra-EU trade), every other
 * partner is kept as it is, and partner `WLD` is the sum of those: extra-EU trade. So an "EU imports from China"
 * share (`--by partner --measure share`) is of extra-EU imports; intra-EU trade is there when asked for
 * (`--partner EU`). A declarant that is not a member in the month (the United Kingdom after January 2020,
 * Northern Ireland's XI, an aggregate such as EU27_2020, a newcomer) is never folded in: it is listed in the
 * result's `notFolded` and in a warning.
 */
import { createHash } from 'node:crypto';
import { membersAt } from '../classify/groups.js';
import { addMonths, formatMonth, type MonthId } from '../model/period.js';
import type { TradeStore } from '../store/store.js';
import type { Problem } from '../util/errors.js';
import { UserError } from '../util/errors.js';
import { type IngestReport, ingestReader } from './ingest.js';
import type { Reader, ReaderItem, StagedRow } from './staged-row.js';

/** Eurostat's special partners that belong to intra-EU trade (the others are extra-EU or unspecified). */
export const INTRA_EU_SPECIALS: readonly string[] = ['EU_QR', 'EU_QV', 'EU_QY'];

const PARTNER_CHUNK = 40;

export interface EuTotalsOptions {
  /** The Comext dataset to sum (by declarant). */
  source: string;
  /** The derived dataset (default `<source>-eu`). */
  dataset?: string;
  stagingBase: string;
}

export interface EuTotalsResult {
  report: IngestReport;
  /** Declarants (canonical codes) left out of the EU in some months, with the months. */
  notFolded: { reporter: string; months: string[] }[];
}

/**
 * Sums the member-state declarants of a Comext dataset into the EU as one reporter (see the module comment).
 * @example await deriveEuTotals(store, { source: 'comext', stagingBase: './tradescope.duckdb' })
 */
export async function deriveEuTotals(store: TradeStore, opts: EuTotalsOptions): Promise<EuTotalsResult> {
  const summary = (await store.datasets()).find((d) => d.dataset === opts.source);
  if (!summary?.firstPeriod || !summary.lastPeriod)
    throw new UserError(`no dataset ${opts.source} with monthly data to sum into the EU`);
  const first = monthOfText(summary.firstPeriod);
  const last = monthOfText(summary.lastPeriod);
  const months: MonthId[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  const latest = summary.vintages
    .map((v) => v.vintage)
    .sort()
    .at(-1)!;
  const notFolded = new Map<string, string[]>();
  const plan: { month: MonthId; reporters: string[]; members: Set<string> }[] = [];
  for (const m of months) {
    const members = new Set(membersAt('EU', `${formatMonth(m)}-01`).map((x) => x.code));
    const reporters = summary.reporters.filter((r) => members.has(r));
    for (const r of summary.reporters.filter((x) => !members.has(x))) {
      const list = notFolded.get(r) ?? [];
      list.push(formatMonth(m));
      notFolded.set(r, list);
    }
    plan.push({ month: m, reporters, members });
  }
  const warnings: Problem[] = [...notFolded].map(([r, ms]) => ({
    code: 'not-eu-member',
    severity: 'warning',
    message: `declarant ${r} is not an EU member in ${ms.length === months.length ? 'any month of the data' : ms.join(', ')}: reported on its own, not folded into the EU total`,
  }));
  const hash = createHash('sha256')
    .update(
      JSON.stringify({ source: opts.source, vintages: summary.vintages, rows: summary.rows, method: 'eu-totals-1' }),
    )
    .digest('hex');
  const reader: Reader & { info: { datasetInfo: { name: string; source: string; notes: string } } } = {
    info: {
      dataset: opts.dataset ?? `${opts.source}-eu`,
      warnings,
      datasetInfo: {
        name: `EU as one reporter (from ${opts.source})`,
        source: `the member-state declarants of ${opts.source} summed with the EU membership of each month`,
        notes:
          'reporter EUU; partner EUU = intra-EU trade, WLD = extra-EU trade (the sum of the other partners); flag derived',
      },
    },
    read: () => euRows(store, opts.source, plan),
  };
  const report = await ingestReader(
    store,
    {
      reader,
      sourceFile: `EU total: ${opts.source} declarants that are EU members in each month, summed (data/groups/EU.yaml)`,
      contentHash: hash,
    },
    { dataset: opts.dataset ?? `${opts.source}-eu`, vintage: latest, stagingBase: opts.stagingBase, rollups: 'now' },
  );
  return { report, notFolded: [...notFolded].map(([reporter, ms]) => ({ reporter, months: ms })) };
}

function monthOfText(p: string): MonthId {
  const m = /^(\d{4})-(\d{2})/.exec(p);
  if (!m) throw new UserError(`EU totals need monthly data, not ${p}`);
  return (Number(m[1]) * 100 + Number(m[2])) as MonthId;
}

async function* euRows(
  store: TradeStore,
  source: string,
  plan: { month: MonthId; reporters: string[]; members: Set<string> }[],
): AsyncGenerator<ReaderItem> {
  let line = 0;
  for (const { month, reporters, members } of plan) {
    if (reporters.length === 0) continue;
    const window = [{ id: 'm', start: month, end: month }];
    const partnerRows = await store.aggregate({
      filter: { datasets: [source], reporters },
      groupBy: ['partner'],
      windows: window,
    });
    const partners = [...new Set(partnerRows.map((a) => a.key.partner!))].sort();
    // intra-EU and extra-EU sums by flow and product, for the month
    const sums = new Map<string, { value: bigint; kg: bigint | null }>();
    const add = (key: string, value: string, kg: string | null) => {
      const s = sums.get(key) ?? { value: 0n, kg: 0n };
      s.value += units(value);
      s.kg = s.kg === null || kg === null ? null : s.kg + units(kg);
      sums.set(key, s);
    };
    for (let i = 0; i < partners.length; i += PARTNER_CHUNK) {
      const chunk = partners.slice(i, i + PARTNER_CHUNK);
      const rows = await store.aggregate({
        filter: { datasets: [source], reporters, partners: chunk },
        groupBy: ['flow', 'partner', 'product'],
        productDigits: 12,
        windows: window,
      });
      for (const a of rows) {
        const value = a.months ?? a.exact;
        if (value === null) continue;
        const partner = a.key.partner!;
        const product = a.key.product!;
        const flow = a.key.flow!;
        const kg = a.netWeightKg !== null && a.weightValue === value ? a.netWeightKg : null;
        const intra = members.has(partner) || INTRA_EU_SPECIALS.includes(partner);
        add(`${intra ? 'EUU' : 'WLD'}|${flow}|${product}`, value, kg);
        if (!intra) yield row(++line, partner, flow, product, month, value, kg);
      }
    }
    for (const [key, s] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [partner, flow, product] = key.split('|') as [string, string, string];
      yield row(++line, partner, flow, product, month, text(s.value), s.kg === null ? null : text(s.kg));
    }
  }
}

/** Decimal text (base units, up to 4 decimals) → units of 0.0001. */
function units(t: string): bigint {
  const neg = t.startsWith('-');
  const [i, f = ''] = (neg ? t.slice(1) : t).split('.');
  const v = BigInt(i || '0') * 10_000n + BigInt((f + '0000').slice(0, 4));
  return neg ? -v : v;
}

function text(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const f = (a % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / 10_000n}${f ? `.${f}` : ''}`;
}

function row(
  line: number,
  partner: string,
  flow: string,
  product: string,
  month: MonthId,
  value: string,
  kg: string | null,
): ReaderItem {
  const r: StagedRow = {
    line,
    reporter: 'EUU',
    reporterScheme: 'canonical',
    partner,
    partnerScheme: 'canonical',
    flow,
    classification: product === 'TOTAL' ? 'TOTAL' : 'CN8',
    product,
    period: formatMonth(month),
    measure: 'value',
    tradeMode: '',
    region: '',
    value,
    unit: 'EUR',
    netWeight: kg ?? '',
    weightUnit: kg === null ? '' : 'kg',
    quantity: '',
    quantityUnit: '',
    flag: 'derived',
    seasonallyAdjusted: false,
  };
  return { kind: 'row', row: r };
}
