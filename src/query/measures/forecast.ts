import { addMonths, formatMonth, monthCount, type Period } from '../../model/period.js';
import type { TradeStore } from '../../store/store.js';
import type { Problem } from '../../util/errors.js';
import type { Cell, QueryResult } from '../result.js';
import type { QuerySpec } from '../spec.js';
import { flowName } from '../windows.js';

/**
 * The `forecast` measure: the months of the period forecast from the history before it (the model chosen by the
 * forecasting module, with 80 % and 95 % intervals). Points and bounds are model values rounded to whole base
 * units of the currency, never published figures.
 */
export async function forecastRows(store: TradeStore, spec: QuerySpec, period: Period): Promise<QueryResult> {
  const { forecastQuery } = await import('../../forecast/query-forecast.js');
  const series = spec.measures.find((m) => m === 'balance' || m === 'total') ?? 'value';
  const flow = (spec.flow?.[0] ?? 'X') as 'X' | 'M';
  const through = formatMonth(addMonths(period.start, -1));
  const f = await forecastQuery(store, {
    reporter: spec.reporter,
    ...(spec.partner ? { partner: spec.partner } : {}),
    ...(spec.product ? { product: spec.product } : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(series === 'value' ? { flow } : {}),
    measure: series,
    through,
    horizon: monthCount(period.start, period.end),
    levels: [80, 95],
    ...(spec.currency ? { currency: spec.currency.toUpperCase() } : {}),
    ...(spec.dataset ? { dataset: spec.dataset } : {}),
  });
  const name = series === 'value' ? flowName(flow) : series;
  const units = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : null);
  const rows: Record<string, Cell>[] = f.forecast.months.map((m, i) => {
    const row: Record<string, Cell> = { period: m, measure: `forecast ${name}`, point: units(f.forecast.point[i]!) };
    for (const iv of f.forecast.intervals) {
      row[`lo${iv.level}`] = units(iv.lower[i]!);
      row[`hi${iv.level}`] = units(iv.upper[i]!);
    }
    row.currency = f.currency;
    return row;
  });
  const notes: Problem[] = [
    {
      code: 'forecast',
      severity: 'info',
      message: `model ${f.model.name} (${f.model.method}) fitted on ${f.history.months.length} months through ${f.history.months.at(-1) ?? through}; model values, not published figures`,
    },
    ...f.warnings.map((w) => ({ code: w.code, severity: 'warning' as const, message: w.message })),
  ];
  return {
    spec: { ...spec, period: period.label },
    provenance: {
      dataset: f.provenance.datasets.join(', '),
      datasetNote: f.provenance.datasetChoice ?? null,
      currency: f.currency,
      sourceCurrency: f.currency,
      base: spec.base,
      vintages: f.provenance.vintages,
      windows: f.forecast.months.map((m, i) => ({ id: `f${i}`, period: m, start: m, end: m })),
      aggregateRows: 0,
      forecast: { model: f.model, alternatives: f.alternatives, history: f.history.months.length },
    },
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes,
  };
}
