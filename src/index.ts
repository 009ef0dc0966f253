/**
 * tradescope as a library: open a store, ingest files, query the cube, forecast, write briefs.
 *
 * @example
 * import { DuckDbStore, ingestFile, query, specFromParams } from 'tradescope';
 * const store = await DuckDbStore.open('trade.duckdb');
 * await ingestFile(store, 'TradeData.csv', { format: 'comtrade', stagingBase: 'trade.duckdb' });
 * const headline = await query(store, specFromParams({ reporter: 'CHN', period: '2022' })); // as `tradescope query` asks
 * const top = await query(store, { reporter: 'CHN', period: '2022', flow: ['X'], by: ['partner'], measures: ['value', 'share'], top: 5 });
 * const f = forecast(values, { period: 12, horizon: 18, levels: [80, 95] });
 * const p = await projectFullYear(store, { reporter: 'CHN', measure: 'balance', year: 2025, above: 8e12 });
 * const md = renderMarkdown(await buildBrief(store, { reporter: 'CHN', period: 'ytd:2025-06' }), 'zh');
 */

export { buildBrief } from './brief/compose.js';
export type { BriefFormat } from './brief/output.js';
export { writeBrief } from './brief/output.js';
export { renderHtml } from './brief/render/html.js';
export { renderMarkdown } from './brief/render/markdown.js';
export type { Brief, BriefChart, BriefRequest, KeyPoint, Missing, NumRef } from './brief/types.js';
export { basketById, baskets } from './classify/baskets.js';
export { groupById, groups, membersAt } from './classify/groups.js';
export { convertDataset } from './classify/hs-convert.js';
export { hsLookup, hsSearch } from './classify/hs-nomenclature.js';
export type { BacktestMethod, BacktestOptions, BacktestResult, MethodScore } from './forecast/backtest.js';
export { BACKTEST_METHODS, backtest } from './forecast/backtest.js';
export type { EtsParams, EtsSpec, EtsState } from './forecast/ets.js';
export type { AutoEtsResult, EtsFit } from './forecast/ets-fit.js';
export { autoEts, fitEts } from './forecast/ets-fit.js';
export type { ForecastMethod, ForecastOptions, ForecastOutput, ModelAlternative } from './forecast/forecast.js';
export { DEFAULT_METHOD, forecast } from './forecast/forecast.js';
export type { Distribution, FlowProjection, Projection, ProjectionSpec } from './forecast/projection.js';
export { projectFullYear } from './forecast/projection.js';
export type { ForecastQuerySpec, ForecastResult } from './forecast/query-forecast.js';
export { forecastQuery } from './forecast/query-forecast.js';
export type { SeriesMeasure, StoreSeries, StoreSeriesSpec } from './forecast/store-series.js';
export { storeSeries } from './forecast/store-series.js';
export type { ForecastWarning, PredictionInterval } from './forecast/types.js';
export type { Lang } from './i18n/format.js';
export { formatMoney, formatPercent, formatPp, label, monthLabel, periodText } from './i18n/format.js';
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
export type { AnsweredSpec, Basis, QueryResult } from './query/engine.js';
export { query } from './query/engine.js';
export type { QueryParamName, QueryParamValues } from './query/params.js';
export { QUERY_PARAM_NAMES, specFromParams } from './query/params.js';
export type { Drilldown, Measure, QuerySpec, QuerySpecInput } from './query/spec.js';
export { MEASURES, querySpecSchema, validateSpec } from './query/spec.js';
export { createApp } from './server/app.js';
export type { ServerLimits, ServerOptions } from './server/options.js';
export type { RunningServer } from './server/serve.js';
export { startServer } from './server/serve.js';
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
