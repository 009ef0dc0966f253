/**
 * SDMX-CSV and XLSX out (and SDMX-CSV back in), on a store holding a Comext fixture (made here, see
 * test/fixtures/comext) and the bundled GAC-based Ember release: a result round-trips exactly; the workbook read
 * back with exceljs gives the same numbers; China's exports to the EU (GAC side) and the EU's imports from China
 * (Comext side) are queried side by side. Expected numbers come from the fixture rows and the source file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComextRow, monthRows, writeComextArchive } from '../../test/fixtures/comext/make-comext.js';
import { deriveEuTotals } from '../ingest/eu-totals.js';
import { ingestFile } from '../ingest/ingest.js';
import { aggregateAreaCodes } from '../model/areas.js';
import { type QueryResult, query } from '../query/engine.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { dataPath } from '../util/paths.js';
import { observations, parseSdmxCsv, sdmxCsv, textAttributeColumns } from './sdmx-csv.js';
import { exactAsDouble, resultTable, xlsxBytes } from './xlsx.js';

let dir: string;
let path: string;
let store: DuckDbStore;
let rows: ComextRow[];
let byPartner: QueryResult;
const MEMBERS = new Set(['DE', 'FR', 'NL', 'GR']);
const INTRA = new Set(['FR', 'QV', 'QR', 'QY']);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-export-'));
  path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() });
  rows = monthRows('202509');
  await ingestFile(store, writeComextArchive(dir, '202509', rows), { format: 'comext', stagingBase: path });
  await deriveEuTotals(store, { source: 'comext', stagingBase: path });
  await ingestFile(store, join(dataPath('china-partners'), 'mart_solar_exports_full_release_monthly.csv'), {
    format: 'csv',
    mapping: join(dataPath('..'), 'mappings', 'ember-china-solar-exports.yaml'),
    stagingBase: path,
  });
  byPartner = await query(store, {
    reporter: 'EU',
    flow: ['M', 'X'],
    period: '2025-09',
    dataset: 'comext-eu',
    by: ['partner'],
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const total = (pred: (r: ComextRow) => boolean) =>
  rows.filter((r) => pred(r) && r.product === '000TOTAL').reduce((s, r) => s + BigInt(r.value), 0n);

describe('SDMX-CSV out', () => {
  it('writes one observation per row and numeric column, and reads back exactly (2.0 and 1.0)', () => {
    const chn = byPartner.rows.find((r) => r.partner === 'CHN' && r.measure === 'imports')!;
    expect(BigInt(String(chn.value).split('.')[0]!)).toBe(
      total((r) => MEMBERS.has(r.reporter) && r.partner === 'CN' && r.flow === '1'),
    );
    for (const v of ['2.0', '1.0'] as const) {
      const text = sdmxCsv(byPartner, v);
      // the fixed columns, then the result's text columns (basis, note …) as attributes
      expect(text.split('\n')[0]).toBe(
        (v === '2.0'
          ? 'STRUCTURE,STRUCTURE_ID,ACTION,REPORTER,PARTNER,PRODUCT,REGION,MEASURE,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS'
          : 'DATAFLOW,REPORTER,PARTNER,PRODUCT,REGION,MEASURE,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS') +
          textAttributeColumns(byPartner)
            .map((c) => `,${c.toUpperCase()}`)
            .join(''),
      );
      const back = parseSdmxCsv(text);
      expect(back).toEqual(observations(byPartner));
      expect(back.length).toBe(byPartner.rows.length);
      for (const row of byPartner.rows) {
        const o = back.find((x) => x.key.PARTNER === row.partner && x.key.MEASURE === row.measure)!;
        expect(o.value).toBe(row.value);
        expect(o.attributes.UNIT_MEASURE).toBe('EUR');
        for (const t of textAttributeColumns(byPartner))
          expect(o.attributes[t.toUpperCase()]).toBe(String(row[t] ?? ''));
      }
    }
  });

  it('loads back through a dimension mapping and queries to the same numbers', async () => {
    const file = join(dir, 'result.sdmx.csv');
    writeFileSync(file, sdmxCsv(byPartner));
    const mapping = join(dir, 'tradescope-query.yaml');
    writeFileSync(
      mapping,
      `dataset: { id: sdmx-roundtrip, name: round trip, source: tradescope SDMX-CSV }
reporter: { column: REPORTER, scheme: canonical }
partner: { column: PARTNER, scheme: canonical }
flow: { column: MEASURE, map: { imports: M, exports: X } }
period: { column: TIME_PERIOD, format: yyyy-MM }
product: { classification: TOTAL, column: PRODUCT }
values: [{ column: OBS_VALUE, unit: EUR }]
ignore:
  - { column: STRUCTURE, note: structure type }
  - { column: STRUCTURE_ID, note: the dataflow, expect: "TRADESCOPE:QUERY(1.0)" }
  - { column: ACTION, note: I (information) }
  - { column: REGION, note: no regions, expect: _Z }
  - { column: INDICATOR, note: the value column only, expect: VALUE }
  - { column: UNIT_MEASURE, note: the currency, expect: EUR }
  - { column: UNIT_MULT, note: values in units, expect: "0" }
  - { column: OBS_STATUS, note: A normal, expect: A }
  - { column: BASIS, note: how the query found each value }
  - { column: MONTHS_SUM, note: the sum of the months where it differs }
  - { column: NOTE, note: a note on the value }
`,
    );
    const r = await ingestFile(store, file, { format: 'sdmx-csv', mapping, stagingBase: path, vintage: '2025-11-15' });
    expect(r.rowsQuarantined).toBe(0);
    expect(r.rowsLoaded).toBe(byPartner.rows.length);
    const again = await query(store, { ...byPartner.spec, dataset: 'sdmx-roundtrip' });
    const pick = (q: QueryResult) => q.rows.map((x) => `${x.partner}|${x.measure}|${x.value}`).sort();
    expect(pick(again)).toEqual(pick(byPartner));
  });
});

describe('XLSX out', () => {
  it('a data sheet with the same numbers (read back with exceljs) and a provenance sheet', async () => {
    const bytes = await xlsxBytes(resultTable(byPartner));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const data = wb.getWorksheet('data')!;
    const head = (data.getRow(1).values as unknown[]).slice(1).map(String);
    expect(head).toContain('value (EUR, units)');
    const vi = head.indexOf('value (EUR, units)') + 1;
    const pi = head.indexOf('partner') + 1;
    expect(data.rowCount).toBe(byPartner.rows.length + 1);
    byPartner.rows.forEach((row, i) => {
      const cell = data.getRow(i + 2).getCell(vi).value;
      expect(typeof cell).toBe('number');
      expect(cell).toBe(Number(row.value));
      expect(String(cell)).toBe(String(Number(row.value)));
      expect(data.getRow(i + 2).getCell(pi).value).toBe(row.partner);
    });
    const prov = wb.getWorksheet('provenance')!;
    const text = (prov.getColumn(2).values as unknown[]).map(String).join('\n');
    expect(text).toContain('comext-eu');
    expect(text).toMatch(/units of the currency/);
  });

  it('a value not exact as a double is text, with a note', async () => {
    expect(exactAsDouble('900719925474.0991')).toBe(true);
    expect(exactAsDouble('900719925474.0993')).toBe(false);
    const big: QueryResult = {
      ...byPartner,
      rows: [{ period: '2025-09', measure: 'imports', value: '123456789012345678.0000', currency: 'EUR' }],
      columns: ['period', 'measure', 'value', 'currency'],
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsxBytes(resultTable(big))) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('data')!.getRow(2).getCell(3).value).toBe('123456789012345678.0000');
    const notes = (wb.getWorksheet('provenance')!.getColumn(2).values as unknown[]).map(String).join('\n');
    expect(notes).toMatch(/written as text because they are not exact/);
  });
});

describe('both sides of the border in one store', () => {
  it("China's PV-panel exports to the EU (GAC via Ember) beside the EU's imports from China (Comext)", async () => {
    const gac = await query(store, {
      reporter: 'CHN',
      partner: 'EU',
      flow: ['X'],
      product: '85414300',
      period: '2025-09',
      dataset: 'ember-china-solar-exports',
    });
    const src = parse(readFileSync(join(dataPath('china-partners'), 'mart_solar_exports_full_release_monthly.csv')), {
      columns: true,
    }) as Record<string, string>[];
    const line = src.find((r) => r.Area === 'EU' && r.Date === '2025-09-01' && r['Commodity code'] === '85414300')!;
    expect(String(gac.rows[0]!.value).split('.')[0]).toBe(String(Number(line['Amount (USD)'])));
    const eu = await query(store, {
      reporter: 'EU',
      partner: 'CN',
      flow: ['M'],
      product: '85414300',
      period: '2025-09',
      dataset: 'comext-eu',
    });
    const expected = rows
      .filter((r) => MEMBERS.has(r.reporter) && r.partner === 'CN' && r.flow === '1' && r.product === '85414300')
      .reduce((s, r) => s + BigInt(r.value), 0n);
    expect(BigInt(String(eu.rows[0]!.value).split('.')[0]!)).toBe(expected);
    expect(eu.provenance.currency).toBe('EUR');
    expect(gac.provenance.currency).toBe('USD');
    void INTRA;
  });

  it("China's exports to the EU from GAC's release table (4) beside the EU's imports from China (Comext), Jan–Feb 2025", async () => {
    // GAC's preliminary release, table (4), January–February 2025 in CNY: European Union, exports 5,682.6 (100 million)
    await ingestFile(store, join(dataPath('gacc-releases'), 'release_section4_by_country_janfeb2025_cny.html'), {
      format: 'gacc-release',
      stagingBase: path,
    });
    const comext = [...monthRows('202501'), ...monthRows('202502')];
    await ingestFile(store, writeComextArchive(dir, '202501', monthRows('202501')), {
      format: 'comext',
      stagingBase: path,
    });
    await ingestFile(store, writeComextArchive(dir, '202502', monthRows('202502')), {
      format: 'comext',
      stagingBase: path,
    });
    await deriveEuTotals(store, { source: 'comext', stagingBase: path });
    const gac = await query(store, {
      reporter: 'CHN',
      partner: 'EU',
      flow: ['X'],
      period: '2025-01+02',
      dataset: 'gacc-release-cny',
    });
    expect(gac.rows.find((r) => r.measure === 'exports')?.value).toBe('568260000000');
    const eu = await query(store, {
      reporter: 'EU',
      partner: 'CN',
      flow: ['M'],
      period: '2025-01..2025-02',
      dataset: 'comext-eu',
    });
    // independent: the fixture's member-state declarants' imports from CN, all goods (000TOTAL rows), both months
    const expected = comext
      .filter((r) => MEMBERS.has(r.reporter) && r.partner === 'CN' && r.flow === '1' && r.product === '000TOTAL')
      .reduce((sum, r) => sum + BigInt(r.value), 0n);
    expect(expected).toBeGreaterThan(0n);
    expect(BigInt(String(eu.rows.find((r) => r.measure === 'imports')?.value).split('.')[0]!)).toBe(expected);
    expect(gac.provenance.currency).toBe('CNY');
    expect(eu.provenance.currency).toBe('EUR');
  });
});
