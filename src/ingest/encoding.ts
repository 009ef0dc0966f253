/**
 * Text encodings of source files: detection, and decoding a byte stream into numbered lines.
 *
 * - {@link detectEncoding} looks at a byte-order mark, then at samples of the file (start, middle, end):
 *   bytes that are valid UTF-8 → `utf-8` (also when many valid multi-byte sequences come with a few invalid
 *   bytes: a UTF-8 file with some corrupt lines, whose lines are then reported); otherwise chardet's guess, where the western single-byte guesses
 *   become `latin-1` (or `windows-1252` when the sample has bytes 0x80–0x9F, which are C1 controls in
 *   latin-1 but letters and punctuation in windows-1252).
 * - {@link readLines} streams a file (never reading it whole) and yields every physical line with its
 *   1-based number, without its line end (LF or CRLF). For ASCII-compatible encodings it splits on the byte
 *   0x0A, which never occurs inside a character of UTF-8, latin-1, windows-125x, GB18030, Big5 or Shift_JIS.
 *   UTF-16 files are decoded first and split on text. A last line without a final newline is returned as it is.
 * - In a UTF-8 file, a line holding bytes that are not valid UTF-8 is yielded with `invalid: true` and
 *   `escaped` (the line with the offending bytes as `\xNN`), so that the reader can quarantine exactly that
 *   line instead of loading text with U+FFFD in it.
 *
 * Lines are separated by LF; a CR before the LF is dropped. Old Mac CR-only line ends are not supported
 * (such a file reads as one line, and the reader reports its column count).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { UserError } from '../util/errors.js';

export interface TextLine {
  /** 1-based physical line number. */
  line: number;
  /** Decoded text without the line end (and without a BOM on line 1). */
  text: string;
  /** True when the line's bytes are not valid in the file's encoding (UTF-8 only); `text` then has U+FFFD. */
  invalid?: boolean;
  /** For an invalid line: the line with valid characters kept and invalid bytes written as `\xNN`. */
  escaped?: string;
  /** Bytes of the file consumed up to the end of this line (for progress reports). */
  bytesRead: number;
  /** True on the file's last line when no line end follows it (a file cut short often ends so). */
  unterminated?: boolean;
}

export interface EncodingGuess {
  /** Normalised name: `utf-8`, `utf-16le`, `utf-16be`, `latin-1`, `windows-1252`, or chardet's name. */
  encoding: string;
  /** Length of the byte-order mark at the start of the file (0 when none). */
  bomLength: number;
  /** How the guess was made: `bom`, `utf-8-valid`, `chardet`, `declared`, `empty`. */
  method: string;
}

const SAMPLE_SIZE = 64 * 1024;

/** Canonical names for the encodings users type or chardet returns. */
export function normaliseEncoding(name: string): string {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n === 'utf8' || n === 'utf-8' || n === 'ascii' || n === 'us-ascii') return 'utf-8';
  if (n === 'latin1' || n === 'latin-1' || n === 'iso-8859-1' || n === 'iso8859-1' || n === 'l1') return 'latin-1';
  if (n === 'cp1252' || n === 'windows-1252' || n === 'win1252') return 'windows-1252';
  if (n === 'utf-16le' || n === 'utf16le') return 'utf-16le';
  if (n === 'utf-16be' || n === 'utf16be') return 'utf-16be';
  if (n === 'gbk' || n === 'gb2312' || n === 'gb18030') return 'gb18030';
  return n;
}

/** Throws a {@link UserError} when iconv-lite cannot decode `encoding`. */
export function checkEncoding(encoding: string): void {
  const n = normaliseEncoding(encoding);
  if (n === 'utf-8' || n === 'latin-1') return;
  if (!iconv.encodingExists(n)) {
    throw new UserError(`unknown encoding: ${JSON.stringify(encoding)} (use utf-8, latin-1, windows-1252, gb18030 …)`);
  }
}

/** Drops an incomplete UTF-8 sequence cut off at the end of a sample. */
function trimPartialUtf8(buf: Buffer): Buffer {
  let i = buf.length - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (buf[i]! & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return buf;
  const lead = buf[i]!;
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return need > cont ? buf.subarray(0, i) : buf;
}

/** Drops bytes at the start of a sample that continue a sequence begun before it. */
function trimLeadingContinuation(buf: Buffer): Buffer {
  let i = 0;
  while (i < buf.length && i < 3 && (buf[i]! & 0xc0) === 0x80) i++;
  return buf.subarray(i);
}

/**
 * Detects a file's encoding from its BOM or samples of its bytes.
 * @example await detectEncoding('TradeData.csv') // { encoding: 'latin-1', bomLength: 0, method: 'chardet' }
 */
export async function detectEncoding(file: string): Promise<EncodingGuess> {
  const size = (await stat(file)).size;
  if (size === 0) return { encoding: 'utf-8', bomLength: 0, method: 'empty' };
  const fh = await open(file, 'r');
  try {
    const offsets =
      size <= SAMPLE_SIZE * 4 ? [0] : [0, Math.floor(size / 3), Math.floor((2 * size) / 3), size - SAMPLE_SIZE];
    const samples: Buffer[] = [];
    for (const offset of offsets) {
      const buf = Buffer.alloc(Math.min(size <= SAMPLE_SIZE * 4 ? size : SAMPLE_SIZE, size - offset));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      samples.push(buf.subarray(0, bytesRead));
    }
    const head = samples[0]!;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
      return { encoding: 'utf-8', bomLength: 3, method: 'bom' };
    if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2, method: 'bom' };
    if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2, method: 'bom' };
    const allUtf8 = samples.every((s, i) => {
      const a = i === 0 ? s : trimLeadingContinuation(s);
      return isUtf8(offsets[i]! + s.length >= size ? a : trimPartialUtf8(a));
    });
    if (allUtf8) return { encoding: 'utf-8', bomLength: 0, method: 'utf-8-valid' };
    const sample = Buffer.concat(samples);
    // A UTF-8 file with a few corrupt bytes is still UTF-8 (its bad lines are reported one by one):
    // many valid multi-byte sequences and few invalid bytes say so; a single-byte file has no valid ones.
    const { multibyte, invalid } = utf8Stats(sample);
    if (multibyte >= 2 && invalid <= multibyte)
      return { encoding: 'utf-8', bomLength: 0, method: 'utf-8-mostly-valid' };
    const guess = chardet.detect(sample);
    let enc = normaliseEncoding(guess ?? 'latin-1');
    if (/^(latin-1|windows-1252|iso-8859-\d+|windows-125\d)$/.test(enc)) {
      // chardet's choice among western single-byte code pages is shaky on short samples; the bytes
      // 0x80–0x9F decide between latin-1 (C1 controls, never seen in text) and windows-1252.
      enc = sample.some((b) => b >= 0x80 && b <= 0x9f) ? 'windows-1252' : 'latin-1';
    }
    if (!iconv.encodingExists(enc)) enc = 'latin-1';
    return { encoding: enc, bomLength: 0, method: 'chardet' };
  } finally {
    await fh.close();
  }
}

/** Counts valid multi-byte UTF-8 sequences and invalid bytes in a buffer. */
function utf8Stats(buf: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= buf.length && isUtf8(buf.subarray(i, i + len))) {
      multibyte++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}

/** Writes a line's bytes with valid UTF-8 characters kept and every invalid byte as `\xNN`. */
export function escapeInvalidUtf8(buf: Uint8Array): string {
  let out = '';
  let start = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > start) out += Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
  };
  while (i < buf.length) {
    const b = buf[i]!;
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    let ok = len > 0 && i + len <= buf.length;
    if (ok && len > 1) ok = isUtf8(buf.subarray(i, i + len));
    if (ok) {
      i += len;
      continue;
    }
    flush(i);
    out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
    start = i;
  }
  flush(i);
  return out;
}

export interface ReadLinesOptions {
  /** Declared encoding; detected when absent or `auto`. */
  encoding?: string;
  /** Chunk size in bytes (default 1 MiB). */
  chunkSize?: number;
}

/**
 * Streams a file's lines with 1-based numbers. The encoding is detected unless declared.
 * @example for await (const l of readLines('a.csv')) console.log(l.line, l.text)
 */
export async function* readLines(file: string, options: ReadLinesOptions = {}): AsyncGenerator<TextLine> {
  const guess =
    options.encoding && options.encoding !== 'auto'
      ? { encoding: normaliseEncoding(options.encoding), bomLength: 0, method: 'declared' }
      : await detectEncoding(file);
  yield* readLinesWith(file, guess, options.chunkSize);
}

/**
 * {@link readLines} with an encoding already known (use the result of {@link detectEncoding}). `file` is a path,
 * or a byte stream already open (e.g. a decompressor's output), read the same way.
 */
export async function* readLinesWith(
  file: string | AsyncIterable<Buffer>,
  guess: EncodingGuess,
  chunkSize = 1 << 20,
): AsyncGenerator<TextLine> {
  const enc = normaliseEncoding(guess.encoding);
  checkEncoding(enc);
  if (enc === 'utf-16le' || enc === 'utf-16be') {
    yield* readUtf16Lines(file, enc, chunkSize);
    return;
  }
  // A declared UTF-8 file may still start with a BOM.
  let skipBom = guess.bomLength > 0 || enc === 'utf-8';
  const isUtf8Enc = enc === 'utf-8';
  const decode = (b: Buffer): string =>
    isUtf8Enc ? b.toString('utf8') : enc === 'latin-1' ? b.toString('latin1') : iconv.decode(b, enc);

  let lineNo = 0;
  let consumed = 0;
  let carry: Buffer = Buffer.alloc(0);
  const stream = typeof file === 'string' ? createReadStream(file, { highWaterMark: chunkSize }) : file;

  function* emitBlock(block: Buffer, blockStart: number): Generator<TextLine> {
    // block holds whole lines, each ended by LF (the last may lack it when the file ends).
    if (skipBom) {
      if (block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) {
        block = block.subarray(3);
        blockStart += 3;
      }
      skipBom = false;
    }
    if (!isUtf8Enc || isUtf8(block)) {
      // Fast path: decode the block once, split the text.
      const text = decode(block);
      const parts = text.split('\n');
      if (parts.length > 0 && parts[parts.length - 1] === '' && block[block.length - 1] === 0x0a) parts.pop();
      // Byte offsets per line are only needed for progress; we give the block's end for all its lines
      // except that the last line of the block carries the exact figure.
      const end = blockStart + block.length;
      const open = block.length > 0 && block[block.length - 1] !== 0x0a;
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k]!;
        lineNo++;
        const l: TextLine = { line: lineNo, text: p.endsWith('\r') ? p.slice(0, -1) : p, bytesRead: end };
        if (open && k === parts.length - 1) l.unterminated = true;
        yield l;
      }
      return;
    }
    // Slow path (only blocks with invalid UTF-8): line by line.
    let pos = 0;
    while (pos < block.length) {
      let nl = block.indexOf(0x0a, pos);
      const last = nl < 0;
      if (last) nl = block.length;
      let lineBuf = block.subarray(pos, nl);
      if (lineBuf[lineBuf.length - 1] === 0x0d) lineBuf = lineBuf.subarray(0, -1);
      lineNo++;
      const bytesRead = blockStart + (last ? nl : nl + 1);
      const l: TextLine = isUtf8(lineBuf)
        ? { line: lineNo, text: lineBuf.toString('utf8'), bytesRead }
        : {
            line: lineNo,
            text: lineBuf.toString('utf8'),
            invalid: true,
            escaped: escapeInvalidUtf8(lineBuf),
            bytesRead,
          };
      if (last) l.unterminated = true;
      yield l;
      pos = nl + 1;
    }
  }

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lastNl = chunk.lastIndexOf(0x0a);
    if (lastNl < 0) {
      carry = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      continue;
    }
    const block = carry.length ? Buffer.concat([carry, chunk.subarray(0, lastNl + 1)]) : chunk.subarray(0, lastNl + 1);
    const blockStart = consumed;
    consumed += block.length;
    carry = chunk.subarray(lastNl + 1);
    yield* emitBlock(block, blockStart);
  }
  if (carry.length > 0) {
    const blockStart = consumed;
    consumed += carry.length;
    yield* emitBlock(carry, blockStart);
  }
}

async function* readUtf16Lines(
  file: string | AsyncIterable<Buffer>,
  enc: string,
  chunkSize: number,
): AsyncGenerator<TextLine> {
  const decoder = iconv.getDecoder(enc);
  const stream = typeof file === 'string' ? createReadStream(file, { highWaterMark: chunkSize }) : file;
  let carry = '';
  let lineNo = 0;
  let bytes = 0;
  let first = true;
  const out = function* (text: string, final: boolean): Generator<TextLine> {
    let s = carry + text;
    if (first && s.length > 0) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    const parts = s.split('\n');
    carry = final ? '' : parts.pop()!;
    if (final && parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) {
      lineNo++;
      yield { line: lineNo, text: p.endsWith('\r') ? p.slice(0, -1) : p, bytesRead: bytes };
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    yield* out(decoder.write(chunk), false);
  }
  yield* out(decoder.end() ?? '', true);
}
