/**
 * Balassa's revealed comparative advantage of a reporter in a product:
 *
 *     RCA = (X_ij / X_i) / (X_wj / X_w) = (X_ij · X_w) / (X_i · X_wj)
 *
 * the product's share in the reporter's exports over its share in world exports. Above 1 the reporter
 * exports relatively more of the product than the world does ("revealed comparative advantage"), below 1
 * relatively less. The four values are exact decimal text in one currency and one period; the ratio is exact
 * and only rounded, half away from zero, when written. "World" is every exporter, the reporter included, as
 * in Balassa (1965); products and totals must be in the same classification and coverage.
 *
 * A missing or zero denominator is not an error of the program but a hole in the data: the result is then a
 * list of problems (`ok: false`), never a made-up number.
 */
import { type Dec, parseDec, ratioText } from '../model/exact.js';
import type { Problem, ProblemCode } from '../util/errors.js';

/** The four flows of the index, exact decimal text; null when the data has no value. */
export interface RcaInput {
  /** X_ij: the reporter's exports of the product. */
  readonly reporterProduct: string | null;
  /** X_i: the reporter's total exports. */
  readonly reporterTotal: string | null;
  /** X_wj: world exports of the product. */
  readonly worldProduct: string | null;
  /** X_w: world total exports. */
  readonly worldTotal: string | null;
}

export interface RcaOptions {
  /** Decimals of the index; default 4. */
  readonly digits?: number;
}

/** A computed index: see {@link rca}. */
export interface Rca {
  readonly ok: true;
  /** The index, `digits` decimals (default 4). */
  readonly rca: string;
  /** Laursen's symmetric index (RCA − 1) / (RCA + 1), on −1…1, same decimals. */
  readonly symmetric: string;
  /** From the exact ratio, not the rounded text: `advantage` above 1, `disadvantage` below, `neutral` at 1. */
  readonly reading: 'advantage' | 'disadvantage' | 'neutral';
  /** The product's share of the reporter's exports and of world exports, in percent, `digits` decimals. */
  readonly reporterSharePercent: string;
  readonly worldSharePercent: string;
  /** Inconsistent inputs that still give a number (a part larger than its total). */
  readonly warnings: readonly Problem[];
  /** `RCA 2.5000: revealed comparative advantage (50.0000 % of the reporter's exports, 20.0000 % of the world's)` */
  readonly text: string;
}

/** Why no index could be computed. */
export interface RcaFailure {
  readonly ok: false;
  readonly problems: readonly Problem[];
  /** `cannot compute RCA: world total exports missing` */
  readonly text: string;
}

const NAMES: Record<keyof RcaInput, string> = {
  reporterProduct: "reporter's product exports",
  reporterTotal: "reporter's total exports",
  worldProduct: 'world product exports',
  worldTotal: 'world total exports',
};

const CODES: Record<keyof RcaInput, ProblemCode> = {
  reporterProduct: 'rca-missing-reporter-product',
  reporterTotal: 'rca-missing-reporter-total',
  worldProduct: 'rca-missing-world-product',
  worldTotal: 'rca-missing-world-total',
};

/**
 * Balassa's RCA of a reporter in a product from its exports of the product, its total exports, world
 * exports of the product and world total exports. Returns problems instead of a number when a value is
 * missing, not a decimal or negative, or a denominator (reporter total, world product, world total) is zero.
 * @example
 * rca({ reporterProduct: '50', reporterTotal: '100', worldProduct: '200', worldTotal: '1000' })
 * // { ok: true, rca: '2.5000', symmetric: '0.4286', reading: 'advantage', … }
 * rca({ reporterProduct: '50', reporterTotal: '100', worldProduct: '200', worldTotal: null })
 * // { ok: false, problems: [{ code: 'rca-missing-world-total', … }],
 * //   text: 'cannot compute RCA: world total exports missing' }
 */
export function rca(input: RcaInput, options: RcaOptions = {}): Rca | RcaFailure {
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 0) throw new Error(`invalid digits: ${digits}`);
  const problems: Problem[] = [];
  const parsed: Partial<Record<keyof RcaInput, Dec>> = {};
  for (const field of Object.keys(NAMES) as (keyof RcaInput)[]) {
    const raw = input[field];
    if (raw === null || raw.trim() === '') {
      problems.push({ code: CODES[field], severity: 'error', message: `${NAMES[field]} missing`, at: { field } });
      continue;
    }
    const d = parseDec(raw);
    if (!d) {
      problems.push({
        code: 'rca-bad-value',
        severity: 'error',
        message: `not a decimal: ${raw}`,
        at: { field },
        value: raw,
      });
      continue;
    }
    if (d.units < 0n) {
      problems.push({
        code: 'rca-negative-value',
        severity: 'error',
        message: `${NAMES[field]} negative: ${raw}`,
        at: { field },
        value: raw,
      });
      continue;
    }
    if (d.units === 0n && field !== 'reporterProduct')
      problems.push({
        code: 'rca-zero-denominator',
        severity: 'error',
        message: `${NAMES[field]} zero`,
        at: { field },
        value: raw,
      });
    parsed[field] = d;
  }
  if (problems.length > 0)
    return { ok: false, problems, text: `cannot compute RCA: ${problems.map((p) => p.message).join('; ')}` };
  // every value on one integer scale; the scale cancels in each ratio
  const e = Math.max(...Object.values(parsed).map((d) => d.scale));
  const v = (field: keyof RcaInput): bigint => parsed[field]!.units * 10n ** BigInt(e - parsed[field]!.scale);
  const xij = v('reporterProduct');
  const xi = v('reporterTotal');
  const xwj = v('worldProduct');
  const xw = v('worldTotal');
  const warnings: Problem[] = [];
  const partOf = (part: bigint, whole: bigint, what: string, field: keyof RcaInput): void => {
    if (part > whole)
      warnings.push({ code: 'rca-part-exceeds-total', severity: 'warning', message: what, at: { field } });
  };
  partOf(xij, xi, "the reporter's product exports exceed its total exports", 'reporterProduct');
  partOf(xwj, xw, 'world product exports exceed world total exports', 'worldProduct');
  partOf(
    xij,
    xwj,
    "the reporter's product exports exceed the world's (does the world total leave the reporter out?)",
    'reporterProduct',
  );
  partOf(xi, xw, "the reporter's total exports exceed the world's", 'reporterTotal');
  const num = xij * xw;
  const den = xi * xwj;
  const index = ratioText(num, den, digits);
  const reading = num > den ? 'advantage' : num < den ? 'disadvantage' : 'neutral';
  const reporterSharePercent = ratioText(100n * xij, xi, digits);
  const worldSharePercent = ratioText(100n * xwj, xw, digits);
  const words = {
    advantage: 'revealed comparative advantage',
    disadvantage: 'no revealed comparative advantage',
    neutral: 'neutral (exactly the world share)',
  }[reading];
  return {
    ok: true,
    rca: index,
    symmetric: ratioText(num - den, num + den, digits),
    reading,
    reporterSharePercent,
    worldSharePercent,
    warnings,
    text: `RCA ${index}: ${words} (${reporterSharePercent} % of the reporter's exports, ${worldSharePercent} % of the world's)`,
  };
}
