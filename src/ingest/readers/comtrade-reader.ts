/**
 * Reader for UN Comtrade+ (API v1 "get" / bulk) data as CSV or JSON.
 *
 * Columns are found by their header NAME (the 47 names of the Comtrade+ export: typeCode, freqCode,
 * refYear, refMonth, period, reporterCode, flowCode, partnerCode, partner2Code, classificationCode, cmdCode,
 * customsCode, mosCode, motCode, qtyUnitAbbr, qty, isQtyEstimated, netWgt, isNetWgtEstimated,
 * primaryValue, legacyEstimationFlag, isReported, isAggregate …); their order does not matter. Comtrade's
 * CSV export ends every data row with a comma, so a row may have one more field than the header as long as
 * that last field is empty; any other field count is a `wrong-column-count` problem.
 *
 * One Comtrade record → one StagedRow:
 * - reporter / partner: `reporterCode` / `partnerCode`, scheme `comtrade` (842 USA, 0 World, 490 Other Asia nes).
 * - flow: `flowCode` X, M, RX, RM as they are. Comtrade+ also publishes sub-flows — DX (domestic exports)
 *   and FM (foreign imports), and the processing flows XIP/XOP/MIP/MOP (inward/outward processing) and
 *   MIF/XIF — which are parts of X or M; loading them as X or M would count the same trade twice, so such
 *   records are breakdowns (below). Other flow codes are staged as they are and the validator decides.
 * - classification `classificationCode` (H0…H6, S1…S4, B4, EB …), product `cmdCode` as text (TOTAL or digits).
 * - period: `freqCode` A → `refYear` (`2022`); M → `refYear-refMonth` (`2022-06`); when refYear is empty,
 *   the `period` column (2022 / 202206). For annual records Comtrade sets refMonth to 52; it is ignored.
 * - value `primaryValue` in `USD` (exponent notation, as the JSON API may write it, is turned into plain
 *   decimal text exactly, from the text: the JSON is parsed with numbers kept as text, never as floats).
 * - net weight `netWgt` in kg; quantity `qty` in `qtyUnitAbbr` (no quantity when the unit code is -1 / N/A).
 *   Comtrade fills 0 where no weight or quantity is available (all its TOTAL records have netWgt 0), so a
 *   0 weight or quantity on a record with a non-zero value is read as "not reported" (''); the count is
 *   reported in `info.warnings`.
 *
 * Flags. Comtrade+ has no field saying that the trade VALUE is estimated: `isQtyEstimated` and
 * `isNetWgtEstimated` say the quantity / net weight was estimated by UNSD, and `legacyEstimationFlag`
 * repeats this in the coding of the old API's estCode (to our knowledge 0 none, 2 quantity, 4 net weight,
 * 6 both; in the bundled file flag 4 coincides exactly with isNetWgtEstimated). `isReported = false` with
 * `isAggregate = true` means UNSD computed the figure by aggregating the reporter's detailed declarations
 * (e.g. the TOTAL over all commodities) — it is still the reporter's own data. So every row is flagged
 * `reported`, and an estimated weight or quantity is stated in the row's `note`.
 *
 * Breakdown records. A headline cell is a record for partner2 = 0 (World), motCode = 0 (all modes of
 * transport), mosCode = 0 (all modes of supply) and customsCode C00 (all customs procedures), with flow X,
 * M, RX or RM. Records broken down further (by second partner, transport mode, customs procedure, or a
 * sub-flow) cannot be told apart from the headline in a StagedRow, which has no such dimensions: staged,
 * they would be added to the headline and double count. They are therefore not loaded: each one is reported
 * as a RowProblem of severity `info`, code `comtrade-breakdown`, with its raw line (so every line stays
 * accounted for, and the quarantine keeps them), and `info.warnings` has one summary with the count.
 *
 * JSON: the API's `{"data": [{…}, …]}` or a bare array of the same records. The file is read whole (the
 * API returns at most 250,000 records per call; files over 512 MB are refused with a hint to use CSV) and
 * parsed by a small parser that keeps numbers as their source text. For JSON, a row's `line` is the
 * 1-based index of the record within the data array, not a physical line.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Problem, ProblemCode } from '../../util/errors.js';
import { UserError } from '../../util/errors.js';
import { detectEncoding, normaliseEncoding, readLinesWith } from '../encoding.js';
import type { Reader, ReaderItem, RowProblem, SourceInfo, StagedRow } from '../staged-row.js';
import { csvRecords, normaliseDecimal } from './delimited-reader.js';
import { markLast, RecordShape } from './last-record.js';

export interface ComtradeReaderOptions {
  /** `csv` or `json`; by default from the file extension (`.json` → json, else csv). */
  format?: 'csv' | 'json';
  /** Declared encoding (CSV only); detected when absent. */
  encoding?: string;
}

const REQUIRED = [
  'freqCode',
  'reporterCode',
  'flowCode',
  'partnerCode',
  'classificationCode',
  'cmdCode',
  'primaryValue',
] as const;

/** Flows that are parts of X or M (see the module comment). */
const SUB_FLOWS: Record<string, string> = {
  DX: 'domestic exports, part of X',
  FM: 'foreign imports, part of M',
  XIP: 'exports after inward processing',
  XOP: 'exports for outward processing',
  MIP: 'imports for inward processing',
  MOP: 'imports after outward processing',
  XIF: 'exports, intra-firm',
  MIF: 'imports, intra-firm',
};

const PROGRESS_EVERY = 1 << 20;

/** Source column names of the staged fields (for quarantine messages); one shared object. */
const FIELD_NAMES: NonNullable<StagedRow['fieldNames']> = Object.freeze({
  reporter: 'reporterCode',
  partner: 'partnerCode',
  flow: 'flowCode',
  product: 'cmdCode',
  period: 'refYear',
  value: 'primaryValue',
  netWeight: 'netWgt',
  quantity: 'qty',
});
const JSON_MAX_BYTES = 512 * 1024 * 1024;

type Get = (name: string) => string;

/**
 * Opens a Comtrade+ CSV or JSON file.
 * @example const r = await openComtradeReader('TradeData.csv'); for await (const item of r.read()) …
 */
export async function openComtradeReader(file: string, options: ComtradeReaderOptions = {}): Promise<Reader> {
  const format = options.format ?? (/\.json$/i.test(file) ? 'json' : 'csv');
  const size = (await stat(file)).size;
  const info: SourceInfo = { dataset: 'comtrade', rowsRead: 0, warnings: [] };
  const guess =
    options.encoding && options.encoding !== 'auto'
      ? { encoding: normaliseEncoding(options.encoding), bomLength: 0, method: 'declared' }
      : await detectEncoding(file);
  info.encoding = guess.encoding;
  return {
    info,
    read: () => (format === 'json' ? readJson(file, size, guess.encoding, info) : readCsv(file, size, guess, info)),
  };
}

interface Counters {
  breakdowns: number;
  zeroWeight: number;
  zeroQty: number;
}

function summarise(file: string, info: SourceInfo, c: Counters): void {
  const w: Problem[] = info.warnings;
  if (c.breakdowns > 0)
    w.push({
      code: 'comtrade-breakdown',
      severity: 'info',
      message: `${c.breakdowns} records broken down by second partner, transport mode, customs procedure or sub-flow were not loaded (they would double count the headline cells); each is listed as a problem of severity info`,
      at: { file },
    });
  if (c.zeroWeight > 0)
    w.push({
      code: 'comtrade-zero-weight',
      severity: 'info',
      message: `${c.zeroWeight} records have netWgt 0 with a non-zero value: read as "no weight reported"`,
      at: { file },
    });
  if (c.zeroQty > 0)
    w.push({
      code: 'comtrade-zero-quantity',
      severity: 'info',
      message: `${c.zeroQty} records have qty 0 with a non-zero value: read as "no quantity reported"`,
      at: { file },
    });
}

const isZero = (t: string) => /^-?0*(\.0*)?$/.test(t) && t !== '';

/** Turns one record into a row or a problem. */
function convert(get: Get, line: number, raw: string, file: string, c: Counters): ReaderItem {
  const problem = (
    code: ProblemCode,
    message: string,
    field?: string,
    severity: 'error' | 'info' = 'error',
  ): ReaderItem => {
    const p: RowProblem = {
      code,
      severity,
      message,
      at: field ? { file, line, field } : { file, line },
      raw,
    };
    if (field) p.value = get(field);
    return { kind: 'problem', problem: p };
  };

  const flow = get('flowCode').trim();
  const partner2 = get('partner2Code').trim();
  const mot = get('motCode').trim();
  const mos = get('mosCode').trim();
  const customs = get('customsCode').trim();
  const finer: string[] = [];
  if (partner2 !== '' && partner2 !== '0') finer.push(`partner2Code ${partner2}`);
  if (mot !== '' && mot !== '0') finer.push(`motCode ${mot}`);
  if (mos !== '' && mos !== '0') finer.push(`mosCode ${mos}`);
  if (customs !== '' && customs !== 'C00') finer.push(`customsCode ${customs}`);
  const sub = SUB_FLOWS[flow];
  if (sub) finer.push(`flowCode ${flow} (${sub})`);
  if (finer.length > 0) {
    c.breakdowns++;
    return problem(
      'comtrade-breakdown',
      `breakdown record not loaded (${finer.join(', ')}); only totals over second partner, transport mode, supply mode and customs procedure are headline cells`,
      undefined,
      'info',
    );
  }

  const freq = get('freqCode').trim();
  let year = get('refYear').trim();
  let month = get('refMonth').trim();
  const periodText = get('period').trim();
  if (year === '' && /^\d{4}(\d{2})?$/.test(periodText)) {
    year = periodText.slice(0, 4);
    month = periodText.slice(4);
  }
  let period: string;
  if (!/^\d{4}$/.test(year)) return problem('bad-period', `refYear is not a year: ${JSON.stringify(year)}`, 'refYear');
  if (freq === 'A') period = year;
  else if (freq === 'M') {
    if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12)
      return problem('bad-period', `refMonth is not a month: ${JSON.stringify(month)}`, 'refMonth');
    period = `${year}-${month.padStart(2, '0')}`;
  } else return problem('bad-period', `unknown freqCode ${JSON.stringify(freq)} (expected A or M)`, 'freqCode');

  const value = normaliseDecimal(get('primaryValue'));
  if (value === undefined) return problem('bad-number', 'primaryValue is not a number', 'primaryValue');
  let netWeight = normaliseDecimal(get('netWgt'));
  if (netWeight === undefined) return problem('bad-number', 'netWgt is not a number', 'netWgt');
  const qtyUnitCode = get('qtyUnitCode').trim();
  let qtyUnit = get('qtyUnitAbbr').trim();
  if (qtyUnit === 'N/A' || qtyUnitCode === '-1') qtyUnit = '';
  let quantity = normaliseDecimal(get('qty'));
  if (quantity === undefined) return problem('bad-number', 'qty is not a number', 'qty');
  if (qtyUnit === '') quantity = '';

  const valueNonZero = value !== '' && !isZero(value);
  if (netWeight !== '' && isZero(netWeight) && valueNonZero) {
    netWeight = '';
    c.zeroWeight++;
  }
  if (quantity !== '' && isZero(quantity) && valueNonZero) {
    quantity = '';
    c.zeroQty++;
  }
  const notes: string[] = [];
  if (netWeight !== '' && get('isNetWgtEstimated').trim() === 'true') notes.push('net weight estimated by UNSD');
  if (quantity !== '' && get('isQtyEstimated').trim() === 'true') notes.push('quantity estimated by UNSD');

  const row: StagedRow = {
    line,
    reporter: get('reporterCode').trim(),
    reporterScheme: 'comtrade',
    partner: get('partnerCode').trim(),
    partnerScheme: 'comtrade',
    flow,
    classification: get('classificationCode').trim(),
    product: get('cmdCode').trim(),
    period,
    measure: 'value',
    tradeMode: '',
    region: '',
    value,
    unit: 'USD',
    netWeight,
    weightUnit: netWeight === '' ? '' : 'kg',
    quantity,
    quantityUnit: quantity === '' ? '' : qtyUnit,
    flag: 'reported',
    seasonallyAdjusted: false,
    fieldNames: FIELD_NAMES,
  };
  if (notes.length > 0) row.note = notes.join('; ');
  return { kind: 'row', row };
}

async function* readCsv(
  file: string,
  size: number,
  guess: Awaited<ReturnType<typeof detectEncoding>>,
  info: SourceInfo,
): AsyncGenerator<ReaderItem> {
  const counters: Counters = { breakdowns: 0, zeroWeight: 0, zeroQty: 0 };
  let header: string[] | undefined;
  let index = new Map<string, number>();
  let lastProgress = 0;
  let rowsRead = 0;
  const shape = new RecordShape();
  for await (const rec of markLast(csvRecords(readLinesWith(file, guess), { delimiter: ',' }))) {
    if (rec.bytesRead - lastProgress >= PROGRESS_EVERY) {
      lastProgress = rec.bytesRead;
      yield { kind: 'progress', bytesRead: rec.bytesRead, bytesTotal: size };
    }
    if (rec.kind === 'blank') {
      yield { kind: 'blank', line: rec.line };
      continue;
    }
    if (!header) {
      if (rec.kind === 'bad') throw new UserError(`${file}:${rec.line}: cannot read the header (${rec.message})`);
      header = rec.fields.map((f) => f.trim());
      index = new Map(header.map((h, i) => [h, i]));
      const missing = REQUIRED.filter((r) => !index.has(r));
      if (missing.length > 0)
        throw new UserError(
          `${file}: not a Comtrade+ file: missing column(s) ${missing.join(', ')} (header: ${header.slice(0, 8).join(',')}…)`,
        );
      continue;
    }
    rowsRead++;
    info.rowsRead = rowsRead;
    if (rec.kind === 'bad') {
      yield {
        kind: 'problem',
        problem: {
          code: rec.code,
          severity: 'error',
          message: rec.message,
          at: { file, line: rec.line },
          raw: rec.raw,
        },
      };
      continue;
    }
    const truncated = shape.truncation(rec);
    if (truncated) {
      yield {
        kind: 'problem',
        problem: {
          code: 'truncated-record',
          severity: 'error',
          message: truncated,
          at: { file, line: rec.line },
          raw: rec.raw,
        },
      };
      continue;
    }
    const n = header.length;
    const f = rec.fields;
    if (!(f.length === n || (f.length === n + 1 && f[n] === ''))) {
      yield {
        kind: 'problem',
        problem: {
          code: 'wrong-column-count',
          severity: 'error',
          message: `expected ${n} fields (or ${n + 1} with an empty last one), found ${f.length}`,
          at: { file, line: rec.line },
          raw: rec.raw,
        },
      };
      continue;
    }
    const get: Get = (name) => {
      const i = index.get(name);
      return i === undefined ? '' : (f[i] ?? '');
    };
    yield convert(get, rec.line, rec.raw, file, counters);
  }
  if (!header) throw new UserError(`${file}: the file is empty (no header)`);
  yield { kind: 'progress', bytesRead: size, bytesTotal: size };
  summarise(file, info, counters);
}

async function* readJson(file: string, size: number, encoding: string, info: SourceInfo): AsyncGenerator<ReaderItem> {
  if (size > JSON_MAX_BYTES)
    throw new UserError(`${file}: JSON files over 512 MB are not supported; download the data as CSV instead`);
  const bytes = await readFile(file);
  const enc = normaliseEncoding(encoding);
  const text =
    enc === 'utf-8' ? bytes.toString('utf8') : (await import('iconv-lite')).default.decode(bytes, enc).toString();
  let doc: JsonValue;
  try {
    doc = parseJsonKeepNumbers(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  let data: JsonValue;
  if (Array.isArray(doc.v)) data = doc;
  else if (doc.v && typeof doc.v === 'object' && !(doc.v instanceof JsonNumber)) {
    const obj = doc.v as Record<string, JsonValue>;
    const err = obj.error?.v;
    if (typeof err === 'string' && err !== '')
      info.warnings.push({
        code: 'comtrade-api-error',
        severity: 'warning',
        message: `the API response says: ${err}`,
        at: { file },
      });
    const d = obj.data;
    if (!d || !Array.isArray(d.v))
      throw new UserError(`${file}: a Comtrade JSON file has a "data" array or is an array`);
    data = d;
  } else throw new UserError(`${file}: a Comtrade JSON file has a "data" array or is an array`);

  const counters: Counters = { breakdowns: 0, zeroWeight: 0, zeroQty: 0 };
  const records = data.v as JsonValue[];
  let rowsRead = 0;
  for (let i = 0; i < records.length; i++) {
    const line = i + 1;
    const r = records[i]!;
    const raw = text.slice(r.start, r.end);
    rowsRead++;
    info.rowsRead = rowsRead;
    if (!r.v || typeof r.v !== 'object' || Array.isArray(r.v) || r.v instanceof JsonNumber) {
      yield {
        kind: 'problem',
        problem: {
          code: 'bad-record',
          severity: 'error',
          message: 'a data element is not an object',
          at: { file, line },
          raw,
        },
      };
      continue;
    }
    const obj = r.v as Record<string, JsonValue>;
    if (i === 0) {
      const missing = REQUIRED.filter((k) => !(k in obj));
      if (missing.length > 0)
        throw new UserError(`${file}: not Comtrade+ records: missing key(s) ${missing.join(', ')}`);
    }
    const get: Get = (name) => scalarText(obj[name]?.v);
    yield convert(get, line, raw, file, counters);
  }
  yield { kind: 'progress', bytesRead: size, bytesTotal: size };
  summarise(file, info, counters);
}

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

type JsonScalar = string | boolean | null | JsonNumber;
/** A parsed JSON value with its source span. */
export interface JsonValue {
  v: JsonScalar | JsonValue[] | { [key: string]: JsonValue };
  start: number;
  end: number;
}

function scalarText(v: JsonValue['v'] | undefined): string {
  if (v === undefined || v === null) return '';
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Parses JSON keeping numbers as text ({@link JsonNumber}) and every value's source span. */
export function parseJsonKeepNumbers(text: string): JsonValue {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}`);
  };
  const value = (): JsonValue => {
    ws();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, JsonValue> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return { v: obj, start, end: i };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        obj[k] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { v: obj, start, end: i };
        }
        fail('expected , or }');
      }
    }
    if (ch === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { v: arr, start, end: i };
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { v: arr, start, end: i };
        }
        fail('expected , or ]');
      }
    }
    if (ch === '"') return { v: str(), start, end: i };
    if (text.startsWith('true', i)) {
      i += 4;
      return { v: true, start, end: i };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { v: false, start, end: i };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { v: null, start, end: i };
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (!r || r[0] === '' || r[0] === '-') return fail('unexpected character');
    i += r[0].length;
    return { v: new JsonNumber(r[0]), start, end: i };
  };
  const str = (): string => {
    // text[i] is the opening quote; find the closing one, skipping escapes.
    const start = i;
    let j = i + 1;
    let escaped = false;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) fail('unterminated string');
      let k = q - 1;
      let bs = 0;
      while (text[k] === '\\') {
        bs++;
        k--;
      }
      if (bs > 0) escaped = true;
      if (bs % 2 === 0) {
        i = q + 1;
        const body = text.slice(start + 1, q);
        return escaped || body.includes('\\') ? (JSON.parse(text.slice(start, q + 1)) as string) : body;
      }
      j = q + 1;
    }
  };
  const v = value();
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return v;
}
