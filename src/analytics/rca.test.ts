import { describe, expect, it } from 'vitest';
import { type Rca, rca } from './rca.js';

const ok = (r: ReturnType<typeof rca>): Rca => {
  if (!r.ok) throw new Error(r.text);
  return r;
};

describe('rca (hand-worked)', () => {
  it('half of the reporter exports, a fifth of the world: RCA 2.5', () => {
    // (50 / 100) / (200 / 1000) = 0.5 / 0.2 = 2.5; symmetric (2.5 − 1) / (2.5 + 1) = 3/7 = 0.428571…
    const r = ok(rca({ reporterProduct: '50', reporterTotal: '100', worldProduct: '200', worldTotal: '1000' }));
    expect(r).toEqual({
      ok: true,
      rca: '2.5000',
      symmetric: '0.4286',
      reading: 'advantage',
      reporterSharePercent: '50.0000',
      worldSharePercent: '20.0000',
      warnings: [],
      text: "RCA 2.5000: revealed comparative advantage (50.0000 % of the reporter's exports, 20.0000 % of the world's)",
    });
  });

  it('below 1, values with different decimals', () => {
    // (0.5 / 10) / (2.25 / 10) = 0.05 / 0.225 = 0.2222…; symmetric (2/9 − 1) / (2/9 + 1) = −7/11 = −0.636363…
    const r = ok(rca({ reporterProduct: '0.5', reporterTotal: '10', worldProduct: '2.25', worldTotal: '10.0000' }));
    expect(r).toMatchObject({ rca: '0.2222', symmetric: '-0.6364', reading: 'disadvantage' });
    expect(r.text).toBe(
      "RCA 0.2222: no revealed comparative advantage (5.0000 % of the reporter's exports, 22.5000 % of the world's)",
    );
  });

  it('rounds half away from zero, both signs', () => {
    // (1 / 16) / (1 / 2) = 0.125 → 0.13
    expect(
      ok(rca({ reporterProduct: '1', reporterTotal: '16', worldProduct: '1', worldTotal: '2' }, { digits: 2 })).rca,
    ).toBe('0.13');
    // RCA 7/9: symmetric (7/9 − 1) / (7/9 + 1) = −2/16 = −0.125 → −0.13
    const r = ok(
      rca({ reporterProduct: '7', reporterTotal: '9', worldProduct: '100', worldTotal: '100' }, { digits: 2 }),
    );
    expect(r).toMatchObject({ rca: '0.78', symmetric: '-0.13', warnings: [] });
  });

  it('the reading comes from the exact ratio, not from the rounded text', () => {
    const above = ok(
      rca({ reporterProduct: '100001', reporterTotal: '1000000', worldProduct: '100000', worldTotal: '1000000' }),
    );
    expect(above).toMatchObject({ rca: '1.0000', reading: 'advantage', symmetric: '0.0000' });
    const exact = ok(rca({ reporterProduct: '25', reporterTotal: '100', worldProduct: '250', worldTotal: '1000' }));
    expect(exact).toMatchObject({ rca: '1.0000', reading: 'neutral', symmetric: '0.0000' });
  });

  it('no exports of the product: RCA 0', () => {
    expect(ok(rca({ reporterProduct: '0', reporterTotal: '5', worldProduct: '3', worldTotal: '9' }))).toMatchObject({
      rca: '0.0000',
      symmetric: '-1.0000',
      reading: 'disadvantage',
    });
  });

  it('inconsistent inputs still give the number, with warnings', () => {
    // the reporter exports more of the product than "the world" does: a world total without the reporter?
    const r = ok(rca({ reporterProduct: '30', reporterTotal: '100', worldProduct: '20', worldTotal: '1000' }));
    expect(r.rca).toBe('15.0000');
    expect(r.warnings).toEqual([
      {
        code: 'rca-part-exceeds-total',
        severity: 'warning',
        message: "the reporter's product exports exceed the world's (does the world total leave the reporter out?)",
        at: { field: 'reporterProduct' },
      },
    ]);
  });
});

describe('rca: problems instead of numbers', () => {
  it('the world total missing: cannot compute', () => {
    const r = rca({ reporterProduct: '50', reporterTotal: '100', worldProduct: '200', worldTotal: null });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          code: 'rca-missing-world-total',
          severity: 'error',
          message: 'world total exports missing',
          at: { field: 'worldTotal' },
        },
      ],
      text: 'cannot compute RCA: world total exports missing',
    });
    expect('rca' in r).toBe(false);
    expect(rca({ reporterProduct: '50', reporterTotal: '100', worldProduct: '200', worldTotal: ' ' }).ok).toBe(false);
  });

  it('zero denominators, negative or malformed values; every problem listed', () => {
    const r = rca({ reporterProduct: '-1', reporterTotal: '0', worldProduct: 'n/a', worldTotal: null });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.code)).toEqual([
      'rca-negative-value',
      'rca-zero-denominator',
      'rca-bad-value',
      'rca-missing-world-total',
    ]);
    expect(r.text).toBe(
      "cannot compute RCA: reporter's product exports negative: -1; reporter's total exports zero; not a decimal: n/a; world total exports missing",
    );
    const zeroWorldProduct = rca({ reporterProduct: '0', reporterTotal: '1', worldProduct: '0.0', worldTotal: '9' });
    expect(zeroWorldProduct).toMatchObject({
      ok: false,
      problems: [{ code: 'rca-zero-denominator', at: { field: 'worldProduct' } }],
    });
    expect(() =>
      rca({ reporterProduct: '1', reporterTotal: '1', worldProduct: '1', worldTotal: '1' }, { digits: -1 }),
    ).toThrow('invalid digits: -1');
  });
});
