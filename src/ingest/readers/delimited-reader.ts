/**
 * Reader for any delimited file (CSV, semicolon, tab …) described by a mapping file (see
 * `../mapping-file.ts` and `mappings/README.md`), plus the record splitter and number normalisation that
 * the other readers share.
 *
 * Reading: the file is streamed line by line (`readLines`), split into records by a small RFC 4180 splitter
 * (quote doubling, quoted delimiters, quoted fields spanning lines). A record keeps the number of the
 * physical line it starts on. A quote left open may run over at most `maxLinesPerRecord` lines; past that
 * (or at the end of the file) the first line is reported as `unterminated-quote` and the following lines
 * are read again as records of their own, so one stray quote never swallows the rest of a file.
 *
 * Every line is accounted for:
 * - lines before the header line: blank → `blank`; others → a problem of severity `info`, code `preamble`;
 * - a data record whose field count is not the header's (or the header's + 1 with an empty last field when
 *   the mapping says `trailingDelimiter: true`) → `wrong-column-count`;
 * - a record whose fixed fields cannot be read (period, flag, a mapped code, an `ignore.expect` check, the
 *   weight or quantity) → one problem for the record, no rows;
 * - otherwise one StagedRow per value column; a value cell that is not a number is a `bad-number` problem
 *   naming that column, while the record's other value cells are still staged. An empty cell (or one of
 *   `numbers.missing`) is staged with value '' and the validator decides.
 */
import { stat } from 'node:fs/promises';
import { type ProblemCode, UserError } from '../../util/errors.js';
import { detectEncoding, type EncodingGuess, normaliseEncoding, readLinesWith, type TextLine } from '../encoding.js';
import { loadMapping, type Mapping } from '../mapping-file.js';
import type { Reader, ReaderItem, RowFlag, RowProblem, SourceInfo, StagedRow } from '../staged-row.js';
import { normaliseDecimal } from './decimal-text.js';
import { markLast, RecordShape } from './last-record.js';

export { type NumberFormat, normaliseDecimal } from './decimal-text.js';

export type CsvItem =
  | { kind: 'record'; line: number; fields: string[]; raw: string; bytesRead: number; unterminated?: true; last?: true }
  | { kind: 'blank'; line: number; bytesRead: number }
  | { kind: 'bad'; line: number; raw: string; code: ProblemCode; message: string; bytesRead: number };

export interface CsvOptions {
  delimiter: string;
  quote?: string;
  maxLinesPerRecord?: number;
}

/** Splits one record's text; `undefined` when a quoted field is still open at the end. */
export function splitRecord(text: string, delimiter: string, quote = '"'): string[] | undefined {
  if (!text.includes(quote)) return text.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  const dl = delimiter.length;
  for (;;) {
    if (text.startsWith(quote, i)) {
      // Quoted field: up to the closing quote; doubled quotes stand for one.
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf(quote, j);
        if (q < 0) return undefined;
        value += text.slice(j, q);
        if (text[q + 1] === quote) {
          value += quote;
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Text after the closing quote up to the delimiter is kept (lenient: `"a"b` → `ab`).
      const d = text.indexOf(delimiter, j);
      const end = d < 0 ? n : d;
      value += text.slice(j, end);
      fields.push(value);
      if (d < 0) return fields;
      i = d + dl;
    } else {
      const d = text.indexOf(delimiter, i);
      if (d < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, d));
      i = d + dl;
    }
  }
}

/** Chooses among `,` `;` tab and `|` by counting them (outside quotes) in a header line. */
export function sniffDelimiter(headerText: string): string {
  const unquoted = headerText.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const c = unquoted.split(d).length - 1;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Turns numbered lines into records. Blank lines (empty or whitespace only) come out as `blank`; lines
 * invalid in their encoding as `bad` with code `bad-encoding` and the raw bytes escaped.
 */
export async function* csvRecords(lines: AsyncIterable<TextLine>, options: CsvOptions): AsyncGenerator<CsvItem> {
  const record = (line: number, fields: string[], raw: string, end: TextLine): CsvItem =>
    end.unterminated
      ? { kind: 'record', line, fields, raw, bytesRead: end.bytesRead, unterminated: true }
      : { kind: 'record', line, fields, raw, bytesRead: end.bytesRead };
  const quote = options.quote ?? '"';
  const maxLines = options.maxLinesPerRecord ?? 20;
  let pending: TextLine[] = [];

  function* drain(final: boolean): Generator<CsvItem> {
    // pending[0] opened a quote that the lines so far did not close.
    while (pending.length > 0) {
      const first = pending[0]!;
      let joined = first.text;
      let closedAt = -1;
      let fields: string[] | undefined;
      for (let k = 1; k < pending.length; k++) {
        joined += `\n${pending[k]!.text}`;
        fields = splitRecord(joined, options.delimiter, quote);
        if (fields) {
          closedAt = k;
          break;
        }
      }
      if (fields && closedAt >= 0) {
        const last = pending[closedAt]!;
        yield record(first.line, fields, joined, last);
        pending = pending.slice(closedAt + 1);
        continue;
      }
      if (!final && pending.length < maxLines) return;
      yield {
        kind: 'bad',
        line: first.line,
        raw: first.text,
        code: 'unterminated-quote',
        message:
          final && pending.length < maxLines
            ? 'the file ends inside a quoted field opened on this line (a truncated last line?)'
            : `a quoted field opened on this line is not closed within ${maxLines} lines`,
        bytesRead: first.bytesRead,
      };
      const rest = pending.slice(1);
      pending = [];
      for (const l of rest) yield* one(l);
    }
  }

  function* one(l: TextLine): Generator<CsvItem> {
    if (pending.length > 0) {
      pending.push(l);
      yield* drain(false);
      return;
    }
    if (l.invalid) {
      yield {
        kind: 'bad',
        line: l.line,
        raw: l.escaped ?? l.text,
        code: 'bad-encoding',
        message: 'the line has bytes that are not valid UTF-8',
        bytesRead: l.bytesRead,
      };
      return;
    }
    if (l.text.trim() === '') {
      yield { kind: 'blank', line: l.line, bytesRead: l.bytesRead };
      return;
    }
    const fields = splitRecord(l.text, options.delimiter, quote);
    if (fields) {
      yield record(l.line, fields, l.text, l);
      return;
    }
    pending.push(l);
  }

  const { delimiter } = options;
  for await (const l of lines) {
    if (pending.length === 0 && !l.invalid) {
      // Fast path for the common line (no generator per line).
      const text = l.text;
      if (text === '' || text.trim() === '') {
        yield { kind: 'blank', line: l.line, bytesRead: l.bytesRead };
        continue;
      }
      const fields = splitRecord(text, delimiter, quote);
      if (fields) {
        yield record(l.line, fields, text, l);
        continue;
      }
    }
    yield* one(l);
  }
  yield* drain(true);
}

export interface DelimitedReaderOptions {
  /** Path of the mapping file (YAML or JSON). */
  mapping: string;
  /** Dataset id; defaults to the mapping's `dataset.id`. */
  dataset?: string;
}

const PROGRESS_EVERY = 1 << 20;

/**
 * Opens a delimited file with a mapping.
 * @example const r = await openDelimitedReader('usa.csv', { mapping: 'mappings/census-usa-china.yaml' })
 */
export async function openDelimitedReader(file: string, opts: DelimitedReaderOptions): Promise<Reader> {
  const mapping = await loadMapping(opts.mapping);
  return openDelimitedReaderWith(file, mapping, opts.dataset);
}

/** {@link openDelimitedReader} with a mapping already loaded. */
export async function openDelimitedReaderWith(file: string, mapping: Mapping, dataset?: string): Promise<Reader> {
  const size = (await stat(file)).size;
  const guess: EncodingGuess =
    mapping.file.encoding !== 'auto'
      ? { encoding: normaliseEncoding(mapping.file.encoding), bomLength: 0, method: 'declared' }
      : await detectEncoding(file);
  const info: SourceInfo = {
    encoding: guess.encoding,
    dataset: dataset ?? mapping.dataset.id,
    rowsRead: 0,
    warnings: mapping.ignore.map((ig) => ({
      code: 'column-ignored',
      severity: 'info' as const,
      message: `column ${JSON.stringify(ig.column)} not loaded: ${ig.note}`,
      at: { file, field: ig.column },
    })),
  };
  if (mapping.dataset.vintage) {
    info.vintage = mapping.dataset.vintage;
    info.vintageSource = `mapping ${mapping.source}`;
  }
  return { info, read: () => readDelimited(file, size, guess, mapping, info) };
}

/** Reads the header line's text (for delimiter sniffing). */
async function headerText(file: string, guess: EncodingGuess, headerLine: number): Promise<string> {
  for await (const l of readLinesWith(file, guess)) if (l.line === headerLine) return l.text;
  throw new UserError(`${file}: the file has no line ${headerLine} (the mapping's header line)`);
}

/** Receives each rewrite of numbers.shortestRoundTrip: where it stood, the text and what it became. */
type RewriteSink = (line: number, column: string, from: string, to: string) => void;

async function* readDelimited(
  file: string,
  size: number,
  guess: EncodingGuess,
  m: Mapping,
  info: SourceInfo,
): AsyncGenerator<ReaderItem> {
  let delimiter = m.file.delimiter === 'tab' ? '\t' : m.file.delimiter;
  if (delimiter === 'auto') delimiter = sniffDelimiter(await headerText(file, guess, m.file.header));

  let index: Map<string, number> | undefined;
  let n = 0;
  let rowsRead = 0;
  let lastProgress = 0;
  let convert: Converter | undefined;
  const at = (line: number, field?: string) => (field === undefined ? { file, line } : { file, line, field });
  const problem = (line: number, raw: string, code: ProblemCode, message: string, field?: string, value?: string) => {
    const p: RowProblem = { code, severity: 'error', message, at: at(line, field), raw };
    if (value !== undefined) p.value = value;
    return { kind: 'problem' as const, problem: p };
  };

  const shape = new RecordShape(m.file.quote);
  for await (const rec of markLast(csvRecords(readLinesWith(file, guess), { delimiter, quote: m.file.quote }))) {
    if (rec.bytesRead - lastProgress >= PROGRESS_EVERY) {
      lastProgress = rec.bytesRead;
      yield { kind: 'progress', bytesRead: rec.bytesRead, bytesTotal: size };
    }
    if (rec.kind === 'blank') {
      yield { kind: 'blank', line: rec.line };
      continue;
    }
    if (!index) {
      if (rec.line < m.file.header) {
        yield {
          kind: 'problem',
          problem: {
            code: 'preamble',
            severity: 'info',
            message: `line before the header (line ${m.file.header}): not data`,
            at: at(rec.line),
            raw: rec.raw,
          },
        };
        continue;
      }
      if (rec.kind === 'bad') throw new UserError(`${file}:${rec.line}: cannot read the header (${rec.message})`);
      const header = rec.fields.map((f) => f.trim());
      index = resolveHeader(header, m, file);
      convert = makeConverter(
        m,
        index,
        m.numbers.shortestRoundTrip
          ? (line, column, from, to) =>
              info.warnings.push({
                code: 'rewritten-number',
                severity: 'info',
                message: `${from} read as ${to}: the shortest decimal of the same double (numbers.shortestRoundTrip)`,
                at: { file, line, field: column },
                value: from,
              })
          : undefined,
      );
      n = header.length;
      continue;
    }
    rowsRead++;
    info.rowsRead = rowsRead;
    if (rec.kind === 'bad') {
      yield problem(rec.line, rec.raw, rec.code, rec.message);
      continue;
    }
    const truncated = shape.truncation(rec);
    if (truncated) {
      yield problem(rec.line, rec.raw, 'truncated-record', truncated);
      continue;
    }
    const f = rec.fields;
    if (!(f.length === n || (m.file.trailingDelimiter && f.length === n + 1 && f[n]!.trim() === ''))) {
      yield problem(
        rec.line,
        rec.raw,
        'wrong-column-count',
        `expected ${n} fields${m.file.trailingDelimiter ? ` (or ${n + 1} with an empty last one)` : ''}, found ${f.length}`,
      );
      continue;
    }
    for (const item of convert!(f, rec.line, rec.raw, file)) yield item;
  }
  if (!index) throw new UserError(`${file}: no header line (line ${m.file.header}) found`);
  yield { kind: 'progress', bytesRead: size, bytesTotal: size };
}

/** Maps header names to indexes; checks that every column is used or ignored, and every reference exists. */
function resolveHeader(header: string[], m: Mapping, file: string): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const refs: [string, string][] = [];
  const add = (path: string, col: string | undefined) => {
    if (col !== undefined) refs.push([path, col]);
  };
  add('reporter.column', m.reporter.column);
  add('partner.column', m.partner.column);
  add('flow.column', m.flow?.column);
  add('period.column', m.period.column);
  add('product.column', m.product.column);
  m.values.forEach((v, i) => {
    add(`values.${i}.column`, v.column);
  });
  add('weight.column', m.weight?.column);
  add('quantity.column', m.quantity?.column);
  add('flag.column', m.flag?.column);
  add('tradeMode.column', m.tradeMode?.column);
  add('region.column', m.region?.column);
  m.ignore.forEach((ig, i) => {
    add(`ignore.${i}.column`, ig.column);
  });
  const errors: string[] = [];
  for (const [path, col] of refs)
    if (!index.has(col)) errors.push(`${path}: no column ${JSON.stringify(col)} in the header of ${file}`);
  const used = new Set(refs.map(([, col]) => col));
  for (const h of header)
    if (!used.has(h)) errors.push(`column ${JSON.stringify(h)} of ${file} is neither used nor listed under ignore`);
  const dupes = header.filter((h, i) => header.indexOf(h) !== i && used.has(h));
  for (const d of new Set(dupes)) errors.push(`column ${JSON.stringify(d)} appears twice in the header of ${file}`);
  if (errors.length > 0)
    throw new UserError(
      `mapping ${m.source} does not fit ${file}:\n${errors.map((e) => `  ${m.source}: ${e}`).join('\n')}`,
      errors.map((e) => ({
        code: 'mapping-mismatch',
        severity: 'error',
        message: e,
        at: { file: m.source },
      })),
    );
  return index;
}

class RecordError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly field: string,
    readonly value: string,
  ) {
    super(message);
  }
}

type FieldSpec = {
  value?: string | undefined;
  column?: string | undefined;
  map?: Record<string, string> | undefined;
};

/** Compiles a fixed-or-column field into a function of the record's fields (closures made once per file). */
function compileField(spec: FieldSpec, index: Map<string, number>, path: string): (fields: string[]) => string {
  if (spec.value !== undefined) {
    const v = spec.value;
    return () => v;
  }
  const col = spec.column!;
  const i = index.get(col)!;
  const map = spec.map;
  if (!map) return (fields) => (fields[i] ?? '').trim();
  return (fields) => {
    const text = (fields[i] ?? '').trim();
    const mapped = map[text];
    if (mapped === undefined)
      throw new RecordError(
        'unmapped-value',
        `${path}: ${JSON.stringify(text)} is not in the mapping's map`,
        col,
        text,
      );
    return mapped;
  };
}

type Converter = (fields: string[], line: number, raw: string, file: string) => ReaderItem[];

/** Builds the function turning one record into rows and problems (see the module comment). */
function makeConverter(m: Mapping, index: Map<string, number>, onRewrite?: RewriteSink): Converter {
  const col = (name: string) => index.get(name)!;
  const reporter = compileField(m.reporter, index, 'reporter');
  const partner = compileField(m.partner, index, 'partner');
  const tradeMode = m.tradeMode ? compileField(m.tradeMode, index, 'tradeMode') : () => '';
  const region = m.region ? compileField(m.region, index, 'region') : () => '';
  const flowField = m.flow ? compileField(m.flow, index, 'flow') : undefined;
  const productField = compileField(m.product, index, 'product');
  const padTo = m.product.padTo;
  const expects = m.ignore
    .filter((ig) => ig.expect !== undefined)
    .map((ig) => ({
      i: col(ig.column),
      column: ig.column,
      expect: typeof ig.expect === 'string' ? [ig.expect] : ig.expect!,
    }));
  const periodCol = m.period.column !== undefined ? col(m.period.column) : -1;
  const parsePeriod = m.parsePeriod;
  const fixedPeriod = m.period.value ?? '';
  const flagSpec = m.flag;
  const flagCol = flagSpec?.column !== undefined ? col(flagSpec.column) : -1;
  // where the number being read stands, for the list of shortestRoundTrip rewrites
  let here = { line: 0, column: '' };
  const numbers = onRewrite
    ? { ...m.numbers, onRewrite: (from: string, to: string) => onRewrite(here.line, here.column, from, to) }
    : m.numbers;
  const weightCol = m.weight ? col(m.weight.column) : -1;
  const qtyCol = m.quantity ? col(m.quantity.column) : -1;
  const weightUnit = m.weight?.unit ?? '';
  const qtyUnit = m.quantity?.unit ?? '';
  // Source column names of the staged fields (for quarantine messages): one shared object per value column.
  const common: NonNullable<StagedRow['fieldNames']> = {};
  if (m.reporter.column !== undefined) common.reporter = m.reporter.column;
  if (m.partner.column !== undefined) common.partner = m.partner.column;
  if (m.flow?.column !== undefined) common.flow = m.flow.column;
  if (m.product.column !== undefined) common.product = m.product.column;
  if (m.period.column !== undefined) common.period = m.period.column;
  if (m.region?.column !== undefined) common.region = m.region.column;
  if (m.weight) common.netWeight = m.weight.column;
  if (m.quantity) common.quantity = m.quantity.column;
  const values = m.values.map((v) => ({
    ...v,
    i: col(v.column),
    fieldNames: Object.freeze({ ...common, value: v.column }),
  }));
  const num = (fields: string[], i: number, name: string): string => {
    const t = fields[i] ?? '';
    if (onRewrite) here = { line: here.line, column: name };
    const v = normaliseDecimal(t, numbers);
    if (v === undefined) throw new RecordError('bad-number', 'not a number', name, t);
    return v;
  };
  const problem = (file: string, line: number, raw: string, e: RecordError): ReaderItem => ({
    kind: 'problem',
    problem: {
      code: e.code,
      severity: 'error',
      message: `${e.field}: ${e.message}`,
      at: { file, line, field: e.field },
      raw,
      value: e.value,
    },
  });

  return (fields, line, raw, file) => {
    if (onRewrite) here = { line, column: '' };
    const out: ReaderItem[] = [];
    let base: Omit<StagedRow, 'flow' | 'value' | 'unit' | 'measure'>;
    let sharedFlow: string | RecordError | undefined;
    try {
      for (const x of expects) {
        const t = (fields[x.i] ?? '').trim();
        if (!x.expect.includes(t))
          throw new RecordError(
            'unexpected-value',
            `expected ${x.expect.map((e) => JSON.stringify(e)).join(' or ')}`,
            x.column,
            t,
          );
      }
      let period = fixedPeriod;
      if (parsePeriod) {
        const t = fields[periodCol] ?? '';
        const p = parsePeriod(t);
        if (p === undefined)
          throw new RecordError('bad-period', `not a period in the format ${m.period.format}`, m.period.column!, t);
        period = p;
      }
      let product = productField(fields);
      if (padTo && product.length < padTo && /^\d+$/.test(product)) product = product.padStart(padTo, '0');
      let flag: RowFlag = 'reported';
      if (flagSpec) {
        if (flagSpec.value) flag = flagSpec.value;
        else {
          const t = (fields[flagCol] ?? '').trim();
          if (t === '') flag = flagSpec.default;
          else {
            const f = flagSpec.map?.[t];
            if (!f) throw new RecordError('unknown-flag', 'flag text not in the mapping', flagSpec.column!, t);
            flag = f;
          }
        }
      }
      const netWeight = weightCol >= 0 ? num(fields, weightCol, m.weight!.column) : '';
      const quantity = qtyCol >= 0 ? num(fields, qtyCol, m.quantity!.column) : '';
      base = {
        line,
        reporter: reporter(fields),
        reporterScheme: m.reporter.scheme,
        partner: partner(fields),
        partnerScheme: m.partner.scheme,
        classification: m.product.classification,
        product,
        period,
        tradeMode: tradeMode(fields),
        region: region(fields),
        netWeight,
        weightUnit: netWeight === '' ? '' : weightUnit,
        quantity,
        quantityUnit: quantity === '' ? '' : qtyUnit,
        flag,
        seasonallyAdjusted: m.seasonallyAdjusted,
      };
    } catch (e) {
      if (e instanceof RecordError) {
        out.push(problem(file, line, raw, e));
        return out;
      }
      throw e;
    }
    if (flowField) {
      try {
        sharedFlow = flowField(fields);
      } catch (e) {
        if (!(e instanceof RecordError)) throw e;
        sharedFlow = e;
      }
    }
    for (const v of values) {
      const t = fields[v.i] ?? '';
      if (onRewrite) here = { line, column: v.column };
      const value = normaliseDecimal(t, numbers);
      if (value === undefined) {
        out.push(problem(file, line, raw, new RecordError('bad-number', 'not a number', v.column, t)));
        continue;
      }
      const flow = v.flow ?? sharedFlow;
      if (flow instanceof RecordError) {
        out.push(problem(file, line, raw, flow));
        return out;
      }
      // An explicit literal, not `{ ...base, … }`: V8 makes spread-plus-extra-keys objects ~1000× slower.
      const row: StagedRow = {
        line: base.line,
        reporter: base.reporter,
        reporterScheme: base.reporterScheme,
        partner: base.partner,
        partnerScheme: base.partnerScheme,
        flow: flow ?? '',
        classification: base.classification,
        product: base.product,
        period: base.period,
        measure: v.measure,
        tradeMode: base.tradeMode,
        region: base.region,
        value,
        unit: v.unit,
        netWeight: base.netWeight,
        weightUnit: base.weightUnit,
        quantity: base.quantity,
        quantityUnit: base.quantityUnit,
        flag: base.flag,
        seasonallyAdjusted: base.seasonallyAdjusted,
        fieldNames: v.fieldNames,
      };
      out.push({ kind: 'row', row });
    }
    return out;
  };
}
