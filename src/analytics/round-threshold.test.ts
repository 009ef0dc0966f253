import { describe, expect, it } from 'vitest';
import { exceeds, roundThreshold } from './round-threshold.js';

describe('round thresholds scale with the figure', () => {
  it('takes the leading digit times its power of ten', () => {
    expect(roundThreshold('1076000000000')).toBe('1000000000000'); // US$1.076 trillion → US$1 trillion
    expect(roundThreshold('4212370850000')).toBe('4000000000000'); // CNY 4.21 trillion → 4 trillion
    expect(roundThreshold('13000388810000')).toBe('10000000000000'); // CNY 13.00 trillion → 10 trillion
    expect(roundThreshold('582760000000')).toBe('500000000000'); // US$582.8 billion → 500 billion
    expect(roundThreshold('99.5')).toBe('90');
  });
  it('has none for zero or a negative figure', () => {
    expect(roundThreshold('0')).toBeUndefined();
    expect(roundThreshold('-5000')).toBeUndefined();
  });
  it('compares strictly: equal is not above', () => {
    expect(exceeds('1000000000000', '1000000000000')).toBe(false);
    expect(exceeds('1000000000000.5', '1000000000000')).toBe(true);
    expect(exceeds('999999999999', '1000000000000')).toBe(false);
    expect(exceeds('3090853150000', '4000000000000')).toBe(false);
    expect(exceeds('-2000', '1000')).toBe(false);
  });
});
