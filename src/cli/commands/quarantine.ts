/**
 * `tradescope quarantine`: every rejected record, with file, line, field, raw value and reason.
 */
import { printJson, textTable, writeOut } from '../format.js';
import { openStore } from '../open-store.js';

export async function quarantineCommand(o: {
  db?: string;
  json?: boolean;
  dataset?: string;
  limit?: string;
  out?: string;
}): Promise<number> {
  const store = await openStore(o.db);
  try {
    const rows = await store.quarantine({
      ...(o.dataset ? { dataset: o.dataset } : {}),
      ...(o.limit ? { limit: Number(o.limit) } : {}),
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
