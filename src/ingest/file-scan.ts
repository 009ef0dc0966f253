/**
 * One streaming pass over a source file's bytes: its content hash (for idempotent ingest) and whether it
 * has blank lines; a second pass finds their line numbers only when there are any. DuckDB's CSV reader
 * skips blank lines silently, but the ingest report counts them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileScan {
  sha256: string;
  bytes: number;
  /** 1-based line numbers of empty lines (only searched when asked). */
  blankLines: number[];
}

const LF = 0x0a;
const CR = 0x0d;
const LF_LF = Buffer.from('\n\n');
const LF_CR_LF = Buffer.from('\n\r\n');

/** Hashes a file and, optionally, finds its blank lines. */
export async function scanFile(path: string, findBlankLines: boolean): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let maybeBlank = false;
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    if (findBlankLines && !maybeBlank) {
      if (bytes === 0 && (buf[0] === LF || (buf[0] === CR && buf[1] === LF))) maybeBlank = true;
      const joint = Buffer.concat([tail, buf.subarray(0, 2)]);
      if (joint.includes(LF_LF) || joint.includes(LF_CR_LF) || buf.includes(LF_LF) || buf.includes(LF_CR_LF))
        maybeBlank = true;
      tail = Buffer.from(buf.subarray(Math.max(0, buf.length - 2)));
    }
    bytes += buf.length;
  }
  const blankLines = maybeBlank ? await blankLineNumbers(path) : [];
  return { sha256: hash.digest('hex'), bytes, blankLines };
}

/** Line numbers (1-based) of lines that are empty (a lone CR counts as empty). */
export async function blankLineNumbers(path: string): Promise<number[]> {
  const out: number[] = [];
  let line = 1;
  let len = 0; // bytes on the current line so far, not counting a CR just before LF
  let pendingCr = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    const buf = chunk as Buffer;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl;
      if (end > pos) {
        if (pendingCr) len++;
        const endsWithCr = buf[end - 1] === CR;
        len += end - pos - (endsWithCr ? 1 : 0);
        pendingCr = endsWithCr;
      }
      if (nl === -1) break;
      if (len === 0) out.push(line);
      line++;
      len = 0;
      pendingCr = false;
      pos = nl + 1;
    }
  }
  return out;
}
