/**
 * SDMX-CSV in, through a dimension mapping, on the fixtures in test/fixtures/sdmx (modelled on the examples of the
 * SDMX-CSV field guide; see the README there). Expected values are read from the fixture text in this file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../../../test/contract/store-contract.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { ingestFile } from '../ingest.js';
import { sdmxSeparator } from './sdmx-csv-reader.js';

let dir: string;
let path: string;
let store: DuckDbStore;
const fixture = (f: string) => repo(`test/fixtures/sdmx/${f}`);
const MAPPING = fixture('mapping-trade-example.yaml');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-sdmx-'));
  path = join(dir, 'store.duckdb');
  store = await DuckDbStore.open(path);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Decimal text (point or comma) → units of 0.0001, exactly. */
const units = (t: string) => {
  const [i, f = ''] = t.replace(',', '.').split('.');
  return BigInt(i!) * 10_000n + BigInt((f + '0000').slice(0, 4));
};
const cellUnits = (v: string) => units(v);

describe('SDMX-CSV in', () => {
  it('finds the separator after the first header term', () => {
    expect(sdmxSeparator('STRUCTURE,STRUCTURE_ID,ACTION')).toBe(',');
    expect(sdmxSeparator('STRUCTURE[|];STRUCTURE_ID;ACTION')).toBe(';');
    expect(sdmxSeparator('DATAFLOW,FREQ')).toBe(',');
    expect(() => sdmxSeparator('REF_AREA,TIME_PERIOD')).toThrow(/not SDMX-CSV/);
  });

  it('2.0: every observation loaded with its value, structure columns and custom columns accounted for', async () => {
    const r = await ingestFile(store, fixture('v2-ordinary.csv'), {
      format: 'sdmx-csv',
      mapping: MAPPING,
      stagingBase: path,
      dataset: 'sdmx-v2',
      vintage: '2025-11-14',
    });
    const src = parse(readFileSync(fixture('v2-ordinary.csv')), { columns: true }) as Record<string, string>[];
    expect(r.rowsRead).toBe(src.length);
    expect(r.rowsLoaded).toBe(src.length);
    expect(r.rowsQuarantined).toBe(0);
    const cells = await store.cells({ datasets: ['sdmx-v2'] });
    const got = cells.map((c) => `${c.reporter}|${c.partner}|${c.flow}|${c.period}|${cellUnits(c.value)}`).sort();
    const iso3: Record<string, string> = { DE: 'DEU', FR: 'FRA', CN: 'CHN', HK: 'HKG' };
    const want = src
      .map(
        (s) =>
          `${iso3[s.REPORTER!]}|${iso3[s.PARTNER!]}|${s.FLOW === '1' ? 'M' : 'X'}|${s.TIME_PERIOD}|${units(s.OBS_VALUE!)}`,
      )
      .sort();
    expect(got).toEqual(want);
  });

  it('2.0 with ";", a decimal comma and actions: A and R rows load, a D (delete) row is a problem, not a value', async () => {
    const mapping = join(dir, 'mapping-comma.yaml');
    writeFileSync(mapping, `${readFileSync(MAPPING, 'utf8')}numbers: { decimal: "," }\n`);
    const r = await ingestFile(store, fixture('v2-semicolon-actions.csv'), {
      format: 'sdmx-csv',
      mapping,
      stagingBase: path,
      dataset: 'sdmx-v2-fr',
      vintage: '2025-11-14',
    });
    expect(r.rowsRead).toBe(3);
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsQuarantined).toBe(1);
    expect(r.quarantineSample[0]!.field).toBe('ACTION');
    expect(r.quarantineSample[0]!.rawValue).toBe('D');
    const cells = await store.cells({ datasets: ['sdmx-v2-fr'] });
    const byFlow = Object.fromEntries(cells.map((c) => [c.flow, cellUnits(c.value)]));
    expect(byFlow).toEqual({ M: units('1234567,5'), X: units('765432,25') });
  });

  it('1.0: a value in thousands (UNIT_MULT 3) and a missing value are quarantined, never scaled or zeroed', async () => {
    const r = await ingestFile(store, fixture('v1-dataflow.csv'), {
      format: 'sdmx-csv',
      mapping: MAPPING,
      stagingBase: path,
      dataset: 'sdmx-v1',
      vintage: '2025-11-14',
    });
    expect(r.rowsRead).toBe(4);
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsQuarantined).toBe(2);
    expect(r.quarantineSample.map((q) => q.code).sort()).toEqual(['missing-value', 'unexpected-value']);
    const cells = await store.cells({ datasets: ['sdmx-v1'] });
    expect(cells.map((c) => `${c.reporter}|${c.partner}|${c.flow}|${cellUnits(c.value)}`).sort()).toEqual(
      [`ITA|CHN|M|${units('5120000')}`, `ITA|CHN|X|${units('2040000.5')}`].sort(),
    );
  });
});
