/**
 * Queries over classifications, end to end on the bundled data: a currency shown month by month, a partner
 * group over time, a basket applied to the data's HS edition. Expected numbers are worked out here from the
 * source files (csv-parse and BigInt), independently of the code under test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../src/ingest/ingest.js';
import { query } from '../src/query/engine.js';
import { type QueryParamValues, specFromParams } from '../src/query/params.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { repo } from './contract/store-contract.js';

let dir: string;
let store: DuckDbStore;
/** The query `tradescope query` asks with these flags. */
const ask = (params: QueryParamValues) => query(store, specFromParams(params));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-classify-'));
  const path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path);
  await ingestFile(store, repo('data/gacc/gacc_region_monthly_2024_2025.xlsx'), {
    format: 'gacc',
    mapping: repo('mappings/gacc-region-monthly.yaml'),
    stagingBase: path,
  });
  await ingestFile(store, repo('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv'), { format: 'baci', stagingBase: path });
  await ingestFile(store, repo('data/china-partners/mart_solar_exports_full_release_monthly.csv'), {
    format: 'csv',
    mapping: repo('mappings/ember-china-solar-exports.yaml'),
    stagingBase: path,
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Decimal text → units of 10^-scale. */
function units(text: string, scale: number): bigint {
  const [i, f = ''] = text.trim().split('.');
  return BigInt(i!) * 10n ** BigInt(scale) + BigInt((f + '0'.repeat(scale)).slice(0, scale) || '0');
}

describe('currency: China 2024 exports in USD', () => {
  it('converts each month at its CNY/USD rate; about US$3.54 trillion, within 1.5 % of the published 3.58', async () => {
    const r = await ask({ reporter: 'CHN', period: '2024', currency: 'USD', flow: 'X' });
    expect(r.provenance.currency).toBe('USD');
    expect(r.provenance.sourceCurrency).toBe('CNY');
    const x = r.rows.find((row) => row.measure === 'exports')!;
    expect(x.basis).toBe('published cumulative');
    // independent: months (万元, 进口 column = exports) at each month's rate, the published YTD in proportion
    const gacc = parse(readFileSync(repo('test/fixtures/gacc/gacc_region_monthly_2024_2025.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const fx = parse(readFileSync(repo('data/fx/cny-usd-monthly.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const rate = new Map(fx.map((f) => [f.Date!.slice(0, 7), f.Value!.trim()]));
    const months = gacc.filter((g) => g.region === '全国' && g.时间!.startsWith('2024'));
    expect(months).toHaveLength(12);
    // Σ m_i / r_i in USD × 10^12 (rates have 4 decimals)
    let usd = 0n;
    let cny = 0n;
    for (const m of months) {
      const v = BigInt(m.进口_当月!) * 10_000n; // CNY
      usd += (v * 10n ** 16n) / units(rate.get(m.时间!)!, 4); // USD × 10^12
      cny += v;
    }
    const cumulative = BigInt(months.at(-1)!.进口_年初至今!) * 10_000n;
    const expected = (usd * cumulative) / cny / 10n ** 8n; // USD × 10^4
    const got = units(String(x.value), 4);
    // each month is rounded to 0.0001 USD before the proportion: a few units of 0.0001 USD at most
    const diff = got > expected ? got - expected : expected - got;
    expect(diff).toBeLessThanOrEqual(12n);
    const published = 3_580_000_000_000n * 10_000n;
    const gap = Number(published - got) / Number(published);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.015);
    expect(r.provenance.fx?.rates).toHaveLength(12);
    expect(r.provenance.fx?.rates[0]).toMatchObject({
      month: '2024-01',
      fromPerUsd: rate.get('2024-01'),
      toPerUsd: '1',
    });
    expect(r.notes.map((n) => n.message).join(' ')).toMatch(/customs exchange rate/);
  });

  it('a month without a rate is an error naming the month', async () => {
    await expect(
      ask({ reporter: 'CHN', period: '2024', currency: 'USD', 'fx-series': 'no-such-series' }),
    ).rejects.toThrow(/no-such-series/);
  });
});

describe('partner groups', () => {
  // EU members in 2021 (public fact, written here independently of data/groups)
  const EU27 =
    'AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE'.split(
      ' ',
    );

  it("sums South Africa's 2021 exports of HS chapter 85 to the EU's members of the year", async () => {
    const r = await ask({ reporter: 'ZAF', partner: 'EU', product: '85', period: '2021', flow: 'X' });
    const dictText = iconv.decode(readFileSync(repo('data/codes/baci_country_codes_V202201.csv')), 'latin1');
    const dict = parse(dictText, { columns: true }) as Record<string, string>[];
    const eu = new Set(
      dict.filter((d) => EU27.includes(d.iso_3digit_alpha!) && d.country_code !== '58').map((d) => d.country_code),
    );
    eu.add('380'); // Italy in BACI V202301 (381 in the V202201 dictionary)
    const lines = readFileSync(repo('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv'), 'utf8').split('\n').slice(1);
    let total = 0n;
    for (const l of lines) {
      const f = l.split(',');
      if (f[1] === '710' && eu.has(f[2]!) && f[3]!.padStart(6, '0').startsWith('85')) total += units(f[4]!, 3);
    }
    expect(r.rows[0]!.value).toBe(total.toString()); // thousand USD × 10^3 = USD
    expect(r.notes.some((n) => n.code === 'group-members')).toBe(true);
  });

  it("uses a dataset's published group total when it has one (Ember's EU row)", async () => {
    const r = await ask({
      reporter: 'CHN',
      partner: 'EU',
      product: 'new-three/pv-cells',
      period: '2024',
      flow: 'X',
    });
    const rows = parse(readFileSync(repo('data/china-partners/mart_solar_exports_full_release_monthly.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const eu2024 = rows.filter(
      (x) => x.Area === 'EU' && x.Date!.startsWith('2024') && /^8541(42|43|40)/.test(x['Commodity code']!),
    );
    const expected = eu2024.reduce((s, x) => s + units(x['Amount (USD)']!, 4), 0n);
    expect(units(String(r.rows[0]!.value), 4)).toBe(expected);
    expect(r.notes.some((n) => n.code === 'group-published')).toBe(true);
    // the HS2017 reading of the basket is reported as over-inclusive (LEDs share 8541.40)
    expect(r.notes.map((n) => n.message).join(' ')).toMatch(/854140 is over-inclusive/);
  });

  it('a fixed composition counts the same members in every period', async () => {
    const r = await ask({
      reporter: 'ZAF',
      partner: 'EU27_2020',
      period: '2021',
      flow: 'X',
      product: '85',
    });
    const live = await ask({
      reporter: 'ZAF',
      partner: 'EU',
      period: '2021',
      flow: 'X',
      product: '85',
    });
    // in 2021 the EU was the EU27_2020 composition
    expect(r.rows[0]!.value).toBe(live.rows[0]!.value);
  });
});
