import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../util/errors.js';
import type { ReaderItem, RowProblem, StagedRow } from '../staged-row.js';
import {
  loadGaccMapping,
  numberToDecimalText,
  openGaccReader,
  parseGaccPeriod,
  parseNumberText,
  windowLabel,
  ytdLabel,
} from './gacc-reader.js';

// The workbook is bundled under data/; its long-form CSV copy is a test fixture.
const sample = (ext: string) =>
  fileURLToPath(
    new URL(
      `../../../${ext === 'xlsx' ? 'data' : 'test/fixtures'}/gacc/gacc_region_monthly_2024_2025.${ext}`,
      import.meta.url,
    ),
  );
const MAPPING = 'gacc-region-monthly';

const dir = mkdtempSync(join(tmpdir(), 'gacc-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmp(name: string, content: string | Buffer): string {
  const f = join(dir, `${fileNo++}-${name}`);
  writeFileSync(f, content);
  return f;
}

async function readAll(file: string, mapping = MAPPING) {
  const reader = await openGaccReader(file, { mapping });
  const items: ReaderItem[] = [];
  for await (const it of reader.read()) items.push(it);
  const rows = items.flatMap((i) => (i.kind === 'row' ? [i.row] : []));
  const problems = items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
  const blanks = items.flatMap((i) => (i.kind === 'blank' ? [i.line] : []));
  return { reader, items, rows, problems, blanks, info: reader.info };
}

const find = (rows: StagedRow[], q: Partial<StagedRow>) =>
  rows.filter((r) => Object.entries(q).every(([k, v]) => r[k as keyof StagedRow] === v));

/** A cell's identity and content, without where it was found. */
/** Source column names (StagedRow.fieldNames). */
const fieldNames = (r: StagedRow) => (r as { fieldNames?: Record<string, string> }).fieldNames;

const cellKey = (r: StagedRow) =>
  [r.region, r.flow, r.period, r.measure, r.value, r.unit, r.reporter, r.partner, r.tradeMode, r.note ?? ''].join('|');

describe.each(['xlsx', 'csv'])('the bundled sample (%s)', (ext) => {
  const result = readAll(sample(ext));

  it('reads national exports (the column headed 进口) as published', async () => {
    const { rows } = await result;
    const nx = (q: Partial<StagedRow>) => find(rows, { region: '', flow: 'X', ...q });
    const ytd2024 = nx({ period: 'ytd:2024-12', measure: 'cumulative' });
    expect(ytd2024).toHaveLength(1);
    expect(ytd2024[0]!.value).toBe('2545453724');
    expect(ytd2024[0]!.unit).toBe('CNY*1e4');
    expect(nx({ period: 'ytd:2025-06', measure: 'cumulative' })[0]!.value).toBe('1300038881');
    const months = nx({ measure: 'value' }).filter((r) => r.period.startsWith('2024-'));
    expect(months).toHaveLength(12);
    expect(months.reduce((s, r) => s + BigInt(r.value), 0n)).toBe(2547616893n);
    // imports = the column headed 出口
    expect(find(rows, { region: '', flow: 'M', period: 'ytd:2024-12', measure: 'cumulative' })[0]!.value).toBe(
      '1839225534',
    );
  });

  it('reads the YTD growth rate as the ratio in the file, with its note', async () => {
    const { rows } = await result;
    const yoy = find(rows, { region: '', flow: 'X', period: 'ytd:2025-06', measure: 'yoy' });
    expect(yoy).toHaveLength(1);
    expect(yoy[0]!.value).toBe('0.07176960856470926');
    expect(Number(yoy[0]!.value)).toBeCloseTo(0.0718, 4);
    expect(yoy[0]!.unit).toBe('ratio');
    expect(yoy[0]!.note).toMatch(/ratio of the file's own levels/);
    const month = find(rows, { region: '', flow: 'X', period: '2025-01', measure: 'yoy' });
    expect(month[0]!.value).toBe('0.06826823038987784');
    // YoY only in 2025
    expect(find(rows, { measure: 'yoy' }).every((r) => r.period.includes('2025'))).toBe(true);
  });

  it('stages every cell with the fixed fields, and no total', async () => {
    const { rows, problems, info } = await result;
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(234 * 4 + 13 * 6 * 4);
    for (const r of rows) {
      expect(r).toMatchObject({
        reporter: 'CHN',
        reporterScheme: 'canonical',
        partner: 'WLD',
        partnerScheme: 'canonical',
        classification: 'TOTAL',
        product: 'TOTAL',
        tradeMode: '',
        flag: 'reported',
        seasonallyAdjusted: false,
      });
      expect(['X', 'M']).toContain(r.flow);
      expect(r.value).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(new Set(rows.map((r) => r.region))).toEqual(
      new Set([
        '',
        '北京市',
        '上海市',
        '深圳市',
        '南京市',
        '合肥市',
        '浙江省',
        '杭州市',
        '宁波市',
        '温州市',
        '湖州市',
        '金华市',
        '台州市',
      ]),
    );
    expect(info.rowsRead).toBe(234);
    expect(info.dataset).toBe('gacc-region-monthly');
    expect(info.warnings.filter((w) => w.code === 'total-ignored')).toHaveLength(1);
    expect(info.warnings[0]!.message).toBe('total column ignored: derived from X and M');
    expect(info.warnings.filter((w) => w.code !== 'total-ignored')).toEqual([]);
  });

  it('gives source lines and sheets', async () => {
    const { rows, items } = await result;
    const first = find(rows, { region: '', flow: 'X', period: '2024-01', measure: 'value' })[0]!;
    expect(first.line).toBe(2);
    expect(fieldNames(first)?.value).toBe('进口_当月');
    if (ext === 'xlsx') {
      expect(first.sheet).toBe('全国');
      expect(find(rows, { region: '台州市', period: '2025-06', flow: 'X', measure: 'value' })[0]!.line).toBe(19);
    } else {
      expect(first.sheet).toBeUndefined();
      expect(find(rows, { region: '台州市', period: '2025-06', flow: 'X', measure: 'value' })[0]!.line).toBe(235);
    }
    expect(items.at(-1)).toMatchObject({ kind: 'progress' });
  });
});

describe('xlsx and csv', () => {
  it('give identical cell sets', async () => {
    const a = (await readAll(sample('xlsx'))).rows.map(cellKey).sort();
    const b = (await readAll(sample('csv'))).rows.map(cellKey).sort();
    expect(a).toHaveLength(1248);
    expect(a).toEqual(b);
  });
});

const HEADER =
  'region,时间,进出口_当月,进出口_当月同比,进出口_年初至今,进出口_年初至今同比,进口_当月,进口_当月同比,进口_年初至今,进口_年初至今同比,出口_当月,出口_当月同比,出口_年初至今,出口_年初至今同比';

describe('mapping', () => {
  it('is required, and the error shows the mapping to write', async () => {
    const err = await openGaccReader(sample('csv'), {}).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/flow labels .* must be mapped/);
    expect(err.message).toMatch(/swap/);
    expect(err.message).toContain('进口: M');
    expect(err.message).toContain('gacc-region-monthly.yaml');
    expect(err.problems[0].code).toBe('mapping-required');
  });

  it('is validated, with errors naming the file and the key', () => {
    const bad = tmp('bad.yaml', 'flows:\n  进口: exports\nunit: 万元\n');
    expect(() => loadGaccMapping(bad)).toThrow(UserError);
    try {
      loadGaccMapping(bad);
    } catch (e) {
      expect((e as Error).message).toContain(bad);
      expect((e as Error).message).toContain('flows.进口');
    }
    const typo = tmp('typo.yaml', 'flows: {出口: X}\nunits: 万元\n');
    expect(() => loadGaccMapping(typo)).toThrow(/units/);
    const noFlow = tmp('noflow.yaml', 'flows: {进出口: total}\n');
    expect(() => loadGaccMapping(noFlow)).toThrow(/at least one label/);
    const badUnit = tmp('badunit.yaml', 'flows: {出口: X}\nunit: 万万元\n');
    expect(() => loadGaccMapping(badUnit)).toThrow(/key unit: unknown money unit/);
    const json = tmp('m.json', JSON.stringify({ flows: { Exports: 'X' } }));
    expect(loadGaccMapping(json).flows).toEqual({ Exports: 'X' });
    expect(() => loadGaccMapping(join(dir, 'nope.yaml'))).toThrow(/mapping file not found/);
  });

  it('finds bundled mappings by name', () => {
    const m = loadGaccMapping('gacc-region-monthly');
    expect(m.flows).toMatchObject({ 进口: 'X', 出口: 'M', 进出口: 'total' });
    expect(m.unit).toBe('万元');
  });
});

describe('problems', () => {
  it('turns a cell that is not a number into a bad-number problem with line and field', async () => {
    const csv = [
      HEADER,
      '全国,2024-01,1,,1,,2,,2,,3,,3,',
      '',
      '浙江省,2024-02,1,,1,,-,,…,,3,,3,',
      '浙江省,2024-03,1,,1,,1,2,x,,,,,,',
      '浙江省,2024-3x,1,,1,,1,,1,,1,,1,',
      '浙江省,2024-04,1,,1',
    ].join('\n');
    const { rows, problems, blanks, info } = await readAll(tmp('bad.csv', csv));
    expect(blanks).toEqual([3]);
    expect(info.rowsRead).toBe(5);
    const byField = (p: RowProblem) => `${p.code}@${p.at.line}:${p.at.field ?? ''}=${p.value ?? ''}`;
    expect(problems.map(byField)).toEqual([
      'bad-number@4:进口_当月=-',
      'bad-number@4:进口_年初至今=…',
      'bad-number@5:进口_年初至今=x',
      'bad-period@6:时间=2024-3x',
      'wrong-column-count@7:=',
    ]);
    expect(problems[0]!.raw).toBe('浙江省,2024-02,1,,1,,-,,…,,3,,3,');
    expect(problems[0]!.at.file).toContain('bad.csv');
    // the good cells of those rows are still staged
    expect(find(rows, { region: '浙江省', period: '2024-02', flow: 'M', measure: 'value' })[0]!.value).toBe('3');
    expect(find(rows, { region: '浙江省', period: '2024-03', flow: 'X', measure: 'yoy' })[0]!.value).toBe('2');
  });

  it('skips cells listed as no data', async () => {
    const m = tmp(
      'nodata.yaml',
      'unit: 万元\nflows: {进口: X, 出口: M, 进出口: total}\ncolumns: {region: region}\nnoData: ["-", "…"]\n',
    );
    const csv = [HEADER, '浙江省,2024-02,1,,1,,-,,…,,3,,3,'].join('\n');
    const { rows, problems } = await readAll(tmp('nodata.csv', csv), m);
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.flow} ${r.measure}`).sort()).toEqual(['M cumulative', 'M value']);
  });

  it('refuses a stated unit that differs from the mapping', async () => {
    const csv = ['单位：亿元', HEADER, '全国,2024-01,1,,1,,2,,2,,3,,3,'].join('\n');
    const err = await readAll(tmp('unit.csv', csv)).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/单位：亿元.*CNY\*1e8.*万元/);
  });
});

describe('real-world layouts', () => {
  it('reads Jan+Feb published together, a stated unit and percent rates from a CSV', async () => {
    const m = tmp('pct.yaml', 'flows: {出口: X, 进口: M}\nyoy: {scale: percent}\nnational: [全国, 合计]\n');
    const csv = [
      '"2025年1-6月 进出口商品总值表",,',
      '"单位：亿元",,',
      '时间,出口_当月,出口_当月同比,出口_年初至今,出口_年初至今同比,进口_当月',
      '2025年1-2月,"5,393.5",2.3,5393.5,2.3%,3000',
      '3月,3000.25,12.4,8393.75,5.9,',
      '2025-04,1,-0.5,2,1e-1,',
    ].join('\r\n');
    const { rows, problems } = await readAll(tmp('pct.csv', csv), m);
    expect(problems).toEqual([]);
    const s = rows.map((r) => `${r.flow} ${r.period} ${r.measure} ${r.value} ${r.unit} ${r.line} ${r.region}`);
    expect(s).toEqual([
      'X 2025-01+02 value 5393.5 CNY*1e8 4 ',
      'X 2025-01+02 yoy 0.023 ratio 4 ',
      'X ytd:2025-02 cumulative 5393.5 CNY*1e8 4 ',
      'X ytd:2025-02 yoy 0.023 ratio 4 ',
      'M 2025-01+02 value 3000 CNY*1e8 4 ',
      'X 2025-03 value 3000.25 CNY*1e8 5 ',
      'X 2025-03 yoy 0.124 ratio 5 ',
      'X ytd:2025-03 cumulative 8393.75 CNY*1e8 5 ',
      'X ytd:2025-03 yoy 0.059 ratio 5 ',
      'X 2025-04 value 1 CNY*1e8 6 ',
      'X 2025-04 yoy -0.005 ratio 6 ',
      'X ytd:2025-04 cumulative 2 CNY*1e8 6 ',
      'X ytd:2025-04 yoy 0.001 ratio 6 ',
    ]);
  });

  it('reads a workbook with a two-row merged header, English labels, dates and a partner column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Table 1');
    ws.addRow(["China's exports and imports by partner"]);
    ws.addRow(['Unit: USD thousand']);
    ws.addRow(['Month', 'Partner', 'Exports', '', '', 'Imports', '', '']);
    ws.addRow(['', '', 'Month', 'YoY (%)', 'YTD', 'Month', 'YoY (%)', 'YTD']);
    ws.mergeCells('C3:E3');
    ws.mergeCells('F3:H3');
    ws.addRow([new Date(Date.UTC(2025, 2, 1)), 'United States', 1234567, 5.5, 9876543, 222, 'n/a', 333]);
    ws.addRow([]);
    ws.addRow(['2025-04', 'Japan', 10, 0.25, 20, 30, -1.5, 40]);
    const notes = wb.addWorksheet('Notes');
    notes.addRow(['These data are preliminary.']);
    const file = join(dir, 'english.xlsx');
    await wb.xlsx.writeFile(file);
    const m = tmp(
      'english.yaml',
      [
        'dataset: gacc-partner',
        'columns: {period: Month}',
        'partner: {column: Partner, scheme: name}',
        'flows: {Exports: X, Imports: M}',
        'measures: {Month: value, YoY: yoy, YTD: cumulative}',
      ].join('\n'),
    );
    const { rows, problems, info } = await readAll(file, m);
    expect(info.dataset).toBe('gacc-partner');
    const s = rows.map(
      (r) =>
        `${r.sheet}:${r.line} ${r.partner}/${r.partnerScheme} ${r.flow} ${r.period} ${r.measure} ${r.value} ${r.unit}`,
    );
    expect(s).toEqual([
      'Table 1:5 United States/name X 2025-03 value 1234567 USD*1e3',
      'Table 1:5 United States/name X 2025-03 yoy 0.055 ratio',
      'Table 1:5 United States/name X ytd:2025-03 cumulative 9876543 USD*1e3',
      'Table 1:5 United States/name M 2025-03 value 222 USD*1e3',
      'Table 1:5 United States/name M ytd:2025-03 cumulative 333 USD*1e3',
      'Table 1:7 Japan/name X 2025-04 value 10 USD*1e3',
      'Table 1:7 Japan/name X 2025-04 yoy 0.0025 ratio',
      'Table 1:7 Japan/name X ytd:2025-04 cumulative 20 USD*1e3',
      'Table 1:7 Japan/name M 2025-04 value 30 USD*1e3',
      'Table 1:7 Japan/name M 2025-04 yoy -0.015 ratio',
      'Table 1:7 Japan/name M ytd:2025-04 cumulative 40 USD*1e3',
    ]);
    expect(rows[0]!.region).toBe('Table 1'); // no region column: the sheet name
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'bad-number',
      value: 'n/a',
      at: { line: 5, sheet: 'Table 1', field: 'Imports_YoY (%)' },
    });
    expect(info.warnings.map((w) => w.code)).toContain('no-header');
  });

  it('reads flow labels in the row above the period header (merged), and English unit words', async () => {
    const m = tmp('above.yaml', 'flows: {出口: X, 进口: M, 进出口: total}\n');
    const csv = ['Unit: CNY million', ',进出口,出口,,进口', '时间,当月,当月,年初至今,当月', '2024-01,9,1,2,3'].join(
      '\n',
    );
    const { rows, problems, info } = await readAll(tmp('above.csv', csv), m);
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.flow} ${r.period} ${r.value} ${r.unit} ${fieldNames(r)?.value}`)).toEqual([
      'X 2024-01 1 CNY*1e6 出口_当月',
      'X ytd:2024-01 2 CNY*1e6 出口_年初至今',
      'M 2024-01 3 CNY*1e6 进口_当月',
    ]);
    expect(info.warnings.map((w) => w.code)).toEqual(['total-ignored']);
  });

  it('reads a GB18030 CSV', async () => {
    const csv = [HEADER, '全国,2024-01,1,,1,,2,,2,,3,,3,', '杭州市,2024-01,1,,1,,2,,2,,3,,3,'].join('\n');
    const { rows, info } = await readAll(tmp('gbk.csv', iconv.encode(csv, 'gb18030')));
    expect(info.encoding).toBe('gb18030');
    expect(new Set(rows.map((r) => r.region))).toEqual(new Set(['', '杭州市']));
  });

  it('refuses a file without a unit when the mapping has none', async () => {
    const m = tmp('nounit.yaml', 'flows: {出口: X}\n');
    const err = await readAll(tmp('nounit.csv', '时间,出口_当月\n2024-01,5\n'), m).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/money unit is unknown/);
  });
});

describe('parseGaccPeriod', () => {
  const label = (t: string | number | Date, y?: number) => {
    const p = parseGaccPeriod(t, y);
    return p ? `${windowLabel(p)} ${ytdLabel(p)}` : undefined;
  };

  it('reads the labels GAC tables use', () => {
    expect(label('2025-06')).toBe('2025-06 ytd:2025-06');
    expect(label('2025/6')).toBe('2025-06 ytd:2025-06');
    expect(label('202506')).toBe('2025-06 ytd:2025-06');
    expect(label(202506)).toBe('2025-06 ytd:2025-06');
    expect(label('2025年6月')).toBe('2025-06 ytd:2025-06');
    expect(label('6月', 2025)).toBe('2025-06 ytd:2025-06');
    expect(label('Jun 2025')).toBe('2025-06 ytd:2025-06');
    expect(label('2025-06-30')).toBe('2025-06 ytd:2025-06');
    expect(label(new Date(Date.UTC(2025, 5, 15)))).toBe('2025-06 ytd:2025-06');
    for (const t of ['2025-01+02', '2025-01/02', '2025-1+2', '2025年1-2月', '2025年1月-2月', 'Jan-Feb 2025']) {
      expect(label(t), t).toBe('2025-01+02 ytd:2025-02');
    }
    expect(label('1-2月', 2025)).toBe('2025-01+02 ytd:2025-02');
    expect(label('2024')).toBe('2024 ytd:2024-12');
    expect(label('2024年')).toBe('2024 ytd:2024-12');
  });

  it('refuses what it cannot read for sure', () => {
    for (const t of ['', '2025-13', '2025-01-02', '1-2月', '6月', '2025-Q1', '合计', '2025-00', '1899-01']) {
      expect(label(t), t).toBeUndefined();
    }
  });

  it('reads every month in every written form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const mm = String(m).padStart(2, '0');
        const want = `${y}-${mm} ytd:${y}-${mm}`;
        for (const t of [
          `${y}-${mm}`,
          `${y}-${m}`,
          `${y}/${m}`,
          `${y}.${mm}`,
          `${y}${mm}`,
          `${y}年${m}月`,
          ` ${y} 年 ${mm} 月 `,
        ]) {
          if (label(t) !== want) return false;
        }
        return label(`${y}年1-2月`) === `${y}-01+02 ytd:${y}-02` && label(`${y}-01+02`) === `${y}-01+02 ytd:${y}-02`;
      }),
    );
  });

  it('never throws, and what it reads is a valid period (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parseGaccPeriod(s);
        return p === undefined || (p.year >= 1900 && p.year <= 2199 && p.month >= 1 && p.month <= 12);
      }),
    );
  });
});

describe('numbers', () => {
  it('converts workbook numbers without float round-trips', () => {
    expect(numberToDecimalText(2545453724)).toBe('2545453724');
    expect(numberToDecimalText(0.07176960856470926)).toBe('0.07176960856470926');
    expect(numberToDecimalText(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimalText(1.5e-7)).toBe('0.00000015');
    expect(numberToDecimalText(-0)).toBe('0');
    expect(numberToDecimalText(Number.NaN)).toBeUndefined();
  });

  it('reads numbers written as text', () => {
    expect(parseNumberText('1,234,567.50')).toEqual({ value: '1234567.5', percent: false });
    expect(parseNumberText(' -7.18% ')).toEqual({ value: '-7.18', percent: true });
    expect(parseNumberText('1.2E+3')).toEqual({ value: '1200', percent: false });
    expect(parseNumberText('１２３')).toEqual({ value: '123', percent: false });
    for (const t of ['-', '…', '1,23', 'abc', '1.2.3', '']) expect(parseNumberText(t), t).toBeUndefined();
  });
});
