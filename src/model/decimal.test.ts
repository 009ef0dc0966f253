import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedText, groupThousands, growthPercent, humanAmount, ratioToPercent, toFixed } from './decimal.js';

describe('fixed decimals', () => {
  it('round-trips decimal text', () => {
    expect(fixedText(toFixed('25454537240000'))).toBe('25454537240000');
    expect(fixedText(toFixed('-12.5000'))).toBe('-12.5');
    expect(fixedText(toFixed('0.0001'))).toBe('0.0001');
    expect(() => toFixed('1.00001')).toThrow(/more than 4 decimals/);
  });

  it('round-trips any value with up to 4 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (units) => {
        expect(toFixed(fixedText(units))).toBe(units);
      }),
    );
  });

  it('groups thousands', () => {
    expect(groupThousands('25454537240000')).toBe('25,454,537,240,000');
    expect(groupThousands('-1234.5')).toBe('-1,234.5');
    expect(groupThousands('999')).toBe('999');
  });
});

describe('growth', () => {
  it('computes H1 2025 exports YoY from GAC cumulative figures (万元): +7.18 %', () => {
    // published YTD 2025-06 and 2024-06 national exports in the bundled GAC file (万元)
    expect(growthPercent(toFixed('1300038881'), toFixed('1212983528'), 2)).toBe('7.18');
  });

  it('rounds half away from zero', () => {
    expect(growthPercent(toFixed('1.005'), toFixed('1'), 1)).toBe('0.5');
    expect(growthPercent(toFixed('1.0005'), toFixed('1'), 2)).toBe('0.05');
    expect(growthPercent(toFixed('0.9995'), toFixed('1'), 2)).toBe('-0.05');
    expect(growthPercent(toFixed('5'), toFixed('0'), 2)).toBeNull();
  });

  it('turns published ratios into percent exactly', () => {
    expect(ratioToPercent('0.07176960856470926')).toBe('7.18');
    expect(ratioToPercent('-0.0278')).toBe('-2.78');
  });

  it('writes amounts for people', () => {
    expect(humanAmount(toFixed('25454537240000'))).toBe('25.45 trillion');
    expect(humanAmount(toFixed('877603918341'))).toBe('877.60 billion');
  });
});
