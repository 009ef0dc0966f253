/**
 * Reading a user's rate file (daily or monthly) into a {@link RateSeries}, with a quarantine.
 *
 * A rate file is delimited text with a date column and one column per currency, e.g. the IMF's
 * `Date;CNY;JPY;KRW;USD` with dates like `02-Jan-2001`. Empty cells are gaps (no observation that day).
 * A row with a bad value is quarantined whole — line, field, raw value and reason — and none of its values
 * is used: a bad date, a value that is not a positive decimal, a wrong number of fields, a repeated date, or
 * a base column (USD in a per-USD file) that is not 1. Quoted fields are not supported (rate files have none).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FxQuarantineRow } from '../store/duckdb/fx-store.js';
import { UserError } from '../util/errors.js';
import {
  decText,
  invertRate,
  parseDec,
  type Quotation,
  RATE_SCALE,
  type RatePoint,
  type RateSeries,
  ratioSignificant,
} from './rates.js';

export const DATE_FORMATS = ['DD-MMM-YYYY', 'YYYY-MM-DD', 'YYYY-MM', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYYMMDD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const quotation = z.enum(['per-usd', 'usd-per-unit']);

/** How to read a rate file. Every field is optional; the defaults read the IMF file as it is. */
export const RateFileMappingSchema = z.object({
  /** Field delimiter; default: the first of `;`, tab, `,` found in the header. */
  delimiter: z.string().min(1).optional(),
  /** Date column header; default: the first column. */
  dateColumn: z.string().optional(),
  /** Default: recognised from the first data row. */
  dateFormat: z.enum(DATE_FORMATS).optional(),
  /** Column header → ISO 4217 code; default: every other column whose header is a 3-letter code. */
  currencies: z.record(z.string(), z.string().regex(/^[A-Za-z]{3}$/)).optional(),
  /** `per-usd` (units per 1 USD, default) or `usd-per-unit`; or per ISO code. */
  quotation: z.union([quotation, z.record(z.string(), quotation)]).optional(),
  /**
   * The currency the file quotes against, when not USD: `EUR` for the ECB's reference rates (`Date,USD,JPY,…` in
   * units per 1 EUR). Each rate is then turned into units per USD through the file's own USD column
   * (X per USD = X per EUR ÷ USD per EUR; EUR per USD = 1 ÷ USD per EUR), 12 significant digits, half-even.
   */
  base: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
  /** Cell texts meaning "no observation" besides the empty cell (the ECB writes `N/A`). */
  missing: z.array(z.string()).optional(),
  /** Default: daily when dates have a day, monthly for `YYYY-MM`. */
  frequency: z.enum(['daily', 'monthly']).optional(),
  name: z.string().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
});
export type RateFileMapping = z.infer<typeof RateFileMappingSchema>;

export interface RateFileCounts {
  /** Data rows read (header and blank lines excluded). */
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  blankLines: number;
  /** Values stored (currency × period). */
  values: number;
  /** Empty cells: days without an observation for a currency. */
  gaps: number;
}

export interface ParsedRateFile {
  series: RateSeries;
  quarantine: FxQuarantineRow[];
  counts: RateFileCounts;
  /** The file's quotation as declared, for the record (`per-usd`, `usd-per-unit`, or `EUR:usd-per-unit,…`). */
  fileQuotation: string;
  /** The mapping after defaults were filled in. */
  mapping: Required<Pick<RateFileMapping, 'delimiter' | 'dateColumn' | 'dateFormat' | 'currencies' | 'frequency'>>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Parses a date in `format` to yyyymmdd (yyyymm for `YYYY-MM`), or undefined. */
export function parseRateDate(text: string, format: DateFormat): number | undefined {
  const t = text.trim();
  let y: number;
  let m: number;
  let d = 0;
  let r: RegExpExecArray | null;
  switch (format) {
    case 'DD-MMM-YYYY':
      r = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(t);
      if (!r) return undefined;
      [d, m, y] = [Number(r[1]), MONTHS.indexOf(r[2]!.toLowerCase()) + 1, Number(r[3])];
      break;
    case 'YYYY-MM-DD':
      r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
      if (!r) return undefined;
      [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
      break;
    case 'YYYYMMDD':
      r = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
      if (!r) return undefined;
      [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
      break;
    case 'YYYY-MM':
      r = /^(\d{4})-(\d{2})$/.exec(t);
      if (!r) return undefined;
      [y, m] = [Number(r[1]), Number(r[2])];
      break;
    case 'DD/MM/YYYY':
    case 'MM/DD/YYYY':
      r = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
      if (!r) return undefined;
      y = Number(r[3]);
      [d, m] = format === 'DD/MM/YYYY' ? [Number(r[1]), Number(r[2])] : [Number(r[2]), Number(r[1])];
      break;
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12) return undefined;
  if (format === 'YYYY-MM') return y * 100 + m;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > last) return undefined;
  return (y * 100 + m) * 100 + d;
}

function sniffDateFormat(sample: string): DateFormat | undefined {
  const t = sample.trim();
  if (/^\d{1,2}-[A-Za-z]{3}-\d{4}$/.test(t)) return 'DD-MMM-YYYY';
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return 'YYYY-MM-DD';
  if (/^\d{4}-\d{2}$/.test(t)) return 'YYYY-MM';
  if (/^\d{8}$/.test(t)) return 'YYYYMMDD';
  return undefined; // DD/MM vs MM/DD cannot be told from one row: the mapping must say
}

/** Reads a mapping file (YAML or JSON) and checks it. */
export function readRateMapping(path: string): RateFileMapping {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UserError(`cannot read rate mapping ${path}: ${(e as Error).message.split('\n')[0]}`, [], { cause: e });
  }
  const r = RateFileMappingSchema.safeParse(raw ?? {});
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({
      code: 'bad-mapping' as const,
      severity: 'error' as const,
      message: `${i.path.join('.') || '(root)'}: ${i.message}`,
      at: { file: path },
    }));
    throw new UserError(`invalid rate mapping ${path}: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return r.data;
}

/**
 * Parses a rate file. Throws a {@link UserError} when the file itself is unusable (no header, no date
 * column, no currency column, an unrecognised date format); bad rows go to the quarantine.
 * @example parseRateFile(text, {}, { id: 'imf-daily', file: 'exchange-rates.csv' })
 */
export function parseRateFile(
  text: string,
  mapping: RateFileMapping,
  meta: { id: string; file: string },
): ParsedRateFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  if (headerLine.trim() === '') throw new UserError(`${meta.file}: no header line`);
  const delimiter = mapping.delimiter ?? [';', '\t', ','].find((d) => headerLine.includes(d)) ?? ',';
  const header = splitRow(headerLine, delimiter);
  const dateColumn = mapping.dateColumn ?? header[0]!;
  const dateIdx = header.indexOf(dateColumn);
  if (dateIdx < 0) throw new UserError(`${meta.file}: no date column ${JSON.stringify(dateColumn)} in the header`);
  const currencies =
    mapping.currencies ??
    Object.fromEntries(header.filter((h, i) => i !== dateIdx && /^[A-Za-z]{3}$/.test(h)).map((h) => [h, h]));
  const columns = Object.entries(currencies).map(([col, code]) => {
    const idx = header.indexOf(col);
    if (idx < 0) throw new UserError(`${meta.file}: no column ${JSON.stringify(col)} in the header`);
    return { col, idx, code: code.toUpperCase() };
  });
  if (columns.length === 0) throw new UserError(`${meta.file}: no currency column (name them in the mapping)`);
  const firstData = lines.slice(1).find((l) => l.trim() !== '');
  const dateFormat =
    mapping.dateFormat ?? (firstData ? sniffDateFormat(splitRow(firstData, delimiter)[dateIdx] ?? '') : undefined);
  if (!dateFormat) {
    throw new UserError(
      `${meta.file}: cannot tell the date format (set dateFormat: one of ${DATE_FORMATS.join(', ')})`,
    );
  }
  const frequency = mapping.frequency ?? (dateFormat === 'YYYY-MM' ? 'monthly' : 'daily');
  const quoteOf = (code: string): Quotation =>
    typeof mapping.quotation === 'string' ? mapping.quotation : (mapping.quotation?.[code] ?? 'per-usd');
  const quoteBase = (mapping.base ?? 'USD').toUpperCase();
  // USD per USD must be 1: a base column that is not is a corrupt row
  const base = quoteBase === 'USD' ? columns.find((c) => c.code === 'USD') : undefined;
  // a file quoted against another currency (the ECB's, per EUR): its USD column is the rate of the base
  const usdOfBase = quoteBase === 'USD' ? undefined : columns.find((c) => c.code === 'USD');
  if (quoteBase !== 'USD' && !usdOfBase)
    throw new UserError(`${meta.file}: rates per ${quoteBase} need a USD column to turn them into rates per USD`);
  if (quoteBase !== 'USD' && columns.some((c) => c.code === quoteBase))
    throw new UserError(`${meta.file}: a file quoted per ${quoteBase} has no ${quoteBase} column of its own`);
  if (quoteBase !== 'USD' && mapping.quotation) throw new UserError(`${meta.file}: give base or quotation, not both`);
  const rated = [
    ...columns.filter((c) => c.code !== 'USD'),
    ...(usdOfBase ? [{ col: usdOfBase.col, idx: usdOfBase.idx, code: quoteBase }] : []),
  ];

  const rates = new Map<string, Map<number, RatePoint>>(rated.map((c) => [c.code, new Map()]));
  const seen = new Map<number, number>();
  const quarantine: FxQuarantineRow[] = [];
  const counts: RateFileCounts = { rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, blankLines: 0, values: 0, gaps: 0 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '') {
      if (i < lines.length - 1) counts.blankLines++;
      continue;
    }
    counts.rowsRead++;
    const cells = splitRow(line, delimiter);
    const problems: FxQuarantineRow[] = [];
    const bad = (field: string, rawValue: string, reason: string) =>
      problems.push({ line: lineNo, field, rawValue, reason });
    if (cells.length !== header.length) {
      bad('', line, `wrong number of fields: ${cells.length} (the header has ${header.length})`);
    }
    const rawDate = cells[dateIdx] ?? '';
    const date = parseRateDate(rawDate, dateFormat);
    if (date === undefined) bad(dateColumn, rawDate, `not a date in the format ${dateFormat}`);
    const key =
      date === undefined ? undefined : frequency === 'monthly' && date > 999999 ? Math.floor(date / 100) : date;
    if (key !== undefined && seen.has(key)) bad(dateColumn, rawDate, `date repeated (first on line ${seen.get(key)})`);
    if (base) {
      const raw = (cells[base.idx] ?? '').trim();
      const d = parseDec(raw);
      if (raw !== '' && (!d || d.units !== 10n ** BigInt(d.scale))) {
        bad(base.col, raw, 'USD per USD must be 1: the row is corrupt');
      }
    }
    const values: [string, string][] = [];
    let gaps = 0;
    const usdRaw = usdOfBase ? (cells[usdOfBase.idx] ?? '').trim() : '';
    const usd = usdOfBase && !mapping.missing?.includes(usdRaw) ? parseDec(usdRaw) : undefined;
    for (const c of rated) {
      const raw = (cells[c.idx] ?? '').trim();
      if (raw === '' || mapping.missing?.includes(raw)) {
        gaps++;
        continue;
      }
      const d = parseDec(raw);
      if (!d) bad(c.col, raw, 'not a decimal number');
      else if (d.units <= 0n) bad(c.col, raw, 'a rate must be positive');
      else if (d.scale > RATE_SCALE) bad(c.col, raw, `more than ${RATE_SCALE} decimals`);
      else if (usdOfBase) {
        // per base → per USD, through the row's USD rate of the base
        if (!usd || usd.units <= 0n) gaps++;
        else if (c.code === quoteBase) values.push([c.code, invertRate(raw)]);
        else
          values.push([
            c.code,
            ratioSignificant(d.units * 10n ** BigInt(usd.scale), usd.units * 10n ** BigInt(d.scale)),
          ]);
      } else values.push([c.code, quoteOf(c.code) === 'usd-per-unit' ? invertRate(raw) : decText(d)]);
    }
    if (problems.length > 0) {
      counts.rowsQuarantined++;
      quarantine.push(...problems);
      continue;
    }
    seen.set(key!, lineNo);
    counts.rowsLoaded++;
    counts.gaps += gaps;
    for (const [code, value] of values) {
      rates.get(code)!.set(key!, { value });
      counts.values++;
    }
  }
  const quotes = rated.map((c) => [c.code, quoteOf(c.code)] as const);
  const fileQuotation = usdOfBase
    ? `per-${quoteBase.toLowerCase()}`
    : quotes.every(([, q]) => q === quotes[0]?.[1])
      ? (quotes[0]?.[1] ?? 'per-usd')
      : quotes.map(([c, q]) => `${c}:${q}`).join(',');
  const inverted = quotes.filter(([, q]) => q === 'usd-per-unit').map(([c]) => c);
  const note = [
    'values stored in units per USD',
    usdOfBase
      ? `quoted per ${quoteBase} in the file: X per USD = X per ${quoteBase} ÷ USD per ${quoteBase}, ${quoteBase} per USD = 1 ÷ USD per ${quoteBase} (12 significant digits, half-even)`
      : '',
    inverted.length ? `inverted from USD per unit (12 significant digits, half-even): ${inverted.join(', ')}` : '',
    frequency === 'daily' ? 'monthly rate = mean of the days with an observation (12 decimals, half-even)' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const series: RateSeries = {
    id: meta.id,
    name: mapping.name ?? meta.id,
    source: {
      name: mapping.source ?? mapping.name ?? `user file ${meta.file}`,
      file: meta.file,
      ...(mapping.url ? { url: mapping.url } : {}),
      note,
    },
    frequency,
    quotation: 'per-usd',
    rates,
  };
  return {
    series,
    quarantine,
    counts,
    fileQuotation,
    mapping: { delimiter, dateColumn, dateFormat, currencies, frequency },
  };
}

function splitRow(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/** Reads and parses a rate file from disk (UTF-8, BOM allowed). */
export function readRateFile(path: string, mapping: RateFileMapping, id: string): ParsedRateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as Error).message.split('\n')[0]}`, [], { cause: e });
  }
  return parseRateFile(text, mapping, { id, file: path });
}
