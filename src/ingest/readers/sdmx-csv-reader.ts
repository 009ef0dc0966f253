/**
 * Reader for SDMX-CSV (1.0: `DATAFLOW` first; 2.0: `STRUCTURE`, `STRUCTURE_ID`, optional `ACTION`), the format
 * Eurostat, the IMF and the OECD serve: one observation per line, the dataflow's dimension columns, `TIME_PERIOD`,
 * `OBS_VALUE` and attribute columns (`OBS_STATUS`, `UNIT_MULT` …).
 *
 * The dataflow's dimensions become the cube's through a mapping file, the same schema as for any delimited file
 * (`../mapping-file.ts`, `mappings/README.md`): `reporter.column: REF_AREA`, `flow: {column: INDICATOR, map: …}`,
 * `period: {column: TIME_PERIOD, format: "yyyy-MM"}` (or `yyyy-'M'MM`, `yyyy-'Q'Q`, `yyyy`), `values: [{column:
 * OBS_VALUE, unit: …}]`. Every other column must be listed under `ignore`, so nothing is dropped silently; an
 * attribute that changes what a value means is checked there with `expect` (`UNIT_MULT` expected `0` for values in
 * units: a row with another multiplier is a problem, never a silently scaled value). The header is checked to be
 * SDMX-CSV first; reading, checking and accounting for every line are the delimited reader's.
 */
import { sdmxLayout } from '../../export/sdmx-csv.js';
import { UserError } from '../../util/errors.js';
import { detectEncoding, readLinesWith } from '../encoding.js';
import { loadMapping } from '../mapping-file.js';
import type { Reader } from '../staged-row.js';
import { openDelimitedReaderWith, splitRecord } from './delimited-reader.js';

export interface SdmxCsvReaderOptions {
  /** The mapping from the dataflow's dimensions to the cube's (YAML or JSON). */
  mapping: string;
}

/**
 * Opens an SDMX-CSV file with a dimension mapping.
 * @example const r = await openSdmxCsvReader('ext_st_eu27_2020sitc.csv', { mapping: 'mappings/sdmx-estat-example.yaml' })
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
  if (header === undefined) throw new UserError(`${file}: no header line`);
  const layout = sdmxLayout(splitRecord(header, ',') ?? [header]);
  if (layout.timePeriod < 0) throw new UserError(`${file}: SDMX-CSV without TIME_PERIOD is not a time series`);
  const reader = await openDelimitedReaderWith(file, { ...mapping, file: { ...mapping.file, delimiter: ',' } });
  reader.info.warnings.push({
    code: 'sdmx-csv',
    severity: 'info',
    message: `SDMX-CSV ${layout.version}: dimensions ${layout.dimensions.join(', ')}; attributes ${layout.attributes.join(', ') || 'none'}`,
    at: { file },
  });
  return reader;
}
