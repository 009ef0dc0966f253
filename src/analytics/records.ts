/**
 * Records and milestones over an aggregated series: "highest since 2006", "highest on record", "above
 * US$2.5 trillion for the first time", "first decline after five increases", "positive for 3 months in a row".
 *
 * The series is what the query engine returns for one measure over comparable windows, in time order: every
 * month, every Jan–Jun window of each year, every year, every rolling 12 months. Values are exact decimal
 * text of any precision (levels, balances, shares, YoY percent); comparisons are exact (BigInt), never floats.
 *
 * Rules, the same in every function:
 * - **A tie is not a new record.** A point equal to an earlier one is not higher than it: "highest since"
 *   names the most recent earlier point at least as high (≥), and the result says when that point is a tie.
 * - **"On record" means within the series, up to the point examined.** Later points are ignored, so a claim
 *   is what could have been said at that point; a series that starts late cannot show older records.
 * - **Above and below are strict.** A value equal to a threshold is "at" it, neither above nor below; a series
 *   that touches a threshold and turns back has not crossed it.
 * - **Negative series (balances) need no special case**: "highest" is the greatest value, so for a deficit
 *   series the highest is the smallest deficit; ask {@link lowestSince} for the largest deficit.
 * - **An unchanged value breaks a run** of increases or decreases; a zero breaks a run of positive or
 *   negative values.
 *
 * Every public function checks the series (see {@link seriesProblems}) and throws a plain `Error` when it is
 * not usable: passing an unordered or mixed series is a bug in the caller, which should check first.
 */

import { groupThousands } from '../model/decimal.js';
import { parseDec as parseExact } from '../model/exact.js';
import { type MonthId, monthCount } from '../model/period.js';
import type { Problem, ProblemCode } from '../util/errors.js';

/** One point of an aggregated series: a window (start…end months) with its label and exact value. */
export interface SeriesPoint {
  /** Display label, unique in the series: `2018`, `2025-06`, `ytd:2025-06`. */
  readonly label: string;
  readonly start: MonthId;
  readonly end: MonthId;
  /** Exact decimal text: `2501333.57964`, `-12.5`, `19.2172`. */
  readonly value: string;
}

/** A point of the series: its index, or its label. */
export type PointRef = number | string;

/** An exact decimal `m × 10^-e`. */
interface Dec {
  readonly m: bigint;
  readonly e: number;
}

function parseDec(text: string): Dec | undefined {
  const d = parseExact(text);
  return d ? { m: d.units, e: d.scale } : undefined;
}

function cmp(a: Dec, b: Dec): number {
  const e = Math.max(a.e, b.e);
  const x = a.m * 10n ** BigInt(e - a.e);
  const y = b.m * 10n ** BigInt(e - b.e);
  return x < y ? -1 : x > y ? 1 : 0;
}

const sign = (a: Dec): number => (a.m < 0n ? -1 : a.m > 0n ? 1 : 0);

/**
 * What is wrong with a series for the functions of this module: an empty series, a value that is not exact
 * decimal text, a duplicate label, windows out of time order or of different lengths (errors), and gaps —
 * steps between consecutive windows longer than the shortest step (a warning: 1961 then 1978).
 * @example
 * seriesProblems([{ label: '2024', start: 202401, end: 202412, value: '1.5' },
 *                 { label: '2025-H1', start: 202501, end: 202506, value: '2' }])
 * // [{ code: 'series-not-comparable', severity: 'error', message: 'window 2025-H1 has 6 months, 2024 has 12', … }]
 */
export function seriesProblems(series: readonly SeriesPoint[]): Problem[] {
  const problems: Problem[] = [];
  const error = (code: ProblemCode, message: string, value?: string): void => {
    problems.push({ code, severity: 'error', message, ...(value === undefined ? {} : { value }) });
  };
  if (series.length === 0) error('series-empty', 'empty series');
  const labels = new Set<string>();
  const first = series[0];
  const months = first ? monthCount(first.start, first.end) : 0;
  let minStep = Number.POSITIVE_INFINITY;
  for (const [i, p] of series.entries()) {
    if (!parseDec(p.value)) error('series-bad-value', `not a decimal: ${p.value} (at ${p.label})`, p.value);
    if (labels.has(p.label)) error('series-duplicate-label', `duplicate label: ${p.label}`, p.label);
    labels.add(p.label);
    if (p.end < p.start) error('series-bad-window', `window ${p.label} ends before it starts`, p.label);
    const n = monthCount(p.start, p.end);
    if (n !== months)
      error('series-not-comparable', `window ${p.label} has ${n} months, ${first!.label} has ${months}`, p.label);
    const prev = series[i - 1];
    if (prev) {
      if (p.start <= prev.start || p.end <= prev.end)
        error('series-not-in-order', `window ${p.label} does not follow ${prev.label}`, p.label);
      else minStep = Math.min(minStep, monthCount(prev.start, p.start) - 1);
    }
  }
  if (problems.length === 0) {
    for (const [i, p] of series.entries()) {
      const prev = series[i - 1];
      if (prev && monthCount(prev.start, p.start) - 1 > minStep)
        problems.push({
          code: 'series-gap',
          severity: 'warning',
          message: `gap between ${prev.label} and ${p.label}: compared as consecutive points`,
          value: p.label,
        });
    }
  }
  return problems;
}

/** Parses the values of a checked series, or throws naming the first error. */
function values(series: readonly SeriesPoint[]): Dec[] {
  const bad = seriesProblems(series).find((p) => p.severity === 'error');
  if (bad) throw new Error(`invalid series: ${bad.message}`);
  return series.map((p) => parseDec(p.value)!);
}

function indexOf(series: readonly SeriesPoint[], at: PointRef | undefined): number {
  if (at === undefined) return series.length - 1;
  const i = typeof at === 'number' ? at : series.findIndex((p) => p.label === at);
  if (!Number.isInteger(i) || i < 0 || i >= series.length) throw new Error(`no such point in the series: ${at}`);
  return i;
}

function parseThreshold(threshold: string): Dec {
  const t = parseDec(threshold);
  if (!t) throw new Error(`not a decimal: ${threshold}`);
  return t;
}

const show = (text: string): string => groupThousands(text.trim().replace(/^\+/, ''));

// ---------------------------------------------------------------------------------------------------------
// Highest / lowest since

/** Where a point stands among the earlier points of its series: see {@link highestSince}. */
export interface ExtremeSince {
  readonly extreme: 'highest' | 'lowest';
  /**
   * `record`: strictly beyond every earlier point ("highest on record"); `since`: beyond every point after
   * {@link since} ("highest since 2006"); `none`: not beyond the previous point; `first`: no earlier point.
   */
  readonly kind: 'record' | 'since' | 'none' | 'first';
  readonly label: string;
  readonly value: string;
  /**
   * The most recent earlier point at least as high (for lowest: at least as low) — the year in "highest
   * since 2006". Null for `record` and `first`. For `none` it is the previous point.
   */
  readonly since: string | null;
  readonly sinceValue: string | null;
  /** True when {@link since} has exactly this value: the point ties it, it does not beat it. */
  readonly tie: boolean;
  /**
   * The earliest point of the stretch this one strictly beats, which ends just before it: the point after
   * {@link since}, or the first point of the series for a record. Null for `none` and `first`.
   */
  readonly from: string | null;
  /** How many earlier points this one strictly beats in a row (0 for `none` and `first`). */
  readonly beats: number;
  /** `highest on record`, `highest since 2006`, `equal to 2006, the highest since then`, `no higher than 2017`. */
  readonly text: string;
}

/**
 * Is this point the highest since some earlier point, or on record? Looks back from the point (the last
 * one by default) for the most recent earlier value at least as high: a tie is not a new record.
 * @example
 * const s = [['2016', '18.24'], ['2017', '19.02'], ['2018', '19.22']].map(([y, v]) =>
 *   ({ label: y, start: Number(`${y}01`) as MonthId, end: Number(`${y}12`) as MonthId, value: v }));
 * highestSince(s).text          // 'highest on record'
 * highestSince(s, '2017').text  // 'highest on record'
 * lowestSince(s).text           // 'no lower than 2017'
 */
export function highestSince(series: readonly SeriesPoint[], at?: PointRef): ExtremeSince {
  return extremeSince(series, at, 'highest');
}

/**
 * Is this point the lowest since some earlier point, or on record? The mirror of {@link highestSince}; for
 * a balance that is in deficit, "lowest" is the largest deficit.
 * @example
 * lowestSince(series, '2019').text // 'lowest since 2013'
 */
export function lowestSince(series: readonly SeriesPoint[], at?: PointRef): ExtremeSince {
  return extremeSince(series, at, 'lowest');
}

function extremeSince(
  series: readonly SeriesPoint[],
  at: PointRef | undefined,
  extreme: 'highest' | 'lowest',
): ExtremeSince {
  const v = values(series);
  const i = indexOf(series, at);
  const dir = extreme === 'highest' ? 1 : -1;
  const point = series[i]!;
  const base = { extreme, label: point.label, value: point.value };
  const word = extreme === 'highest' ? 'higher' : 'lower';
  if (i === 0)
    return {
      ...base,
      kind: 'first',
      since: null,
      sinceValue: null,
      tie: false,
      from: null,
      beats: 0,
      text: 'first point of the series',
    };
  let j = i - 1;
  while (j >= 0 && cmp(v[j]!, v[i]!) * dir < 0) j--;
  if (j < 0)
    return {
      ...base,
      kind: 'record',
      since: null,
      sinceValue: null,
      tie: false,
      from: series[0]!.label,
      beats: i,
      text: `${extreme} on record`,
    };
  const s = series[j]!;
  const tie = cmp(v[j]!, v[i]!) === 0;
  if (j === i - 1)
    return {
      ...base,
      kind: 'none',
      since: s.label,
      sinceValue: s.value,
      tie,
      from: null,
      beats: 0,
      text: tie ? `equal to ${s.label}` : `no ${word} than ${s.label}`,
    };
  return {
    ...base,
    kind: 'since',
    since: s.label,
    sinceValue: s.value,
    tie,
    from: series[j + 1]!.label,
    beats: i - j - 1,
    text: tie ? `equal to ${s.label}, the ${extreme} since then` : `${extreme} since ${s.label}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Thresholds

/** Which side of a threshold a value is on; `at` when equal. */
export type Side = 'above' | 'below' | 'at';

/** A point against a threshold: see {@link firstAbove}. */
export interface ThresholdStatus {
  readonly direction: 'above' | 'below';
  readonly label: string;
  readonly value: string;
  readonly threshold: string;
  readonly side: Side;
  /**
   * True when the point is on the asked side and the most recent earlier point not at the threshold was on
   * the other side: the series crossed here. A series that starts on the asked side has not crossed.
   */
  readonly crossed: boolean;
  /** True when the point is on the asked side and no earlier point was: the first time on record. */
  readonly first: boolean;
  /** The most recent earlier point where the series crossed to the asked side, or null. */
  readonly lastCrossed: string | null;
  /** The most recent earlier point on the asked side, or null (never before). */
  readonly lastOnSide: string | null;
  /** The first point of the current stretch on the asked side (this point when it just crossed), or null. */
  readonly onSideSince: string | null;
  /**
   * `above 2,500,000 for the first time`, `back above 20 for the first time since 2006`,
   * `above 20 since 2019`, `not above 20 (last above in 2006)`, `not above 20 (never on record)`.
   */
  readonly text: string;
}

/**
 * Is the point (the last by default) above the threshold, and is it the first time? Says whether the series
 * crossed here, when it last crossed above before, and when it was last above. Above is strict.
 * @example
 * firstAbove(worldExports, '2500000', '2018').text // 'above 2,500,000 for the first time'
 * firstAbove(worldExports, '2500000', '2020').text // 'back above 2,500,000 for the first time since 2018'
 */
export function firstAbove(series: readonly SeriesPoint[], threshold: string, at?: PointRef): ThresholdStatus {
  return thresholdStatus(series, threshold, at, 'above');
}

/**
 * Is the point (the last by default) below the threshold, and is it the first time? The mirror of
 * {@link firstAbove}: for a balance, `firstBelow(balance, '0')` says whether it just went into deficit.
 * @example
 * firstBelow(worldExports, '2500000', '2019').text // 'back below 2,500,000 for the first time since 2017'
 */
export function firstBelow(series: readonly SeriesPoint[], threshold: string, at?: PointRef): ThresholdStatus {
  return thresholdStatus(series, threshold, at, 'below');
}

function sideOf(v: Dec, t: Dec): Side {
  const c = cmp(v, t);
  return c > 0 ? 'above' : c < 0 ? 'below' : 'at';
}

/** Indices where the series changes side (ignoring points at the threshold), with the side it moves to. */
function crossingsOf(v: readonly Dec[], t: Dec): { index: number; to: 'above' | 'below' }[] {
  const out: { index: number; to: 'above' | 'below' }[] = [];
  let last: Side | undefined;
  for (const [i, x] of v.entries()) {
    const s = sideOf(x, t);
    if (s === 'at') continue;
    if (last !== undefined && s !== last) out.push({ index: i, to: s });
    last = s;
  }
  return out;
}

function thresholdStatus(
  series: readonly SeriesPoint[],
  threshold: string,
  at: PointRef | undefined,
  direction: 'above' | 'below',
): ThresholdStatus {
  const v = values(series);
  const t = parseThreshold(threshold);
  const i = indexOf(series, at);
  const point = series[i]!;
  const side = sideOf(v[i]!, t);
  const onSide = side === direction;
  const upTo = v.slice(0, i + 1);
  const crossings = crossingsOf(upTo, t).filter((c) => c.to === direction);
  const crossed = onSide && crossings.at(-1)?.index === i;
  const earlier = crossings.filter((c) => c.index < i);
  let lastOnSide: number | undefined;
  for (let j = i - 1; j >= 0; j--)
    if (sideOf(v[j]!, t) === direction) {
      lastOnSide = j;
      break;
    }
  let since: number | undefined;
  if (onSide) {
    since = i;
    while (since > 0 && sideOf(v[since - 1]!, t) === direction) since--;
  }
  const first = onSide && lastOnSide === undefined;
  const label = (j: number | undefined): string | null => (j === undefined ? null : series[j]!.label);
  const th = show(threshold);
  let text: string;
  if (onSide) {
    if (first) text = `${direction} ${th} for the first time`;
    else if (since === i) text = `back ${direction} ${th} for the first time since ${label(lastOnSide)}`;
    else text = `${direction} ${th} since ${label(since)}`;
  } else {
    const where = side === 'at' ? `at ${th}` : `not ${direction} ${th}`;
    text =
      lastOnSide === undefined
        ? `${where} (never ${direction} on record)`
        : `${where} (last ${direction} in ${label(lastOnSide)})`;
  }
  return {
    direction,
    label: point.label,
    value: point.value,
    threshold,
    side,
    crossed,
    first,
    lastCrossed: label(earlier.at(-1)?.index),
    lastOnSide: label(lastOnSide),
    onSideSince: label(since),
    text,
  };
}

/** When a series first reached each side of a threshold and every time it crossed: see {@link milestones}. */
export interface Milestone {
  readonly threshold: string;
  /** The first point strictly above the threshold (maybe the first point of the series), or null. */
  readonly firstAbove: string | null;
  /** The first point strictly below the threshold, or null. */
  readonly firstBelow: string | null;
  /** Every change of side, in order; points at the threshold are skipped over, so touching is no crossing. */
  readonly crossings: readonly { readonly label: string; readonly to: 'above' | 'below' }[];
  /** Side of the last point. */
  readonly side: Side;
  /** `first above 2,000,000 in 2010; last crossed above in 2020; above now`, `never above 3,000,000; below now`. */
  readonly text: string;
}

/**
 * Milestones of a series against several thresholds (round numbers, zero for a balance): when it was first
 * above and below each, and every crossing. Thresholds are reported in the order given.
 * @example
 * milestones(worldExports, ['1000000', '2500000']).map((m) => m.text)
 * // ['first above 1,000,000 in 2007; above now',
 * //  'first above 2,500,000 in 2018; last crossed above in 2020; above now']
 */
export function milestones(series: readonly SeriesPoint[], thresholds: readonly string[]): Milestone[] {
  const v = values(series);
  return thresholds.map((threshold) => {
    const t = parseThreshold(threshold);
    const firstOn = (s: Side): string | null => {
      const j = v.findIndex((x) => sideOf(x, t) === s);
      return j < 0 ? null : series[j]!.label;
    };
    const crossings = crossingsOf(v, t).map((c) => ({ label: series[c.index]!.label, to: c.to }));
    const side = sideOf(v.at(-1)!, t);
    const th = show(threshold);
    const above = firstOn('above');
    const parts = [above === null ? `never above ${th}` : `first above ${th} in ${above}`];
    const last = crossings.at(-1);
    if (last && !(crossings.length === 1 && last.to === 'above' && last.label === above))
      parts.push(`last crossed ${last.to} in ${last.label}`);
    parts.push(`${side} now`);
    return { threshold, firstAbove: above, firstBelow: firstOn('below'), crossings, side, text: parts.join('; ') };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Runs

/** A stretch of consecutive steps (or values) of one kind. */
export interface RunSpan<K extends string> {
  readonly kind: K;
  /** Number of steps (for {@link runs}) or points (for {@link signRuns}) in the stretch. */
  readonly length: number;
  /** Label of the point the stretch starts from (for {@link runs}: the base of its first step). */
  readonly from: string;
  /** Label of its last point. */
  readonly to: string;
  /** True when it starts at the first point of the series: it may have begun earlier (a lower bound). */
  readonly reachesStart: boolean;
}

/** The run a point ends, with the run before it: see {@link runs} and {@link signRuns}. */
export interface Run<K extends string> {
  readonly label: string;
  readonly value: string;
  /** The current run, ending at the point; null at the first point of the series for {@link runs}. */
  readonly current: RunSpan<K> | null;
  /** The run that ended where the current one began, or null. */
  readonly previous: RunSpan<K> | null;
  /** `first decrease after 5 increases`, `3 increases in a row (since 2015)`, `unchanged from 2017`. */
  readonly text: string;
}

/** Kinds of step between consecutive points. */
export type StepKind = 'increase' | 'decrease' | 'unchanged';
/** Signs of a value (for a YoY series). */
export type SignKind = 'positive' | 'negative' | 'zero';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const STEP_WORDS: Record<StepKind, [string, string]> = {
  increase: ['increase', 'increases'],
  decrease: ['decrease', 'decreases'],
  unchanged: ['unchanged step', 'unchanged steps'],
};

/**
 * The current run of increases or decreases against the previous point, ending at the point (the last by
 * default), and the run before it. An unchanged value is its own kind of step and breaks a run.
 * @example
 * runs(usShare, '2019').text   // 'first decrease after 5 increases'
 * runs(usShare, '2018').current // { kind: 'increase', length: 5, from: '2013', to: '2018', reachesStart: false }
 */
export function runs(series: readonly SeriesPoint[], at?: PointRef): Run<StepKind> {
  const v = values(series);
  const i = indexOf(series, at);
  const point = series[i]!;
  const step = (j: number): StepKind => {
    const c = cmp(v[j]!, v[j - 1]!);
    return c > 0 ? 'increase' : c < 0 ? 'decrease' : 'unchanged';
  };
  /** The run of steps ending at point `end` (≥ 1). */
  const spanEndingAt = (end: number): RunSpan<StepKind> => {
    const kind = step(end);
    let j = end;
    while (j > 1 && step(j - 1) === kind) j--;
    return { kind, length: end - j + 1, from: series[j - 1]!.label, to: series[end]!.label, reachesStart: j === 1 };
  };
  if (i === 0)
    return { label: point.label, value: point.value, current: null, previous: null, text: 'first point of the series' };
  const current = spanEndingAt(i);
  const startIdx = i - current.length;
  const previous = startIdx >= 1 ? spanEndingAt(startIdx) : null;
  const [one, many] = STEP_WORDS[current.kind];
  let text: string;
  if (current.kind === 'unchanged')
    text = current.length === 1 ? `unchanged from ${current.from}` : `unchanged since ${current.from}`;
  else if (current.length === 1)
    text = previous
      ? `first ${one} after ${plural(previous.length, ...STEP_WORDS[previous.kind])}`
      : `${one} from ${current.from}`;
  else text = `${current.length} ${many} in a row (since ${current.from})`;
  return { label: point.label, value: point.value, current, previous, text };
}

/**
 * The current run of positive or negative values ending at the point (the last by default), and the run
 * before it — for a YoY series: "positive for 3 months in a row". Zero is its own sign and breaks a run.
 * @example
 * signRuns(yoy).text // 'positive for 3 periods in a row (since 2025-04)'
 * signRuns(yoy, '2025-01').text // 'first positive after 2 negative'
 */
export function signRuns(series: readonly SeriesPoint[], at?: PointRef): Run<SignKind> {
  const v = values(series);
  const i = indexOf(series, at);
  const point = series[i]!;
  const kindAt = (j: number): SignKind => {
    const s = sign(v[j]!);
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'zero';
  };
  const spanEndingAt = (end: number): RunSpan<SignKind> => {
    const kind = kindAt(end);
    let j = end;
    while (j > 0 && kindAt(j - 1) === kind) j--;
    return { kind, length: end - j + 1, from: series[j]!.label, to: series[end]!.label, reachesStart: j === 0 };
  };
  const current = spanEndingAt(i);
  const startIdx = i - current.length + 1;
  const previous = startIdx >= 1 ? spanEndingAt(startIdx - 1) : null;
  let text: string;
  if (current.length > 1) text = `${current.kind} for ${current.length} periods in a row (since ${current.from})`;
  else if (previous) text = `first ${current.kind} after ${previous.length} ${previous.kind}`;
  else text = `${current.kind}`;
  return { label: point.label, value: point.value, current, previous, text };
}
