/**
 * ClickHouse's TabSeparated text, read back exactly: decimals stay text, `\N` is null, escapes undone.
 *
 * @example parseTsvWithNames('a\tb\n1\t\\N\n') // [{ a: '1', b: null }]
 */

const UNESCAPE: Record<string, string> = {
  '\\': '\\',
  t: '\t',
  n: '\n',
  r: '\r',
  '0': '\0',
  b: '\b',
  f: '\f',
  "'": "'",
  a: '\x07',
  v: '\v',
};

/** One field of TabSeparated output: `\N` → null, escape sequences undone. */
export function unescapeTsv(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i === field.length - 1) {
      out += ch;
      continue;
    }
    const next = field[++i]!;
    out += UNESCAPE[next] ?? next;
  }
  return out;
}

/** `TabSeparatedWithNames` text → rows keyed by column name, values as text or null. */
export function parseTsvWithNames(text: string): Record<string, string | null>[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = (lines.shift() ?? '').split('\t').map((h) => unescapeTsv(h) ?? '');
  return lines.map((line) => {
    const fields = line.split('\t');
    const row: Record<string, string | null> = {};
    header.forEach((h, i) => {
      row[h] = fields[i] === undefined ? null : unescapeTsv(fields[i]!);
    });
    return row;
  });
}
