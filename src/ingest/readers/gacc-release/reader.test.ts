/**
 * The release reader on the real pages in test/fixtures/gacc-releases (and the derived ones, marked DERIVED in
 * that folder's README). Expected numbers are read off the pages by hand; the ±1 and member checks re-read the
 * page here with a plain regular expression, independently of the reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { areaCodeIn } from '../../../model/areas.js';
import { UserError } from '../../../util/errors.js';
import type { RowProblem, StagedRow } from '../../staged-row.js';
import { listReleaseFiles, openGaccReleaseReader } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/gacc-releases/', import.meta.url));
const fx = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'gacc-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string, content: string | Buffer) => {
  const f = join(dir, `${n++}-${name}`);
  writeFileSync(f, content);
  return f;
};

async function readAll(file: string) {
  const reader = await openGaccReleaseReader(file);
  const rows: StagedRow[] = [];
  const problems: RowProblem[] = [];
  for await (const it of reader.read()) {
    if (it.kind === 'row') rows.push(it.row);
    else if (it.kind === 'problem') problems.push(it.problem);
  }
  return { rows, problems, info: reader.info };
}

const one = (rows: StagedRow[], q: Partial<StagedRow>) => {
  const hits = rows.filter((r) => Object.entries(q).every(([k, v]) => r[k as keyof StagedRow] === v));
  expect(hits, JSON.stringify(q)).toHaveLength(1);
  return hits[0]!;
};

async function failure(file: string): Promise<UserError> {
  try {
    const r = await openGaccReleaseReader(file);
    for await (const _ of r.read()) {
      // read through
    }
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`no error for ${file}`);
}

/** The page's table rows as plain cell texts, by a regular expression (not the reader's parser). */
function plainRows(file: string): string[][] {
  const html = readFileSync(file, 'utf8');
  const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
  return table
    .split(/<tr[\s>]/)
    .slice(1)
    .map((tr) =>
      tr
        .split(/<td\b/)
        .slice(1)
        .map((td) =>
          td
            .replace(/^[^>]*>/, '')
            .replace(/<[^>]*>/g, '')
            .replace(/&nbsp;/g, ' ')
            .replace(/&amp;/g, '&')
            .replace(/\s+/g, ' ')
            .trim(),
        ),
    );
}
const num = (s: string) => Number(s.replace(/,/g, ''));

describe('(4) by country/region, January–February 2025, CNY (real page)', async () => {
  const file = fx('release_section4_by_country_janfeb2025_cny.html');
  const { rows, problems, info } = await readAll(file);

  it('metadata: dataset, vintage = the publication date, unit CNY 100 million', () => {
    expect(info.dataset).toBe('gacc-release-cny');
    expect(info.vintage).toBe('2025-03-11');
    expect(info.vintageSource).toContain(
      "(4) China's Total Export & Import Values by Country/Region, January-February 2025",
    );
    expect(problems).toEqual([]);
    expect(new Set(rows.filter((r) => r.measure !== 'yoy').map((r) => r.unit))).toEqual(new Set(['CNY*1e8']));
  });

  it('values read off the page: Total, the US, the EU and a member', () => {
    const q = { period: 'ytd:2025-02', measure: 'cumulative' as const };
    expect(one(rows, { ...q, partner: 'Total', flow: 'X' }).value).toBe('38812.1');
    expect(one(rows, { ...q, partner: 'Total', flow: 'M' }).value).toBe('26551.5');
    expect(one(rows, { ...q, partner: 'United States (US)', flow: 'X' }).value).toBe('5431.3');
    expect(one(rows, { ...q, partner: 'European Union', flow: 'X' }).value).toBe('5682.6');
    expect(one(rows, { ...q, partner: 'Germany', flow: 'M' }).value).toBe('955.9');
    expect(
      one(rows, { ...q, partner: 'Jointly build the countries along Belt and Road Routes', flow: 'X' }).value,
    ).toBe('18675');
  });

  it('printed YoY kept as published (EU exports +1.8 %, South Africa imports -46.0 %), as ratios', () => {
    const q = { period: 'ytd:2025-02', measure: 'yoy' as const };
    expect(one(rows, { ...q, partner: 'European Union', flow: 'X' }).value).toBe('0.018');
    expect(one(rows, { ...q, partner: 'South Africa', flow: 'M' }).value).toBe('-0.46');
  });

  it('every partner name resolves through the area aliases; groups stay their published codes', () => {
    const names = [...new Set(rows.map((r) => r.partner))];
    expect(names).toHaveLength(30);
    expect(names.filter((x) => !areaCodeIn('name', x))).toEqual([]);
    expect(areaCodeIn('name', 'R. O. Korea')).toBe('KOR');
    expect(areaCodeIn('name', 'Jointly build the countries along Belt and Road Routes')).toBe('BRI');
    expect(areaCodeIn('name', 'Latin America')).toBe('R_LATIN_AMERICA_CARIBBEAN');
  });

  it('Export & Import = Export + Import to ±1 in the last printed digit, on every row (checked here independently)', () => {
    const data = plainRows(file).filter((r) => r.length === 7 && /^-?[\d,]+\.\d$/.test(r[1]!));
    expect(data).toHaveLength(30);
    for (const r of data)
      expect(Math.abs(num(r[1]!) * 10 - (num(r[2]!) + num(r[3]!)) * 10), r[0]).toBeLessThanOrEqual(1.0001);
    expect(info.warnings.filter((w) => w.code === 'sum-mismatch')).toEqual([]);
  });

  it('members are at most their group (EU and ASEAN members, by hand from the page), and the note lists them', () => {
    const get = (p: string) => Number(one(rows, { partner: p, flow: 'X', measure: 'cumulative' }).value);
    for (const m of ['Germany', 'Netherlands', 'France', 'Italy'])
      expect(get(m)).toBeLessThanOrEqual(get('European Union'));
    for (const m of ['Vietnam', 'Malaysia', 'Thailand', 'Singapore', 'Indonesia', 'Philippines'])
      expect(get(m)).toBeLessThanOrEqual(get('ASEAN'));
    expect(info.warnings.filter((w) => w.severity !== 'info')).toEqual([]);
    expect(info.warnings.map((w) => w.message)).toContain(
      "EU: the page's note lists the 27 members data/groups/EU has at 2025-02-01",
    );
  });
});

describe('(5) and (6): GAC commodity lines', () => {
  it('April 2025, USD: no unit cells, so the unit comes from the classification, and the page says so', async () => {
    const { rows, problems, info } = await readAll(fx('release_section5_major_exports_apr2025_usd.html'));
    expect(problems).toEqual([]);
    expect(info.dataset).toBe('gacc-release-usd');
    const shoes = one(rows, { product: 'FOOTW', period: 'ytd:2025-04', measure: 'cumulative' });
    expect(shoes).toMatchObject({
      value: '13746.8',
      unit: 'USD*1e6',
      quantity: '29',
      quantityUnit: '10,000 Pairs',
      flow: 'X',
      classification: 'GACC-LINE',
    });
    expect(one(rows, { product: 'FOOTW', period: '2025-04', measure: 'value' }).value).toBe('3501.9');
    expect(one(rows, { product: 'LUGG', period: 'ytd:2025-04', measure: 'yoy' }).value).toBe('-0.127');
    expect(one(rows, { product: 'LUGG', period: 'ytd:2024-04', measure: 'cumulative' }).value).toBe('11403.9');
    expect(info.warnings.map((w) => w.code)).toContain('no-unit-cells');
  });

  it('January–February 2025, CNY: quantities with their printed units, starred aggregates are lines', async () => {
    const { rows, problems } = await readAll(fx('release_section5_major_exports_janfeb2025_cny.html'));
    expect(problems).toEqual([]);
    expect(one(rows, { product: 'PHONE', period: 'ytd:2025-02', measure: 'cumulative' })).toMatchObject({
      value: '1340.8',
      quantity: '10922.2',
      quantityUnit: '10,000 Sets',
    });
    expect(one(rows, { product: 'MEPRD', period: 'ytd:2025-02', measure: 'cumulative' }).value).toBe('23271');
    expect(one(rows, { product: 'VEH', period: 'ytd:2024-02', measure: 'cumulative' }).value).toBe('1118.7');
  });

  it('May 2019: 2019 spellings map to the same lines; the ambiguous date is 10 June', async () => {
    const { rows, problems, info } = await readAll(fx('release_section5_major_exports_may2019_cny.html'));
    expect(problems).toEqual([]);
    expect(info.vintage).toBe('2019-06-10');
    expect(info.warnings.map((w) => w.code)).toContain('ambiguous-date');
    expect(one(rows, { product: 'AQUA', period: 'ytd:2019-05', measure: 'cumulative' }).value).toBe('556.7');
    expect(one(rows, { product: 'IC', period: '2019-05', measure: 'value' })).toMatchObject({
      value: '509.8',
      quantity: '167.3',
    });
    expect(one(rows, { product: 'MEPRD', period: 'ytd:2018-05', measure: 'cumulative' }).value).toBe('36116.9');
  });

  it('May 2026 imports: the prior-year header reading "2024" is 2025, with a warning', async () => {
    const { rows, problems, info } = await readAll(fx('release_section6_major_imports_may2026_cny.html'));
    expect(problems).toEqual([]);
    expect(one(rows, { product: 'SOYA', period: 'ytd:2025-05', measure: 'cumulative' }).value).toBe('1198.1');
    expect(one(rows, { product: 'SOYA', period: 'ytd:2026-05', measure: 'cumulative' }).value).toBe('1223.8');
    expect(one(rows, { product: 'IC', period: 'ytd:2026-05', measure: 'yoy' }).value).toBe('0.471');
    expect(rows.every((r) => r.flow === 'M')).toBe(true);
    expect(info.warnings.find((w) => w.code === 'prior-year-header')?.message).toMatch(/says 2024.*read as 2025/);
  });

  it('a line the classification does not know is a quarantined row naming it', async () => {
    const page = readFileSync(fx('release_section5_major_exports_janfeb2025_cny.html'), 'utf8').replace(
      'Toys',
      'Bicycles',
    );
    const { problems } = await readAll(tmp('bicycles.html', page));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'unknown-line',
      value: 'Bicycles',
      raw: expect.stringContaining('Bicycles'),
    });
    expect(problems[0]!.message).toMatch(/unknown commodity line: "Bicycles"/);
  });
});

describe('pages without a table to read: clear errors, never an empty load', () => {
  it('the January 2018 page: the table is an image, named', async () => {
    const e = await failure(fx('release_section4_by_country_jan2018_cny.html'));
    expect(e.message).toMatch(
      /release_section4_by_country_jan2018_cny\.html.*the table of this page is an image \(\\Excel\\4-RMB\.png\)/,
    );
  });
  it('the Chinese article page: the table is only in a viewer; the attachment is the data', async () => {
    const e = await failure(fx('cn_express_article_tjs_jul2026_s4_cny.html'));
    expect(e.message).toMatch(
      /only shown in an embedded viewer \(iframe \/wps\/weboffice\/.*ingest the release's \.xls attachment/,
    );
    expect(e.message).toContain('published 2026-08-07');
  });
  it.each(['index_2026_en.html', 'cn_express_index_tjs_aug2026.html'])(
    'an index page (%s) is a page of another kind',
    async (f) => {
      expect((await failure(fx(f))).message).toMatch(/not a release table page: it is an index of releases/);
    },
  );
});

describe('bad input names the file, the row and the cell', () => {
  const real = () => readFileSync(fx('release_section4_by_country_janfeb2025_cny.html'), 'utf8');

  it('a column it does not know', async () => {
    const f = tmp('column.html', real().replace('<span><b>1-to-2</b></span>', '<span><b>Share of total</b></span>'));
    const e = await failure(f);
    expect(e.message).toMatch(/column\.html:\d+: column 3: unknown column: "Export \/ Share of total"/);
    expect(e.problems[0]).toMatchObject({
      code: 'unknown-column',
      at: { field: 'column 3' },
      value: 'Export / Share of total',
    });
  });

  it('a garbled unit line', async () => {
    const f = tmp('unit.html', real().replace('Unit: CNY 100 Million', 'Unit: CNY 100 Milion'));
    const e = await failure(f);
    expect(e.message).toMatch(/unit\.html:\d+: unknown unit in the unit line: "Unit: CNY 100 Milion"/);
    expect(e.problems[0]).toMatchObject({ code: 'bad-unit-line', at: { field: 'unit line' } });
  });

  it('a unit line that contradicts the title', async () => {
    const e = await failure(tmp('usd.html', real().replace('Unit: CNY 100 Million', 'Unit: USD1 Million')));
    expect(e.message).toMatch(/says USD, but the title says the table is in CNY/);
  });

  it('a page of another kind (a table, but no release title)', async () => {
    const e = await failure(
      tmp(
        'other.html',
        '<html><head><title>Weather</title></head><body><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></body></html>',
      ),
    );
    expect(e.message).toMatch(/other\.html: not a GAC release table: its title "Weather"/);
  });

  it('a cell that is not a number is a quarantined row naming its column', async () => {
    const { problems } = await readAll(
      tmp('cell.html', real().replace('<span><b>5,431.3&nbsp;</b></span>', '<span><b>n/a</b></span>')),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'bad-number', value: 'n/a', at: { field: 'Export / 1-to-2' } });
    expect(problems[0]!.message).toMatch(/column 3 "Export \/ 1-to-2".*United States \(US\)/);
  });
});

describe('variants no shared page shows (DERIVED fixtures)', async () => {
  const page = await readAll(fx('release_section4_by_country_janfeb2025_cny.html'));
  const key = (r: StagedRow) =>
    `${areaCodeIn('name', r.partner)}|${r.flow}|${r.period}|${r.measure}|${r.value}|${r.unit}`;
  const pageKeys = page.rows.map(key).sort();

  it.each([
    'derived/derived_section4_by_country_janfeb2025_cny.xls',
    'derived/derived_section4_by_country_janfeb2025_cny_html.xls',
    'derived/derived_section4_by_country_janfeb2025_cny_zh.xls',
  ])('%s holds the same cells as the page', async (f) => {
    const r = await readAll(fx(f));
    expect(r.problems).toEqual([]);
    expect(r.rows.map(key).sort()).toEqual(pageKeys);
    expect(r.info.vintage).toBeUndefined();
    expect(r.info.warnings.map((w) => w.code)).toContain('no-publication-date');
    expect(r.info.warnings.filter((w) => w.severity === 'warning').map((w) => w.code)).toEqual(['no-publication-date']);
  });

  it('the BIFF attachment keeps its sheet and row numbers', async () => {
    const r = await readAll(fx('derived/derived_section4_by_country_janfeb2025_cny.xls'));
    expect(one(r.rows, { partner: 'Total', flow: 'X', measure: 'cumulative' })).toMatchObject({
      sheet: 'Sheet1',
      line: 5,
    });
  });

  it('the Chinese table: 其中 members and Chinese names', async () => {
    const r = await readAll(fx('derived/derived_section4_by_country_janfeb2025_cny_zh.xls'));
    expect(one(r.rows, { partner: '美国', flow: 'X', measure: 'cumulative' }).value).toBe('5431.3');
    expect(one(r.rows, { partner: '德国', flow: 'X', measure: 'cumulative' }).value).toBe('1193');
  });

  it('a second vintage: the same period with a later publication date', async () => {
    const r = await readAll(fx('derived/derived_section4_by_country_janfeb2025_cny_revised.html'));
    expect(r.info.vintage).toBe('2025-03-20');
    expect(one(r.rows, { partner: 'United States (US)', flow: 'X', measure: 'cumulative' }).value).toBe('5432.5');
  });

  it('(1) totals: the Total row of (4) as table (1)', async () => {
    const r = await readAll(fx('derived/derived_section1_totals_janfeb2025_cny.html'));
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => `${x.flow}|${x.period}|${x.measure}|${x.value}`).sort()).toEqual(
      [
        'M|ytd:2025-02|cumulative|26551.5',
        'M|ytd:2025-02|yoy|-0.073',
        'X|ytd:2025-02|cumulative|38812.1',
        'X|ytd:2025-02|yoy|0.034',
      ].sort(),
    );
    expect(r.info.warnings.filter((w) => w.severity !== 'info')).toEqual([]);
  });

  it.each([2, 3])('(%i) by trade mode: modes as trade-mode ids, the Total row without one', async (section) => {
    const r = await readAll(fx(`derived/derived_section${section}_trade_mode_janfeb2025_cny.html`));
    expect(r.problems).toEqual([]);
    const modes = new Set(r.rows.map((x) => x.tradeMode));
    expect(modes).toEqual(
      new Set(['', 'general', 'processing', 'processing-assembly', 'processing-imported', 'bonded-logistics', 'other']),
    );
    expect(one(r.rows, { tradeMode: '', flow: 'X', measure: 'cumulative' }).value).toBe('38812.1');
    expect(one(r.rows, { tradeMode: 'processing-imported', flow: 'M', measure: 'cumulative' }).value).toBe('3200');
  });
});

describe('folders', () => {
  it('a folder lists its release files in name order', () => {
    const files = listReleaseFiles(FIXTURES).map((f) => f.slice(FIXTURES.length));
    expect(files[0]).toBe('cn_express_article_tjs_jul2026_s4_cny.html');
    expect(files).toHaveLength(9);
    expect(files).not.toContain('derive.mjs');
    expect(listReleaseFiles(join(FIXTURES, 'derived'))).toHaveLength(7);
  });
});
