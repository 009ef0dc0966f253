import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors.js';
import { parseVintage } from './ingest.js';

describe('parseVintage', () => {
  it('takes a date or a month', () => {
    expect(parseVintage('2025-07-14')).toBe('2025-07-14');
    expect(parseVintage('2025-07')).toBe('2025-07-01');
  });

  it.each(['2025-02-30', '2025-13', '14/07/2025', 'latest', ''])('rejects %j, saying what to write', (text) => {
    expect(() => parseVintage(text)).toThrow(UserError);
    expect(() => parseVintage(text)).toThrow(/--vintage: invalid date.*YYYY-MM-DD/);
  });
});
