import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { hsChildren, hsCodes, hsLookup, hsSearch, normalizeHsCode, parseEdition } from './hs-nomenclature.js';

const shared = (name: string): Record<string, string>[] =>
  parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/classifications/${name}`, import.meta.url)), 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });

describe('HS nomenclature', () => {
  it.each([
    ['HS2022', 'comtrade_products_HS2022.csv', 5612],
    ['HS2017', 'comtrade_products_HS2017.csv', 5387],
  ] as const)(
    'resolves every %s subheading of the UN list (chapter 99 aside) with heading, chapter and section',
    (edition, file, count) => {
      const subs = shared(file).filter((r) => r.aggrlevel === '6' && !r.id!.startsWith('99'));
      expect(subs.length).toBe(count);
      for (const r of subs) {
        const n = hsLookup(r.id!, edition);
        expect(n, r.id).toBeDefined();
        expect(n!.level).toBe('subheading');
        expect(n!.description).toBe(r.text!.slice(r.id!.length + 3));
        expect(n!.unit).toBe(r.standardUnitAbbr === 'n/a' ? null : r.standardUnitAbbr);
        expect(n!.parents.map((p) => p.level)).toEqual(['heading', 'chapter', 'section']);
        const [heading, chapter, section] = n!.parents;
        expect(heading!.code).toBe(r.id!.slice(0, 4));
        expect(chapter!.code).toBe(r.id!.slice(0, 2));
        expect(section!.code).toMatch(/^[IVX]+$/);
        for (const p of n!.parents) expect(p.description, `${r.id} ${p.code}`).toBeTruthy();
      }
    },
  );

  it('puts every HS2022 subheading in the section harmonized-system.csv gives it', () => {
    for (const r of shared('harmonized-system.csv')) {
      if (r.level !== '6' || r.section === 'TOTAL') continue;
      expect(hsLookup(r.hscode!)!.parents[2]!.code, r.hscode).toBe(r.section);
    }
  });

  it('answers the same with and without dots', () => {
    const a = hsLookup('854143');
    expect(a).toEqual(hsLookup('8541.43'));
    expect(a!.parents.map((p) => p.code)).toEqual(['8541', '85', 'XVI']);
    expect(a!.descriptionZh).toBeNull();
    expect(a!.zhSource).toBe('none');
    expect(a!.note).toMatch(/no Chinese description/);
  });

  it('restores a lost leading zero and rejects non-codes', () => {
    expect(normalizeHsCode('10121')).toBe('010121');
    expect(normalizeHsCode('0101.21')).toBe('010121');
    expect(normalizeHsCode('8541.4')).toBeUndefined();
    expect(normalizeHsCode('lithium')).toBeUndefined();
    expect(hsLookup('10121')!.code).toBe('010121');
  });

  it('looks up headings, chapters and sections, and lists children', () => {
    expect(hsLookup('8541')!.level).toBe('heading');
    expect(hsLookup('85')!.parents).toEqual([expect.objectContaining({ level: 'section', code: 'XVI' })]);
    expect(hsLookup('XVI')!.level).toBe('section');
    expect(hsChildren('XVI').map((c) => c.code)).toEqual(['84', '85']);
    expect(hsChildren('8541').map((c) => c.code)).toContain('854143');
    expect(hsChildren('8541', 'HS2017').map((c) => c.code)).toContain('854140');
    expect(hsLookup('854143', 'HS2017')).toBeUndefined();
  });

  it('finds 8507.60 when searching "lithium"', () => {
    const hits = hsSearch('lithium');
    expect(hits.map((h) => h.code)).toContain('850760');
    expect(hsSearch('lithium ion accumulators')[0]!.code).toBe('850760');
    expect(hsSearch('8541.43')[0]!.code).toBe('854143');
  });

  it('knows older editions from the correlation tables, and says descriptions are unknown', () => {
    const n = hsLookup('010111', 'HS1992')!;
    expect(n.description).toBeNull();
    expect(n.descriptionSource).toBe('none');
    expect(n.note).toMatch(/descriptions are not/);
    expect(n.parents.map((p) => p.code)).toEqual(['0101', '01', 'I']);
    expect(hsCodes('HS1992').length).toBeGreaterThan(5000);
    expect(hsLookup('010121', 'HS1992')).toBeUndefined();
  });

  it('parses edition names and Comtrade codes', () => {
    expect(parseEdition('H0')).toBe('HS1992');
    expect(parseEdition('h6')).toBe('HS2022');
    expect(parseEdition('HS92')).toBe('HS1992');
    expect(parseEdition('2017')).toBe('HS2017');
    expect(() => parseEdition('HS2020')).toThrow(/unknown HS edition: HS2020/);
  });
});
