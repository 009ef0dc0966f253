/**
 * Bad input never changes a number silently (issue 15, section 2). Each case runs the CLI as a user does
 * (`node bin/tradescope.js …` against a store in a temp dir) on a real file from `data/`, cut or edited the way the
 * fault happens in the wild. Expected figures are read from the file's own text here (the FRED file prints
 * million USD with six decimals: `293.000000` is 293,000,000 USD), never from the code under test.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const IMPCH = join(ROOT, 'data', 'fred', 'FRED_IMPCH_us_imports_from_china_monthly.csv');
const IMPCH_MAPPING = join(ROOT, 'mappings', 'fred-impch.yaml');
const COMTRADE = join(ROOT, 'data', 'comtrade', 'TradeData_2022_CHN_DEU_USA_by_partner.csv');
const MINERALS = join(ROOT, 'data', 'comtrade', 'china_critical_minerals_hs6_monthly.csv');
const MINERALS_MAPPING = join(ROOT, 'mappings', 'comtrade-critical-minerals.yaml');
const DOTS = join(ROOT, 'data', 'china-partners', 'DOTS_40_China_exports_by_partner_annual_long.csv');
const DOTS_MAPPING = join(ROOT, 'mappings', 'imf-dots-china-exports.yaml');
const XLSX = join(ROOT, 'data', 'gacc', 'gacc_region_monthly_2024_2025.xlsx');
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tradescope(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** The FRED file's own figure for a month, in whole USD: its text (million USD, six decimals) shifted by six places. */
function impchUsd(month: string): number {
  const line = readFileSync(IMPCH, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${month}-01,`));
  if (!line) throw new Error(`no ${month} in ${IMPCH}`);
  const [whole, frac = ''] = line.split(',')[1]!.split('.');
  return Number(`${whole}${frac.padEnd(6, '0').slice(0, 6)}`);
}

interface QueryRow {
  period: string;
  value: string | number | null;
}

/** The report(s) of `ingest --json`: one object for one file. */
function report<T>(stdout: string): T {
  const j = JSON.parse(stdout) as T | T[];
  return Array.isArray(j) ? j[0]! : j;
}

async function monthly(db: string, period: string): Promise<Record<string, number>> {
  const r = await tradescope(
    'query',
    '--db',
    db,
    '--reporter',
    'USA',
    '--partner',
    'CHN',
    '--flow',
    'M',
    '--period',
    period,
    '--by',
    'month',
    '--measure',
    'value',
    '--format',
    'json',
  );
  expect(r.code, r.stderr).toBe(0);
  const rows = (JSON.parse(r.stdout) as { rows: QueryRow[] }).rows;
  // a month without data comes back as a row with no value ("missing"): only the months with a value count here
  return Object.fromEntries(rows.filter((x) => x.value !== null).map((x) => [x.period, Number(x.value)]));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file cut short', () => {
  it('the first 79 bytes of FRED IMPCH: the cut last line (1985-03-01,2) is quarantined, not read as 2 million', async () => {
    const bytes = readFileSync(IMPCH).subarray(0, 79);
    // what the cut looks like, by hand: the file's header, two whole lines and `1985-03-01,2` with no line end
    expect(bytes.toString('utf8').endsWith('\n1985-03-01,2')).toBe(true);
    const file = join(dir, 'impch-79.csv');
    writeFileSync(file, bytes);
    const db = join(dir, 'cut.duckdb');
    const r = await tradescope('ingest', file, '--format', 'csv', '--mapping', IMPCH_MAPPING, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('records read 3 = loaded 2 + quarantined 1');
    const q = await tradescope('quarantine', '--db', db, '--json');
    const rows = JSON.parse(q.stdout) as { line: number; code: string; reason: string }[];
    expect(rows.map((x) => [x.line, x.code])).toEqual([[4, 'truncated-record']]);
    expect(rows[0]!.reason).toContain('"2"');
    const got = await monthly(db, '1985-01..1985-03');
    expect(got).toEqual({ '1985-01': impchUsd('1985-01'), '1985-02': impchUsd('1985-02') });
    expect(got['1985-01']).toBe(293_100_000);
  });

  it('the whole file, and a whole last line without its line end, load every month (the file vouches for them)', async () => {
    const text = readFileSync(IMPCH, 'utf8');
    const months = text.trim().split('\n').length - 1;
    expect(months).toBe(492); // FRED IMPCH 1985-01 … 2025-12, as documented in data/PROVENANCE.md
    const db = join(dir, 'whole.duckdb');
    const r = await tradescope('ingest', IMPCH, '--format', 'csv', '--mapping', IMPCH_MAPPING, '--db', db);
    expect(r.stdout).toContain('records read 492 = loaded 492 + quarantined 0');
    expect((await monthly(db, '1985-03'))['1985-03']).toBe(293_000_000);
    // the first four months, the last one without its line end: its value has the shape of the others
    const cut = text.split('\n').slice(0, 5).join('\n');
    expect(cut.endsWith('\n1985-04-01,283.300000')).toBe(true);
    const file = join(dir, 'impch-4-no-eol.csv');
    writeFileSync(file, cut);
    const db2 = join(dir, 'noeol.duckdb');
    const r2 = await tradescope('ingest', file, '--format', 'csv', '--mapping', IMPCH_MAPPING, '--db', db2);
    expect(r2.stdout).toContain('records read 4 = loaded 4 + quarantined 0');
    expect((await monthly(db2, '1985-04'))['1985-04']).toBe(283_300_000);
  });
});

describe('a corrected mapping', () => {
  it('makes a new load that supersedes the old one for the same cells; datasets shows both', async () => {
    const wrong = join(dir, 'impch-usd.yaml');
    writeFileSync(wrong, readFileSync(IMPCH_MAPPING, 'utf8').replace('unit: million USD', 'unit: USD'));
    const db = join(dir, 'mapping.duckdb');
    const common = ['--format', 'csv', '--db', db, '--vintage', '2026-01-15'];
    expect((await tradescope('ingest', IMPCH, '--mapping', wrong, ...common)).code).toBe(0);
    expect((await monthly(db, '1985-03'))['1985-03']).toBe(293); // the wrong unit: 293.000000 read as USD
    const again = await tradescope('ingest', IMPCH, '--mapping', wrong, ...common);
    expect(again.stdout).toContain('unchanged');
    const fixed = await tradescope('ingest', IMPCH, '--mapping', IMPCH_MAPPING, ...common);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).not.toContain('unchanged');
    expect(fixed.stdout).toContain('records read 492 = loaded 492 + quarantined 0');
    expect(fixed.stdout).toContain('load 1 of the same file');
    const got = await monthly(db, '1985-01..1985-03');
    expect(got).toEqual({ '1985-01': 293_100_000, '1985-02': 281_000_000, '1985-03': 293_000_000 });
    const ds = JSON.parse((await tradescope('datasets', '--db', db, '--json')).stdout) as {
      loads: { loadId: number; mapping?: string }[];
      superseded: { loadId: number; supersededBy: number; mapping?: string }[];
    };
    expect(ds.loads.map((l) => [l.loadId, l.mapping])).toEqual([[2, IMPCH_MAPPING]]);
    expect(ds.superseded.map((l) => [l.loadId, l.supersededBy, l.mapping])).toEqual([[1, 2, wrong]]);
    const text = (await tradescope('datasets', '--db', db)).stdout;
    expect(text).toContain('superseded by load 2');
  });
});

describe('numbers the store cannot keep', () => {
  it('one huge net weight in a Comtrade file: that record is quarantined with its field and value, the rest loads', async () => {
    const rows = parse(readFileSync(COMTRADE), { relax_column_count: true }) as string[][];
    const header = rows[0]!;
    const w = header.indexOf('netWgt');
    // the third record: CHN imports from Afghanistan, all commodities, 42,016,266 USD
    expect([rows[2]![13], rows[2]![w], rows[2]![header.indexOf('primaryValue')]]).toEqual([
      'Afghanistan',
      '0',
      '42016266',
    ]);
    rows[2]![w] = '2000000000000000';
    const file = join(dir, 'comtrade-huge-weight.csv');
    writeFileSync(file, `${rows.map((r) => r.map((f) => (f === '' ? '' : `"${f}"`)).join(',')).join('\n')}\n`);
    const base = report<{ rowsLoaded: number; rowsQuarantined: number; rowsRead: number }>(
      (await tradescope('ingest', COMTRADE, '--format', 'comtrade', '--db', join(dir, 'ct0.duckdb'), '--json')).stdout,
    );
    const db = join(dir, 'ct.duckdb');
    const r = await tradescope('ingest', file, '--format', 'comtrade', '--db', db, '--json');
    expect(r.code, r.stderr).toBe(0);
    const rep = report<typeof base>(r.stdout);
    expect([rep.rowsRead, rep.rowsLoaded, rep.rowsQuarantined]).toEqual([
      base.rowsRead,
      base.rowsLoaded - 1,
      base.rowsQuarantined + 1,
    ]);
    const q = JSON.parse((await tradescope('quarantine', '--db', db, '--json')).stdout) as {
      line: number;
      field: string;
      rawValue: string;
      code: string;
    }[];
    expect(q.filter((x) => x.code === 'weight-too-large').map((x) => [x.line, x.field, x.rawValue])).toEqual([
      [3, 'netWgt', '2000000000000000'],
    ]);
  });

  it('a huge quantity is quarantined; a quantity with more decimals than the store keeps is loaded and reported', async () => {
    const lines = readFileSync(MINERALS, 'utf8').split('\n');
    const file = join(dir, 'minerals.csv');
    writeFileSync(
      file,
      [
        ...lines.slice(0, 4),
        '2017-02-01,Australia,250410,5.0,2000000000000000,0.0',
        '2017-02-01,Japan,250410,7.0,1.23456,0.0',
        '',
      ].join('\n'),
    );
    const db = join(dir, 'minerals.duckdb');
    const r = await tradescope('ingest', file, '--format', 'csv', '--mapping', MINERALS_MAPPING, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('records read 5 = loaded 4 + quarantined 1');
    expect(r.stdout).toContain(
      '1 quantity(ies) had more than 3 decimal places and were rounded to 0.001 (e.g. 1.23456',
    );
    const q = JSON.parse((await tradescope('quarantine', '--db', db, '--json')).stdout) as {
      line: number;
      field: string;
      rawValue: string;
      code: string;
    }[];
    expect(q.map((x) => [x.line, x.field, x.rawValue, x.code])).toEqual([
      [5, 'qty', '2000000000000000', 'quantity-too-large'],
    ]);
  });

  it("numbers.shortestRoundTrip rewrites only a double's 17-digit print, and lists each rewrite", async () => {
    const text = readFileSync(DOTS, 'utf8');
    // by hand from the file: line 2 holds 7.0999999999999996 (the double nearest 7.1, printed to 17 digits);
    // 468.21337536099304 is already the shortest print of its double, so it is kept as written
    expect(text.split('\n')[1]).toContain('7.0999999999999996');
    const line468 = text.split('\n').findIndex((l) => l.includes('468.21337536099304')) + 1;
    expect(line468).toBeGreaterThan(1);
    const r = await tradescope(
      'ingest',
      DOTS,
      '--format',
      'csv',
      '--mapping',
      DOTS_MAPPING,
      '--db',
      join(dir, 'dots.duckdb'),
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const warnings = report<{
      warnings: { code: string; at?: { line?: number }; value?: string; message: string }[];
    }>(r.stdout).warnings;
    const rewrites = warnings.filter((w) => w.code === 'rewritten-number');
    expect(rewrites.find((w) => w.at?.line === 2)?.message).toContain('7.0999999999999996 read as 7.1');
    expect(rewrites.some((w) => w.at?.line === line468)).toBe(false);
    expect(rewrites.every((w) => w.value!.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length === 17)).toBe(
      true,
    );
  });
});

describe('flags that are not numbers', () => {
  it('quarantine --limit -1 | abc and query --top abc: clear errors, exit 2', async () => {
    const db = join(dir, 'whole.duckdb');
    for (const v of ['-1', 'abc', '0', '1.5']) {
      const r = await tradescope('quarantine', '--db', db, `--limit=${v}`);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([
        2,
        `error: --limit: "${v}" is not a row count (a whole number, 1 or more)`,
      ]);
    }
    const t = await tradescope(
      'query',
      '--db',
      db,
      '--reporter',
      'USA',
      '--period',
      '2024',
      '--by',
      'partner',
      '--top',
      'abc',
    );
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('--top: "abc" is not a count (a whole number from 1 to 10000)');
    expect(t.stderr).not.toContain('null');
  });
});

describe('file names', () => {
  it('a name with a comma or a quote comes back intact in datasets', async () => {
    const a = join(dir, 'trade, part 1.csv');
    const b = join(dir, "it's.csv");
    const lines = readFileSync(IMPCH, 'utf8').split('\n');
    writeFileSync(a, `${lines.slice(0, 13).join('\n')}\n`); // 1985
    writeFileSync(b, `${[lines[0], ...lines.slice(13, 25)].join('\n')}\n`); // 1986
    const db = join(dir, 'names.duckdb');
    const r = await tradescope(
      'ingest',
      a,
      b,
      '--format',
      'csv',
      '--mapping',
      IMPCH_MAPPING,
      '--db',
      db,
      '--vintage',
      '2026-01-15',
    );
    expect(r.code, r.stderr).toBe(0);
    const ds = JSON.parse((await tradescope('datasets', '--db', db, '--json')).stdout) as {
      datasets: { vintages: { files: string[] }[] }[];
    };
    expect(ds.datasets[0]!.vintages[0]!.files).toEqual([a, b]);
    const text = (await tradescope('datasets', '--db', db)).stdout;
    expect(text).toContain(`${JSON.stringify(a)}, ${b}`);
  });
});

describe('a file that is not text', () => {
  it('an XLSX workbook given to a delimited reader: one clear error, printed once, without its raw bytes', async () => {
    for (const format of ['csv', 'comtrade', 'sdmx-csv', 'baci']) {
      const copy = join(dir, `workbook-${format}.csv`);
      copyFileSync(XLSX, copy);
      const r = await tradescope(
        'ingest',
        copy,
        '--format',
        format,
        '--mapping',
        IMPCH_MAPPING,
        '--db',
        join(dir, 'x.duckdb'),
      );
      expect(r.code).toBe(2);
      expect(r.stderr.split('this is an XLSX workbook').length - 1).toBe(1);
      expect(r.stderr).toContain('save the sheet as CSV');
      expect(r.stderr).not.toContain(`PK${String.fromCharCode(3)}`);
      expect(r.stderr).not.toContain('docProps');
    }
    const bin = join(dir, 'binary.csv');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
    const r = await tradescope(
      'ingest',
      bin,
      '--format',
      'csv',
      '--mapping',
      IMPCH_MAPPING,
      '--db',
      join(dir, 'x.duckdb'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('this is a binary file (it has NUL bytes)');
  });
});
