/**
 * Copies of real files with injected faults — a wrong column count, a non-numeric value, an unknown partner
 * code, bytes invalid in the file's encoding (in a UTF-8 file), a blank line, a truncated last line: every
 * good record loads, exactly the bad ones are quarantined with their line numbers, the blank line is counted
 * as skipped, and nothing else in the store changes.
 *
 * Expected numbers are worked out here from the source files with plain string operations and csv-parse,
 * never by running the pipeline a second time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Format, type IngestReport, ingestFile } from '../src/ingest/ingest.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { QuarantineRow } from '../src/store/store.js';
import { UserError } from '../src/util/errors.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const BACI = here('../data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
const COMTRADE = here('../data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv');
const CENSUS = here('../data/partner-series/usa-china-trade-data.csv');
const CENSUS_MAPPING = here('../mappings/census-usa-china.yaml');
const FRED = here('../data/fred/FRED_IMPCH_us_imports_from_china_monthly.csv');
const FRED_MAPPING = here('../mappings/fred-impch.yaml');
const JAPAN = here('../data/partner-series/japan-china-trade-data.csv');
const JAPAN_MAPPING = here('../mappings/japan-mof-china.yaml');
const KOREA = here('../data/partner-series/korea-china-trade-data.csv');
const KOREA_MAPPING = here('../mappings/kosis-korea-china.yaml');

const CRLF = Buffer.from('\r\n');

/** Exact decimal text → BigInt scaled by 10^scale (throws if the text has more decimals than `scale`). */
function units(text: string, scale: number): bigint {
  const t = text.trim().replace(/,/g, '');
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const v = BigInt((m[2] || '0') + frac.padEnd(scale, '0'));
  return m[1] === '-' ? -v : v;
}

/** Splits a file's bytes into lines on CRLF (the three sources end every line with CRLF, but maybe the last). */
function crlfLines(buf: Buffer): { lines: Buffer[]; finalEol: boolean } {
  const lines: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const i = buf.indexOf(CRLF, pos);
    if (i < 0) break;
    lines.push(buf.subarray(pos, i));
    pos = i + 2;
  }
  const finalEol = pos === buf.length;
  if (!finalEol) lines.push(buf.subarray(pos));
  expect(lines.some((l) => l.includes(0x0a))).toBe(false); // CRLF only: our line arithmetic holds
  return { lines, finalEol };
}

interface Injection {
  /** Inserted just before the original line with this 0-based index (0 = header). */
  before: number;
  bytes: Buffer;
  what: string;
}

/**
 * Builds the faulty copy: the original lines with injections, CRLF line ends, and an optional truncated last
 * line without a line end. Returns the bytes, the 1-based line of each injection (and of the truncated tail),
 * and a map from original line index to its line number in the copy.
 */
function injectLines(original: Buffer, injections: Injection[], tail?: Buffer) {
  const { lines } = crlfLines(original);
  const out: Buffer[] = [];
  const lineOf = new Map<number, number>();
  const injected = new Map<string, number>();
  const sorted = [...injections].sort((a, b) => a.before - b.before);
  let k = 0;
  lines.forEach((l, i) => {
    while (k < sorted.length && sorted[k]!.before === i) {
      out.push(sorted[k]!.bytes);
      injected.set(sorted[k]!.what, out.length);
      k++;
    }
    out.push(l);
    lineOf.set(i, out.length);
  });
  expect(k).toBe(sorted.length);
  const parts: Buffer[] = [];
  for (const l of out) parts.push(l, CRLF);
  if (tail) {
    parts.push(tail);
    injected.set('truncated', out.length + 1);
  }
  return { bytes: Buffer.concat(parts), injected, lineOf };
}

const ALL_TABLES = [
  'loads',
  'committed_loads',
  'datasets',
  'precedence',
  'areas_dim',
  'products_dim',
  'slices',
  'facts',
  'rates',
  'quarantine',
  'load_codes',
] as const;

/** What a load leaves in the store, restricted to the given (baseline) loads and dataset. */
async function snapshot(store: DuckDbStore, loadIds: number[], dataset: string) {
  const ids = loadIds.join(', ');
  const perLoad = async (table: string) =>
    store.sql(`SELECT load_id, count(*) AS n FROM ${table} WHERE load_id IN (${ids}) GROUP BY 1 ORDER BY 1`);
  return {
    loads: (await store.loads()).filter((l) => loadIds.includes(l.loadId)),
    facts: await store.sql(
      `SELECT load_id, count(*) AS n, CAST(sum(value) AS VARCHAR) AS total,
         count(*) FILTER (WHERE net_weight_kg IS NULL) AS no_weight, min(source_line) AS l0, max(source_line) AS l1
       FROM facts WHERE load_id IN (${ids}) GROUP BY 1 ORDER BY 1`,
    ),
    slices: await store.sql(`SELECT * FROM slices WHERE load_id IN (${ids}) ORDER BY slice_id`),
    rates: await perLoad('rates'),
    quarantine: await store.sql(`SELECT * FROM quarantine WHERE load_id IN (${ids}) ORDER BY ALL`),
    loadCodes: await store.sql(`SELECT * FROM load_codes WHERE load_id IN (${ids}) ORDER BY ALL`),
    datasets: (await store.datasets()).filter((d) => d.dataset === dataset),
    cells: await store.cells({ datasets: [dataset] }),
    areas: await store.sql('SELECT * FROM areas_dim ORDER BY id'),
    products: await store.sql('SELECT * FROM products_dim ORDER BY id'),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** The baseline's content is the same, and dimension rows were only appended. */
function expectUnchanged(before: Snapshot, after: Snapshot): void {
  const { areas: a0, products: p0, ...rest0 } = before;
  const { areas: a1, products: p1, ...rest1 } = after;
  expect(rest1).toEqual(rest0);
  expect(a1.slice(0, a0.length)).toEqual(a0);
  expect(p1.slice(0, p0.length)).toEqual(p0);
}

async function tableCounts(store: DuckDbStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ALL_TABLES) out[t] = Number((await store.sql(`SELECT count(*) AS n FROM ${t}`))[0]?.n);
  return out;
}

interface Harness {
  dir: string;
  store: DuckDbStore;
  path: string;
  ingest: (file: string, format: Format, mapping?: string) => Promise<IngestReport>;
}

async function openHarness(prefix: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), `tradescope-faults-${prefix}-`));
  const path = join(dir, 'store.duckdb');
  const store = await DuckDbStore.open(path);
  return {
    dir,
    store,
    path,
    ingest: (file, format, mapping) =>
      ingestFile(store, file, { format, ...(mapping ? { mapping } : {}), stagingBase: path }),
  };
}

async function closeHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.store.close();
  rmSync(h.dir, { recursive: true, force: true });
}

function byLine(rows: QuarantineRow[]): Map<number, QuarantineRow> {
  return new Map(rows.map((r) => [r.line ?? -1, r]));
}

// ---------------------------------------------------------------------------------------------------------

describe('BACI copy with injected faults', () => {
  let h: Harness;
  let baselineLoad: number;
  let before: Snapshot;
  let report: IngestReport;
  let faulty: ReturnType<typeof injectLines>;
  let quarantined: QuarantineRow[];
  const original = readFileSync(BACI);
  // the original, read independently: header + data rows `t,i,j,k,v,q` (q quoted and padded, NA = missing)
  const dataRows = original
    .toString('utf8')
    .split('\r\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((f) => f.replace(/"/g, '').trim()));

  const INJ: Injection[] = [
    { before: 100, what: 'columns', bytes: Buffer.from('2021,4,24,382390,52.051,"       13.235",7') },
    { before: 2000, what: 'number', bytes: Buffer.from('2021,4,24,382390,abc,"        1.000"') },
    { before: 30000, what: 'partner', bytes: Buffer.from('2021,710,9999,382390,5.500,"        1.000"') },
    {
      before: 50000,
      what: 'encoding',
      bytes: Buffer.concat([Buffer.from('2021,710,24,'), Buffer.from([0xff, 0xfe]), Buffer.from('382390,1.000,"1"')]),
    },
    { before: 60000, what: 'blank', bytes: Buffer.alloc(0) },
  ];

  beforeAll(async () => {
    h = await openHarness('baci');
    const base = await h.ingest(FRED, 'csv', FRED_MAPPING);
    expect(base.status).toBe('loaded');
    baselineLoad = base.loadId!;
    before = await snapshot(h.store, [baselineLoad], 'fred-impch');
    faulty = injectLines(original, INJ, Buffer.from('2021,710,'));
    // keep the file name: dataset baci-hs92 and vintage 2023-01 come from it
    const file = join(h.dir, 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
    writeFileSync(file, faulty.bytes);
    report = await h.ingest(file, 'baci');
    quarantined = await h.store.quarantine({ loadId: report.loadId! });
  });
  afterAll(() => closeHarness(h));

  it('the original file: 71,192 rows, NA only in q (missing quantity, not a bad row)', () => {
    expect(dataRows.length).toBe(71_192);
    expect(dataRows.every((r) => r.length === 6)).toBe(true);
    expect(dataRows.filter((r) => !/^\d+(\.\d+)?$/.test(r[4]!)).length).toBe(0);
    expect(dataRows.filter((r) => r[5] === 'NA').length).toBeGreaterThan(1000);
  });

  it('counts: every good row loaded, exactly the injected rows quarantined, the blank line skipped', async () => {
    const good = dataRows.length; // none of the original rows is bad (checked above)
    const bad = 5; // columns, number, partner, encoding, truncated tail (the blank line is not a record)
    expect(report.status).toBe('loaded');
    expect(report.dataset).toBe('baci-hs92');
    expect(report.vintage).toBe('2023-01-01');
    expect({
      rowsRead: report.rowsRead,
      rowsLoaded: report.rowsLoaded,
      rowsQuarantined: report.rowsQuarantined,
      blankLines: report.blankLines,
    }).toEqual({ rowsRead: good + bad, rowsLoaded: good, rowsQuarantined: bad, blankLines: 1 });
    const load = (await h.store.loads()).find((l) => l.loadId === report.loadId);
    expect(load).toMatchObject({ rowsRead: good + bad, rowsLoaded: good, rowsQuarantined: bad, blankLines: 1 });
  });

  it('the quarantine holds exactly the injected lines', () => {
    const inj = faulty.injected;
    expect(inj.get('columns')).toBe(101);
    expect(inj.get('truncated')).toBe(1 + 71_192 + 5 + 1);
    const expected = ['columns', 'number', 'partner', 'encoding', 'truncated'].map((w) => inj.get(w)!);
    expect(quarantined.map((q) => q.line).sort((a, b) => a! - b!)).toEqual(expected);
    expect(quarantined.map((q) => q.line)).not.toContain(inj.get('blank'));
    const at = byLine(quarantined);
    expect(at.get(inj.get('columns')!)?.code).toBe('wrong-column-count');
    expect(at.get(inj.get('number')!)?.rawValue).toBe('abc');
    expect(at.get(inj.get('partner')!)).toMatchObject({ code: 'unknown-partner', rawValue: '9999' });
    expect(at.get(inj.get('truncated')!)?.rawLine).toBe('2021,710,');
  });

  it('the quarantine names the field: v for the non-number, j for the unknown importer', () => {
    const at = byLine(quarantined);
    expect(at.get(faulty.injected.get('number')!)?.field).toBe('v');
    expect(at.get(faulty.injected.get('partner')!)?.field).toBe('j');
  });

  it('the line with bytes invalid in UTF-8 is quarantined as an encoding problem', () => {
    const row = byLine(quarantined).get(faulty.injected.get('encoding')!);
    expect(row?.code).toBe('bad-encoding');
  });

  it('loaded values are exact and complete: sums per exporter equal the file (v × 1000, BigInt)', async () => {
    const expected = new Map<string, bigint>();
    for (const r of dataRows) {
      const who = r[1] === '710' ? 'ZAF' : r[1] === '4' ? 'AFG' : `?${r[1]}`;
      expected.set(who, (expected.get(who) ?? 0n) + units(r[4]!, 7)); // thousand USD → USD, 4 decimals
    }
    expect([...expected.keys()].sort()).toEqual(['AFG', 'ZAF']);
    const rows = await h.store.sql(
      `SELECT reporter, count(*) AS n, CAST(sum(value) AS VARCHAR) AS total FROM fact_cells
       WHERE load_id = $1 GROUP BY 1 ORDER BY 1`,
      [report.loadId!],
    );
    const got = new Map(rows.map((r) => [String(r.reporter), units(String(r.total), 4)]));
    expect(got.get('ZAF')).toBe(expected.get('ZAF'));
    expect(got.get('AFG')).toBe(expected.get('AFG'));
    expect(rows.map((r) => Number(r.n)).reduce((a, b) => a + b, 0)).toBe(dataRows.length);
    // NA quantities load as missing weights
    const noWeight = await h.store.sql('SELECT count(*) AS n FROM facts WHERE load_id = $1 AND net_weight_kg IS NULL', [
      report.loadId!,
    ]);
    expect(Number(noWeight[0]?.n)).toBe(dataRows.filter((r) => r[5] === 'NA').length);
  });

  it("a fact's source line points at its row of the faulty copy", async () => {
    for (const idx of [150, 2001, 45_000, 60_000, 71_192]) {
      const r = dataRows[idx - 1]!;
      const line = faulty.lineOf.get(idx)!;
      const rows = await h.store.sql(
        `SELECT reporter, product, CAST(value AS VARCHAR) AS value FROM fact_cells WHERE load_id = $1 AND source_line = $2`,
        [report.loadId!, line],
      );
      expect(rows, `line ${line}`).toHaveLength(1);
      expect(rows[0]?.reporter).toBe(r[1] === '710' ? 'ZAF' : 'AFG');
      expect(rows[0]?.product).toBe(r[3]!.padStart(6, '0'));
      expect(units(String(rows[0]?.value), 4)).toBe(units(r[4]!, 7));
    }
  });

  it('the store is otherwise unchanged', async () => {
    expectUnchanged(before, await snapshot(h.store, [baselineLoad], 'fred-impch'));
    expect((await h.store.loads()).map((l) => l.loadId)).toEqual([baselineLoad, report.loadId]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('Comtrade copy (converted to UTF-8) with injected faults', () => {
  let h: Harness;
  let baselineLoad: number;
  let before: Snapshot;
  let report: IngestReport;
  let faulty: ReturnType<typeof injectLines>;
  let quarantined: QuarantineRow[];
  // the original is latin-1; a UTF-8 copy keeps é, ç, ü as two-byte sequences
  const latin1 = readFileSync(COMTRADE);
  const utf8 = Buffer.from(iconv.decode(latin1, 'latin1'), 'utf8');
  // every data row ends with a comma: one more (empty) field than the header
  const records = parse(iconv.decode(latin1, 'latin1'), { columns: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  const headerFields = (parse(utf8.subarray(0, utf8.indexOf(CRLF)).toString(), {}) as string[][])[0]!;
  const { lines } = crlfLines(utf8);
  /** A copy of data line `i` with one field replaced (fields are quoted and hold no commas in this sample). */
  const withField = (i: number, column: string, value: Buffer): Buffer => {
    const fields = lines[i]!.toString('utf8').split(',');
    expect(fields.length).toBe(headerFields.length + 1);
    const col = headerFields.indexOf(column);
    expect(col).toBeGreaterThanOrEqual(0);
    return Buffer.concat(
      fields.map((f, j) => {
        const b = j === col ? value : Buffer.from(f);
        return j === 0 ? b : Buffer.concat([Buffer.from(','), b]);
      }),
    );
  };
  const isBreakdown = (r: Record<string, string>) =>
    !['', '0'].includes(r.partner2Code!) ||
    !['', '0'].includes(r.motCode!) ||
    !['', '0'].includes(r.mosCode!) ||
    !['', 'C00'].includes(r.customsCode!) ||
    !['X', 'M', 'RX', 'RM'].includes(r.flowCode!);

  beforeAll(async () => {
    h = await openHarness('comtrade');
    const base = await h.ingest(JAPAN, 'csv', JAPAN_MAPPING);
    baselineLoad = base.loadId!;
    before = await snapshot(h.store, [baselineLoad], 'japan-mof-china');
    const INJ: Injection[] = [
      {
        before: 40,
        what: 'columns',
        bytes: Buffer.from(lines[40]!.toString('utf8').split(',').slice(0, 30).join(',')),
      },
      { before: 300, what: 'number', bytes: withField(300, 'primaryValue', Buffer.from('"12x4"')) },
      { before: 700, what: 'partner', bytes: withField(700, 'partnerCode', Buffer.from('"8420"')) },
      {
        before: 1000,
        what: 'encoding',
        bytes: withField(
          1000,
          'partnerDesc',
          Buffer.concat([Buffer.from('"Ger'), Buffer.from([0xff, 0xfe]), Buffer.from('many"')]),
        ),
      },
      { before: 1200, what: 'blank', bytes: Buffer.alloc(0) },
    ];
    faulty = injectLines(utf8, INJ, lines[500]!.subarray(0, 70));
    const file = join(h.dir, 'TradeData_2022_CHN_DEU_USA_by_partner.csv');
    writeFileSync(file, faulty.bytes);
    report = await h.ingest(file, 'comtrade');
    quarantined = await h.store.quarantine({ loadId: report.loadId! });
  });
  afterAll(() => closeHarness(h));

  it('the original: 1,352 records, non-ASCII names, no breakdown records', () => {
    expect(records.length).toBe(1352);
    expect(utf8.length).toBeGreaterThan(latin1.length); // there were latin-1 letters to convert
    expect(records.filter(isBreakdown).length).toBe(0);
  });

  it('counts: good records loaded, exactly the injected ones quarantined, the blank line skipped', () => {
    const good = records.length - records.filter(isBreakdown).length;
    const bad = 5;
    expect(report.encoding).toBe('utf-8');
    expect({
      rowsRead: report.rowsRead,
      rowsLoaded: report.rowsLoaded,
      rowsQuarantined: report.rowsQuarantined,
      blankLines: report.blankLines,
    }).toEqual({ rowsRead: records.length + bad, rowsLoaded: good, rowsQuarantined: bad, blankLines: 1 });
  });

  it('the quarantine holds exactly the injected lines, with fields and reasons', () => {
    const inj = faulty.injected;
    const expected = ['columns', 'number', 'partner', 'encoding', 'truncated'].map((w) => inj.get(w)!);
    expect(quarantined.map((q) => q.line).sort((a, b) => a! - b!)).toEqual(expected);
    const at = byLine(quarantined);
    expect(at.get(inj.get('columns')!)?.code).toBe('wrong-column-count');
    expect(at.get(inj.get('number')!)).toMatchObject({ code: 'bad-number', field: 'primaryValue', rawValue: '12x4' });
    const partner = at.get(inj.get('partner')!)!;
    expect(partner).toMatchObject({ code: 'unknown-partner', field: 'partnerCode', rawValue: '8420' });
    expect(partner.reason).toMatch(/\b842\b/);
    const enc = at.get(inj.get('encoding')!)!;
    expect(enc.code).toBe('bad-encoding');
    expect(enc.rawLine).toContain('Ger\\xFF\\xFEmany');
    expect(at.get(inj.get('truncated')!)?.rawLine).toBe(lines[500]!.subarray(0, 70).toString());
  });

  it('loaded values are exact: the sum of primaryValue per reporter and flow equals the file', async () => {
    const expected = new Map<string, bigint>();
    for (const r of records) {
      const key = `${r.reporterISO}/${r.flowCode}`;
      expected.set(key, (expected.get(key) ?? 0n) + units(r.primaryValue!, 4));
    }
    const rows = await h.store.sql(
      `SELECT reporter || '/' || flow AS key, CAST(sum(value) AS VARCHAR) AS total, count(*) AS n
       FROM fact_cells WHERE load_id = $1 GROUP BY 1 ORDER BY 1`,
      [report.loadId!],
    );
    expect(new Map(rows.map((r) => [String(r.key), units(String(r.total), 4)]))).toEqual(expected);
  });

  it("a fact's source line points at its record in the faulty copy", async () => {
    for (const idx of [1, 41, 699, 1001, 1352]) {
      const r = records[idx - 1]!;
      const rows = await h.store.sql(
        `SELECT reporter, flow, CAST(value AS VARCHAR) AS value FROM fact_cells WHERE load_id = $1 AND source_line = $2`,
        [report.loadId!, faulty.lineOf.get(idx)!],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ reporter: r.reporterISO, flow: r.flowCode });
      expect(units(String(rows[0]?.value), 4)).toBe(units(r.primaryValue!, 4));
    }
  });

  it('the store is otherwise unchanged', async () => {
    expectUnchanged(before, await snapshot(h.store, [baselineLoad], 'japan-mof-china'));
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('mapped CSV (census, wide: Exports and Imports cells per row) with injected faults', () => {
  let h: Harness;
  let baselineLoad: number;
  let before: Snapshot;
  let report: IngestReport;
  let faulty: ReturnType<typeof injectLines>;
  let quarantined: QuarantineRow[];
  const original = readFileSync(CENSUS);
  const rows = parse(original, { columns: true, delimiter: ';', skip_empty_lines: true }) as Record<string, string>[];

  beforeAll(async () => {
    h = await openHarness('census');
    const base = await h.ingest(KOREA, 'csv', KOREA_MAPPING);
    baselineLoad = base.loadId!;
    before = await snapshot(h.store, [baselineLoad], 'kosis-korea-china');
    // new periods (2020 is not in the file), so the good cells of the injected rows repeat no cell
    faulty = injectLines(original, [
      { before: 50, what: 'exports', bytes: Buffer.from('January 2020;n/a;9,999.9;-9,999.9') },
      { before: 120, what: 'date', bytes: Buffer.from('Smarch 2020;1,000.0;2,000.0;-1,000.0') },
      { before: 200, what: 'blank', bytes: Buffer.alloc(0) },
    ]);
    const file = join(h.dir, 'usa-china-trade-data.csv');
    writeFileSync(file, faulty.bytes);
    report = await h.ingest(file, 'csv', CENSUS_MAPPING);
    quarantined = await h.store.quarantine({ loadId: report.loadId! });
  });
  afterAll(() => closeHarness(h));

  it('counts cells: records read = cells staged + unreadable rows', () => {
    expect(rows.length).toBe(228);
    const cells = rows.length * 2; // Exports and Imports of every original row
    // the n/a row stages its Imports cell and reports its Exports cell; the bad date row is one unreadable row
    expect({
      rowsRead: report.rowsRead,
      rowsLoaded: report.rowsLoaded,
      rowsQuarantined: report.rowsQuarantined,
      blankLines: report.blankLines,
    }).toEqual({ rowsRead: cells + 1 + 1 + 1, rowsLoaded: cells + 1, rowsQuarantined: 2, blankLines: 1 });
  });

  it('the quarantine names the line and column of each fault', () => {
    expect(quarantined.map((q) => [q.line, q.code, q.field, q.rawValue])).toEqual([
      [faulty.injected.get('exports'), 'bad-number', 'Exports', 'n/a'],
      [faulty.injected.get('date'), 'bad-period', 'Month', 'Smarch 2020'],
    ]);
  });

  it("the row with a bad Exports value still loads its Imports cell; sums equal the file's", async () => {
    const jan = await h.store.cells({ datasets: ['census-usa-china'], windows: [{ start: 202001, end: 202001 }] });
    expect(jan.map((c) => [c.flow, c.value, c.sourceLine])).toEqual([
      ['M', '9999900000', faulty.injected.get('exports')],
    ]);
    const sum = (col: string) => rows.reduce((a, r) => a + units(r[col]!, 10), 0n); // million USD → USD, 4 dp
    const got = await h.store.sql(
      `SELECT flow, CAST(sum(value) AS VARCHAR) AS total, count(*) AS n FROM fact_cells
       WHERE load_id = $1 AND period_start < 202001 GROUP BY 1 ORDER BY 1`,
      [report.loadId!],
    );
    expect(got.map((r) => [r.flow, units(String(r.total), 4), Number(r.n)])).toEqual([
      ['M', sum('Imports'), rows.length],
      ['X', sum('Exports'), rows.length],
    ]);
  });

  it("a cell's source line points at its row", async () => {
    for (const idx of [1, 49, 50, 150, 228]) {
      const r = rows[idx - 1]!;
      const got = await h.store.sql(
        `SELECT flow, CAST(value AS VARCHAR) AS value FROM fact_cells WHERE load_id = $1 AND source_line = $2 ORDER BY flow`,
        [report.loadId!, faulty.lineOf.get(idx)!],
      );
      expect(got.map((g) => [g.flow, units(String(g.value), 4)])).toEqual([
        ['M', units(r.Imports!, 10)],
        ['X', units(r.Exports!, 10)],
      ]);
    }
  });

  it('the store is otherwise unchanged', async () => {
    expectUnchanged(before, await snapshot(h.store, [baselineLoad], 'kosis-korea-china'));
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('a file with no loadable record', () => {
  let h: Harness;
  afterAll(() => closeHarness(h));

  it('fails with a UserError and leaves the store exactly as it was', async () => {
    h = await openHarness('empty');
    const base = await h.ingest(FRED, 'csv', FRED_MAPPING);
    expect(base.rowsLoaded).toBeGreaterThan(0);
    const fullBefore = {
      counts: await tableCounts(h.store),
      snap: await snapshot(h.store, [base.loadId!], 'fred-impch'),
    };
    const file = join(h.dir, 'BACI_HS92_Y2021_V202301_bad.csv');
    writeFileSync(
      file,
      '"t","i","j","k","v","q"\r\n2021,4,24,382390,abc,"1.000"\r\n2021,4,9999,382390,1.000,"1.000"\r\n2021,4,24\r\n',
    );
    const err = await h.ingest(file, 'baci').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/no loadable record/);
    expect((err as UserError).problems.map((p) => p.at?.line)).toEqual([2, 3, 4]);
    expect({
      counts: await tableCounts(h.store),
      snap: await snapshot(h.store, [base.loadId!], 'fred-impch'),
    }).toEqual(fullBefore);
    // the ingest cleaned up its staging tables in the store's connection
    const temps = await h.store.sql('SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1');
    expect(temps).toEqual([]);
    // and the next ingest works as usual
    const next = await h.ingest(BACI, 'baci');
    expect(next).toMatchObject({ status: 'loaded', rowsLoaded: 71_192, rowsQuarantined: 0 });
  });

  it('the same holds for a mapped CSV whose every row is bad', async () => {
    const before = await tableCounts(h.store);
    const loadsBefore = await h.store.loads();
    const file = join(h.dir, 'usa-china-trade-data.csv');
    writeFileSync(file, 'Month;Exports;Imports;Balance\r\nJanuary 2001;x;y;z\r\nFoo 2001;1;2;3\r\n');
    await expect(h.ingest(file, 'csv', CENSUS_MAPPING)).rejects.toBeInstanceOf(UserError);
    expect(await tableCounts(h.store)).toEqual(before);
    expect(await h.store.loads()).toEqual(loadsBefore);
  });
});
