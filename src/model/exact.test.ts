import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decText, divHalfEven, parseDec, ratioText, roundHalfAway, unitsText } from './exact.js';

describe('exact decimals', () => {
  it('parses and prints decimal text', () => {
    expect(parseDec('-12.50')).toEqual({ units: -1250n, scale: 2 });
    expect(parseDec('1e5')).toBeUndefined();
    expect(decText({ units: -1250n, scale: 2 })).toBe('-12.5');
    expect(unitsText(-1234n, 2)).toBe('-12.34');
    expect(unitsText(5n, 3)).toBe('0.005');
  });

  it('rounds half away from zero and half to even', () => {
    expect(roundHalfAway(5n, 2n)).toBe(3n);
    expect(roundHalfAway(-5n, 2n)).toBe(-3n);
    expect(divHalfEven(5n, 2n)).toBe(2n);
    expect(divHalfEven(7n, 2n)).toBe(4n);
    expect(ratioText(1n, 3n, 4)).toBe('0.3333');
    expect(ratioText(-1n, 8n, 2)).toBe('-0.13');
  });

  it('parse and print round-trip', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 12 }), (u, s) => {
        const back = parseDec(unitsText(u, s))!;
        expect(back).toEqual({ units: u, scale: s });
      }),
    );
  });
});
