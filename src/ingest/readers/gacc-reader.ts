/**
 * Reader for tables of China's General Administration of Customs (GAC / 海关总署): monthly values, year-to-date
 * (published cumulative) values and growth rates by flow, optionally by region, partner or trade mode.
 *
 * ## Layouts
 * - **Workbook (XLSX)**, read with exceljs's streaming `WorkbookReader`: one table per sheet. When the table
 *   has no region column, the sheet name is the region (全国 = the whole reporter).
 * - **CSV** (UTF-8 with or without BOM, or GB18030/GBK, detected), read with csv-parse streaming: one table;
 *   the region comes from the region column, else the whole reporter.
 *
 * In both, the header row is the first row with the period column (`时间`). Rows above it are a preamble,
 * searched for a unit statement (`单位：万元`, `Unit: USD thousand`) and a year (`2025年…`, used for period
 * labels without a year such as `1-2月`). Column headers name a flow and a measure, either in one cell
 * (`进口_当月`, `出口当月`, `Exports YTD YoY`; any of `_ - / : |` or nothing between them, either order) or in
 * two header rows: flow labels in one row (merged across their columns: the blank cells of a merge continue
 * the label to their left) and measure labels in the row below. A unit in brackets after a header
 * (`出口_当月(万元)`, `当月同比(%)`) applies to that column.
 *
 * ## The mapping (required; YAML or JSON; see mappings/README.md)
 * GAC files are known to swap 进口 and 出口 (the bundled sample does), so nothing is guessed: the mapping says
 * which label is which flow, and should say how that was checked against a published total.
 * ```yaml
 * dataset: gacc-region-monthly   # default dataset id (default 'gacc'; the --dataset option wins)
 * reporter: CHN                  # canonical reporter code (default CHN)
 * partner: WLD                   # fixed canonical partner (default WLD), or {column: 国别, scheme: name}
 * unit: 万元                     # money unit (parseMoneyUnit): 万元, 亿元, 千美元, 万美元, USD, USD*1e3 …;
 *                                # optional when the file states it; a stated unit must agree with it
 * columns:
 *   period: 时间                 # period column header(s) (default 时间)
 *   region: region               # region column header(s); absent → sheet name (XLSX) / whole reporter (CSV)
 *   tradeMode: 贸易方式          # optional trade-mode column
 * flows:                         # header label → X | M | RX | RM | total | ignore
 *   出口: X
 *   进口: M
 *   进出口: total                # not staged (it is X + M); reported once in info.warnings
 * measures:                      # header label → value | cumulative | yoy | cumulative-yoy | ignore
 *   当月: value                  # (these four Chinese labels, and 累计 / 累计同比, are the default)
 *   当月同比: yoy
 *   年初至今: cumulative
 *   年初至今同比: cumulative-yoy
 * yoy:
 *   scale: ratio                 # ratio (0.0718) or percent (7.18); a cell ending in % is always percent
 *   note: …                      # optional note put on every yoy row
 * national: [全国]               # region texts meaning the whole reporter (staged as region '')
 * noData: ['-']                  # cell texts meaning "no data": no row (default none: other text is a problem)
 * year: 2025                     # year for period labels without one (else the preamble's 2025年 …)
 * delimiter: ','                 # CSV delimiter (default: detected among , tab ;)
 * ```
 * Labels are matched after NFKC normalisation, case-insensitively and ignoring whitespace.
 *
 * ## What is staged
 * One {@link StagedRow} per (row, flow, measure) cell with a number: flow X/M/…, classification and product
 * `TOTAL`, partner `WLD` (canonical) unless mapped, region as written (the pipeline maps names to codes with
 * model/regions.ts) except the `national` labels, staged as '' (whole reporter). Periods:
 * - `value` → the row's period (`2025-06`, `2025-01+02` for January and February published together, `2024`
 *   for a year row); `yoy` → the same period with measure `yoy`;
 * - `cumulative` → `ytd:2025-06` (a Jan+Feb row: `ytd:2025-02`; a year row: `ytd:2024-12`), measure
 *   `cumulative`; `cumulative-yoy` → the same ytd period with measure `yoy`.
 * Values are exact decimal text in the source unit (`2545453724` with unit `CNY*1e4`); growth rates are
 * ratios with unit `ratio` (percent cells divided by 100 in text). Workbook numbers are converted without
 * float round-trips: integers exactly, fractions by the shortest round-trip text (what the file holds). An
 * XLSX cell with a percent number format holds a ratio already.
 *
 * ## Problems
 * - A cell that is not a number (`…`, `n/a`, `#N/A`, text; also `-` unless listed in `noData`) → a
 *   {@link RowProblem} `bad-number` with field = the column header, value = the cell text, raw = the row.
 * - A row whose period cannot be read → `bad-period` (field = the period header); its cells are not staged.
 * - A CSV row with a different number of fields than the header → `wrong-column-count`.
 * - Empty cells stage nothing; blank rows are yielded as `blank`.
 * Without a mapping, {@link openGaccReader} throws a {@link UserError} that shows the mapping to write.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline, Readable, type Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import chardet from 'chardet';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import { z } from 'zod';
import { monthFromName } from '../../model/period.js';
import { type MoneyUnit, parseMoneyUnit, scaleDecimalText } from '../../model/units.js';
import { type Problem, type ProblemCode, UserError } from '../../util/errors.js';
import { mappingPath } from '../../util/paths.js';
import type { CodeScheme, Reader, ReaderItem, RowProblem, SourceInfo, StagedRow } from '../staged-row.js';

// ---------------------------------------------------------------------------------------------------------
// Mapping

const FLOW_TARGETS = ['X', 'M', 'RX', 'RM', 'total', 'ignore'] as const;
const MEASURE_TARGETS = ['value', 'cumulative', 'yoy', 'cumulative-yoy', 'ignore'] as const;
const CODE_SCHEMES = ['canonical', 'iso3', 'iso2', 'iso-numeric', 'm49', 'comtrade', 'baci', 'name'] as const;

type FlowTarget = (typeof FLOW_TARGETS)[number];
type MeasureTarget = (typeof MEASURE_TARGETS)[number];

const DEFAULT_MEASURES: Record<string, MeasureTarget> = {
  当月: 'value',
  当月同比: 'yoy',
  年初至今: 'cumulative',
  年初至今同比: 'cumulative-yoy',
  累计: 'cumulative',
  累计同比: 'cumulative-yoy',
};

const nameList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (typeof v === 'string' ? [v] : v));

const moneyUnitText = z.string().refine(
  (u) => {
    try {
      parseMoneyUnit(u);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown money unit (use 万元, 亿元, 千美元, 万美元, USD, thousand USD, CNY*1e4 …)' },
);

const mappingSchema = z.strictObject({
  dataset: z.string().min(1).optional(),
  reporter: z.string().min(1).default('CHN'),
  partner: z
    .union([z.string().min(1), z.strictObject({ column: nameList, scheme: z.enum(CODE_SCHEMES).default('name') })])
    .default('WLD'),
  unit: moneyUnitText.optional(),
  columns: z
    .strictObject({
      period: nameList.default(['时间']),
      region: nameList.optional(),
      tradeMode: nameList.optional(),
    })
    .default({ period: ['时间'] }),
  flows: z
    .record(z.string().min(1), z.enum(FLOW_TARGETS))
    .refine((f) => Object.values(f).some((t) => t !== 'total' && t !== 'ignore'), {
      message: 'map at least one label to a flow (X, M, RX or RM)',
    }),
  measures: z.record(z.string().min(1), z.enum(MEASURE_TARGETS)).default(DEFAULT_MEASURES),
  yoy: z
    .strictObject({
      scale: z.enum(['ratio', 'percent']).default('ratio'),
      note: z.string().min(1).optional(),
    })
    .default({ scale: 'ratio' }),
  national: nameList.default(['全国']),
  noData: z.array(z.string()).default([]),
  year: z.number().int().min(1900).max(2199).optional(),
  delimiter: z.string().length(1).optional(),
});

export type GaccMapping = z.output<typeof mappingSchema>;

/** The mapping to write, shown when none is given. */
export const MAPPING_TEMPLATE = `dataset: gacc
reporter: CHN
unit: 万元            # or 亿元, 千美元, 万美元, USD …; a 单位：… line in the file is checked against it
flows:                # check against a published total (e.g. GAC's annual exports) before trusting it!
  出口: X             # exports
  进口: M             # imports
  进出口: total       # not staged: derived from X and M
measures:
  当月: value
  当月同比: yoy
  年初至今: cumulative
  年初至今同比: cumulative-yoy
yoy:
  scale: ratio        # or percent (7.18 means +7.18 %)`;

function resolveMappingFile(name: string): string {
  if (existsSync(name)) return name;
  for (const candidate of [mappingPath(name), mappingPath(`${name}.yaml`), mappingPath(`${name}.yml`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new UserError(`mapping file not found: ${name}`, [
    { code: 'mapping-not-found', severity: 'error', message: 'mapping file not found', at: { file: name } },
  ]);
}

/**
 * Reads and validates a GAC mapping file (YAML, or JSON when the name ends in .json). A bare name is looked up
 * in the bundled mappings/ folder (`gacc-region-monthly`).
 */
export function loadGaccMapping(name: string): GaccMapping & { file: string } {
  const file = resolveMappingFile(name);
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new UserError(
      `mapping ${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  const parsed = mappingSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((i) => {
      const key = i.path.map(String).join('.') || '(top level)';
      return {
        code: 'bad-mapping',
        severity: 'error',
        message: `key ${key}: ${i.message}`,
        at: { file, field: key },
      };
    });
    throw new UserError(`mapping ${file}: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return { ...parsed.data, file };
}

// ---------------------------------------------------------------------------------------------------------
// Periods

/** A period label of a GAC table row: a month, January+February published together, or a year. */
export interface GaccPeriod {
  kind: 'month' | 'janfeb' | 'year';
  year: number;
  /** Last month of the row's window (2 for Jan+Feb, 12 for a year). */
  month: number;
}

const okYear = (y: number) => y >= 1900 && y <= 2199;
const okMonth = (m: number) => m >= 1 && m <= 12;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function month(year: number, m: number): GaccPeriod | undefined {
  return okYear(year) && okMonth(m) ? { kind: 'month', year, month: m } : undefined;
}

/**
 * Parses the period label of a GAC row: `2025-06`, `2025/6`, `2025.06`, `202506`, `2025年6月`, `6月` (with
 * `defaultYear`), `Jun 2025`, a date (`2025-06-01` or the month's last day; a Date object, any day), January
 * and February together (`2025-01+02`, `2025-01/02`, `2025年1-2月`, `1-2月`, `Jan-Feb 2025`), or a year
 * (`2024`, `2024年`). Returns undefined for anything else (`2025-01-02` is neither a month start/end nor a
 * Jan+Feb label: it is refused rather than guessed).
 */
export function parseGaccPeriod(input: string | number | Date, defaultYear?: number): GaccPeriod | undefined {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return undefined;
    return month(input.getUTCFullYear(), input.getUTCMonth() + 1);
  }
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) return undefined;
    if (input >= 190001 && input <= 219912) return month(Math.floor(input / 100), input % 100);
    if (okYear(input)) return { kind: 'year', year: input, month: 12 };
    return undefined;
  }
  const t = input.normalize('NFKC').trim().replace(/\s+/g, ' ');
  for (const [re, read] of periodForms) {
    const m = re.exec(t);
    if (m) return read(m, defaultYear);
  }
  return undefined;
}

type PeriodForm = [RegExp, (m: RegExpExecArray, defaultYear: number | undefined) => GaccPeriod | undefined];

/** The written forms of a row period, tried in order (Jan+Feb before months, months before years). */
const periodForms: PeriodForm[] = [
  [/^(\d{4})-0?1 ?[+/&~、] ?0?2$/, (m) => janfeb(Number(m[1]))],
  [/^(?:(\d{4}) ?年)? ?0?1 ?(?:月)? ?[-+/&~、至到—–] ?0?2 ?月(?:份)?$/, (m, dy) => janfeb(year(m[1], dy))],
  [/^(?:(\d{4}) )?jan(?:uary)? ?[-+/&] ?feb(?:ruary)?(?:,? (\d{4}))?$/i, (m, dy) => janfeb(year(m[1] ?? m[2], dy))],
  [/^(\d{4}) ?[-/.年] ?(\d{1,2}) ?(?:月(?:份)?)?$/, (m) => month(Number(m[1]), Number(m[2]))],
  [/^(\d{4})(\d{2})$/, (m) => month(Number(m[1]), Number(m[2]))],
  [
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/,
    (m) => {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = Number(m[3]);
      if (!okYear(y) || !okMonth(mo) || (d !== 1 && d !== lastDay(y, mo))) return undefined;
      return month(y, mo);
    },
  ],
  [
    /^(\d{1,2}) ?月(?:份)?$/,
    (m, dy) => {
      const y = year(undefined, dy);
      return y === undefined ? undefined : month(y, Number(m[1]));
    },
  ],
  [
    /^([a-z]+)\.?[ \-/,]*(\d{4})$/i,
    (m) => {
      const mo = monthFromName(m[1]!);
      return mo === undefined ? undefined : month(Number(m[2]), mo);
    },
  ],
  [
    /^(\d{4})[ \-/,]*([a-z]+)\.?$/i,
    (m) => {
      const mo = monthFromName(m[2]!);
      return mo === undefined ? undefined : month(Number(m[1]), mo);
    },
  ],
  [
    /^(\d{4}) ?(?:年)?$/,
    (m) => {
      const y = Number(m[1]);
      return okYear(y) ? { kind: 'year', year: y, month: 12 } : undefined;
    },
  ],
];

function year(text: string | undefined, defaultYear: number | undefined): number | undefined {
  return text === undefined ? defaultYear : Number(text);
}

function janfeb(y: number | undefined): GaccPeriod | undefined {
  return y !== undefined && okYear(y) ? { kind: 'janfeb', year: y, month: 2 } : undefined;
}

const mm = (m: number) => String(m).padStart(2, '0');

/** The period label of a row's own window: `2025-06`, `2025-01+02`, `2024`. */
export function windowLabel(p: GaccPeriod): string {
  if (p.kind === 'year') return String(p.year);
  if (p.kind === 'janfeb') return `${p.year}-01+02`;
  return `${p.year}-${mm(p.month)}`;
}

/** The year-to-date label ending with the row's window: `ytd:2025-06`, `ytd:2025-02`, `ytd:2024-12`. */
export function ytdLabel(p: GaccPeriod): string {
  return `ytd:${p.year}-${mm(p.month)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers

/** Exact decimal text of a JS number (as the workbook holds it), or undefined for NaN and infinities. */
export function numberToDecimalText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (n === 0) return '0';
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  const s = String(n);
  const e = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return e ? scaleDecimalText(e[1]!, Number(e[2])) : s;
}

/**
 * Reads a number written as text: `1234`, `-0.07`, `1,234,567`, `1 234`, `1.2E+5`, `7.18%`. Returns its exact
 * decimal text and whether it was written as a percentage, or undefined when it is not a number.
 */
export function parseNumberText(raw: string): { value: string; percent: boolean } | undefined {
  let t = raw.normalize('NFKC').trim();
  const percent = t.endsWith('%');
  if (percent) t = t.slice(0, -1).trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  else if (/^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/[ \u00a0\u202f]/g, '');
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) return undefined;
  return { value: scaleDecimalText(m[1]!, m[2] ? Number(m[2]) : 0), percent };
}

// ---------------------------------------------------------------------------------------------------------
// Tables

/** A source cell: workbook cells keep their JS type; CSV cells are text; empty cells are null. */
type Cell = string | number | Date | null;

interface RawRow {
  line: number;
  cells: Cell[];
  /** Columns whose workbook number format is a percentage (their numbers are ratios already). */
  percentFormat?: Set<number>;
}

/** Normalises a label for matching: NFKC, lower case, no whitespace. */
function norm(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? 'Invalid Date' : c.toISOString().slice(0, 10);
  if (typeof c === 'number') return numberToDecimalText(c) ?? String(c);
  return c;
}

const isEmpty = (c: Cell | undefined) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

type ColumnRole =
  | { role: 'period' }
  | { role: 'region' }
  | { role: 'tradeMode' }
  | { role: 'partner' }
  | { role: 'data'; flow: FlowTarget; measure: MeasureTarget; unit?: MoneyUnit; percent?: boolean };

interface Column {
  index: number;
  header: string;
  spec: ColumnRole;
}

const SEP = '[_\\-/:|·.]*';

/** What a reader and its tables share. */
interface Context {
  file: string;
  mapping: GaccMapping;
  info: SourceInfo;
  warned: Set<string>;
  warn(code: ProblemCode, message: string, at?: Problem['at'], severity?: Problem['severity']): void;
}

const SCALE_WORD = /^(thousands?|millions?|billions?|k|mn|bn|m)$/i;

/**
 * Parses a money unit as written in a table: parseMoneyUnit's forms, plus `USD thousand` (currency first),
 * `万元人民币` / `人民币万元`. Undefined when unknown.
 */
export function tableMoneyUnit(text: string): MoneyUnit | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/人民币/g, '');
  const candidates = [t];
  const cw = /^([A-Za-z]{3})\s+([A-Za-z]+)$/.exec(t);
  if (cw && SCALE_WORD.test(cw[2]!)) candidates.unshift(`${cw[2]} ${cw[1]}`);
  for (const c of candidates) {
    try {
      return parseMoneyUnit(c);
    } catch {
      // next
    }
  }
  return undefined;
}

/** Finds the unit stated in a text (`单位：万元`, `Unit: USD thousand`), if any. */
function statedUnit(text: string): { unit?: MoneyUnit } | undefined {
  const t = text.normalize('NFKC');
  const m = /(?:单位|unit)\s*[:：]?\s*([^\s,;，；)]+(?:\s+[A-Za-z]+)?)/i.exec(t);
  if (!m) return undefined;
  const words = m[1]!.trim();
  const whole = tableMoneyUnit(words);
  if (whole) return { unit: whole };
  const parts = words.split(/\s+/);
  if (parts.length === 2 && !SCALE_WORD.test(parts[1]!)) {
    const first = tableMoneyUnit(parts[0]!);
    if (first) return { unit: first };
  }
  return {};
}

/** Splits `出口_当月(万元)` into the label and its bracketed unit. */
function splitHeaderUnit(header: string): { label: string; unit?: MoneyUnit; percent?: boolean } {
  const t = header.normalize('NFKC').trim();
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(t);
  if (!m || m[1] === '') return { label: t };
  const inner = m[2]!.trim().replace(/^(单位|unit)\s*[:：]?\s*/i, '');
  if (inner === '%') return { label: m[1]!, percent: true };
  const unit = tableMoneyUnit(inner);
  return unit ? { label: m[1]!, unit } : { label: t };
}

/** One table (a sheet, or the CSV file): finds the header, then turns data rows into items. */
class Table {
  private state: 'preamble' | 'subheader' | 'data' | 'skipped' = 'preamble';
  private preamble: RawRow[] = [];
  private header?: RawRow;
  private columns: Column[] = [];
  private flowByColumn = new Map<number, FlowTarget>();
  private flowLabelByColumn = new Map<number, string>();
  private headerWidth = 0;
  private sheetUnit?: MoneyUnit;
  private defaultYear?: number;
  private rowsBeforeHeader = 0;
  private readonly flows: [string, FlowTarget][];
  private readonly measures: [string, MeasureTarget][];
  private readonly national: Set<string>;
  private readonly noData: Set<string>;
  private readonly periodNames: Set<string>;
  private readonly regionNames: Set<string>;
  private readonly tradeModeNames: Set<string>;
  private readonly partnerNames: Set<string>;
  dataRows = 0;

  constructor(
    private readonly ctx: Context,
    private readonly sheet: string | undefined,
    private readonly strictWidth: boolean,
  ) {
    const m = ctx.mapping;
    this.flows = Object.entries(m.flows).map(([k, v]) => [norm(k), v]);
    this.measures = Object.entries(m.measures).map(([k, v]) => [norm(k), v]);
    this.national = new Set(m.national.map(norm));
    this.noData = new Set(m.noData.map(norm));
    this.periodNames = new Set(m.columns.period.map(norm));
    this.regionNames = new Set((m.columns.region ?? []).map(norm));
    this.tradeModeNames = new Set((m.columns.tradeMode ?? []).map(norm));
    this.partnerNames = new Set(typeof m.partner === 'string' ? [] : m.partner.column.map(norm));
    this.defaultYear = m.year;
  }

  private at(line: number, field?: string): RowProblem['at'] {
    const at: RowProblem['at'] = { file: this.ctx.file, line };
    if (this.sheet !== undefined) at.sheet = this.sheet;
    if (field !== undefined) at.field = field;
    return at;
  }

  private where(): string {
    return this.sheet !== undefined ? `${this.ctx.file} (sheet ${this.sheet})` : this.ctx.file;
  }

  /** True once the table found its header. */
  get found(): boolean {
    return this.state === 'data' || this.state === 'subheader';
  }

  *push(row: RawRow): Generator<ReaderItem> {
    const blank = row.cells.every(isEmpty);
    if (this.state === 'skipped') return;
    if (this.state === 'preamble') {
      if (blank) return;
      if (row.cells.some((c) => typeof c === 'string' && this.periodNames.has(norm(c)))) {
        this.header = row;
        this.startHeader(row);
      } else {
        this.preamble.push(row);
        if (++this.rowsBeforeHeader > 50) this.state = 'skipped';
      }
      return;
    }
    if (this.state === 'subheader') {
      if (blank) return;
      this.finishTwoRowHeader(row);
      return;
    }
    if (blank) {
      yield { kind: 'blank', line: row.line };
      return;
    }
    yield* this.dataRow(row);
  }

  /** Called at the end of the table. Returns false when no header was found. */
  end(): boolean {
    if (this.state === 'subheader') {
      throw new UserError(`${this.where()}: the header row ends the table (the measure row below it is missing)`);
    }
    return this.state === 'data';
  }

  private matchFlow(label: string): FlowTarget | undefined {
    const n = norm(label);
    return this.flows.find(([k]) => k === n)?.[1];
  }

  private matchMeasure(label: string): MeasureTarget | undefined {
    const n = norm(label);
    return this.measures.find(([k]) => k === n)?.[1];
  }

  /** Matches `flow SEP measure` or `measure SEP flow`; the longest labels win. */
  private matchCombined(label: string): { flow: FlowTarget; measure: MeasureTarget; flowLabel: string } | undefined {
    const n = norm(label);
    let best: { flow: FlowTarget; measure: MeasureTarget; flowLabel: string; len: number } | undefined;
    for (const [f, flow] of this.flows) {
      for (const [ms, measure] of this.measures) {
        const len = f.length + ms.length;
        if (best && best.len >= len) continue;
        const fe = escapeRe(f);
        const me = escapeRe(ms);
        if (new RegExp(`^${fe}${SEP}${me}$`).test(n) || new RegExp(`^${me}${SEP}${fe}$`).test(n)) {
          best = { flow, measure, flowLabel: f, len };
        }
      }
    }
    return best;
  }

  private detectPreamble(): void {
    for (const r of [...this.preamble, this.header!]) {
      for (const c of r.cells) {
        if (typeof c !== 'string') continue;
        const u = statedUnit(c);
        if (u) {
          if (!u.unit) {
            this.ctx.warn('unknown-unit', `the file states a unit we do not know: ${c.trim()}`, this.at(r.line));
          } else {
            this.checkUnit(u.unit, c.trim(), r.line);
            this.sheetUnit ??= u.unit;
          }
        }
        if (this.defaultYear === undefined && r !== this.header) {
          const y = /((?:19|20|21)\d{2})\s*年/.exec(c.normalize('NFKC'));
          if (y) this.defaultYear = Number(y[1]);
        }
      }
    }
  }

  private checkUnit(unit: MoneyUnit, statement: string, line: number): void {
    const mapped = this.ctx.mapping.unit;
    if (mapped === undefined) return;
    const m = parseMoneyUnit(mapped);
    if (m.label !== unit.label) {
      throw new UserError(
        `${this.where()}:${line}: the file states ${JSON.stringify(statement)} (${unit.label}) but the mapping says unit: ${mapped} (${m.label}); fix the mapping`,
        [
          {
            code: 'unit-mismatch',
            severity: 'error',
            message: 'stated unit differs from the mapping',
            at: this.at(line),
            value: statement,
          },
        ],
      );
    }
  }

  private classify(index: number, header: string): ColumnRole | 'flow-only' | 'measure-only' | 'unknown' | 'empty' {
    const h = header.trim();
    if (h === '') return 'empty';
    const n = norm(h);
    if (this.periodNames.has(n)) return { role: 'period' };
    if (this.regionNames.has(n)) return { role: 'region' };
    if (this.tradeModeNames.has(n)) return { role: 'tradeMode' };
    if (this.partnerNames.has(n)) return { role: 'partner' };
    const { label, unit, percent } = splitHeaderUnit(h);
    const combined = this.matchCombined(label);
    if (combined) {
      this.flowLabelByColumn.set(index, combined.flowLabel);
      const spec: ColumnRole = { role: 'data', flow: combined.flow, measure: combined.measure };
      if (unit) spec.unit = unit;
      if (percent) spec.percent = true;
      return spec;
    }
    if (this.matchFlow(label)) return 'flow-only';
    if (this.matchMeasure(label)) return 'measure-only';
    return 'unknown';
  }

  private startHeader(row: RawRow): void {
    this.detectPreamble();
    const kinds = row.cells.map((c, i) => this.classify(i, cellText(c)));
    if (kinds.includes('flow-only')) {
      // Flow labels in this row (merged across their columns), measures in the next.
      let current: FlowTarget | undefined;
      for (const [i, k] of kinds.entries()) {
        if (k === 'flow-only') current = this.matchFlow(splitHeaderUnit(cellText(row.cells[i])).label);
        else if (k !== 'empty') current = undefined;
        if (current !== undefined) this.flowByColumn.set(i, current);
        this.addColumn(i, cellText(row.cells[i]), k);
      }
      this.headerWidth = row.cells.length;
      this.state = 'subheader';
      return;
    }
    if (kinds.includes('measure-only')) {
      // Measures in this row, flow labels in the row above.
      const above = this.preamble[this.preamble.length - 1];
      let current: { flow: FlowTarget; label: string } | undefined;
      const flows = new Map<number, { flow: FlowTarget; label: string }>();
      const width = Math.max(row.cells.length, above?.cells.length ?? 0);
      for (let i = 0; i < width; i++) {
        const t = cellText(above?.cells[i]).trim();
        if (t !== '') {
          const flow = this.matchFlow(splitHeaderUnit(t).label);
          current = flow === undefined ? undefined : { flow, label: t };
        }
        if (current !== undefined) flows.set(i, current);
      }
      for (const [i, k] of kinds.entries()) {
        const h = cellText(row.cells[i]);
        if (k === 'measure-only') {
          const f = flows.get(i);
          if (!f) {
            this.addColumn(i, h, 'unknown');
            continue;
          }
          const { label, unit, percent } = splitHeaderUnit(h);
          const spec: ColumnRole = { role: 'data', flow: f.flow, measure: this.matchMeasure(label)! };
          if (unit) spec.unit = unit;
          if (percent) spec.percent = true;
          this.addColumn(i, `${f.label}_${h.trim()}`, spec);
        } else this.addColumn(i, h, k);
      }
      this.headerWidth = row.cells.length;
      this.finishColumns(row.line);
      return;
    }
    for (const [i, k] of kinds.entries()) this.addColumn(i, cellText(row.cells[i]), k);
    this.headerWidth = row.cells.length;
    this.finishColumns(row.line);
  }

  private finishTwoRowHeader(sub: RawRow): void {
    const header = this.header!;
    let lastFlowText = '';
    let current: FlowTarget | undefined;
    for (let i = 0; i < Math.max(sub.cells.length, header.cells.length); i++) {
      const top = cellText(header.cells[i]).trim();
      if (top !== '') {
        lastFlowText = top;
        current = this.flowByColumn.get(i);
      }
      // A merged flow label: the cells it covers are empty (and may be missing at the end of the row).
      const flow = current;
      if (flow === undefined) continue;
      const h = cellText(sub.cells[i]);
      const { label, unit, percent } = splitHeaderUnit(h);
      const measure = this.matchMeasure(label);
      const name = `${lastFlowText}_${h.trim()}`;
      if (measure === undefined) {
        this.addColumn(i, name, h.trim() === '' ? 'empty' : 'unknown');
        continue;
      }
      const spec: ColumnRole = { role: 'data', flow, measure };
      if (unit) spec.unit = unit;
      if (percent) spec.percent = true;
      this.columns = this.columns.filter((c) => c.index !== i);
      this.addColumn(i, name, spec);
    }
    this.headerWidth = Math.max(this.headerWidth, sub.cells.length);
    this.finishColumns(sub.line);
  }

  private addColumn(index: number, header: string, kind: ReturnType<Table['classify']>): void {
    if (kind === 'empty' || kind === 'flow-only' || kind === 'measure-only') return;
    if (kind === 'unknown') {
      this.ctx.warn('unmapped-column', `column ${JSON.stringify(header.trim())} is not in the mapping; ignored`, {
        file: this.ctx.file,
        field: header.trim(),
      });
      return;
    }
    this.columns = this.columns.filter((c) => c.index !== index);
    this.columns.push({ index, header: header.trim(), spec: kind });
  }

  private finishColumns(line: number): void {
    const data = this.columns.filter((c) => c.spec.role === 'data');
    const seen = new Map<string, string>();
    for (const c of data) {
      if (c.spec.role !== 'data') continue;
      const { flow, measure } = c.spec;
      if (flow === 'total') {
        this.ctx.warn(
          'total-ignored',
          'total column ignored: derived from X and M',
          { file: this.ctx.file, field: c.header },
          'info',
        );
        continue;
      }
      if (flow === 'ignore' || measure === 'ignore') continue;
      const key = `${flow}/${measure}`;
      const prev = seen.get(key);
      if (prev !== undefined) {
        throw new UserError(
          `${this.where()}:${line}: columns ${JSON.stringify(prev)} and ${JSON.stringify(c.header)} both map to ${key}`,
        );
      }
      seen.set(key, c.header);
      if (c.spec.measure !== 'yoy' && c.spec.measure !== 'cumulative-yoy') {
        if (c.spec.unit) this.checkUnit(c.spec.unit, c.header, line);
        if (!c.spec.unit && !this.sheetUnit && this.ctx.mapping.unit === undefined) {
          throw new UserError(
            `${this.where()}: the money unit is unknown: the file does not state it (单位：…) and the mapping has no unit (add unit: 万元, 亿元, 千美元 …)`,
          );
        }
      }
    }
    if (seen.size === 0) {
      this.ctx.warn(
        'no-mapped-columns',
        `${this.where()}: no column of the header matches the mapping's flows and measures; table skipped`,
        this.at(line),
      );
      this.state = 'skipped';
      return;
    }
    this.state = 'data';
  }

  private unitFor(spec: Extract<ColumnRole, { role: 'data' }>): string {
    const u =
      spec.unit ?? (this.ctx.mapping.unit !== undefined ? parseMoneyUnit(this.ctx.mapping.unit) : this.sheetUnit);
    return u!.label;
  }

  private *dataRow(row: RawRow): Generator<ReaderItem> {
    this.dataRows++;
    this.ctx.info.rowsRead = (this.ctx.info.rowsRead ?? 0) + 1;
    const raw = row.cells.map(cellText).join(',');
    if (this.strictWidth) {
      let width = row.cells.length;
      while (width > this.headerWidth && isEmpty(row.cells[width - 1])) width--;
      if (width !== this.headerWidth) {
        yield {
          kind: 'problem',
          problem: {
            code: 'wrong-column-count',
            severity: 'error',
            message: `the row has ${row.cells.length} fields, the header ${this.headerWidth}`,
            at: this.at(row.line),
            raw,
          },
        };
        return;
      }
    }
    const get = (role: ColumnRole['role']) => this.columns.find((c) => c.spec.role === role);
    const periodCol = get('period')!;
    const periodCell = row.cells[periodCol.index] ?? null;
    const period = isEmpty(periodCell)
      ? undefined
      : parseGaccPeriod(periodCell as string | number | Date, this.defaultYear);
    if (!period) {
      yield {
        kind: 'problem',
        problem: {
          code: 'bad-period',
          severity: 'error',
          message: `not a period GAC tables use (2025-06, 2025年6月, 2025-01+02, 2025年1-2月 …): ${JSON.stringify(cellText(periodCell))}`,
          at: this.at(row.line, periodCol.header),
          value: cellText(periodCell),
          raw,
        },
      };
      return;
    }
    const regionCol = get('region');
    let region = regionCol ? cellText(row.cells[regionCol.index]).trim() : (this.sheet?.trim() ?? '');
    if (this.national.has(norm(region))) region = '';
    const tmCol = get('tradeMode');
    const tradeMode = tmCol ? cellText(row.cells[tmCol.index]).trim() : '';
    const partnerCol = get('partner');
    const partnerMapping = this.ctx.mapping.partner;
    const partner = partnerCol ? cellText(row.cells[partnerCol.index]).trim() : (partnerMapping as string);
    const partnerScheme: CodeScheme = typeof partnerMapping === 'string' ? 'canonical' : partnerMapping.scheme;
    const windowText = windowLabel(period);
    const ytdText = ytdLabel(period);
    const yoyCfg = this.ctx.mapping.yoy;

    for (const col of this.columns) {
      const spec = col.spec;
      if (spec.role !== 'data' || spec.flow === 'total' || spec.flow === 'ignore' || spec.measure === 'ignore')
        continue;
      const cell = row.cells[col.index] ?? null;
      if (isEmpty(cell)) continue;
      if (typeof cell === 'string' && this.noData.has(norm(cell))) continue;
      const isRate = spec.measure === 'yoy' || spec.measure === 'cumulative-yoy';
      let value: string | undefined;
      let percent = false;
      if (typeof cell === 'number') {
        value = numberToDecimalText(cell);
        percent = isRate && !row.percentFormat?.has(col.index) && (spec.percent === true || yoyCfg.scale === 'percent');
      } else if (typeof cell === 'string') {
        const parsed = parseNumberText(cell);
        if (parsed && (!parsed.percent || isRate)) {
          value = parsed.value;
          percent = isRate && (parsed.percent || spec.percent === true || yoyCfg.scale === 'percent');
        }
      }
      if (value === undefined) {
        const text = cellText(cell);
        yield {
          kind: 'problem',
          problem: {
            code: 'bad-number',
            severity: 'error',
            message: `not a number: ${JSON.stringify(text)}`,
            at: this.at(row.line, col.header),
            value: text,
            raw,
          },
        };
        continue;
      }
      if (percent) value = scaleDecimalText(value, -2);
      const staged: StagedRow = {
        line: row.line,
        reporter: this.ctx.mapping.reporter,
        reporterScheme: 'canonical',
        partner,
        partnerScheme,
        flow: spec.flow,
        classification: 'TOTAL',
        product: 'TOTAL',
        period: spec.measure === 'value' || spec.measure === 'yoy' ? windowText : ytdText,
        measure: spec.measure === 'cumulative-yoy' ? 'yoy' : spec.measure,
        tradeMode,
        region,
        value,
        unit: isRate ? 'ratio' : this.unitFor(spec),
        netWeight: '',
        weightUnit: '',
        quantity: '',
        quantityUnit: '',
        flag: 'reported',
        seasonallyAdjusted: false,
      };
      // Source column names for quarantine messages (StagedRow.fieldNames).
      Object.assign(staged, {
        fieldNames: {
          value: col.header,
          period: periodCol.header,
          ...(regionCol ? { region: regionCol.header } : {}),
          ...(partnerCol ? { partner: partnerCol.header } : {}),
        },
      });
      if (this.sheet !== undefined) staged.sheet = this.sheet;
      if (isRate && yoyCfg.note) staged.note = yoyCfg.note;
      yield { kind: 'row', row: staged };
    }
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------
// Sources

const PROGRESS_EVERY = 1000;

function fromExcel(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return `=${String(o.formula ?? o.sharedFormula)}`;
      return fromExcel(o.result);
    }
    if ('error' in o) return String(o.error);
    if ('text' in o) return String(o.text);
  }
  return String(v);
}

// XLSX: exceljs's streaming worksheet parser over our own zip access. exceljs's WorkbookReader reads the zip
// in one streaming pass, which (exceljs 4.4, issues #2790, #3064, #2663) drops worksheets and loses sheet
// names when xl/workbook.xml comes after the sheets (the bundled sample, written by openpyxl, does both: it
// yields 8 of 13 sheets, named Sheet1 …). So the archive is read through its central directory: rels,
// workbook, shared strings and styles first, then each worksheet in workbook order, inflated as a stream and
// decoded with a string decoder (exceljs decodes each chunk alone, which breaks characters split by a chunk
// boundary). Rows are still parsed one at a time by exceljs; the workbook is never held in memory.

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

async function readZipDirectory(file: string): Promise<Map<string, ZipEntry>> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 65535 + 22);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new UserError(`${file}: not an XLSX workbook (no zip directory)`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
      throw new UserError(`${file}: ZIP64 workbooks (over 4 GB or 65,535 parts) are not supported; save it as CSV`);
    }
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries = new Map<string, ZipEntry>();
    let pos = 0;
    for (let n = 0; n < count && pos + 46 <= cd.length; n++) {
      if (cd.readUInt32LE(pos) !== 0x02014b50) throw new UserError(`${file}: damaged zip directory`);
      const method = cd.readUInt16LE(pos + 10);
      const compressedSize = cd.readUInt32LE(pos + 20);
      const nameLen = cd.readUInt16LE(pos + 28);
      const extraLen = cd.readUInt16LE(pos + 30);
      const commentLen = cd.readUInt16LE(pos + 32);
      const localOffset = cd.readUInt32LE(pos + 42);
      const name = cd.toString('utf8', pos + 46, pos + 46 + nameLen);
      entries.set(name, { name, method, compressedSize, localOffset });
      pos += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** A zip entry's content as a stream of text (UTF-8, decoded across chunk boundaries). */
async function zipEntryText(file: string, entry: ZipEntry, onBytes: (n: number) => void): Promise<Readable> {
  const fh = await open(file, 'r');
  const local = Buffer.alloc(30);
  try {
    await fh.read(local, 0, 30, entry.localOffset);
  } finally {
    await fh.close();
  }
  if (local.readUInt32LE(0) !== 0x04034b50) throw new UserError(`${file}: damaged zip entry ${entry.name}`);
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw =
    entry.compressedSize === 0
      ? Readable.from([])
      : createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  raw.on('data', (c: Buffer | string) => onBytes(c.length));
  let out: Readable;
  if (entry.method === 0) out = raw;
  else if (entry.method === 8) {
    out = createInflateRaw();
    pipeline(raw, out as Transform, () => {
      // errors reach the reader through the inflate stream
    });
  } else throw new UserError(`${file}: zip entry ${entry.name} uses compression method ${entry.method}, not supported`);
  out.setEncoding('utf8');
  return out;
}

/** exceljs's WorkbookReader internals used to parse the parts (exceljs 4.x). */
interface ExcelWorkbookInternals {
  options: Record<string, string>;
  workbookRels?: { Id: string; Target: string; Type?: string }[];
  model?: { sheets?: { id: number; name: string; rId: string; state?: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<unknown>,
    sheetNo: string,
  ): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
}

async function* readXlsx(file: string, ctx: Context): AsyncGenerator<ReaderItem> {
  const bytesTotal = statSync(file).size;
  let bytesRead = 0;
  const onBytes = (n: number) => {
    bytesRead += n;
  };
  let entries: Map<string, ZipEntry>;
  try {
    entries = await readZipDirectory(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot read the workbook: ${(e as Error).message}`, [], { cause: e });
  }
  const part = async (name: string) => {
    const entry = entries.get(name);
    return entry ? zipEntryText(file, entry, onBytes) : undefined;
  };
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats: dates in the period column, percentages in rate columns
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ExcelWorkbookInternals;
  for (const m of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles', '_parseWorksheet'] as const) {
    if (typeof wb[m] !== 'function') throw new Error(`exceljs changed: WorkbookReader.${m} is missing`);
  }
  const rels = await part('xl/_rels/workbook.xml.rels');
  const book = await part('xl/workbook.xml');
  if (!rels || !book) throw new UserError(`${file}: not an XLSX workbook (no xl/workbook.xml)`);
  await wb._parseRels(rels);
  await wb._parseWorkbook(book);
  const strings = await part('xl/sharedStrings.xml');
  if (strings) for await (const _ of wb._parseSharedStrings(strings)) void _;
  const styles = await part('xl/styles.xml');
  if (styles) await wb._parseStyles(styles);

  let tables = 0;
  let rows = 0;
  for (const [n, s] of (wb.model?.sheets ?? []).entries()) {
    const rel = wb.workbookRels?.find((r) => r.Id === s.rId);
    const path = rel ? partPath(rel.Target) : undefined;
    const stream = path ? await part(path) : undefined;
    if (!stream) {
      ctx.warn('missing-sheet', `sheet ${s.name}: its part is missing from the workbook; skipped`, {
        file,
        sheet: s.name,
      });
      continue;
    }
    const sheet = s.name;
    const sheetNo = /sheet(\d+)\.xml$/.exec(path!)?.[1] ?? String(n + 1);
    const ws = [...wb._parseWorksheet(stream, sheetNo)][0]?.value;
    if (!ws) throw new Error('exceljs changed: WorkbookReader._parseWorksheet emitted no worksheet');
    const table = new Table(ctx, sheet, false);
    try {
      for await (const row of ws) {
        const cells: Cell[] = [];
        let percentFormat: Set<number> | undefined;
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const v = fromExcel(cell.value);
          cells[col - 1] = v;
          if (typeof v === 'number' && typeof cell.numFmt === 'string' && cell.numFmt.includes('%')) {
            percentFormat ??= new Set();
            percentFormat.add(col - 1);
          }
        });
        for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
        const raw: RawRow = { line: row.number, cells };
        if (percentFormat) raw.percentFormat = percentFormat;
        yield* table.push(raw);
        if (++rows % PROGRESS_EVERY === 0) yield { kind: 'progress', bytesRead, bytesTotal };
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`${file} (sheet ${sheet}): cannot read the worksheet: ${(e as Error).message}`, [], {
        cause: e,
      });
    }
    if (table.end()) tables++;
    else if (!table.found) {
      ctx.warn(
        'no-header',
        `sheet ${sheet}: no header row with a ${ctx.mapping.columns.period.join(' / ')} column; sheet skipped`,
        {
          file,
          sheet,
        },
      );
    }
    yield { kind: 'progress', bytesRead, bytesTotal };
  }
  if (tables === 0) {
    throw new UserError(
      `${file}: no sheet has a header row with a ${ctx.mapping.columns.period.join(' / ')} column mapped to flows and measures (columns.period in the mapping names the period column)`,
    );
  }
  yield { kind: 'progress', bytesRead: bytesTotal, bytesTotal };
}

/** Detects a CSV's encoding: BOM or valid UTF-8 → utf-8; else chardet's guess (GBK/GB2312 → gb18030). */
async function detectCsvEncoding(file: string): Promise<{ encoding: string; sample: string }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    let end = head.length;
    // Drop a UTF-8 sequence cut off by the sample's end.
    for (let k = 0; k < 3 && end - k - 1 >= 0; k++) {
      const b = head[end - k - 1]!;
      if ((b & 0xc0) === 0xc0) {
        end = end - k - 1;
        break;
      }
      if ((b & 0x80) === 0) break;
    }
    if (isUtf8(head.subarray(0, end))) return { encoding: 'utf-8', sample: head.subarray(0, end).toString('utf8') };
    let enc = (chardet.detect(head) ?? 'gb18030').toLowerCase();
    if (['gbk', 'gb2312', 'gb18030', 'gb-2312'].includes(enc)) enc = 'gb18030';
    if (!iconv.encodingExists(enc)) enc = 'gb18030';
    return { encoding: enc, sample: iconv.decode(head, enc) };
  } finally {
    await fh.close();
  }
}

function detectDelimiter(sample: string): string {
  const lines = sample.split(/\r?\n/).slice(0, 20);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const count = Math.max(0, ...lines.map((l) => l.split(d).length - 1));
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

async function* readCsv(file: string, ctx: Context): AsyncGenerator<ReaderItem> {
  const bytesTotal = statSync(file).size;
  const { encoding, sample } = await detectCsvEncoding(file);
  ctx.info.encoding = encoding;
  const delimiter = ctx.mapping.delimiter ?? detectDelimiter(sample);
  const source = createReadStream(file);
  const decoded: Readable =
    encoding === 'utf-8' ? source : (source.pipe(iconv.decodeStream(encoding)) as unknown as Readable);
  const parser = decoded.pipe(
    parseCsv({ bom: true, info: true, relax_column_count: true, skip_empty_lines: false, delimiter }),
  );
  const table = new Table(ctx, undefined, true);
  let rows = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const newlines = rec.record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
      const cells: Cell[] = rec.record.map((f) => (f === '' ? null : f));
      yield* table.push({ line: rec.info.lines - newlines, cells });
      if (++rows % PROGRESS_EVERY === 0) yield { kind: 'progress', bytesRead: source.bytesRead, bytesTotal };
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    const line = (e as { lines?: number }).lines;
    throw new UserError(`${file}${line ? `:${line}` : ''}: cannot read the CSV: ${(e as Error).message}`, [], {
      cause: e,
    });
  }
  if (!table.end()) {
    throw new UserError(
      `${file}: no header row with a ${ctx.mapping.columns.period.join(' / ')} column mapped to flows and measures (columns.period in the mapping names the period column)`,
    );
  }
  yield { kind: 'progress', bytesRead: bytesTotal, bytesTotal };
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

export interface GaccReaderOptions {
  /** Mapping file (YAML or JSON), or the name of a bundled one (`gacc-region-monthly`). Required. */
  mapping?: string;
  /** Dataset id; overrides the mapping's. */
  dataset?: string;
}

/**
 * Opens a GAC table (XLSX workbook or CSV). Throws a {@link UserError} when the file is missing, the mapping
 * is missing or invalid.
 * @example const r = await openGaccReader('gacc.xlsx', { mapping: 'gacc-region-monthly' })
 */
export async function openGaccReader(file: string, opts: GaccReaderOptions): Promise<Reader> {
  if (!existsSync(file)) throw new UserError(`file not found: ${file}`);
  if (!opts.mapping) {
    throw new UserError(
      `${file}: the flow labels of a GAC table must be mapped (GAC files are known to swap 进口 and 出口): write a mapping file and pass it (--mapping), for example:\n\n${MAPPING_TEMPLATE}\n\n(mappings/gacc-region-monthly.yaml is the checked mapping of the bundled sample, where 进口 holds exports)`,
      [
        {
          code: 'mapping-required',
          severity: 'error',
          message: 'the flow labels must be mapped',
          at: { file },
        },
      ],
    );
  }
  const mapping = loadGaccMapping(opts.mapping);
  const info: SourceInfo = { dataset: opts.dataset ?? mapping.dataset ?? 'gacc', rowsRead: 0, warnings: [] };
  const warned = new Set<string>();
  const ctx: Context = {
    file,
    mapping,
    info,
    warned,
    warn(code, message, at, severity = 'warning') {
      const key = `${code}\u0000${message}`;
      if (warned.has(key)) return;
      warned.add(key);
      const p: Problem = { code, severity, message };
      if (at) p.at = at;
      info.warnings.push(p);
    },
  };
  const xlsx = /\.(xlsx|xlsm)$/i.test(file);
  if (!xlsx && !/\.(csv|tsv|txt)$/i.test(file)) {
    // Sniff: XLSX files are zip archives.
    const fh = await open(file, 'r');
    const sig = Buffer.alloc(4);
    await fh.read(sig, 0, 4, 0);
    await fh.close();
    if (sig.toString('latin1') === 'PK\u0003\u0004') return { info, read: () => readXlsx(file, ctx) };
  }
  if (/\.xls$/i.test(file))
    throw new UserError(`${file}: old .xls workbooks are not supported; save it as .xlsx or CSV`);
  return { info, read: () => (xlsx ? readXlsx(file, ctx) : readCsv(file, ctx)) };
}
