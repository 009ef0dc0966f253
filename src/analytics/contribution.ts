/**
 * Shares of a whole and contributions to its growth, in percentage points, computed exactly.
 *
 * The query engine hands over already aggregated amounts (decimal text in base currency units) for a set of
 * members — partners, products, provinces — and the whole they belong to. Everything is computed on
 * {@link Fixed} bigints; percentages come out as decimal text with `digits` decimals, rounded in one of two ways:
 *
 * - `nearest`: each figure on its own, half away from zero — every figure is within half a unit of its exact
 *   value, but a column of them may add up to 100.01 or 99.99;
 * - `largest-remainder` (Hamilton): each figure rounded down, then the units still missing to reach the
 *   rounded total handed out to the largest remainders — the column adds up exactly to the displayed total,
 *   and each figure is within one unit of the last decimal of its exact value.
 *
 * By default contributions use `largest-remainder` (they are read as a decomposition of the growth and must
 * add up to it as displayed) and shares use `nearest` (they are read one at a time and checked against other
 * sources: China's 2022 exports to Korea are 4.5253 % of the total, which the largest-remainder column shows as
 * 4.52). Pass `shareRounding: 'largest-remainder'` for a share column that adds up to exactly 100. In either
 * case the exact shares of the members plus the remainder row add up to 100 % and the exact contributions to
 * the exact growth of the whole.
 *
 * Contribution of a member, in pp: (current − previous) / |previous total| × 100. Because the members plus the
 * remainder row make up the whole, these add up exactly to the growth of the whole.
 *
 * **Negative amounts** (balances) are accepted, not refused: growth rates and contributions are taken over
 * the **absolute** previous amount, so a positive number always means "went up" (a deficit that narrows from
 * −100 to −80 shows +20 %, not −20 %), and contributions still add up to the growth of the whole. Shares stay
 * signed (member / whole × 100, adding up to 100); with negative members they are not proportions, and the
 * result carries a `negative-values` note saying so.
 */

import { type Fixed, fixedText, toFixed } from '../model/decimal.js';
import { roundHalfAway, unitsText } from '../model/exact.js';
import type { Problem } from '../util/errors.js';

/** One member of the whole: amounts as decimal text (at most 4 decimals) in the whole's currency and unit. */
export interface MemberInput {
  key: string;
  label?: string;
  current: string;
  previous: string;
}

/** The whole the members belong to (e.g. exports to World), for the same two periods. */
export interface Whole {
  current: string;
  previous: string;
}

/** How to round and name the remainder. */
export interface ContributionOptions {
  /** Decimals of every percentage and pp figure (default 2). */
  digits?: number;
  /** Key of the remainder row (default `'rest'`). A member with this key is treated as the remainder. */
  restKey?: string;
  /** Label of the remainder row (default `'rest of the whole'`, or the label of a member keyed `restKey`). */
  restLabel?: string;
  /** Rounding of the share columns (default `'nearest'`). */
  shareRounding?: Rounding;
  /** Rounding of the contribution column (default `'largest-remainder'`). */
  contributionRounding?: Rounding;
}

/** How a column of percentages is rounded: each figure on its own, or so that the column adds up. */
export type Rounding = 'nearest' | 'largest-remainder';

/**
 * - `continuing`: present (non-zero) in both periods; `new`: previous 0, current not (growth undefined);
 * - `gone`: current 0, previous not (growth −100 %); `absent`: zero in both.
 */
export type MemberStatus = 'continuing' | 'new' | 'gone' | 'absent';

/** One output row. Percentages are decimal text with the result's `digits`; amounts are exact decimal text. */
export interface ContributionRow {
  key: string;
  label: string;
  /** True for the remainder row (whole minus the members). */
  isRest: boolean;
  status: MemberStatus;
  current: string;
  previous: string;
  /** current − previous. */
  change: string;
  /** Share of the whole in the current period, % (null when the current whole is 0). */
  shareCurrent: string | null;
  /** Share of the whole in the previous period, % (null when the previous whole is 0). */
  sharePrevious: string | null;
  /** (current − previous) / |previous| × 100, rounded on its own; null when previous is 0. */
  growth: string | null;
  /** (current − previous) / |previous whole| × 100 in pp; null when the previous whole is 0. */
  contribution: string | null;
}

/** The whole, as displayed. */
export interface ContributionTotal {
  current: string;
  previous: string;
  change: string;
  /** '100.00' (with `digits` decimals), or null when the whole is 0 in that period. */
  shareCurrent: string | null;
  sharePrevious: string | null;
  /** Growth of the whole, % over |previous|; null when the previous whole is 0 (growth undefined). */
  growth: string | null;
}

export interface ContributionResult {
  digits: number;
  shareRounding: Rounding;
  contributionRounding: Rounding;
  /** Members in input order, then the remainder row when there is one. */
  rows: ContributionRow[];
  total: ContributionTotal;
  /** `growth-undefined`, `negative-values`, `rest-row`, `members-exceed-whole` — information, not failures. */
  notes: Problem[];
}

/**
 * Shares of the whole and contributions to its growth for each member, plus a remainder row when the members
 * do not make up the whole (in either period), so that shares add up to 100 % and contributions to the growth
 * of the whole — exactly, as displayed, thanks to largest-remainder rounding.
 *
 * Throws on a duplicate key (a broken invariant of the aggregated input).
 *
 * @example
 * const r = contributions(
 *   [{ key: 'USA', current: '120', previous: '100' }, { key: 'JPN', current: '50', previous: '60' }],
 *   { current: '200', previous: '200' },
 * );
 * r.rows.map((x) => [x.key, x.shareCurrent, x.contribution]);
 * // [['USA', '60.00', '10.00'], ['JPN', '25.00', '-5.00'], ['rest', '15.00', '-5.00']]
 * r.total.growth; // '0.00'
 */
export function contributions(
  members: readonly MemberInput[],
  whole: Whole,
  options: ContributionOptions = {},
): ContributionResult {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0) throw new Error(`invalid digits: ${digits}`);
  const restKey = options.restKey ?? 'rest';
  const shareRounding = options.shareRounding ?? 'nearest';
  const contributionRounding = options.contributionRounding ?? 'largest-remainder';
  const notes: Problem[] = [];

  const seen = new Set<string>();
  const parsed: Parsed[] = [];
  let given: Parsed | undefined;
  for (const m of members) {
    if (seen.has(m.key)) throw new Error(`duplicate member key: ${m.key}`);
    seen.add(m.key);
    const p: Parsed = { key: m.key, label: m.label ?? m.key, cur: toFixed(m.current), prev: toFixed(m.previous) };
    if (m.key === restKey) given = p;
    else parsed.push(p);
  }

  const wholeCur = toFixed(whole.current);
  const wholePrev = toFixed(whole.previous);
  const negative =
    wholeCur < 0n || wholePrev < 0n || [...parsed, ...(given ? [given] : [])].some((p) => p.cur < 0n || p.prev < 0n);
  const restCur = wholeCur - sum(parsed.map((p) => p.cur));
  const restPrev = wholePrev - sum(parsed.map((p) => p.prev));
  if (given || restCur !== 0n || restPrev !== 0n) {
    const label = options.restLabel ?? given?.label ?? 'rest of the whole';
    parsed.push({ key: restKey, label, cur: restCur, prev: restPrev, isRest: true });
    const beyondCur = given ? restCur - given.cur : restCur;
    const beyondPrev = given ? restPrev - given.prev : restPrev;
    const of = given
      ? `, of which ${fixedText(beyondCur)} and ${fixedText(beyondPrev)} beyond the given '${restKey}' row`
      : '';
    notes.push({
      code: 'rest-row',
      severity: 'info',
      message:
        beyondCur === 0n && beyondPrev === 0n
          ? `'${restKey}' holds the members not listed (${fixedText(restCur)} current, ${fixedText(restPrev)} previous)`
          : `the members do not make up the whole: '${restKey}' holds the whole minus the members (${fixedText(restCur)} current, ${fixedText(restPrev)} previous${of})`,
    });
  }
  if (negative) {
    notes.push({
      code: 'negative-values',
      severity: 'info',
      message:
        'negative amounts (a balance?): growth and contributions are over the absolute previous amount, so a ' +
        'positive figure means an increase; shares are signed member / whole and are not proportions',
    });
  } else if (restCur < 0n || restPrev < 0n) {
    notes.push({
      code: 'members-exceed-whole',
      severity: 'warning',
      message:
        'the members add up to more than the whole (overlapping members or another whole?): the rest row is negative',
    });
  }
  if (wholePrev === 0n) {
    notes.push({
      code: 'growth-undefined',
      severity: 'info',
      message: 'the previous whole is zero: growth and contributions to growth are undefined',
    });
  }

  const pct = 100n * 10n ** BigInt(digits);
  const totalGrowthUnits = wholePrev === 0n ? null : roundHalfAway((wholeCur - wholePrev) * pct, abs(wholePrev));
  const sharesCur =
    wholeCur === 0n
      ? null
      : column(
          parsed.map((p) => p.cur * pct),
          wholeCur,
          pct,
          shareRounding,
        );
  const sharesPrev =
    wholePrev === 0n
      ? null
      : column(
          parsed.map((p) => p.prev * pct),
          wholePrev,
          pct,
          shareRounding,
        );
  const contribs =
    totalGrowthUnits === null
      ? null
      : column(
          parsed.map((p) => (p.cur - p.prev) * pct),
          abs(wholePrev),
          totalGrowthUnits,
          contributionRounding,
        );

  const rows = parsed.map((p, i): ContributionRow => {
    return {
      key: p.key,
      label: p.label,
      isRest: p.isRest === true,
      status: statusOf(p.cur, p.prev),
      current: fixedText(p.cur),
      previous: fixedText(p.prev),
      change: fixedText(p.cur - p.prev),
      shareCurrent: sharesCur ? unitsText(sharesCur[i]!, digits) : null,
      sharePrevious: sharesPrev ? unitsText(sharesPrev[i]!, digits) : null,
      growth: p.prev === 0n ? null : unitsText(roundHalfAway((p.cur - p.prev) * pct, abs(p.prev)), digits),
      contribution: contribs ? unitsText(contribs[i]!, digits) : null,
    };
  });

  return {
    digits,
    shareRounding,
    contributionRounding,
    rows,
    total: {
      current: fixedText(wholeCur),
      previous: fixedText(wholePrev),
      change: fixedText(wholeCur - wholePrev),
      shareCurrent: wholeCur === 0n ? null : unitsText(pct, digits),
      sharePrevious: wholePrev === 0n ? null : unitsText(pct, digits),
      growth: totalGrowthUnits === null ? null : unitsText(totalGrowthUnits, digits),
    },
    notes,
  };
}

/** What {@link topN} ranks by: an amount, the change, or the size of the change either way. */
export type RankBy = 'current' | 'previous' | 'change' | 'absChange';

/** Options of {@link topN}. */
export interface TopNOptions {
  /** Key of the row holding the others (default `'rest'`, which {@link contributions} treats as the remainder). */
  restKey?: string;
  /** Label of that row (default `'all others'`). */
  restLabel?: string;
}

/**
 * Keeps the `n` largest members by `by` (descending; ties by key) and sums the others, exactly, into one
 * remainder row keyed `'rest'`. Pass the result to {@link contributions}: it recognises that row and adds to it
 * whatever the members did not cover of the whole, so there is still one remainder row.
 *
 * @example
 * const top = topN(
 *   [{ key: 'A', current: '5', previous: '1' }, { key: 'B', current: '3', previous: '4' }, { key: 'C', current: '1', previous: '1' }],
 *   1,
 *   'current',
 * );
 * // [{ key: 'A', current: '5', previous: '1' }, { key: 'rest', label: 'all others', current: '4', previous: '5' }]
 */
export function topN(
  members: readonly MemberInput[],
  n: number,
  by: RankBy = 'current',
  options: TopNOptions = {},
): MemberInput[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid n: ${n}`);
  const restKey = options.restKey ?? 'rest';
  if (members.some((m) => m.key === restKey)) throw new Error(`member key clashes with the rest key: ${restKey}`);
  const measure = (m: MemberInput): Fixed => {
    const cur = toFixed(m.current);
    const prev = toFixed(m.previous);
    if (by === 'current') return cur;
    if (by === 'previous') return prev;
    return by === 'change' ? cur - prev : abs(cur - prev);
  };
  const ranked = members
    .map((m) => ({ m, v: measure(m) }))
    .sort((a, b) => (a.v === b.v ? (a.m.key < b.m.key ? -1 : a.m.key > b.m.key ? 1 : 0) : a.v > b.v ? -1 : 1));
  const kept = ranked.slice(0, n).map((r) => r.m);
  const others = ranked.slice(n).map((r) => r.m);
  if (others.length === 0) return kept;
  return [
    ...kept,
    {
      key: restKey,
      label: options.restLabel ?? 'all others',
      current: fixedText(sum(others.map((m) => toFixed(m.current)))),
      previous: fixedText(sum(others.map((m) => toFixed(m.previous)))),
    },
  ];
}

interface Parsed {
  key: string;
  label: string;
  cur: Fixed;
  prev: Fixed;
  isRest?: boolean;
}

function statusOf(cur: Fixed, prev: Fixed): MemberStatus {
  if (prev === 0n) return cur === 0n ? 'absent' : 'new';
  return cur === 0n ? 'gone' : 'continuing';
}

/** `nums_i / den` as integers, each rounded on its own or all together to add up to `target`. */
function column(nums: readonly bigint[], den: bigint, target: bigint, rounding: Rounding): bigint[] {
  return rounding === 'nearest' ? nums.map((x) => roundHalfAway(x, den)) : allocate(nums, den, target);
}

/**
 * Largest-remainder (Hamilton) rounding: integers q_i, each ⌊nums_i / den⌋ or one more, with Σ q_i = target.
 * The units go to the largest remainders (ties: larger |exact value|, then input order). `target` must be the
 * rounded sum of the exact quotients — then 0 ≤ target − Σ⌊·⌋ ≤ n, even with negative numerators.
 */
function allocate(nums: readonly bigint[], den: bigint, target: bigint): bigint[] {
  const d = abs(den);
  const signed = den < 0n ? nums.map((x) => -x) : nums;
  const floors = signed.map((x) => floorDiv(x, d));
  let left = target - sum(floors);
  if (left < 0n || left > BigInt(nums.length)) throw new Error('largest remainder: target out of reach');
  const order = signed
    .map((x, i) => ({ i, rem: x - floors[i]! * d, mag: abs(x) }))
    .sort((a, b) =>
      a.rem !== b.rem ? (a.rem > b.rem ? -1 : 1) : a.mag !== b.mag ? (a.mag > b.mag ? -1 : 1) : a.i - b.i,
    );
  const out = [...floors];
  for (const { i } of order) {
    if (left === 0n) break;
    out[i]! += 1n;
    left -= 1n;
  }
  return out;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function sum(xs: readonly bigint[]): bigint {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
}
