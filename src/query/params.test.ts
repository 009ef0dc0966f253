/**
 * The flag / query-parameter words mapped to a spec: the headline when no measure is named, and bad words
 * rejected naming the field, before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors.js';
import { specFromParams } from './params.js';
import { validateSpec } from './spec.js';

describe('specFromParams', () => {
  it('no measure: the headline (both flows: value, balance, total with YoY; by month: the year to date too)', () => {
    expect(specFromParams({ reporter: 'CHN', period: 'ytd:2025-06' })).toEqual({
      reporter: 'CHN',
      period: 'ytd:2025-06',
      measures: ['value', 'balance', 'total'],
      compare: 'yoy',
    });
    expect(specFromParams({ reporter: 'CHN', flow: 'x', by: 'month' })).toMatchObject({
      flow: ['X'],
      measures: ['value', 'ytd'],
    });
    expect(specFromParams({ reporter: 'CHN', measure: 'share', by: 'partner' })).not.toHaveProperty('compare');
  });

  it('region-level adds the region drilldown; another word is a user error naming the field and value', () => {
    expect(specFromParams({ reporter: 'CHN', 'region-level': 'city', region: '330000' }).by).toEqual(['region']);
    const e = (() => {
      try {
        specFromParams({ reporter: 'CHN', 'region-level': 'town' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).problems[0]).toMatchObject({ at: { field: 'region-level' }, value: 'town' });
  });

  it('ytd without a monthly drilldown, and mirror without a period, are rejected naming the field', () => {
    expect(() => validateSpec({ reporter: 'CHN', period: '2024', measures: ['ytd'], by: ['partner'] })).toThrow(
      /ytd .* needs --by month/,
    );
    expect(() => validateSpec({ reporter: 'CHN', partner: 'USA', measures: ['mirror'] })).toThrow(
      /period: mirror needs a period/,
    );
  });
});
