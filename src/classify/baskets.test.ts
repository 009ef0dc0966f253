import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../util/errors.js';
import {
  applyBasket,
  type Basket,
  basketById,
  type Correlate,
  expandBasket,
  loadBaskets,
  parseBasket,
  resolveProduct,
} from './baskets.js';
import type { HsLink } from './hs-correlation.js';
import { hsCodes } from './hs-nomenclature.js';

const basket = (id: string): Basket => {
  const b = basketById(id);
  if (!b) throw new Error(`no basket ${id}`);
  return b;
};

const yaml = (body: string) => `id: test\nversion: 1\nname: {en: Test, zh: 测试}\nedition: HS2022\n${body}
source: {title: test, url: https://example.org}\n`;

describe('bundled baskets', () => {
  it('load without errors', () => {
    const { baskets, problems } = loadBaskets({ dir: [] });
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(baskets.map((b) => b.id).sort()).toEqual([
      'bec',
      'christmas-decorations',
      'industrial-robots',
      'integrated-circuits',
      'labour-intensive',
      'machine-tools',
      'new-three',
      'phone-parts',
      'sop',
      'wind-generating-sets',
    ]);
  });

  it('New Three in HS2022 expands to 870380, 850760, 854142, 854143', () => {
    const parts = expandBasket(basket('new-three'));
    expect(parts.map((p) => [p.id, p.codes])).toEqual([
      ['electric-vehicles', ['870380']],
      ['lithium-ion-batteries', ['850760']],
      ['pv-cells', ['854142', '854143']],
    ]);
  });

  it('New Three applied to HS2017 uses 854140 for PV, flagged over-inclusive because of LEDs', () => {
    const a = applyBasket(basket('new-three'), 'HS2017');
    const pv = a.parts.find((p) => p.id === 'pv-cells')!;
    expect(pv.codes).toEqual(['854140']);
    expect(pv.report[0]).toMatchObject({ code: '854140', selected: true, fit: 'over-inclusive' });
    expect(pv.report[0]!.sources).toEqual(['854142', '854143']);
    expect(pv.report[0]!.outside.map((o) => o.code)).toEqual(expect.arrayContaining(['854141', '854149']));
    expect(pv.notes.join('\n')).toMatch(/854140 is over-inclusive.*854141 .*light emi/);
    expect(a.exact).toBe(false);
    expect(a.parts.find((p) => p.id === 'electric-vehicles')?.report).toEqual([
      { code: '870380', selected: true, fit: 'exact', sources: ['870380'], outside: [] },
    ]);
  });

  it("policy 'all' leaves 854140 out and reports the PV part under-inclusive", () => {
    const pv = applyBasket(basket('new-three'), 'HS2017', { policy: 'all' }).parts.find((p) => p.id === 'pv-cells')!;
    expect(pv.codes).toEqual([]);
    expect(pv.report[0]).toMatchObject({ code: '854140', selected: false, fit: 'under-inclusive' });
    expect(pv.notes[0]).toMatch(/854140 is left out \(under-inclusive\)/);
  });

  it('phone parts (HS2022 851771/851779) become HS2017 851770', () => {
    const a = applyBasket(basket('phone-parts'), 'HS2017');
    expect(a.parts[0]!.codes).toEqual(['851770']);
  });

  it('labour-intensive has GAC’s seven parts and no overlaps', () => {
    const b = basket('labour-intensive');
    expect(b.parts.map((p) => p.id)).toEqual([
      'textiles',
      'garments',
      'luggage',
      'footwear',
      'toys',
      'furniture',
      'plastic-products',
    ]);
    const codes = expandBasket(b).flatMap((p) => p.codes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(expandBasket(b).find((p) => p.id === 'toys')?.codes).toEqual(['950300']);
    expect(b.notes).toMatch(/approximation/);
  });

  it('SoP (HS1992) classes cover the HS1992 subheadings without overlap, except the ones its notes name', () => {
    const b = basket('sop');
    expect(b.edition).toBe('HS1992');
    expect(b.parts.map((p) => p.id)).toEqual([
      'raw-materials',
      'intermediate-goods',
      'consumer-goods',
      'capital-goods',
    ]);
    const codes = expandBasket(b).flatMap((p) => p.codes);
    expect(new Set(codes).size).toBe(codes.length);
    const missing = hsCodes('HS1992').filter((c) => !codes.includes(c));
    expect(missing.length).toBeLessThan(40);
    for (const c of missing) expect(b.notes).toContain(c);
  });

  it('BEC (HS2017) classes cover every HS2017 subheading and list the overlaps the source has', () => {
    const b = basket('bec');
    expect(b.edition).toBe('HS2017');
    const all = new Set(expandBasket(b).flatMap((p) => p.codes));
    const missing = hsCodes('HS2017').filter((c) => !all.has(c));
    expect(missing).toEqual(['710820', '711890']); // monetary gold and coin: not in the BEC correlation
    for (const c of missing) expect(b.notes).toContain(c);
    const { problems } = loadBaskets({ dir: [] });
    const overlaps = problems.filter((p) => p.code === 'overlap' && p.at?.file?.endsWith('bec.yaml'));
    expect(overlaps.length).toBeGreaterThan(0);
    expect(overlaps.every((p) => p.severity === 'warning')).toBe(true);
    expect(overlaps.map((p) => p.message).join('\n')).toContain('854231');
  });
});

describe('malformed basket files', () => {
  const problems = (text: string) => parseBasket(text, 'my.yaml').problems.filter((p) => p.severity === 'error');

  it('unknown code: names file, key path, line and value', () => {
    const [p, ...rest] = problems(
      yaml("parts:\n  - id: a\n    name: {en: A, zh: 甲}\n    include: ['8541.42', '8541.99']"),
    );
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      code: 'unknown-code',
      value: '8541.99',
      at: { file: 'my.yaml', field: 'parts[0].include[1]', line: 8 },
    });
    expect(formatProblem(p!)).toBe(
      'error: my.yaml:8 field parts[0].include[1]: unknown HS code in HS2022 (value: "8541.99")',
    );
  });

  it('wrong edition: a code of another edition, and an unknown edition', () => {
    const [p] = problems(
      yaml("parts:\n  - id: a\n    name: {en: A, zh: 甲}\n    include: ['854140']").replace('HS2022', 'HS2022'),
    );
    expect(p).toMatchObject({ code: 'wrong-edition', value: '854140', at: { field: 'parts[0].include[0]' } });
    expect(p!.message).toMatch(/not in HS2022.*HS2017/);
    const [q] = problems(yaml("include: ['854142']").replace('edition: HS2022', 'edition: HS2023'));
    expect(q).toMatchObject({ code: 'unknown-edition', value: 'HS2023', at: { field: 'edition', line: 4 } });
  });

  it('overlap between parts', () => {
    const [p] = problems(
      yaml(
        "parts:\n  - id: a\n    name: {en: A, zh: 甲}\n    include: ['8541']\n  - id: b\n    name: {en: B, zh: 乙}\n    include: ['8541.43']",
      ),
    );
    expect(p).toMatchObject({ code: 'overlap', value: '854143', at: { field: 'parts[1].include[0]' } });
    expect(p!.message).toMatch(/part b overlaps part a: 854143/);
  });

  it('exclude not under an include, unquoted codes, duplicate part ids, bad YAML', () => {
    expect(problems(yaml("include: ['8541']\nexclude: ['8542.31']"))[0]).toMatchObject({
      code: 'exclude-outside',
      at: { field: 'exclude[0]' },
      value: '8542.31',
    });
    expect(problems(yaml('include: [8703.80]'))[0]).toMatchObject({
      code: 'bad-basket',
      at: { field: 'include[0]' },
      value: '8703.8',
    });
    expect(problems(yaml('include: [8703.80]'))[0]!.message).toMatch(/quoted string/);
    const dup = problems(
      yaml(
        "parts:\n  - id: a\n    name: {en: A, zh: 甲}\n    include: ['8541']\n  - id: a\n    name: {en: B, zh: 乙}\n    include: ['8542']",
      ),
    );
    expect(dup[0]).toMatchObject({ code: 'duplicate-id', value: 'a', at: { field: 'parts[1].id' } });
    const [bad] = problems('id: test\nparts: [\n  - id: a\n');
    expect(bad).toMatchObject({ code: 'bad-yaml', at: { file: 'my.yaml' } });
    expect(bad!.at!.line).toBeGreaterThan(0);
    expect(
      problems(yaml("include: ['8541']").replace('name: {en: Test, zh: 测试}', 'name: {en: Test}'))[0],
    ).toMatchObject({ code: 'bad-basket', at: { field: 'name.zh' } });
  });

  it('a user directory adds baskets; a duplicate id and a bad file are reported, the others still load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baskets-'));
    writeFileSync(join(dir, 'solar-glass.yaml'), yaml("include: ['7007.19']").replace('id: test', 'id: solar-glass'));
    writeFileSync(join(dir, 'new-three.yaml'), yaml("include: ['8703.80']").replace('id: test', 'id: new-three'));
    writeFileSync(join(dir, 'broken.yaml'), yaml("include: ['0100']").replace('id: test', 'id: broken'));
    const { baskets, problems } = loadBaskets({ dir });
    expect(baskets.map((b) => b.id)).toContain('solar-glass');
    expect(baskets.find((b) => b.id === 'solar-glass')?.implicitPart).toBe(true);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.at?.file?.split('/').pop()])).toEqual([
      ['unknown-code', 'broken.yaml'],
      ['duplicate-id', 'new-three.yaml'],
    ]);
    expect(errors[1]!.message).toContain('data/baskets/new-three.yaml');
    expect(() => basketById('solar-glass', { dir })).toThrow(/invalid basket file/);
  });
});

describe('injected correlation and products', () => {
  it('uses the correlation function it is given', () => {
    // a tiny fixture: HS2022 854142/854143 → HS2017 854140, which also holds 854141 and 854149
    const links: Record<string, string[]> = {
      '2022:854142': ['854140'],
      '2022:854143': ['854140'],
      '2022:870380': ['870380'],
      '2022:850760': ['850760'],
      '2017:854140': ['854141', '854142', '854143', '854149'],
      '2017:870380': ['870380'],
      '2017:850760': ['850760'],
    };
    const correlate: Correlate = (codes, from) =>
      new Map(
        codes.map((c) => [
          c,
          (links[`${from.slice(2)}:${c}`] ?? []).map((code): HsLink => ({ code, relationship: 'n:1', via: [] })),
        ]),
      );
    const a = applyBasket(basket('new-three'), 'HS2017', correlate);
    expect(a.parts.map((p) => [p.id, p.codes, p.report.map((r) => r.fit)])).toEqual([
      ['electric-vehicles', ['870380'], ['exact']],
      ['lithium-ion-batteries', ['850760'], ['exact']],
      ['pv-cells', ['854140'], ['over-inclusive']],
    ]);
    expect(a.parts[2]!.report[0]!.outside).toEqual([{ code: '854141' }, { code: '854149' }]);
  });

  it('resolves --product: a code, a basket, a part', () => {
    expect(resolveProduct('8541.40', 'HS2017').codes).toEqual(['854140']);
    expect(() => resolveProduct('8541.4', 'HS2017')).toThrow(/not an HS code: 8541.4/);
    expect(resolveProduct('8541', 'HS2017').codes).toContain('854140');
    const nt = resolveProduct('new-three', 'HS2017');
    expect(nt).toMatchObject({ kind: 'basket', codes: ['850760', '854140', '870380'] });
    expect(nt.applied?.exact).toBe(false);
    const pv = resolveProduct('new-three/pv-cells', 'HS2017');
    expect(pv).toMatchObject({ id: 'new-three/pv-cells', codes: ['854140'], label: { zh: '太阳能电池' } });
    expect(pv.notes[0]).toMatch(/over-inclusive/);
    expect(resolveProduct('new-three', 'HS2022').applied).toBeUndefined();
    expect(() => resolveProduct('new-four', 'HS2022')).toThrow(/unknown product: new-four .*new-three/);
    expect(() => resolveProduct('new-three/ev', 'HS2022')).toThrow(/unknown part of basket new-three: ev/);
    expect(() => resolveProduct('0100', 'HS2022')).toThrow(/unknown HS code in HS2022: 0100/);
  });
});
