/**
 * Reader for Eurostat Comext monthly bulk files (`full_v2_YYYYMM.7z`: one comma-separated `.dat` inside a 7z
 * archive; a `.dat` already extracted is read as it is). The archive is decompressed by the 7z tool and streamed
 * line by line (`../archive-7z.ts`), so memory stays bounded whatever the month's size; the filters
 * (`partners`, `products`) are applied while reading, so rows outside them are never staged.
 *
 * Columns, found by header name: REPORTER, PARTNER, TRADE_TYPE, PRODUCT_NC, PRODUCT_SITC, PRODUCT_CPA21,
 * PRODUCT_CPA22, PRODUCT_BEC, PRODUCT_BEC5, PRODUCT_SECTION, FLOW, STAT_PROCEDURE, SUPPL_UNIT, PERIOD, VALUE_EUR,
 * VALUE_NAC, QUANTITY_KG, QUANTITY_SUPPL_UNIT. One record → one StagedRow:
 * - reporter / partner as written, scheme `eurostat` (ISO alpha-2 plus Eurostat's own codes: QR, QS, QV, QW, QY,
 *   QZ, XC, XL, XI …, each mapped by the pipeline to a canonical code of its own);
 * - product `PRODUCT_NC`, classification `CN8`: Comext writes the 8-digit Combined Nomenclature code without
 *   its leading zeros (`1012100` is 01012100), so a code of digits is left-padded to 8. The all-goods rows
 *   (`000TOTAL`, also written `TOTAL`) are staged as product `TOTAL`, classification `TOTAL`: the store keeps
 *   them apart from the CN8 codes, and a query over products never adds them to the codes beside them;
 * - flow `FLOW` 1 → M (imports), 2 → X (exports);
 * - period `PERIOD` YYYYMM → `YYYY-MM` (Comext's annual files write month 52: → `YYYY`);
 * - value `VALUE_EUR` in EUR; net weight `QUANTITY_KG` in kg; quantity `QUANTITY_SUPPL_UNIT` in `SUPPL_UNIT`
 *   (none when the unit is empty or NO_SU);
 * - trade mode `sp<STAT_PROCEDURE>`: Comext splits a cell (reporter × partner × product × flow × month) by
 *   statistical procedure (normal trade, inward and outward processing …). Each procedure's row is kept as its
 *   own cell with its own source line, and a query, which never filters on the trade mode, sums them: the cell's
 *   value is the sum of its procedure rows, and every raw row stays in the store for provenance.
 *
 * `VALUE_NAC` (the value in the declarant's national currency) and the product-correspondence columns
 * (SITC, CPA, BEC, section) are not loaded; `TRADE_TYPE` (I intra-EU / E extra-EU) is checked only for its
 * values: whether a partner is intra-EU is decided from the EU's membership history (see `../eu-totals.ts`).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { areaAliases, areaCodeIn, resolveArea } from '../../model/areas.js';
import type { Problem, ProblemCode } from '../../util/errors.js';
import { UserError } from '../../util/errors.js';
import { archiveMember, listArchive } from '../archive-7z.js';
import { type EncodingGuess, readLinesWith } from '../encoding.js';
import type { Reader, ReaderItem, RowProblem, SourceInfo, StagedRow } from '../staged-row.js';
import { csvRecords, normaliseDecimal } from './delimited-reader.js';

export const COMEXT_COLUMNS = [
  'REPORTER',
  'PARTNER',
  'TRADE_TYPE',
  'PRODUCT_NC',
  'PRODUCT_SITC',
  'PRODUCT_CPA21',
  'PRODUCT_CPA22',
  'PRODUCT_BEC',
  'PRODUCT_BEC5',
  'PRODUCT_SECTION',
  'FLOW',
  'STAT_PROCEDURE',
  'SUPPL_UNIT',
  'PERIOD',
  'VALUE_EUR',
  'VALUE_NAC',
  'QUANTITY_KG',
  'QUANTITY_SUPPL_UNIT',
] as const;

const REQUIRED = ['REPORTER', 'PARTNER', 'PRODUCT_NC', 'FLOW', 'PERIOD', 'VALUE_EUR'] as const;

export interface ComextReaderOptions {
  /** Keep only these partners: Eurostat codes as the file writes them (see {@link eurostatCodesFor}). */
  partners?: readonly string[];
  /** Keep only CN codes starting with one of these (`8703`, `870380`); the all-goods rows are then left out. */
  products?: readonly string[];
}

const FIELD_NAMES: NonNullable<StagedRow['fieldNames']> = Object.freeze({
  reporter: 'REPORTER',
  partner: 'PARTNER',
  flow: 'FLOW',
  product: 'PRODUCT_NC',
  period: 'PERIOD',
  value: 'VALUE_EUR',
  netWeight: 'QUANTITY_KG',
  quantity: 'QUANTITY_SUPPL_UNIT',
});

const UTF8: EncodingGuess = { encoding: 'utf-8', bomLength: 0, method: 'declared' };
const PROGRESS_EVERY = 1 << 20;

/**
 * The Eurostat codes (as Comext writes them) of the areas a user names: `CN`, `CHN`, `China`, `HK`, `GRC` (→ GR
 * and EL). Unknown names are a UserError naming the flag.
 * @example eurostatCodesFor(['CN', 'HKG']) // ['CN', 'HK']
 */
export function eurostatCodesFor(inputs: readonly string[], flag = '--partner'): string[] {
  const out = new Set<string>();
  for (const raw of inputs) {
    const t = raw.trim();
    if (!t) continue;
    const code = areaCodeIn('eurostat', t) ?? resolveArea(t)?.code;
    if (!code) throw new UserError(`${flag}: unknown area ${t} (use a Eurostat/ISO code such as CN, HK, MO)`);
    const aliases = areaAliases().filter((a) => a.scheme === 'eurostat' && a.code === code);
    if (aliases.length === 0) throw new UserError(`${flag}: ${t} (${code}) has no Eurostat code`);
    for (const a of aliases) out.add(a.alias);
  }
  return [...out].sort();
}

/** Checks `--product` prefixes for Comext: CN digits, 2 to 8 of them (dots allowed). */
export function cnPrefixes(inputs: readonly string[]): string[] {
  return inputs.map((raw) => {
    const t = raw.trim().replace(/[.\s]/g, '');
    if (!/^\d{2,8}$/.test(t)) throw new UserError(`--product: ${raw} is not a CN code prefix (2 to 8 digits)`);
    return t;
  });
}

/** `full_v2_202511.7z` → `2025-11` (the month the file covers), or undefined. */
export function comextFileMonth(file: string): string | undefined {
  const m = /(?:^|[^0-9])(\d{4})(0[1-9]|1[0-2])(?:\.[^.]+)+$/.exec(basename(file));
  return m ? `${m[1]}-${m[2]}` : undefined;
}

/**
 * Opens a Comext bulk file (`.7z` or `.dat`).
 * @example const r = await openComextReader('full_v2_202511.7z', { partners: ['CN', 'HK', 'MO'] })
 */
export async function openComextReader(file: string, options: ComextReaderOptions = {}): Promise<Reader> {
  const archive = /\.7z$/i.test(file);
  let member = '';
  let size = (await stat(file)).size;
  if (archive) {
    const entries = listArchive(file).filter((e) => /\.(dat|csv)$/i.test(e.path));
    if (entries.length !== 1)
      throw new UserError(
        `${file}: expected one .dat file inside the archive, found ${entries.length ? entries.map((e) => e.path).join(', ') : 'none'}`,
      );
    member = entries[0]!.path;
    size = entries[0]!.size;
  }
  const info: SourceInfo & { datasetInfo: { name: string; source: string; notes: string } } = {
    dataset: 'comext',
    encoding: 'utf-8',
    rowsRead: 0,
    warnings: [],
    datasetInfo: {
      name: 'Eurostat Comext (CN8, monthly, by declarant)',
      source: `Eurostat Comext bulk file ${basename(file)}${member ? ` (${member})` : ''}`,
      notes:
        'VALUE_EUR in EUR; QUANTITY_KG in kg; one cell per statistical procedure (trade mode sp1, sp2 …), summed by queries; 000TOTAL rows are the all-goods product TOTAL',
    },
  };
  const source = archive ? archiveMember(file, member) : file;
  return { info, read: () => readComext(file, source, size, options, info) };
}

interface Counters {
  filtered: number;
  totals: number;
  tradeTypes: Set<string>;
}

async function* readComext(
  file: string,
  source: string | AsyncIterable<Buffer>,
  size: number,
  options: ComextReaderOptions,
  info: SourceInfo,
): AsyncGenerator<ReaderItem> {
  const partners = options.partners?.length ? new Set(options.partners.map((p) => p.toUpperCase())) : undefined;
  const products = options.products?.length ? [...options.products] : undefined;
  const counters: Counters = { filtered: 0, totals: 0, tradeTypes: new Set() };
  let index: Map<string, number> | undefined;
  let n = 0;
  let rowsRead = 0;
  let lastProgress = 0;
  for await (const rec of csvRecords(readLinesWith(source, UTF8), { delimiter: ',' })) {
    if (rec.bytesRead - lastProgress >= PROGRESS_EVERY) {
      lastProgress = rec.bytesRead;
      yield { kind: 'progress', bytesRead: rec.bytesRead, bytesTotal: size };
    }
    if (rec.kind === 'blank') {
      yield { kind: 'blank', line: rec.line };
      continue;
    }
    if (!index) {
      if (rec.kind === 'bad') throw new UserError(`${file}:${rec.line}: cannot read the header (${rec.message})`);
      const header = rec.fields.map((f) => f.trim().toUpperCase());
      index = new Map(header.map((h, i) => [h, i]));
      const missing = REQUIRED.filter((c) => !index!.has(c));
      if (missing.length)
        throw new UserError(
          `${file}: not a Comext bulk file: missing column(s) ${missing.join(', ')} (header: ${header.slice(0, 6).join(',')}…)`,
        );
      n = header.length;
      continue;
    }
    const problem = (code: ProblemCode, message: string, raw: string, field?: string, value?: string): ReaderItem => {
      const p: RowProblem = {
        code,
        severity: 'error',
        message,
        at: field ? { file, line: rec.line, field } : { file, line: rec.line },
        raw,
      };
      if (value !== undefined) p.value = value;
      return { kind: 'problem', problem: p };
    };
    if (rec.kind === 'bad') {
      rowsRead++;
      yield problem(rec.code, rec.message, rec.raw);
      continue;
    }
    const f = rec.fields;
    const idx = index;
    const get = (name: string) => {
      const i = idx.get(name);
      return i === undefined ? '' : (f[i] ?? '').trim();
    };
    // filters first: a row outside them is not read at all (counted, not staged)
    const partner = get('PARTNER');
    let product = get('PRODUCT_NC');
    const total = /^0*TOTAL$/i.test(product);
    if (/^\d{1,8}$/.test(product)) product = product.padStart(8, '0');
    if (
      f.length === n &&
      ((partners && !partners.has(partner.toUpperCase())) ||
        (products && (total || !products.some((p) => product.startsWith(p)))))
    ) {
      counters.filtered++;
      continue;
    }
    rowsRead++;
    info.rowsRead = rowsRead;
    if (f.length !== n) {
      yield problem('wrong-column-count', `expected ${n} fields, found ${f.length}`, rec.raw);
      continue;
    }
    const flowText = get('FLOW');
    const flow = flowText === '1' ? 'M' : flowText === '2' ? 'X' : undefined;
    if (!flow)
      yield problem(
        'bad-flow',
        `FLOW is 1 (import) or 2 (export), not ${JSON.stringify(flowText)}`,
        rec.raw,
        'FLOW',
        flowText,
      );
    else {
      const periodText = get('PERIOD');
      const pm = /^(\d{4})(\d{2})$/.exec(periodText);
      const month = pm ? Number(pm[2]) : 0;
      const period = pm && month >= 1 && month <= 12 ? `${pm[1]}-${pm[2]}` : pm && month === 52 ? pm[1]! : undefined;
      if (!period) {
        yield problem(
          'bad-period',
          `PERIOD is YYYYMM, not ${JSON.stringify(periodText)}`,
          rec.raw,
          'PERIOD',
          periodText,
        );
        continue;
      }
      const value = normaliseDecimal(get('VALUE_EUR'));
      const kg = normaliseDecimal(get('QUANTITY_KG'));
      const supplUnit = get('SUPPL_UNIT');
      const qty = normaliseDecimal(get('QUANTITY_SUPPL_UNIT'));
      if (value === undefined) {
        yield problem('bad-number', 'VALUE_EUR is not a number', rec.raw, 'VALUE_EUR', get('VALUE_EUR'));
        continue;
      }
      if (kg === undefined || qty === undefined) {
        const col = kg === undefined ? 'QUANTITY_KG' : 'QUANTITY_SUPPL_UNIT';
        yield problem('bad-number', `${col} is not a number`, rec.raw, col, get(col));
        continue;
      }
      const tradeType = get('TRADE_TYPE');
      if (tradeType) counters.tradeTypes.add(tradeType);
      if (total) counters.totals++;
      const hasQty = qty !== '' && supplUnit !== '' && !/^NO_SU$/i.test(supplUnit);
      const procedure = get('STAT_PROCEDURE');
      const row: StagedRow = {
        line: rec.line,
        reporter: get('REPORTER'),
        reporterScheme: 'eurostat',
        partner,
        partnerScheme: 'eurostat',
        flow,
        classification: total ? 'TOTAL' : 'CN8',
        product: total ? 'TOTAL' : product,
        period,
        measure: 'value',
        tradeMode: procedure ? `sp${procedure}` : '',
        region: '',
        value,
        unit: 'EUR',
        netWeight: kg,
        weightUnit: kg === '' ? '' : 'kg',
        quantity: hasQty ? qty : '',
        quantityUnit: hasQty ? supplUnit : '',
        flag: 'reported',
        seasonallyAdjusted: false,
        fieldNames: FIELD_NAMES,
      };
      yield { kind: 'row', row };
    }
  }
  if (!index) throw new UserError(`${file}: the file is empty (no header)`);
  yield { kind: 'progress', bytesRead: size, bytesTotal: size };
  summarise(file, info, counters, options);
}

function summarise(file: string, info: SourceInfo, c: Counters, o: ComextReaderOptions): void {
  const w: Problem[] = info.warnings;
  if (c.filtered > 0) {
    const what = [
      o.partners?.length ? `partners ${o.partners.join(',')}` : '',
      o.products?.length ? `products ${o.products.join(',')}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    w.push({
      code: 'comext-filtered',
      severity: 'info',
      message: `${c.filtered} records outside the filter (${what}) were skipped while reading (not loaded, not quarantined)`,
      at: { file },
    });
  }
  if (c.totals > 0)
    w.push({
      code: 'comext-totals',
      severity: 'info',
      message: `${c.totals} all-goods records (PRODUCT_NC 000TOTAL) loaded as product TOTAL, kept apart from the CN8 codes`,
      at: { file },
    });
  const odd = [...c.tradeTypes].filter((t) => t !== 'I' && t !== 'E');
  if (odd.length)
    w.push({
      code: 'comext-trade-type',
      severity: 'warning',
      message: `TRADE_TYPE has values other than I and E: ${odd.join(', ')}`,
      at: { file },
    });
}
