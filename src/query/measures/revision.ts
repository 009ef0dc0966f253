import { fixedText, growthPercent, toFixed } from '../../model/decimal.js';
import { monthCount, type Period } from '../../model/period.js';
import type { AggregateRow } from '../../store/store.js';
import type { Cell, Window } from '../result.js';

/** Revision reconciliation: sum of first-published months against the published cumulative figure. */
export async function revisionRows(
  agg: AggregateRow[],
  windows: Window[],
  mains: Period[],
  flows: string[],
  memberKey: (a: AggregateRow) => string,
  members: string[],
  dimNames: string[],
): Promise<Record<string, Cell>[]> {
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    for (const f of flows) {
      for (const k of members.length && dimNames.length ? members : ['']) {
        const sel = agg.filter(
          (a) => a.window === w.id && a.key.flow === f && (!dimNames.length || memberKey(a) === k),
        );
        for (const a of sel) {
          if (a.cumulative === null || a.months === null || a.monthsFound !== monthCount(w.period.start, w.period.end))
            continue;
          const cum = toFixed(a.cumulative);
          const months = toFixed(a.months);
          const row: Record<string, Cell> = { period: w.period.label };
          dimNames.forEach((d, i) => {
            row[d] = k.split('|')[i] ?? '';
          });
          row.measure = `revision ${f === 'X' ? 'exports' : f === 'M' ? 'imports' : f}`;
          row.value = fixedText(cum);
          row.months_sum = fixedText(months);
          row.revision = fixedText(cum - months);
          row.revision_pct = months === 0n ? null : growthPercent(cum, months, 3);
          row.currency = a.currency;
          out.push(row);
        }
      }
    }
  }
  return out;
}
