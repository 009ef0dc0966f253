/**
 * Golden forecast numbers: the default forecast of US imports from China (FRED IMPCH, 1985-01 … 2019-12) and
 * the GAC-length short-series forecast, rounded to 5 significant digits, compared with committed files.
 * A mismatch writes `<name>-changed.json` beside the golden file to inspect; replace the file if the change
 * is intended (and say why in the commit).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forecast } from './forecast.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const impch = readFileSync(here('../../data/fred/FRED_IMPCH_us_imports_from_china_monthly.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => Number(l.split(',')[1]));

const round = (x: number): number => Number(x.toPrecision(5));
function normalise(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc, (_, v) => (typeof v === 'number' ? round(v) : v)));
}

function golden(name: string, doc: unknown): void {
  const file = here(`golden/${name}.json`);
  const actual = normalise(doc);
  const changed = here(`golden/${name}-changed.json`);
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  // compared as data, so that reformatting the file (Biome) does not matter
  const expected: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    writeFileSync(changed, `${JSON.stringify(actual, null, 2)}\n`);
  expect(actual, `forecast numbers changed: see ${changed}`).toEqual(expected);
}

describe('golden forecast numbers', () => {
  it('FRED IMPCH through 2019-12, default method, 12 months', () => {
    const f = forecast(impch.slice(0, 420), { horizon: 12, start: '1985-01' });
    golden('impch-2019', { model: f.model, point: f.point, intervals: f.intervals, warnings: f.warnings });
  });

  it('the last 18 months of FRED IMPCH through 2019-12, short-series method, 6 months', () => {
    const f = forecast(impch.slice(402, 420), { horizon: 6 });
    golden('impch-short-2019', { model: f.model, point: f.point, intervals: f.intervals });
  });
});
