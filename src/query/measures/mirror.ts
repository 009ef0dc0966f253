import { mirror } from '../../analytics/mirror.js';
import { fixedText } from '../../model/decimal.js';
import type { Period } from '../../model/period.js';
import type { TradeStore } from '../../store/store.js';
import { type Problem, UserError } from '../../util/errors.js';
import type { Cell } from '../result.js';
import type { QuerySpec } from '../spec.js';
import { pick } from '../windows.js';

/** Mirror: the reporter's exports to the partner against the partner's imports from the reporter. */
export async function mirrorRows(
  store: TradeStore,
  spec: QuerySpec,
  reporter: string,
  partner: string,
  period: Period,
  notes: Problem[],
): Promise<Record<string, Cell>[]> {
  const win = [{ id: 'm', start: period.start, end: period.end }];
  const order = await store.precedence();
  const side = async (rep: string, par: string, flow: string, prefer?: string) => {
    const covering = await store.datasetsCovering({
      reporters: [rep],
      partners: [par],
      flows: [flow],
      products: ['TOTAL'],
      overlapping: { start: period.start, end: period.end },
    });
    if (!covering.length) return null;
    const names = covering.map((c) => c.dataset);
    // the dataset named, the one the other side used, the declared precedence, or the only one
    const ds =
      [spec.dataset, prefer, ...order].find((d): d is string => !!d && names.includes(d)) ??
      (names.length === 1 ? names[0] : undefined);
    if (!ds) {
      throw new UserError(
        `mirror: ${names.length} datasets report ${rep} ${flow === 'X' ? 'exports to' : 'imports from'} ${par}: ${names.join(', ')}; name one with --dataset or declare a precedence`,
      );
    }
    const rows = await store.aggregate({
      filter: { datasets: [ds], reporters: [rep], partners: [par], flows: [flow], products: ['TOTAL'], regions: [''] },
      groupBy: ['flow'],
      windows: win,
    });
    const a = rows[0];
    const v = a ? pick(a, period) : null;
    return v === null ? null : { value: v, dataset: ds, currency: a!.currency };
  };
  const x = await side(reporter, partner, 'X');
  const m = await side(partner, reporter, 'M', x?.dataset);
  if (!x || !m || x.currency !== m.currency) {
    notes.push({
      code: 'mirror-missing',
      severity: 'warning',
      message: `mirror: ${!x ? `no ${reporter} exports to ${partner}` : !m ? `no ${partner} imports from ${reporter}` : 'the two sides are in different currencies'} for ${period.label}`,
    });
  }
  const cmp =
    x && m && x.currency === m.currency
      ? mirror({
          reporter,
          partner,
          reporterValue: fixedText(x.value),
          partnerValue: fixedText(m.value),
          currency: x.currency,
          period: period.label,
        })
      : null;
  if (cmp) {
    for (const c of cmp.caveats)
      notes.push({ code: `mirror-${c.code}`, severity: 'info', message: `${c.title}: ${c.message}` });
  }
  const row: Record<string, Cell> = {
    period: period.label,
    measure: 'mirror',
    reporter_exports: x ? fixedText(x.value) : null,
    partner_imports: m ? fixedText(m.value) : null,
    gap: cmp?.gap ?? null,
    ratio: cmp?.ratio ?? null,
    gap_pct: cmp?.gapPercent ?? null,
    reading: cmp?.reading ?? null,
    currency: x?.currency ?? m?.currency ?? null,
    reporter_dataset: x?.dataset ?? null,
    partner_dataset: m?.dataset ?? null,
  };
  return [row];
}
