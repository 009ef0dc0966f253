/**
 * The store contract: one suite, written against the TradeStore interface and the ingest pipeline only,
 * that every engine must pass with identical answers. Expected numbers are worked out independently
 * from the source files (read here with csv-parse and BigInt), or are published figures.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Format, ingestFile } from '../../src/ingest/ingest.js';
import { fixedText } from '../../src/model/decimal.js';
import { parsePeriod } from '../../src/model/period.js';
import { resolveRegion } from '../../src/model/regions.js';
import { converterFor } from '../../src/query/currency.js';
import { type QueryResult, query } from '../../src/query/engine.js';
import { type QueryParamValues, specFromParams } from '../../src/query/params.js';
import type { TradeStore } from '../../src/store/store.js';
import { UserError } from '../../src/util/errors.js';
import { windowValue } from '../oracle/window-value.js';

/** The headline query, as `tradescope query` and `GET /api/query` ask it from these parameters. */
const headline = (store: TradeStore, params: QueryParamValues) => query(store, specFromParams(params));
/** The value (or another column) of one measure in a result's long table. */
const at = (r: QueryResult, measure: string, column = 'value') => r.rows.find((x) => x.measure === measure)?.[column];

export const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

const FILES = {
  gacc: repo('data/gacc/gacc_region_monthly_2024_2025.xlsx'),
  gaccMapping: repo('mappings/gacc-region-monthly.yaml'),
  comtrade: repo('data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv'),
  baci: repo('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv'),
  census: repo('data/partner-series/usa-china-trade-data.csv'),
  censusMapping: repo('mappings/census-usa-china.yaml'),
  impch: repo('data/fred/FRED_IMPCH_us_imports_from_china_monthly.csv'),
  impchMapping: repo('mappings/fred-impch.yaml'),
};

export interface StoreFactory {
  /** A fresh, empty store; `stagingBase` is a path for the ingest's scratch files. */
  open(dir: string): Promise<{ store: TradeStore; stagingBase: string }>;
}

/** Sum of decimal strings as BigInt units of 10^-scale. */
function sumDecimals(values: string[], scale: number): bigint {
  let s = 0n;
  for (const v of values) {
    const [i, f = ''] = v.trim().split('.');
    s += BigInt(i!) * 10n ** BigInt(scale) + BigInt((f + '0'.repeat(scale)).slice(0, scale) || '0');
  }
  return s;
}

export function describeStoreContract(engine: string, factory: StoreFactory): void {
  describe(`store contract: ${engine}`, () => {
    let dir: string;
    let store: TradeStore;
    let stagingBase: string;
    const ingest = (
      file: string,
      format: Format,
      extra: { mapping?: string; vintage?: string; dataset?: string } = {},
    ) => ingestFile(store, file, { format, stagingBase, ...extra });

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tradescope-contract-'));
      ({ store, stagingBase } = await factory.open(dir));
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('Comtrade 2022: China exports − imports to World is 877,603,918,341 USD; partner 842 is stored as USA', async () => {
      const r = await ingest(FILES.comtrade, 'comtrade');
      expect(r.status).toBe('loaded');
      expect(r.rowsRead).toBe(1352);
      expect(r.rowsLoaded + r.rowsQuarantined).toBe(r.rowsRead);
      const world = await store.cells({ reporters: ['CHN'], partners: ['WLD'] });
      const x = world.find((c) => c.flow === 'X')!;
      const m = world.find((c) => c.flow === 'M')!;
      expect(x.value).toBe('3593601435602');
      expect(m.value).toBe('2715997517261');
      expect(BigInt(x.value) - BigInt(m.value)).toBe(877_603_918_341n);
      expect(x.currency).toBe('USD');
      expect(x.period).toBe('2022');
      const usa = await store.cells({ reporters: ['CHN'], partners: ['USA'], flows: ['X'] });
      expect(usa).toHaveLength(1);
      // the file's own row for partner 842
      const rows = parse(iconv.decode(readFileSync(FILES.comtrade), 'latin1'), {
        columns: true,
        relax_column_count: true,
      }) as Record<string, string>[];
      const src = rows.find((r) => r.reporterCode === '156' && r.flowCode === 'X' && r.partnerCode === '842')!;
      expect(usa[0]!.value).toBe(src.primaryValue);
      expect(await store.cells({ partners: ['842'] })).toHaveLength(0);
      const q = await headline(store, { reporter: '156', period: '2022' });
      expect(at(q, 'balance')).toBe('877603918341');
    });

    it('BACI sample: South Africa 2021 exports sum to 68,691,799,014 USD, including 646 rows to Italy (380)', async () => {
      const r = await ingest(FILES.baci, 'baci');
      expect(r.dataset).toBe('baci-hs92');
      expect(r.vintage).toBe('2023-01-01');
      expect(r.rowsRead).toBe(71_192);
      expect(r.rowsQuarantined).toBe(0);
      expect(r.warnings.some((w) => w.code === 'baci-iso-fallback' && w.message.includes('380→ITA'))).toBe(true);
      const zaf = await store.cells({ reporters: ['ZAF'] });
      // independent: the file's v column (thousand USD) for i = 710, summed exactly
      const lines = readFileSync(FILES.baci, 'utf8').split('\n').slice(1).filter(Boolean);
      const v = lines
        .map((l) => l.split(','))
        .filter((f) => f[1] === '710')
        .map((f) => f[4]!);
      expect(zaf).toHaveLength(v.length);
      const total = zaf.reduce((s, c) => s + sumDecimals([c.value], 3), 0n);
      expect(total).toBe(sumDecimals(v, 3) * 1000n);
      expect(total).toBe(68_691_799_014_000n);
      expect(zaf.filter((c) => c.partner === 'ITA')).toHaveLength(646);
      // leading zeros restored: 81310 is 081310
      expect(zaf.some((c) => c.product === '081310')).toBe(true);
      expect(zaf.every((c) => /^\d{6}$/.test(c.product))).toBe(true);
    });

    it('GAC: published cumulative figures are the YTD, for every region and month', async () => {
      const r = await ingest(FILES.gacc, 'gacc', { mapping: FILES.gaccMapping });
      expect(r.rowsQuarantined).toBe(0);
      const y2024 = await headline(store, { reporter: 'CHN', period: '2024' });
      expect(at(y2024, 'exports')).toBe('25454537240000');
      expect(at(y2024, 'exports', 'basis')).toBe('published cumulative');
      expect(at(y2024, 'exports', 'months_sum')).toBe('25476168930000');
      const h1 = await headline(store, { reporter: 'CHN', period: 'ytd:2025-06' });
      expect(at(h1, 'exports')).toBe('13000388810000');
      expect(at(h1, 'exports', 'yoy_pct')).toBe('7.18');
      expect(at(h1, 'exports', 'published_yoy_pct')).toBe('7.18');
      // every region and month: the YTD returned equals the published YTD in the file (labels swapped:
      // 进口 holds exports), read independently from the long CSV
      const csv = parse(readFileSync(repo('test/fixtures/gacc/gacc_region_monthly_2024_2025.csv'), 'utf8'), {
        columns: true,
      }) as Record<string, string>[];
      const cells = await store.cells({ reporters: ['CHN'], partners: ['WLD'] });
      let checked = 0;
      for (const row of csv) {
        const region = resolveRegion(row.region!)!;
        const [y, m] = row.时间!.split('-').map(Number) as [number, number];
        const end = y * 100 + m;
        for (const [flow, col] of [
          ['X', '进口_年初至今'],
          ['M', '出口_年初至今'],
        ] as const) {
          const cell = cells.find((c) => c.region === region && c.flow === flow && c.cumulative && c.periodEnd === end);
          expect(cell, `${row.region} ${row.时间} ${flow}`).toBeDefined();
          expect(cell!.value).toBe((BigInt(row[col]!) * 10_000n).toString());
          checked++;
        }
      }
      expect(checked).toBe(234 * 2);
      const zj = await headline(store, { reporter: 'CHN', region: '浙江省', period: 'ytd:2025-06' });
      const zjRow = csv.find((c) => c.region === '浙江省' && c.时间 === '2025-06')!;
      expect(at(zj, 'exports')).toBe((BigInt(zjRow.进口_年初至今!) * 10_000n).toString());
    });

    it('ingesting the same file twice changes nothing and says so', async () => {
      const first = await ingest(FILES.comtrade, 'comtrade');
      const before = await store.loads();
      const second = await ingest(FILES.comtrade, 'comtrade');
      expect(second.status).toBe('unchanged');
      expect(second.loadId).toBe(first.loadId);
      expect(await store.loads()).toEqual(before);
      expect((await store.cells({})).length).toBe(first.rowsLoaded);
    });

    it('a later vintage supersedes exactly the changed cells; the earlier stays queryable', async () => {
      await ingest(FILES.comtrade, 'comtrade', { vintage: '2023-06-01' });
      const text = iconv.decode(readFileSync(FILES.comtrade), 'latin1');
      const lines = text.split('\r\n');
      // change the primaryValue of three rows (China → Afghanistan M, Germany → France X, USA → Japan X)
      const changed: { line: number; from: string; to: string }[] = [];
      const edits = [',"4","AFG","Afghanistan",', ',"251","FRA","France",', ',"392","JPN","Japan",'];
      for (const e of edits) {
        const i = lines.findIndex((l, idx) => idx > 0 && l.includes(e) && !changed.some((c) => c.line === idx));
        const fields = lines[i]!.split(',');
        const pv = fields.length - 5; // primaryValue (before legacyEstimationFlag, isReported, isAggregate, trailing)
        const from = fields[pv]!.replace(/"/g, '');
        const to = String(BigInt(from) + 1000n);
        fields[pv] = `"${to}"`;
        lines[i] = fields.join(',');
        changed.push({ line: i, from, to });
      }
      const copy = join(dir, 'TradeData_revised.csv');
      writeFileSync(copy, iconv.encode(lines.join('\r\n'), 'latin1'));
      const r2 = await ingest(copy, 'comtrade', { vintage: '2024-01-15' });
      expect(r2.status).toBe('loaded');
      const latest = await store.cells({});
      const early = await store.cells({ asOf: '2023-12-31' });
      expect(latest).toHaveLength(early.length);
      const diff = latest.filter((c) => {
        const e = early.find((x) => x.reporter === c.reporter && x.partner === c.partner && x.flow === c.flow)!;
        return e.value !== c.value;
      });
      expect(diff.map((d) => d.value).sort()).toEqual(changed.map((c) => c.to).sort());
      expect(diff.every((d) => d.vintage === '2024-01-15')).toBe(true);
      expect(early.every((c) => c.vintage === '2023-06-01')).toBe(true);
      expect(await store.cells({ vintage: '2023-06-01' })).toHaveLength(early.length);
    });

    it('a vintage covering part of the data leaves the rest as it was', async () => {
      await ingest(FILES.comtrade, 'comtrade', { vintage: '2023-06-01' });
      const text = iconv.decode(readFileSync(FILES.comtrade), 'latin1').split('\r\n');
      const chinaOnly = [text[0]!, ...text.slice(1).filter((l) => l.split(',')[6] === '"156"')];
      const copy = join(dir, 'china_only.csv');
      writeFileSync(copy, iconv.encode(`${chinaOnly.join('\r\n')}\r\n`, 'latin1'));
      await ingest(copy, 'comtrade', { vintage: '2024-01-15' });
      const latest = await store.cells({});
      expect(latest.filter((c) => c.reporter === 'CHN').every((c) => c.vintage === '2024-01-15')).toBe(true);
      expect(latest.filter((c) => c.reporter !== 'CHN').every((c) => c.vintage === '2023-06-01')).toBe(true);
      expect(latest.filter((c) => c.reporter === 'DEU').length).toBeGreaterThan(200);
    });

    it('parts of one release: a repeated cell with a different value is quarantined with both values', async () => {
      const text = iconv.decode(readFileSync(FILES.comtrade), 'latin1').split('\r\n');
      const header = text[0]!;
      const body = text.slice(1).filter(Boolean);
      const half = Math.floor(body.length / 2);
      const a = join(dir, 'part-a.csv');
      const b = join(dir, 'part-b.csv');
      writeFileSync(a, iconv.encode(`${[header, ...body.slice(0, half)].join('\r\n')}\r\n`, 'latin1'));
      // part b repeats the first row of part a with a different value
      const fields = body[0]!.split(',');
      const pv = fields.length - 5;
      const original = fields[pv]!.replace(/"/g, '');
      fields[pv] = `"${BigInt(original) + 7n}"`;
      writeFileSync(b, iconv.encode(`${[header, fields.join(','), ...body.slice(half)].join('\r\n')}\r\n`, 'latin1'));
      await ingest(a, 'comtrade', { vintage: '2023-06-01' });
      const rb = await ingest(b, 'comtrade', { vintage: '2023-06-01' });
      expect(rb.rowsQuarantined).toBe(1);
      const q = await store.quarantine({ loadId: rb.loadId! });
      expect(q).toHaveLength(1);
      expect(q[0]!.line).toBe(2);
      expect(q[0]!.code).toBe('conflicting-part');
      expect(q[0]!.reason).toContain(String(BigInt(original) + 7n));
      expect(q[0]!.reason).toContain(original);
      const cells = await store.cells({});
      expect(cells).toHaveLength(body.length);
    });

    it('overlapping datasets are never added: a query names one, follows a precedence, or fails listing them', async () => {
      await ingest(FILES.census, 'csv', { mapping: FILES.censusMapping });
      await ingest(FILES.impch, 'csv', { mapping: FILES.impchMapping });
      const covering = await store.datasetsCovering({ reporters: ['USA'], partners: ['CHN'], flows: ['M'] });
      expect(covering.map((c) => c.dataset).sort()).toEqual(['census-usa-china', 'fred-impch']);
      await expect(headline(store, { reporter: 'USA', partner: 'CHN', period: '2019' })).rejects.toThrow(
        /census-usa-china.*fred-impch/,
      );
      const named = await headline(store, {
        reporter: 'USA',
        partner: 'CHN',
        period: '2019',
        dataset: 'fred-impch',
        flow: 'M',
      });
      expect(named.provenance.dataset).toBe('fred-impch');
      await store.setPrecedence(['census-usa-china', 'fred-impch']);
      const ranked = await headline(store, { reporter: 'USA', partner: 'CHN', period: '2019' });
      expect(ranked.provenance.dataset).toBe('census-usa-china');
      expect(ranked.provenance.datasetNote).toMatch(/precedence/);
      // US imports from China 2019, million USD in the Census file, summed independently
      const rows = readFileSync(FILES.census, 'utf8')
        .split('\n')
        .filter((l) => / 2019;/.test(l));
      expect(rows).toHaveLength(12);
      const imports =
        sumDecimals(
          rows.map((l) => l.split(';')[2]!.replace(/,/g, '')),
          1,
        ) * 100_000n;
      expect(at(ranked, 'imports')).toBe(imports.toString());
    });

    it('a file with no loadable record fails and leaves the store as it was', async () => {
      await ingest(FILES.comtrade, 'comtrade');
      const before = {
        loads: await store.loads(),
        cells: (await store.cells({})).length,
        q: (await store.quarantine()).length,
      };
      const bad = join(dir, 'BACI_HS92_Y2021_V202301_bad.csv');
      writeFileSync(
        bad,
        '"t","i","j","k","v","q"\n2021,9999,4,10111,1.000,2.000\n2021,710,4,10111,abc,2.000\n2021,710,4\n',
      );
      await expect(ingest(bad, 'baci')).rejects.toBeInstanceOf(UserError);
      expect(await store.loads()).toEqual(before.loads);
      expect((await store.cells({})).length).toBe(before.cells);
      expect((await store.quarantine()).length).toBe(before.q);
    });

    it('reads only committed loads', async () => {
      const r = await ingest(FILES.baci, 'baci');
      const loads = await store.loads();
      expect(loads.map((l) => l.loadId)).toEqual([r.loadId]);
      expect(loads[0]!.rowsRead).toBe(loads[0]!.rowsLoaded + loads[0]!.rowsQuarantined);
      const copy = join(dir, 'copy.csv');
      copyFileSync(FILES.baci, copy);
      const again = await ingest(copy, 'baci', { dataset: 'baci-hs92' });
      expect(again.status).toBe('unchanged');
    });

    it('query model: China 2022 top five export partners and their shares (Comtrade)', async () => {
      await ingest(FILES.comtrade, 'comtrade');
      const r = await query(store, {
        reporter: 'CHN',
        period: '2022',
        flow: ['X'],
        by: ['partner'],
        measures: ['value', 'share'],
        top: 5,
      });
      const top = r.rows.filter((x) => x.partner !== '(rest)');
      expect(top.map((x) => [x.partner, x.share_pct])).toEqual([
        ['USA', '16.22'],
        ['HKG', '8.28'],
        ['JPN', '4.81'],
        ['KOR', '4.53'],
        ['VNM', '4.09'],
      ]);
      // the rest row closes the whole: members + rest = China's exports to World
      const sum = r.rows.reduce((s, x) => s + BigInt(String(x.value)), 0n);
      expect(sum).toBe(3_593_601_435_602n);
    });

    it('query model: mirror comparison China ↔ USA and China ↔ Germany, exact, with caveats', async () => {
      await ingest(FILES.comtrade, 'comtrade');
      const usa = await query(store, { reporter: 'CHN', partner: 'USA', period: '2022', measures: ['mirror'] });
      expect(usa.rows[0]).toMatchObject({ reporter_exports: '582756110047', partner_imports: '575688091172' });
      const deu = await query(store, { reporter: 'CHN', partner: 'DEU', period: '2022', measures: ['mirror'] });
      expect(deu.rows[0]).toMatchObject({ reporter_exports: '116226631561', partner_imports: '206642208248.492' });
      expect(deu.notes.map((n) => n.message).join(' ')).toMatch(/FOB.*CIF/);
    });

    it('query model: GAC YTD, YTD-YoY and monthly YoY equal the file for every region and month; revisions', async () => {
      await ingest(FILES.gacc, 'gacc', { mapping: FILES.gaccMapping });
      const csv = parse(readFileSync(repo('test/fixtures/gacc/gacc_region_monthly_2024_2025.csv'), 'utf8'), {
        columns: true,
      }) as Record<string, string>[];
      const ytd = await query(store, {
        reporter: 'CHN',
        period: '2025-01..2025-06',
        by: ['month'],
        flow: ['X'],
        compare: 'yoy',
      });
      const pct = (ratio: string) => Math.round(Number(ratio) * 10000) / 100;
      let checked = 0;
      for (const row of csv.filter((c) => c.region === '全国' && c.时间!.startsWith('2025'))) {
        const got = ytd.rows.find((x) => x.period === row.时间);
        expect(got, row.时间).toBeDefined();
        // monthly value as first published, and its YoY equal to the file's (a ratio of its own levels)
        expect(got!.value).toBe((BigInt(row.进口_当月!) * 10_000n).toString());
        expect(Math.abs(Number(got!.yoy_pct) - pct(row.进口_当月同比!))).toBeLessThanOrEqual(0.01);
        checked++;
      }
      expect(checked).toBe(6);
      // YTD-YoY for every region and month: ratios of published cumulative figures
      for (const row of csv.filter((c) => c.时间!.startsWith('2025'))) {
        const region = resolveRegion(row.region!)!;
        const r = await query(store, {
          reporter: 'CHN',
          ...(region ? { region } : {}),
          period: `ytd:${row.时间}`,
          flow: ['X'],
          compare: 'yoy',
        });
        expect(r.rows[0]!.value).toBe((BigInt(row.进口_年初至今!) * 10_000n).toString());
        expect(Math.abs(Number(r.rows[0]!.yoy_pct) - pct(row.进口_年初至今同比!))).toBeLessThanOrEqual(0.01);
      }
      // monthly YoY on the first-published base for every region, and total trade against the file's 进出口
      // (the source rounds: total = exports + imports within ±1 万元)
      for (const name of [...new Set(csv.map((c) => c.region!))]) {
        const region = resolveRegion(name)!;
        const r = await query(store, {
          reporter: 'CHN',
          ...(region ? { region } : {}),
          period: '2025-01..2025-06',
          by: ['month'],
          measures: ['value', 'total'],
          compare: 'yoy',
        });
        for (const row of csv.filter((c) => c.region === name && c.时间!.startsWith('2025'))) {
          const x = r.rows.find((o) => o.period === row.时间 && o.measure === 'exports')!;
          expect(Math.abs(Number(x.yoy_pct) - pct(row.进口_当月同比!)), `${name} ${row.时间}`).toBeLessThanOrEqual(
            0.01,
          );
          const t = r.rows.find((o) => o.period === row.时间 && o.measure === 'total')!;
          const diff = BigInt(String(t.value)) - BigInt(row.进出口_当月!) * 10_000n;
          expect(diff >= -10_000n && diff <= 10_000n, `${name} ${row.时间} total`).toBe(true);
        }
      }
      const revised = await query(store, { reporter: 'CHN', period: '2025-03', flow: ['X'], base: 'revised' });
      const m = csv.filter((c) => c.region === '全国');
      const feb = m.find((c) => c.时间 === '2025-02')!;
      const mar = m.find((c) => c.时间 === '2025-03')!;
      expect(revised.rows[0]!.value).toBe(
        ((BigInt(mar.进口_年初至今!) - BigInt(feb.进口_年初至今!)) * 10_000n).toString(),
      );
      const rev = await query(store, { reporter: 'CHN', period: '2024', flow: ['X'], measures: ['revision'] });
      expect(rev.rows[0]).toMatchObject({
        value: '25454537240000',
        months_sum: '25476168930000',
        revision_pct: '-0.085',
      });
    });

    it('query model: shares close to 100 % with the remainder, contributions add up to growth', async () => {
      await ingest(FILES.gacc, 'gacc', { mapping: FILES.gaccMapping });
      const r = await query(store, {
        reporter: 'CHN',
        period: 'ytd:2025-06',
        flow: ['X'],
        by: ['region'],
        measures: ['value', 'share', 'contribution'],
        compare: 'yoy',
      });
      const sumValues = r.rows.reduce((s, x) => s + BigInt(String(x.value)), 0n);
      expect(sumValues).toBe(13_000_388_810_000n);
      const shares = r.rows.reduce((s, x) => s + Number(x.share_pct), 0);
      expect(Math.abs(shares - 100)).toBeLessThanOrEqual(0.01 * r.rows.length);
      const contributions = r.rows.reduce((s, x) => s + Number(x.contribution_pp), 0);
      expect(Math.abs(contributions - 7.18)).toBeLessThanOrEqual(0.01 * r.rows.length);
    });

    it('query model: rejects malformed specs naming the field, and never runs user text as SQL', async () => {
      await ingest(FILES.comtrade, 'comtrade');
      await expect(query(store, { reporter: 'CHN', period: '2022', measures: ['volume'] })).rejects.toThrow(/measures/);
      await expect(query(store, { reporter: 'CHN', period: '2022-13' })).rejects.toThrow(/period/);
      await expect(query(store, { reporter: 'CHN', period: '2022', product: 'no-such-basket' })).rejects.toThrow(
        /product/,
      );
      const evil = ["'; DROP TABLE facts; --", 'CHN" OR 1=1 --', '1); DELETE FROM loads; --'];
      for (const e of evil) {
        for (const field of ['reporter', 'partner', 'region', 'product', 'dataset']) {
          await expect(query(store, { reporter: 'CHN', period: '2022', [field]: e })).rejects.toBeInstanceOf(UserError);
        }
      }
      expect((await store.loads()).length).toBe(1);
      expect((await store.cells({})).length).toBe(1352);
    });

    it('query model: critical minerals — partner contributions add up to the change; price × volume = value growth', async () => {
      await ingest(repo('data/comtrade/china_critical_minerals_hs6_monthly.csv'), 'csv', {
        mapping: repo('mappings/comtrade-critical-minerals.yaml'),
      });
      const r = await query(store, {
        reporter: 'CHN',
        period: '2024',
        flow: ['X'],
        by: ['partner'],
        measures: ['value', 'contribution'],
        compare: 'yoy',
      });
      // independent: 2024 and 2023 totals from the file
      const rows = parse(readFileSync(repo('data/comtrade/china_critical_minerals_hs6_monthly.csv'), 'utf8'), {
        columns: true,
      }) as Record<string, string>[];
      const year = (y: string) => rows.filter((x) => x.period_dt!.startsWith(y)).reduce((s, x) => s + Number(x.val), 0);
      const growth = ((year('2024') - year('2023')) / year('2023')) * 100;
      const sum = r.rows.reduce((s, x) => s + Number(x.contribution_pp), 0);
      expect(Math.abs(sum - growth)).toBeLessThan(0.01);
      expect(growth.toFixed(2)).toBe('-22.27');
      const pv = await query(store, {
        reporter: 'CHN',
        period: '2024',
        flow: ['X'],
        by: ['partner', 'hs6'],
        measures: ['unit_value'],
        compare: 'yoy',
      });
      const split = pv.rows.find((x) => String(x.measure).startsWith('price/volume'))!;
      const product = (1 + Number(split.price_effect_pct) / 100) * (1 + Number(split.volume_effect_pct) / 100);
      expect(Math.abs(product - (1 + Number(split.value_growth_pct) / 100))).toBeLessThan(0.0002);
      expect(split.value_growth_pct).toBe('-22.27');
    });

    it('query model: a Jan+Feb window equals the sum of both months; currency month by month', async () => {
      await ingest(FILES.gacc, 'gacc', { mapping: FILES.gaccMapping });
      const jf = await query(store, { reporter: 'CHN', period: '2025-01+02', flow: ['X'] });
      const months = await query(store, { reporter: 'CHN', period: '2025-01..2025-02', by: ['month'], flow: ['X'] });
      const sum = months.rows.reduce((s, x) => s + BigInt(String(x.value)), 0n);
      // the published Feb YTD and the sum of the two months differ by at most 1 unit of the source (万元)
      const diff = BigInt(String(jf.rows[0]!.value)) - sum;
      expect(diff >= -10_000n && diff <= 10_000n).toBe(true);
      const usd = await query(store, { reporter: 'CHN', period: '2024', flow: ['X'], currency: 'USD' });
      // a second method: the cells read one by one, converted by the reference computation
      const cells = await store.cells({ reporters: ['CHN'], partners: ['WLD'], regions: [''], flows: ['X'] });
      const fx = await converterFor(store, 'CNY', 'USD');
      const oracle = windowValue(cells, parsePeriod('2024'), fx.converter);
      expect(oracle.basis).toBe('published cumulative');
      expect(usd.rows[0]!.value).toBe(fixedText(oracle.value!));
      expect(usd.provenance.fx?.rates).toHaveLength(12);
    });

    it('query model: rollups answer exactly what the base cells answer, and say so', async () => {
      await ingest(FILES.comtrade, 'comtrade');
      await ingest(FILES.gacc, 'gacc', { mapping: FILES.gaccMapping });
      await ingest(FILES.baci, 'baci');
      const specs = [
        { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 },
        { reporter: 'CHN', period: 'ytd:2025-06', by: ['region'], measures: ['value', 'contribution'], compare: 'yoy' },
        { reporter: 'ZAF', period: '2021', flow: ['X'], by: ['hs2'], measures: ['value', 'share'], top: 8 },
        { reporter: 'ZAF', partner: 'EU', period: '2021', flow: ['X'], product: '85' },
        { reporter: 'ZAF', period: '2021', flow: ['X'], by: ['hs6'], measures: ['value'], top: 10 },
        { reporter: 'ZAF', period: '2021', flow: ['X'], product: 'new-three' },
      ] as const;
      const toggle = store as unknown as { rollupsEnabled?: boolean };
      for (const spec of specs) {
        if (toggle.rollupsEnabled === undefined) break; // an engine without rollups
        toggle.rollupsEnabled = true;
        const fast = await query(store, spec);
        toggle.rollupsEnabled = false;
        const base = await query(store, spec);
        toggle.rollupsEnabled = true;
        expect(fast.rows, JSON.stringify(spec)).toEqual(base.rows);
        // the smallest rollup that answers: totals by partner, chapters, or products summed over partners
        const detailed = 'by' in spec ? spec.by.includes('hs6') : 'product' in spec && spec.product === 'new-three';
        const chapters = 'by' in spec ? spec.by.includes('hs2') : 'product' in spec && spec.product === '85';
        expect(fast.provenance.answeredBy).toEqual([
          detailed ? 'rollup_product' : chapters ? 'rollup_hs2' : 'rollup_total',
        ]);
        expect(base.provenance.answeredBy).toEqual(['fact_cells']);
      }
      // a later load makes the rollup stale; the next query rebuilds it
      const before = await query(store, specs[0]);
      const text = iconv.decode(readFileSync(FILES.comtrade), 'latin1').split('\r\n');
      const i = text.findIndex((l) => l.split(',')[6] === '"156"' && l.includes(',"842","USA",') && l.includes('"X"'));
      const fields = text[i]!.split(',');
      fields[fields.length - 5] = '"600000000000"';
      text[i] = fields.join(',');
      const copy = join(dir, 'revised.csv');
      writeFileSync(copy, iconv.encode(text.join('\r\n'), 'latin1'));
      await ingest(copy, 'comtrade', { vintage: '2030-01-01' });
      const after = await query(store, specs[0]);
      expect(after.rows[0]).toMatchObject({ partner: 'USA', value: '600000000000' });
      expect(after.rows).not.toEqual(before.rows);
    });

    it('a repeated cell in one file: kept once when equal, quarantined with both values when not', async () => {
      const lines = readFileSync(FILES.baci, 'utf8').split('\n');
      const header = lines[0]!;
      const body = lines.slice(1, 101).filter(Boolean);
      const changed = body[1]!.split(',');
      changed[4] = String(Number(changed[4]) + 1);
      // line 102 repeats line 2 exactly; line 103 repeats line 3's key with another value
      const file = join(dir, 'BACI_HS92_Y2021_V202301_repeats.csv');
      writeFileSync(file, `${[header, ...body, body[0]!, changed.join(',')].join('\n')}\n`);
      const r = await ingest(file, 'baci');
      expect(r.rowsRead).toBe(102);
      expect(r.rowsLoaded).toBe(100);
      expect(r.rowsQuarantined).toBe(2);
      const q = await store.quarantine({ loadId: r.loadId! });
      expect(q.map((x) => [x.line, x.code])).toEqual([
        [102, 'duplicate-cell'],
        [103, 'conflicting-duplicate'],
      ]);
      expect(q[1]!.reason).toContain('at line 3 (kept)');
      expect(await store.cells({ datasets: ['baci-hs92'] })).toHaveLength(100);
    });
  });
}
