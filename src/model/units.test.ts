import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoneyPhrase, parseMoneyUnit, scaleDecimalText, weightExponent } from './units.js';

describe('parseMoneyUnit', () => {
  it.each([
    ['万元', 'CNY', 4],
    ['亿元', 'CNY', 8],
    ['USD', 'USD', 0],
    ['thousand USD', 'USD', 3],
    ['USD thousand', 'USD', 3],
    ['JPY thousand', 'JPY', 3],
    ['million USD', 'USD', 6],
    ['CNY*1e4', 'CNY', 4],
    ['usd', 'USD', 0],
  ])('%s → %s × 10^%i', (text, currency, exponent) => {
    const u = parseMoneyUnit(text);
    expect(u.currency).toBe(currency);
    expect(u.exponent).toBe(exponent);
  });

  it('rejects what it does not know, saying what it accepts', () => {
    expect(() => parseMoneyUnit('lakh INR')).toThrow(/unknown money unit.*thousand USD/);
    expect(() => parseMoneyUnit('dollars')).toThrow(/unknown money unit/);
  });
});

describe('weightExponent', () => {
  it('tonnes are 10^3 kg', () => {
    expect(weightExponent('t')).toBe(3);
    expect(weightExponent('kg')).toBe(0);
    expect(() => weightExponent('lb')).toThrow(/unknown weight unit/);
  });
});

describe('scaleDecimalText', () => {
  it('scales exactly', () => {
    expect(scaleDecimalText('52.051', 3)).toBe('52051');
    expect(scaleDecimalText('2545453724', 4)).toBe('25454537240000');
    expect(scaleDecimalText('0.041', 3)).toBe('41');
    expect(scaleDecimalText('19032.1891178918', 6)).toBe('19032189117.8918');
  });

  it('agrees with BigInt arithmetic for integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), (n, e) => {
        expect(scaleDecimalText(n.toString(), e)).toBe((n * 10n ** BigInt(e)).toString());
      }),
    );
  });
});

describe('parseMoneyPhrase (units as release tables print them)', () => {
  it.each([
    ['CNY 100 Million', 'CNY', 8],
    ['USD1 Million', 'USD', 6],
    ['RMB 10,000', 'CNY', 4],
    ['100 million CNY', 'CNY', 8],
    ['USD thousand', 'USD', 3],
    ['亿元', 'CNY', 8],
  ])('%s → %s × 10^%i', (text, currency, exponent) => {
    expect(parseMoneyPhrase(text)).toMatchObject({ currency, exponent });
  });

  it('a multiplier that is not a power of ten, or a misspelt scale, is not a unit', () => {
    expect(parseMoneyPhrase('CNY 300 Million')).toBeUndefined();
    expect(parseMoneyPhrase('CNY 100 Milion')).toBeUndefined();
    expect(parseMoneyPhrase('Million')).toBeUndefined();
  });
});
