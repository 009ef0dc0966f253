/**
 * `tradescope quarantine`: every rejected record, with file, line, field, raw value and reason.
 */
import { userError } from '../../util/errors.js';
import { printJson, textTable, writeOut } from '../format.js';
import { openStore } from '../open-store.js';

export async function quarantineCommand(o: {
  db?: string;
  json?: boolean;
  dataset?: string;
  limit?: string;
  out?: string;
}): Promise<number> {
  const limit = limitOption(o.limit);
  const store = await openStore(o.db, { readOnly: true });
  try {
    const rows = await store.quarantine({
      ...(o.dataset ? { dataset: o.dataset } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    const headers = ['dataset', 'vintage', 'file', 'line', 'sheet', 'field', 'value', 'code', 'reason'];
    const table = rows.map((r) => [
      r.dataset,
      r.vintage,
      r.sourceFile.split('/').pop(),
      r.line,
      r.sheet,
      r.field,
      r.rawValue,
      r.code,
      r.reason,
    ]);
    if (o.out) writeOut(o.out, { headers, rows: table }, rows);
    if (o.json) printJson(rows);
    else if (!o.out) {
      process.stdout.write(rows.length ? `${textTable(headers, table)}\n` : 'quarantine is empty\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** `--limit`: a whole number of rows, 1 or more; anything else (`0`, `-1`, `abc`, `1.5`) is an error before the store opens. */
function limitOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)) || Number(t) < 1)
    throw userError(
      'bad-parameter',
      `--limit: ${JSON.stringify(v)} is not a row count (a whole number, 1 or more)`,
      { flag: '--limit' },
      { field: 'limit' },
      v,
    );
  return Number(t);
}
