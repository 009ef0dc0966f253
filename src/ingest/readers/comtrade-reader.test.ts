import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectEncoding, readLines } from '../encoding.js';
import type { ReaderItem, RowProblem, StagedRow } from '../staged-row.js';
import { openComtradeReader, parseJsonKeepNumbers } from './comtrade-reader.js';

const FILE = fileURLToPath(
  new URL('../../../data/comtrade/TradeData_2022_CHN_DEU_USA_by_partner.csv', import.meta.url),
);

async function collect(items: AsyncIterable<ReaderItem>) {
  const rows: StagedRow[] = [];
  const problems: RowProblem[] = [];
  const blanks: number[] = [];
  for await (const it of items) {
    if (it.kind === 'row') rows.push(it.row);
    else if (it.kind === 'problem') problems.push(it.problem);
    else if (it.kind === 'blank') blanks.push(it.line);
  }
  return { rows, problems, blanks };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'tradescope-comtrade-'));

describe('comtrade reader on the real 2022 file', () => {
  it('reads every row, latin-1', async () => {
    expect((await detectEncoding(FILE)).encoding).toBe('latin-1');
    const r = await openComtradeReader(FILE);
    const { rows, problems, blanks } = await collect(r.read());
    expect(problems).toEqual([]);
    expect(blanks).toEqual([]);
    expect(rows).toHaveLength(1352);
    expect(r.info.rowsRead).toBe(1352);
    expect(r.info.encoding).toBe('latin-1');
    expect(r.info.dataset).toBe('comtrade');

    const world = rows.filter((x) => x.reporter === '156' && x.partner === '0' && x.period === '2022');
    expect(world.find((x) => x.flow === 'X')?.value).toBe('3593601435602');
    expect(world.find((x) => x.flow === 'M')?.value).toBe('2715997517261');
    const m = world.find((x) => x.flow === 'M')!;
    expect(m).toMatchObject({
      line: 2,
      reporterScheme: 'comtrade',
      partnerScheme: 'comtrade',
      classification: 'H6',
      product: 'TOTAL',
      measure: 'value',
      unit: 'USD',
      flag: 'reported',
      netWeight: '', // Comtrade's 0 for "not available"
      quantity: '', // qtyUnitCode -1 / N/A
      tradeMode: '',
      seasonallyAdjusted: false,
    });
    expect(m.fieldNames?.value).toBe('primaryValue');
    const usa = rows.find((x) => x.reporter === '156' && x.flow === 'X' && x.partner === '842');
    expect(usa).toBeDefined();
    expect(rows.every((x) => /^\d+(\.\d+)?$/.test(x.value))).toBe(true);
    expect(rows.some((x) => x.value === '1588852981506.719')).toBe(true);
    expect(rows.some((x) => x.reporter === '842')).toBe(true);
    expect(r.info.warnings.map((w) => w.code)).toContain('comtrade-zero-weight');
  });
});

/** The file's lines as text (latin-1), without line ends. */
function realLines(): string[] {
  return readFileSync(FILE).toString('latin1').split('\r\n');
}

describe('comtrade reader on a faulty UTF-8 copy', () => {
  it('reports exactly the bad lines and keeps every good row', async () => {
    const all = realLines();
    const header = all[0]!;
    const withAccent = all.find((l) => l.includes("Côte d'Ivoire"))!;
    const data = all.slice(1, 12);
    data.splice(2, 0, withAccent);
    // more non-ASCII names, so that the copy reads as UTF-8 with one corrupt line
    data[9] = all.find((l) => l.includes('Curaçao'))!;
    data[10] = all.find((l) => l.includes('Türkiye'))!;
    // data: 12 rows. Layout of the written file (line numbers):
    const lines: string[] = [header, ...data.slice(0, 6)]; // lines 1..7
    // line 3: wrong column count (two fields cut off)
    lines[2] = lines[2]!.split(',').slice(0, -3).join(',');
    // line 5: primaryValue not a number
    const cols = header.split(',');
    const pv = cols.indexOf('primaryValue');
    const f5 = lines[4]!.split(',');
    f5[pv] = '"n/a"';
    lines[4] = f5.join(',');
    lines.push(''); // line 8: blank
    lines.push(data[6]!); // line 9: good
    lines.push('@@INVALID@@'); // line 10: invalid bytes (patched below)
    lines.push(...data.slice(7, 11)); // lines 11..14: good
    const last = data[11]!;
    const truncated = last.split(',').slice(0, 20).join(','); // line 15: truncated, no final newline
    let text = `${lines.join('\r\n')}\r\n${truncated}`;
    const invalidRow = data[8]!.replace('"China"', '"Ch@X@ina"');
    text = text.replace('@@INVALID@@', invalidRow);
    const buf = Buffer.from(text, 'utf8');
    const at = buf.indexOf('@X@');
    expect(at).toBeGreaterThan(0);
    const bytes = Buffer.concat([buf.subarray(0, at), Buffer.from([0xff, 0xfe]), buf.subarray(at + 3)]);
    const dir = tmp();
    const file = join(dir, 'faulty.csv');
    writeFileSync(file, bytes);

    expect((await detectEncoding(file)).encoding).toBe('utf-8');
    const r = await openComtradeReader(file);
    const { rows, problems, blanks } = await collect(r.read());
    expect(r.info.encoding).toBe('utf-8');
    expect(blanks).toEqual([8]);
    expect(problems.map((p) => [p.at.line, p.code, p.at.field])).toEqual([
      [3, 'wrong-column-count', undefined],
      [5, 'bad-number', 'primaryValue'],
      [10, 'bad-encoding', undefined],
      [15, 'wrong-column-count', undefined],
    ]);
    expect(problems.every((p) => p.at.file === file && p.severity === 'error')).toBe(true);
    expect(problems[1]!.value).toBe('n/a');
    expect(problems[2]!.raw).toContain('"Ch\\xFF\\xFEina"');
    expect(problems[3]!.raw).toBe(truncated);
    expect(rows.map((x) => x.line)).toEqual([2, 4, 6, 7, 9, 11, 12, 13, 14]);
    // the accented partner line (line 4) decoded from UTF-8
    expect(rows.find((x) => x.line === 4)?.partner).toBe('384');
    expect(rows.find((x) => x.line === 13)?.partner).toBe('531');
    expect(r.info.rowsRead).toBe(13);
  });

  it('accounts for every line of the real file read as lines', async () => {
    let n = 0;
    for await (const l of readLines(FILE)) {
      n++;
      expect(l.line).toBe(n);
      expect(l.text.endsWith('\r')).toBe(false);
    }
    expect(n).toBe(1353);
  });
});

describe('comtrade reader, breakdown records and flows', () => {
  it('reports partner2 / mot / customs / sub-flow records as info problems', async () => {
    const all = realLines();
    const header = all[0]!;
    const cols = header.split(',');
    const set = (line: string, col: string, v: string) => {
      const f = line.split(',');
      f[cols.indexOf(col)] = `"${v}"`;
      return f.join(',');
    };
    const base = all[1]!;
    const text = [
      header,
      base,
      set(base, 'partner2Code', '251'),
      set(base, 'motCode', '1000'),
      set(base, 'customsCode', 'C01'),
      set(base, 'flowCode', 'DX'),
      set(set(base, 'freqCode', 'M'), 'refMonth', '6'),
    ].join('\r\n');
    const file = join(tmp(), 'breakdown.csv');
    writeFileSync(file, Buffer.from(`${text}\r\n`, 'latin1'));
    const r = await openComtradeReader(file);
    const { rows, problems } = await collect(r.read());
    expect(rows.map((x) => [x.line, x.period])).toEqual([
      [2, '2022'],
      [7, '2022-06'],
    ]);
    expect(problems.map((p) => [p.at.line, p.code, p.severity])).toEqual([
      [3, 'comtrade-breakdown', 'info'],
      [4, 'comtrade-breakdown', 'info'],
      [5, 'comtrade-breakdown', 'info'],
      [6, 'comtrade-breakdown', 'info'],
    ]);
    expect(problems[0]!.message).toContain('partner2Code 251');
    expect(problems[3]!.message).toContain('flowCode DX');
    expect(r.info.warnings.find((w) => w.code === 'comtrade-breakdown')?.message).toMatch(/^4 records/);
  });
});

describe('comtrade reader, JSON', () => {
  function records(n: number): Record<string, string>[] {
    const all = realLines();
    const cols = all[0]!.split(',');
    return all.slice(1, 1 + n).map((l) => {
      const f = l.split(',').map((x) => x.replace(/^"|"$/g, ''));
      return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? '']));
    });
  }

  it('reads {"data": [...]} with numbers in exponent notation, exactly', async () => {
    const recs = records(4);
    // Write JSON by hand so that numbers appear as the API may write them.
    const body = recs
      .map((r, i) => {
        const pv = i === 0 ? '2.715997517261E12' : r.primaryValue;
        return `{"freqCode":"${r.freqCode}","refYear":${r.refYear},"refMonth":${r.refMonth},"period":"${r.period}","reporterCode":${r.reporterCode},"flowCode":"${r.flowCode}","partnerCode":${r.partnerCode},"partner2Code":0,"classificationCode":"${r.classificationCode}","cmdCode":"${r.cmdCode}","customsCode":"C00","motCode":0,"qtyUnitCode":-1,"qtyUnitAbbr":"N/A","qty":0,"netWgt":${i === 1 ? '1.5e3' : 0},"isNetWgtEstimated":true,"primaryValue":${pv || 'null'},"partnerDesc":"Caf\\u00e9 \\"x\\""}`;
      })
      .join(',\n');
    const file = join(tmp(), 'data.json');
    writeFileSync(file, `{"elapsedTime":"0.1 secs","count":${recs.length},"data":[\n${body}\n],"error":""}`);
    const r = await openComtradeReader(file);
    const { rows, problems } = await collect(r.read());
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      line: 1,
      reporter: '156',
      partner: '0',
      flow: 'M',
      value: '2715997517261',
    });
    expect(rows[1]).toMatchObject({ line: 2, partner: '4', netWeight: '1500', weightUnit: 'kg' });
    expect(rows[1]!.note).toBe('net weight estimated by UNSD');
    expect(rows.map((x) => x.period)).toEqual(['2022', '2022', '2022', '2022']);
    expect(r.info.rowsRead).toBe(4);
  });

  it('reads a bare array and reports a non-numeric value with the record index', async () => {
    const recs = records(3);
    recs[1]!.primaryValue = 'twelve';
    const file = join(tmp(), 'bare.json');
    writeFileSync(file, JSON.stringify(recs));
    const r = await openComtradeReader(file);
    const { rows, problems } = await collect(r.read());
    expect(rows.map((x) => x.line)).toEqual([1, 3]);
    expect(problems.map((p) => [p.at.line, p.code, p.at.field])).toEqual([[2, 'bad-number', 'primaryValue']]);
    expect(problems[0]!.raw).toContain('"twelve"');
  });

  it('keeps number text when parsing JSON', () => {
    const v = parseJsonKeepNumbers('{"a":[1.10,-2E-3,"x\\n"],"b":null}');
    expect(JSON.stringify(v.v, (_k, x) => (x && typeof x === 'object' && 'text' in x ? x.text : x))).toContain(
      '"1.10"',
    );
  });
});
