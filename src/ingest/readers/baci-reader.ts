/**
 * CEPII BACI (`t,i,j,k,v,q`): landed by DuckDB's parallel CSV reader straight into the staging file.
 *
 * v is thousand USD, q tonnes; numbers may be quoted and space-padded; `NA` is missing. Rows DuckDB cannot
 * read (wrong column count, a non-number, bytes invalid in UTF-8) are recorded with their line numbers from
 * DuckDB's rejects table. Good rows keep file order, so a row's line is its rank plus the header plus the
 * blank or rejected lines before it (kept as `line_segments` for an ASOF join).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { basename } from 'node:path';
import { sqlString } from '../../store/duckdb/duckdb-connection.js';
import { type ProblemCode, UserError } from '../../util/errors.js';
import { escapeInvalidUtf8 } from '../encoding.js';
import type { Staging } from '../staging.js';

/** HS edition of a BACI release name (HS92 … HS22) as a Comtrade classification code. */
const HS_EDITIONS: Record<string, string> = {
  HS92: 'H0',
  HS96: 'H1',
  HS02: 'H2',
  HS07: 'H3',
  HS12: 'H4',
  HS17: 'H5',
  HS22: 'H6',
};

export interface BaciFileInfo {
  dataset: string;
  classification: string;
  vintage?: string;
  vintageSource?: string;
}

/** What the file name says: `BACI_HS92_Y2021_V202301.csv` → dataset baci-hs92, H0, vintage 2023-01-01. */
export function baciFileInfo(file: string): BaciFileInfo {
  const name = basename(file).toUpperCase();
  const ed = /HS(92|96|02|07|12|17|22)/.exec(name)?.[0];
  const v = /_V(\d{4})(\d{2})/.exec(name);
  return {
    dataset: ed ? `baci-${ed.toLowerCase()}` : 'baci',
    classification: ed ? HS_EDITIONS[ed]! : 'H0',
    ...(v ? { vintage: `${v[1]}-${v[2]}-01`, vintageSource: `source: release V${v[1]}${v[2]} in the file name` } : {}),
  };
}

async function readHeader(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('latin1');
    return text.split(/\r?\n/)[0] ?? '';
  } finally {
    await fh.close();
  }
}

/** `NA` as BACI writes it: bare, or quoted and left-padded to the column width. */
const NA_VARIANTS = Array.from({ length: 24 }, (_, i) => `'${' '.repeat(i)}NA'`).join(', ');

const REJECT_CODES: Record<string, ProblemCode> = {
  CAST: 'bad-number',
  'MISSING COLUMNS': 'wrong-column-count',
  'TOO MANY COLUMNS': 'wrong-column-count',
  'INVALID ENCODING': 'bad-encoding',
  'INVALID UNICODE': 'bad-encoding',
  'UNQUOTED VALUE': 'bad-quoting',
  'LINE SIZE OVER MAXIMUM': 'line-too-long',
};

/**
 * Lands a BACI file in the staging database (`baci` table, problems, line segments).
 * `blankLines` are the file's empty lines (from the byte scan). Returns the number of blank lines counted.
 */
export async function landBaci(staging: Staging, file: string, blankLinesFound: Promise<number[]>): Promise<number> {
  const header = (await readHeader(file)).replace(/"/g, '').replace(/\s/g, '').toLowerCase();
  if (header !== 't,i,j,k,v,q') {
    throw new UserError(
      `not a BACI file: ${file}: the first line is ${JSON.stringify(header.slice(0, 80))}, expected t,i,j,k,v,q (use --format csv with a mapping for other layouts)`,
    );
  }
  const db = staging.db;
  await db.run(`INSERT INTO ${staging.catalog}.settings VALUES ('classification', $1)`, [
    baciFileInfo(file).classification,
  ]);
  await db.run('DROP TABLE IF EXISTS rej_err');
  await db.run('DROP TABLE IF EXISTS rej_scan');
  await db.run(
    `CREATE ${staging.catalog === 'temp' ? 'TEMP ' : ''}TABLE baci AS SELECT * FROM read_csv(${sqlString(file)},
       columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', 'v': 'DECIMAL(18,6)', 'q': 'DECIMAL(18,6)'},
       header = true, nullstr = [${NA_VARIANTS}], quote = '"', escape = '"', delim = ',', auto_detect = false,
       store_rejects = true, rejects_table = 'rej_err', rejects_scan = 'rej_scan')`,
  );
  const rejects = await db.all(
    `SELECT line, string_agg(DISTINCT column_name, ', ' ORDER BY column_name) AS cols,
            any_value(error_type) AS error_type, any_value(csv_line) AS csv_line,
            min(line_byte_position) AS line_start,
            string_agg(DISTINCT error_message, '; ') AS message
     FROM rej_err GROUP BY line ORDER BY line`,
  );
  const blanks = new Set((await blankLinesFound).filter((l) => l > 1));
  const missing: number[] = [...blanks];
  const fh = await open(file, 'r');
  try {
    for (const r of rejects) {
      const line = Number(r.line);
      const raw = String(r.csv_line ?? '').replace(/^[\r\n]+/, '');
      if (raw.trim() === '') {
        if (!blanks.has(line)) {
          blanks.add(line);
          missing.push(line);
        }
        continue;
      }
      missing.push(line);
      // DuckDB reports a typed column's conversion error before an encoding error: look at the line's bytes
      const bytes = r.line_start === null ? undefined : await lineBytes(fh, Number(r.line_start));
      if (bytes && !isUtf8(bytes)) {
        await staging.addProblem({
          code: 'bad-encoding',
          severity: 'error',
          message: 'bytes invalid in UTF-8 (shown as \\xNN; is the file latin-1?)',
          at: { file, line },
          raw: escapeInvalidUtf8(bytes),
        });
        continue;
      }
      const type = String(r.error_type);
      const cols = r.cols === null ? '' : String(r.cols);
      const message = String(r.message ?? type);
      const value = /Could not convert string "(.*?)" to/.exec(message)?.[1];
      await staging.addProblem({
        code: REJECT_CODES[type] ?? 'unreadable-row',
        severity: 'error',
        message: simplifyRejectMessage(type, message),
        at: { file, line, ...(cols ? { field: cols } : {}) },
        ...(value !== undefined ? { value } : {}),
        raw,
      });
    }
  } finally {
    await fh.close();
  }
  staging.finishAppending();
  // segments for line reconstruction: after the i-th missing line, ranks ≥ m_i − i are shifted by i
  missing.sort((a, b) => a - b);
  if (missing.length) {
    const seg = new Map<number, number>();
    missing.forEach((m, idx) => {
      seg.set(m - (idx + 1), idx + 1);
    });
    const a = await staging.appender_('line_segments');
    for (const [start, shift] of seg) {
      a.appendBigInt(BigInt(start));
      a.appendBigInt(BigInt(shift));
      a.endRow();
    }
    a.closeSync();
  }
  await db.run('DROP TABLE IF EXISTS rej_err');
  await db.run('DROP TABLE IF EXISTS rej_scan');
  // one pass for what the store needs to know: distinct codes, products and years (small), whether any
  // value is missing or negative, and whether any key repeats (a hash per key; equal counts = no repeat)
  const stats = await db.one(
    `SELECT count(*) AS n, count(DISTINCT hash(i, j, k, t)) AS nkeys,
            count(*) FILTER (WHERE v IS NULL OR v < 0 OR q < 0 OR t IS NULL OR i IS NULL OR j IS NULL OR k IS NULL) AS nbad,
            list(DISTINCT i) AS li, list(DISTINCT j) AS lj, list(DISTINCT k) AS lk, list(DISTINCT t) AS lt
     FROM ${staging.catalog}.baci`,
  );
  const ints = (v: unknown) =>
    String(v ?? '[]')
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '' && x !== 'NULL');
  const codes = [...new Set([...ints(stats?.li), ...ints(stats?.lj)])];
  const settings = await staging.appender_('settings');
  for (const [key, value] of [
    ['rows', String(stats?.n)],
    ['distinct_keys', String(stats?.nkeys)],
    ['bad_values', String(stats?.nbad)],
    ['codes', codes.join(',')],
    ['products', ints(stats?.lk).join(',')],
    ['years', ints(stats?.lt).join(',')],
  ]) {
    settings.appendVarchar(key!);
    settings.appendVarchar(value!);
    settings.endRow();
  }
  settings.closeSync();
  staging.rowsStaged = Number(stats?.n);
  return blanks.size;
}

/** The bytes of the line starting at `start` (without its line end), at most 64 KiB. */
async function lineBytes(fh: FileHandle, start: number): Promise<Uint8Array> {
  const buf = Buffer.alloc(65536);
  const { bytesRead } = await fh.read(buf, 0, buf.length, start);
  // a reported position can sit on the blank line before the record
  let begin = 0;
  while (begin < bytesRead && (buf[begin] === 0x0a || buf[begin] === 0x0d)) begin++;
  let end = buf.subarray(begin, bytesRead).indexOf(0x0a);
  end = end === -1 ? bytesRead : begin + end;
  if (end > begin && buf[end - 1] === 0x0d) end--;
  return buf.subarray(begin, end);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function simplifyRejectMessage(type: string, message: string): string {
  if (type === 'CAST') {
    const m = /converting column "(\w+)"\. Could not convert string "(.*?)" to '(\w+)'/.exec(message);
    if (m) return `not a number in column ${m[1]}: ${JSON.stringify(m[2])} (expected ${m[3]!.toLowerCase()})`;
  }
  if (type === 'MISSING COLUMNS' || type === 'TOO MANY COLUMNS') {
    const m = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
    if (m) return `wrong number of columns: expected ${m[1]}, found ${m[2]}`;
  }
  if (type.includes('ENCODING') || type.includes('UNICODE')) return 'bytes invalid in UTF-8 (is the file latin-1?)';
  return message.split('\n')[0] ?? message;
}
