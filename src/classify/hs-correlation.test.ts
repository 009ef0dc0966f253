import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { editionPath, mapCode, mapCodes, tableVersion } from './hs-correlation.js';
import { HS_EDITIONS, hsCodes } from './hs-nomenclature.js';

const source: Record<string, string>[] = parse(
  readFileSync(
    fileURLToPath(
      new URL('../../test/fixtures/classifications/HS_consolidated_comtrade_concordances.csv', import.meta.url),
    ),
    'utf8',
  ),
  { columns: true, skip_empty_lines: true },
);

describe('HS correlation', () => {
  it('labels a link for the direction read', () => {
    expect(mapCode('854142', 'HS2022', 'HS2017')).toEqual([{ code: '854140', relationship: 'n:1', via: [] }]);
    const back = mapCode('854140', 'HS2017', 'HS2022');
    expect(back.find((l) => l.code === '854142')!.relationship).toBe('1:n');
    // 8549.21 (e-waste) also takes from codes other than 8541.40: n:n
    expect(back.find((l) => l.code === '854921')!.relationship).toBe('n:n');
    expect(mapCode('8541.43', 'HS2022', 'HS2017')[0]!.code).toBe('854140');
  });

  it('has every link of the source, leading zeros restored, and agrees with its HS2022/HS2017/HS2012 labels', () => {
    const pairs = [
      ['2022 to 2017', 'HS2022', 'HS2017'],
      ['2017 to 2012', 'HS2017', 'HS2012'],
      ['1996 to 1992', 'HS1996', 'HS1992'],
    ] as const;
    for (const [adj, newer, older] of pairs) {
      const rows = source.filter((r) => r.adjustment === adj);
      for (const r of rows) {
        const a = r['code.after']!.padStart(6, '0');
        const b = r['code.before']!.padStart(6, '0');
        const link = mapCode(a, newer, older).find((l) => l.code === b);
        expect(link, `${adj} ${a} → ${b}`).toBeDefined();
        // the older tables label some links by their group (020714 → 020741 is n:n there because 020714's other
        // target, 020750, has several sources); tradescope labels each link by its own two ends: 1:n
        if (adj !== '1996 to 1992') expect(link!.relationship, `${adj} ${a} → ${b}`).toBe(r.Relationship);
      }
      const count = hsCodes(newer)
        .map((c) => mapCode(c, newer, older).length)
        .reduce((x, y) => x + y, 0);
      expect(count).toBe(rows.length);
    }
  });

  it('mirrors relationships between the two directions', () => {
    const flip = { '1:1': '1:1', 'n:1': '1:n', '1:n': 'n:1', 'n:n': 'n:n' } as const;
    for (let i = 0; i + 1 < HS_EDITIONS.length; i++) {
      const older = HS_EDITIONS[i]!;
      const newer = HS_EDITIONS[i + 1]!;
      for (const c of hsCodes(older).slice(0, 400)) {
        for (const l of mapCode(c, older, newer)) {
          const back = mapCode(l.code, newer, older).find((x) => x.code === c);
          expect(back?.relationship).toBe(flip[l.relationship]);
        }
      }
    }
  });

  it('walks several editions: HS1992 → HS2022', () => {
    expect(editionPath('HS1992', 'HS2022')).toEqual([...HS_EDITIONS]);
    expect(editionPath('HS2022', 'HS2012')).toEqual(['HS2022', 'HS2017', 'HS2012']);
    const links = mapCode('854140', 'HS1992', 'HS2022');
    const pv = links.find((l) => l.code === '854143')!;
    expect(pv.via).toEqual(['854140', '854140', '854140', '854140', '854140']);
    expect(pv.relationship).toBe('1:n');
    // 0301.10 live ornamental fish (HS1992) → HS2022 0301.11 / 0301.19 (split in HS2012)
    expect(mapCode('030110', 'HS1992', 'HS2022').map((l) => l.code)).toEqual(['030111', '030119']);
    expect(mapCode('030111', 'HS2022', 'HS1992')).toEqual([
      // via HS2017, HS2012 (still 0301.11), HS2007, HS2002, HS1996 (0301.10)
      { code: '030110', relationship: 'n:1', via: ['030111', '030111', '030110', '030110', '030110'] },
    ]);
  });

  it('maps a heading as the group of its subheadings, and many codes at once', () => {
    const links = mapCode('8541', 'HS2017', 'HS2022');
    expect(links.map((l) => l.code)).toEqual(expect.arrayContaining(['854141', '854142', '854143', '854149']));
    const m = mapCodes(['854142', '999998'], 'HS2022', 'HS2017');
    expect(m.get('854142')!.map((l) => l.code)).toEqual(['854140']);
    expect(m.get('999998')).toEqual([]);
  });

  it('names the tables', () => {
    expect(tableVersion('HS2022', 'HS2017')).toBe(
      'UNSD HS2022-HS2017 correlation (Comtrade consolidated, harvard-growth-lab @503c5d89)',
    );
    expect(tableVersion('HS2012', 'HS2022')).toBe(
      'UNSD HS2017-HS2012, HS2022-HS2017 correlation (Comtrade consolidated, harvard-growth-lab @503c5d89)',
    );
  });
});
