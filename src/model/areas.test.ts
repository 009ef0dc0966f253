import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { areaAliases, areaByCode, areaCodeIn, areas, normaliseName, resolveArea, suggestArea } from './areas.js';

const repoFile = (path: string) => new URL(`../../${path}`, import.meta.url);

function csvRows(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): Record<string, string>[] {
  const buf = readFileSync(repoFile(path));
  const text = encoding === 'latin1' ? new TextDecoder('latin1').decode(buf) : buf.toString('utf8');
  return parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
}

function distinct(rows: Record<string, string>[], column: string): string[] {
  return [...new Set(rows.map((r) => r[column]!))];
}

describe('area codes', () => {
  it('maps Comtrade and ISO numerics to the same canonical areas', () => {
    expect(areaCodeIn('comtrade', '842')).toBe('USA');
    expect(areaCodeIn('iso-numeric', '840')).toBe('USA');
    expect(areaCodeIn('comtrade', '251')).toBe('FRA');
    expect(areaCodeIn('iso-numeric', '250')).toBe('FRA');
    expect(areaCodeIn('comtrade', '699')).toBe('IND');
    expect(areaCodeIn('comtrade', '757')).toBe('CHE');
    expect(areaCodeIn('comtrade', '490')).toBe('S19');
    expect(areaCodeIn('comtrade', '0')).toBe('WLD');
    expect(areaCodeIn('comtrade', 'W00')).toBe('WLD');
    expect(areaCodeIn('comtrade', '97')).toBe('EUU');
    expect(areaCodeIn('comtrade', '899')).toBe('_X');
    expect(areaCodeIn('comtrade', '837')).toBe('X1');
    expect(areaCodeIn('comtrade', '280')).toBe('DEU_1990');
    expect(areaCodeIn('comtrade', '810')).toBe('SUN');
    expect(areaCodeIn('iso-numeric', '156')).toBe('CHN');
    expect(areaCodeIn('iso-numeric', '004')).toBe('AFG');
    expect(areaCodeIn('baci', '381')).toBe('ITA');
    expect(areaCodeIn('baci', '842')).toBe('USA');
  });

  it('resolves what users type', () => {
    const cases: [string, string][] = [
      ['842', 'USA'],
      ['840', 'USA'],
      ['251', 'FRA'],
      ['699', 'IND'],
      ['356', 'IND'],
      ['490', 'S19'],
      ['0', 'WLD'],
      ['97', 'EUU'],
      ['156', 'CHN'],
      ['CHN', 'CHN'],
      ['chn', 'CHN'],
      ['CN', 'CHN'],
      ['USA', 'USA'],
      ['South Korea', 'KOR'],
      ['  south   KOREA ', 'KOR'],
      ['UAE', 'ARE'],
      ['Taiwan', 'TWN'],
      ['美国', 'USA'],
      ['中国香港', 'HKG'],
      ['世界', 'WLD'],
      ['World', 'WLD'],
      ['EU', 'EUU'],
      ['ASEAN', 'ASEAN'],
      ['Other Asia, nes', 'S19'],
    ];
    for (const [input, code] of cases) expect(resolveArea(input)?.code, input).toBe(code);
    expect(resolveArea('8420')).toBeUndefined();
    expect(resolveArea('Atlantis')).toBeUndefined();
  });

  it('has the hand-written Chinese names', () => {
    expect(areaByCode('HKG')?.nameZh).toBe('中国香港');
    expect(areaByCode('MAC')?.nameZh).toBe('中国澳门');
    expect(areaByCode('TWN')?.nameZh).toBe('中国台湾');
    expect(areaByCode('USA')?.nameZh).toBe('美国');
    expect(areaByCode('S19')?.nameZh).toBe('其他亚洲地区');
    expect(areaByCode('WLD')?.nameZh).toBe('世界');
    expect(areaByCode('EUU')?.nameZh).toBe('欧盟');
    expect(areaByCode('_X')?.nameZh).toBe('未列明地区');
  });

  it('gives every area a known kind and unique code', () => {
    const kinds = new Set(['country', 'territory', 'special', 'group', 'historical']);
    const codes = new Set<string>();
    for (const a of areas()) {
      expect(kinds.has(a.kind), a.code).toBe(true);
      expect(codes.has(a.code), a.code).toBe(false);
      codes.add(a.code);
      expect(a.nameEn, a.code).toBeTruthy();
    }
    for (const code of ['WLD', 'EUU', 'EMU', 'ASEAN', 'G7', 'G20', 'OECD', 'R_ASIA']) {
      expect(areaByCode(code)?.kind, code).toBe('group');
    }
    for (const code of ['S19', '_X', 'X1', 'X2', 'XX']) expect(areaByCode(code)?.kind, code).toBe('special');
    expect(areaByCode('SUN')?.kind).toBe('historical');
  });

  it('has no alias mapping to two codes in one scheme, and only known codes', () => {
    const seen = new Map<string, string>();
    for (const a of areaAliases()) {
      const key = `${a.scheme}\u0000${a.alias}`;
      const had = seen.get(key);
      if (had !== undefined) expect(had, `${a.scheme}:${a.alias}`).toBe(a.code);
      seen.set(key, a.code);
      expect(areaByCode(a.code), a.code).toBeDefined();
      if (a.scheme === 'name') expect(a.alias).toBe(normaliseName(a.alias));
    }
  });

  it('normalises names', () => {
    expect(normaliseName('  Hong\u00a0Kong \t SAR ')).toBe('hong kong sar');
    expect(normaliseName('Türkiye')).toBe('türkiye');
  });

  it('suggests close matches', () => {
    expect(suggestArea('8420')[0]?.input).toBe('842');
    expect(suggestArea('8420')[0]?.area.code).toBe('USA');
    expect(suggestArea('Sout Korea')[0]?.area.code).toBe('KOR');
    expect(suggestArea('CHM').map((s) => s.area.code)).toContain('CHN');
    expect(suggestArea('')).toEqual([]);
  });
});

describe('names in the bundled files', () => {
  it('resolves every partner in the critical-minerals file', () => {
    const names = distinct(csvRows('data/comtrade/china_critical_minerals_hs6_monthly.csv'), 'partner_name');
    expect(names.length).toBeGreaterThan(30);
    for (const n of names) expect(resolveArea(n)?.code, n).toBeDefined();
    expect(resolveArea('Czech Republic')?.code).toBe('CZE');
    expect(resolveArea('Turkey')?.code).toBe('TUR');
    expect(resolveArea('United Kingdom')?.code).toBe('GBR');
    expect(resolveArea('Hong Kong')?.code).toBe('HKG');
  });

  it('resolves every partner and the reporter in IMF DOTS', () => {
    const rows = csvRows('data/china-partners/DOTS_40_China_exports_by_partner_annual_long.csv');
    for (const n of [...distinct(rows, 'partner'), ...distinct(rows, 'reporter')]) {
      expect(areaCodeIn('name', n), n).toBeDefined();
    }
    expect(resolveArea('China, P.R.: Mainland')?.code).toBe('CHN');
    expect(resolveArea('United States')?.code).toBe('USA');
    expect(resolveArea('Euro Area')?.kind).toBe('group');
    expect(resolveArea('Other Countries not included elsewhere')?.kind).toBe('group');
    expect(resolveArea('Belgium-Luxembourg')?.code).toBe('BLX');
  });

  it('resolves every area in the Ember solar file, and its aggregates to groups', () => {
    const rows = csvRows('data/china-partners/mart_solar_exports_full_release_monthly.csv');
    const types = new Map(rows.map((r) => [r.Area!, r['Area type']!]));
    expect(types.size).toBeGreaterThan(200);
    let groups = 0;
    for (const [name, type] of types) {
      const area = resolveArea(name);
      expect(area, name).toBeDefined();
      if (type === 'Country or economy') expect(area?.kind, name).not.toBe('group');
      else {
        groups++;
        expect(area?.kind, name).toBe('group');
      }
    }
    expect(groups).toBe(13);
  });

  it('resolves the partner in the KOSIS series', () => {
    const rows = csvRows('data/partner-series/korea-china-trade-data.csv');
    for (const n of distinct(rows, 'Country')) expect(resolveArea(n)?.code, n).toBe('CHN');
  });

  it('maps every Comtrade partner code and alpha code of the 2022 extract', () => {
    const rows = csvRows('data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', 'latin1');
    for (const r of rows) {
      expect(areaCodeIn('comtrade', r.partnerCode!), r.partnerCode).toBeDefined();
      expect(areaCodeIn('comtrade', r.reporterCode!), r.reporterCode).toBeDefined();
      expect(areaCodeIn('comtrade', r.partnerISO!), r.partnerISO).toBe(areaCodeIn('comtrade', r.partnerCode!));
    }
  });

  it('maps every BACI code of the 2021 extract except Italy 380 (V202301 numbering)', () => {
    const rows = csvRows('data/baci/BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
    const codes = new Set(rows.flatMap((r) => [r.i!.trim(), r.j!.trim()]));
    const missing = [...codes].filter((c) => !areaCodeIn('baci', c));
    expect(missing).toEqual(['380']);
    expect(areaCodeIn('iso-numeric', '380')).toBe('ITA');
  });
});
