/**
 * Mirror comparison: what a reporter says it traded with a partner against what the partner says, exactly.
 *
 * The usual case (`flow: 'exports'`) sets the reporter's exports to P, valued FOB at the reporter's border,
 * against P's imports from the reporter, valued CIF at P's border. `flow: 'imports'` sets the reporter's
 * imports from P (CIF) against P's exports to the reporter (FOB). Either way:
 *
 * - gap = partner-reported − reporter-reported (exact decimal text);
 * - ratio = partner-reported ÷ reporter-reported, and the CIF ÷ FOB ratio whichever side is CIF;
 * - gap as % of the reporter-reported value;
 * - a reading of the CIF/FOB ratio against the freight-and-insurance margin, and the caveats as structured
 *   text (valuation, timing, re-exports through hubs, partner attribution, confidentiality, trade systems,
 *   currency conversion), none of which the numbers alone can settle.
 *
 * Mirror gaps are not errors of either side: both can be right under their own rules (UN IMTS 2010).
 */

import { type Fixed, fixedText, mulDivRound, toFixed } from '../model/decimal.js';
import { unitsText } from '../model/exact.js';

/** Which flow of the reporter is compared: its exports (the partner's imports) or its imports. */
export type MirrorFlow = 'exports' | 'imports';

export interface MirrorInput {
  /** Reporter and partner as the caller names them (codes or names): used in the caveat texts. */
  reporter: string;
  partner: string;
  /** Default `'exports'`. */
  flow?: MirrorFlow;
  /** The reporter's own figure: exports to the partner (FOB) or imports from it (CIF). Decimal text. */
  reporterValue: string;
  /** The partner's figure for the same trade: imports from the reporter (CIF) or exports to it (FOB). */
  partnerValue: string;
  /** Currency of both values (default `'USD'`). */
  currency?: string;
  /** The period both cover, for the texts (e.g. `'2022'`). */
  period?: string;
}

export interface MirrorOptions {
  /** Decimals of the percentage (default 2). */
  digits?: number;
  /** Decimals of the ratios (default 4). */
  ratioDigits?: number;
}

/**
 * The CIF/FOB ratio read against freight and insurance:
 * - `cif-below-fob`: the CIF side is lower, which valuation cannot explain;
 * - `within-cif-fob-margin`: 1 ≤ CIF/FOB ≤ 1.10, which freight and insurance alone could explain;
 * - `beyond-cif-fob-margin`: CIF/FOB > 1.10, more than freight and insurance usually add;
 * - `undefined`: the FOB side is zero or either side is negative.
 */
export type MirrorReading = 'cif-below-fob' | 'within-cif-fob-margin' | 'beyond-cif-fob-margin' | 'undefined';

export type MirrorCaveatCode =
  | 'cif-fob-valuation'
  | 'timing'
  | 're-exports'
  | 'partner-attribution'
  | 'confidentiality'
  | 'trade-system'
  | 'currency-conversion';

/** One reason the two figures can differ. `relevance` says whether this gap points at it. */
export interface MirrorCaveat {
  code: MirrorCaveatCode;
  title: string;
  message: string;
  /** `likely`: the size or sign of this gap points at it; `possible`: a standing reason. */
  relevance: 'likely' | 'possible';
}

export interface MirrorComparison {
  reporter: string;
  partner: string;
  flow: MirrorFlow;
  currency: string;
  period: string | null;
  reporterReported: string;
  partnerReported: string;
  /** Valuation of each side: FOB for exports, CIF for imports. */
  reporterBasis: 'FOB' | 'CIF';
  partnerBasis: 'FOB' | 'CIF';
  /** partner-reported − reporter-reported. */
  gap: string;
  /** partner-reported ÷ reporter-reported (null when the reporter-reported value is 0). */
  ratio: string | null;
  /** CIF side ÷ FOB side (null when the FOB side is 0). */
  cifFobRatio: string | null;
  /** gap ÷ |reporter-reported| × 100 (null when the reporter-reported value is 0). */
  gapPercent: string | null;
  reading: MirrorReading;
  caveats: MirrorCaveat[];
}

/**
 * The approximate rule of thumb for CIF/FOB: imports valued CIF usually exceed the same goods valued FOB by
 * about 5–10 % (freight and insurance). It is a rule of thumb, not a standard: the margin depends on distance,
 * mode of transport and the value density of the goods, and has fallen over time for many routes.
 */
export const CIF_FOB_RULE_OF_THUMB = { low: '1.05', high: '1.10' } as const;

/**
 * Compares the reporter's figure with its mirror, the partner's figure, exactly.
 *
 * @example
 * const m = mirror({ reporter: 'China', partner: 'Germany', reporterValue: '116226631561', partnerValue: '206642208248.492' });
 * m.gap; // '90415576687.492'
 * m.ratio; // '1.7779'
 * m.gapPercent; // '77.79'
 * m.reading; // 'beyond-cif-fob-margin'
 */
export function mirror(input: MirrorInput, options: MirrorOptions = {}): MirrorComparison {
  const digits = options.digits ?? 2;
  const ratioDigits = options.ratioDigits ?? 4;
  for (const d of [digits, ratioDigits]) if (!Number.isInteger(d) || d < 0) throw new Error(`invalid digits: ${d}`);
  const flow = input.flow ?? 'exports';
  const currency = input.currency ?? 'USD';
  const own = toFixed(input.reporterValue);
  const theirs = toFixed(input.partnerValue);
  const [cif, fob] = flow === 'exports' ? [theirs, own] : [own, theirs];
  const gap = theirs - own;

  const ratioOf = (a: Fixed, b: Fixed) =>
    b === 0n ? null : unitsText(mulDivRound(a, 10n ** BigInt(ratioDigits), b), ratioDigits);
  const reading = readingOf(cif, fob);
  const ratio = ratioOf(theirs, own);
  const cifFobRatio = ratioOf(cif, fob);

  const comparison: Omit<MirrorComparison, 'caveats'> = {
    reporter: input.reporter,
    partner: input.partner,
    flow,
    currency,
    period: input.period ?? null,
    reporterReported: fixedText(own),
    partnerReported: fixedText(theirs),
    reporterBasis: flow === 'exports' ? 'FOB' : 'CIF',
    partnerBasis: flow === 'exports' ? 'CIF' : 'FOB',
    gap: fixedText(gap),
    ratio,
    cifFobRatio,
    gapPercent: own === 0n ? null : unitsText(mulDivRound(gap, 100n * 10n ** BigInt(digits), abs(own)), digits),
    reading,
  };
  return { ...comparison, caveats: caveatsFor(comparison) };
}

function readingOf(cif: Fixed, fob: Fixed): MirrorReading {
  if (fob <= 0n || cif < 0n) return 'undefined';
  if (cif < fob) return 'cif-below-fob';
  // cif / fob ≤ 1.10 ⇔ 100·cif ≤ 110·fob, exactly
  return cif * 100n <= fob * 110n ? 'within-cif-fob-margin' : 'beyond-cif-fob-margin';
}

/** The caveats, worded for this pair and flow, with the ones this gap points at marked `likely`. */
function caveatsFor(m: Omit<MirrorComparison, 'caveats'>): MirrorCaveat[] {
  const [exporter, importer] = m.flow === 'exports' ? [m.reporter, m.partner] : [m.partner, m.reporter];
  const within = m.reading === 'within-cif-fob-margin';
  const outside = m.reading === 'cif-below-fob' || m.reading === 'beyond-cif-fob-margin';
  const { low, high } = CIF_FOB_RULE_OF_THUMB;
  const ratioNote =
    m.cifFobRatio === null
      ? 'The CIF/FOB ratio is undefined here.'
      : m.reading === 'cif-below-fob'
        ? `Here CIF/FOB is ${m.cifFobRatio}: the CIF side is lower, which valuation cannot explain.`
        : m.reading === 'beyond-cif-fob-margin'
          ? `Here CIF/FOB is ${m.cifFobRatio}: more than freight and insurance usually add.`
          : `Here CIF/FOB is ${m.cifFobRatio}: within what freight and insurance alone could explain.`;
  return [
    {
      code: 'cif-fob-valuation',
      title: 'CIF/FOB valuation',
      message:
        `${importer} values its imports CIF (cost, insurance and freight to its border); ${exporter} values its ` +
        `exports FOB (free on board at its own border), so the import side is expected to be higher for the same ` +
        `goods. As an approximate rule of thumb, CIF/FOB ratios of about ${low}–${high} are typical; the margin ` +
        `varies with distance, mode of transport and the goods. ${ratioNote}`,
      relevance: within ? 'likely' : 'possible',
    },
    {
      code: 'timing',
      title: 'Timing',
      message:
        `Goods exported by ${exporter} near the end of a period arrive and are recorded by ${importer} in the next ` +
        '(sea freight takes weeks); monthly figures are more affected than annual ones.',
      relevance: 'possible',
    },
    {
      code: 're-exports',
      title: 'Re-exports through hubs',
      message:
        `Goods reaching ${importer} through Hong Kong, Singapore, the Netherlands (Rotterdam), Belgium (Antwerp), ` +
        `the United Arab Emirates or another hub can be recorded by ${exporter} as exports to the hub, while ` +
        `${importer} records them as imports from ${exporter}, their origin; the hub's re-export margin adds value. ` +
        "Hong Kong's re-exports of mainland Chinese goods are the best-known case.",
      relevance: outside ? 'likely' : 'possible',
    },
    {
      code: 'partner-attribution',
      title: 'Partner attribution',
      message:
        `Imports are usually attributed to the country of origin and exports to the country of last known ` +
        `destination, so ${importer}'s imports from ${exporter} and ${exporter}'s exports to ${importer} need not ` +
        'cover the same shipments; goods whose destination is unknown at export count for the first known country.',
      relevance: outside ? 'likely' : 'possible',
    },
    {
      code: 'confidentiality',
      title: 'Confidential trade',
      message:
        'Either side may withhold detail to protect confidential trade, recording it under unspecified areas or ' +
        'special codes, so a bilateral figure can miss it on one side only.',
      relevance: 'possible',
    },
    {
      code: 'trade-system',
      title: 'Trade systems and coverage',
      message:
        'General trade (counting goods into customs warehouses and free zones) and special trade (only goods ' +
        'cleared for home use) differ, and so do the treatment of low-value shipments, goods for processing, ' +
        'ships, aircraft and military goods.',
      relevance: 'possible',
    },
    {
      code: 'currency-conversion',
      title: 'Currency conversion',
      message:
        `Each side converts its own currency to ${m.currency} at its own rates (per transaction, monthly or annual ` +
        'averages), which adds a difference of its own.',
      relevance: 'possible',
    },
  ];
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
