/**
 * Reader for SDMX-CSV (1.0: `DATAFLOW` first; 2.0: `STRUCTURE` — or `STRUCTURE[;]` with a sub-field separator —,
 * `STRUCTURE_ID`, optional `STRUCTURE_NAME`, `ACTION`, `SERIES_KEY`, `OBS_KEY`), the format Eurostat, the IMF and
 * the OECD serve: one observation per line, the dataflow's dimension columns (the time dimension usually
 * `TIME_PERIOD`), the measure (usually `OBS_VALUE`) and attribute columns (`OBS_STATUS`, `UNIT_MULT` …).
 *
 * The dataflow's dimensions become the cube's through a mapping file, the same schema as for any delimited file
 * (`../mapping-file.ts`, `mappings/README.md`): `reporter: {column: REF_AREA, scheme: …}`, `flow: {column:
 * INDICATOR, map: …}`, `period: {column: TIME_PERIOD, format: "yyyy-MM"}` (or `yyyy-'M'MM`, `yyyy-'Q'Q`, `yyyy`),
 * `values: [{column: OBS_VALUE, unit: …}]`. Every other column must be used or listed under `ignore`, so nothing is
 * dropped silently; an attribute that changes what a value means is checked there with `expect` (`UNIT_MULT`
 * expected `0` for values in units: a row with another multiplier is a problem, never a silently scaled value).
 *
 * What SDMX-CSV itself defines is handled here, so a mapping need not repeat it (and one mapping serves every
 * query of a dataflow: an ignored attribute column that a file does not have is not required): the field separator is the
 * character after the first header term (`,` or `;`, as the 2.0 specification allows); the structure columns
 * (`STRUCTURE…`/`DATAFLOW`, `STRUCTURE_ID`, `STRUCTURE_NAME`, `SERIES_KEY`, `OBS_KEY`) are ignored unless the mapping
 * uses them; and `ACTION` must be `I` (information), `A` (append) or `R` (replace): a `D` (delete) row is a problem
 * of its own, never loaded as a value. Reading, checking and accounting for every line are the delimited reader's.
 */
import { sdmxLayout } from '../../export/sdmx-csv.js';
import { UserError } from '../../util/errors.js';
import { detectEncoding, readLinesWith } from '../encoding.js';
import { loadMapping, type Mapping } from '../mapping-file.js';
import type { Reader } from '../staged-row.js';
import { openDelimitedReaderWith, splitRecord } from './delimited-reader.js';

export interface SdmxCsvReaderOptions {
  /** The mapping from the dataflow's dimensions to the cube's (YAML or JSON). */
  mapping: string;
}

const STRUCTURAL: Record<string, string> = {
  DATAFLOW: 'SDMX-CSV 1.0: the dataflow of the observation',
  STRUCTURE: 'SDMX-CSV 2.0: the structure type (dataflow, datastructure, dataprovision)',
  STRUCTURE_ID: 'SDMX-CSV 2.0: the structure (AGENCY:ID(VERSION))',
  STRUCTURE_NAME: 'SDMX-CSV 2.0: the structure name',
  SERIES_KEY: 'SDMX-CSV: the series key (the dimensions joined)',
  OBS_KEY: 'SDMX-CSV: the observation key (the dimensions joined)',
};

/** The separator of an SDMX-CSV header: the character after `DATAFLOW` / `STRUCTURE` (or its `[…]` term). */
export function sdmxSeparator(headerText: string): string {
  const m = /^\uFEFF?"?(DATAFLOW|STRUCTURE(?:\[[^\]]*\])?)"?(.)/i.exec(headerText);
  if (!m) throw new UserError(`not SDMX-CSV: the header starts with ${JSON.stringify(headerText.slice(0, 20))}`);
  return m[2]!;
}

/**
 * Opens an SDMX-CSV file with a dimension mapping.
 * @example const r = await openSdmxCsvReader('ext_st_eu27_2020sitc.csv', { mapping: 'mappings/my-dataflow.yaml' })
 */
export async function openSdmxCsvReader(file: string, opts: SdmxCsvReaderOptions): Promise<Reader> {
  const mapping = await loadMapping(opts.mapping);
  const guess = await detectEncoding(file);
  let header: string | undefined;
  for await (const l of readLinesWith(file, guess)) {
    if (l.line === mapping.file.header) {
      header = l.text;
      break;
    }
  }
  if (header === undefined) throw new UserError(`${file}: no header line (line ${mapping.file.header})`);
  const delimiter = sdmxSeparator(header);
  const fields = (splitRecord(header, delimiter) ?? [header]).map((f) => f.trim());
  const layout = sdmxLayout(fields);
  const reader = await openDelimitedReaderWith(file, withSdmxRules(mapping, fields, delimiter));
  reader.info.warnings.push({
    code: 'sdmx-csv',
    severity: 'info',
    message: `SDMX-CSV ${layout.version}, separator ${JSON.stringify(delimiter)}: dimensions ${layout.dimensions.join(', ') || 'none'}; attributes ${layout.attributes.join(', ') || 'none'}`,
    at: { file },
  });
  return reader;
}

/** The mapping with SDMX-CSV's own columns added (see the module comment), for the delimited reader. */
function withSdmxRules(m: Mapping, header: string[], delimiter: string): Mapping {
  const used = new Set<string>(
    [
      m.reporter.column,
      m.partner.column,
      m.flow?.column,
      m.period.column,
      m.product.column,
      m.weight?.column,
      m.quantity?.column,
      m.flag?.column,
      m.tradeMode?.column,
      m.region?.column,
      ...m.values.map((v) => v.column),
      ...m.ignore.map((i) => i.column),
    ].filter((c): c is string => c !== undefined),
  );
  const extra: Mapping['ignore'] = [];
  for (const h of header) {
    if (used.has(h)) continue;
    const id = h
      .replace(/\[[^\]]*\]$/, '')
      .split(':')[0]!
      .trim()
      .toUpperCase();
    if (id === 'ACTION')
      extra.push({
        column: h,
        note: 'SDMX action: I, A and R rows load; D (delete) rows are not applied',
        expect: ['I', 'A', 'R'],
      });
    else if (STRUCTURAL[id]) extra.push({ column: h, note: STRUCTURAL[id]! });
  }
  // attributes are optional in SDMX-CSV: an ignored column a file does not have is simply not there
  const present = new Set(header);
  // the action first: a delete row is reported as such, whatever else it holds
  return { ...m, file: { ...m.file, delimiter }, ignore: [...extra, ...m.ignore.filter((i) => present.has(i.column))] };
}
