/**
 * Numbers of a brief: read from a query result's cell (exactly, as decimal text), written for a reader in
 * either language, and read again from a re-run query to check the text.
 */
import { formatMoney, formatPercent, formatPp, type Lang, monthLabel } from '../i18n/format.js';
import { decText, parseDec } from '../model/exact.js';
import type { Cell, QueryResult } from '../query/engine.js';
import type { CellRef, NumKind, NumRef } from './types.js';

/**
 * The row of a result whose columns equal `match`; undefined when none or several do.
 * @example findRow(result, { measure: 'exports', period: 'ytd:2025-06' })
 */
export function findRow(
  result: Pick<QueryResult, 'rows'>,
  match: Record<string, string>,
): Record<string, Cell> | undefined {
  const rows = result.rows.filter((r) => Object.entries(match).every(([k, v]) => String(r[k] ?? '') === v));
  return rows.length === 1 ? rows[0] : undefined;
}

/** The exact decimal text of a cell, or undefined when the row or the value is missing. */
export function cellText(
  result: Pick<QueryResult, 'rows'>,
  match: Record<string, string>,
  column: string,
): string | undefined {
  const row = findRow(result, match);
  const v = row?.[column];
  if (v === null || v === undefined || v === '') return undefined;
  return String(v);
}

/** `a − b` exactly. */
export function subtract(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  if (!x || !y) throw new Error(`not decimals: ${a}, ${b}`);
  const scale = Math.max(x.scale, y.scale);
  const units = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  return decText({ units, scale });
}

/** The sign of decimal text: -1, 0 or 1. */
export function signOf(text: string): -1 | 0 | 1 {
  const d = parseDec(text);
  if (!d || d.units === 0n) return 0;
  return d.units < 0n ? -1 : 1;
}

/** Decimal text without its sign. */
export function absText(text: string): string {
  return text.replace(/^[+-]/, '');
}

/** The value a {@link NumRef} stands for, from the cells it names (`read` gives a cell's text). */
export function numValue(
  ref: Pick<NumRef, 'cell' | 'minus' | 'abs' | 'extract'>,
  read: (c: CellRef) => string | undefined,
): string | undefined {
  let a = read(ref.cell);
  if (a !== undefined && ref.extract) a = new RegExp(ref.extract).exec(a)?.[1];
  if (a === undefined) return undefined;
  let v = a;
  if (ref.minus) {
    const b = read(ref.minus);
    if (b === undefined) return undefined;
    v = subtract(a, b);
  }
  return ref.abs ? absText(v) : v;
}

/** Options of {@link makeNum} besides the cells. */
export interface NumOptions {
  minus?: CellRef;
  extract?: string;
  abs?: boolean;
  currency?: string;
  signed?: boolean;
  digits?: number;
}

/**
 * A number read from answered queries; undefined when a cell it needs is empty.
 * @example makeNum('money', { source: 0, match: { measure: 'exports' }, column: 'value' }, read, { currency: 'CNY' })
 */
export function makeNum(
  kind: NumKind,
  cell: CellRef,
  read: (c: CellRef) => string | undefined,
  opts: NumOptions = {},
): NumRef | undefined {
  const value = numValue({ cell, ...opts }, read);
  if (value === undefined) return undefined;
  return { kind, value, cell, ...opts };
}

/**
 * A number written for a reader.
 * @example formatNum({ kind: 'pct', value: '7.18', … }, 'en') // '7.2%'
 */
export function formatNum(n: NumRef, lang: Lang): string {
  switch (n.kind) {
    case 'money':
      return formatMoney(n.value, n.currency ?? '', lang, n.digits !== undefined ? { digits: n.digits } : {});
    case 'pct':
      return formatPercent(pctToRatio(n.value), lang, { signed: n.signed ?? false, digits: n.digits ?? 1 });
    case 'pp': {
      const text = formatPp(n.value, lang, { digits: n.digits ?? 1 });
      // a sentence that says the direction in words wants the bare magnitude
      return n.abs || !n.signed ? text.replace(/^\+/, '') : text;
    }
    case 'month':
      return monthLabel(n.value, lang);
    case 'count':
      return n.value;
  }
}

/** Percent text to ratio text, exactly: '7.18' → '0.0718'. */
export function pctToRatio(pct: string): string {
  const d = parseDec(pct);
  if (!d) throw new Error(`not a percentage: ${pct}`);
  return decText({ units: d.units, scale: d.scale + 2 });
}

/** Fills a sentence's `{name}` placeholders with its numbers. */
export function fillText(template: string, nums: Record<string, NumRef>, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const n = nums[name];
    if (!n) throw new Error(`brief sentence names a number it does not have: ${whole}`);
    return formatNum(n, lang);
  });
}
