/**
 * Comext bulk files end to end: a 7z archive in the real layout (made here, see test/fixtures/comext) is loaded,
 * and every expected number is computed in this file from the fixture's rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComextRow, monthRows, writeComextArchive } from '../../../test/fixtures/comext/make-comext.js';
import { aggregateAreaCodes } from '../../model/areas.js';
import { query } from '../../query/engine.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { dataPath } from '../../util/paths.js';
import { deriveEuTotals } from '../eu-totals.js';
import { type IngestReport, ingestFile } from '../ingest.js';
import { eurostatCodesFor } from './comext-reader.js';

let dir: string;
let store: DuckDbStore;
let path: string;
let rows: ComextRow[];
let report: IngestReport;
const BAD = [
  'DE,CN,E,87038010,78120,29.10,29.10,51,51,XVII,3,1,NO_SU,202511,100,100,10,0',
  'DE,CN,E,87038010,78120,29.10,29.10,51,51,XVII,1,1,NO_SU,202511,12x,100,10,0',
  '',
];

const ISO3: Record<string, string> = { DE: 'DEU', FR: 'FRA', NL: 'NLD', GR: 'GRC', GB: 'GBR', XI: 'GBR_NIR' };
const sum = (xs: ComextRow[]) => xs.reduce((s, r) => s + BigInt(r.value), 0n);
const eur = (v: string | number | null | undefined) => BigInt(String(v).split('.')[0]!);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-comext-'));
  path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  rows = monthRows('202511');
  const archive = writeComextArchive(dir, '202511', rows, BAD);
  rmSync(join(dir, 'full_v2_202511.dat'));
  report = await ingestFile(store, archive, { format: 'comext', stagingBase: path, vintage: '2026-01-15' });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('comext archive', () => {
  it('reads every record: read = loaded + quarantined, the two bad rows quarantined, the blank line counted', () => {
    expect(report.status).toBe('loaded');
    expect(report.rowsRead).toBe(rows.length + 2);
    expect(report.rowsLoaded).toBe(rows.length);
    expect(report.rowsQuarantined).toBe(2);
    expect(report.rowsRead).toBe(report.rowsLoaded + report.rowsQuarantined);
    expect(report.blankLines).toBe(1);
    expect(report.quarantineSample.map((q) => q.field).sort()).toEqual(['FLOW', 'VALUE_EUR']);
  });

  it("resolves Eurostat's special areas to canonical codes of their own", async () => {
    const cells = await store.cells({ datasets: ['comext'], reporters: ['DEU'], flows: ['M'], products: ['TOTAL'] });
    const partners = new Set(cells.map((c) => c.partner));
    for (const code of ['EU_QS', 'EU_QV', 'EU_QZ', 'ESP_CEUTA', 'ESP_MELILLA', 'CHN', 'HKG', 'MAC', 'FRA'])
      expect(partners).toContain(code);
    const reporters = new Set(
      (await store.cells({ datasets: ['comext'], products: ['TOTAL'] })).map((c) => c.reporter),
    );
    expect([...reporters].sort()).toEqual(['DEU', 'FRA', 'GBR', 'GBR_NIR', 'GRC', 'NLD']);
  });

  it('pads CN8 codes written without their leading zero', async () => {
    const cells = await store.cells({ datasets: ['comext'], productPrefixes: ['0101'] });
    expect(cells.length).toBe(rows.filter((r) => r.product === '01012100').length);
    expect(new Set(cells.map((c) => c.product))).toEqual(new Set(['01012100']));
    expect(new Set(cells.map((c) => c.classification))).toEqual(new Set(['CN8']));
  });

  it('sums the statistical-procedure rows of a cell, keeping each raw row with its line', async () => {
    const split = rows.find((r) => r.procedure === '2' && r.partner === 'CN')!;
    const reporter = ISO3[split.reporter]!;
    const parts = rows.filter(
      (r) =>
        r.reporter === split.reporter && r.partner === 'CN' && r.product === split.product && r.flow === split.flow,
    );
    expect(parts.map((p) => p.procedure).sort()).toEqual(['1', '2']);
    const flow = split.flow === '1' ? 'M' : 'X';
    const cells = await store.cells({
      datasets: ['comext'],
      reporters: [reporter],
      partners: ['CHN'],
      flows: [flow],
      products: [split.product],
    });
    expect(cells.map((c) => c.tradeMode).sort()).toEqual(['sp1', 'sp2']);
    expect(cells.every((c) => c.sourceLine !== null && c.sourceLine > 1)).toBe(true);
    const r = await query(store, {
      reporter,
      partner: 'CN',
      flow: [flow],
      product: split.product,
      period: '2025-11',
      dataset: 'comext',
    });
    expect(eur(r.rows[0]!.value)).toBe(sum(parts));
  });

  it('a query at HS6 sums only the CN8 codes under it; all goods is the 000TOTAL row, never TOTAL + codes', async () => {
    const d = rows.find((r) => r.partner === 'CN' && r.flow === '1' && r.product.startsWith('870380'))!.reporter;
    const reporter = ISO3[d]!;
    const cn = (r: ComextRow) => r.reporter === d && r.partner === 'CN' && r.flow === '1';
    const expected = sum(rows.filter((r) => cn(r) && r.product.startsWith('870380')));
    expect(expected).toBeGreaterThan(0n);
    const r6 = await query(store, {
      reporter,
      partner: 'CN',
      flow: ['M'],
      product: '8703.80',
      period: '2025-11',
      dataset: 'comext',
    });
    expect(eur(r6.rows[0]!.value)).toBe(expected);
    const byHs6 = await query(store, {
      reporter,
      partner: 'CN',
      flow: ['M'],
      period: '2025-11',
      dataset: 'comext',
      by: ['hs6'],
    });
    const line = byHs6.rows.find((x) => x.product === '870380')!;
    expect(byHs6.rows.some((x) => x.product === 'TOTAL')).toBe(false);
    expect(eur(line.value)).toBe(expected);
    const all = await query(store, { reporter, partner: 'CN', flow: ['M'], period: '2025-11', dataset: 'comext' });
    const total = rows.filter((r) => cn(r) && r.product === '000TOTAL');
    expect(total.length).toBe(1);
    expect(eur(all.rows[0]!.value)).toBe(sum(total));
    expect(sum(total)).toBeGreaterThan(sum(rows.filter((r) => cn(r) && r.product !== '000TOTAL')));
  });

  it('converts EUR to USD with the bundled Fed H.10 rate for the month, naming the source', async () => {
    const r = await query(store, {
      reporter: 'DEU',
      partner: 'CN',
      flow: ['M'],
      period: '2025-11',
      dataset: 'comext',
      currency: 'USD',
    });
    const h10 = parse(readFileSync(dataPath('fx', 'exchange-rates-monthly.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const eurRow = h10.find((x) => x.Country === 'Euro' && x.Date.startsWith('2025-11'))!;
    // the bundled file holds EUR per USD with 4 decimals (0.8652); value ÷ that, half-even to 0.0001
    const perUsd = BigInt(eurRow['Exchange rate']!.replace('.', ''));
    expect(eurRow['Exchange rate']).toMatch(/^\d\.\d{4}$/);
    const v = sum(
      rows.filter((x) => x.reporter === 'DE' && x.partner === 'CN' && x.flow === '1' && x.product === '000TOTAL'),
    );
    const num = v * 10_000n * 10_000n;
    let q = num / perUsd;
    const rem = num % perUsd;
    if (rem * 2n > perUsd || (rem * 2n === perUsd && q % 2n === 1n)) q += 1n;
    const expected = `${q / 10_000n}.${(q % 10_000n).toString().padStart(4, '0')}`;
    expect(r.provenance.currency).toBe('USD');
    expect(r.provenance.fx?.seriesName ?? '').toMatch(/H\.10|Federal Reserve/i);
    expect(String(r.rows[0]!.value)).toBe(expected);
  });

  it('the EU as one reporter: member declarants summed, the UK and Northern Ireland reported, not folded in', async () => {
    const eu = await deriveEuTotals(store, { source: 'comext', stagingBase: path });
    expect(eu.report.status).toBe('loaded');
    expect(eu.notFolded.map((n) => n.reporter).sort()).toEqual(['GBR', 'GBR_NIR']);
    const members = new Set(['DE', 'FR', 'NL', 'GR']);
    const imports = await query(store, {
      reporter: 'EU',
      partner: 'CN',
      flow: ['M'],
      period: '2025-11',
      dataset: 'comext-eu',
    });
    const expected = sum(
      rows.filter((r) => members.has(r.reporter) && r.partner === 'CN' && r.flow === '1' && r.product === '000TOTAL'),
    );
    expect(eur(imports.rows[0]!.value)).toBe(expected);
    // extra-EU total (partner World for the EU as one reporter): partners that are not members, nor intra specials
    const intra = new Set(['FR', 'QV', 'QR', 'QY']);
    const world = await query(store, { reporter: 'EU', flow: ['M'], period: '2025-11', dataset: 'comext-eu' });
    const extra = sum(
      rows.filter(
        (r) => members.has(r.reporter) && !intra.has(r.partner) && r.flow === '1' && r.product === '000TOTAL',
      ),
    );
    expect(eur(world.rows[0]!.value)).toBe(extra);
    const cnShare = await query(store, {
      reporter: 'EU',
      flow: ['M'],
      period: '2025-11',
      dataset: 'comext-eu',
      by: ['partner'],
      measures: ['value', 'share'],
    });
    expect(cnShare.rows.find((x) => x.partner === 'CHN')?.value).toBeDefined();
  });
});

describe('the EU as one reporter before the UK left', () => {
  it('December 2019: GB is a member and folded in; Northern Ireland (XI) is not a member and is reported', async () => {
    const d = mkdtempSync(join(tmpdir(), 'tradescope-comext-gb-'));
    const p = join(d, 'store.duckdb');
    const s = await DuckDbStore.open(p, { aggregatePartners: aggregateAreaCodes() });
    try {
      const rs = monthRows('201912');
      await ingestFile(s, writeComextArchive(d, '201912', rs), { format: 'comext', stagingBase: p });
      const eu = await deriveEuTotals(s, { source: 'comext', stagingBase: p });
      expect(eu.notFolded.map((n) => n.reporter)).toEqual(['GBR_NIR']);
      const members = new Set(['DE', 'FR', 'NL', 'GR', 'GB']);
      const r = await query(s, { reporter: 'EU', partner: 'CN', flow: ['M'], period: '2019-12', dataset: 'comext-eu' });
      const expected = sum(
        rs.filter((x) => members.has(x.reporter) && x.partner === 'CN' && x.flow === '1' && x.product === '000TOTAL'),
      );
      expect(eur(r.rows[0]!.value)).toBe(expected);
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('comext filters while reading', () => {
  it('--partner CN,HK,MO --product 8703 stages only those rows and says how many it skipped', async () => {
    const d = mkdtempSync(join(tmpdir(), 'tradescope-comext-f-'));
    const p = join(d, 'store.duckdb');
    const s = await DuckDbStore.open(p, { aggregatePartners: aggregateAreaCodes() });
    try {
      const rs = monthRows('202510');
      const archive = writeComextArchive(d, '202510', rs);
      const r = await ingestFile(s, archive, {
        format: 'comext',
        stagingBase: p,
        partners: eurostatCodesFor(['CN', 'HK', 'MO']),
        products: ['8703'],
      });
      const kept = rs.filter((x) => ['CN', 'HK', 'MO'].includes(x.partner) && x.product.startsWith('8703'));
      expect(r.rowsRead).toBe(kept.length);
      expect(r.rowsLoaded).toBe(kept.length);
      expect(r.warnings.find((w) => w.code === 'comext-filtered')?.message).toContain(String(rs.length - kept.length));
      const cells = await s.cells({ datasets: ['comext'] });
      expect(cells.reduce((t, c) => t + eur(c.value), 0n)).toBe(sum(kept));
      // the .dat already extracted reads the same
      const plain = await ingestFile(s, join(d, 'full_v2_202510.dat'), {
        format: 'comext',
        stagingBase: p,
        dataset: 'comext-dat',
        partners: eurostatCodesFor(['CN', 'HK', 'MO']),
        products: ['8703'],
      });
      expect(plain.rowsLoaded).toBe(kept.length);
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a corrupt archive is a clear error', async () => {
    const d = mkdtempSync(join(tmpdir(), 'tradescope-comext-c-'));
    const p = join(d, 'store.duckdb');
    const s = await DuckDbStore.open(p);
    try {
      const bad = join(d, 'full_v2_202509.7z');
      writeFileSync(bad, 'not a 7z archive at all');
      await expect(ingestFile(s, bad, { format: 'comext', stagingBase: p })).rejects.toThrow(/archive|7z/);
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
