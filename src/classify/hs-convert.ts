/**
 * Converting values reported in one HS edition to another.
 *
 * Each source row's value goes to the codes its product links to (see `hs-correlation.ts`): whole for 1:1
 * and n:1 links (exact), split for 1:n and n:n links, by trade-value weights when the user names a weight set
 * (values of the target codes in the same period, from a dataset that reports that period in the target
 * edition), by equal weights otherwise. The split is exact: values are integers of 10⁻⁴ base units
 * (`model/decimal.ts`) and the remainder units go to the largest fractional shares (largest remainder), so
 * every source row is split to the last unit and all totals over products are preserved.
 *
 * Output rows are merged per key and target code, flagged `converted`, with the method(s) and table version.
 */
import { createHash } from 'node:crypto';
import type { Reader, ReaderItem, StagedRow } from '../ingest/staged-row.js';
import { type Fixed, fixedText, toFixed } from '../model/decimal.js';
import type { CellRow, TradeStore } from '../store/store.js';
import { type Problem, UserError } from '../util/errors.js';
import { type HsLink, mapCode, type Relationship, tableVersion } from './hs-correlation.js';
import { COMTRADE_CODE, editionOf, type HsEdition } from './hs-nomenclature.js';

/** A value to convert: key fields (carried through), the product code and an exact decimal value. */
export interface ValueRow {
  product: string;
  /** Exact decimal text (at most 4 decimals). */
  value: string;
  /** Period label, used to pick the weights of the same period. */
  period?: string;
}

/**
 * Trade-value weights: the value of each target code, per period label (`''` for weights valid for any
 * period), from a dataset reporting in the target edition.
 */
export interface WeightSet {
  /** Named in the method: `1:n trade-value weights from <dataset>`. */
  dataset: string;
  byPeriod: ReadonlyMap<string, ReadonlyMap<string, Fixed>>;
}

export interface ConvertOptions {
  from: HsEdition;
  to: HsEdition;
  weights?: WeightSet;
}

/** A converted row: the source row's fields, the target product and its share of the value. */
export type ConvertedRow<R extends ValueRow> = Omit<R, 'product' | 'value'> & {
  product: string;
  value: string;
  flag: 'converted';
  /** How the value was obtained: `1:1`, `n:1 (merged)`, `1:n equal weights`, … (several joined by `; `). */
  method: string;
  /** Correlation tables used. */
  table: string;
  /** Source codes whose values (or shares) make up this row. */
  sources: string[];
};

export interface ConvertResult<R extends ValueRow> {
  rows: ConvertedRow<R>[];
  /** Codes that could not be converted (kept as they were, method `unmapped (kept as is)`). */
  problems: Problem[];
  table: string;
  /** Source rows by method (1:1, n:1 (merged), 1:n equal weights …). */
  methods: Record<string, number>;
}

/**
 * Splits `total` into parts proportional to `weights`, exactly: floor shares, then one unit each to the
 * largest remainders (ties to the earlier index). The parts sum to `total`. Weights must be ≥ 0 with a
 * positive sum.
 * @example allocate(10n, [1n, 1n, 1n]) // [4n, 3n, 3n]
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n || weights.some((w) => w < 0n)) throw new Error('allocate: weights must be ≥ 0 with a positive sum');
  if (total < 0n) return allocate(-total, weights).map((v) => -v);
  const parts = weights.map((w) => (total * w) / sum);
  const rest = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  rest.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rest) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}

/** How one source code is split: targets with their weights and the method label. */
interface Plan {
  links: HsLink[];
  relationship: Relationship | 'unchanged' | 'unmapped';
}

function splitRelationship(links: HsLink[]): Relationship {
  if (links.length === 1) return links[0]!.relationship;
  return links.some((l) => l.relationship === 'n:n') ? 'n:n' : '1:n';
}

/**
 * Converts value rows from one edition to another. Rows are merged per (all other fields, target code).
 * `TOTAL` is kept as it is (method `unchanged (TOTAL)`); a product the source edition does not know is kept
 * as it is with method `unmapped (kept as is)` and a problem, so no value is lost.
 * @example
 * convertRows([{ reporter: 'CHN', product: '854140', value: '100' }], { from: 'HS2017', to: 'HS2022' })
 */
export function convertRows<R extends ValueRow>(rows: readonly R[], o: ConvertOptions): ConvertResult<R> {
  const table = tableVersion(o.from, o.to);
  const plans = new Map<string, Plan>();
  const problems: Problem[] = [];
  const methods: Record<string, number> = {};
  const planOf = (product: string): Plan => {
    let p = plans.get(product);
    if (p) return p;
    if (product === 'TOTAL' || o.from === o.to) p = { links: [], relationship: 'unchanged' };
    else {
      const links = /^\d{6}$/.test(product) ? mapCode(product, o.from, o.to) : [];
      p = links.length ? { links, relationship: splitRelationship(links) } : { links: [], relationship: 'unmapped' };
      if (!links.length) {
        problems.push({
          code: 'unmapped-product',
          severity: 'warning',
          message: `no ${o.from} → ${o.to} link for product ${product}: kept as is`,
          value: product,
        });
      }
    }
    plans.set(product, p);
    return p;
  };

  const out = new Map<string, { row: R; product: string; value: Fixed; methods: Set<string>; sources: Set<string> }>();
  const emit = (row: R, product: string, value: Fixed, method: string) => {
    const { product: _p, value: _v, ...rest } = row;
    const key = `${JSON.stringify(rest)}\u0000${product}`;
    const acc = out.get(key);
    if (acc) {
      acc.value += value;
      acc.methods.add(method);
      acc.sources.add(row.product);
    } else out.set(key, { row, product, value, methods: new Set([method]), sources: new Set([row.product]) });
  };

  for (const row of rows) {
    const plan = planOf(row.product);
    const value = toFixed(row.value);
    let method: string;
    if (plan.relationship === 'unchanged') {
      method = row.product === 'TOTAL' ? 'unchanged (TOTAL)' : 'unchanged (same edition)';
      emit(row, row.product, value, method);
    } else if (plan.relationship === 'unmapped') {
      method = 'unmapped (kept as is)';
      emit(row, row.product, value, method);
    } else if (plan.links.length === 1) {
      method = plan.relationship === 'n:1' ? 'n:1 (merged)' : plan.relationship;
      emit(row, plan.links[0]!.code, value, method);
    } else {
      const targets = plan.links.map((l) => l.code);
      const w = weightsFor(o.weights, row.period ?? '', targets);
      method = w
        ? `${plan.relationship} trade-value weights from ${o.weights!.dataset}`
        : `${plan.relationship} equal weights`;
      const parts = allocate(value, w ?? targets.map(() => 1n));
      // a target with no share gets no row (unless the source reports a zero, kept on every target)
      targets.forEach((t, i) => {
        if (parts[i] !== 0n || value === 0n) emit(row, t, parts[i]!, method);
      });
    }
    methods[method] = (methods[method] ?? 0) + 1;
  }

  const result: ConvertedRow<R>[] = [];
  for (const acc of out.values()) {
    const { product: _p, value: _v, ...rest } = acc.row;
    result.push({
      ...rest,
      product: acc.product,
      value: fixedText(acc.value),
      flag: 'converted',
      method: [...acc.methods].sort().join('; '),
      table,
      sources: [...acc.sources].sort(),
    } as ConvertedRow<R>);
  }
  return { rows: result, problems, table, methods };
}

/** Weights of the targets in the row's period (else the any-period weights); undefined when they sum to 0. */
function weightsFor(ws: WeightSet | undefined, period: string, targets: string[]): bigint[] | undefined {
  if (!ws) return undefined;
  const m = ws.byPeriod.get(period) ?? ws.byPeriod.get('');
  if (!m) return undefined;
  const w = targets.map((t) => {
    const v = m.get(t) ?? 0n;
    return v > 0n ? v : 0n;
  });
  return w.some((x) => x > 0n) ? w : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Stored datasets
// ---------------------------------------------------------------------------------------------------------

/** A stored cell in the shape the converter carries through. */
export interface CellValue extends ValueRow {
  dataset: string;
  reporter: string;
  partner: string;
  flow: string;
  classification: string;
  period: string;
  cumulative: boolean;
  tradeMode: string;
  region: string;
  currency: string;
  seasonallyAdjusted: boolean;
}

export interface DatasetConversion {
  dataset: string;
  from: HsEdition;
  to: HsEdition;
  weights: string | null;
  table: string;
  rows: ConvertedRow<CellValue>[];
  problems: Problem[];
  methods: Record<string, number>;
  /** Latest vintage among the cells read (the converted dataset's release date). */
  vintage: string;
  /** Cells read, and cells left out because they are not in an HS edition (kept out of the output). */
  cellsRead: number;
  cellsSkipped: number;
}

/**
 * Reads the weights of a dataset: per period label, the value of each code of `edition` summed over
 * reporters, partners and flows.
 */
export async function datasetWeights(store: TradeStore, dataset: string, edition: HsEdition): Promise<WeightSet> {
  const cells = await store.cells({ datasets: [dataset], classifications: [COMTRADE_CODE[edition]] });
  if (!cells.length) {
    throw new UserError(`--weights: dataset ${dataset} has no cells in ${edition} (${COMTRADE_CODE[edition]})`);
  }
  const byPeriod = new Map<string, Map<string, Fixed>>();
  for (const c of cells) {
    const m = byPeriod.get(c.period) ?? new Map<string, Fixed>();
    byPeriod.set(c.period, m);
    m.set(c.product, (m.get(c.product) ?? 0n) + toFixed(c.value));
  }
  return { dataset, byPeriod };
}

/**
 * Converts the cells of a stored dataset to `to`. The source edition is each cell's classification
 * (H0 … H6), or `from` when given (required when the cells say only `HS`).
 */
export async function convertDataset(
  store: TradeStore,
  o: { dataset: string; to: HsEdition; from?: HsEdition; weights?: string },
): Promise<DatasetConversion> {
  const cells = await store.cells({ datasets: [o.dataset] });
  if (!cells.length) throw new UserError(`--dataset: no cells in dataset ${o.dataset}`);
  const weights = o.weights ? await datasetWeights(store, o.weights, o.to) : undefined;
  const byEdition = new Map<HsEdition, CellValue[]>();
  let skipped = 0;
  for (const c of cells) {
    const edition = o.from ?? editionOf(c.classification);
    if (!edition) {
      skipped++;
      continue;
    }
    const list = byEdition.get(edition) ?? [];
    byEdition.set(edition, list);
    list.push(cellValue(c));
  }
  if (!byEdition.size) {
    throw new UserError(
      `--dataset: ${o.dataset} has no cells in an HS edition (classifications: ${[...new Set(cells.map((c) => c.classification))].join(', ')}); give --from`,
    );
  }
  const rows: ConvertedRow<CellValue>[] = [];
  const problems: Problem[] = [];
  const methods: Record<string, number> = {};
  const tables: string[] = [];
  for (const [from, list] of [...byEdition].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = convertRows(list, { from, to: o.to, ...(weights ? { weights } : {}) });
    for (const row of r.rows) row.classification = COMTRADE_CODE[o.to];
    rows.push(...r.rows);
    problems.push(...r.problems);
    tables.push(r.table);
    for (const [k, v] of Object.entries(r.methods)) methods[k] = (methods[k] ?? 0) + v;
  }
  return {
    dataset: o.dataset,
    from: [...byEdition.keys()][0]!,
    to: o.to,
    weights: o.weights ?? null,
    table: tables.join('; '),
    rows,
    problems,
    methods,
    vintage:
      cells
        .map((c) => c.vintage)
        .sort()
        .at(-1) ?? '',
    cellsRead: cells.length,
    cellsSkipped: skipped,
  };
}

function cellValue(c: CellRow): CellValue {
  return {
    dataset: c.dataset,
    reporter: c.reporter,
    partner: c.partner,
    flow: c.flow,
    classification: c.classification,
    period: c.period,
    cumulative: c.cumulative,
    tradeMode: c.tradeMode,
    region: c.region,
    currency: c.currency,
    seasonallyAdjusted: c.seasonallyAdjusted,
    product: c.product,
    value: c.value,
  };
}

/** Columns of the CSV written by `convert --out`. */
export const CONVERTED_COLUMNS = [
  'dataset',
  'reporter',
  'partner',
  'flow',
  'classification',
  'product',
  'period',
  'trade_mode',
  'region',
  'value',
  'currency',
  'flag',
  'method',
  'table',
  'sources',
] as const;

/** One CSV line's cells for a converted cell, in {@link CONVERTED_COLUMNS} order. */
export function convertedCsvCells(r: ConvertedRow<CellValue>): string[] {
  return [
    r.dataset,
    r.reporter,
    r.partner,
    r.flow,
    r.classification,
    r.product,
    r.period,
    r.tradeMode,
    r.region,
    r.value,
    r.currency,
    r.flag,
    r.method,
    r.table,
    r.sources.join(' '),
  ];
}

/**
 * The converted cells as a {@link Reader}, to ingest them as a dataset: canonical reporter and partner
 * codes, classification the target edition's Comtrade code (H6 for HS2022), unit the cell's currency
 * (values are in base units), flag `converted`, note = method and table.
 */
export function convertedReader(conv: Pick<DatasetConversion, 'rows' | 'to' | 'dataset'>): Reader {
  const info = { dataset: `${conv.dataset}-${conv.to.toLowerCase()}`, rowsRead: 0, warnings: [] as Problem[] };
  return {
    info,
    async *read(): AsyncIterable<ReaderItem> {
      let line = 0;
      for (const r of conv.rows) {
        line++;
        info.rowsRead = line;
        const row: StagedRow = {
          line,
          reporter: r.reporter,
          reporterScheme: 'canonical',
          partner: r.partner,
          partnerScheme: 'canonical',
          flow: r.flow,
          classification: COMTRADE_CODE[conv.to],
          product: r.product,
          period: r.period,
          measure: r.cumulative ? 'cumulative' : 'value',
          tradeMode: r.tradeMode,
          region: r.region,
          value: r.value,
          unit: r.currency,
          netWeight: '',
          weightUnit: 'kg',
          quantity: '',
          quantityUnit: '',
          flag: 'converted',
          seasonallyAdjusted: r.seasonallyAdjusted,
          note: `${r.method}; ${r.table}`,
        };
        yield { kind: 'row', row };
      }
    },
  };
}

/** A hash of a conversion's output (for the idempotency of `--into`). */
export function conversionHash(conv: Pick<DatasetConversion, 'rows' | 'to' | 'dataset' | 'weights' | 'table'>): string {
  const h = createHash('sha256');
  h.update(`${conv.dataset}|${conv.to}|${conv.weights ?? ''}|${conv.table}\n`);
  for (const r of conv.rows) h.update(`${convertedCsvCells(r).join('\t')}\n`);
  return h.digest('hex');
}
