/**
 * Seeded property-based fuzzing of the delimited-text readers (issue 15, section 3): real files from `data/`
 * mutated the ways files break — cut anywhere, stray quotes, bytes invalid in UTF-8, huge and tiny numbers,
 * duplicated lines. Properties: the reader never fails with anything but a UserError (a whole-file refusal with a
 * message), and every record it counts is accounted for — each data record yields at least one staged row or one
 * problem, and nothing refers to a line that is not a record. 200 cases per reader, seed fixed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../util/errors.js';
import type { Reader } from '../staged-row.js';
import { openComtradeReader } from './comtrade-reader.js';
import { openDelimitedReader } from './delimited-reader.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const IMPCH = readFileSync(join(ROOT, 'data', 'fred', 'FRED_IMPCH_us_imports_from_china_monthly.csv'));
const COMTRADE = readFileSync(join(ROOT, 'data', 'comtrade', 'TradeData_2022_CHN_DEU_USA_by_partner.csv')).subarray(
  0,
  20_000,
);
const dir = mkdtempSync(join(tmpdir(), 'tradescope-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One mutation of a file's bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('quote' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('bad-utf8' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.constantFrom('2000000000000000', '1e-30', '0.0000000000001', '-5', '1e400', '99999999999999999999.99'),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function mutate(bytes: Buffer, ms: { kind: string; at: number; text?: string }[]): Buffer {
  let b = bytes;
  for (const m of ms) {
    const i = Math.floor(m.at * b.length);
    if (m.kind === 'cut') b = b.subarray(0, Math.max(1, i));
    else if (m.kind === 'quote') b = Buffer.concat([b.subarray(0, i), Buffer.from('"'), b.subarray(i)]);
    else if (m.kind === 'bad-utf8')
      b = Buffer.concat([b.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff]), b.subarray(i)]);
    else if (m.kind === 'number') {
      // replace the number after the next comma
      const c = b.indexOf(0x2c, i);
      if (c < 0) continue;
      let e = c + 1;
      while (e < b.length && b[e] !== 0x2c && b[e] !== 0x0a) e++;
      b = Buffer.concat([b.subarray(0, c + 1), Buffer.from(m.text!), b.subarray(e)]);
    } else {
      const s = b.lastIndexOf(0x0a, i) + 1;
      const e = b.indexOf(0x0a, i);
      if (s <= 0 || e < 0) continue;
      b = Buffer.concat([b.subarray(0, e + 1), b.subarray(s, e + 1), b.subarray(e + 1)]);
    }
  }
  return b;
}

/** Reads a file; the lines its rows and problems refer to, and the records it counted. */
async function account(open: () => Promise<Reader>): Promise<{ lines: Set<number>; records: number } | 'refused'> {
  try {
    const reader = await open();
    const lines = new Set<number>();
    for await (const item of reader.read()) {
      if (item.kind === 'row') lines.add(item.row.line);
      // a problem of any severity accounts for its record (a Comtrade breakdown record is an `info` one);
      // lines before the header are not records
      else if (item.kind === 'problem' && item.problem.code !== 'preamble' && item.problem.at?.line !== undefined)
        lines.add(item.problem.at.line);
    }
    return { lines, records: reader.info.rowsRead };
  } catch (e) {
    if (e instanceof UserError) return 'refused';
    throw e;
  }
}

let n = 0;
async function property(base: Buffer, open: (file: string) => Promise<Reader>, ms: { kind: string; at: number }[]) {
  const file = join(dir, `case-${++n}.csv`);
  writeFileSync(file, mutate(base, ms));
  const r = await account(() => open(file));
  if (r === 'refused') return;
  // every record counted yields a row or a problem, one per record line
  expect(r.lines.size).toBe(r.records);
}

describe('reader fuzzing (seeded, 200 cases each)', () => {
  it('mapped delimited (FRED IMPCH): no crash, every record accounted for', async () => {
    const mapping = join(ROOT, 'mappings', 'fred-impch.yaml');
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) =>
        property(IMPCH, (f) => openDelimitedReader(f, { mapping }), ms),
      ),
      { numRuns: 200, seed: 15 },
    );
  }, 120_000);

  it('Comtrade CSV: no crash, every record accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) =>
        property(COMTRADE, (f) => openComtradeReader(f), ms),
      ),
      { numRuns: 200, seed: 15 },
    );
  }, 120_000);
});
