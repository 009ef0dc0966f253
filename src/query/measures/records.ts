import { highestSince, lowestSince, runs, type SeriesPoint, seriesProblems } from '../../analytics/records.js';
import type { Period } from '../../model/period.js';
import type { Problem } from '../../util/errors.js';
import type { Cell } from '../result.js';

/**
 * Records and milestones of the last window of each series (per measure and drilldown member): the highest /
 * lowest since when, and the current run of increases or decreases.
 */
export function recordRows(rows: Record<string, Cell>[], mains: Period[], notes: Problem[]): Record<string, Cell>[] {
  const out: Record<string, Cell>[] = [];
  const labels = mains.map((p) => p.label);
  const seriesKey = (r: Record<string, Cell>) =>
    Object.entries(r)
      .filter(
        ([k]) =>
          !['period', 'value', 'currency', 'previous', 'share_pct', 'contribution_pp'].includes(k) &&
          !k.endsWith('_pct'),
      )
      .map(([k, v]) => `${k}=${v}`)
      .join('|');
  const groups = new Map<string, Record<string, Cell>[]>();
  for (const r of rows) {
    if (!labels.includes(String(r.period)) || r.value === null || r.value === undefined) continue;
    const k = seriesKey(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [, g] of groups) {
    const series: SeriesPoint[] = g
      .map((r) => ({ r, p: mains.find((p) => p.label === r.period)! }))
      .sort((a, b) => a.p.start - b.p.start)
      .map(({ r, p }) => ({ label: p.label, start: p.start, end: p.end, value: String(r.value) }));
    if (series.length < 2) continue;
    const problems = seriesProblems(series).filter((p) => p.severity === 'error');
    if (problems.length) {
      notes.push(...problems);
      continue;
    }
    const hi = highestSince(series);
    const lo = lowestSince(series);
    const run = runs(series);
    const last = g.at(-1)!;
    out.push({
      period: series.at(-1)!.label,
      measure: `records ${last.measure}`,
      ...Object.fromEntries(
        Object.entries(last).filter(
          ([k]) =>
            !['period', 'measure', 'value', 'currency', 'previous'].includes(k) &&
            !k.endsWith('_pct') &&
            k !== 'contribution_pp',
        ),
      ),
      value: series.at(-1)!.value,
      highest: hi.text,
      lowest: lo.text,
      run: run.text,
    });
  }
  return out;
}
