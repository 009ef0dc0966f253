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
import type { AggregateRow, TradeStore } from '../store/store.js';
import type { Problem } from '../util/errors.js';
import { UserError } from '../util/errors.js';
import { type IngestReport, ingestReader } from './ingest.js';
import type { Reader, ReaderItem, StagedRow } from './staged-row.js';

/** Eurostat's special partners that belong to intra-EU trade (the others are extra-EU or unspecified). */
export const INTRA_EU_SPECIALS: readonly string[] = ['EU_QR', 'EU_QV', 'EU_QY'];

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
          'reporter EUU; partner EUU = intra-EU trade, WLD = extra-EU trade: the sum of the other partners in the source (all of them when its files were loaded whole, only those kept when loaded with --partner); flag derived',
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
  // read in pieces (one partner, or one chapter, at a time) so that memory stays bounded by the largest piece
  let line = 0;
  for (const { month, reporters, members } of plan) {
    if (reporters.length === 0) continue;
    const windows = [{ id: 'm', start: month, end: month }];
    const base = { datasets: [source], reporters };
    const partners = (await store.aggregate({ filter: base, groupBy: ['partner'], windows }))
      .map((a) => a.key.partner!)
      .sort();
    const intra = partners.filter((p) => members.has(p) || INTRA_EU_SPECIALS.includes(p));
    // extra-EU partners as they are
    for (const partner of partners) {
      if (intra.includes(partner)) continue;
      const rows = await store.aggregate({
        filter: { ...base, partners: [partner] },
        groupBy: ['flow', 'product'],
        productDigits: 12,
        windows,
      });
      for (const r of sorted(rows)) yield toRow(++line, partner, r, month);
    }
    // WLD (extra-EU) and EUU (intra-EU) by chapter (the all-goods TOTAL rows are the piece 'TO')
    const chapters = (await store.aggregate({ filter: base, groupBy: ['product'], productDigits: 2, windows }))
      .map((a) => a.key.product!)
      .sort();
    for (const chapter of chapters) {
      for (const [partner, side] of [
        ['WLD', { excludePartners: intra }],
        ['EUU', { partners: intra }],
      ] as const) {
        if (partner === 'EUU' && intra.length === 0) continue;
        const rows = await store.aggregate({
          filter: { ...base, ...side, productPrefixes: [chapter] },
          groupBy: ['flow', 'product'],
          productDigits: 12,
          windows,
        });
        for (const r of sorted(rows)) yield toRow(++line, partner, r, month);
      }
    }
  }
}

const sorted = (rows: AggregateRow[]) =>
  rows.sort((a, b) => (a.key.flow! + a.key.product! < b.key.flow! + b.key.product! ? -1 : 1));

function toRow(line: number, partner: string, a: AggregateRow, month: MonthId): ReaderItem {
  const value = a.months ?? a.exact ?? '';
  const kg = a.netWeightKg !== null && a.weightValue === value ? a.netWeightKg : null;
  return row(line, partner, a.key.flow!, a.key.product!, month, value, kg);
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
