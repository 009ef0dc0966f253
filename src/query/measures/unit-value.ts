import { type QuantityRow, unitValues } from '../../analytics/unit-values.js';
import { fixedText, toFixed } from '../../model/decimal.js';
import { monthCount, type Period } from '../../model/period.js';
import type { AggregateRow } from '../../store/store.js';
import type { Problem } from '../../util/errors.js';
import type { Cell, Window } from '../result.js';
import { flowName, pick } from '../windows.js';

/**
 * Unit values and the price/volume split of value growth, per member of the drilldown (keys with quantities;
 * the value of cells without quantity is left out and reported). Quantities: the cells' quantity when they
 * have one unit, otherwise net weight in kg.
 */
export function unitValueRows(
  agg: AggregateRow[],
  windows: Window[],
  mains: Period[],
  compareOf: Map<string, string>,
  flows: string[],
  memberKey: (a: AggregateRow) => string,
  dimNames: string[],
  currency: string | null,
  notes: Problem[],
): Record<string, Cell>[] {
  if (!currency) {
    notes.push({
      code: 'unit-value-currency',
      severity: 'warning',
      message: 'unit values are computed in the source currency only',
    });
    return [];
  }
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const cid = compareOf.get(w.id);
    if (!cid) continue;
    for (const f of flows) {
      const rowsOf = (wid: string): QuantityRow[] => {
        const rows: QuantityRow[] = [];
        const period = windows.find((x) => x.id === wid)!.period;
        for (const a of agg.filter((x) => x.window === wid && x.key.flow === f)) {
          const key = dimNames.length ? memberKey(a) : 'all';
          const total = pick(a, period, monthCount(period.start, period.end)) ?? 0n;
          const useQty = a.quantity !== null && a.quantityUnits.length === 1;
          const q = useQty ? a.quantity : a.netWeightKg;
          const qv = useQty ? a.quantityValue : a.weightValue;
          const unit = useQty ? a.quantityUnits[0]! : 'kg';
          if (q !== null && qv !== null) rows.push({ key, value: qv, quantity: q, unit });
          const rest = total - (qv === null ? 0n : toFixed(qv));
          if (rest !== 0n) rows.push({ key: `${key} (no quantity)`, value: fixedText(rest), quantity: null, unit });
        }
        return rows;
      };
      const res = unitValues(rowsOf(w.id), rowsOf(cid));
      for (const r of res.rows) {
        const row: Record<string, Cell> = { period: w.period.label };
        dimNames.forEach((d, i) => {
          row[d] = r.key.split('|')[i] ?? '';
        });
        row.measure = `unit value ${flowName(f)}`;
        row.value = r.current?.value ?? null;
        row.quantity = r.current?.quantity ?? null;
        row.unit_value = r.current?.unitValue ?? null;
        row.previous_unit_value = r.previous?.unitValue ?? null;
        row.unit_value_growth_pct = r.unitValueGrowth;
        row.quantity_growth_pct = r.quantityGrowth;
        row.unit = `${currency}/${r.unit}`;
        out.push(row);
      }
      out.push({
        period: w.period.label,
        measure: `price/volume ${flowName(f)}`,
        value_growth_pct: res.split.valueGrowth,
        price_effect_pct: res.split.priceEffect,
        volume_effect_pct: res.split.volumeEffect,
        left_out_value: res.withoutQuantity.current.value,
        left_out_share_pct: res.withoutQuantity.current.share,
        method: res.split.method,
      });
      notes.push(...res.notes.filter((n) => n.severity !== 'info'));
    }
  }
  return out;
}
