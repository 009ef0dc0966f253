/**
 * The CLI as a user runs it: `node bin/tradescope.js …` in a child process, against a store in a temp dir.
 * Expected figures come from the bundled sources, read here with csv-parse (the GAC CSV twin of the
 * workbook the demo loads; its 进口 / 出口 labels are swapped: 进口_年初至今 holds EXPORTS, in 万元).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../src/model/regions.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const GACC_CSV = fileURLToPath(new URL('../test/fixtures/gacc/gacc_region_monthly_2024_2025.csv', import.meta.url));
const CENSUS = join(ROOT, 'data', 'partner-series', 'usa-china-trade-data.csv');
const CENSUS_MAPPING = join(ROOT, 'mappings', 'census-usa-china.yaml');
const exec = promisify(execFile);

const BUNDLED_DATASETS = [
  'baci-hs92',
  'census-usa-china',
  'comtrade',
  'comtrade-critical-minerals',
  'ember-china-solar-exports',
  'fred-china-exports-sa',
  'fred-impch',
  'gacc-region-monthly',
  'gacc-release-cny', // the demo's GAC release pages (data/gacc-releases), loaded after the 11 files
  'gacc-release-usd',
  'imf-dots-china-exports',
  'japan-mof-china',
  'kosis-korea-china',
];

/** The six Zhejiang prefecture-level cities present in the GAC sample. */
const ZHEJIANG_CITIES = ['杭州市', '宁波市', '温州市', '湖州市', '金华市', '台州市'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tradescope(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** GAC's published YTD for a region and month, in CNY (万元 × 10^4), read from the CSV. */
function gaccYtd(region: string, month: string): { exports: bigint; imports: bigint } {
  const rows = parse(readFileSync(GACC_CSV), { columns: true, bom: true }) as Record<string, string>[];
  const r = rows.find((x) => x.region === region && x.时间 === month);
  if (!r) throw new Error(`no ${region} ${month} in ${GACC_CSV}`);
  // swapped labels: 进口 holds exports, 出口 holds imports
  return { exports: BigInt(r.进口_年初至今!) * 10_000n, imports: BigInt(r.出口_年初至今!) * 10_000n };
}

/** The row of one measure (and region) in a query result's long table. */
type ResultRow = Record<string, string | number | null>;
const rowOf = (res: { rows: ResultRow[] }, measure: string, region?: string): ResultRow => {
  const row = res.rows.find((r) => r.measure === measure && (region === undefined || r.region === region));
  if (!row) throw new Error(`no ${measure} row${region ? ` for ${region}` : ''}`);
  return row;
};

describe('tradescope CLI', () => {
  let dir: string;
  let db: string;
  let demo1: Run;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
      await exec('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT });
    }
    dir = mkdtempSync(join(tmpdir(), 'tradescope-cli-'));
    db = join(dir, 'store.duckdb');
    demo1 = await tradescope('demo', '--db', db);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('demo builds the store and prints the headline table', () => {
    expect(demo1.code, demo1.stderr).toBe(0);
    expect(demo1.stdout).toContain('25,454,537,240,000'); // 2024 exports, CNY
    expect(demo1.stdout).toContain('+7.18%'); // H1 2025 exports YoY
    expect(demo1.stdout).toContain('13,000,388,810,000');
    // then what GAC's release pages say: (4)'s Total row, Jan–Feb 2025 (38,812.1 and 26,551.5 × 10^8 CNY)
    expect(demo1.stdout).toMatch(/exports {2}3,881,210,000,000 +\+3\.40%/);
    expect(demo1.stdout).toMatch(/imports {2}2,655,150,000,000 +-7\.30%/);
    expect(demo1.stdout).toMatch(/European Union +568,260,000,000 +\+1\.80%/); // 5,682.6, +1.8 on the page
    expect(demo1.stdout).toMatch(/LUGG +9,955,000,000 +-12\.71%/); // Jan–Apr 2025, USD 9,955.0 million
    expect(demo1.stdout).toContain(
      "source: GAC preliminary release: (4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY), published 2025-03-11",
    );
    expect(demo1.stderr).toMatch(/building/);
    expect(demo1.stderr.match(/^ {2}loaded /gm)).toHaveLength(11);
  });

  it('a second demo changes nothing: every file unchanged, the same table', async () => {
    const demo2 = await tradescope('demo', '--db', db);
    expect(demo2.code, demo2.stderr).toBe(0);
    expect(demo2.stderr.match(/^ {2}unchanged /gm)).toHaveLength(11);
    expect(demo2.stderr).not.toMatch(/^ {2}loaded /m);
    expect(demo2.stdout).toBe(demo1.stdout);
  });

  it('query China YTD: the published cumulative, exact, without naming a dataset', async () => {
    const r = await tradescope('query', '--reporter', 'CHN', '--period', 'ytd:2025-06', '--json', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.provenance.dataset).toBe('gacc-region-monthly');
    const want = gaccYtd('全国', '2025-06');
    expect(res.rows.map((r: ResultRow) => r.measure)).toEqual(['exports', 'imports', 'balance', 'total']);
    expect(rowOf(res, 'exports')).toMatchObject({ value: '13000388810000', basis: 'published cumulative' });
    expect(BigInt(rowOf(res, 'exports').value!)).toBe(want.exports);
    expect(BigInt(rowOf(res, 'imports').value!)).toBe(want.imports);
    expect(BigInt(rowOf(res, 'balance').value!)).toBe(want.exports - want.imports);
  });

  it('the reporter can be given as CHN, 156 or CN', async () => {
    const rows: unknown[] = [];
    for (const code of ['CHN', '156', 'CN']) {
      const r = await tradescope('query', '--reporter', code, '--period', 'ytd:2025-06', '--json', '--db', db);
      expect(r.code, `${code}: ${r.stderr}`).toBe(0);
      rows.push(JSON.parse(r.stdout).rows);
    }
    expect((rows[0] as ResultRow[]).find((r) => r.measure === 'exports')?.value).toBe('13000388810000');
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  });

  it('USA → CHN is described by two datasets: exit 2 naming both; --dataset picks one', async () => {
    const r = await tradescope('query', '--reporter', 'USA', '--partner', 'CHN', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('census-usa-china');
    expect(r.stderr).toContain('fred-impch');
    expect(r.stderr).toMatch(/--dataset/);
    expect(r.stdout).toBe('');
    const ok = await tradescope(
      'query',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--dataset',
      'fred-impch',
      '--json',
      '--db',
      db,
    );
    expect(ok.code, ok.stderr).toBe(0);
    const res = JSON.parse(ok.stdout);
    expect(res.provenance.dataset).toBe('fred-impch');
    expect(res.provenance.currency).toBe('USD');
  });

  it('datasets --json lists the 11 bundled datasets and the 2 of the release pages, with their vintages', async () => {
    const r = await tradescope('datasets', '--json', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as {
      datasets: { dataset: string; rows: number; vintages: { vintage: string; loads: number }[] }[];
      loads: unknown[];
    };
    expect(res.datasets.map((d) => d.dataset).sort()).toEqual(BUNDLED_DATASETS);
    expect(res.loads).toHaveLength(16); // 11 bundled files and 5 release pages
    for (const d of res.datasets) {
      expect(d.vintages.length, d.dataset).toBeGreaterThan(0);
      for (const v of d.vintages) expect(v.vintage).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.rows, d.dataset).toBeGreaterThan(0);
    }
    const vintage = (id: string) => res.datasets.find((d) => d.dataset === id)?.vintages.map((v) => v.vintage);
    expect(vintage('baci-hs92')).toEqual(['2023-01-01']); // from the release in the file name
    expect(vintage('census-usa-china')).toEqual(['2025-05-23']); // from the mapping
    expect(res.datasets.find((d) => d.dataset === 'baci-hs92')?.rows).toBe(71_192);
  });

  it('quarantine --json works (after the demo: only the repeated rows of the DOTS file; then a faulty file)', async () => {
    const r = await tradescope('quarantine', '--json', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    // the DOTS long file repeats some partner × year rows word for word: each repeat is kept once
    const dots = readFileSync(
      join(ROOT, 'data', 'china-partners', 'DOTS_40_China_exports_by_partner_annual_long.csv'),
      'utf8',
    )
      .split('\n')
      .slice(1)
      .filter(Boolean);
    const seen = new Set<string>();
    let repeats = 0;
    for (const l of dots) {
      if (seen.has(l)) repeats++;
      seen.add(l);
    }
    const dupRows = JSON.parse(r.stdout) as { dataset: string; code: string }[];
    expect(dupRows.length).toBe(repeats);
    expect(dupRows.every((x) => x.dataset === 'imf-dots-china-exports' && x.code === 'duplicate-cell')).toBe(true);

    const other = join(dir, 'faulty.duckdb');
    const lines = readFileSync(CENSUS, 'utf8').split('\r\n');
    lines.splice(50, 0, 'January 2020;n/a;9,999.9;-9,999.9'); // line 51
    const file = join(dir, 'usa-china-trade-data.csv');
    writeFileSync(file, lines.join('\r\n'));
    const ing = await tradescope(
      'ingest',
      file,
      '--format',
      'csv',
      '--mapping',
      CENSUS_MAPPING,
      '--db',
      other,
      '--json',
    );
    expect(ing.code, ing.stderr).toBe(0);
    expect(JSON.parse(ing.stdout)).toMatchObject({ rowsRead: 456 + 2, rowsLoaded: 456 + 1, rowsQuarantined: 1 });
    const q = await tradescope('quarantine', '--json', '--db', other);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toMatchObject([
      { dataset: 'census-usa-china', line: 51, field: 'Exports', rawValue: 'n/a', code: 'bad-number' },
    ]);
  });

  it('--help of every command exits 0; query documents the period grammar', async () => {
    const top = await tradescope('--help');
    expect(top.code).toBe(0);
    for (const cmd of ['ingest', 'datasets', 'quarantine', 'query', 'demo']) {
      expect(top.stdout).toContain(cmd);
      const r = await tradescope(cmd, '--help');
      expect(r.code, `${cmd} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: tradescope ${cmd}`));
      expect(r.stdout).toContain('--db');
    }
    const q = await tradescope('query', '--help');
    for (const form of [
      '2025-06',
      '2025-Q1',
      '2025-H1',
      '2025-01..2025-06',
      'ytd:2025-06',
      'r12:2025-06',
      '2025-01+02',
    ]) {
      expect(q.stdout).toContain(form);
    }
  });

  it('an unknown flag exits 2 naming it', async () => {
    const r = await tradescope('query', '--reporter', 'CHN', '--bogus', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus');
    const i = await tradescope('ingest', CENSUS, '--format', 'xlsx', '--db', db);
    expect(i.code).toBe(2);
    expect(i.stderr).toContain('xlsx');
    const when = await tradescope('ingest', CENSUS, '--format', 'csv', '--rollups', 'soon', '--db', db);
    expect(when.code).toBe(2);
    expect(when.stderr).toMatch(/--rollups: soon .*now or later/);
  });

  it('a bad period exits 2 naming the period (with or without --dataset)', async () => {
    const withDataset = await tradescope(
      'query',
      '--reporter',
      'CHN',
      '--period',
      '2025-13',
      '--dataset',
      'gacc-region-monthly',
      '--db',
      db,
    );
    expect(withDataset.code).toBe(2);
    expect(withDataset.stderr).toMatch(/period/);
    expect(withDataset.stderr).toContain('2025-13');
    const plain = await tradescope('query', '--reporter', 'CHN', '--period', '2025-13', '--db', db);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/period: invalid period: 2025-13/);
  });

  it("query --region 浙江省: Zhejiang's published YTD", async () => {
    const r = await tradescope(
      'query',
      '--reporter',
      'CHN',
      '--region',
      '浙江省',
      '--period',
      'ytd:2025-06',
      '--json',
      '--db',
      db,
    );
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    const want = gaccYtd('浙江省', '2025-06');
    expect(res.spec.region).toBe('浙江省');
    expect(rowOf(res, 'exports').basis).toBe('published cumulative');
    expect(BigInt(rowOf(res, 'exports').value!)).toBe(want.exports);
    expect(BigInt(rowOf(res, 'imports').value!)).toBe(want.imports);
    expect(BigInt(rowOf(res, 'balance').value!)).toBe(want.exports - want.imports);
  });

  it('--region-level city --region 330000: the six Zhejiang cities and the rest of Zhejiang', async () => {
    const r = await tradescope(
      'query',
      '--reporter',
      'CHN',
      '--region-level',
      'city',
      '--region',
      '330000',
      '--period',
      'ytd:2025-06',
      '--dataset',
      'gacc-region-monthly',
      '--json',
      '--db',
      db,
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout).rows as ResultRow[]).filter((x) => x.measure === 'exports');
    const cities = rows.filter((x) => x.region !== '(rest)');
    const name = (code: string) => regionByCode(code)?.nameZh ?? code;
    expect(cities.map((c) => name(String(c.region))).sort()).toEqual([...ZHEJIANG_CITIES].sort());
    let sum = 0n;
    for (const c of cities) {
      const want = gaccYtd(name(String(c.region)), '2025-06').exports;
      expect(BigInt(c.value!), String(c.region)).toBe(want);
      sum += want;
    }
    const rest = rows.filter((x) => x.region === '(rest)');
    expect(rest).toHaveLength(1);
    expect(BigInt(rest[0]!.value!)).toBe(gaccYtd('浙江省', '2025-06').exports - sum);
  });

  it('the city breakdown needs no --dataset either (only GAC has regions)', async () => {
    const r = await tradescope(
      'query',
      '--reporter',
      'CHN',
      '--region-level',
      'city',
      '--region',
      '330000',
      '--period',
      'ytd:2025-06',
      '--json',
      '--db',
      db,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).provenance.dataset).toBe('gacc-region-monthly');
  });
});

describe('tradescope CLI: classifications, groups, codes, exchange rates', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradescope-cli3-'));
    db = join(dir, 'store.duckdb');
    await tradescope('demo', '--db', db);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hs: 854143 and 8541.43 give the same answer, with heading, chapter and section', async () => {
    const a = await tradescope('hs', '854143', '--json');
    const b = await tradescope('hs', '8541.43', '--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/8541/);
    expect(a.stdout).toMatch(/XVI/);
    const lithium = await tradescope('hs', 'lithium');
    expect(lithium.stdout).toMatch(/8507\.60/);
  });

  it('convert: 854142 → 854140 is n:1 read from HS2022 to HS2017, 1:n the other way', async () => {
    const down = await tradescope('convert', '--from', 'HS2022', '--to', 'HS2017', '854142');
    expect(down.stdout).toMatch(/854142\s+854140\s+n:1/);
    const up = await tradescope('convert', '--from', 'HS2017', '--to', 'HS2022', '854140');
    expect(up.stdout).toMatch(/854140\s+854142\s+1:n/);
  });

  it('groups: EU has 28 members on 2019-12-31 and 27 on 2020-02-01; ASEAN 10 then 11', async () => {
    const count = async (...args: string[]) => {
      const r = await tradescope('groups', ...args, '--json');
      expect(r.code).toBe(0);
      return Number(/(\d+) members/.exec((await tradescope('groups', ...args)).stdout)?.[1]);
    };
    expect(await count('EU', '--at', '2019-12-31')).toBe(28);
    expect(await count('EU', '--at', '2020-02-01')).toBe(27);
    expect(await count('ASEAN', '--at', '2025-10-25')).toBe(10);
    expect(await count('ASEAN', '--at', '2025-10-27')).toBe(11);
  });

  it('countries: 842 and USA name the same country in English and Chinese; unknown codes get suggestions', async () => {
    const a = await tradescope('countries', '842');
    const b = await tradescope('countries', 'USA');
    expect(a.stdout.split('\n')[0]).toBe(b.stdout.split('\n')[0]);
    expect(a.stdout).toMatch(/United States of America \/ 美国/);
    const bad = await tradescope('countries', '8420');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean 842/);
  });

  it('baskets: the New Three on HS2017 uses 8541.40 and reports it over-inclusive', async () => {
    const r = await tradescope('baskets', 'new-three', '--edition', 'HS2017');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/8541\.40\s+over-inclusive/);
  });

  it('query --currency USD: China 2024 exports month by month, about US$3.54 trillion, with the rates and why it differs', async () => {
    const r = await tradescope(
      'query',
      '--db',
      db,
      '--reporter',
      'CHN',
      '--period',
      '2024',
      '--flow',
      'X',
      '--currency',
      'USD',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const usd = Number(rowOf(j, 'exports').value);
    expect(usd).toBeGreaterThan(3.53e12);
    expect(usd).toBeLessThan(3.55e12);
    expect(Math.abs(usd - 3.58e12) / 3.58e12).toBeLessThan(0.015);
    expect(j.provenance.fx.rates).toHaveLength(12);
    expect(j.notes.map((n: { message: string }) => n.message).join(' ')).toMatch(/customs exchange rate/);
  });

  it('a plain query on BACI (no World row, no all-products row) answers as --measure value does', async () => {
    // independent: the file's v column (thousand USD) summed exactly, product codes padded to six digits
    const lines = readFileSync(join(ROOT, 'data', 'baci', 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const sum = (exporter: string, prefix: string) =>
      lines
        .filter((f) => f[1] === exporter && f[3]!.trim().padStart(6, '0').startsWith(prefix))
        .reduce((acc, f) => {
          // thousand USD with up to three decimals: in units of 1 USD
          const [int, frac = ''] = f[4]!.replace(/"/g, '').trim().split('.');
          return acc + BigInt(`${int}${frac.padEnd(3, '0')}`);
        }, 0n);
    for (const [reporter, code, product] of [
      ['ZAF', '710', '8541'],
      ['AFG', '4', '0813'],
    ] as const) {
      const want = sum(code, product);
      const plain = await tradescope(
        'query',
        '--reporter',
        reporter,
        '--period',
        '2021',
        '--product',
        product,
        '--json',
        '--db',
        db,
      );
      expect(plain.code, plain.stderr).toBe(0);
      expect(BigInt(rowOf(JSON.parse(plain.stdout), 'exports').value as string)).toBe(want);
      const measured = await tradescope(
        'query',
        '--reporter',
        reporter,
        '--period',
        '2021',
        '--product',
        product,
        '--measure',
        'value',
        '--flow',
        'X',
        '--json',
        '--db',
        db,
      );
      expect(BigInt(rowOf(JSON.parse(measured.stdout), 'exports').value as string)).toBe(want);
    }
    expect(sum('710', '8541')).toBe(20_175_255n);
    expect(sum('4', '0813')).toBe(9_774_734n);
  });

  it('fx: CNY rates for a period, per USD, with the series and source', async () => {
    const r = await tradescope('fx', 'CNY', '2024-01..2024-03');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2024-01\s+7\.1707/);
    expect(r.stdout).toMatch(/fed-h10-monthly/);
  });
});

describe('tradescope CLI: the query model', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradescope-cli4-'));
    db = join(dir, 'store.duckdb');
    await tradescope('demo', '--db', db);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('top partners with shares, as a table, CSV, JSON and Parquet', async () => {
    const args = ['query', '--db', db, '--reporter', 'CHN', '--period', '2022', '--flow', 'X', '--by', 'partner'];
    const more = ['--measure', 'value,share', '--top', '5', '--dataset', 'comtrade'];
    const table = await tradescope(...args, ...more);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /USA\s+exports\s+582,756,110,047\s+582\.76 billion\s+published for the period\s+16\.22%/,
    );
    const json = JSON.parse((await tradescope(...args, ...more, '--json')).stdout);
    expect(json.rows.map((r: { partner: string }) => r.partner)).toEqual(['USA', 'HKG', 'JPN', 'KOR', 'VNM', '(rest)']);
    const csv = await tradescope(...args, ...more, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('period,partner,measure,value,currency,basis,months_sum,note,share_pct');
    const parquet = join(dir, 'top.parquet');
    const p = await tradescope(...args, ...more, '--out', parquet);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('a spec file, and malformed specs rejected naming the field', async () => {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ reporter: 'CHN', partner: 'DEU', period: '2022', measures: ['mirror'] }));
    const r = await tradescope('query', '--db', db, '--spec', spec);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/206,642,208,248\.492/);
    const bad = await tradescope('query', '--db', db, '--reporter', 'CHN', '--period', '2022', '--measure', 'volume');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/measures/);
  });
});
