import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Binder, checkDate, identifier, integerLiteral, quoteString, supportsServerParameters } from './binder.js';
import { unescapeTsv } from './tsv.js';

/** Reads a ClickHouse string literal back the way the server's lexer does (quotes and backslash escapes). */
function readLiteral(sql: string): { value: string; rest: string } {
  expect(sql[0]).toBe("'");
  let out = '';
  let i = 1;
  const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', "'": "'" };
  for (; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === '\\') {
      const next = sql[++i]!;
      if (next === 'x') {
        out += String.fromCharCode(Number.parseInt(sql.slice(i + 1, i + 3), 16));
        i += 2;
      } else out += esc[next] ?? next;
    } else if (ch === "'") break;
    else out += ch;
  }
  return { value: out, rest: sql.slice(i + 1) };
}

describe('ClickHouse literal binder', () => {
  const injections = [
    "'; DROP TABLE facts; --",
    "\\'; DROP TABLE facts; --",
    "CHN' OR 1=1 --",
    "\\\\' OR '1'='1",
    "x'||(SELECT version())||'",
    "\n') UNION ALL SELECT * FROM system.users --",
    '\0\u0001\u007f',
  ];

  it('quotes every string so that it reads back exactly and nothing follows the literal', () => {
    for (const s of injections) {
      const lit = quoteString(s);
      const { value, rest } = readLiteral(lit);
      expect(value).toBe(s);
      expect(rest).toBe('');
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const { value, rest } = readLiteral(quoteString(s));
        return value === s && rest === '';
      }),
      { numRuns: 2000 },
    );
  });

  it('a bound value never changes the shape of the query', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom(...injections)), { minLength: 1, maxLength: 5 }),
        (list) => {
          const b = new Binder('literal');
          const sql = `SELECT 1 WHERE reporter IN (${b.strs(list)})`;
          // walk the literals: after each one only ", " or ")" may follow
          let rest = sql.slice(sql.indexOf('(') + 1);
          for (let i = 0; i < list.length; i++) {
            const r = readLiteral(rest);
            expect(r.value).toBe(list[i]);
            rest = r.rest.startsWith(', ') ? r.rest.slice(2) : r.rest;
          }
          return rest === ')';
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('numbers must be safe integers, dates real calendar dates, identifiers plain names', () => {
    expect(integerLiteral(202406)).toBe('202406');
    expect(integerLiteral(-3n)).toBe('-3');
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '1; DROP' as unknown as number]) {
      expect(() => integerLiteral(bad)).toThrow(/not an integer/);
    }
    fc.assert(
      fc.property(
        fc.double(),
        (x) =>
          Number.isSafeInteger(x) ||
          (() => {
            try {
              integerLiteral(x);
              return false;
            } catch {
              return true;
            }
          })(),
      ),
    );
    expect(checkDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', "2024-01-01') OR 1=1 --", '2024-1-1', '']) expect(() => checkDate(bad)).toThrow();
    expect(new Binder('literal').date('2024-01-15')).toBe("toDate('2024-01-15')");
    expect(identifier('tradescope_1')).toBe('tradescope_1');
    for (const bad of ['a-b', 'a; DROP', '1abc', 'x`y', '', 'a'.repeat(64)]) expect(() => identifier(bad)).toThrow();
  });

  it('server-side parameters on 20.1 and later: placeholders in the SQL, values beside it', () => {
    const b = new Binder('server');
    expect(`${b.str("O'Neil")} ${b.int(2024)} ${b.date('2024-01-31')}`).toBe('{p1:String} {p2:Int64} {p3:Date}');
    expect(b.params).toEqual({ p1: "O'Neil", p2: '2024', p3: '2024-01-31' });
    expect(supportsServerParameters('18.16.1')).toBe(false);
    expect(supportsServerParameters('19.17.4.11')).toBe(false);
    expect(supportsServerParameters('20.3.5.21')).toBe(true);
    expect(supportsServerParameters('24.8.1.2684')).toBe(true);
    expect(supportsServerParameters('garbage')).toBe(false);
  });

  it('TabSeparated fields are read back exactly', () => {
    expect(unescapeTsv('\\N')).toBe(null);
    expect(unescapeTsv("a\\tb\\nc\\\\d\\'e")).toBe("a\tb\nc\\d'e");
    expect(unescapeTsv('99999999999999999999999999.1234')).toBe('99999999999999999999999999.1234');
  });
});
