import { describe, expect, it } from 'vitest';
import {
  ancestors,
  children,
  matchRegions,
  regionAliases,
  regionByCode,
  regions,
  resolveRegion,
  WHOLE_REPORTER,
} from './regions.js';

describe('regions table', () => {
  it('has the country, 31 provinces and the listed prefecture-level cities', () => {
    const all = regions();
    expect(all.filter((r) => r.level === 'country').map((r) => r.code)).toEqual(['CN']);
    const provinces = all.filter((r) => r.level === 'province');
    expect(provinces).toHaveLength(31);
    for (const p of provinces) {
      expect(p.parent).toBe('CN');
      expect(p.code).toMatch(/^\d{2}0000$/);
    }
    for (const c of all.filter((r) => r.level === 'city')) {
      expect(c.code).toMatch(/^\d{4}00$/);
      expect(c.code.slice(0, 2)).toBe(c.parent.slice(0, 2));
      expect(regionByCode(c.parent)?.level).toBe('province');
    }
    const count = (p: string) => children(p).length;
    expect(count('330000')).toBe(11); // Zhejiang
    expect(count('320000')).toBe(13); // Jiangsu
    expect(count('440000')).toBe(21); // Guangdong
    expect(count('340000')).toBe(16); // Anhui
    expect(count('370000')).toBe(16); // Shandong (Laiwu merged into Jinan in 2019)
    expect(count('350000')).toBe(9); // Fujian
  });

  it('has the sub-provincial cities', () => {
    for (const code of [
      '230100',
      '220100',
      '210100',
      '210200',
      '370100',
      '370200',
      '320100',
      '330100',
      '330200',
      '350200',
      '420100',
      '440100',
      '440300',
      '510100',
      '610100',
    ]) {
      expect(regionByCode(code)?.level, code).toBe('city');
    }
  });

  it('has every region of the bundled GAC sample', () => {
    const sample: Record<string, string> = {
      北京市: '110000',
      上海市: '310000',
      深圳市: '440300',
      南京市: '320100',
      合肥市: '340100',
      浙江省: '330000',
      杭州市: '330100',
      宁波市: '330200',
      温州市: '330300',
      湖州市: '330500',
      金华市: '330700',
      台州市: '331000',
    };
    for (const [name, code] of Object.entries(sample)) {
      expect(resolveRegion(name), name).toBe(code);
      expect(regionByCode(code)?.nameZh).toBe(name);
    }
    expect(resolveRegion('全国')).toBe(WHOLE_REPORTER);
  });
});

describe('resolveRegion', () => {
  it('takes codes, Chinese names with or without suffix, English names, case-insensitively', () => {
    expect(resolveRegion('330100')).toBe('330100');
    expect(resolveRegion(' 3301 ')).toBe('330100');
    expect(resolveRegion('33')).toBe('330000');
    expect(resolveRegion('330100000000')).toBe('330100');
    expect(resolveRegion('浙江')).toBe('330000');
    expect(resolveRegion('浙江省')).toBe('330000');
    expect(resolveRegion('杭州')).toBe('330100');
    expect(resolveRegion('Hangzhou')).toBe('330100');
    expect(resolveRegion('HANGZHOU')).toBe('330100');
    expect(resolveRegion('hangzhou city')).toBe('330100');
    expect(resolveRegion('Zhejiang Province')).toBe('330000');
    expect(resolveRegion('广西')).toBe('450000');
    expect(resolveRegion('新疆')).toBe('650000');
    expect(resolveRegion('Xizang')).toBe('540000');
    expect(resolveRegion("Huai'an")).toBe('320800');
    expect(resolveRegion('Huaian')).toBe('320800');
    expect(resolveRegion('北京')).toBe('110000');
    expect(resolveRegion('Shanghai')).toBe('310000');
    expect(resolveRegion('ＳＨＡＮＧＨＡＩ')).toBe('310000'); // full-width
  });

  it('resolves the whole country to the whole-reporter region ""', () => {
    for (const s of ['全国', '中国', 'China', 'national', 'NATIONAL', 'CN', 'cn']) expect(resolveRegion(s), s).toBe('');
  });

  it('returns undefined for unknown or ambiguous names, and lists the candidates', () => {
    expect(resolveRegion('Atlantis')).toBeUndefined();
    expect(resolveRegion('')).toBeUndefined();
    expect(resolveRegion('999900')).toBeUndefined();
    expect(resolveRegion('Taizhou')).toBeUndefined();
    expect(
      matchRegions('Taizhou')
        .map((r) => r.code)
        .sort(),
    ).toEqual(['321200', '331000']);
    expect(resolveRegion('Taizhou Zhejiang')).toBe('331000');
    expect(resolveRegion('台州')).toBe('331000');
    expect(resolveRegion('泰州')).toBe('321200');
    expect(resolveRegion('Suzhou')).toBeUndefined();
    expect(resolveRegion('苏州')).toBe('320500');
  });
});

describe('regionAliases', () => {
  const aliases = regionAliases();
  const lookup = (a: string) => aliases.filter((x) => x.alias.toLowerCase() === a.toLowerCase()).map((x) => x.code);

  it('includes codes, zh and en names and short forms', () => {
    expect(lookup('330100')).toEqual(['330100']);
    expect(lookup('杭州市')).toEqual(['330100']);
    expect(lookup('杭州')).toEqual(['330100']);
    expect(lookup('Hangzhou')).toEqual(['330100']);
    expect(lookup('浙江')).toEqual(['330000']);
    expect(lookup('全国')).toEqual(['']);
    expect(lookup('China')).toEqual(['']);
  });

  it('leaves ambiguous aliases out and maps every alias to one code', () => {
    expect(lookup('Taizhou')).toEqual([]);
    const byAlias = new Map<string, Set<string>>();
    for (const { alias, code } of aliases) {
      const set = byAlias.get(alias.toLowerCase()) ?? new Set();
      set.add(code);
      byAlias.set(alias.toLowerCase(), set);
    }
    for (const [alias, codes] of byAlias) expect(codes.size, alias).toBe(1);
  });

  it('resolves every alias it lists to its code', () => {
    for (const { alias, code } of aliases) expect(resolveRegion(alias), alias).toBe(code);
  });
});

describe('ancestors and children', () => {
  it('walks up to the country', () => {
    expect(ancestors('330100').map((r) => r.code)).toEqual(['330000', 'CN']);
    expect(ancestors('330000').map((r) => r.code)).toEqual(['CN']);
    expect(ancestors('CN')).toEqual([]);
    expect(ancestors('nope')).toEqual([]);
  });

  it('lists direct children', () => {
    expect(children('CN')).toHaveLength(31);
    expect(children('')).toHaveLength(31);
    expect(children('330000').map((r) => r.nameZh)).toContain('杭州市');
    expect(children('330100')).toEqual([]);
    expect(children('110000')).toEqual([]);
  });
});
