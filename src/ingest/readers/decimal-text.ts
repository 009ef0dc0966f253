/**
 * Numbers as source files print them, to plain decimal text, exactly: thousands separators and decimal commas
 * undone, exponents shifted, and (when a mapping asks) a double's 17-digit print restored to the decimal it stands
 * for. Shared by every reader.
 */
import { scaleDecimalText } from '../../model/units.js';

export interface NumberFormat {
  /** Decimal separator (default `.`). */
  decimal?: string;
  /** Thousands separator removed before parsing ('' or absent: none allowed). */
  thousands?: string;
  /** Texts meaning "no value" (default: empty). Compared after trimming. */
  missing?: readonly string[];
  /**
   * Rewrites a number printed with 17 significant digits from a binary double (418584.24965999997) as the
   * shortest decimal that reads back as the same double (418584.24966), i.e. as the spreadsheet showed it.
   */
  shortestRoundTrip?: boolean;
  /** Told of each rewrite {@link NumberFormat.shortestRoundTrip} makes, so it can be listed. */
  onRewrite?: (from: string, to: string) => void;
}

/**
 * The shortest decimal of a double when `s` is exactly that double's 17-significant-digit print
 * (`418584.24965999997` → `418584.24966`); undefined for any other text, which is kept as written.
 */
function shortestOfDoublePrint(s: string): string | undefined {
  if (s.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length !== 17) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return undefined;
  const print = n.toPrecision(17);
  const trim = (x: string) => (x.includes('.') ? x.replace(/0+$/, '').replace(/\.$/, '') : x);
  if (print.includes('e') || trim(print) !== trim(s)) return undefined;
  const short = String(n);
  return short.includes('e') || short === trim(s) ? undefined : short;
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const EXPO = /^([+-]?(?:\d+\.?\d*|\.\d+))[eE]([+-]?\d{1,3})$/;

/**
 * Normalises a number's text to plain decimal text (`1,187.5` → `1187.5`, `3.5E3` → `3500`), exactly.
 * Returns '' for a missing value and `undefined` when the text is not a number.
 */
export function normaliseDecimal(input: string, fmt: NumberFormat = {}): string | undefined {
  const t = input.trim();
  if (t === '' || fmt.missing?.includes(t)) return '';
  let s = t;
  if (fmt.thousands) s = s.split(fmt.thousands).join('');
  if (fmt.decimal && fmt.decimal !== '.') {
    if (s.includes('.')) return undefined;
    s = s.split(fmt.decimal).join('.');
  }
  if (s.startsWith('+')) s = s.slice(1);
  if (PLAIN.test(s)) {
    if (fmt.shortestRoundTrip && s.includes('.')) {
      const short = shortestOfDoublePrint(s);
      if (short !== undefined) {
        fmt.onRewrite?.(s, short);
        s = short;
      }
    }
    if (s.endsWith('.')) s = s.slice(0, -1);
    if (s.startsWith('.')) s = `0${s}`;
    if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
    return s;
  }
  const m = EXPO.exec(s);
  if (m) return scaleDecimalText(m[1]!, Number(m[2]));
  return undefined;
}
