import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  monthCount,
  monthId,
  monthsOf,
  type Period,
  periodLabel,
  shiftYears,
  tryParsePeriod,
} from './period.js';

const parse = (t: string): Period => {
  const p = tryParsePeriod(t);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

describe('period grammar', () => {
  it.each([
    ['2025', 'year', 202501, 202512],
    ['2025-06', 'month', 202506, 202506],
    ['2025-Q1', 'quarter', 202501, 202503],
    ['2025-q4', 'quarter', 202510, 202512],
    ['2025-H1', 'half', 202501, 202506],
    ['2025-H2', 'half', 202507, 202512],
    ['2025-01..2025-06', 'range', 202501, 202506],
    ['2024-11..2025-02', 'range', 202411, 202502],
    ['2017..2024', 'range', 201701, 202412],
    ['ytd:2025-06', 'ytd', 202501, 202506],
    ['r12:2025-06', 'rolling12', 202407, 202506],
    ['2025-01+02', 'janfeb', 202501, 202502],
  ])('%s is a %s from %i to %i', (text, kind, start, end) => {
    const p = parse(text);
    expect(p.kind).toBe(kind);
    expect(p.start).toBe(start);
    expect(p.end).toBe(end);
  });

  it.each(['2025-13', '2025-00', 'ytd:2025', '2025-06..2025-01', 'r12:', '25', '2025-Q5', 'last year', '2025-02+03'])(
    'rejects %s with a message',
    (text) => {
      const p = tryParsePeriod(text);
      expect(typeof p).toBe('string');
      expect(p).toMatch(/invalid period/);
    },
  );

  it('parses its own labels back to the same window', () => {
    const months = fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 }));
    fc.assert(
      fc.property(months, fc.integer({ min: 0, max: 40 }), ([y, m], len) => {
        const start = monthId(y, m);
        const end = addMonths(start, len);
        const mm = (x: number) => `${Math.floor(x / 100)}-${String(x % 100).padStart(2, '0')}`;
        const range = parse(`${mm(start)}..${mm(end)}`);
        expect(range.start).toBe(start);
        expect(range.end).toBe(end);
        expect(monthsOf(range)).toHaveLength(monthCount(start, end));
        const again = parse(range.label);
        expect([again.start, again.end]).toEqual([range.start, range.end]);
      }),
    );
  });

  it('shifts a window by a year keeping its kind', () => {
    expect(shiftYears(parse('ytd:2025-06'), -1).label).toBe('ytd:2024-06');
    expect(shiftYears(parse('2025-01+02'), -1).label).toBe('2024-01+02');
    expect(shiftYears(parse('r12:2025-06'), -1).label).toBe('r12:2024-06');
    expect(shiftYears(parse('2025-Q3'), -1).label).toBe('2024-Q3');
  });

  it('labels stored windows', () => {
    expect(periodLabel(202501, 202506, true)).toBe('ytd:2025-06');
    expect(periodLabel(202501, 202502, false)).toBe('2025-01+02');
    expect(periodLabel(202401, 202412, false)).toBe('2024');
    expect(periodLabel(202404, 202406, false)).toBe('2024-Q2');
    expect(periodLabel(202407, 202412, false)).toBe('2024-H2');
    expect(periodLabel(202406, 202406, false)).toBe('2024-06');
    expect(periodLabel(202311, 202402, false)).toBe('2023-11..2024-02');
  });
});
