import { rca } from '../../analytics/rca.js';
import { fixedText } from '../../model/decimal.js';
import { monthCount, type Period } from '../../model/period.js';
import type { AggregateDimension, AggregateRow, CellFilter, TradeStore } from '../../store/store.js';
import type { Problem } from '../../util/errors.js';
import type { Cell, Window } from '../result.js';
import { pick } from '../windows.js';

/**
 * Revealed comparative advantage per product: the reporter's share of the product in its exports over the
 * world's. World = the dataset's World rows when it has them, else the sum over every reporter in the dataset
 * (and the result says so: with few reporters that is not the world).
 */
export async function rcaRows(
  store: TradeStore,
  filter: CellFilter,
  groupBy: AggregateDimension[],
  digits: number,
  windows: Window[],
  mains: Period[],
  agg: AggregateRow[],
  memberKey: (a: AggregateRow) => string,
  reporter: string,
  notes: Problem[],
): Promise<Record<string, Cell>[]> {
  const { reporters: _r, ...worldFilter } = filter;
  const world = await store.aggregate({
    filter: { ...worldFilter, flows: ['X'] },
    groupBy: ['flow', 'reporter', 'product'],
    productDigits: digits,
    windows: windows
      .filter((w) => mains.includes(w.period))
      .map((w) => ({ id: w.id, start: w.period.start, end: w.period.end })),
  });
  const reporters = new Set(world.map((a) => a.key.reporter));
  const hasWorld = reporters.has('WLD');
  notes.push({
    code: 'rca-world',
    severity: hasWorld ? 'info' : 'warning',
    message: hasWorld
      ? "RCA: world exports from the dataset's World rows"
      : `RCA: "world" is the sum of the ${reporters.size} reporter(s) in the dataset (${[...reporters].slice(0, 6).join(', ')}${reporters.size > 6 ? ' …' : ''}), not the world`,
  });
  const out: Record<string, Cell>[] = [];
  for (const w of windows.filter((x) => mains.includes(x.period))) {
    const mine = agg.filter((a) => a.window === w.id && a.key.flow === 'X' && a.key.product !== 'TOTAL');
    const wr = world.filter(
      (a) =>
        a.window === w.id &&
        a.key.product !== 'TOTAL' &&
        (hasWorld ? a.key.reporter === 'WLD' : a.key.reporter !== 'WLD'),
    );
    const val = (a: AggregateRow) => pick(a, w.period, monthCount(w.period.start, w.period.end)) ?? 0n;
    const mineTotal = mine.reduce((s, a) => s + val(a), 0n);
    const worldTotal = wr.reduce((s, a) => s + val(a), 0n);
    const worldBy = new Map<string, bigint>();
    for (const a of wr) worldBy.set(a.key.product!, (worldBy.get(a.key.product!) ?? 0n) + val(a));
    for (const a of mine) {
      const r = rca({
        reporterProduct: fixedText(val(a)),
        reporterTotal: fixedText(mineTotal),
        worldProduct: worldBy.has(a.key.product!) ? fixedText(worldBy.get(a.key.product!)!) : null,
        worldTotal: worldTotal === 0n ? null : fixedText(worldTotal),
      });
      out.push({
        period: w.period.label,
        product: a.key.product ?? '',
        measure: 'rca',
        reporter,
        rca: r.ok ? r.rca : null,
        reading: r.ok ? r.reading : r.text,
      });
    }
    void memberKey;
    void groupBy;
  }
  return out;
}
