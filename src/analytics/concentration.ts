/**
 * Concentration of trade across partners or products: the Herfindahl–Hirschman index, the equivalent
 * number of equal members, and the share of the largest k (CR4).
 *
 * Shares are exact rationals `v_i / T`, so `H = Σ v_i² / T²` is exact and is only rounded, half away from
 * zero, when written as text. Values are the members' trade values (any exact decimal text, in one currency)
 * or their shares: the index is the same either way.
 *
 * Pass members only, each once: countries (and residual areas such as Comtrade's "Other Asia, nes", which
 * are disjoint from the countries) or products at one level. **Never pass group rows** — World, the EU,
 * ASEAN, an HS chapter above its own headings — they count the same trade twice and inflate the index.
 * Comtrade's `isAggregate` flag is no help here: it says UNSD summed the reporter's detailed declarations,
 * and is true on every partner row of a by-partner total. Members with a zero value are left out: they
 * hold no share and would only change the normalised index.
 */
import { parseDec, ratioText } from '../model/exact.js';
import type { Problem } from '../util/errors.js';

/** One member: a partner or product code and its value (or share), exact decimal text. */
export interface ShareRow {
  readonly key: string;
  readonly value: string;
}

export interface ConcentrationOptions {
  /** How many of the largest members to report, and sum for the concentration ratio; default 4 (CR4). */
  readonly topK?: number;
}

/** A member among the largest, with its share in percent (2 decimals). */
export interface TopMember {
  readonly key: string;
  readonly value: string;
  readonly sharePercent: string;
}

/** The concentration of a set of members: see {@link concentration}. */
export interface Concentration {
  readonly ok: true;
  /** Members with a non-zero value. */
  readonly members: number;
  /** Keys left out for a zero value. */
  readonly zero: readonly string[];
  /** Exact sum of the values. */
  readonly total: string;
  /** HHI on the 0–10,000 scale (Σ shares² with shares in percent), 2 decimals. */
  readonly hhi: string;
  /** HHI on the 0–1 scale (Σ shares² with shares as fractions; = hhi / 10,000), 6 decimals. */
  readonly hhiFraction: string;
  /**
   * The normalised index `(H − 1/N) / (1 − 1/N)` on 0–1, which is 0 for N equal members whatever N,
   * 4 decimals; `1.0000` for a single member.
   */
  readonly hhiNormalised: string;
  /** `1 / H` (H on the 0–1 scale): the number of equal members that would give the same index, 2 decimals. */
  readonly equivalentNumber: string;
  readonly topK: number;
  /** The largest members, largest first (ties by key), at most {@link topK}. */
  readonly top: readonly TopMember[];
  /** Share of the {@link topK} largest together, in percent, 2 decimals (CR4 for k = 4). */
  readonly topShare: string;
  /**
   * Soft problems: `looks-like-group` when a member (of three or more) equals the sum of all the others, as a
   * World row does — a group row passed by mistake, or a coincidence (a member with exactly half the total).
   */
  readonly warnings: readonly Problem[];
  /** `HHI 494.44 across 218 members (equivalent to 20.23 equal members); the top 4 hold 33.83 %` */
  readonly text: string;
}

/** Why no index could be computed. */
export interface ConcentrationFailure {
  readonly ok: false;
  readonly problems: readonly Problem[];
  readonly text: string;
}

/** Integer text with thousands separators on the integer part. */
const grouped = (text: string): string => text.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));

/**
 * The Herfindahl–Hirschman index of a set of members, with the equivalent number and the top-k share.
 * Problems (not a decimal, a negative value, a duplicate key, nothing non-zero) return `ok: false`.
 * @example
 * concentration([
 *   { key: 'USA', value: '45' }, { key: 'DEU', value: '35' }, { key: 'JPN', value: '20' }, { key: 'FRA', value: '0' },
 * ])
 * // { ok: true, members: 3, zero: ['FRA'], total: '100', hhi: '3650.00', hhiFraction: '0.365000',
 * //   hhiNormalised: '0.0475', equivalentNumber: '2.74', topShare: '100.00', … }
 */
export function concentration(
  rows: readonly ShareRow[],
  options: ConcentrationOptions = {},
): Concentration | ConcentrationFailure {
  const topK = options.topK ?? 4;
  if (!Number.isInteger(topK) || topK < 1) throw new Error(`invalid topK: ${topK}`);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const parsed: { key: string; value: string; units: bigint; scale: number }[] = [];
  for (const row of rows) {
    const d = parseDec(row.value);
    if (seen.has(row.key))
      problems.push({
        code: 'duplicate-member',
        severity: 'error',
        message: `duplicate member: ${row.key}`,
        value: row.key,
      });
    seen.add(row.key);
    if (!d) {
      problems.push({
        code: 'bad-value',
        severity: 'error',
        message: `not a decimal: ${row.value} (member ${row.key})`,
        value: row.value,
      });
      continue;
    }
    if (d.units < 0n)
      problems.push({
        code: 'negative-value',
        severity: 'error',
        message: `negative value: ${row.value} (member ${row.key})`,
        value: row.value,
      });
    parsed.push({ key: row.key, value: row.value.trim(), ...d });
  }
  const fail = (): ConcentrationFailure => ({
    ok: false,
    problems,
    text: `cannot compute concentration: ${problems.map((p) => p.message).join('; ')}`,
  });
  if (problems.length > 0) return fail();
  // every value on one integer scale: v_i = m_i × 10^(e − e_i)
  const e = Math.max(0, ...parsed.map((p) => p.scale));
  const all = parsed.map((p) => ({ key: p.key, value: p.value, v: p.units * 10n ** BigInt(e - p.scale) }));
  const zero = all.filter((p) => p.v === 0n).map((p) => p.key);
  const members = all.filter((p) => p.v > 0n);
  if (members.length === 0) {
    problems.push({ code: 'no-members', severity: 'error', message: 'no member with a non-zero value' });
    return fail();
  }
  const n = BigInt(members.length);
  let total = 0n;
  let squares = 0n;
  for (const { v } of members) {
    total += v;
    squares += v * v;
  }
  const t2 = total * total;
  const warnings: Problem[] = [];
  for (const p of members)
    if (members.length > 2 && 2n * p.v === total)
      warnings.push({
        code: 'looks-like-group',
        severity: 'warning',
        message: `member ${p.key} equals the sum of all the others: a group row (World?) must not be passed`,
        value: p.key,
      });
  const sorted = [...members].sort((a, b) =>
    a.v > b.v ? -1 : a.v < b.v ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const top = sorted.slice(0, topK);
  const topSum = top.reduce((s, p) => s + p.v, 0n);
  const hhi = ratioText(10000n * squares, t2, 2);
  // (H − 1/N) / (1 − 1/N) = (N·Σv² − T²) / ((N − 1)·T²)
  const hhiNormalised = n === 1n ? '1.0000' : ratioText(n * squares - t2, (n - 1n) * t2, 4);
  const equivalentNumber = ratioText(t2, squares, 2);
  const topShare = ratioText(100n * topSum, total, 2);
  const scale = 10n ** BigInt(e);
  const totalText =
    e === 0
      ? total.toString()
      : `${total / scale}.${(total % scale).toString().padStart(e, '0')}`.replace(/\.?0+$/, '');
  return {
    ok: true,
    members: members.length,
    zero,
    total: totalText,
    hhi,
    hhiFraction: ratioText(squares, t2, 6),
    hhiNormalised,
    equivalentNumber,
    topK,
    top: top.map((p) => ({ key: p.key, value: p.value, sharePercent: ratioText(100n * p.v, total, 2) })),
    topShare,
    warnings,
    text:
      `HHI ${grouped(hhi)} across ${members.length} member${members.length === 1 ? '' : 's'} ` +
      `(equivalent to ${grouped(equivalentNumber)} equal members); ` +
      `the top ${Math.min(topK, members.length)} hold ${topShare} %`,
  };
}
