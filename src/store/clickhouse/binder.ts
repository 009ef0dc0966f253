/**
 * Values into ClickHouse SQL, safely, on servers with and without server-side query parameters.
 *
 * ClickHouse 18.16 (Debian's package) has no `{name:Type}` parameters: values must be written into the SQL
 * text as literals. The binder does that for four types only, each validated before it is written:
 *
 * - `String`: any JS string, quoted with `'` and every backslash, quote and control character escaped;
 * - `Int`: a safe JS integer (or a bigint), written in decimal digits;
 * - `Date`: `YYYY-MM-DD` that is a real calendar date, written as `toDate('…')`;
 * - `Bool`: `true`/`false`, written as `1`/`0`.
 *
 * Anything else throws before a query is sent. Identifiers (tables, columns) are never bound: they come from
 * the store's own whitelist ({@link identifier}). On a server that has query parameters (20.1 and later; see
 * {@link supportsServerParameters}) the same calls emit `{p1:String}` placeholders and the values travel
 * beside the query instead of inside it.
 *
 * @example
 *   const b = new Binder('literal');
 *   `SELECT * FROM facts WHERE reporter = ${b.str("O'Neil")}` // … reporter = 'O\'Neil'
 *   const p = new Binder('server');
 *   `… reporter = ${p.str('CHN')}`                          // … reporter = {p1:String}; p.params = { p1: 'CHN' }
 */

export type BindMode = 'literal' | 'server';

/** Quotes a string as a ClickHouse string literal. */
export function quoteString(s: string): string {
  if (typeof s !== 'string') throw new TypeError(`expected a string to bind, got ${typeof s}`);
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\0';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** An integer as SQL text: a safe JS integer or a bigint, nothing else. */
export function integerLiteral(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`not an integer to bind: ${String(v)}`);
  return String(v);
}

/** A calendar date `YYYY-MM-DD` (checked to exist). */
export function checkDate(v: string): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new TypeError(`not a date (YYYY-MM-DD) to bind: ${String(v)}`);
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new TypeError(`not a calendar date: ${v}`);
  return v;
}

/** Collects the values of one query, as literals or as server-side parameters. */
export class Binder {
  readonly params: Record<string, string | number> = {};
  private n = 0;
  constructor(readonly mode: BindMode) {}

  private param(type: string, value: string | number): string {
    this.n++;
    const name = `p${this.n}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  str(v: string): string {
    if (typeof v !== 'string') throw new TypeError(`expected a string to bind, got ${typeof v}`);
    return this.mode === 'server' ? this.param('String', v) : quoteString(v);
  }

  int(v: number | bigint): string {
    const text = integerLiteral(v);
    return this.mode === 'server' ? this.param('Int64', text) : text;
  }

  date(v: string): string {
    const d = checkDate(v);
    return this.mode === 'server' ? this.param('Date', d) : `toDate(${quoteString(d)})`;
  }

  bool(v: boolean): string {
    if (typeof v !== 'boolean') throw new TypeError(`expected a boolean to bind, got ${typeof v}`);
    return v ? '1' : '0';
  }

  /** A list of strings for `IN (…)`; an empty list is `NULL` (matches nothing), callers handle it first. */
  strs(list: readonly string[]): string {
    return list.map((s) => this.str(s)).join(', ');
  }

  ints(list: readonly number[]): string {
    return list.map((v) => this.int(v)).join(', ');
  }
}

/** The only names the store writes into SQL unquoted: its tables, and the database name checked on open. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Checks a name against the whitelist pattern (database names from the URL, cluster names, tables). */
export function identifier(name: string, what = 'identifier'): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new TypeError(`invalid ${what}: ${JSON.stringify(name)} (letters, digits and '_', starting with a letter)`);
  }
  return name;
}

/**
 * Whether a server version (`SELECT version()`) understands `{name:Type}` parameters in HTTP queries.
 * They appeared during 19.x; tradescope uses them from 20.1 on, and literals before.
 */
export function supportsServerParameters(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return false;
  return Number(m[1]) >= 20;
}
