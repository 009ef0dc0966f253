/**
 * GAC's preliminary release pages end to end: ingest the folder of real pages (and the derived second vintage),
 * then ask the questions journalists ask of them. Expected figures are read off the pages by hand (values in
 * CNY 100 million or USD 1 million there, in base units here) or added up here from the printed cells.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestReport, ingestFile } from '../src/ingest/ingest.js';
import { listReleaseFiles } from '../src/ingest/readers/gacc-release/index.js';
import { aggregateAreaCodes } from '../src/model/areas.js';
import { type QueryResult, query } from '../src/query/engine.js';
import { specFromParams } from '../src/query/params.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { UserError } from '../src/util/errors.js';
import { repo } from './contract/store-contract.js';

/** The headline query, as `tradescope query` asks it (flags as parameters, `asOf` as `as-of`). */
const headline = (params: Record<string, string | undefined>) => {
  const { asOf, ...rest } = params;
  return query(store, specFromParams({ ...rest, ...(asOf ? { 'as-of': asOf } : {}) }));
};
/** One measure's row, with the names the checks below read. */
const flowOf = (r: QueryResult, measure: string) => {
  const x = r.rows.find((row) => row.measure === measure);
  return {
    value: x?.value ?? null,
    previous: x?.previous ?? null,
    yoy: x?.yoy_pct ?? null,
    publishedYoy: x?.published_yoy_pct ?? null,
  };
};

const FOLDER = repo('test/fixtures/gacc-releases');
let dir: string;
let path: string;
let store: DuckDbStore;
const reports = new Map<string, IngestReport>();
const failures = new Map<string, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-release-'));
  path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  // the real pages (the folder; the derived ones are in derived/ and loaded where a test needs them)
  for (const f of listReleaseFiles(FOLDER)) {
    const name = f.slice(FOLDER.length + 1);
    try {
      reports.set(name, await ingestFile(store, f, { format: 'gacc-release', stagingBase: path, rollups: 'later' }));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      failures.set(name, e.message);
    }
  }
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest of the shared pages', () => {
  it('every page with a table loads: rows read = loaded + quarantined, nothing quarantined', () => {
    expect([...reports.keys()].sort()).toEqual([
      'release_section4_by_country_janfeb2025_cny.html',
      'release_section5_major_exports_apr2025_usd.html',
      'release_section5_major_exports_janfeb2025_cny.html',
      'release_section5_major_exports_may2019_cny.html',
      'release_section6_major_imports_may2026_cny.html',
    ]);
    for (const [name, r] of reports) {
      expect(r.rowsRead, name).toBe(r.rowsLoaded + r.rowsQuarantined);
      expect(r.rowsQuarantined, name).toBe(0);
      expect(r.rowsLoaded, name).toBeGreaterThan(90);
    }
  });

  it('the pages without cells fail with their reason, and load nothing', () => {
    expect([...failures.keys()].sort()).toEqual([
      'cn_express_article_tjs_jul2026_s4_cny.html',
      'cn_express_index_tjs_aug2026.html',
      'index_2026_en.html',
      'release_section4_by_country_jan2018_cny.html',
    ]);
    expect(failures.get('release_section4_by_country_jan2018_cny.html')).toMatch(/is an image/);
  });

  it('the release is the vintage, with its title in the vintage source; the load keeps the sha256 of the bytes', async () => {
    const r = reports.get('release_section4_by_country_janfeb2025_cny.html')!;
    expect(r.vintage).toBe('2025-03-11');
    expect(r.vintageSource).toMatch(
      /^publication date of "\(4\) China's Total Export & Import Values by Country\/Region/,
    );
    const { createHash } = await import('node:crypto');
    const bytes = readFileSync(join(FOLDER, 'release_section4_by_country_janfeb2025_cny.html'));
    expect(r.contentHash).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('questions asked of the release', () => {
  it('headline from (4)’s Total row: exports, imports, balance, published YoY (January–February 2025, CNY)', async () => {
    const r = await headline({ reporter: 'CHN', period: 'ytd:2025-02', dataset: 'gacc-release-cny' });
    const row = { exports: flowOf(r, 'exports'), imports: flowOf(r, 'imports'), balance: flowOf(r, 'balance') };
    expect(row.exports?.value).toBe('3881210000000'); // 38,812.1 × 10^8
    expect(row.imports?.value).toBe('2655150000000'); // 26,551.5 × 10^8
    expect(row.balance?.value).toBe('1226060000000'); // 38,812.1 − 26,551.5 = 12,260.6
    expect(row.exports?.publishedYoy).toBe('3.40');
    expect(row.imports?.publishedYoy).toBe('-7.30');
    expect(r.provenance.dataset).toBe('gacc-release-cny');
    const release = r.provenance.vintages?.find((v) => v.vintage === '2025-03-11');
    expect(release?.files.some((f) => /release_section4_by_country_janfeb2025_cny\.html$/.test(f))).toBe(true);
  });

  it('“exports to the EU rose 1.8 % in January–February”: the published group total, not a sum of members', async () => {
    const r = await headline({
      reporter: 'CHN',
      partner: 'EU',
      flow: 'X',
      period: '2025-01+02',
      dataset: 'gacc-release-cny',
    });
    expect(flowOf(r, 'exports').value).toBe('568260000000');
    expect(flowOf(r, 'exports').publishedYoy).toBe('1.80');
    expect(r.notes.map((n) => n.code)).toContain('group-published');
  });

  it('by partner and by member: the US, ASEAN and its member Vietnam', async () => {
    const at = async (partner: string) =>
      (
        await headline({
          reporter: 'CHN',
          partner,
          flow: 'X',
          period: 'ytd:2025-02',
          dataset: 'gacc-release-cny',
        })
      ).rows.find((x) => x.measure === 'exports')?.value;
    expect(await at('USA')).toBe('543130000000');
    expect(await at('ASEAN')).toBe('626680000000');
    expect(await at('VNM')).toBe('178700000000');
    expect(await at('BRI')).toBe('1867500000000');
  });

  it('by partner (query model): countries only, the aggregates kept apart', async () => {
    const r = await query(store, {
      reporter: 'CHN',
      period: 'ytd:2025-02',
      flow: ['X'],
      by: ['partner'],
      dataset: 'gacc-release-cny',
    });
    const partners = r.rows.map((x) => x.partner);
    expect(partners).toContain('USA');
    for (const g of ['WLD', 'EUU', 'ASEAN', 'RCEP', 'BRI', 'R_AFRICA', 'R_LATIN_AMERICA_CARIBBEAN'])
      expect(partners).not.toContain(g);
    expect(r.rows.find((x) => x.partner === 'HKG')?.value).toBe('311280000000');
  });

  it('“exports of suitcases and handbags fell 12.7 % and of footwear 8.6 % in the first four months” (USD)', async () => {
    const at = async (product: string) =>
      (
        await headline({
          reporter: 'CHN',
          flow: 'X',
          period: 'ytd:2025-04',
          product,
          dataset: 'gacc-release-usd',
        })
      ).rows.find((x) => x.measure === 'exports')!;
    const luggage = await at('labour-intensive/luggage');
    expect(luggage.value).toBe('9955000000'); // 9,955.0 USD million
    expect(luggage.previous).toBe('11403900000'); // the page's 1-4 Total,2024 column
    expect(luggage.yoy_pct).toBe('-12.71');
    const shoes = await at('FOOTW');
    expect(shoes.value).toBe('13746800000');
    expect(shoes.yoy_pct).toBe('-8.55'); // from the printed levels 13,746.8 / 15,032.1
    expect(shoes.published_yoy_pct).toBe('-8.60'); // printed beside it: the source's value, kept
  });

  it('the labour-intensive basket on release data: the sum of its seven lines, added up here from the page', async () => {
    // 1-4 Total, USD million: plastic products 33,681.6, suitcases 9,955.0, textiles 45,847.8, garments 44,619.7,
    // footwear 13,746.8, furniture 21,709.6, toys 10,928.2
    const sum = [336816, 99550, 458478, 446197, 137468, 217096, 109282].reduce((a, b) => a + b, 0);
    const r = await headline({
      reporter: 'CHN',
      flow: 'X',
      period: 'ytd:2025-04',
      product: 'labour-intensive',
      dataset: 'gacc-release-usd',
    });
    expect(flowOf(r, 'exports').value).toBe(String(sum * 100_000));
    expect(r.notes.find((n) => n.code === 'basket-release-lines')?.message).toMatch(
      /PLAST, LUGG, TEXT, GARM, FOOTW, FURN, TOYS/,
    );
  });

  it('a commodity line in CNY, 2019 spelling: aquatic products January–May 2019', async () => {
    const r = await headline({
      reporter: 'CHN',
      flow: 'X',
      period: 'ytd:2019-05',
      product: 'Aquatic/Marine products',
      dataset: 'gacc-release-cny',
    });
    expect(flowOf(r, 'exports').value).toBe('55670000000');
    expect(r.provenance.vintages?.map((v) => v.vintage)).toContain('2019-06-10');
  });
});

describe('vintages', () => {
  it('the same period published again later is a new vintage: latest by default, the first with --as-of', async () => {
    const revised = join(FOLDER, 'derived', 'derived_section4_by_country_janfeb2025_cny_revised.html');
    const rep = await ingestFile(store, revised, { format: 'gacc-release', stagingBase: path });
    expect(rep.vintage).toBe('2025-03-20');
    const ask = (asOf?: string) =>
      headline({
        reporter: 'CHN',
        partner: 'USA',
        flow: 'X',
        period: 'ytd:2025-02',
        dataset: 'gacc-release-cny',
        ...(asOf ? { asOf } : {}),
      });
    expect((await ask()).rows.find((x) => x.measure === 'exports')?.value).toBe('543250000000');
    expect((await ask('2025-03-15')).rows.find((x) => x.measure === 'exports')?.value).toBe('543130000000');
  });

  it('an unknown partner label is a quarantined row naming it', async () => {
    const page = readFileSync(join(FOLDER, 'release_section4_by_country_janfeb2025_cny.html'), 'utf8').replace(
      'New Zealand',
      'Atlantis',
    );
    const f = join(dir, 'atlantis.html');
    writeFileSync(f, page);
    const rep = await ingestFile(store, f, { format: 'gacc-release', stagingBase: path, dataset: 'atlantis-test' });
    expect(rep.rowsQuarantined).toBe(4); // X and M, value and YoY
    expect(rep.rowsRead).toBe(rep.rowsLoaded + rep.rowsQuarantined);
    expect(rep.quarantineSample[0]).toMatchObject({ rawValue: 'Atlantis', code: 'unknown-partner' });
    expect(rep.quarantineSample[0]?.reason).toMatch(/unknown area name: Atlantis/);
  });
});
