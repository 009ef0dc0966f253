/**
 * A query result as SDMX-CSV (the format Eurostat, the IMF and the OECD serve), version 2.0 by default or 1.0:
 * one observation per row and numeric column, the result's dimensions as dimension columns, `TIME_PERIOD`,
 * `OBS_VALUE` (the exact decimal text, never a float), and the attributes `UNIT_MEASURE` (the currency, or `PC`
 * for percentages, `PP` for percentage points), `UNIT_MULT` (0: values are in units), `OBS_STATUS` (`A`
 * normal, `M` missing) and the result's text columns (`BASIS`, `NOTE` …) as they are. {@link parseSdmxCsv} reads such a file back, so a result round-trips exactly.
 *
 * @example sdmxCsv(result) // 'STRUCTURE,STRUCTURE_ID,ACTION,REPORTER,PARTNER,…\ndataflow,TRADESCOPE:QUERY(1.0),I,CHN,WLD,…'
 */

import { splitRecord } from '../ingest/readers/delimited-reader.js';
import { resolveArea } from '../model/areas.js';
import type { QueryResult } from '../query/engine.js';
import { UserError } from '../util/errors.js';

export type SdmxVersion = '1.0' | '2.0';

/** The dataflow a query result is written as. */
export const TRADESCOPE_DATAFLOW = 'TRADESCOPE:QUERY(1.0)';

/** Result columns that are dimensions of the cube (everything numeric is an indicator). */
const DIMENSIONS: Record<string, string> = {
  partner: 'PARTNER',
  product: 'PRODUCT',
  region: 'REGION',
  measure: 'MEASURE',
};
const NOT_INDICATORS = new Set(['period', 'currency', ...Object.keys(DIMENSIONS)]);

/** One observation, as written and as read back. */
export interface SdmxObservation {
  /** Dimension id → code (REPORTER, PARTNER, PRODUCT, REGION, MEASURE, INDICATOR). */
  key: Record<string, string>;
  timePeriod: string;
  /** Exact decimal text, or null for a missing value. */
  value: string | null;
  attributes: Record<string, string>;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The columns of a result that hold numbers (value, previous, yoy_pct …). */
export function indicatorColumns(r: QueryResult): string[] {
  return r.columns.filter(
    (c) =>
      !NOT_INDICATORS.has(c) &&
      r.rows.some((row) => typeof row[c] === 'number' || (typeof row[c] === 'string' && DECIMAL.test(row[c]))),
  );
}

/** The text columns of a result that are neither dimensions nor numbers (basis, note …): written as attributes. */
export function textAttributeColumns(r: QueryResult): string[] {
  const numbers = new Set(indicatorColumns(r));
  return r.columns.filter((c) => !NOT_INDICATORS.has(c) && !numbers.has(c));
}

function unitOf(column: string, currency: string): string {
  if (column.endsWith('_pct')) return 'PC';
  if (column.endsWith('_pp')) return 'PP';
  if (['value', 'previous', 'months_sum', 'revision', 'gap', 'point', 'lo80', 'hi80', 'lo95', 'hi95'].includes(column))
    return currency;
  return 'PURE_NUMB';
}

/** The observations of a result (see the module comment). */
export function observations(r: QueryResult): SdmxObservation[] {
  const indicators = indicatorColumns(r);
  const texts = textAttributeColumns(r);
  // canonical codes, so that the file reads back with scheme `canonical`
  const reporter = resolveArea(r.spec.reporter)?.code ?? r.spec.reporter.toUpperCase();
  const out: SdmxObservation[] = [];
  for (const row of r.rows) {
    const key: Record<string, string> = { REPORTER: reporter };
    key.PARTNER = String(row.partner ?? r.spec.partner ?? 'WLD');
    key.PRODUCT = String(row.product ?? r.spec.product ?? 'TOTAL');
    key.REGION = String(row.region ?? r.spec.region ?? '_Z');
    key.MEASURE = String(row.measure ?? '_Z');
    const currency = String(row.currency ?? r.provenance.currency ?? '');
    for (const c of indicators) {
      const v = row[c];
      if (v === undefined) continue;
      const text = v === null ? null : String(v);
      out.push({
        key: { ...key, INDICATOR: c.toUpperCase() },
        timePeriod: String(row.period ?? r.spec.period),
        value: text,
        attributes: {
          UNIT_MEASURE: unitOf(c, currency),
          UNIT_MULT: '0',
          OBS_STATUS: text === null ? 'M' : 'A',
          ...Object.fromEntries(
            texts.map((t) => [t.toUpperCase(), row[t] === null || row[t] === undefined ? '' : String(row[t])]),
          ),
        },
      });
    }
  }
  return out;
}

const KEY = ['REPORTER', 'PARTNER', 'PRODUCT', 'REGION', 'MEASURE', 'INDICATOR'];
const ATTRS = ['UNIT_MEASURE', 'UNIT_MULT', 'OBS_STATUS'];

/**
 * Writes a query result as SDMX-CSV text (RFC 4180, LF line ends).
 * @example writeFileSync('result.sdmx.csv', sdmxCsv(await query(store, spec)))
 */
export function sdmxCsv(r: QueryResult, version: SdmxVersion = '2.0'): string {
  const attrs = [...ATTRS, ...textAttributeColumns(r).map((c) => c.toUpperCase())];
  const head =
    version === '2.0'
      ? ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...KEY, 'TIME_PERIOD', 'OBS_VALUE', ...attrs]
      : ['DATAFLOW', ...KEY, 'TIME_PERIOD', 'OBS_VALUE', ...attrs];
  const lines = [head.join(',')];
  for (const o of observations(r)) {
    const lead = version === '2.0' ? ['dataflow', TRADESCOPE_DATAFLOW, 'I'] : [TRADESCOPE_DATAFLOW];
    const cells = [
      ...lead,
      ...KEY.map((k) => o.key[k] ?? ''),
      o.timePeriod,
      o.value ?? '',
      ...attrs.map((a) => o.attributes[a] ?? ''),
    ];
    lines.push(cells.map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The observation columns of an SDMX-CSV header: which are dimensions, which attributes (1.0 or 2.0). */
export interface SdmxLayout {
  version: SdmxVersion;
  /** Index of DATAFLOW (1.0) or STRUCTURE_ID (2.0). */
  structureId: number;
  /** Index of TIME_PERIOD, -1 when the file names its time dimension otherwise. */
  timePeriod: number;
  /** Index of OBS_VALUE, -1 when the file names its measure otherwise. */
  obsValue: number;
  /** Dimension columns (everything before TIME_PERIOD except the structure columns). */
  dimensions: string[];
  /** Attribute columns (after OBS_VALUE). */
  attributes: string[];
}

/**
 * Recognises an SDMX-CSV header (version 1.0: `DATAFLOW` first; 2.0: `STRUCTURE` or `STRUCTURE[;]`,
 * `STRUCTURE_ID`, optional `ACTION`), given the header's fields. Headers written as `ID: Label` (the "both" label
 * mode) and multi-value marks (`ATTR[]`) keep the ID.
 */
export function sdmxLayout(header: string[]): SdmxLayout {
  const h = header.map((x) =>
    x
      .trim()
      .replace(/\[[^\]]*\]$/, '')
      .split(':')[0]!
      .trim()
      .toUpperCase(),
  );
  const tp = h.indexOf('TIME_PERIOD');
  const ov = h.indexOf('OBS_VALUE');
  const structural = new Set([
    'DATAFLOW',
    'STRUCTURE',
    'STRUCTURE_ID',
    'STRUCTURE_NAME',
    'ACTION',
    'SERIES_KEY',
    'OBS_KEY',
  ]);
  let version: SdmxVersion;
  let structureId: number;
  if (h[0] === 'DATAFLOW') {
    version = '1.0';
    structureId = 0;
  } else if (h[0] === 'STRUCTURE' && h.includes('STRUCTURE_ID')) {
    version = '2.0';
    structureId = h.indexOf('STRUCTURE_ID');
  } else throw new UserError(`not SDMX-CSV: the header starts with ${h[0]} (expected DATAFLOW or STRUCTURE)`);
  // a 2.0 file may name its measure and time dimension otherwise (OBS_VALUE1, MEAS_1, DIM_3): the mapping says
  const end = ov >= 0 ? ov : h.length;
  const dimensions = h.filter((c, i) => !structural.has(c) && i !== tp && i < (tp >= 0 && tp < end ? tp : end));
  const attributes = ov >= 0 ? h.filter((c, i) => i > ov && !structural.has(c)) : [];
  return { version, structureId, timePeriod: tp, obsValue: ov, dimensions, attributes };
}

/**
 * Reads SDMX-CSV text (as {@link sdmxCsv} writes it, or any 1.0 / 2.0 file) into observations.
 * @example parseSdmxCsv(sdmxCsv(result)).length
 */
export function parseSdmxCsv(text: string): SdmxObservation[] {
  const split = (line: string) => splitRecord(line, ',') ?? [line];
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const header = split(lines[0]!);
  const layout = sdmxLayout(header);
  const names = header.map((x) => x.trim().split(':')[0]!.trim().toUpperCase());
  return lines.slice(1).map((l) => {
    const f = split(l);
    const key: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = (f[i] ?? '').split(':')[0]!.trim();
      if (layout.dimensions.includes(n)) key[n] = v;
      else if (layout.attributes.includes(n)) attributes[n] = v;
    });
    const value = (f[layout.obsValue] ?? '').trim();
    return { key, timePeriod: (f[layout.timePeriod] ?? '').trim(), value: value === '' ? null : value, attributes };
  });
}
