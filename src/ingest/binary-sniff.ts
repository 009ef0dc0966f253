/**
 * A text reader given a workbook, an archive or any binary file would otherwise read its bytes as a header and
 * report "no column …" with the raw bytes in the message. The first bytes say what the file is; a reader of
 * delimited text refuses it with one error that names the kind and what to do.
 */
import { open } from 'node:fs/promises';
import { userError } from '../util/errors.js';

/** What a file's first bytes show it is, when that is not text. */
export type BinaryKind = 'xlsx' | 'xls' | 'zip' | '7z' | 'gzip' | 'pdf' | 'parquet' | 'binary';

const WHAT: Record<BinaryKind, string> = {
  xlsx: 'an XLSX workbook',
  xls: 'a legacy Excel (.xls) workbook',
  zip: 'a ZIP archive',
  '7z': 'a 7z archive',
  gzip: 'a gzip-compressed file',
  pdf: 'a PDF document',
  parquet: 'a Parquet file',
  binary: 'a binary file (it has NUL bytes)',
};

const ADVICE: Record<BinaryKind, string> = {
  xlsx: 'open it and save the sheet as CSV (UTF-8), then ingest the CSV; a GAC workbook reads with --format gacc --mapping <file>',
  xls: 'save the sheet as CSV (UTF-8), then ingest the CSV; GAC release attachments read with --format gacc-release',
  zip: 'unpack it and ingest the file inside',
  '7z': 'unpack it and ingest the file inside (Comext .7z files read directly with --format comext)',
  gzip: 'decompress it (gunzip) and ingest the file inside',
  pdf: 'tradescope reads the data files behind a publication, not the PDF',
  parquet: 'export it as CSV first',
  binary: 'check that this is the file you meant; a UTF-16 text file should start with its byte-order mark',
};

/**
 * The kind of binary file `head` (a file's first bytes) starts, or undefined for what may be text.
 * @example sniffBinary(Buffer.from('PK\x03\x04…[Content_Types].xml…xl/workbook.xml')) // 'xlsx'
 */
export function sniffBinary(head: Uint8Array): BinaryKind | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    const text = b.toString('latin1');
    return text.includes('xl/') || text.includes('[Content_Types].xml') ? 'xlsx' : 'zip';
  }
  if (b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'xls';
  if (b.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return '7z';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  // UTF-16 text (with a BOM, or declared in a mapping) has its NULs at one parity only: left to the text reader
  const utf16Bom = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
  if (utf16Bom) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 0) i % 2 ? odd++ : even++;
  if (even + odd === 0 || (even === 0) !== (odd === 0)) return undefined;
  return 'binary';
}

/**
 * Refuses a file that is not text, for a reader of delimited text: one user error naming the kind and the fix.
 * `allow` lists kinds the reader itself opens (Comext's `.7z`).
 */
export async function refuseBinary(file: string, format: string, allow: readonly BinaryKind[] = []): Promise<void> {
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const kind = sniffBinary(head);
  if (!kind || allow.includes(kind)) return;
  throw userError(
    'not-text',
    `${file}: this is ${WHAT[kind]}, not the delimited text --format ${format} reads: ${ADVICE[kind]}`,
    { kind, format },
    { file },
  );
}
