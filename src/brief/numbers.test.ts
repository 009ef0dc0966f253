import { describe, expect, it } from 'vitest';
import { fillText, formatNum, numValue, pctToRatio, subtract } from './numbers.js';
import type { CellRef, NumRef } from './types.js';

const ref = (column: string): CellRef => ({ source: 0, match: { partner: 'USA' }, column });

describe('brief numbers', () => {
  it('subtracts decimals exactly', () => {
    expect(subtract('16.75', '19.22')).toBe('-2.47');
    expect(subtract('0.1', '0.2')).toBe('-0.1');
    expect(pctToRatio('7.18')).toBe('0.0718');
    expect(pctToRatio('-0.102')).toBe('-0.00102');
  });

  it('reads a number from its cells: difference, magnitude, extracted from text', () => {
    const cells: Record<string, string> = {
      share_pct: '16.75',
      prev: '19.22',
      run: '4 increases in a row (since 2025-02)',
    };
    const read = (c: CellRef) => cells[c.column];
    expect(numValue({ cell: ref('share_pct'), minus: ref('prev'), abs: true }, read)).toBe('2.47');
    expect(numValue({ cell: ref('run'), extract: '^(\\d+) ' }, read)).toBe('4');
    expect(numValue({ cell: ref('missing') }, read)).toBeUndefined();
  });

  it('writes numbers for each language', () => {
    const money: NumRef = { kind: 'money', value: '13000388810000', currency: 'CNY', cell: ref('value') };
    const pct: NumRef = { kind: 'pct', value: '7.18', abs: true, cell: ref('yoy_pct') };
    const pp: NumRef = { kind: 'pp', value: '2.47', abs: true, cell: ref('share_pct') };
    expect(formatNum(money, 'en')).toBe('CNY 13.00 trillion');
    expect(formatNum(money, 'zh')).toBe('13.00万亿元');
    expect(formatNum(pct, 'en')).toBe('7.2%');
    expect(formatNum(pp, 'en')).toBe('2.5 percentage points');
    expect(formatNum(pp, 'zh')).toBe('2.5个百分点');
    expect(fillText('up {g} to {x}', { g: pct, x: money }, 'en')).toBe('up 7.2% to CNY 13.00 trillion');
    expect(() => fillText('{nope}', {}, 'en')).toThrow(/names a number it does not have: \{nope\}/);
  });
});
