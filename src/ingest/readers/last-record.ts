/**
 * A file cut short ends in the middle of a record: `1985-03-01,293.100000` becomes `1985-03-01,2`, which reads as
 * a valid number. The last record of a delimited file is therefore checked against the file's own structure:
 * when it has no line end after it, or is shorter than every record before it, it is kept only if the file
 * vouches for it — its last field is quoted (the closing quote proves the field whole), or its last field is at
 * least as long as that field in every record before it (with a line end, an empty last field is a value left
 * empty, not a cut). Otherwise it is a `truncated-record` problem on its
 * line, and quarantined.
 */
import type { CsvItem } from './delimited-reader.js';

type RecordItem = Extract<CsvItem, { kind: 'record' }>;

/**
 * Marks the last record of a stream of CSV items with `last: true` (blank lines after it do not count).
 * @example for await (const r of markLast(csvRecords(lines, { delimiter: ',' }))) if (r.kind === 'record' && r.last) …
 */
export async function* markLast(items: AsyncIterable<CsvItem>): AsyncGenerator<CsvItem> {
  let held: RecordItem | undefined;
  let blanks: CsvItem[] = [];
  for await (const item of items) {
    if (held && item.kind === 'blank') {
      blanks.push(item);
      continue;
    }
    if (held) {
      yield held;
      yield* blanks;
      held = undefined;
      blanks = [];
    }
    if (item.kind === 'record') held = item;
    else yield item;
  }
  if (held) yield { ...held, last: true };
  yield* blanks;
}

/**
 * What the records of a file look like so far; {@link RecordShape.truncation} judges the last one by them.
 * Feed it every data record (not the header) in order.
 */
export class RecordShape {
  private count = 0;
  private minRaw = Number.POSITIVE_INFINITY;
  private minLast = Number.POSITIVE_INFINITY;

  constructor(private readonly quote = '"') {}

  /**
   * A message when `rec` looks cut short and nothing in the file vouches for it; undefined when it is fine.
   * Records not marked `last` are only observed.
   */
  truncation(rec: RecordItem): string | undefined {
    const lastField = rec.fields[rec.fields.length - 1] ?? '';
    const verdict = rec.last ? this.judge(rec, lastField) : undefined;
    this.count++;
    this.minRaw = Math.min(this.minRaw, rec.raw.length);
    this.minLast = Math.min(this.minLast, lastField.length);
    return verdict;
  }

  private judge(rec: RecordItem, lastField: string): string | undefined {
    const short = this.count > 0 && rec.raw.length < this.minRaw;
    if (!rec.unterminated && (!short || lastField === '')) return undefined;
    if (rec.raw.trimEnd().endsWith(this.quote)) return undefined;
    if (this.count > 0 && lastField.length >= this.minLast) return undefined;
    const why = rec.unterminated
      ? 'the file ends without a line end after it'
      : 'it is shorter than every other record';
    const than =
      this.count > 0
        ? `its last field ${JSON.stringify(lastField)} is shorter (${lastField.length} characters) than in every other record (at least ${this.minLast})`
        : 'no other record shows its shape';
    return `the last record looks cut short: ${why}, and ${than}; a truncated file? (not loaded)`;
  }
}
