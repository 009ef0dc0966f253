/**
 * tradescope as a library: open a store, ingest files, query the cube.
 *
 * @example
 * import { DuckDbStore, ingestFile, runBasicQuery } from 'tradescope';
 * const store = await DuckDbStore.open('trade.duckdb');
 * await ingestFile(store, 'TradeData.csv', { format: 'comtrade', stagingBase: 'trade.duckdb' });
 * const result = await runBasicQuery(store, { reporter: 'CHN', period: '2022' });
 * const top = await query(store, { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 });
 */

export { basketById, baskets } from './classify/baskets.js';
export { groupById, groups, membersAt } from './classify/groups.js';
export { convertDataset } from './classify/hs-convert.js';
export { hsLookup, hsSearch } from './classify/hs-nomenclature.js';
export type { FileScan } from './ingest/file-scan.js';
export type { Format, IngestOptions, IngestProgress, IngestReport } from './ingest/ingest.js';
export { FORMATS, ingestFile, parseVintage } from './ingest/ingest.js';
export type { Reader, ReaderItem, RowProblem, SourceInfo, StagedRow } from './ingest/staged-row.js';
export type { Area, AreaKind, AreaScheme } from './model/areas.js';
export { areaByCode, areas, resolveArea, suggestArea } from './model/areas.js';
export { fixedText, groupThousands, growthPercent, humanAmount, toFixed } from './model/decimal.js';
export type { MonthId, Period, PeriodKind } from './model/period.js';
export { formatMonth, monthsOf, parsePeriod, periodLabel, shiftYears, tryParsePeriod } from './model/period.js';
export type { Region } from './model/regions.js';
export { regionByCode, regions, resolveRegion } from './model/regions.js';
export type { MoneyUnit } from './model/units.js';
export { parseMoneyUnit } from './model/units.js';
export type { BasicQueryResult, BasicQueryRow, BasicQuerySpec, MeasureValue } from './query/basic-query.js';
export { runBasicQuery } from './query/basic-query.js';
export type { QueryResult } from './query/engine.js';
export { query } from './query/engine.js';
export type { Drilldown, Measure, QuerySpec, QuerySpecInput } from './query/spec.js';
export { MEASURES, querySpecSchema, validateSpec } from './query/spec.js';
export { DuckDbStore } from './store/duckdb/duckdb-store.js';
export type {
  CellFilter,
  CellRow,
  DatasetSummary,
  LoadRecord,
  QuarantineRow,
  RateRow,
  TradeStore,
} from './store/store.js';
export type { Problem } from './util/errors.js';
export { UserError } from './util/errors.js';
