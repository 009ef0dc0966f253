/**
 * The round number a figure has just passed, for milestone wording ("above US$1 trillion"): the figure's
 * leading digit times its power of ten, in the figure's own unit (1,076 billion → 1 trillion; 4.21 trillion →
 * 4 trillion; 13.00 trillion → 10 trillion; 582.8 billion → 500 billion). So the threshold scales with the figure
 * and is always a number a reader calls round in the display currency.
 */

/**
 * @param value a positive amount in base units, as decimal text (exact)
 * @returns the threshold as decimal text of base units, or undefined for a value that is not positive
 * @example roundThreshold('1076000000000') // '1000000000000'
 * @example roundThreshold('13000388810000') // '10000000000000'
 */
export function roundThreshold(value: string): string | undefined {
  const m = /^\+?0*(\d+)(?:\.\d*)?$/.exec(value.trim());
  if (!m || /^0*$/.test(m[1]!)) return undefined;
  const int = m[1]!;
  return int[0] + '0'.repeat(int.length - 1);
}

/** Is `a` (decimal text) strictly greater than the integer decimal text `t`? */
export function exceeds(a: string, t: string): boolean {
  const m = /^(-)?0*(\d*)(?:\.(\d*))?$/.exec(a.trim());
  if (!m) return false;
  if (m[1]) return false;
  const int = m[2] || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const tt = t.replace(/^0+/, '') || '0';
  if (int.length !== tt.length) return int.length > tt.length;
  if (int !== tt) return int > tt;
  return frac.length > 0;
}
